/**
 * Attribution: the collector's sampler reads every thread's bridge pointer, and the {@code EnergyLedger} splits
 * each interval's measured energy over idle, other processes, the agent, and call paths, exactly
 * ({@code Split}). Pipeline: fed by {@code bridge} and {@code power}, read by {@code report}. Core: the agent's
 * <b>private class loader</b>.
 */
package io.energy.attribute;
