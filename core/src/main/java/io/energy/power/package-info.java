/**
 * Power sources: the {@code PowerSource} interface (cumulative nanojoules per {@code Domain}), the composite
 * of a CPU and a GPU source, and {@code ProcStat} (machine and process CPU time). Implementations are in the
 * subpackages, which depend on this one and never the other way ({@code PackageCyclesTest}); choosing one is
 * {@code power.select}. Pipeline: read by the collector each interval, feeding {@code attribute}. Core: the
 * agent's <b>private class loader</b>.
 */
package io.energy.power;
