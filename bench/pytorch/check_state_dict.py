#!/usr/bin/env python3
"""Loads a vectorgrad Sequential's safetensors file into torch.nn.Sequential and compares outputs.

Usage:
    check_state_dict.py MODEL.safetensors SIZES INPUT.npy [EXPECTED.npy]

SIZES are the layer widths, comma-separated: 784,50,10 builds
    torch.nn.Sequential(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10))
whose state_dict keys are 0.weight [50, 784], 0.bias [50], 2.weight [10, 50], 2.bias [10].
SIZES cnn:C1,C2 builds the CNN of `./vectorgrad train --model cnn` (train_cnn.build: Unflatten,
Conv2d, BatchNorm2d, ReLU, MaxPool2d twice, Flatten, Linear), keys 1.weight [C1, 1, 3, 3], 1.bias,
2.weight, 2.bias, 2.running_mean, 2.running_var, 2.num_batches_tracked (vectorgrad stores it as
F32, which load_state_dict copies into torch's int64), ..., 10.weight [10, C2*7*7], 10.bias.
The file (vectorgrad: SafeTensors.save(file, model.stateDict())) is loaded with
load_state_dict(strict=True), as it is: no transpose, no renaming. The model then runs on
INPUT.npy (float32, [n, sizes[0]]); with EXPECTED.npy (vectorgrad's output on the same input,
e.g. written with dev.vectorgrad.data.numpy.Npy.write) the script prints the largest absolute
difference, else the output itself. Exit status 1 if the load fails.

Uses the safetensors package when it is installed, otherwise a small reader of the format
(8-byte little-endian header length, JSON header, little-endian data) written with struct,
json and numpy. Not run by the tests: it needs torch.
"""

import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

# safetensors dtype -> numpy little-endian dtype
_DTYPES = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2",
    "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?",
}


def read_safetensors(path):
    """The file's tensors by name, in the header's order, checked as the format requires."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: {len(raw)} bytes is too short for a safetensors file")
    (n,) = struct.unpack("<Q", raw[:8])
    if 8 + n > len(raw):
        raise ValueError(f"{path}: header length {n} runs past the end of the file ({len(raw)} bytes)")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = memoryview(raw)[8 + n:]
    out = {}
    end_of_last = 0
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = entry["dtype"]
        if dtype not in _DTYPES:
            raise ValueError(f"{path}: {name}: unsupported dtype {dtype}")
        begin, end = entry["data_offsets"]
        shape = entry["shape"]
        count = int(np.prod(shape, dtype=np.int64))
        item = np.dtype(_DTYPES[dtype]).itemsize
        if begin != end_of_last or end - begin != count * item or end > len(data):
            raise ValueError(f"{path}: {name}: data_offsets {begin, end} do not fit shape {shape} of {dtype}")
        end_of_last = end
        arr = np.frombuffer(data[begin:end], dtype=_DTYPES[dtype]).reshape(shape)
        out[name] = torch.from_numpy(arr.astype(arr.dtype.newbyteorder("="), copy=True))
    if end_of_last != len(data):
        raise ValueError(f"{path}: {len(data) - end_of_last} bytes after the last tensor")
    return out


def load(path):
    try:
        from safetensors.torch import load_file
    except ImportError:
        return read_safetensors(path), "the built-in reader"
    return load_file(path), "safetensors.torch.load_file"


def build(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        if i > 0:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
    return nn.Sequential(*layers)


def main(argv):
    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    path, spec, x_path = argv[1], argv[2], argv[3]
    if spec.startswith("cnn:"):
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from train_cnn import build as build_cnn
        model = build_cnn(*(int(c) for c in spec[4:].split(",")))
    else:
        model = build([int(s) for s in spec.split(",")])
    print(model)
    state, how = load(path)
    print(f"read {len(state)} tensors from {path} with {how}:")
    for k, v in state.items():
        print(f"  {k:<12} {list(v.shape)} {v.dtype}")
    print("torch expects:", [(k, list(v.shape)) for k, v in model.state_dict().items()])
    try:
        result = model.load_state_dict(state, strict=True)
    except RuntimeError as e:
        print(f"load_state_dict(strict=True) failed: {e}")
        return 1
    print(f"load_state_dict(strict=True): {result}")
    x = torch.from_numpy(np.load(x_path).astype(np.float32))
    model.eval()
    with torch.no_grad():
        y = model(x)
    if len(argv) == 5:
        expected = torch.from_numpy(np.load(argv[4]).astype(np.float32))
        if expected.shape != y.shape:
            print(f"output shape {list(y.shape)} != expected {list(expected.shape)}")
            return 1
        diff = (y - expected).abs().max().item()
        scale = expected.abs().max().item()
        print(f"max |torch - vectorgrad| = {diff:.3e} (max |output| = {scale:.3e}) over {list(y.shape)}")
    else:
        print(y)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
