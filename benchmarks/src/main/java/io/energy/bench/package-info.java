/**
 * Benchmarks (JMH and plain programs) for the agent's costs: a woven call, path dispatch, collector
 * wake-ups, memory per path. Run by {@code scripts/bench-all.sh}; results in {@code docs/performance.md}.
 */
package io.energy.bench;
