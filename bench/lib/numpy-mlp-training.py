# A ceiling for bench/training-speed.ts, not PyTorch: the same MLP epoch (784-256-10, ReLU, SGD, same batches, same
# initial weights) written out by hand in numpy, whose matrix products go to a tuned BLAS (OpenBLAS) on ONE thread.
# Debian's python3-torch multiplies with the reference BLAS; this shows what the same step costs with a tuned one.
# Prints one JSON line, like torch-training.py.   OPENBLAS_NUM_THREADS=1 python3 numpy-mlp-training.py <data dir> <spec.json>
import json
import os
import sys
import time

import numpy as np

data_dir, spec_path = sys.argv[1], sys.argv[2]
with open(spec_path) as f:
    spec = json.load(f)
model = spec["model"]
assert model["kind"] == "mlp" and spec["optimizer"] == "sgd" and model.get("activation", "relu") == "relu"
n, widths, b, lr = spec["n"], model["widths"], spec["batchSize"], np.float32(spec["learningRate"])
x = np.fromfile(os.path.join(data_dir, "x.f32"), dtype="<f4").reshape(n, widths[0])
y = np.fromfile(os.path.join(data_dir, "y.i32"), dtype="<i4").astype(np.int64)
order = np.fromfile(os.path.join(data_dir, "order.i32"), dtype="<i4")
flat = np.fromfile(os.path.join(data_dir, "init.f32"), dtype="<f4")


def initial():
    params, at = [], 0
    for i in range(1, len(widths)):
        w = flat[at:at + widths[i - 1] * widths[i]].reshape(widths[i - 1], widths[i]).copy()
        at += w.size
        params.append((w, flat[at:at + widths[i]].copy()))
        at += widths[i]
    return params


def forward(params, xb):
    acts = [xb]
    for i, (w, bias) in enumerate(params):
        z = acts[-1] @ w
        z += bias
        if i < len(params) - 1:
            np.maximum(z, 0, out=z)
        acts.append(z)
    return acts


def loss_and_grad(logits, yb):
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=1, keepdims=True)
    loss = float(np.mean(np.log(s[:, 0]) - shifted[np.arange(len(yb)), yb]))
    g = e / s
    g[np.arange(len(yb)), yb] -= 1
    g /= np.float32(len(yb))
    return loss, g


def step(params, grads, idx):
    acts = forward(params, x[idx])
    loss, g = loss_and_grad(acts[-1], y[idx])
    for i in range(len(params) - 1, -1, -1):
        (w, bias), dw = params[i], grads[i]
        # Into preallocated buffers: a fresh 800 KB array per step costs more in page faults than the product itself.
        np.matmul(acts[i].T, g, out=dw)
        db = g.sum(axis=0)
        if i > 0:
            g = g @ w.T
            g *= acts[i] > 0
        dw *= lr
        w -= dw
        db *= lr
        bias -= db
    return loss


def epoch(params, batches):
    grads = [np.empty_like(w) for w, _ in params]
    total = 0.0
    for start in range(0, batches * b, b):
        idx = order[start:start + b]
        if len(idx) == 0:
            break
        total += step(params, grads, idx) * len(idx)
    return total


epoch(initial(), 5)  # warm-up
params = initial()
wall0, cpu0 = time.perf_counter(), time.process_time()
loss_sum = epoch(params, (n + b - 1) // b)
wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
after, _ = loss_and_grad(forward(params, x)[-1], y)
print(json.dumps({"engine": "numpy-openblas", "wall": wall, "cpu": cpu, "examples": n, "epochLoss": loss_sum / n, "lossAfter": after, "numpy": np.__version__}))
