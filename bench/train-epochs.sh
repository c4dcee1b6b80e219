#!/usr/bin/env bash
# Training epochs of the MNIST-shaped MLP (784-50-10 at batch 64, 784-256-10 at batch 256) on the
# 60,000 Fashion-MNIST training images: vectorgrad's contenders in turns in one JVM
# (dev.vectorgrad.bench.TrainEpochs), then PyTorch CPU on the same network, batch, optimiser
# and data with 1 and 2 threads (bench/pytorch/train_epoch.py, Debian's python3-torch on OpenMP
# OpenBLAS, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset so OpenBLAS picks its best kernels).
#
#   bench/train-epochs.sh                        # trainstep,eager, 10 rounds
#   bench/train-epochs.sh trainstep,eager 20     # other contenders or rounds
#
# Needs: apt-get install dataset-fashion-mnist python3-torch python3-numpy libopenblas0-openmp
# Writes bench/results/<UTC time>-train-epochs/table.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CONTENDERS="${1:-trainstep,eager}"
ROUNDS="${2:-10}"
OUT="bench/results/$(date -u +%Y-%m-%dT%H%MZ)-train-epochs"
mkdir -p "$OUT"

. bench/build-jar.sh

# The same JVM flags as ./vectorgrad (serial GC, small young generation).
run_jvm() {
    if ! "$JAVA" "${FLAGS[@]}" -XX:+UseSerialGC -Xmn24m -cp "$JAR" dev.vectorgrad.bench.TrainEpochs \
        "$1" "$2" "$ROUNDS" "$CONTENDERS" 2>>"$OUT/stderr.log"; then
        echo "train-epochs.sh: TrainEpochs $1 $2 failed ($OUT/stderr.log follows)" >&2
        cat "$OUT/stderr.log" >&2
        exit 1
    fi
    echo
}

run_torch() {
    local blas=/usr/lib/x86_64-linux-gnu/openblas-openmp
    if [ ! -d "$blas" ] || ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
        echo "(PyTorch not run: install python3-torch, python3-numpy and libopenblas0-openmp)"
        return
    fi
    for threads in 1 2; do
        echo '```'
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH="$blas" OMP_NUM_THREADS="$threads" \
            /usr/bin/python3 bench/pytorch/train_epoch.py --hidden "$1" --batch "$2" --threads "$threads" --epochs 6
        echo '```'
    done
    echo
}

{
    echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) with: bench/train-epochs.sh $CONTENDERS $ROUNDS"
    echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
    echo
    run_jvm 50 64
    run_jvm 256 256
    echo "PyTorch, the same MLP, batch, SGD (lr 0.05, momentum 0.9) and images; epoch 1 includes its warm-up:"
    echo
    run_torch 50 64
    run_torch 256 256
} | tee "$OUT/table.md"
