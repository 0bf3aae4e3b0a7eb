package io.energy.attribute;

import java.util.List;

/**
 * Everything the ledger needs to attribute one interval, gathered by the collector (or made up by a
 * test): measured energy, CPU times and, per thread, where its samples landed.
 *
 * @param startNanos       interval start ({@code System.nanoTime()} scale)
 * @param endNanos         interval end
 * @param nanoJoules       energy per domain in the interval
 * @param processCpuNanos  this process's CPU time in the interval, or -1 if unknown
 * @param machineBusyNanos the whole machine's busy CPU time in the interval, or -1 if unknown
 * @param agentCpuNanos    CPU time of the agent's own threads in the interval
 * @param processShare     per domain, this process's share of the domain's dynamic energy where it is known
 *                         otherwise than from the machine-wide CPU times: a GPU's from its driver
 *                         ({@link io.energy.power.PowerSource#DEVICE_IDLE}: no process uses the GPU), a socket's
 *                         package from the socket's busy time ({@link io.energy.power.SocketShares}); NaN: not
 *                         known that way (a CPU domain then takes the machine-wide share, a GPU all)
 * @param tickNanos        average sample period in this interval
 * @param threads          per thread: CPU time and samples of the instrumented call paths (wall time, GPU
 *                         windows; and CPU attribution when no stack sampler runs)
 * @param stacks           CPU-time samples of real stacks harvested at this interval's end, or {@code null}
 *                         when the stack sampler did not harvest this time (its samples come with a later
 *                         interval) or none runs
 * @param shareClocks      per domain, the clocks its {@code processShare} was read from where that is not the
 *                         machine's (a socket's), else null; the array null when no domain has one
 */
public record IntervalInput(long startNanos, long endNanos, long[] nanoJoules, long processCpuNanos,
                            long machineBusyNanos, long agentCpuNanos, double[] processShare, long tickNanos,
                            List<ThreadSlice> threads, io.energy.sampling.StackSamples stacks,
                            ShareClock[] shareClocks) {

    /**
     * The clocks a domain's process share was read from, where they are not the machine's: the busy time of the
     * domain's CPUs in the interval ({@code /proc/stat}, ticked), the part of the process's CPU time put on them,
     * and how many CPUs they are. The share's errors, which {@code (other processes)}' bound carries, come from
     * these.
     */
    public record ShareClock(long busyNanos, double processFraction, int cpus) {
    }

    /** An interval whose process shares are the machine's, or a GPU's (no socket shares). */
    public IntervalInput(long startNanos, long endNanos, long[] nanoJoules, long processCpuNanos,
                         long machineBusyNanos, long agentCpuNanos, double[] processShare, long tickNanos,
                         List<ThreadSlice> threads, io.energy.sampling.StackSamples stacks) {
        this(startNanos, endNanos, nanoJoules, processCpuNanos, machineBusyNanos, agentCpuNanos, processShare,
                tickNanos, threads, stacks, null);
    }

    /** An interval without stack samples (the instrumented-path sampler alone, or a test of it). */
    public IntervalInput(long startNanos, long endNanos, long[] nanoJoules, long processCpuNanos,
                         long machineBusyNanos, long agentCpuNanos, double[] processShare, long tickNanos,
                         List<ThreadSlice> threads) {
        this(startNanos, endNanos, nanoJoules, processCpuNanos, machineBusyNanos, agentCpuNanos, processShare,
                tickNanos, threads, null);
    }

    /**
     * One thread's part of an interval. "Running" samples found the thread runnable (on a CPU, or ready
     * to be); wall samples count every tick, blocked or not. CPU energy follows running samples, wall
     * time and GPU energy follow wall samples.
     *
     * @param cpuNanos        the thread's CPU time in the interval
     * @param rootSamples     running samples that found no instrumented frame
     * @param rootWallSamples all samples that found no instrumented frame
     * @param nodes           the call paths sampled
     * @param samples         running samples per path
     * @param wallSamples     all samples per path
     * @param count           how many entries of the arrays are used
     */
    public record ThreadSlice(long cpuNanos, int rootSamples, int rootWallSamples, LedgerNode[] nodes, int[] samples,
                              int[] wallSamples, int count) {
        public int totalSamples() {
            int n = rootSamples;
            for (int i = 0; i < count; i++) {
                n += samples[i];
            }
            return n;
        }

        public int totalWallSamples() {
            int n = rootWallSamples;
            for (int i = 0; i < count; i++) {
                n += wallSamples[i];
            }
            return n;
        }
    }
}
