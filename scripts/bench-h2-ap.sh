#!/usr/bin/env bash
# What the floor under the whole-program overhead is: the H2 benchmark (io.energy.bench.H2Bench) run plain and
# under other configurations in paired, interleaved rounds, where a configuration is any of
#   name=OPTIONS        async-profiler alone as -agentpath:libasyncProfiler.so=OPTIONS (no energy agent)
#   name=J:OPTIONS      the energy agent, -javaagent:agent/target/energy.jar=OPTIONS
#   name=X:FLAGS        plain JVM flags, '_' for spaces (e.g. X:-XX:+UnlockDiagnosticVMOptions_-XX:+DebugNonSafepoints)
# Ratios are taken within a round (configuration / plain of the same round), medians over the rounds: wall time
# of the whole process, CPU (user + sys) and the benchmark's own timing of its work.
#
# Run from the repository root after `mvn -B -DskipTests package -pl agent,benchmarks -am`. Knobs:
#   CONFIGS="cpu10=start,event=cpu,interval=10ms,file=/dev/null whole=J:log=quiet"   (this is the default)
#   ROUNDS=6  JAVA=java  OUT=target/bench-h2-ap  ARGS="rows=300000 lookups=20000 groups=3"
#   AP=path/to/libasyncProfiler.so   (default: unpacked from async-profiler 4.2's jar in ~/.m2, which the
#                                     agent's build downloads)
# Writes one line per run ("round name wall_ms cpu_s work_s") to $OUT/runs.txt, then the medians.
# docs/performance.md cites these runs; docs/bench/h2-*-runs.txt keep the raw lines it quotes.
set -euo pipefail

cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
OUT=${OUT:-target/bench-h2-ap}
ROUNDS=${ROUNDS:-6}
ARGS=${ARGS:-rows=300000 lookups=20000 groups=3}
CONFIGS=${CONFIGS:-cpu10=start,event=cpu,interval=10ms,file=/dev/null whole=J:log=quiet}
AGENT=agent/target/energy.jar
BENCH=benchmarks/target/benchmarks.jar
for f in "$AGENT" "$BENCH"; do
  [[ -f $f ]] || { echo "missing $f: build first with mvn -B -DskipTests package -pl agent,benchmarks -am" >&2; exit 2; }
done
mkdir -p "$OUT"
if [[ -z ${AP:-} ]]; then
  jar=$(ls ~/.m2/repository/tools/profiler/async-profiler/4.2/async-profiler-4.2.jar)
  (cd "$OUT" && unzip -q -o "$jar" 'linux-x64/libasyncProfiler.so')
  AP=$OUT/linux-x64/libasyncProfiler.so
fi
RUNS=$OUT/runs.txt
: > "$RUNS"

declare -A C
names=(plain)
for c in $CONFIGS; do names+=("${c%%=*}"); C[${c%%=*}]=${c#*=}; done
for r in $(seq 1 "$ROUNDS"); do
  for n in "${names[@]}"; do
    x=()
    if [[ $n != plain ]]; then
      v=${C[$n]}
      case $v in
        J:*) x=("-javaagent:$AGENT=${v#J:}") ;;
        X:*) w=${v#X:}; read -r -a x <<< "${w//_/ }" ;;
        *) x=("-agentpath:$AP=$v") ;;
      esac
    fi
    t0=${EPOCHREALTIME/./}
    # shellcheck disable=SC2086 # ARGS is a list of words
    /usr/bin/time -f "%U %S" -o "$OUT/time" "$JAVA" "${x[@]}" -cp "$BENCH" io.energy.bench.H2Bench $ARGS \
      > "$OUT/stdout" 2> "$OUT/stderr" || { echo "run $r $n failed:" >&2; cat "$OUT/stderr" >&2; exit 1; }
    t1=${EPOCHREALTIME/./}
    echo "$r $n $(( (t1 - t0) / 1000 )) $(awk '{print $1 + $2}' "$OUT/time") $(grep -o 'work [0-9.]*' "$OUT/stdout" | cut -d' ' -f2)" >> "$RUNS"
  done
done
python3 - "$RUNS" <<'PY'
import statistics as st, sys
by = {}
for line in open(sys.argv[1]):
    r, n, w, c, k = line.split()
    by.setdefault(n, {})[r] = (float(w), float(c), float(k))
p = by['plain']
for n, runs in by.items():
    ratio = lambda i: st.median(runs[r][i] / p[r][i] for r in runs)
    print(f"{n:10s} wall {ratio(0):.3f}  cpu {ratio(1):.3f}  work {ratio(2):.3f}   "
          f"median wall {st.median(v[0] for v in runs.values()) / 1000:.2f} s, cpu {st.median(v[1] for v in runs.values()):.2f} s")
PY
