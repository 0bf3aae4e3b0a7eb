/**
 * Replay traces: reads a recorded CSV of cumulative joules as a power source ({@code source=replay}) and
 * records live readings into one ({@code record=FILE}). A {@code power.PowerSource}. Core: the agent's
 * <b>private class loader</b>.
 */
package io.energy.power.replay;
