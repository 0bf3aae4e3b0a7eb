#!/usr/bin/env bash
# The Prometheus endpoint under load (docs/metrics.md, docs/performance.md):
#   1. scrape size and time with many methods and many threads (io.energy.bench.ScrapeLoad), with the default
#      prometheus.methods=50 and with every method given a series (prometheus.methods=10000), scraping every
#      1.1 s (each scrape rebuilds the profile) and every 0.2 s (most scrapes reuse the second-old profile);
#   2. the price of carrying the Prometheus client: jar size, and start-up to main of a trivial program with the
#      endpoint off (nothing of it is loaded) and on.
# Run from the repository root after `mvn -B -DskipTests package`. Knobs: METHODS=2000 THREADS=8 SECONDS=20
# STARTUP_RUNS=10 JAVA=java OUT=target/bench. Log: $OUT/scrape-results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
OUT=${OUT:-target/bench}
METHODS=${METHODS:-2000}
THREADS=${THREADS:-8}
SECONDS_RUN=${SECONDS:-20}
STARTUP_RUNS=${STARTUP_RUNS:-10}
AGENT=agent/target/energy.jar
BENCH=benchmarks/target/benchmarks.jar
for f in "$AGENT" "$BENCH"; do
  [[ -f $f ]] || { echo "missing $f: build first with mvn -B -DskipTests package" >&2; exit 2; }
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/scrape-results.txt
: > "$RESULTS"
say() { echo "$*" | tee -a "$RESULTS"; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

say "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $($JAVA -version 2>&1 | head -1)"
say "== 1. scrapes under load: $METHODS generated methods, $THREADS threads, $SECONDS_RUN s per run"
for limit in 50 10000; do
  for interval in 1100 200; do
    port=$(free_port)
    line=$("$JAVA" "-javaagent:$AGENT=include=io.energy.bench.gen.**,prometheus=127.0.0.1:$port,prometheus.methods=$limit,out=$OUT/scrape-out,top=0,checkpoint=0,log=quiet" \
      -cp "$BENCH" io.energy.bench.ScrapeLoad port=$port methods=$METHODS threads=$THREADS seconds=$SECONDS_RUN interval=$interval | grep '^summary:')
    say "prometheus.methods=$limit, scrape every $interval ms: ${line#summary: }"
    say "   call paths in the ledger: $(python3 -c "import json;print(json.load(open('$OUT/scrape-out/energy-summary.json'))['health']['callPaths'])"), load now $(cut -d' ' -f1 /proc/loadavg)"
  done
done

say "== 2. what carrying the client costs"
say "energy.jar $(stat -c %s "$AGENT") bytes; of its core, the relocated Prometheus client: $(unzip -lv "$AGENT" >/dev/null 2>&1; \
  tmp=$(mktemp -d); unzip -q -o "$AGENT" META-INF/energy/energy-core.jar -d "$tmp"; \
  unzip -v "$tmp/META-INF/energy/energy-core.jar" | awk '/io\/energy\/shaded\/prometheus\// {u+=$1; c+=$3; n++} END {print n " classes, " c " bytes compressed (" u " uncompressed)"}'; rm -rf "$tmp")"
startup() { # $1 = agent options; prints ms from launch to main
  local t0 t1 line
  t0=${EPOCHREALTIME/./}
  line=$("$JAVA" "-javaagent:$AGENT=$1" -cp "$BENCH" io.energy.bench.Hello)
  t1=${line#mainEnteredEpochMillis=}; t1=${t1%% *}
  echo $(( t1 - t0 / 1000 ))
}
for mode in off on; do
  opts="include=io.energy.bench.**,out=$OUT/startup-out,top=0,log=quiet"
  [[ $mode == on ]] && opts="$opts,prometheus=127.0.0.1:0"
  ms=$(for i in $(seq "$STARTUP_RUNS"); do startup "$opts"; done | median)
  say "start-up to main, endpoint $mode: median ${ms} ms over $STARTUP_RUNS runs"
done
say "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
