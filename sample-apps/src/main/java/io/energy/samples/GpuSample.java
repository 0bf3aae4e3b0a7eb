package io.energy.samples;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code gpu [seconds] [launches=N] [batch=6] [kernel-ms=40] [iters=N] [sync=block|spin|yield|auto]}:
 * a real GPU workload driven from Java, with CPU work between the GPU phases.
 *
 * <p>It calls the CUDA driver API ({@code libcuda.so.1}, which every NVIDIA driver installs) through the
 * application's own JNA: no CUDA toolkit, no JCuda, no native code of its own. The kernel ships as PTX
 * text ({@code fma_burn.ptx}, generated from {@code src/main/cuda/kernel.cu}); the driver JIT-compiles it
 * for whatever GPU is present.
 *
 * <p>The run alternates two phases so that a power timeline shows them apart and GPU joules must land on
 * the method that launches the work:
 * <ol>
 *   <li>{@link #launchKernels}: {@code batch} launches (default 6) of an FMA-burn kernel, each followed by
 *       {@code cuCtxSynchronize}, each sized to take about {@code kernel-ms} (default 40 ms) — about a
 *       quarter of a second of a fully busy GPU;</li>
 *   <li>{@link #cpuPhase}: CPU-side post-processing of the copied-back results (a sum and repeated
 *       SHA-256), while the GPU idles.</li>
 * </ol>
 * Both phases are longer than NVML's ~100 ms energy-counter grain, so the counter separates them.
 *
 * <p>By default the context is created with {@code CU_CTX_SCHED_BLOCKING_SYNC}: the launching thread
 * sleeps in {@code cuCtxSynchronize} instead of spinning, so {@code launchKernels} shows GPU joules
 * with little CPU energy, and {@code cpuPhase} shows the opposite. {@code sync=spin} (or {@code auto},
 * the CUDA default, which spins when cores are free) shows the CPU cost of waiting on a GPU instead.
 *
 * <p>The kernel's iteration count is calibrated at start-up (a few short timed launches) so that a launch
 * takes about {@code kernel-ms} on any GPU; {@code iters=N} fixes it instead, and with {@code launches=N}
 * the printed checksum is then reproducible. {@code launches=N} runs exactly N launches, ignoring the
 * seconds (default 5).
 *
 * <p>Where there is no NVIDIA driver ({@code libcuda.so.1} cannot be loaded) or no usable GPU, it prints
 * one line saying so and exits 0: the sample is part of every build and test run, and machines without
 * a GPU are the common case, not an error.
 */
public final class GpuSample implements AutoCloseable {
    /** The CUDA driver library: the versioned name, because the unversioned one is only in dev packages. */
    static final String LIBRARY = "libcuda.so.1";
    /** The kernel's PTX, next to this class on the class path. */
    static final String PTX_RESOURCE = "fma_burn.ptx";
    static final String KERNEL_NAME = "fma_burn";
    static final int THREADS_PER_BLOCK = 256;
    /** 8 blocks of 256 threads per multiprocessor fill every SM of a Volta or newer GPU (2,048 threads). */
    static final int BLOCKS_PER_SM = 8;
    /**
     * SHA-256 passes over the results (about 1 MiB on an H100) in one CPU phase: about 1.3 ms each on the
     * H100 machine's host CPU, so a CPU phase (~200 ms) is about as long as a GPU phase of 6 × 40 ms.
     */
    static final int CPU_PASSES = 160;

    private static final int CUDA_SUCCESS = 0;
    private static final int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;

    /**
     * The part of the CUDA driver API this sample uses, bound by JNA. The {@code _v2} names are the real
     * exported symbols behind the header's macros ({@code cuCtxCreate} → {@code cuCtxCreate_v2}); a
     * {@code CUdeviceptr} is a 64-bit integer, a {@code size_t} a {@code long} (64-bit Linux only).
     */
    public interface CudaDriver extends Library {
        int cuInit(int flags);

        int cuDriverGetVersion(IntByReference version);

        int cuDeviceGetCount(IntByReference count);

        int cuDeviceGet(IntByReference device, int ordinal);

        int cuDeviceGetName(byte[] name, int length, int device);

        int cuDeviceGetAttribute(IntByReference value, int attribute, int device);

        int cuCtxCreate_v2(PointerByReference context, int flags, int device);

        int cuCtxDestroy_v2(Pointer context);

        int cuCtxSynchronize();

        int cuModuleLoadData(PointerByReference module, byte[] image);

        int cuModuleUnload(Pointer module);

        int cuModuleGetFunction(PointerByReference function, Pointer module, String name);

        int cuMemAlloc_v2(LongByReference devicePointer, long bytes);

        int cuMemFree_v2(long devicePointer);

        int cuMemcpyDtoH_v2(Pointer host, long devicePointer, long bytes);

        int cuLaunchKernel(Pointer function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                int sharedMemBytes, Pointer stream, Pointer kernelParams, Pointer extra);

        int cuGetErrorName(int error, PointerByReference name);
    }

    /** A CUDA driver call that failed after the driver and a GPU were found: a real error, exit 1. */
    static final class CudaException extends RuntimeException {
        CudaException(String message) {
            super(message);
        }
    }

    private final CudaDriver cu;
    private final PrintStream out;
    private Pointer context;
    private Pointer module;
    private Pointer function;
    private long deviceBuffer;
    private int blocks;
    private String deviceDescription;
    private Memory hostResults;
    // Kernel arguments: cuLaunchKernel takes an array of pointers, each to one argument's value
    private final Memory outArgument = new Memory(8);
    private final Memory itersArgument = new Memory(4);
    private final Memory seedArgument = new Memory(4);
    private final Memory kernelParams = new Memory(3L * Native.POINTER_SIZE);

    private GpuSample(CudaDriver cu, PrintStream out) {
        this.cu = cu;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the sample against {@code libcuda.so.1} and returns its exit code (tests call this in-process). */
    public static int run(String[] args, PrintStream out) throws Exception {
        return run(args, out, LIBRARY);
    }

    /**
     * Runs the sample against the named driver library. Tests pass a name that cannot exist to prove the
     * no-GPU path on machines that do have a GPU too.
     */
    static int run(String[] args, PrintStream out, String library) throws Exception {
        Args parsed = new Args("gpu", args).allow("seconds", "launches", "batch", "kernel-ms", "iters", "sync")
                .maxPositional(1);
        double seconds = parsed.seconds(0, 5.0);
        boolean fixedLaunches = parsed.has("launches");
        long totalLaunches = parsed.option("launches", 0, 0, 1_000_000);
        int batch = (int) parsed.option("batch", 6, 1, 10_000);
        long kernelMillis = parsed.option("kernel-ms", 40, 1, 10_000);
        long fixedIters = parsed.option("iters", 0, 1, Integer.MAX_VALUE);
        int syncFlag = syncFlag(parsed.text("sync", "block"));

        try {
            // Touch JNA first: a failure here is JNA's own native part, not a missing driver
            Native.getDefaultStringEncoding();
        } catch (Throwable e) {
            out.println("gpu sample: JNA could not load its native support (" + e + "): nothing to run");
            return 1;
        }
        CudaDriver cu;
        try {
            cu = Native.load(library, CudaDriver.class);
        } catch (UnsatisfiedLinkError e) {
            out.println(noGpuLine(library + " not loadable"));
            return 0;
        }

        try (GpuSample gpu = new GpuSample(cu, out)) {
            long t0 = System.nanoTime();
            String missing = gpu.initCuda(syncFlag);
            if (missing != null) {
                out.println(noGpuLine(missing));
                return 0;
            }
            long iters = fixedIters > 0 ? fixedIters : gpu.calibrateKernel(kernelMillis * 1_000_000L);
            long ready = System.nanoTime();
            out.println("gpu sample: " + gpu.deviceDescription + ", JNA " + jnaVersion());
            out.println(String.format(Locale.ROOT,
                    "gpu sample: ready in %d ms (cuInit, context, PTX JIT%s); kernel %s: %d blocks x %d threads,"
                            + " %d iterations of 8 FMA chains per thread", (ready - t0) / 1_000_000,
                    fixedIters > 0 ? "" : ", calibration", KERNEL_NAME, gpu.blocks, THREADS_PER_BLOCK, iters));

            long end = ready + (long) (seconds * 1e9);
            long launches = 0;
            int phases = 0;
            long gpuNanos = 0;
            long cpuNanos = 0;
            long checksum = 0;
            while (fixedLaunches ? launches < totalLaunches : System.nanoTime() < end) {
                int count = (int) (fixedLaunches ? Math.min(batch, totalLaunches - launches) : batch);
                long a = System.nanoTime();
                float[] results = gpu.launchKernels(count, (int) iters, launches);
                long b = System.nanoTime();
                checksum = checksum * 31 + cpuPhase(results);
                long c = System.nanoTime();
                gpuNanos += b - a;
                cpuNanos += c - b;
                launches += count;
                phases++;
            }
            out.println(String.format(Locale.ROOT,
                    "gpu sample: %d launches in %d GPU phases (%.3f s, %.1f ms per launch), %d CPU phases (%.3f s),"
                            + " checksum %s", launches, phases, gpuNanos / 1e9,
                    launches == 0 ? 0.0 : gpuNanos / 1e6 / launches, phases, cpuNanos / 1e9,
                    Long.toHexString(checksum)));
            return 0;
        } catch (CudaException e) {
            out.println("gpu sample: " + e.getMessage());
            return 1;
        }
    }

    /** The one line printed where there is nothing to run on. */
    static String noGpuLine(String reason) {
        return "gpu sample: no NVIDIA GPU/driver found (" + reason + "): nothing to run";
    }

    /**
     * Initialises the driver, picks device 0, creates a context with the given scheduling flag, JIT-loads
     * the PTX and allocates the result buffer. Returns null when ready, or the reason there is nothing to
     * run on (no device, driver without a usable GPU), which is not an error.
     */
    String initCuda(int contextFlags) throws IOException {
        int status = cu.cuInit(0);
        if (status != CUDA_SUCCESS) {
            return "cuInit: " + errorName(status);
        }
        IntByReference count = new IntByReference();
        check(cu.cuDeviceGetCount(count), "cuDeviceGetCount");
        if (count.getValue() == 0) {
            return "the driver sees no CUDA device";
        }
        IntByReference device = new IntByReference();
        check(cu.cuDeviceGet(device, 0), "cuDeviceGet");
        int dev = device.getValue();

        byte[] name = new byte[256];
        check(cu.cuDeviceGetName(name, name.length, dev), "cuDeviceGetName");
        int sms = attribute(dev, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        int major = attribute(dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        IntByReference driver = new IntByReference();
        check(cu.cuDriverGetVersion(driver), "cuDriverGetVersion");
        deviceDescription = String.format(Locale.ROOT, "%s (sm_%d%d, %d SMs), CUDA driver API %d.%d",
                cString(name), major, minor, sms, driver.getValue() / 1000, driver.getValue() % 1000 / 10);

        PointerByReference ctx = new PointerByReference();
        check(cu.cuCtxCreate_v2(ctx, contextFlags, dev), "cuCtxCreate_v2");
        context = ctx.getValue();

        PointerByReference mod = new PointerByReference();
        check(cu.cuModuleLoadData(mod, loadPtx()), "cuModuleLoadData (PTX JIT)");
        module = mod.getValue();
        PointerByReference fn = new PointerByReference();
        check(cu.cuModuleGetFunction(fn, module, KERNEL_NAME), "cuModuleGetFunction " + KERNEL_NAME);
        function = fn.getValue();

        blocks = Math.max(1, sms) * BLOCKS_PER_SM;
        long bytes = (long) blocks * THREADS_PER_BLOCK * Float.BYTES;
        LongByReference buffer = new LongByReference();
        check(cu.cuMemAlloc_v2(buffer, bytes), "cuMemAlloc_v2");
        deviceBuffer = buffer.getValue();
        hostResults = new Memory(bytes);

        kernelParams.setPointer(0, outArgument);
        kernelParams.setPointer(Native.POINTER_SIZE, itersArgument);
        kernelParams.setPointer(2L * Native.POINTER_SIZE, seedArgument);
        outArgument.setLong(0, deviceBuffer);
        return null;
    }

    /**
     * Finds the iteration count for which one launch takes about {@code targetNanos}: times launches of
     * growing size until one is long enough (10 ms) to time reliably, then scales linearly — the kernel's
     * time is proportional to its iterations once the GPU is full.
     */
    long calibrateKernel(long targetNanos) {
        launch(1_024, 0f); // first launch: lazy module and context set-up, not representative
        check(cu.cuCtxSynchronize(), "cuCtxSynchronize");
        long iters = 4_096;
        while (true) {
            long t0 = System.nanoTime();
            launch((int) iters, 0f);
            check(cu.cuCtxSynchronize(), "cuCtxSynchronize");
            long elapsed = System.nanoTime() - t0;
            if (elapsed >= 10_000_000L || iters >= (1L << 28)) {
                long scaled = Math.round((double) iters * targetNanos / Math.max(elapsed, 1));
                return Math.max(1, Math.min(Integer.MAX_VALUE, scaled));
            }
            iters *= 4;
        }
    }

    /**
     * The GPU phase: launches the FMA-burn kernel {@code count} times, waiting for each to finish, then
     * copies the results back. Nearly all of its wall time is spent with the GPU fully busy, so this is
     * the method the GPU's joules belong to.
     */
    float[] launchKernels(int count, int iters, long firstLaunch) {
        for (int i = 0; i < count; i++) {
            launch(iters, (float) ((firstLaunch + i) % 1_000) * 1.0e-3f);
            check(cu.cuCtxSynchronize(), "cuCtxSynchronize");
        }
        long bytes = hostResults.size();
        check(cu.cuMemcpyDtoH_v2(hostResults, deviceBuffer, bytes), "cuMemcpyDtoH_v2");
        return hostResults.getFloatArray(0, (int) (bytes / Float.BYTES));
    }

    /**
     * The CPU phase: post-processes one batch of results on the CPU (a sum, then {@value #CPU_PASSES}
     * chained SHA-256 passes over the raw values) while the GPU idles. Returns a checksum of the results.
     */
    static long cpuPhase(float[] results) {
        double sum = 0;
        for (float value : results) {
            sum += value;
        }
        ByteBuffer bytes = ByteBuffer.allocate(results.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(results);
        byte[] raw = bytes.array();
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        byte[] digest = new byte[0];
        for (int pass = 0; pass < CPU_PASSES; pass++) {
            sha.update(digest);
            digest = sha.digest(raw);
        }
        return Double.doubleToLongBits(sum) ^ ByteBuffer.wrap(digest).getLong();
    }

    /** One asynchronous kernel launch; the caller synchronises. */
    private void launch(int iters, float seed) {
        itersArgument.setInt(0, iters);
        seedArgument.setFloat(0, seed);
        check(cu.cuLaunchKernel(function, blocks, 1, 1, THREADS_PER_BLOCK, 1, 1, 0, null, kernelParams, null),
                "cuLaunchKernel");
    }

    /** Frees the buffer, unloads the module and destroys the context, whatever state init reached. */
    @Override
    public void close() {
        if (deviceBuffer != 0) {
            cu.cuMemFree_v2(deviceBuffer);
            deviceBuffer = 0;
        }
        if (module != null) {
            cu.cuModuleUnload(module);
            module = null;
        }
        if (context != null) {
            cu.cuCtxDestroy_v2(context);
            context = null;
        }
    }

    /** The PTX resource as the NUL-terminated string that {@code cuModuleLoadData} expects. */
    static byte[] loadPtx() throws IOException {
        try (InputStream in = GpuSample.class.getResourceAsStream(PTX_RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + PTX_RESOURCE + " missing from the class path");
            }
            byte[] text = in.readAllBytes();
            return Arrays.copyOf(text, text.length + 1);
        }
    }

    /** Maps {@code sync=} to the context's scheduling flag (CU_CTX_SCHED_*). */
    static int syncFlag(String mode) {
        return switch (mode) {
            case "auto" -> 0;
            case "spin" -> 1;
            case "yield" -> 2;
            case "block" -> 4;
            default -> throw new Args.UsageException(
                    "gpu: sync must be one of block, spin, yield, auto; got '" + mode + "'");
        };
    }

    /**
     * The JNA version actually running. Read reflectively because {@code Native.VERSION} is a compile-time
     * constant that javac would inline (printing the version compiled against, not the one loaded); it
     * is declared in a package-private interface, hence {@code setAccessible}.
     */
    static String jnaVersion() {
        try {
            java.lang.reflect.Field field = Native.class.getField("VERSION");
            field.setAccessible(true);
            return String.valueOf(field.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown";
        }
    }

    private int attribute(int device, int attribute) {
        IntByReference value = new IntByReference();
        check(cu.cuDeviceGetAttribute(value, attribute, device), "cuDeviceGetAttribute " + attribute);
        return value.getValue();
    }

    private void check(int status, String call) {
        if (status != CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + errorName(status));
        }
    }

    private String errorName(int status) {
        PointerByReference name = new PointerByReference();
        if (cu.cuGetErrorName(status, name) == CUDA_SUCCESS && name.getValue() != null) {
            return name.getValue().getString(0, StandardCharsets.US_ASCII.name()) + " (" + status + ")";
        }
        return "CUDA error " + status;
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
