// FMA-burn kernel for the gpu sample (io.energy.samples.GpuSample).
//
// Why this shape: the sample needs a GPU phase whose power is high, steady and proportional to its
// length, so that an energy profiler can be checked against it. Eight independent chains of fused
// multiply-adds per thread keep every FP32 pipe busy without touching memory (one store per thread at
// the end), so the kernel is compute-bound on any GPU and its run time scales linearly with `iters`,
// which the sample calibrates to ~40 ms per launch. x -> x * 0.9999 + 0.0001 converges to 1, so the
// values never overflow or turn denormal, whatever the iteration count. The per-thread sum is stored so
// the compiler cannot remove the work, and the host checksums it.
//
// The PTX the sample ships (src/main/resources/io/energy/samples/fma_burn.ptx) is generated from this
// file by make-ptx.sh; the build itself never needs nvcc.

extern "C" __global__ void fma_burn(float *out, int iters, float seed)
{
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    float a0 = seed + 1e-7f * i, a1 = a0 + 0.125f, a2 = a0 + 0.25f, a3 = a0 + 0.375f;
    float a4 = a0 + 0.5f, a5 = a0 + 0.625f, a6 = a0 + 0.75f, a7 = a0 + 0.875f;
    const float m = 0.9999f, c = 1.0e-4f;
#pragma unroll 4
    for (int k = 0; k < iters; ++k) {
        a0 = fmaf(a0, m, c); a1 = fmaf(a1, m, c); a2 = fmaf(a2, m, c); a3 = fmaf(a3, m, c);
        a4 = fmaf(a4, m, c); a5 = fmaf(a5, m, c); a6 = fmaf(a6, m, c); a7 = fmaf(a7, m, c);
    }
    out[i] = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
}
