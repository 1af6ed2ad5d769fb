"""How long `autograder check` makes a student wait, against the floor of importing what it needs.

    python -m bench.check_latency [--repeat N] [--backend auto|sandbox|portable] [--slug SLUG]
                                  [--root CHECKOUT]

In one invocation and the same environment, alternately: the floor, a bare
`python -c "import numpy, torch, pytest"`, and `autograder check SLUG solutions/SLUG` (the
reference, so every public test runs and passes). Prints each run, the medians and their
ratio (the target: at most 1.5, docs/benchmark.md). Alternating keeps a busy machine's drift
out of the ratio; the first pair warms the page cache and is not counted. `--root` times the
checker of another checkout of the course (e.g. an older commit) with this interpreter.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import LAYOUT

ROOT = LAYOUT.root  # the course this benchmark ships in (bench/__init__.py)
FLOOR = [sys.executable, "-c", "import numpy, torch, pytest"]


def timed(argv: list[str], root: Path = ROOT) -> float:
    start = time.perf_counter()
    env = {**os.environ, "AUTOGRADER_ROOT": str(root)}
    result = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}):\n"
                         f"{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.check_latency", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=5, help="measured pairs (default 5)")
    p.add_argument("--backend", choices=["auto", "sandbox", "process", "portable"],
                   help="passed to check (default: check's own default)")
    p.add_argument("--slug", default="a1_losses")
    p.add_argument("--root", type=Path, default=ROOT, help="the course checkout whose check runs")
    args = p.parse_args(argv)
    root = args.root.resolve()
    check = [sys.executable, "-m", "autograder", "check", args.slug,
             str(root / "solutions" / args.slug), *(["--backend", args.backend] if args.backend else [])]
    timed(FLOOR), timed(check, root)  # warm the page cache
    floors, checks = [], []
    for i in range(args.repeat):
        floors.append(timed(FLOOR))
        checks.append(timed(check, root))
        print(f"run {i + 1}: floor {floors[-1]:.2f} s, check {checks[-1]:.2f} s", flush=True)
    floor, taken = statistics.median(floors), statistics.median(checks)
    print(f"median floor (import numpy, torch, pytest): {floor:.2f} s")
    print(f"median `autograder check {args.slug}` ({root}, --backend "
          f"{args.backend or 'default'}): {taken:.2f} s")
    print(f"ratio: {taken / floor:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
