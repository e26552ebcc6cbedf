# The PyTorch side of bench/training-speed.ts: one epoch of the same model, batch size, optimiser and batches (the
# same example order) on the same data, on ONE thread, timed like the TF.js side (wall and process CPU of the training
# loop only). Prints one JSON line. Run by the bench with /usr/bin/python3 (Debian's python3-torch).
#   python3 torch-training.py <data dir> <spec.json>
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)  # the CNN starts from torch's own init: the same one every run
data_dir, spec_path = sys.argv[1], sys.argv[2]
with open(spec_path) as f:
    spec = json.load(f)
n, shape = spec["n"], spec["exampleShape"]
x = torch.from_numpy(np.fromfile(os.path.join(data_dir, "x.f32"), dtype="<f4").reshape([n] + shape))
y = torch.from_numpy(np.fromfile(os.path.join(data_dir, "y.i32"), dtype="<i4").astype(np.int64))
order = torch.from_numpy(np.fromfile(os.path.join(data_dir, "order.i32"), dtype="<i4").astype(np.int64))
if len(shape) == 3:
    # [n, h, w, 1] channels-last is the same memory as [n, 1, h, w] channels-first for one channel.
    assert shape[2] == 1, "the bench's conv models have one input channel"
    x = x.reshape(n, 1, shape[0], shape[1])


def activation(name):
    return {"relu": torch.nn.ReLU(), "tanh": torch.nn.Tanh(), "sigmoid": torch.nn.Sigmoid(), "linear": torch.nn.Identity()}[name]


def build(model_spec):
    """The fedfuse model spec (common/model/model-spec.ts) as a torch Sequential."""
    layers = []
    if model_spec["kind"] == "mlp":
        widths = model_spec["widths"]
        for i in range(1, len(widths)):
            layers.append(torch.nn.Linear(widths[i - 1], widths[i]))
            if i < len(widths) - 1:
                layers.append(activation(model_spec.get("activation", "relu")))
        return torch.nn.Sequential(*layers)
    c, h, w = shape[2], shape[0], shape[1]
    features = None
    for layer in model_spec["layers"]:
        t = layer["type"]
        if t == "conv2d":
            assert layer.get("padding", "valid") == "valid" and layer.get("strides", 1) == 1
            layers += [torch.nn.Conv2d(c, layer["filters"], layer["kernelSize"]), activation(layer.get("activation", "relu"))]
            c, h, w = layer["filters"], h - layer["kernelSize"] + 1, w - layer["kernelSize"] + 1
        elif t == "maxPooling2d":
            p = layer.get("poolSize", 2)
            layers.append(torch.nn.MaxPool2d(p))
            h, w = h // p, w // p
        elif t == "flatten":
            layers.append(torch.nn.Flatten())
            features = c * h * w
        elif t == "dense":
            layers += [torch.nn.Linear(features, layer["units"]), activation(layer.get("activation", "relu"))]
            features = layer["units"]
        else:
            raise ValueError("layer type %s is not in the torch side of the bench" % t)
    return torch.nn.Sequential(*layers)


def load_initial_weights(model):
    """The TF.js model's initial weights ([in, out] kernels), where the bench wrote them (MLPs)."""
    path = os.path.join(data_dir, "init.f32")
    if not os.path.exists(path):
        return False
    flat = np.fromfile(path, dtype="<f4")
    at = 0
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, torch.nn.Linear):
                out_f, in_f = layer.weight.shape
                layer.weight.copy_(torch.from_numpy(flat[at:at + in_f * out_f].reshape(in_f, out_f).T.copy()))
                at += in_f * out_f
                layer.bias.copy_(torch.from_numpy(flat[at:at + out_f].copy()))
                at += out_f
    return True


def optimiser(model):
    lr = spec["learningRate"]
    if spec["optimizer"] == "adam":
        return torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7)  # TF.js's epsilon
    return torch.optim.SGD(model.parameters(), lr=lr)


def epoch(model, opt, batches):
    total = 0.0
    b = spec["batchSize"]
    for start in range(0, batches * b, b):
        idx = order[start:start + b]
        if len(idx) == 0:
            break
        opt.zero_grad()
        loss = F.cross_entropy(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)  # the per-batch loss fedfuse reports, read every batch like it is
    return total


warm = build(spec["model"])
epoch(warm, optimiser(warm), 5)  # warm-up on a throwaway model
model = build(spec["model"])
same_init = load_initial_weights(model)
opt = optimiser(model)
batches = (n + spec["batchSize"] - 1) // spec["batchSize"]
wall0, cpu0 = time.perf_counter(), time.process_time()
loss_sum = epoch(model, opt, batches)
wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
with torch.no_grad():
    after = F.cross_entropy(model(x), y).item()
print(json.dumps({
    "engine": "pytorch", "wall": wall, "cpu": cpu, "examples": n, "epochLoss": loss_sum / n, "lossAfter": after,
    "sameInit": same_init, "torch": torch.__version__, "threads": torch.get_num_threads(),
    "blas": "generic" if "BLAS_INFO=generic" in torch.__config__.show() else "other",
}))
