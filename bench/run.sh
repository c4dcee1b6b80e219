#!/usr/bin/env bash
# Builds the benchmarks jar, runs the whole JMH suite and prints the Markdown tables.
#
#   bench/run.sh                                   # everything, with the settings of the README
#   bench/run.sh MatmulBench -p shape=64x784x50    # extra arguments select (regex, -p)
#   JMH_SETTINGS="-f 1 -wi 1 -i 1" bench/run.sh    # replaces the iteration settings
#
# Runs PeakBench (the machine's measured peak) first, then the rest, stopping at the first
# benchmark that fails (-foe true: an OpenBLAS below its best core is an error, not a row); writes
# bench/results/<UTC time>/{peak.json,results.json,jmh.log,table.md}.
set -euo pipefail
cd "$(dirname "$0")/.."
# JMH refuses an option given twice, so the iteration settings are replaced as a whole.
# Two forks per row: on shared cores one fork can land in a slow minute, and that should count half.
JMH_SETTINGS="${JMH_SETTINGS:--f 2 -wi 3 -i 5 -w 1s -r 1s}"
OUT="bench/results/$(date -u +%Y-%m-%dT%H%MZ)"
mkdir -p "$OUT"

. bench/build-jar.sh

echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-<unset>}, OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE-<unset>} here;"\
    "both unset for the benchmarks; results in $OUT" >&2
# The machine's peak first, in a JMH run of its own with the same settings: every GFLOP/s of the
# table is printed as a share of it. (JMH orders benchmarks by name, so within one run it would
# come late.)
# shellcheck disable=SC2086 # JMH_SETTINGS is a list of words
"${JAVA_FAIR[@]}" "${FLAGS[@]}" -jar "$JAR" PeakBench $JMH_SETTINGS -foe true -rf json -rff "$OUT/peak.json" | tee "$OUT/jmh.log"
# shellcheck disable=SC2086
"${JAVA_FAIR[@]}" "${FLAGS[@]}" -jar "$JAR" $JMH_SETTINGS -e PeakBench -foe true -rf json -rff "$OUT/results.json" "$@" \
    | tee -a "$OUT/jmh.log"
"${JAVA_FAIR[@]}" "${FLAGS[@]}" -cp "$JAR" dev.vectorgrad.bench.Report "$OUT/results.json" "$OUT/peak.json" | tee "$OUT/table.md"
