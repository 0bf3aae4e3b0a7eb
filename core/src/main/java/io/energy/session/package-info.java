/**
 * One measuring session, from start to stop: {@code EnergySession} wires the stages in the order the data
 * flows (instrumenter, bridge, power source, samplers, ledger, writers), carrying out a {@code SessionPlan}
 * (each domain's idle power and the sample periods, decided from the configuration and the probes' results
 * before anything starts); {@code Collector} is the agent's one working thread (samples, reads power, feeds
 * the ledger) and answers only through {@code Collector.Listener}; {@code BudgetKeeper} keeps the overhead
 * budget; {@code SessionOutputs} and {@code LiveEventsFactory} choose the writers and the live JFR events;
 * {@code AgentLog} is the agent's voice; {@code FaultInjection} the robustness suite's switch. Pipeline: drives
 * every stage; started and stopped by {@code command}, and depends on no package that depends on it. Core: the
 * agent's <b>private class loader</b>.
 */
package io.energy.session;
