/**
 * The estimated model: CPU time times watts per logical CPU, for machines without readable counters; every
 * output says ESTIMATED. A {@code power.PowerSource}. Core: the agent's <b>private class loader</b>.
 */
package io.energy.power.estimate;
