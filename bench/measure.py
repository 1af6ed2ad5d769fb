"""Run one command and measure it: wall time, CPU time and memory of its whole process tree."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_EVERY = 0.2  # seconds between memory samples


@dataclass
class Measurement:
    wall: float            # seconds
    cpu: float             # user + system seconds of every process in the tree
    peak_pss: int          # bytes: the largest sum of PSS over the tree at one moment
    peak_rss: int          # bytes: the largest RSS of a single process
    returncode: int

    def row(self) -> dict:
        return {"wall_s": round(self.wall, 2), "cpu_s": round(self.cpu, 2),
                "peak_tree_pss_mb": round(self.peak_pss / 2**20), "peak_process_rss_mb":
                round(self.peak_rss / 2**20), "returncode": self.returncode}


def bench_env() -> dict[str, str]:
    """The same environment for every method: one BLAS/OpenMP thread per process, as the warm
    workers use (a grader that let torch start a thread per core in every process would only
    be slower on a 2-core machine)."""
    return {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}


def _tree_memory(root: psutil.Process) -> tuple[int, int]:
    pss = rss = 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for process in processes:
        try:
            info = process.memory_full_info()
        except psutil.Error:
            continue
        pss += getattr(info, "pss", info.rss)
        rss = max(rss, info.rss)
    return pss, rss


def measure(argv: list[str], log: Path, env: dict[str, str] | None = None,
            cwd: Path | None = None, timeout: float | None = None) -> Measurement:
    log.parent.mkdir(parents=True, exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = {"pss": 0, "rss": 0}
    with open(log, "w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(argv, env=env or bench_env(), cwd=cwd, stdout=out,
                                   stderr=subprocess.STDOUT)
        watched = psutil.Process(process.pid)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                pss, rss = _tree_memory(watched)
                peak["pss"], peak["rss"] = max(peak["pss"], pss), max(peak["rss"], rss)
                done.wait(SAMPLE_EVERY)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            returncode = process.wait()
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measurement(wall, cpu, peak["pss"], peak["rss"], returncode)
