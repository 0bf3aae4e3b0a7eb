/**
 * Stage: CPU-time samples of real stacks — what CPU energy follows. async-profiler (primary), JDK 25's JFR
 * CPU-time sampler (fallback); each harvest hands the samples since the last one to the ledger
 * ({@code attribute}), which splits the process's CPU energy over them by count.
 *
 * <p>Class loader: the agent's private core loader (async-profiler's Java class cannot be relocated, so it
 * must never be visible to the application).
 */
package io.energy.sampling;
