#!/usr/bin/python3
"""bench_layers.py — the layer benchmarks of the Layers issue, each against the
same network in PyTorch on the CPU with the same thread count, measured in
the same run: rounds alternate an lx process (bench/layers/*.lx, which prints
the median seconds of one forward-plus-gradient step) and the PyTorch model
timed the same way in this process; the report is the median over rounds and
the ratio lx / PyTorch against the issue's target.

Usage: /usr/bin/python3 bench/bench_layers.py BUILD_DIR [ROUNDS]
(Debian's python3-torch; `make bench` installs it.)
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from peer import compare

THREADS = int(os.environ.get("LX_NUM_THREADS", "2"))
torch.set_num_threads(THREADS)
HERE = os.path.dirname(os.path.abspath(__file__))


def lux_readme(batch):
    model = nn.Sequential(nn.BatchNorm1d(128), nn.Linear(128, 256), nn.Tanh(), nn.BatchNorm1d(256),
                          nn.Sequential(nn.Linear(256, 1), nn.Tanh(), nn.Linear(1, 10)))
    x = torch.randn(batch, 128)

    def step():
        model.zero_grad(set_to_none=True)
        model(x).sum().backward()
    return step


def lenet(batch):
    class LeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(1, 6, 5)
            self.c2 = nn.Conv2d(6, 16, 5)
            self.d1 = nn.Linear(256, 120)
            self.d2 = nn.Linear(120, 84)
            self.d3 = nn.Linear(84, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.c1(x)), 2)
            x = F.max_pool2d(F.relu(self.c2(x)), 2)
            x = x.flatten(1)
            return self.d3(F.relu(self.d2(F.relu(self.d1(x)))))
    model = LeNet()
    x = torch.randn(batch, 1, 28, 28)

    def step():
        model.zero_grad(set_to_none=True)
        model(x).sum().backward()
    return step


def lstm(_batch):
    model = nn.LSTM(64, 128)
    x = torch.randn(50, 32, 64)

    def step():
        model.zero_grad(set_to_none=True)
        out, _ = model(x)
        out[-1].sum().backward()
    return step


# name, lx script, environment, PyTorch step builder, batch, iterations, target ratio
CASES = [
    ("Lux README model, batch 2", "lux_readme.lx", {"BATCH": "2", "ITERS": "200"}, lux_readme, 2, 200, 0.8),
    ("Lux README model, batch 256", "lux_readme.lx", {"BATCH": "256", "ITERS": "50"}, lux_readme, 256, 50, 0.8),
    ("LeNet-5, 28x28x1x64", "lenet.lx", {"BATCH": "64", "ITERS": "20"}, lenet, 64, 20, 1.0),
    ("LSTM 64=>128, 50 steps, batch 32", "lstm.lx", {"ITERS": "10"}, lstm, 32, 10, 1.0),
]


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    lx = os.path.join(build, "lx")
    print(f"layers: forward + gradient, median of {rounds} interleaved rounds, {THREADS} threads "
          f"(PyTorch {torch.__version__})")
    failed = False
    for name, script, env, builder, batch, iters, target in CASES:
        failed |= compare(name, lx, os.path.join(HERE, "layers", script), env, THREADS, builder(batch), iters,
                          rounds, target)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
