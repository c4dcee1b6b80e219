#!/usr/bin/env python3
"""PyTorch CPU side of the CNN training-epoch comparison (bench/train-cnn-epochs.sh runs it).

Trains the network of `./vectorgrad train --model cnn` (nn.Sequential of Unflatten(1, (1, 28, 28)),
Conv2d(1, C1, 3, padding=1), BatchNorm2d(C1), ReLU, MaxPool2d(2), Conv2d(C1, C2, 3, padding=1),
BatchNorm2d(C2), ReLU, MaxPool2d(2), Flatten, Linear(C2*7*7, 10)) with CrossEntropyLoss and Adam
under a one-cycle schedule (torch.optim.lr_scheduler.OneCycleLR with fast.ai's defaults:
pct_start 0.25, div_factor 25, final_div_factor 1e5) on Fashion-MNIST: the first --train images
of a seeded shuffle of the 60,000 training images (the command line holds 10,000 out for
validation by default), batch 64. Prints one line per epoch with its wall time and, with
--test, the accuracy on the 10,000 test images. Epoch 1 includes PyTorch's own warm-up.

Run with Debian's python3-torch, pointed at OpenMP OpenBLAS (the package links the reference
BLAS otherwise; its convolutions run on its bundled MKL-DNN/oneDNN either way), one thread
count per process:

  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/pytorch/train_cnn.py \
      --channels 16,32 --batch 64 --threads 2 --epochs 3
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_epoch import blas_report, find, read_idx  # noqa: E402  (the MLP script's readers)


def build(c1, c2, classes=10):
    nn = torch.nn
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, c1, 3, padding=1), nn.BatchNorm2d(c1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, 3, padding=1), nn.BatchNorm2d(c2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c2 * 7 * 7, classes))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--channels", default="16,32")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--train", type=int, default=60000, help="training images used per epoch (first of a seeded shuffle)")
    ap.add_argument("--lr", type=float, default=0.01, help="one-cycle peak learning rate of Adam")
    ap.add_argument("--test", action="store_true", help="print the test accuracy after every epoch")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    c1, c2 = (int(c) for c in args.channels.split(","))

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    images = read_idx(find(args.data, "train-images-idx3-ubyte")).reshape(-1, 784)
    labels = read_idx(find(args.data, "train-labels-idx1-ubyte")).astype(np.int64)
    x = torch.from_numpy(images.astype(np.float32) / 255.0)
    y = torch.from_numpy(labels)
    keep = torch.randperm(x.shape[0])[:args.train]
    x, y = x[keep], y[keep]
    mean, std = x.mean(), x.std()
    x = (x - mean) / std
    n = x.shape[0]
    tx = ty = None
    if args.test:
        tx = (torch.from_numpy(read_idx(find(args.data, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32)
                               / 255.0) - mean) / std
        ty = torch.from_numpy(read_idx(find(args.data, "t10k-labels-idx1-ubyte")).astype(np.int64))

    model = build(c1, c2)
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps_per_epoch = (n + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=steps_per_epoch,
                                                pct_start=0.25, div_factor=25.0, final_div_factor=1e5)

    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), python {sys.version.split()[0]}")
    print(blas_report())
    cfg = torch.__config__.show().splitlines()
    print("; ".join(l.strip() for l in cfg if "CPU capability" in l or "MKL-DNN v" in l or "oneDNN v" in l))
    print(f"model cnn {c1},{c2} ({sum(p.numel() for p in model.parameters())} parameters), batch {args.batch}, "
          f"{n} images, Adam one-cycle max lr {args.lr}")
    for epoch in range(1, args.epochs + 1):
        model.train()
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
            sched.step()
            total += loss.item()
            steps += 1
        secs = time.perf_counter() - start
        line = f"epoch {epoch}: {secs:.3f} s, train loss {total / steps:.4f}"
        if args.test:
            model.eval()
            with torch.no_grad():
                correct = sum((model(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum().item()
                              for i in range(0, tx.shape[0], 1000))
            line += f", test accuracy {correct / tx.shape[0]:.4f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
