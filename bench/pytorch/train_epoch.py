#!/usr/bin/env python3
"""PyTorch CPU side of the training-epoch comparison (bench/train-epoch.sh runs it).

Trains torch.nn.Sequential(Linear(784, H), ReLU(), Linear(H, 10)) with CrossEntropyLoss and
SGD (lr 0.05, momentum 0.9) on the 60,000 Fashion-MNIST training images, the same network, batch,
optimiser and data as `./vectorgrad train --dataset fashion-mnist`, and prints one line per epoch
with its wall time. Epoch 1 includes PyTorch's own warm-up; compare epochs 2 and later.

Run with Debian's python3-torch, pointed at OpenMP OpenBLAS (the package links the reference
BLAS otherwise), one thread count per process:

  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/pytorch/train_epoch.py \
      --hidden 50 --batch 64 --threads 2 --epochs 5
"""
import argparse
import ctypes
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    zero, dtype, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def find(folder, base):
    for name in (base + ".gz", base):
        p = os.path.join(folder, name)
        if os.path.exists(p):
            return p
    raise SystemExit(f"{folder}: no {base}[.gz]")


def blas_report():
    """Which BLAS library the process mapped, and OpenBLAS's core and threading, if it is OpenBLAS."""
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and ".so" in line})
    out = "BLAS libraries mapped: " + (", ".join(libs) if libs else "none")
    for lib in libs:
        try:
            h = ctypes.CDLL(lib)
            h.openblas_get_corename.restype = ctypes.c_char_p
            h.openblas_get_config.restype = ctypes.c_char_p
            out += f"\nOpenBLAS core: {h.openblas_get_corename().decode()}; config: {h.openblas_get_config().decode()}"
            break
        except (OSError, AttributeError):
            continue
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--hidden", type=int, default=50)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    images = read_idx(find(args.data, "train-images-idx3-ubyte")).reshape(-1, 784)
    labels = read_idx(find(args.data, "train-labels-idx1-ubyte")).astype(np.int64)
    x = torch.from_numpy(images.astype(np.float32) / 255.0)
    x = (x - x.mean()) / x.std()
    y = torch.from_numpy(labels)
    n = x.shape[0]

    model = torch.nn.Sequential(torch.nn.Linear(784, args.hidden), torch.nn.ReLU(), torch.nn.Linear(args.hidden, 10))
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), python {sys.version.split()[0]}")
    print(blas_report())
    print(torch.__config__.show().strip().splitlines()[-1][:200])
    print(f"model 784-{args.hidden}-10, batch {args.batch}, {n} images, SGD lr 0.05 momentum 0.9")
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(n)
        start = time.perf_counter()
        total = 0.0
        steps = 0
        for s in range(0, n, args.batch):
            idx = order[s:s + args.batch]
            xb = x.index_select(0, idx)
            yb = y.index_select(0, idx)
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item()
            steps += 1
        secs = time.perf_counter() - start
        print(f"epoch {epoch}: {secs:.3f} s, train loss {total / steps:.4f}", flush=True)


if __name__ == "__main__":
    main()
