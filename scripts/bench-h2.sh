#!/usr/bin/env bash
# The agent's overhead on a real third-party library: H2 2.x in memory (io.energy.bench.H2Bench: 300 000
# inserts, 20 000 indexed aggregate queries, 3 group-by), run plain and under the agent with two include
# patterns, in paired, interleaved rounds: each round runs every configuration once, the order rotating from
# round to round, so that a machine whose load drifts (other people's builds) weighs on all of them alike.
# Ratios are taken within a round (configuration / plain of the same round); medians and spread (min–max)
# over the rounds. Wall time is the whole process, start-up and the agent's final writes included; CPU time
# is user + sys of the process (less sensitive to other load than wall time on a shared machine).
#
# Run from the repository root after `mvn -B -DskipTests package -pl agent,benchmarks -am`. Knobs:
#   ROUNDS=3  JAVA=java  OUT=target/bench-h2  ARGS="rows=300000 lookups=20000 groups=3"
#   EXTRA="name=options ..."  more agent configurations, e.g. EXTRA="all-off=include=org.h2.**,overhead=off"
#   BASE="plain pkg3 all"  which of the built-in configurations run (plain is always needed: ratios are to it),
#     e.g. BASE=plain EXTRA="whole=log=quiet" for the whole-program overhead alone
# Prints the table and the budget's own report (what it unwove, when, why) and writes them to
# $OUT/h2-results.txt.
set -euo pipefail

cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
OUT=${OUT:-target/bench-h2}
ROUNDS=${ROUNDS:-3}
ARGS=${ARGS:-rows=300000 lookups=20000 groups=3}
AGENT=agent/target/energy.jar
BENCH=benchmarks/target/benchmarks.jar
for f in "$AGENT" "$BENCH"; do
  [[ -f $f ]] || { echo "missing $f: build first with mvn -B -DskipTests package -pl agent,benchmarks -am" >&2; exit 2; }
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/h2-results.txt
: > "$RESULTS"
say() { echo "$*" | tee -a "$RESULTS"; }

read -r -a NAMES <<< "${BASE:-plain pkg3 all}"
declare -A OPTS=([plain]="" [pkg3]="include=org.h2.command.**;org.h2.index.**;org.h2.table.**" [all]="include=org.h2.**")
for e in ${EXTRA:-}; do
  NAMES+=("${e%%=*}")
  OPTS[${e%%=*}]=${e#*=}
done

say "== H2 overhead benchmark, $(date -u +%FT%TZ) =="
say "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
say "java: $("$JAVA" -version 2>&1 | head -1)"
say "load at start: $(cut -d' ' -f1-3 /proc/loadavg) (shared machine: other people's builds run beside this)"
say "workload: H2Bench $ARGS; rounds: $ROUNDS"
for n in "${NAMES[@]}"; do say "  $n: ${OPTS[$n]:-(no agent)}"; done

# One run: appends "round name wall_s cpu_s work_s" to $OUT/runs.txt.
run_one() {
  local round=$1 name=$2
  local dir=$OUT/$name-$round
  rm -rf "$dir"; mkdir -p "$dir"
  local agent=()
  [[ -n ${OPTS[$name]} ]] && agent=("-javaagent:$AGENT=${OPTS[$name]},out=$dir/out,top=0,log=quiet")
  local t0=${EPOCHREALTIME/./}
  /usr/bin/time -f "%U %S" -o "$dir/time" "$JAVA" "${agent[@]}" -cp "$BENCH" io.energy.bench.H2Bench $ARGS \
    > "$dir/stdout" 2> "$dir/stderr" || { echo "run failed: $name (see $dir)" >&2; exit 2; }
  local t1=${EPOCHREALTIME/./}
  local cpu work
  cpu=$(awk '{printf "%.3f", $1 + $2}' "$dir/time")
  work=$(grep -o 'work [0-9.]*' "$dir/stdout" | awk '{print $2}')
  grep -o 'checksum [0-9a-f]*' "$dir/stdout" >> "$OUT/checksums.txt"
  echo "$round $name $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e6}') $cpu $work" >> "$OUT/runs.txt"
  echo "  round $round $name: $(tail -1 "$OUT/runs.txt" | cut -d' ' -f3-) (wall, cpu, work s)" >&2
}

: > "$OUT/runs.txt"; : > "$OUT/checksums.txt"
n=${#NAMES[@]}
for ((r = 0; r < ROUNDS; r++)); do
  for ((k = 0; k < n; k++)); do
    run_one "$r" "${NAMES[$(((k + r) % n))]}"
  done
done
[[ $(sort -u "$OUT/checksums.txt" | wc -l) == 1 ]] || { say "checksums differ: the agent changed a result"; exit 1; }

say ""
say "| run | wall s (median, min–max) | wall ratio (median, min–max) | CPU s (median) | CPU ratio (median, min–max) | H2 work s (median) |"
say "|---|---|---|---|---|---|"
python3 - "$OUT/runs.txt" "${NAMES[@]}" <<'PY' | tee -a "$RESULTS"
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1])]
names = sys.argv[2:]
by = {}
for r, name, wall, cpu, work in rows:
    by.setdefault(name, {})[r] = (float(wall), float(cpu), float(work))
for name in names:
    runs = by[name]
    walls = [v[0] for v in runs.values()]; cpus = [v[1] for v in runs.values()]; works = [v[2] for v in runs.values()]
    wr = [runs[r][0] / by['plain'][r][0] for r in runs]; cr = [runs[r][1] / by['plain'][r][1] for r in runs]
    print(f"| {name} | {st.median(walls):.2f} ({min(walls):.2f}–{max(walls):.2f}) | {st.median(wr):.3f} ({min(wr):.3f}–{max(wr):.3f}) "
          f"| {st.median(cpus):.2f} | {st.median(cr):.3f} ({min(cr):.3f}–{max(cr):.3f}) | {st.median(works):.2f} |")
PY

say ""
say "== the budget's own report (last round of each agent run, energy-summary.json health) =="
last=$((ROUNDS - 1))
for name in "${NAMES[@]}"; do
  [[ $name == plain ]] && continue
  python3 - "$OUT/$name-$last/out/energy-summary.json" "$name" <<'PY' | tee -a "$RESULTS"
import json, sys
s = json.load(open(sys.argv[1])); h = s['health']; o = h['overhead']
calls = sum(m['calls'] for m in s['methods'])
print(f"{sys.argv[2]}: {h['instrumentedMethods']} methods woven, {h['trivialMethodsSkipped']} trivial skipped, "
      f"{calls} calls counted, budget {o['budget']} at {o['callCostNs']} ns/call: counting cost ~{o['estimatedCountingCpuMs']:.0f} ms CPU "
      f"of {h['processCpuMs']:.0f} ms; weaving {o.get('weaveMs', 0):.0f} ms; agent threads {h['agentCpuMs']:.0f} ms; "
      f"counting stopped in {len(o['countingStopped'])} methods")
for c in sorted(o['countingStopped'], key=lambda c: -c['callsPerSecond'])[:10]:
    print(f"    {c['method']}: stopped at {c['atSeconds']:.2f} s, {c['callsPerSecond']:.0f} calls/s, {100 * c['costShare']:.2f}% of CPU")
PY
done
say "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
say "results in $RESULTS"
