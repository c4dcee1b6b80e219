#!/usr/bin/env bash
# Ratios from alternating rounds in one JVM (dev.vectorgrad.bench.Interleaved), which cancel the
# drift of shared cloud cores that JMH's separate forks cannot: vectorgrad 2 threads / 1 thread,
# OpenBLAS 2 threads / 1 thread (its own JVM: its idle workers spin and would take a core from
# vectorgrad), and vectorgrad 1 thread / OpenBLAS 1 thread.
#
#   bench/interleaved.sh                       # 1024x1024x1024, 60 rounds
#   bench/interleaved.sh 512x512x512 100       # another shape, more rounds
#
# Writes bench/results/<UTC time>-interleaved-<shape>/table.md (the shape in the name, so two
# runs started in the same minute keep their own tables).
set -euo pipefail
cd "$(dirname "$0")/.."
SHAPE="${1:-1024x1024x1024}"
ROUNDS="${2:-60}"
OUT="bench/results/$(date -u +%Y-%m-%dT%H%MZ)-interleaved-$SHAPE"
mkdir -p "$OUT"

. bench/build-jar.sh

# The JVM's notices (incubator module, kernel choice) go to stderr.log; shown if a run fails.
run() {
    if ! "${JAVA_FAIR[@]}" "${FLAGS[@]}" -cp "$JAR" \
        dev.vectorgrad.bench.Interleaved "$SHAPE" "$ROUNDS" "$1" 2>>"$OUT/stderr.log"; then
        echo "interleaved.sh: $1 failed; its output follows ($OUT/stderr.log)" >&2
        cat "$OUT/stderr.log" >&2
        exit 1
    fi
    echo
}
{
    echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) with: bench/interleaved.sh $SHAPE $ROUNDS"
    echo
    run vectorgrad-1t,vectorgrad-2t
    run openblas-1t,openblas-2t
    run openblas-1t,vectorgrad-1t
} | tee "$OUT/table.md"
