/**
 * Measurement windows ({@code io.energy.api.Energy.begin(label)} ... {@code end()}): {@code WindowTracker}
 * gives each window its part of the process's energy from the ledger's closed intervals, with a bound, and
 * emits an {@code energy.Window} JFR event through {@code JfrWindow}. Pipeline: fed by {@code attribute}'s
 * intervals on the collector thread and by the application's threads through the bridge's JDK-typed hook
 * ({@code bridge.EnergyWindows}); its windows go into the session's {@code EnergyProfile}. Core: the agent's
 * <b>private class loader</b>.
 */
package io.energy.window;
