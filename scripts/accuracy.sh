#!/usr/bin/env bash
# The one command that regenerates the published accuracy claim (docs/accuracy.md):
# builds the agent, runs the real-workload truth suite (agent/src/test/java/io/energy/it/TruthSuiteIT.java)
# and copies its table (agent/target/truth-suite.md) into docs/accuracy.md between the markers.
# The table is copied even when some checks fail, so the published numbers are always the latest real ones;
# the script's exit status is the suite's.
#
#   scripts/accuracy.sh                      # the whole suite (~5-6 minutes on 2 cores)
#   scripts/accuracy.sh -Dtruth.cases=a,d    # some cases only (ids: a-blocked ... g-threads, power)
#   scripts/accuracy.sh -o                   # offline Maven
#   scripts/accuracy.sh -Dtruth.options=sample.period=1ms   # try an agent setting (the table names it)
set -u
cd "$(dirname "$0")/.."
rm -f agent/target/truth-suite.md
mvn -B -pl agent -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dtruth.strict=true \
    -Dit.test=TruthSuiteIT -Dfailsafe.failIfNoSpecifiedTests=false "$@"
rc=$?
table=agent/target/truth-suite.md
doc=docs/accuracy.md
if [ ! -s "$table" ]; then
    echo "accuracy.sh: the suite wrote no table ($table); $doc left as it was" >&2
    exit $(( rc == 0 ? 1 : rc ))
fi
begin='<!-- truth-suite:begin -->'
end='<!-- truth-suite:end -->'
if ! grep -qF "$begin" "$doc" || ! grep -qF "$end" "$doc"; then
    echo "accuracy.sh: $doc has no '$begin' ... '$end' markers" >&2
    exit 1
fi
tmp=$(mktemp "$doc.XXXXXX")
{
    sed -n "1,/$begin/p" "$doc"
    echo
    echo "Generated $(date -u +%Y-%m-%dT%H:%MZ) by \`scripts/accuracy.sh\` on $(nproc) CPUs, agent $(git rev-parse --short HEAD 2>/dev/null || echo '?'), exit status $rc."
    echo
    cat "$table"
    echo
    sed -n "/$end/,\$p" "$doc"
} > "$tmp" && mv "$tmp" "$doc"
echo "accuracy.sh: $doc updated from $table (suite exit status $rc)"
exit $rc
