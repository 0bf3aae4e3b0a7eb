/**
 * Attribution: the {@code EnergyLedger} splits each interval's measured energy over idle, other processes and
 * this process, and this process's CPU energy over the CPU-time stack samples of {@code sampling} (self to the
 * innermost frame, inclusive to every frame), or over the instrumented call paths the collector's
 * {@code CallPathSampler} reads from the bridge when no stack sampler runs; exactly ({@code Split}).
 * Pipeline: fed by {@code sampling}, {@code bridge} and {@code power}, read by {@code report}. Core: the
 * agent's <b>private class loader</b>.
 */
package io.energy.attribute;
