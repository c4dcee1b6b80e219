#!/usr/bin/env bash
# Training epochs of the command line's CNN (./vectorgrad train --model cnn: conv-bn-relu-pool x2,
# then linear; Adam, one-cycle, batch 64) on the 60,000 Fashion-MNIST training images: vectorgrad's
# captured TrainStep (and, with a second contender, eager autograd) in turns in one JVM
# (dev.vectorgrad.bench.TrainEpochs cnn:C1,C2), once with 1 thread and once with 2, then PyTorch CPU on the same network, batch,
# optimiser, schedule and data with 1 and 2 threads (bench/pytorch/train_cnn.py, Debian's
# python3-torch, its convolutions on its bundled MKL-DNN, OpenMP OpenBLAS for the rest,
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset).
#
#   bench/train-cnn-epochs.sh                      # channels 16,32; trainstep; 4 rounds
#   bench/train-cnn-epochs.sh 32,64 trainstep,eager 6
#
# Needs: apt-get install dataset-fashion-mnist python3-torch python3-numpy libopenblas0-openmp
# Writes bench/results/<UTC time>-train-cnn-epochs/table.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CHANNELS="${1:-16,32}"
CONTENDERS="${2:-trainstep}"
ROUNDS="${3:-4}"
OUT="bench/results/$(date -u +%Y-%m-%dT%H%MZ)-train-cnn-epochs"
mkdir -p "$OUT"

. bench/build-jar.sh

run_jvm() {
    for threads in 1 2; do
        echo "vectorgrad, $threads thread(s) (-Dvectorgrad.threads=$threads):"
        echo
        if ! "$JAVA" "${FLAGS[@]}" -XX:+UseSerialGC -Xmn24m -Dvectorgrad.threads="$threads" -cp "$JAR" \
            dev.vectorgrad.bench.TrainEpochs "cnn:$CHANNELS" 64 "$ROUNDS" "$CONTENDERS" 2>>"$OUT/stderr.log"; then
            echo "train-cnn-epochs.sh: TrainEpochs cnn:$CHANNELS failed ($OUT/stderr.log follows)" >&2
            cat "$OUT/stderr.log" >&2
            exit 1
        fi
        echo
    done
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
            /usr/bin/python3 bench/pytorch/train_cnn.py --channels "$CHANNELS" --batch 64 --threads "$threads" \
            --epochs "$((ROUNDS + 1))"
        echo '```'
    done
    echo
}

{
    echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) with: bench/train-cnn-epochs.sh $CHANNELS $CONTENDERS $ROUNDS"
    echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
    echo
    run_jvm
    echo "PyTorch, the same CNN, batch, Adam one-cycle and images; epoch 1 includes its warm-up:"
    echo
    run_torch
} | tee "$OUT/table.md"
