/*
 * A stand-in for libnvidia-ml.so.1: the NVML functions the agent binds, with the same names and C
 * signatures, whose behaviour comes from a small script. The agent's JNA binding is tested for real
 * against it (struct layouts, out-parameters, error codes), so that the only thing left for a real
 * GPU to check is the driver itself.
 *
 * Build: gcc -shared -fPIC -O1 -o libnvidia-ml.so.1 fake_nvml.c
 *
 * The script is read at the first nvmlInit_v2 (init/shutdown are reference counted, like NVML's).
 * Its path comes from fake_nvml_set_script() if a test called it, else from $FAKE_NVML_SCRIPT; with
 * neither, there is one device drawing 100 W. Lines (# starts a comment):
 *
 *   init_error CODE                 nvmlInit_v2 returns CODE
 *   devices N                       number of devices (default: highest device index named + 1)
 *   name I TEXT...                  device I's name (default: NVIDIA Fake GPU, the same for all)
 *   uuid I TEXT                     device I's UUID (default GPU-00000000-0000-0000-0000-00000000000I)
 *   energy I BASE_MJ WATTS          energy counter: BASE_MJ + integral of power, power WATTS from t=0
 *   instant I WATTS                 NVML_FI_DEV_POWER_INSTANT from t=0 (default: the counter's watts)
 *   phase I AT_MS WATTS INSTANT_W   from AT_MS on, the counter integrates WATTS and the field says INSTANT_W
 *   jump I AT_MS DELTA_MJ           the counter moves by DELTA_MJ (may be negative) at AT_MS
 *   counter_period_ms MS            the counter only moves every MS ms, like the real one (default 100)
 *   fail FUNCTION CODE [I [FROM_MS]] FUNCTION returns CODE (for device I only, unless I is -1; from FROM_MS on)
 *   field_fail I CODE               the per-field nvmlReturn of the instant power field on device I
 *   slow FUNCTION MS                FUNCTION burns MS ms of CPU time (not sleep: the real energy read
 *                                   costs CPU, and the agent reports CPU time)
 *   process I PID SM_UTIL           a compute process on device I; PID 0 means the calling process
 *
 * Time is milliseconds since the first nvmlInit_v2, or whatever fake_nvml_set_time_ms() last set
 * (tests use that to be exact without sleeping). The extra fake_nvml_* functions let a test script
 * the library in-process and count calls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef int nvmlReturn_t;

enum {
    NVML_SUCCESS = 0,
    NVML_ERROR_UNINITIALIZED = 1,
    NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_SUPPORTED = 3,
    NVML_ERROR_INSUFFICIENT_SIZE = 7,
    NVML_ERROR_NOT_FOUND = 6,
    NVML_ERROR_UNKNOWN = 999
};

#define NVML_FI_DEV_TOTAL_ENERGY_CONSUMPTION 83
#define NVML_FI_DEV_POWER_INSTANT 186
#define NVML_VALUE_TYPE_UNSIGNED_INT 1
#define NVML_VALUE_TYPE_UNSIGNED_LONG_LONG 3

/* The layouts of nvml.h, declared here independently. */
typedef union {
    double dVal;
    unsigned int uiVal;
    unsigned long ulVal;
    unsigned long long ullVal;
    long long sllVal;
    int siVal;
    unsigned short usVal;
} nvmlValue_t;

typedef struct {
    unsigned int fieldId;
    unsigned int scopeId;
    long long timestamp;
    long long latencyUsec;
    int valueType;
    nvmlReturn_t nvmlReturn;
    nvmlValue_t value;
} nvmlFieldValue_t;

typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} nvmlProcessInfo_t;

typedef struct {
    unsigned int pid;
    unsigned long long timeStamp;
    unsigned int smUtil;
    unsigned int memUtil;
    unsigned int encUtil;
    unsigned int decUtil;
} nvmlProcessUtilizationSample_t;

#define MAX_DEV 16
#define MAX_PHASE 32
#define MAX_PROC 32
#define MAX_RULE 64
#define MAX_COUNT 32

struct phase {
    long long at_ms;
    double watts;
    double instant;
};

struct jump {
    long long at_ms;
    long long delta_mj;
};

struct device {
    char name[96];
    char uuid[96];
    long long base_mj;
    int nphase;
    struct phase phases[MAX_PHASE];
    int instant_set;
    int njump;
    struct jump jumps[MAX_PHASE];
    int field_rc;
    int nproc;
    unsigned int pids[MAX_PROC];
    unsigned int smutil[MAX_PROC];
};

struct rule {
    char function[64];
    int device; /* -1: every device */
    int code;
    int slow_ms;
    long long from_ms;
};

struct counter {
    char function[64];
    long calls;
};

static int refcount;
static int init_rc;
static int ndev;
static struct device devices[MAX_DEV];
static int nrule;
static struct rule rules[MAX_RULE];
static int ncount;
static struct counter counts[MAX_COUNT];
static long long period_ms = 100;
static struct timespec started;
static long long virtual_ms = -1;
static char script_override[4096];

static void count_call(const char *fn) {
    for (int i = 0; i < ncount; i++) {
        if (strcmp(counts[i].function, fn) == 0) {
            counts[i].calls++;
            return;
        }
    }
    if (ncount < MAX_COUNT) {
        snprintf(counts[ncount].function, sizeof counts[ncount].function, "%s", fn);
        counts[ncount++].calls = 1;
    }
}

static double now_ms(void) {
    if (virtual_ms >= 0) {
        return (double) virtual_ms;
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - started.tv_sec) * 1e3 + (t.tv_nsec - started.tv_nsec) / 1e6;
}

static long long wall_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

static void burn_cpu_ms(int ms) {
    struct timespec t0, t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    volatile unsigned long sink = 0;
    do {
        for (int i = 0; i < 10000; i++) {
            sink += i;
        }
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1e3 + (t.tv_nsec - t0.tv_nsec) / 1e6 < ms);
}

/* The return code scripted for a function on a device (burning CPU first if it is scripted slow). */
static int scripted(const char *fn, int dev) {
    count_call(fn);
    int rc = NVML_SUCCESS;
    for (int i = 0; i < nrule; i++) {
        if (strcmp(rules[i].function, fn) == 0 && (rules[i].device < 0 || rules[i].device == dev)
            && now_ms() >= (double) rules[i].from_ms) {
            if (rules[i].slow_ms > 0) {
                burn_cpu_ms(rules[i].slow_ms);
            } else {
                rc = rules[i].code;
            }
        }
    }
    return rc;
}

static struct device *dev_of(void *handle, int *index) {
    struct device *d = (struct device *) handle;
    if (d < devices || d >= devices + ndev) {
        return NULL;
    }
    *index = (int) (d - devices);
    return d;
}

static const struct phase *phase_at(const struct device *d, double t) {
    const struct phase *p = &d->phases[0];
    for (int i = 1; i < d->nphase; i++) {
        if (d->phases[i].at_ms <= t) {
            p = &d->phases[i];
        }
    }
    return p;
}

/* Counter value at time t: base + integral of the phases' watts up to the last counter update. */
static unsigned long long energy_mj(const struct device *d, double t) {
    if (period_ms > 0) {
        t = (double) ((long long) (t / period_ms) * period_ms);
    }
    double mj = 0;
    for (int i = 0; i < d->nphase; i++) {
        double from = (double) d->phases[i].at_ms;
        double to = i + 1 < d->nphase ? (double) d->phases[i + 1].at_ms : t;
        if (to > t) {
            to = t;
        }
        if (to > from) {
            mj += d->phases[i].watts * (to - from); /* W x ms = mJ */
        }
    }
    long long v = d->base_mj + (long long) mj;
    for (int i = 0; i < d->njump; i++) {
        if (d->jumps[i].at_ms <= t) {
            v += d->jumps[i].delta_mj;
        }
    }
    return (unsigned long long) (v < 0 ? 0 : v);
}

static int parse_error;

static void bad_line(int line, const char *text) {
    fprintf(stderr, "fake_nvml: cannot read script line %d: %s\n", line, text);
    parse_error = 1;
}

static struct device *device_arg(int i) {
    if (i < 0 || i >= MAX_DEV) {
        return NULL;
    }
    if (i >= ndev) {
        ndev = i + 1;
    }
    return &devices[i];
}

static void add_phase(struct device *d, long long at, double watts, double instant) {
    if (d->nphase < MAX_PHASE) {
        d->phases[d->nphase].at_ms = at;
        d->phases[d->nphase].watts = watts;
        d->phases[d->nphase].instant = instant;
        d->nphase++;
    }
}

static void reset(void) {
    memset(devices, 0, sizeof devices);
    ndev = 0;
    nrule = 0;
    init_rc = NVML_SUCCESS;
    period_ms = 100;
    parse_error = 0;
    for (int i = 0; i < MAX_DEV; i++) {
        snprintf(devices[i].name, sizeof devices[i].name, "%s", "NVIDIA Fake GPU");
        snprintf(devices[i].uuid, sizeof devices[i].uuid, "GPU-00000000-0000-0000-0000-%012d", i);
        devices[i].nphase = 1;
        devices[i].phases[0].watts = 100;
        devices[i].phases[0].instant = 100;
    }
}

static void read_script(const char *path) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "fake_nvml: cannot open script %s: %s\n", path, strerror(errno));
        parse_error = 1;
        return;
    }
    char buf[512];
    int line = 0;
    int explicit_count = -1;
    while (fgets(buf, sizeof buf, f) != NULL) {
        line++;
        buf[strcspn(buf, "\r\n")] = 0;
        char *s = buf + strspn(buf, " \t");
        if (*s == 0 || *s == '#') {
            continue;
        }
        char key[64], text[96];
        int i, n;
        long long a, b;
        double w, x;
        struct device *d;
        if (sscanf(s, "%63s", key) != 1) {
            continue;
        }
        if (strcmp(key, "init_error") == 0 && sscanf(s, "%*s %d", &init_rc) == 1) {
        } else if (strcmp(key, "devices") == 0 && sscanf(s, "%*s %d", &explicit_count) == 1) {
        } else if (strcmp(key, "name") == 0 && sscanf(s, "%*s %d %n", &i, &n) == 1 && (d = device_arg(i))) {
            snprintf(d->name, sizeof d->name, "%s", s + n);
        } else if (strcmp(key, "uuid") == 0 && sscanf(s, "%*s %d %95s", &i, text) == 2 && (d = device_arg(i))) {
            snprintf(d->uuid, sizeof d->uuid, "%s", text);
        } else if (strcmp(key, "energy") == 0 && sscanf(s, "%*s %d %lld %lf", &i, &a, &w) == 3
                   && (d = device_arg(i))) {
            d->base_mj = a;
            d->phases[0].watts = w;
            if (!d->instant_set) {
                d->phases[0].instant = w;
            }
        } else if (strcmp(key, "instant") == 0 && sscanf(s, "%*s %d %lf", &i, &w) == 2 && (d = device_arg(i))) {
            d->phases[0].instant = w;
            d->instant_set = 1;
        } else if (strcmp(key, "phase") == 0 && sscanf(s, "%*s %d %lld %lf %lf", &i, &a, &w, &x) == 4
                   && (d = device_arg(i))) {
            add_phase(d, a, w, x);
        } else if (strcmp(key, "jump") == 0 && sscanf(s, "%*s %d %lld %lld", &i, &a, &b) == 3
                   && (d = device_arg(i)) && d->njump < MAX_PHASE) {
            d->jumps[d->njump].at_ms = a;
            d->jumps[d->njump].delta_mj = b;
            d->njump++;
        } else if (strcmp(key, "counter_period_ms") == 0 && sscanf(s, "%*s %lld", &period_ms) == 1) {
        } else if (strcmp(key, "field_fail") == 0 && sscanf(s, "%*s %d %d", &i, &n) == 2 && (d = device_arg(i))) {
            d->field_rc = n;
        } else if (strcmp(key, "fail") == 0 && nrule < MAX_RULE
                   && (n = sscanf(s, "%*s %63s %d %d %lld", rules[nrule].function, &rules[nrule].code, &i, &a)) >= 2) {
            rules[nrule].device = n >= 3 ? i : -1;
            rules[nrule].from_ms = n >= 4 ? a : 0;
            rules[nrule].slow_ms = 0;
            nrule++;
        } else if (strcmp(key, "slow") == 0 && nrule < MAX_RULE
                   && sscanf(s, "%*s %63s %d", rules[nrule].function, &rules[nrule].slow_ms) == 2) {
            rules[nrule].device = -1;
            rules[nrule].code = 0;
            rules[nrule].from_ms = 0;
            nrule++;
        } else if (strcmp(key, "process") == 0 && sscanf(s, "%*s %d %lld %lld", &i, &a, &b) == 3
                   && (d = device_arg(i)) && d->nproc < MAX_PROC) {
            d->pids[d->nproc] = a == 0 ? (unsigned int) getpid() : (unsigned int) a;
            d->smutil[d->nproc] = (unsigned int) b;
            d->nproc++;
        } else {
            bad_line(line, s);
        }
    }
    fclose(f);
    if (explicit_count >= 0) {
        ndev = explicit_count;
    }
    for (int k = 0; k < MAX_DEV; k++) {
        struct device *d = &devices[k];
        /* phases are kept in time order so the integral can walk them */
        for (int p = 1; p < d->nphase; p++) {
            for (int q = p; q > 1 && d->phases[q].at_ms < d->phases[q - 1].at_ms; q--) {
                struct phase t = d->phases[q];
                d->phases[q] = d->phases[q - 1];
                d->phases[q - 1] = t;
            }
        }
    }
}

/* ---- control functions for tests ---- */

void fake_nvml_set_script(const char *path) {
    snprintf(script_override, sizeof script_override, "%s", path == NULL ? "" : path);
}

void fake_nvml_set_time_ms(long long ms) {
    virtual_ms = ms;
}

long fake_nvml_calls(const char *fn) {
    for (int i = 0; i < ncount; i++) {
        if (strcmp(counts[i].function, fn) == 0) {
            return counts[i].calls;
        }
    }
    return 0;
}

int fake_nvml_refcount(void) {
    return refcount;
}

/* sizeof and offsetof of the structs as this compiler lays them out, for the binding's layout test. */
int fake_nvml_layout(long long *out, int n) {
    long long v[] = {
        sizeof(nvmlFieldValue_t), offsetof(nvmlFieldValue_t, fieldId), offsetof(nvmlFieldValue_t, scopeId),
        offsetof(nvmlFieldValue_t, timestamp), offsetof(nvmlFieldValue_t, latencyUsec),
        offsetof(nvmlFieldValue_t, valueType), offsetof(nvmlFieldValue_t, nvmlReturn),
        offsetof(nvmlFieldValue_t, value),
        sizeof(nvmlProcessInfo_t), offsetof(nvmlProcessInfo_t, pid),
        sizeof(nvmlProcessUtilizationSample_t), offsetof(nvmlProcessUtilizationSample_t, pid),
        offsetof(nvmlProcessUtilizationSample_t, timeStamp), offsetof(nvmlProcessUtilizationSample_t, smUtil),
    };
    int total = (int) (sizeof v / sizeof v[0]);
    for (int i = 0; i < n && i < total; i++) {
        out[i] = v[i];
    }
    return total;
}

/* ---- NVML ---- */

nvmlReturn_t nvmlInit_v2(void) {
    count_call("nvmlInit_v2");
    if (refcount == 0) {
        reset();
        const char *path = script_override[0] ? script_override : getenv("FAKE_NVML_SCRIPT");
        if (path != NULL && path[0]) {
            read_script(path);
        } else {
            ndev = 1;
        }
        if (parse_error) {
            return NVML_ERROR_UNKNOWN;
        }
        if (init_rc != NVML_SUCCESS) {
            return init_rc;
        }
        clock_gettime(CLOCK_MONOTONIC, &started);
    }
    refcount++;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown(void) {
    count_call("nvmlShutdown");
    if (refcount == 0) {
        return NVML_ERROR_UNINITIALIZED;
    }
    refcount--;
    return NVML_SUCCESS;
}

const char *nvmlErrorString(nvmlReturn_t rc) {
    switch (rc) {
        case 0: return "Success";
        case 1: return "Uninitialized";
        case 2: return "Invalid Argument";
        case 3: return "Not Supported";
        case 4: return "Insufficient Permissions";
        case 6: return "Not Found";
        case 7: return "Insufficient Size";
        case 9: return "Driver Not Loaded";
        case 15: return "GPU is lost";
        default: return "Unknown Error";
    }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
    int rc = scripted("nvmlSystemGetDriverVersion", -1);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (length < 10) {
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    snprintf(version, length, "%s", "999.99.99");
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
    if (refcount == 0) {
        return NVML_ERROR_UNINITIALIZED;
    }
    int rc = scripted("nvmlDeviceGetCount_v2", -1);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    *count = (unsigned int) ndev;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, void **device) {
    if (refcount == 0) {
        return NVML_ERROR_UNINITIALIZED;
    }
    int rc = scripted("nvmlDeviceGetHandleByIndex_v2", (int) index);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (index >= (unsigned int) ndev || device == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    *device = &devices[index];
    return NVML_SUCCESS;
}

static nvmlReturn_t copy_text(const char *fn, void *device, char *out, unsigned int length, int uuid) {
    int i;
    struct device *d = dev_of(device, &i);
    if (refcount == 0) {
        return NVML_ERROR_UNINITIALIZED;
    }
    if (d == NULL || out == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    int rc = scripted(fn, i);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    const char *text = uuid ? d->uuid : d->name;
    if (strlen(text) + 1 > length) {
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    memcpy(out, text, strlen(text) + 1);
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(void *device, char *name, unsigned int length) {
    return copy_text("nvmlDeviceGetName", device, name, length, 0);
}

nvmlReturn_t nvmlDeviceGetUUID(void *device, char *uuid, unsigned int length) {
    return copy_text("nvmlDeviceGetUUID", device, uuid, length, 1);
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(void *device, unsigned long long *energy) {
    int i;
    struct device *d = dev_of(device, &i);
    if (refcount == 0) {
        return NVML_ERROR_UNINITIALIZED;
    }
    if (d == NULL || energy == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    int rc = scripted("nvmlDeviceGetTotalEnergyConsumption", i);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    *energy = energy_mj(d, now_ms());
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(void *device, unsigned int *power) {
    int i;
    struct device *d = dev_of(device, &i);
    if (refcount == 0) {
        return NVML_ERROR_UNINITIALIZED;
    }
    if (d == NULL || power == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    int rc = scripted("nvmlDeviceGetPowerUsage", i);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    *power = (unsigned int) (phase_at(d, now_ms())->watts * 1000);
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetFieldValues(void *device, int valuesCount, nvmlFieldValue_t *values) {
    int i;
    struct device *d = dev_of(device, &i);
    if (refcount == 0) {
        return NVML_ERROR_UNINITIALIZED;
    }
    if (d == NULL || values == NULL || valuesCount < 0) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    int rc = scripted("nvmlDeviceGetFieldValues", i);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    double t = now_ms();
    for (int k = 0; k < valuesCount; k++) {
        nvmlFieldValue_t *v = &values[k];
        v->timestamp = wall_us();
        v->latencyUsec = 0;
        if (v->fieldId == NVML_FI_DEV_POWER_INSTANT) {
            v->nvmlReturn = d->field_rc;
            v->valueType = NVML_VALUE_TYPE_UNSIGNED_INT;
            v->value.ullVal = 0;
            v->value.uiVal = (unsigned int) (phase_at(d, t)->instant * 1000 + 0.5);
        } else if (v->fieldId == NVML_FI_DEV_TOTAL_ENERGY_CONSUMPTION) {
            v->nvmlReturn = NVML_SUCCESS;
            v->valueType = NVML_VALUE_TYPE_UNSIGNED_LONG_LONG;
            v->value.ullVal = energy_mj(d, t);
        } else {
            v->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
        }
    }
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(void *device, unsigned int *infoCount,
                                                     nvmlProcessInfo_t *infos) {
    int i;
    struct device *d = dev_of(device, &i);
    if (refcount == 0) {
        return NVML_ERROR_UNINITIALIZED;
    }
    if (d == NULL || infoCount == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    int rc = scripted("nvmlDeviceGetComputeRunningProcesses_v3", i);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (*infoCount < (unsigned int) d->nproc) {
        *infoCount = (unsigned int) d->nproc;
        return d->nproc == 0 ? NVML_SUCCESS : NVML_ERROR_INSUFFICIENT_SIZE;
    }
    if (infos == NULL && d->nproc > 0) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    for (int k = 0; k < d->nproc; k++) {
        infos[k].pid = d->pids[k];
        infos[k].usedGpuMemory = 1ULL << 30;
        infos[k].gpuInstanceId = 0xFFFFFFFFu;
        infos[k].computeInstanceId = 0xFFFFFFFFu;
    }
    *infoCount = (unsigned int) d->nproc;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetProcessUtilization(void *device, nvmlProcessUtilizationSample_t *utilization,
                                             unsigned int *processSamplesCount,
                                             unsigned long long lastSeenTimeStamp) {
    int i;
    struct device *d = dev_of(device, &i);
    if (refcount == 0) {
        return NVML_ERROR_UNINITIALIZED;
    }
    if (d == NULL || processSamplesCount == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    int rc = scripted("nvmlDeviceGetProcessUtilization", i);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (d->nproc == 0) {
        return NVML_ERROR_NOT_FOUND;
    }
    if (utilization == NULL || *processSamplesCount < (unsigned int) d->nproc) {
        *processSamplesCount = (unsigned int) d->nproc;
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    long long ts = wall_us();
    if ((unsigned long long) ts <= lastSeenTimeStamp) {
        ts = (long long) lastSeenTimeStamp + 1;
    }
    for (int k = 0; k < d->nproc; k++) {
        utilization[k].pid = d->pids[k];
        utilization[k].timeStamp = (unsigned long long) ts;
        utilization[k].smUtil = d->smutil[k];
        utilization[k].memUtil = 0;
        utilization[k].encUtil = 0;
        utilization[k].decUtil = 0;
    }
    *processSamplesCount = (unsigned int) d->nproc;
    return NVML_SUCCESS;
}
