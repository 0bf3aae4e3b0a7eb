package io.energy.power.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few NVML functions the agent calls, as JNA maps them (nvml.h: every function returns an
 * {@code nvmlReturn_t}, an int; {@code nvmlDevice_t} is an opaque pointer; {@code unsigned int} and
 * {@code unsigned long long} out-parameters are int and long references whose bits are read unsigned).
 *
 * <p>Interface mapping rather than direct mapping: it binds each function lazily, so a driver that lacks
 * an optional function (the {@code _v3} process list, say) fails only that call, and tests can load the
 * stand-in library several times. The per-call overhead (a few µs) is small next to NVML's own cost.
 *
 * <p>Structs are passed as raw memory with the offsets in {@link Nvml}, not as JNA {@code Structure}s:
 * the layout is then written down once and checked against a C compiler's in the tests.
 */
public interface NvmlLibrary extends Library {
    int nvmlInit_v2();

    int nvmlShutdown();

    String nvmlErrorString(int result);

    int nvmlSystemGetDriverVersion(byte[] version, int length);

    int nvmlDeviceGetCount_v2(IntByReference deviceCount);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    /** Millijoules since the driver was last loaded; Volta and newer. */
    int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference energy);

    /** Milliwatts. On Ampere and newer a trailing ~1 s average: shown by doctor, never used to attribute. */
    int nvmlDeviceGetPowerUsage(Pointer device, IntByReference power);

    /** {@code values} points at {@code valuesCount} nvmlFieldValue_t structs (40 bytes each). */
    int nvmlDeviceGetFieldValues(Pointer device, int valuesCount, Pointer values);

    /** {@code infos} points at {@code *infoCount} nvmlProcessInfo_t structs (24 bytes each), or is null. */
    int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference infoCount, Pointer infos);

    /** {@code utilization} points at {@code *count} nvmlProcessUtilizationSample_t (32 bytes each), or is null. */
    int nvmlDeviceGetProcessUtilization(Pointer device, Pointer utilization, IntByReference processSamplesCount,
                                        long lastSeenTimeStamp);
}
