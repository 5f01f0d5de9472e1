"""peer.py — what the benchmarks against PyTorch share: timing a PyTorch step,
and the interleaved rounds of an lx process against it, reported as medians
and a ratio to the issue's target."""
import os
import statistics
import subprocess
import time


def torch_median(step, iters, warmup):
    """The median seconds of `step()` over `iters` calls, after `warmup` calls."""
    for _ in range(warmup):
        step()
    times = []
    for _ in range(iters):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def torch_mean(step, iters, warmup):
    """The mean seconds of `step()` over a run of `iters` calls, after `warmup` calls."""
    for _ in range(warmup):
        step()
    t = time.perf_counter()
    for _ in range(iters):
        step()
    return (time.perf_counter() - t) / iters


def compare(name, lx, script, env, threads, step, iters, rounds, target, warmup=3, width=36, timer=torch_median):
    """Rounds alternate an lx process running `script` (its last output word is the
    seconds of its step, as `timer` measures the PyTorch one) and `step` timed in this
    process; prints the medians over rounds and the ratio lx / PyTorch. Returns True
    when lx failed or missed the target."""
    lx_t, pt_t = [], []
    for _ in range(rounds):
        e = dict(os.environ, LX_NUM_THREADS=str(threads), **env)
        out = subprocess.run([lx, script], env=e, capture_output=True, text=True)
        if out.returncode != 0:
            print(f"  {name}: lx failed: {out.stderr.strip()}")
            return True
        lx_t.append(float(out.stdout.strip().split()[-1]))
        pt_t.append(timer(step, iters, warmup))
    a, b = statistics.median(lx_t), statistics.median(pt_t)
    ratio = a / b
    ok = ratio <= target
    print(f"  {name:{width}s} lx {a * 1e3:9.3f} ms   PyTorch {b * 1e3:9.3f} ms   ratio {ratio:5.2f} "
          f"(target <= {target}) {'ok' if ok else 'MISSED'}")
    return not ok
