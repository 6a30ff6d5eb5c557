"""Peak training memory and time per batch: naive against memory-efficient DenseNet, variant x batch x mode.

Each configuration trains in its own process, as the engine trains (engine.training.trainer.build_training_network
and compile_network; 1 warm-up batch, then timed batches on random 224x224 images); the peak is that
process's maximum resident set size (`os.wait4`, what `/usr/bin/time -v` calls "Maximum resident set size"),
so it counts everything: TensorFlow, weights, optimizer state, activations. A watchdog kills a process whose RSS passes --cap-gib (this machine is shared:
never let one run take it all); such a row says "killed".

Part "121": DenseNet-121, batch 32: memory-efficient peak must be <= 0.6x naive at <= 1.3x the time.
Part "264": DenseNet-264, naive measured at small batches; a straight line through (batch, peak) gives the
first batch at which naive would pass this machine's memory (MemTotal); at that batch the memory-efficient
mode trains, and the naive mode runs until it trains or the watchdog kills it (use a cap near the machine's
memory, e.g. --cap-gib 21 on 24 GiB).

Run: .venv/bin/python bench/train_memory.py [--part 121|264|all] [--cap-gib 9] [--precision float32]
         [--naive-batches 4 8] [--deep-batch N] [--no-xla-row]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GIB = 2**30
SIZE = 224


@dataclass(frozen=True)
class Row:
    variant: str
    batch: int
    memory_efficient: bool
    precision: str
    jit: bool
    peak_gib: float | None = None  # None: killed by the watchdog (peak above the cap)
    seconds_per_batch: float | None = None

    @property
    def mode(self) -> str:
        return "memory-efficient" if self.memory_efficient else "naive"

    def line(self) -> str:
        peak = f"{self.peak_gib:.2f}" if self.peak_gib is not None else "killed"
        seconds = f"{self.seconds_per_batch:.2f}" if self.seconds_per_batch is not None else "-"
        return (f"| {self.variant} | {self.batch} | {self.mode} | {self.precision} | "
                f"{'on' if self.jit else 'off'} | {peak} | {seconds} |")


def child(variant: str, batch: int, memory_efficient: bool, precision: str, jit: bool, steps: int) -> None:
    """Train one configuration in this process, as the engine trains, and print its time per batch as JSON."""
    import numpy as np
    import tensorflow as tf

    from bench.batch_timer import timed_fit
    from engine.model.compute import plan_compute  # the engine first: its TensorFlow environment
    from engine.model.config import ModelConfig
    from engine.training.trainer import build_training_network, compile_network

    plan = plan_compute(variant, SIZE, batch, precision, memory_efficient, jit)
    model = build_training_network(ModelConfig(variant, input_size=SIZE, classes=10), plan)
    compile_network(model, 1e-3, 1e-4, jit_compile=jit)
    rng = np.random.default_rng(0)
    images = rng.uniform(0, 255, (batch, SIZE, SIZE, 3)).astype("float32")
    data = tf.data.Dataset.from_tensors((images, rng.integers(0, 10, batch))).repeat()
    seconds = timed_fit(model, data, steps)  # its first batch traces and compiles: not counted
    print(json.dumps({"seconds_per_batch": sum(seconds) / len(seconds)}), flush=True)


def _rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def measure(row: Row, steps: int, cap_gib: float) -> Row:
    """Run `row` in a child process under the watchdog; fill in its peak memory and time per batch."""
    command = [sys.executable, __file__, "--child", row.variant, str(row.batch), str(int(row.memory_efficient)),
               row.precision, str(int(row.jit)), str(steps)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    killed = False
    while True:  # os.wait4, not poll(): it returns this child's own rusage (its maximum RSS)
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if not killed and _rss_bytes(process.pid) > cap_gib * GIB:
            process.kill()
            killed = True
        time.sleep(0.1)
    process.returncode = os.waitstatus_to_exitcode(status)
    output = process.stdout.read()
    if killed or process.returncode:
        reason = f"killed above {cap_gib} GiB" if killed else f"failed (exit {process.returncode})"
        print(f"  {row.variant} batch {row.batch} {row.mode}: {reason}", flush=True)
        return row
    result = json.loads(output.strip().splitlines()[-1])
    measured = Row(row.variant, row.batch, row.memory_efficient, row.precision, row.jit,
                   usage.ru_maxrss * 1024 / GIB, result["seconds_per_batch"])
    print("  " + measured.line(), flush=True)
    return measured


def linear_fit(rows: list[Row]) -> tuple[float, float]:
    """Least-squares peak_gib = intercept + slope * batch over the measured rows."""
    import numpy as np

    batches = np.array([r.batch for r in rows], float)
    peaks = np.array([r.peak_gib for r in rows], float)
    slope, intercept = np.polyfit(batches, peaks, 1)
    return float(intercept), float(slope)


def part_121(args) -> list[Row]:
    settings = ((False, False), (True, False)) + (() if args.no_xla_row else ((False, True),))
    rows = [measure(Row("densenet121", 32, efficient, args.precision, jit), args.steps, args.cap_gib)
            for efficient, jit in settings]
    naive, efficient = rows[0], rows[1]
    if naive.peak_gib and efficient.peak_gib:
        print(f"MEMORY densenet121 batch 32 ({args.precision}, XLA off): memory-efficient / naive peak = "
              f"{efficient.peak_gib / naive.peak_gib:.2f}x (target <= 0.6x), time per batch = "
              f"{efficient.seconds_per_batch / naive.seconds_per_batch:.2f}x (target <= 1.3x)")
    return rows


def machine_gib() -> float:
    """This machine's physical memory (MemTotal), in GiB."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024 / GIB
    raise RuntimeError("no MemTotal in /proc/meminfo")


def part_264(args) -> list[Row]:
    """Naive at small batches gives a straight line; at the first batch where that line passes the machine's
    memory, the memory-efficient mode trains and the naive mode runs until the watchdog kills it."""
    variant, steps, total = "densenet264", 1, machine_gib()
    naive = [measure(Row(variant, b, False, args.precision, False), steps, args.cap_gib) for b in args.naive_batches]
    measured = [r for r in naive if r.peak_gib]
    if len(measured) < 2:
        print("not enough measured naive rows for the straight-line fit")
        return naive
    a, b = linear_fit(measured)
    too_big = args.deep_batch or int((total - a) / b) + 1
    print(f"naive {variant}: peak = {a:.2f} + {b:.3f} x batch GiB -> passes this machine's {total:.1f} GiB from "
          f"batch {int((total - a) / b) + 1}; at batch {too_big}: {a + b * too_big:.1f} GiB", flush=True)
    efficient = measure(Row(variant, too_big, True, args.precision, False), steps, args.cap_gib)
    naive_there = measure(Row(variant, too_big, False, args.precision, False), steps, args.cap_gib)
    if efficient.peak_gib:
        naive_result = (f"killed above the {args.cap_gib} GiB watchdog cap" if naive_there.peak_gib is None
                        else f"measured {naive_there.peak_gib:.2f} GiB")
        print(f"DEEP {variant} batch {too_big}: memory-efficient {efficient.peak_gib:.2f} GiB at "
              f"{efficient.seconds_per_batch:.1f} s/batch; naive {naive_result} (line: "
              f"{a + b * too_big:.1f} GiB > {total:.1f} GiB)")
    return naive + [efficient, naive_there]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        variant, batch, efficient, precision, jit, steps = sys.argv[2:8]
        child(variant, int(batch), bool(int(efficient)), precision, bool(int(jit)), int(steps))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("121", "264", "all"), default="all")
    parser.add_argument("--cap-gib", type=float, default=9.0, help="watchdog: kill a run whose RSS passes this")
    parser.add_argument("--precision", default="float32", help="float32 or mixed_bfloat16")
    parser.add_argument("--steps", type=int, default=2, help="timed batches per configuration")
    parser.add_argument("--naive-batches", type=int, nargs="+", default=[4, 8],
                        help="DenseNet-264 naive batches for the straight line")
    parser.add_argument("--deep-batch", type=int, help="DenseNet-264 batch for the two large runs (default: the "
                        "first batch whose naive line passes this machine's memory)")
    parser.add_argument("--no-xla-row", action="store_true", help="part 121 without the naive XLA row")
    args = parser.parse_args()
    print(f"{SIZE}x{SIZE}, the engine's training network and compile, watchdog cap {args.cap_gib} GiB; "
          "peak = whole-process max RSS")
    rows = (part_121(args) if args.part in ("121", "all") else []) + (
        part_264(args) if args.part in ("264", "all") else [])
    print("\n| variant | batch | mode | precision | XLA | peak GiB | s/batch |\n|---|---|---|---|---|---|---|")
    print("\n".join(row.line() for row in rows))


if __name__ == "__main__":
    main()
