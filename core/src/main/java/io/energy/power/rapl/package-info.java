/**
 * Intel/AMD RAPL counters from {@code /sys/class/powercap}: zone discovery by name, wraparound, anomalies.
 * A {@code power.PowerSource}. Core: the agent's <b>private class loader</b>.
 */
package io.energy.power.rapl;
