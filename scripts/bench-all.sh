#!/usr/bin/env bash
# Every performance check of the agent from one command: builds (unless SKIP_BUILD=1), runs the JMH
# per-call benchmark (io.energy.bench.CallCost, ~5 minutes) and the end-to-end script (bench-e2e.sh,
# ~6 minutes on a 2-core machine). Logs and results go to $OUT (default target/bench). Extra arguments
# for CallCost can be given in CALLCOST_ARGS, e.g. CALLCOST_ARGS="threads=1 iterations=10".
# Exit code 0 when every target is met.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-target/bench}
JAVA=${JAVA:-java}
mkdir -p "$OUT"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  mvn -B -q -DskipTests package || { echo "build failed" >&2; exit 2; }
fi
status=0
echo "== per-call cost (JMH) ==" | tee "$OUT/bench-all.log"
# shellcheck disable=SC2086
"$JAVA" -cp benchmarks/target/benchmarks.jar io.energy.bench.CallCost "out=$OUT" ${CALLCOST_ARGS:-} 2>&1 \
  | tee "$OUT/call-cost.log" | grep -E '^(threads|[12] |== )' | tee -a "$OUT/bench-all.log"
rc=${PIPESTATUS[0]}; ((rc > status)) && status=$rc
echo "" | tee -a "$OUT/bench-all.log"
OUT="$OUT" JAVA="$JAVA" scripts/bench-e2e.sh 2>&1 | tee -a "$OUT/bench-all.log"
rc=${PIPESTATUS[0]}; ((rc > status)) && status=$rc
echo "" | tee -a "$OUT/bench-all.log"
if ((status == 0)); then echo "ALL TARGETS MET (log: $OUT/bench-all.log)"; else echo "NOT ALL TARGETS MET, exit $status (log: $OUT/bench-all.log)"; fi
exit $status
