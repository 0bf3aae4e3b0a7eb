/**
 * NVIDIA GPUs through NVML (JNA, unrelocated, isolated by the agent's loader): the total-energy counter shaped
 * by instant power, per-process shares, {@code CUDA_VISIBLE_DEVICES}. A {@code power.PowerSource}. Core: the
 * agent's <b>private class loader</b>.
 */
package io.energy.power.nvml;
