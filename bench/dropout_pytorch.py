#!/usr/bin/python3
"""One training epoch of InitLab's dropout experiment as a plain PyTorch script.

The epoch that `initlab-cli dropout --benchmark` times in its part (a), written the usual PyTorch
way, so that bench/compare-pytorch.sh can time the two on the same machine:

- images 0-4999 of the training file (MNIST's IDX format, .gz or not), pixels / 255, flattened;
- the net Dropout(p) -> Linear(784, 800) -> ReLU -> Dropout(p) -> Linear(800, 800) -> ReLU ->
  Dropout(p) -> Linear(800, 10), weights N(0, 0.1^2), biases 0;
- AdamW (lr 3e-4, weight decay 0.01) on the mean cross-entropy, batch 8, in a shuffled order;
  the epoch's summed loss and right answers are kept, as InitLab's epoch keeps them.

The timed part is the epoch's training steps (the shuffle included), as InitLab's "train s" is:
loading the images and building the net come before it in both, the validation after it.

Run it with Debian's python3 (/usr/bin/python3 with python3-torch, `./setup.sh bench` installs it).
"""

import argparse
import gzip
import os
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def open_idx(folder, base):
    """The IDX file of a base name in folder: the raw file if present, else the .gz one."""
    raw = os.path.join(folder, base)
    if os.path.isfile(raw):
        return open(raw, "rb")
    if os.path.isfile(raw + ".gz"):
        return gzip.open(raw + ".gz", "rb")
    sys.exit(f"error: {folder} has neither {base} nor {base}.gz")


def read_idx(folder, base):
    """An IDX file of unsigned bytes as a uint8 tensor of its shape."""
    with open_idx(folder, base) as f:
        data = f.read()
    zero, kind, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08:
        sys.exit(f"error: {base} is not an IDX file of unsigned bytes")
    shape = struct.unpack(f">{dims}I", data[4:4 + 4 * dims])
    payload = bytearray(data[4 + 4 * dims:])
    return torch.frombuffer(payload, dtype=torch.uint8).reshape(shape)


def make_net(p, hidden, inputs, classes, sigma):
    sizes = [inputs] + hidden + [classes]
    layers = []
    for l in range(len(sizes) - 1):
        linear = nn.Linear(sizes[l], sizes[l + 1])
        nn.init.normal_(linear.weight, 0.0, sigma)
        nn.init.zeros_(linear.bias)
        layers += [nn.Dropout(p), linear]
        if l + 2 < len(sizes):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def train_epoch(net, optimizer, x, y, batch):
    """One epoch of AdamW steps; returns its mean loss and accuracy (with dropout on)."""
    net.train()
    order = torch.randperm(len(x))
    loss_sum = 0.0
    correct = 0
    for start in range(0, len(x), batch):
        index = order[start:start + batch]
        xb, yb = x[index], y[index]
        logits = net(xb)
        loss = F.cross_entropy(logits, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(index)
        correct += (logits.argmax(1) == yb).sum().item()
    return loss_sum / len(x), correct / len(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist",
                        help="folder of the MNIST-format files (default: Fashion-MNIST's)")
    parser.add_argument("--p", type=float, nargs="+", default=[0.0, 0.5], help="dropout rates, one epoch each")
    parser.add_argument("--train", type=int, default=5000, help="training images (the first N)")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--hidden", type=int, nargs="+", default=[800, 800])
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--sigma", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (InitLab trains at batch <= 64 on one thread; 0: all cores)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads if args.threads > 0 else os.cpu_count() or 1)
    torch.manual_seed(args.seed)
    images = read_idx(args.data, "train-images-idx3-ubyte")
    labels = read_idx(args.data, "train-labels-idx1-ubyte")
    x = images[:args.train].reshape(args.train, -1).float() / 255.0
    y = labels[:args.train].long()

    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads; {args.train} images of {args.data}, "
          f"net {x.shape[1]}-{'-'.join(map(str, args.hidden))}-10, batch {args.batch}")
    for p in args.p:
        net = make_net(p, args.hidden, x.shape[1], 10, args.sigma)
        optimizer = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=args.weight_decay)
        started = time.perf_counter()
        loss, accuracy = train_epoch(net, optimizer, x, y, args.batch)
        seconds = time.perf_counter() - started
        steps = (len(x) + args.batch - 1) // args.batch
        print(f"p = {p:g}: epoch seconds: {seconds:.3f} ({steps} steps, {steps / seconds:.0f} steps/s; "
              f"train loss {loss:.4f}, train acc {100 * accuracy:.2f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
