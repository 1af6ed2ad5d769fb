"""Run one command and measure it: wall time, CPU time and memory of its whole process tree."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil  # type: ignore[import-untyped]  # its stubs (types-psutil) are not pinned

SAMPLE_EVERY = 0.2  # seconds between memory samples


class CpuAccount:
    """CPU time of a process and all its descendants, even those nobody waits for (a worker
    killed with its sandbox): a cgroup's cpuacct.usage (v1) or cpu.stat (v2) when this user may
    make one, else getrusage(RUSAGE_CHILDREN), which misses such processes."""

    BASES = (("/sys/fs/cgroup/cpuacct", "cpuacct.usage", 1e-9),
             ("/sys/fs/cgroup/unified", "cpu.stat", 1e-6), ("/sys/fs/cgroup", "cpu.stat", 1e-6))

    def __init__(self, name: str):
        self.path: Path | None = None
        self.before = resource.getrusage(resource.RUSAGE_CHILDREN)
        for base, counter, scale in self.BASES:
            if (Path(base) / counter).is_file() and os.access(base, os.W_OK):
                path = Path(base) / f"autograder-bench-{os.getpid()}-{name}"
                try:
                    path.mkdir(exist_ok=True)
                except OSError:
                    continue
                self.path, self.counter, self.scale = path, counter, scale
                self.source = "cgroup"
                return
        self.source = "rusage"

    def enter(self) -> None:
        """Run in the child before exec (preexec_fn): join the cgroup."""
        if self.path is not None:
            with open(self.path / "cgroup.procs", "w") as f:
                f.write("0")

    def seconds(self) -> float:
        if self.path is not None:
            text = (self.path / self.counter).read_text()
            if self.counter == "cpu.stat":
                text = next(line.split()[1] for line in text.splitlines()
                            if line.startswith("usage_usec"))
            return int(text) * self.scale
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return ((after.ru_utime - self.before.ru_utime) + (after.ru_stime - self.before.ru_stime))

    def close(self) -> None:
        if self.path is not None:
            for _ in range(50):  # the last processes may take a moment to leave
                try:
                    self.path.rmdir()
                    return
                except OSError:
                    time.sleep(0.1)


@dataclass
class Measurement:
    wall: float            # seconds
    cpu: float             # user + system seconds of every process in the tree
    peak_pss: int          # bytes: the largest sum of PSS over the tree at one moment
    peak_rss: int          # bytes: the largest RSS of a single process
    returncode: int
    cpu_source: str = "cgroup"

    def row(self) -> dict:
        return {"wall_s": round(self.wall, 2), "cpu_s": round(self.cpu, 2),
                "peak_tree_pss_mb": round(self.peak_pss / 2**20), "peak_process_rss_mb":
                round(self.peak_rss / 2**20), "returncode": self.returncode}


def bench_env() -> dict[str, str]:
    """The same environment for every method: one BLAS/OpenMP thread per process, as the warm
    workers use (a grader that let torch start a thread per core in every process would only
    be slower on a 2-core machine), and Python's bytecode caches on."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "OPENBLAS_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
    # bytecode caches on, as on a usual machine: a process per submission would otherwise
    # compile (and assertion-rewrite) the suites and the engine again every time
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


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
    account = CpuAccount(log.stem)
    peak = {"pss": 0, "rss": 0}
    with open(log, "w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(argv, env=env or bench_env(), cwd=cwd, stdout=out,
                                   stderr=subprocess.STDOUT, preexec_fn=account.enter)
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
    cpu = account.seconds()
    account.close()
    return Measurement(wall, cpu, peak["pss"], peak["rss"], returncode, account.source)
