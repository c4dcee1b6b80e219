#!/usr/bin/env python3
"""Writes the small NumPy fixtures the data module's tests read (run once, output committed).

Run from the repository root:  python3 data/src/test/python/make_fixtures.py
Needs numpy. Every array's values follow formulas the Java tests recompute, so the tests
check values, not just that parsing succeeds.

- mnist_py3_pN.pkl.gz: the lesson's layout ((x_train, y_train), (x_valid, y_valid),
  (x_test, y_test)) written by this Python 3 / numpy with pickle protocol N (2..5).
- mnist_py2_cpickle.pkl.gz: the same values as Python 2's cPickle wrote the original
  mnist.pkl.gz (protocol 2, array bytes as BINSTRING, numpy.core.multiarray globals, memo
  reuse of globals and dtypes). Python 2 is not available, so the stream is assembled opcode
  by opcode below, then checked by loading it with this numpy.
- arrays_pN.pkl: a list of arange(6).reshape(2, 3) in every supported dtype, both byte
  orders, C and Fortran order, pickled with protocol N.
- npy/NAME.npy, arrays.npz and arrays_stored.npz: the same arrays via numpy.save,
  numpy.savez_compressed and numpy.savez (zip entries deflated, or stored with zip64 headers).
"""
import gzip
import os
import pickle
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")
SPLITS = (("train", 12), ("valid", 5), ("test", 7))


def mnist_like():
    """x[i, j] = ((start + i) * 784 + j) % 256 / 255, y[i] = (3 * (start + i) + 1) % 10."""
    out, start = [], 0
    for _, n in SPLITS:
        i = np.arange(start, start + n)[:, None]
        j = np.arange(784)[None, :]
        x = (((i * 784 + j) % 256) / 255.0).astype(np.float32)
        y = ((3 * np.arange(start, start + n) + 1) % 10).astype(np.int64)
        out.append((x, y))
        start += n
    return tuple(out)


def variants():
    """(name, array) for every dtype x byte order x memory order; values arange(6).reshape(2, 3)."""
    res = []
    for code in ("f4", "f8", "u1", "i8", "i4"):
        for bo in ("<", ">"):
            if code == "u1" and bo == ">":
                continue
            for order in ("C", "F"):
                a = np.array(np.arange(6).reshape(2, 3), dtype=bo + code, order=order)
                name = "%s_%s_%s" % (code, "le" if bo == "<" else "be", order)
                res.append((name, a))
    return res


class Py2Writer:
    """Emits a protocol-2 stream the way Python 2's cPickle did for numpy arrays.

    As in CPython 2.7's Modules/cPickle.c: memo slots are numbered from 1 (put2 uses
    PyDict_Size(memo) + 1), and objects with a reference count below 2 (temporaries such as
    argument tuples and the array's data string) are not memoized at all; module globals,
    dtype singletons and the arrays the caller holds are.
    """

    def __init__(self):
        self.out = bytearray(b"\x80\x02")
        self.memo = {}

    def put(self, key):
        if key[0] not in ("global", "dtype", "arr", "split"):
            return  # a temporary: cPickle skips objects with refcount < 2
        idx = len(self.memo) + 1
        self.memo[key] = idx
        self.out += b"q" + bytes([idx]) if idx < 256 else b"r" + struct.pack("<I", idx)

    def get(self, key):
        idx = self.memo[key]
        self.out += b"h" + bytes([idx]) if idx < 256 else b"j" + struct.pack("<I", idx)

    def global_(self, module, name):
        key = ("global", module, name)
        if key in self.memo:
            self.get(key)
            return
        self.out += b"c" + module.encode() + b"\n" + name.encode() + b"\n"
        self.put(key)

    def int_(self, v):
        if 0 <= v < 256:
            self.out += b"K" + bytes([v])
        elif 0 <= v < 65536:
            self.out += b"M" + struct.pack("<H", v)
        else:
            self.out += b"J" + struct.pack("<i", v)

    def str_(self, s, memo=True):
        b = s if isinstance(s, bytes) else s.encode("latin1")
        if len(b) < 256:
            self.out += b"U" + bytes([len(b)]) + b
        else:
            self.out += b"T" + struct.pack("<i", len(b)) + b
        if memo:
            self.put(("str", id(s), len(self.memo)))

    def dtype(self, dt):
        key = ("dtype", dt.str)
        if key in self.memo:
            self.get(key)
            return
        self.global_("numpy", "dtype")
        self.str_(dt.str[1:])
        self.int_(0)
        self.int_(1)
        self.out += b"\x87"
        self.put(("args", id(dt), len(self.memo)))
        self.out += b"R"
        self.put(key)
        self.out += b"("
        self.int_(3)
        self.str_(dt.str[0])
        self.out += b"NNN"
        self.out += b"J" + struct.pack("<i", -1) + b"J" + struct.pack("<i", -1)
        self.int_(0)
        self.out += b"t"
        self.put(("state", id(dt), len(self.memo)))
        self.out += b"b"

    def array(self, a):
        self.global_("numpy.core.multiarray", "_reconstruct")
        self.global_("numpy", "ndarray")
        self.int_(0)
        self.out += b"\x85"
        self.put(("t", len(self.memo)))
        self.str_(b"b")
        self.out += b"\x87"
        self.put(("t", len(self.memo)))
        self.out += b"R"
        self.put(("arr", len(self.memo)))
        self.out += b"("
        self.int_(1)
        for d in a.shape:
            self.int_(d)
        self.out += {1: b"\x85", 2: b"\x86", 3: b"\x87"}[len(a.shape)]
        self.put(("t", len(self.memo)))
        self.dtype(a.dtype)
        self.out += b"\x89"  # NEWFALSE: C order
        self.str_(a.tobytes(order="C"))
        self.out += b"t"
        self.put(("t", len(self.memo)))
        self.out += b"b"

    def finish(self):
        self.out += b"."
        return bytes(self.out)


def py2_mnist(data):
    w = Py2Writer()
    for x, y in data:
        w.array(x)
        w.array(y)
        w.out += b"\x86"
        w.put(("split", len(w.memo)))
    w.out += b"\x87"
    w.put(("t", len(w.memo)))
    return w.finish()


def write(name, blob):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(blob)


def main():
    os.makedirs(os.path.join(OUT, "npy"), exist_ok=True)
    data = mnist_like()
    for p in (2, 3, 4, 5):
        write("mnist_py3_p%d.pkl.gz" % p, gzip.compress(pickle.dumps(data, protocol=p), mtime=0))
    py2 = py2_mnist(data)
    back = pickle.loads(py2, encoding="latin1")
    for (x, y), (bx, by) in zip(data, back):
        assert np.array_equal(x, bx) and np.array_equal(y, by) and bx.dtype == x.dtype and by.dtype == y.dtype
    write("mnist_py2_cpickle.pkl.gz", gzip.compress(py2, mtime=0))

    vs = variants()
    arrays = [a for _, a in vs]
    for p in (2, 3, 4, 5):
        write("arrays_p%d.pkl" % p, pickle.dumps(arrays, protocol=p))
    for name, a in vs:
        np.save(os.path.join(OUT, "npy", name + ".npy"), a)
    np.savez_compressed(os.path.join(OUT, "arrays.npz"), **dict(vs))
    np.savez(os.path.join(OUT, "arrays_stored.npz"), **dict(vs))
    with open(os.path.join(OUT, "variants.txt"), "w") as f:
        f.write("\n".join(name for name, _ in vs) + "\n")


if __name__ == "__main__":
    main()
