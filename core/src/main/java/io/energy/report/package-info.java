/**
 * Outputs: {@code ProfileBuilder} turns the ledger into one immutable {@code EnergyProfile}, and small writers
 * turn that into files (JSON, CSV, collapsed stacks, speedscope, HTML), each written atomically. Last step of
 * the pipeline; which writers make a dump is the session's choice ({@code session.SessionOutputs}). Core: the
 * agent's <b>private class loader</b>.
 */
package io.energy.report;
