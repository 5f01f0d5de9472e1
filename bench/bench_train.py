#!/usr/bin/python3
"""bench_train.py — the training benchmarks of the Training issue, against the
same step in PyTorch on the CPU with the same thread count, measured in the
same run. Rounds alternate an lx process (bench/train/mlp_step.lx prints the
mean seconds of a step over a run of them: forward, loss, backward, Adam
update, and the collections they cause) and the PyTorch step timed the same
way in this process; the report is the median over rounds and the ratio
lx / PyTorch against the issue's target.

Memory: an lx process running 200 steps of the large MLP, its peak resident
set (the whole process: VmHWM, which the script reads at its end), against
what building the model and the same 200 steps add to a PyTorch process's
peak resident set above its size after `import torch` alone (a child process
reports both), interleaved, medians.

Usage: /usr/bin/python3 bench/bench_train.py BUILD_DIR [ROUNDS]
(Debian's python3-torch; `make bench` installs it.)
"""
import os
import statistics
import subprocess
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from peer import compare, torch_mean

THREADS = int(os.environ.get("LX_NUM_THREADS", "2"))
torch.set_num_threads(THREADS)
HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "train", "mlp_step.lx")


def mlp(sizes, act, batch):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(act())
    return nn.Sequential(*layers)


def torch_step(sizes, act, batch):
    torch.manual_seed(0)
    model = mlp(sizes, act, batch)
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    x = torch.randn(batch, sizes[0])
    if sizes[-1] > 1:
        y = torch.randint(0, sizes[-1], (batch,))
        lossf = F.cross_entropy
    else:
        y = torch.randn(batch, 1)
        lossf = F.mse_loss

    def step():
        opt.zero_grad(set_to_none=True)
        lossf(model(x), y).backward()
        opt.step()
    return step


# The PyTorch side of the memory case, in its own process: resident size after
# its import alone, then the peak after building the model and 200 steps (kB, from /proc).
TORCH_MEMORY = r"""
import sys, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(int(sys.argv[1]))
def kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1])
base = kb("VmRSS:")
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.Adam(model.parameters(), lr=0.001)
x = torch.randn(128, 784); y = torch.randint(0, 10, (128,))
for _ in range(200):
    opt.zero_grad(set_to_none=True)
    F.cross_entropy(model(x), y).backward()
    opt.step()
print(base, kb("VmHWM:"))
"""

# name, environment of mlp_step.lx, (sizes, activation) of the PyTorch peer, batch, iterations, target
CASES = [
    ("MLP 784-256-256-10 relu, batch 128, Adam", {"SIZES": "784,256,256,10", "ACT": "relu", "BATCH": "128",
                                                  "ITERS": "50"}, ([784, 256, 256, 10], nn.ReLU), 128, 50, 0.8),
    ("MLP 2-16-16-1 tanh, batch 32, Adam", {"SIZES": "2,16,16,1", "ACT": "tanh", "BATCH": "32", "ITERS": "4000"},
     ([2, 16, 16, 1], nn.Tanh), 32, 4000, 0.2),
]


def run_lx(lx, env):
    e = dict(os.environ, LX_NUM_THREADS=str(THREADS), **env)
    return subprocess.run([lx, SCRIPT], env=e, capture_output=True, text=True)


def memory(lx, rounds):
    lx_kb, pt_add = [], []
    for _ in range(rounds):
        out = run_lx(lx, {"STEPS": "200"})
        if out.returncode != 0:
            print(f"  memory: lx failed: {out.stderr.strip()}")
            return True
        lx_kb.append(int(out.stdout.split()[-1]))
        out = subprocess.run(["/usr/bin/python3", "-c", TORCH_MEMORY, str(THREADS)], capture_output=True, text=True)
        base, peak = map(int, out.stdout.split())
        pt_add.append(peak - base)
    a, b = statistics.median(lx_kb), statistics.median(pt_add)
    ok = a <= b
    print(f"  {'peak RSS, 200 steps of the MLP':40s} lx {a / 1024:7.1f} MB (whole process)   "
          f"PyTorch +{b / 1024:6.1f} MB (over import)   ratio {a / b:5.2f} (target <= 1.0) "
          f"{'ok' if ok else 'MISSED'}")
    return not ok


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    lx = os.path.join(build, "lx")
    print(f"training: one step (forward, loss, backward, Adam), median of {rounds} interleaved rounds, "
          f"{THREADS} threads (PyTorch {torch.__version__})")
    failed = False
    for name, env, (sizes, act), batch, iters, target in CASES:
        failed |= compare(name, lx, SCRIPT, env, THREADS, torch_step(sizes, act, batch), iters, rounds, target,
                          warmup=5, width=40, timer=torch_mean)
    failed |= memory(lx, rounds)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
