/**
 * Runs the pipeline: {@code AgentCore} (the core's front door for launch and attach commands),
 * {@code EnergySession} (one measuring session: instrumenter, power source, collector, writers),
 * {@code Collector} (the thread that samples, reads power and feeds the ledger), the command line
 * ({@code doctor}, {@code help}), and the checks around start and stop. Core: the agent's <b>private class
 * loader</b>. It depends on every other core package; none depends on it.
 */
package io.energy.control;
