#!/usr/bin/env bash
# The agent's fixed cost at start and exit, -javaagent with no options (docs/performance.md, "Fixed cost at start
# and exit"). Runs plain and each agent jar in paired, interleaved rounds (the order rotating, as bench-h2.sh does)
# and reports medians: wall and CPU (user + sys) over plain, when the JVM loaded the main class, premain (the
# agent's entry class loaded -> the main class loaded: both from -Xlog:class+load's uptime, no clock of ours), and
# what comes after (wall - main class - the program's own timed work: exit, plus H2's set-up outside its work).
#
# Run from the repository root after `mvn -B -DskipTests package -pl agent,benchmarks -am`. Knobs:
#   RUNS=20  WORKLOAD=hello|h2  JAVA=java  OUT=target/bench-fixed
#   AGENTS="now=agent/target/energy.jar"   name=jar pairs, e.g. AGENTS="before=/tmp/old.jar now=agent/target/energy.jar"
#   OPTIONS="log=quiet,top=0"              agent options besides out= (bench-h2.sh's "whole" run uses these)
set -euo pipefail

cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
RUNS=${RUNS:-20}
WORKLOAD=${WORKLOAD:-hello}
OUT=${OUT:-target/bench-fixed}
OPTIONS=${OPTIONS:-log=quiet,top=0}
BENCH=benchmarks/target/benchmarks.jar
read -r -a PAIRS <<< "${AGENTS:-now=agent/target/energy.jar}"
[[ -f $BENCH ]] || { echo "missing $BENCH: build first with mvn -B -DskipTests package -pl agent,benchmarks -am" >&2; exit 2; }
case $WORKLOAD in
  hello) MAIN=io.energy.bench.Hello; ARGS=() ;;
  h2) MAIN=io.energy.bench.H2Bench; ARGS=(rows=300000 lookups=20000 groups=3) ;;
  *) echo "WORKLOAD is hello or h2" >&2; exit 2 ;;
esac
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
NAMES=(plain)
declare -A JAR=()
for p in "${PAIRS[@]}"; do
  NAMES+=("${p%%=*}")
  JAR[${p%%=*}]=$(cd "$(dirname "${p#*=}")" && pwd)/$(basename "${p#*=}")
  [[ -f ${JAR[${p%%=*}]} ]] || { echo "missing ${p#*=}" >&2; exit 2; }
done
echo "== fixed cost: $MAIN, $RUNS rounds, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs =="

# One run: appends "round name wall_ms cpu_ms agent_loaded_ms main_loaded_ms work_ms" to $OUT/runs.txt.
run_one() {
  local round=$1 name=$2 agent=()
  [[ $name != plain ]] && agent=("-javaagent:${JAR[$name]}=out=$OUT/out-$name,$OPTIONS")
  local t0=${EPOCHREALTIME/./}
  /usr/bin/time -f "%U %S" -o "$OUT/time" "$JAVA" "-Xlog:class+load:file=$OUT/classes.txt:uptimemillis" "${agent[@]}" \
    -cp "$BENCH" "$MAIN" "${ARGS[@]}" > "$OUT/stdout" 2> "$OUT/stderr" || { echo "run failed: $name" >&2; exit 2; }
  local t1=${EPOCHREALTIME/./}
  local at main work
  at=$(grep -m1 ' io.energy.agent.EnergyAgent ' "$OUT/classes.txt" | sed -E 's/^\[([0-9]+)ms\].*/\1/' || true)
  main=$(grep -m1 "\] $MAIN " "$OUT/classes.txt" | sed -E 's/^\[([0-9]+)ms\].*/\1/')
  work=$(grep -o 'work [0-9.]*' "$OUT/stdout" | awk '{printf "%d", $2 * 1000}' || true)
  echo "$round $name $(((t1 - t0) / 1000)) $(awk '{printf "%d", ($1 + $2) * 1000}' "$OUT/time") ${at:-0} $main ${work:-0}" \
    >> "$OUT/runs.txt"
}

: > "$OUT/runs.txt"
n=${#NAMES[@]}
for ((r = 0; r < RUNS; r++)); do
  for ((k = 0; k < n; k++)); do
    run_one "$r" "${NAMES[$(((k + r) % n))]}"
  done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT/runs.txt" "${NAMES[@]}" <<'PY'
import sys, statistics as st
by = {}
for line in open(sys.argv[1]):
    r, name, *v = line.split()
    by.setdefault(name, {})[r] = list(map(int, v))
plain = by['plain']
print("| run | wall ms | wall over plain | CPU ms | CPU over plain | main class loaded at ms | premain ms | after main class, over plain ms |")
print("|---|---|---|---|---|---|---|---|")
for name in sys.argv[2:]:
    runs = by[name]
    med = lambda f: st.median(f(runs[r], plain[r]) for r in runs)
    rest = lambda v: v[0] - v[3] - v[4]
    print(f"| {name} | {med(lambda v, p: v[0]):.0f} | +{med(lambda v, p: v[0] - p[0]):.0f} ({med(lambda v, p: v[0] / p[0]):.3f}x) "
          f"| {med(lambda v, p: v[1]):.0f} | +{med(lambda v, p: v[1] - p[1]):.0f} ({med(lambda v, p: v[1] / p[1]):.3f}x) "
          f"| {med(lambda v, p: v[3]):.0f} | {med(lambda v, p: v[3] - v[2]) if name != 'plain' else 0:.0f} "
          f"| +{med(lambda v, p: rest(v) - rest(p)):.0f} |")
PY
