"""The comparison methods as commands, so each is measured the same way from outside.

  python -m bench.drivers floor   OUT JOBS SLUGS DIR...   (c) the same suites in-process,
        split over JOBS pytest processes exactly as `autograder grade` splits them, but the
        student's module imported into the pytest process: no worker, no sandbox, no fork
  python -m bench.drivers percall OUT JOBS SLUGS DIR...   (a) the usual CI grader: a fresh
        `pytest` process per submission and assignment (student code in-process), JOBS at once
SLUGS is a comma-separated list. Both write OUT/<student>/<slug>.json like `autograder grade`.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from autograder.batch import slots
from bench import LAYOUT

PER_PROCESS_TIMEOUT = 900


def floor(out: Path, jobs: int, slugs: list[str], folders: list[Path]) -> int:
    slots.run(slots.Batch(folders, slugs, out, jobs=jobs, backend="inprocess", layout=LAYOUT))
    return 0


def percall(out: Path, jobs: int, slugs: list[str], folders: list[Path]) -> int:
    def one(task: tuple[Path, str]) -> int:
        folder, slug = task
        # the same pytest flags as the engine's own slots (slots.PYTEST_LEAN)
        argv = [sys.executable, "-m", "pytest", "-q", "--tb=no", *slots.PYTEST_LEAN,
                "--rootdir", str(LAYOUT.root), "-c", str(LAYOUT.pytest_config),
                str(LAYOUT.suite_dir(slug)), "--ag-submission", str(folder),
                "--ag-backend", "inprocess", "--ag-results", str(out)]
        try:
            return subprocess.run(argv, cwd=LAYOUT.root, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, timeout=PER_PROCESS_TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            return -1

    tasks = [(folder, slug) for folder in folders for slug in slugs]
    with ThreadPoolExecutor(jobs) as pool:
        codes = list(pool.map(one, tasks))
    return 0 if all(code in (0, 1) for code in codes) else 1


def main(argv: list[str]) -> int:
    method, out, jobs, slugs, *folders = argv
    run = {"floor": floor, "percall": percall}[method]
    return run(Path(out), int(jobs), slugs.split(","), [Path(f) for f in folders])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
