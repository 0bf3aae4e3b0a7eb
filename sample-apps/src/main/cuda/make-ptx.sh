#!/bin/sh
# Regenerates src/main/resources/io/energy/samples/fma_burn.ptx from kernel.cu. Run it after editing the
# kernel and commit the result: the Maven build only copies the .ptx, it never needs nvcc.
#
# Why the header is rewritten: nvcc 13 cannot target anything older than compute_75 and stamps its own
# PTX ISA version (9.0, which only drivers >= 580 accept). The kernel uses nothing newer than PTX ISA 6.0
# / sm_70 (fma.rn.f32, ld.param, st.global, plain branches), so declaring `.version 6.0` and
# `.target sm_70` lets any driver since CUDA 9 JIT it on any Volta-or-newer GPU. ptxas then checks the
# rewritten file for a few real targets, so a kernel change that needs newer PTX fails here, not on a GPU.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/io/energy/samples/fma_burn.ptx"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nvcc -ptx -arch=compute_75 "$here/kernel.cu" -o "$tmp/kernel.ptx"
{
    echo "// Generated from sample-apps/src/main/cuda/kernel.cu by make-ptx.sh, which lowered .version and"
    echo "// .target below to 6.0 / sm_70 (see there why). Do not edit by hand."
    sed -e 's/^\.version .*/.version 6.0/' -e 's/^\.target .*/.target sm_70/' "$tmp/kernel.ptx"
} > "$tmp/fma_burn.ptx"
grep -q '^\.version 6\.0$' "$tmp/fma_burn.ptx"
grep -q '^\.target sm_70$' "$tmp/fma_burn.ptx"
for arch in sm_75 sm_80 sm_90; do
    ptxas -arch="$arch" "$tmp/fma_burn.ptx" -o "$tmp/check-$arch.cubin"
done
cp "$tmp/fma_burn.ptx" "$out"
echo "wrote $out"
