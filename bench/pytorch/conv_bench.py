#!/usr/bin/env python3
"""PyTorch CPU side of ConvBench: the target CNN's convolution passes at the same shapes.

conv1 = Conv2d(1, 16, 3, padding=1) on 64 x 1 x 28 x 28, conv2 = Conv2d(16, 32, 3, padding=1) on
64 x 16 x 14 x 14; for each, the forward (F.conv2d with bias), the backward to the input and the
backward to the weight and bias (aten.convolution_backward with the output mask of that pass),
timed as the median of rounds after a warm-up, and reported in GFLOP/s = 2*C_out*C_in*9*N*H*W /
time, as bench's ConvReport does. With --net it also times one training step of the whole CNN
(conv1, ReLU, MaxPool2d(2), conv2, ReLU, MaxPool2d(2), Flatten, Linear(1568, 10),
CrossEntropyLoss, SGD with momentum) and prints the epoch that 938 such steps make.

Run with Debian's python3-torch, pointed at OpenMP OpenBLAS, one thread count per process:

  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/pytorch/conv_bench.py --threads 2 --net
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F

CASES = [("conv1", 64, 1, 16, 28), ("conv2", 64, 16, 32, 14)]


def timed(fn, rounds, calls):
    for _ in range(calls):
        fn()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - t0) / calls)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--calls", type=int, default=20)
    ap.add_argument("--net", action="store_true", help="also time a training step of the whole CNN")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(torch.__config__.show().strip().splitlines()[0], "| torch", torch.__version__,
          "| threads", torch.get_num_threads(), "| mkldnn", torch.backends.mkldnn.is_available())
    print("| layer-pass | µs | GFLOP/s |")
    print("|---|---:|---:|")
    for name, n, cin, cout, h in CASES:
        x = torch.randn(n, cin, h, h)
        w = torch.randn(cout, cin, 3, 3)
        b = torch.randn(cout)
        g = torch.randn(n, cout, h, h)
        flops = 2.0 * cout * cin * 9 * n * h * h

        def fwd():
            return F.conv2d(x, w, b, stride=1, padding=1)

        def bwd(mask):
            return torch.ops.aten.convolution_backward(g, x, w, [cout], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, mask)

        for pass_name, fn in (("forward", fwd), ("backwardInput", lambda: bwd([True, False, False])),
                              ("backwardWeight", lambda: bwd([False, True, True]))):
            with torch.no_grad():
                t = timed(fn, args.rounds, args.calls)
            print(f"| {name}-{pass_name} | {t * 1e6:.0f} | {flops / t / 1e9:.1f} |")
    if args.net:
        model = torch.nn.Sequential(
            torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Flatten(), torch.nn.Linear(32 * 7 * 7, 10))
        opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        loss_fn = torch.nn.CrossEntropyLoss()
        xb = torch.randn(64, 1, 28, 28)
        yb = torch.randint(0, 10, (64,))

        def step():
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()

        t = timed(step, args.rounds, args.calls)
        print(f"CNN training step, batch 64: {t * 1e3:.2f} ms -> {t * 938:.2f} s per epoch of 938 steps (60,000 images)")


if __name__ == "__main__":
    main()
