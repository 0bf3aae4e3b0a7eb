package io.energy.power.nvml;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One initialised NVML: the loaded library, its devices, and the calls the agent makes on them, with
 * NVML's error codes turned into sentences. {@link #close()} balances the {@code nvmlInit_v2} (NVML
 * counts them, so a probe and an open source may overlap).
 */
final class Nvml implements AutoCloseable {
    static final String DEFAULT_LIBRARY = "libnvidia-ml.so.1";

    static final int SUCCESS = 0;
    static final int ERROR_UNINITIALIZED = 1;
    static final int ERROR_NOT_SUPPORTED = 3;
    static final int ERROR_NO_PERMISSION = 4;
    static final int ERROR_NOT_FOUND = 6;
    static final int ERROR_INSUFFICIENT_SIZE = 7;
    static final int ERROR_DRIVER_NOT_LOADED = 9;
    static final int ERROR_LIBRARY_NOT_FOUND = 12;
    static final int ERROR_FUNCTION_NOT_FOUND = 13;
    static final int ERROR_GPU_IS_LOST = 15;
    static final int ERROR_LIB_RM_VERSION_MISMATCH = 18;

    /** {@code NVML_FI_DEV_POWER_INSTANT}: board power now, in mW (a short window, not the 1 s average). */
    static final int FI_DEV_POWER_INSTANT = 186;

    // nvmlFieldValue_t: uint fieldId, uint scopeId, long long timestamp, long long latencyUsec,
    // nvmlValueType_t valueType (an enum, int), nvmlReturn_t nvmlReturn (int), nvmlValue_t value (an 8-byte
    // union). Every member falls on its natural alignment, so there is no padding: 40 bytes.
    static final int FV_SIZE = 40;
    static final int FV_FIELD_ID = 0;
    static final int FV_SCOPE_ID = 4;
    static final int FV_TIMESTAMP = 8;
    static final int FV_LATENCY = 16;
    static final int FV_VALUE_TYPE = 24;
    static final int FV_RETURN = 28;
    static final int FV_VALUE = 32;

    // nvmlProcessInfo_t as the _v3 list function fills it: uint pid, (4 bytes padding), ull usedGpuMemory,
    // uint gpuInstanceId, uint computeInstanceId: 24 bytes. Only pid is read.
    static final int PI_SIZE = 24;
    static final int PI_PID = 0;

    // nvmlProcessUtilizationSample_t: uint pid, (4 bytes padding), ull timeStamp (µs), uint smUtil, memUtil,
    // encUtil, decUtil: 32 bytes.
    static final int PU_SIZE = 32;
    static final int PU_PID = 0;
    static final int PU_TIMESTAMP = 8;
    static final int PU_SM_UTIL = 16;

    private static final int TEXT_BUFFER = 96;

    final NvmlLibrary lib;
    final String library;
    private boolean closed;

    private Nvml(NvmlLibrary lib, String library) {
        this.lib = lib;
        this.library = library;
    }

    /** Why NVML could not be used: a sentence for the log and ways to fix it for doctor. */
    static final class Failure extends Exception {
        final boolean libraryMissing;
        final List<String> fixes;

        Failure(String message, boolean libraryMissing, List<String> fixes) {
            super(message, null, false, false);
            this.libraryMissing = libraryMissing;
            this.fixes = fixes;
        }
    }

    /** Loads the library and initialises NVML. */
    static Nvml open(String library) throws Failure {
        NvmlLibrary lib = load(library);
        int rc;
        try {
            rc = lib.nvmlInit_v2();
        } catch (UnsatisfiedLinkError e) {
            throw new Failure(library + " has no nvmlInit_v2: not an NVML library, or one too old (before driver 346)",
                    false, List.of("point nvml.library=PATH at the NVIDIA driver's libnvidia-ml.so.1"));
        }
        if (rc != SUCCESS) {
            throw new Failure("nvmlInit_v2 failed: " + errorText(lib, rc), false, fixesFor(rc));
        }
        return new Nvml(lib, library);
    }

    static NvmlLibrary load(String library) throws Failure {
        boolean isPath = library.indexOf('/') >= 0;
        if (isPath && !Files.exists(Path.of(library))) {
            throw new Failure("NVML library " + library + " does not exist", true,
                    List.of("point nvml.library=PATH at the NVIDIA driver's libnvidia-ml.so.1"));
        }
        try {
            return Native.load(library, NvmlLibrary.class);
        } catch (UnsatisfiedLinkError e) {
            String why = firstLine(e.getMessage());
            if (isPath) {
                throw new Failure("NVML library " + library + " could not be loaded: " + why, false,
                        List.of("point nvml.library=PATH at the NVIDIA driver's libnvidia-ml.so.1 (64-bit, this machine's)"));
            }
            throw new Failure("NVML library " + library + " not found (no NVIDIA driver here?)", true, List.of(
                    "install the NVIDIA driver, which provides " + library + " (nvidia-smi must work)",
                    "in a container: run it with the NVIDIA Container Toolkit (docker run --gpus all ...)",
                    "or point nvml.library=PATH at libnvidia-ml.so.1 if it lives off the loader's path"));
        } catch (Throwable t) {
            throw new Failure("NVML library " + library + " could not be loaded: " + t, false, List.of());
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown reason";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    static List<String> fixesFor(int rc) {
        switch (rc) {
            case ERROR_DRIVER_NOT_LOADED:
                return List.of("load the NVIDIA kernel driver: nvidia-smi must work first");
            case ERROR_NO_PERMISSION:
                return List.of("give this user read/write access to /dev/nvidia* (often: the video group)");
            case ERROR_LIB_RM_VERSION_MISMATCH:
                return List.of("the NVML library and the loaded kernel driver are different versions: reboot "
                        + "or reload the nvidia kernel module after a driver update");
            case ERROR_LIBRARY_NOT_FOUND:
                return List.of("install the NVIDIA driver completely (nvidia-smi must work)");
            default:
                return List.of("check that nvidia-smi works for this user");
        }
    }

    static String errorText(NvmlLibrary lib, int rc) {
        String s = null;
        try {
            s = lib.nvmlErrorString(rc);
        } catch (Throwable ignored) {
            // an old or broken library: the number alone has to do
        }
        return (s == null || s.isBlank() ? "error" : s) + " (" + rc + ")";
    }

    String errorText(int rc) {
        return errorText(lib, rc);
    }

    /** The driver version, or null if NVML does not say. */
    String driverVersion() {
        try {
            byte[] buf = new byte[TEXT_BUFFER];
            return lib.nvmlSystemGetDriverVersion(buf, buf.length) == SUCCESS ? text(buf) : null;
        } catch (Throwable t) {
            return null;
        }
    }

    /** Every device NVML sees, in its (PCI bus) order. */
    List<Gpu> devices() throws Failure {
        IntByReference count = new IntByReference();
        int rc = lib.nvmlDeviceGetCount_v2(count);
        if (rc != SUCCESS) {
            throw new Failure("nvmlDeviceGetCount_v2 failed: " + errorText(rc), false, fixesFor(rc));
        }
        List<Gpu> out = new ArrayList<>();
        for (int i = 0; i < count.getValue(); i++) {
            PointerByReference handle = new PointerByReference();
            rc = lib.nvmlDeviceGetHandleByIndex_v2(i, handle);
            if (rc != SUCCESS) {
                // one unusable device (no permission, lost) does not hide the others
                out.add(new Gpu(this, i, null, "device " + i, "?", "nvmlDeviceGetHandleByIndex_v2: " + errorText(rc)));
                continue;
            }
            Pointer h = handle.getValue();
            byte[] buf = new byte[TEXT_BUFFER];
            String name = lib.nvmlDeviceGetName(h, buf, buf.length) == SUCCESS ? text(buf) : "device " + i;
            buf = new byte[TEXT_BUFFER];
            String uuid = lib.nvmlDeviceGetUUID(h, buf, buf.length) == SUCCESS ? text(buf) : "?";
            out.add(new Gpu(this, i, h, name, uuid, null));
        }
        return out;
    }

    private static String text(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8).trim();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                lib.nvmlShutdown();
            } catch (Throwable ignored) {
                // shutting down is best effort: the process is usually about to end
            }
        }
    }

    /**
     * One device and reusable buffers for its calls. Not thread-safe: one thread (the collector) reads it.
     */
    static final class Gpu {
        final Nvml nvml;
        final int index;
        final Pointer handle;
        final String name;
        final String uuid;
        /** Why the device cannot be used at all, or null. */
        final String unusable;
        private final LongByReference energy = new LongByReference();
        private final IntByReference power = new IntByReference();
        private final Memory field = new Memory(FV_SIZE);
        private final IntByReference count = new IntByReference();
        private Memory processes;
        private Memory samples;
        /** NVML's utilisation samples are stamped in wall-clock µs; older ones are not this run's. */
        private long lastSeenMicros = System.currentTimeMillis() * 1000L;
        /** The value of the last successful read of each kind. */
        long energyMillijoules;
        double instantWatts;
        int powerMilliwatts;

        Gpu(Nvml nvml, int index, Pointer handle, String name, String uuid, String unusable) {
            this.nvml = nvml;
            this.index = index;
            this.handle = handle;
            this.name = name;
            this.uuid = uuid;
            this.unusable = unusable;
        }

        /** "GPU-1a2b3c4d": enough of the UUID to tell GPUs apart in a line of text. */
        String shortUuid() {
            return uuid.length() > 12 && uuid.startsWith("GPU-") ? uuid.substring(0, 12) : uuid;
        }

        /** Reads the total energy counter into {@link #energyMillijoules}; returns the NVML code. */
        int readEnergy() {
            int rc = nvml.lib.nvmlDeviceGetTotalEnergyConsumption(handle, energy);
            if (rc == SUCCESS) {
                energyMillijoules = energy.getValue();
                if (energyMillijoules < 0) {
                    // beyond 2^63 mJ (292 million years at 1 kW): only a garbage value gets here
                    return ERROR_INSUFFICIENT_SIZE;
                }
            }
            return rc;
        }

        /** Reads {@code NVML_FI_DEV_POWER_INSTANT} into {@link #instantWatts}; returns the NVML code. */
        int readInstant() {
            field.clear();
            field.setInt(FV_FIELD_ID, FI_DEV_POWER_INSTANT);
            field.setInt(FV_SCOPE_ID, 0); // NVML_POWER_SCOPE_GPU: the board, as the energy counter
            int rc = nvml.lib.nvmlDeviceGetFieldValues(handle, 1, field);
            if (rc != SUCCESS) {
                return rc;
            }
            int fieldRc = field.getInt(FV_RETURN);
            if (fieldRc != SUCCESS) {
                return fieldRc;
            }
            double mw = fieldValue(field, 0);
            if (Double.isNaN(mw)) {
                return ERROR_NOT_SUPPORTED;
            }
            instantWatts = mw / 1000.0;
            return SUCCESS;
        }

        /** {@code nvmlDeviceGetPowerUsage} into {@link #powerMilliwatts}: for doctor only. */
        int readPowerUsage() {
            int rc = nvml.lib.nvmlDeviceGetPowerUsage(handle, power);
            if (rc == SUCCESS) {
                powerMilliwatts = power.getValue();
            }
            return rc;
        }

        /** The PIDs with a compute context on this device, or null if NVML cannot say. */
        long[] computePids() {
            for (int attempt = 0; attempt < 3; attempt++) {
                int capacity = processes == null ? 0 : (int) (processes.size() / PI_SIZE);
                count.setValue(capacity);
                int rc;
                try {
                    rc = nvml.lib.nvmlDeviceGetComputeRunningProcesses_v3(handle, count, processes);
                } catch (UnsatisfiedLinkError e) {
                    return null;
                }
                if (rc == ERROR_INSUFFICIENT_SIZE) {
                    // room for a few more: processes come and go between the two calls
                    processes = new Memory((long) (count.getValue() + 8) * PI_SIZE);
                    continue;
                }
                if (rc != SUCCESS) {
                    return null;
                }
                int n = Math.min(count.getValue(), capacity);
                long[] pids = new long[n];
                for (int i = 0; i < n; i++) {
                    pids[i] = processes.getInt((long) i * PI_SIZE + PI_PID) & 0xFFFF_FFFFL;
                }
                return pids;
            }
            return null;
        }

        /**
         * SM utilisation samples per process since the previous call: {@code [pid, smUtil]} pairs in one
         * array, an empty array if there were none, or null if NVML cannot say.
         */
        long[] processUtilization() {
            for (int attempt = 0; attempt < 3; attempt++) {
                int capacity = samples == null ? 0 : (int) (samples.size() / PU_SIZE);
                count.setValue(capacity);
                int rc;
                try {
                    rc = nvml.lib.nvmlDeviceGetProcessUtilization(handle, samples, count, lastSeenMicros);
                } catch (UnsatisfiedLinkError e) {
                    return null;
                }
                if (rc == ERROR_NOT_FOUND) {
                    return new long[0]; // no process ran a kernel since lastSeen
                }
                if (rc == ERROR_INSUFFICIENT_SIZE || (rc == SUCCESS && samples == null)) {
                    samples = new Memory((long) (Math.max(count.getValue(), 1) + 8) * PU_SIZE);
                    continue;
                }
                if (rc != SUCCESS) {
                    return null;
                }
                int n = Math.min(count.getValue(), capacity);
                long[] out = new long[2 * n];
                for (int i = 0; i < n; i++) {
                    long base = (long) i * PU_SIZE;
                    out[2 * i] = samples.getInt(base + PU_PID) & 0xFFFF_FFFFL;
                    out[2 * i + 1] = samples.getInt(base + PU_SM_UTIL) & 0xFFFF_FFFFL;
                    lastSeenMicros = Math.max(lastSeenMicros, samples.getLong(base + PU_TIMESTAMP));
                }
                return out;
            }
            return null;
        }
    }

    /** An nvmlFieldValue_t's value as a double, whatever its nvmlValueType_t; NaN for an unknown type. */
    static double fieldValue(Pointer values, int i) {
        long base = (long) i * FV_SIZE;
        long v = base + FV_VALUE;
        switch (values.getInt(base + FV_VALUE_TYPE)) {
            case 0: // double
                return values.getDouble(v);
            case 1: // unsigned int
                return values.getInt(v) & 0xFFFF_FFFFL;
            case 2: // unsigned long (64-bit on the Linux ABI)
            case 3: // unsigned long long
                long u = values.getLong(v);
                return u >= 0 ? u : Double.NaN;
            case 4: // signed long long
                return values.getLong(v);
            case 5: // signed int
                return values.getInt(v);
            case 6: // unsigned short
                return values.getShort(v) & 0xFFFF;
            default:
                return Double.NaN;
        }
    }
}
