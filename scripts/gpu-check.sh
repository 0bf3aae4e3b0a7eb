#!/usr/bin/env bash
# The NVML path on a real NVIDIA GPU, in one go, for the lent GPU machine (docs/nvml.md, ../shared/GPU.md).
#
# Run from the repository root with the built jars and a jlink'ed runtime in .jre/ carried along:
#   bash scripts/gpu-check.sh
# (agent/target/energy-core.jar may be left behind to save 10 MB: the bench then runs as energy.jar nvml-bench.)
# It needs no Java on the machine, never stops at a failing step (each has a timeout; about 5 min if every
# one ran out), normally finishes in a minute or two, and leaves at most 8 flat files in $OUT:
#   gpu-check.log         everything below, in order
#   doctor.txt            java -jar energy.jar doctor
#   bench-idle.txt        NvmlBench with the GPU idle: call costs, update periods, 100 ms timeline, source check
#   bench-load.txt        the same while the gpu sample runs (if the sample jar has it)
#   gpu-run-stderr.txt    the agent's own lines for the gpu sample run
#   gpu-run-summary.json  energy-summary.json of that run
#   gpu-run-methods.csv   energy-methods.csv of that run
#   gpu-run.collapsed     energy.collapsed of that run
set +e
ROOT=$(pwd)
OUT=${OUT:-$ROOT/gpu-check-out}
mkdir -p "$OUT"
JAVA=${JAVA:-$ROOT/.jre/bin/java}
[ -x "$JAVA" ] || JAVA=$(command -v java)
AGENT=$ROOT/agent/target/energy.jar
CORE=$ROOT/agent/target/energy-core.jar
SAMPLES=$ROOT/sample-apps/target/sample-apps.jar
GPU_SECONDS=${GPU_SECONDS:-8}
WORK=$(mktemp -d)
LOG=$OUT/gpu-check.log
: > "$LOG"

say() { echo "$@" | tee -a "$LOG"; }
step() { say ""; say "=== $* ($(date +%T))"; }
# run FILE TIMEOUT CMD...: stdout+stderr to FILE and the log; says the exit status
run() {
  local file=$1 limit=$2; shift 2
  (cd "$WORK" && timeout --kill-after=5 "$limit" "$@") > "$file" 2>&1
  local rc=$?
  cat "$file" >> "$LOG"
  say "--- exit $rc${file:+ ($(basename "$file"))}"
  return $rc
}

# The bench is in the core: straight from energy-core.jar if it was carried, else through energy.jar.
if [ -f "$CORE" ]; then
  BENCH=("$JAVA" -cp "$CORE" io.energy.power.nvml.NvmlBench)
else
  BENCH=("$JAVA" -jar "$AGENT" nvml-bench)
fi

step "machine"
say "$(date -u +%FT%TZ) $(uname -srm)"
say "java: $JAVA"
"$JAVA" -version 2>&1 | tee -a "$LOG"
ls -l "$AGENT" "$CORE" "$SAMPLES" 2>&1 | tee -a "$LOG"

step "nvidia-smi"
timeout 20 nvidia-smi -L 2>&1 | tee -a "$LOG"
timeout 20 nvidia-smi --query-gpu=index,name,driver_version,power.draw,power.limit,pstate --format=csv 2>&1 | tee -a "$LOG"
say "CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES-<unset>}"

step "doctor"
run "$OUT/doctor.txt" 45 "$JAVA" -jar "$AGENT" doctor
cat "$OUT/doctor.txt"

step "NVML bench, GPU idle"
run "$OUT/bench-idle.txt" 60 "${BENCH[@]}" libnvidia-ml.so.1 3
cat "$OUT/bench-idle.txt"

step "NVML bench while the gpu sample runs"
(cd "$WORK" && exec timeout --kill-after=5 60 "$JAVA" -jar "$SAMPLES" gpu 30) > "$WORK/load-sample.txt" 2>&1 &
LOAD_PID=$!
sleep 4
if kill -0 "$LOAD_PID" 2>/dev/null; then
  run "$OUT/bench-load.txt" 60 "${BENCH[@]}" libnvidia-ml.so.1 3
  cat "$OUT/bench-load.txt"
else
  say "the gpu sample was not running after 4 s, so no bench under load:"
  tee -a "$LOG" < "$WORK/load-sample.txt" | head -20
  cp "$WORK/load-sample.txt" "$OUT/bench-load.txt"
fi
kill "$LOAD_PID" 2>/dev/null
wait "$LOAD_PID" 2>/dev/null
say "gpu sample (background) said:"; tail -5 "$WORK/load-sample.txt" | tee -a "$LOG"

step "agent on the gpu sample: source=auto, $GPU_SECONDS"
run "$OUT/gpu-run-stderr.txt" 120 "$JAVA" \
  "-javaagent:$AGENT=include=io.energy.samples.**,source=auto,out=$WORK/gpu-run" \
  -jar "$SAMPLES" gpu "$GPU_SECONDS"
cat "$OUT/gpu-run-stderr.txt"
cp "$WORK/gpu-run/energy-summary.json" "$OUT/gpu-run-summary.json" 2>/dev/null || say "no energy-summary.json"
cp "$WORK/gpu-run/energy-methods.csv" "$OUT/gpu-run-methods.csv" 2>/dev/null || say "no energy-methods.csv"
cp "$WORK/gpu-run/energy.collapsed" "$OUT/gpu-run.collapsed" 2>/dev/null || say "no energy.collapsed"

step "results in brief"
for f in bench-idle bench-load; do
  say "[$f]"
  grep -E "^(NVML|nvml|load|energy counter|instant power|source over|  total)" "$OUT/$f.txt" 2>/dev/null | tee -a "$LOG"
done
say "[gpu run]"
grep -E "source|gpu:|J in|anomal|GPU energy|nvml" "$OUT/gpu-run-stderr.txt" 2>/dev/null | head -30 | tee -a "$LOG"
grep -E -A10 '"key" ?: ?"gpu:' "$OUT/gpu-run-summary.json" 2>/dev/null | tee -a "$LOG"
grep -E -A10 '"health" ?:' "$OUT/gpu-run-summary.json" 2>/dev/null | tee -a "$LOG"
rm -rf "$WORK"
ls -l "$OUT"
exit 0
