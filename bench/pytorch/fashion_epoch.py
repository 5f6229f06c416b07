#!/usr/bin/python3
"""PyTorch CPU reference timing for theta: Fashion-MNIST epochs.

Usage: /usr/bin/python3 fashion_epoch.py {softmax|mlp|mlp-sgd|mlp512|cnn|lenet} [epochs=3] [--batch N] [--data DIR]

softmax: nn.Linear(784,10), cross-entropy, SGD lr 0.1
mlp:     784-256-10 ReLU, cross-entropy, Adam lr 1e-3
mlp-sgd: 784-256-10 ReLU, cross-entropy, SGD lr 0.1
mlp512:  784-512-512-10 ReLU, cross-entropy, Adam lr 1e-3
cnn:     examples/fashion-mnist-cnn.yaml: conv 32 3x3 pad 1, ReLU, maxpool 2, conv 64 3x3 pad 1, ReLU, maxpool 2,
         dense 128, ReLU, 10 scores; Adam lr 1e-3
lenet:   examples/fashion-mnist-lenet.yaml: conv 6 5x5 pad 2, ReLU, avgpool 2, conv 16 5x5, ReLU, avgpool 2,
         dense 120, ReLU, dense 84, ReLU, 10 scores; Adam lr 1e-3
Batch 128 unless --batch says otherwise.
Pixels float32 / 255, flattened (as (1, 28, 28) images for cnn and lenet). Shuffle with a seeded torch.Generator.
Per-epoch seconds cover the training loop only (data already in tensors).
Last line is JSON: {"model":..., "median_epoch_s":..., "test_accuracy":...}
"""
import argparse
import gzip
import json
import statistics
import struct
import time

import numpy as np
import torch
import torch.nn as nn


def load_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return arr.reshape(dims)


def load(data_dir, split):
    prefix = "train" if split == "train" else "t10k"
    x = load_idx(f"{data_dir}/{prefix}-images-idx3-ubyte.gz")
    y = load_idx(f"{data_dir}/{prefix}-labels-idx1-ubyte.gz")
    x = torch.from_numpy(x.reshape(x.shape[0], -1).astype(np.float32) / 255.0)
    y = torch.from_numpy(y.astype(np.int64))
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", choices=["softmax", "mlp", "mlp-sgd", "mlp512", "cnn", "lenet"])
    ap.add_argument("epochs", nargs="?", type=int, default=3)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    xtr, ytr = load(args.data, "train")
    xte, yte = load(args.data, "test")

    if args.model in ("cnn", "lenet"):
        xtr, xte = xtr.reshape(-1, 1, 28, 28), xte.reshape(-1, 1, 28, 28)
    if args.model == "cnn":
        model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    elif args.model == "lenet":
        model = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.AvgPool2d(2),
                              nn.Conv2d(6, 16, 5), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
                              nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    elif args.model == "softmax":
        model = nn.Linear(784, 10)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
    elif args.model == "mlp512":
        model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    else:
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
        if args.model == "mlp-sgd":
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
        else:
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(args.seed)
    n = xtr.shape[0]

    times, acc = [], 0.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        total_loss = 0.0
        for i in range(0, n, args.batch):
            idx = perm[i:i + args.batch]
            xb, yb = xtr[idx], ytr[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total_loss += loss.item() * idx.numel()
        dt = time.perf_counter() - t0
        times.append(dt)
        model.eval()
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        print(f"epoch {epoch}: {dt:.3f} s  train_loss {total_loss / n:.4f}  test_acc {acc:.4f}", flush=True)

    print(json.dumps({"model": args.model, "batch": args.batch, "median_epoch_s": round(statistics.median(times), 4),
                      "test_accuracy": round(acc, 4), "epochs": args.epochs,
                      "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
