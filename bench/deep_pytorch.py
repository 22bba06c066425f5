#!/usr/bin/python3
"""One combination of InitLab's deep signal-propagation experiment as a plain PyTorch script.

It computes what `initlab-cli deep` computes for one init x activation combination, the way one
would write it with PyTorch's usual tools, so that bench/compare-pytorch.sh can time the two on
the same machine:

- inputs N(0, 1) of shape [batch, width] and targets uniform in [0, width);
- `depth` bias-free nn.Linear layers, weights drawn by the init scheme (torch.nn.init), each
  followed by the activation: h = a W^T, a = act(h);
- per layer the mean and sample standard deviation of the activations (in float64, on a double
  copy), the share of saturated activations (derivative below 5 % of its largest value) and the
  share that is exactly 0;
- the mean cross-entropy of the last layer's activations against the targets, backward through
  autograd (retain_grad() on every pre-activation h gives dL/dh);
- per layer the standard deviation of dL/dh and the mean and standard deviation of the weight
  gradient (float64 again).

No histograms: the comparison is against InitLab's default run, which makes none.

The timed part starts at the net's construction and ends with the last statistic, as InitLab's
combination time does (the inputs are drawn before it in both). The weights come from PyTorch's
generator, not InitLab's, so the numbers agree with InitLab's deep.csv statistically, not bit for
bit; --compare checks that agreement.

Run it with Debian's python3 (/usr/bin/python3 with python3-torch, `./setup.sh bench` installs it).
"""

import argparse
import csv
import ctypes
import ctypes.util
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

LEAKY_SLOPE = 0.01
SATURATION_SHARE = 0.05
SELU_SCALE_ALPHA = 1.0507009873554804934193349852946 * 1.6732632423543772848170429916717

ACTIVATIONS = {
    "tanh": torch.tanh,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "linear": lambda h: h,
    "leaky_relu": lambda h: F.leaky_relu(h, LEAKY_SLOPE),
    "selu": F.selu,
}
# torch.nn.init.calculate_gain's names (and, for leaky ReLU, its slope) for each activation.
GAIN_NAMES = {"tanh": "tanh", "relu": "relu", "sigmoid": "sigmoid", "linear": "linear",
              "leaky_relu": "leaky_relu", "selu": "selu"}
INIT_SCHEMES = ("heuristic", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal",
                "normal", "orthogonal", "lecun_normal", "zeros")


def init_weight(weight, scheme, activation, sigma):
    """Fills a [fan_out, fan_in] weight as InitLab's init scheme of that name does."""
    fan_in = weight.shape[1]
    nonlinearity = GAIN_NAMES[activation]
    slope = LEAKY_SLOPE if activation == "leaky_relu" else 0
    if scheme == "heuristic":
        bound = 1.0 / math.sqrt(fan_in)
        nn.init.uniform_(weight, -bound, bound)
    elif scheme == "xavier_uniform":
        nn.init.xavier_uniform_(weight)
    elif scheme == "xavier_normal":
        nn.init.xavier_normal_(weight)
    elif scheme == "kaiming_uniform":
        nn.init.kaiming_uniform_(weight, a=slope, nonlinearity=nonlinearity)
    elif scheme == "kaiming_normal":
        nn.init.kaiming_normal_(weight, a=slope, nonlinearity=nonlinearity)
    elif scheme == "normal":
        nn.init.normal_(weight, 0.0, sigma)
    elif scheme == "orthogonal":
        nn.init.orthogonal_(weight, gain=nn.init.calculate_gain(nonlinearity, slope))
    elif scheme == "lecun_normal":
        nn.init.normal_(weight, 0.0, 1.0 / math.sqrt(fan_in))
    elif scheme == "zeros":
        nn.init.zeros_(weight)


# ---- InitLab's own random streams, for a layer-by-layer check ---------------------------------
# InitLab draws the inputs and targets from a CPU generator seeded with splitmix64(seed, stream 0)
# and every weight from one seeded with splitmix64(seed, stream 1) (core/src/seeding.h), with the
# same ATen kernels this script calls: drawn the same way here, they are the same numbers, and the
# statistics can be compared with InitLab's deep.csv layer by layer.

def mix_seed(seed, stream):
    mask = (1 << 64) - 1
    z = (seed + 0x9E3779B97F4A7C15 * (stream + 1)) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return z ^ (z >> 31)


def initlab_generator(seed, stream):
    return torch.Generator().manual_seed(mix_seed(seed, stream))


def initlab_gain(scheme, activation):
    """InitLab's schemeGain: the activation's gain for Kaiming and orthogonal, else 1."""
    if scheme not in ("kaiming_uniform", "kaiming_normal", "orthogonal"):
        return 1.0
    return {"tanh": 5.0 / 3.0, "relu": math.sqrt(2.0),
            "leaky_relu": math.sqrt(2.0 / (1.0 + LEAKY_SLOPE * LEAKY_SLOPE)), "selu": 0.75}.get(activation, 1.0)


def initlab_init_weight(weight, scheme, activation, sigma, generator):
    """Fills a weight as core/src/torch_init.cpp does, from InitLab's weight stream."""
    fan_out, fan_in = weight.shape
    gain = initlab_gain(scheme, activation)
    uniform = {"heuristic": 1.0 / math.sqrt(fan_in),
               "xavier_uniform": gain * math.sqrt(6.0 / (fan_in + fan_out)),
               "kaiming_uniform": gain * math.sqrt(3.0 / fan_in)}
    normal = {"xavier_normal": gain * math.sqrt(2.0 / (fan_in + fan_out)),
              "kaiming_normal": gain / math.sqrt(fan_in),
              "normal": sigma,
              "lecun_normal": 1.0 / math.sqrt(fan_in)}
    if scheme in uniform:
        weight.uniform_(-uniform[scheme], uniform[scheme], generator=generator)
    elif scheme in normal:
        weight.normal_(0.0, normal[scheme], generator=generator)
    elif scheme == "zeros":
        weight.zero_()
    else:
        sys.exit(f"error: --initlab-rng does not draw {scheme} weights as InitLab does")


def saturated(a, activation):
    """Where the activation's derivative is below 5 % of its largest value, in terms of its output."""
    if activation == "tanh":
        return a * a > 1.0 - SATURATION_SHARE
    if activation == "sigmoid":
        return a * (1.0 - a) < SATURATION_SHARE * 0.25
    if activation == "relu":
        return a <= 0
    if activation == "leaky_relu":
        return a < 0
    if activation == "selu":
        return a < (SATURATION_SHARE - 1.0) * SELU_SCALE_ALPHA
    return torch.zeros_like(a, dtype=torch.bool)


def run_combination(inputs, targets, scheme, activation, depth, sigma, weight_generator=None):
    """The combination's per-layer statistics, a list of dicts (layer 1 first). With a
    weight_generator the weights are drawn as InitLab draws them, else by torch.nn.init."""
    width = inputs.shape[1]
    act = ACTIVATIONS[activation]
    # skip_init: the scheme draws every weight, so nn.Linear's own default init would be wasted work.
    layers = nn.ModuleList(nn.utils.skip_init(nn.Linear, width, width, bias=False) for _ in range(depth))
    with torch.no_grad():
        for layer in layers:
            if weight_generator is None:
                init_weight(layer.weight, scheme, activation, sigma)
            else:
                initlab_init_weight(layer.weight, scheme, activation, sigma, weight_generator)

    pre_activations = []
    activations = []
    a = inputs
    for layer in layers:
        h = layer(a)
        h.retain_grad()
        a = act(h)
        pre_activations.append(h)
        activations.append(a)

    stats = []
    with torch.no_grad():
        for l, a in enumerate(activations, start=1):
            std, mean = torch.std_mean(a.double())
            stats.append({
                "layer": l,
                "act_mean": mean.item(),
                "act_std": std.item(),
                "saturated_frac": saturated(a, activation).sum().item() / a.numel(),
                "zero_frac": (a == 0).sum().item() / a.numel(),
            })

    loss = F.cross_entropy(activations[-1], targets)
    loss.backward()

    with torch.no_grad():
        for s, h, layer in zip(stats, pre_activations, layers):
            grad_std, grad_mean = torch.std_mean(layer.weight.grad.double())
            s["grad_mean"] = grad_mean.item()
            s["grad_std"] = grad_std.item()
            s["pre_grad_std"] = torch.std(h.grad.double()).item()
    return stats


COLUMNS = ("act_mean", "act_std", "grad_mean", "grad_std", "pre_grad_std", "saturated_frac", "zero_frac")


def write_csv(path, scheme, activation, stats):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(("init", "activation", "layer") + COLUMNS)
        for s in stats:
            out.writerow([scheme, activation, s["layer"]] + [repr(s[c]) for c in COLUMNS])


def relative_difference(mine, theirs):
    scale = max(abs(mine), abs(theirs))
    return 0.0 if scale == 0.0 else abs(mine - theirs) / scale


def compare(path, scheme, activation, stats, tolerance):
    """Compares the statistics with InitLab's deep.csv of the same combination: each layer's
    standard deviations as relative differences, its signed means as differences relative to the
    standard deviation (a mean near 0 has no relative precision), and the shares (saturated, zero)
    as absolute differences, each within `tolerance`. True when they agree."""
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["init"] == scheme and r["activation"] == activation]
    if len(rows) != len(stats):
        print(f"compare: {path} has {len(rows)} layers of {scheme} + {activation}, this run {len(stats)}")
        return False
    checks = [
        ("act_std", "relative", lambda s, r: relative_difference(s["act_std"], float(r["act_std"]))),
        ("pre_grad_std", "relative", lambda s, r: relative_difference(s["pre_grad_std"], float(r["pre_grad_std"]))),
        ("grad_std", "relative", lambda s, r: relative_difference(s["grad_std"], float(r["grad_std"]))),
        ("act_mean", "/ act_std", lambda s, r: mean_difference(s, r, "act_mean", "act_std")),
        ("grad_mean", "/ grad_std", lambda s, r: mean_difference(s, r, "grad_mean", "grad_std")),
        ("saturated_frac", "absolute", lambda s, r: abs(s["saturated_frac"] - float(r["saturated_frac"]))),
        ("zero_frac", "absolute", lambda s, r: abs(s["zero_frac"] - float(r["zero_frac"]))),
    ]
    agree = True
    print(f"agreement with {path} ({scheme} + {activation}, {len(stats)} layers, tolerance {tolerance:g}):")
    for column, kind, difference in checks:
        diffs = [difference(s, r) for s, r in zip(stats, rows)]
        worst = max(range(len(diffs)), key=diffs.__getitem__)
        ok = diffs[worst] <= tolerance
        agree = agree and ok
        print(f"  {column:<15} largest {kind + ' difference':<22} {diffs[worst]:9.2e} (layer {worst + 1:>2}), "
              f"median {sorted(diffs)[len(diffs) // 2]:9.2e}: {'within' if ok else 'NOT within'}")
    return agree


def mean_difference(stats, row, mean, std):
    scale = max(stats[std], float(row[std]))
    return 0.0 if scale == 0.0 else abs(stats[mean] - float(row[mean])) / scale


def blas_kernels():
    """The OpenBLAS kernels this process got (the same library LibTorch links), or '?'."""
    for name in ("libopenblas.so.0", ctypes.util.find_library("openblas")):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode()
        except (OSError, AttributeError):
            continue
    return "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--init", default="heuristic", choices=INIT_SCHEMES)
    parser.add_argument("--activation", default="tanh", choices=sorted(ACTIVATIONS))
    parser.add_argument("--depth", type=int, default=50)
    parser.add_argument("--width", type=int, default=512)
    parser.add_argument("--batch", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sigma", type=float, default=0.1, help="sigma of the normal scheme")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: all cores)")
    parser.add_argument("--last", type=int, default=5, help="layers to print at the end")
    parser.add_argument("--csv", help="also write the statistics in deep.csv's columns to this file")
    parser.add_argument("--compare", metavar="DEEP_CSV",
                        help="check the statistics against InitLab's deep.csv of the same combination")
    parser.add_argument("--tolerance", type=float,
                        help="largest relative difference of a layer's std in --compare (default 0.001 with "
                             "--initlab-rng, else 0.15: InitLab's own seeds 0 and 1 differ by up to 14 %% in a "
                             "layer's std of heuristic + tanh)")
    parser.add_argument("--initlab-rng", action="store_true",
                        help="draw inputs, targets and weights from InitLab's random streams (the same numbers "
                             "as initlab-cli deep with the same --seed) instead of torch.manual_seed and nn.init")
    args = parser.parse_args()

    torch.set_num_threads(args.threads if args.threads > 0 else os.cpu_count() or 1)
    weight_generator = None
    if args.initlab_rng:
        data = initlab_generator(args.seed, 0)
        inputs = torch.empty(args.batch, args.width).normal_(0.0, 1.0, generator=data)
        targets = torch.randint(args.width, (args.batch,), generator=data)
        weight_generator = initlab_generator(args.seed, 1)
    else:
        torch.manual_seed(args.seed)
        inputs = torch.randn(args.batch, args.width)
        targets = torch.randint(args.width, (args.batch,))

    started = time.perf_counter()
    stats = run_combination(inputs, targets, args.init, args.activation, args.depth, args.sigma, weight_generator)
    seconds = time.perf_counter() - started

    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, OpenBLAS kernels {blas_kernels()}")
    print(f"{args.init} + {args.activation}: depth {args.depth}, width {args.width}, batch {args.batch}, "
          f"seed {args.seed} ({'InitLab' if args.initlab_rng else 'torch'} random streams), no histograms")
    print(f"combination seconds: {seconds:.3f}")
    print(f"{'layer':>5} {'act_std':>12} {'pre_grad_std':>13} {'grad_std':>12}")
    for s in stats[-args.last:] if args.last > 0 else []:
        print(f"{s['layer']:>5} {s['act_std']:12.5g} {s['pre_grad_std']:13.5g} {s['grad_std']:12.5g}")
    if args.csv:
        write_csv(args.csv, args.init, args.activation, stats)
    tolerance = args.tolerance if args.tolerance is not None else 0.001 if args.initlab_rng else 0.15
    if args.compare and not compare(args.compare, args.init, args.activation, stats, tolerance):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
