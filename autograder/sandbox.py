"""How a worker is started: under bubblewrap when it can be, else as a plain process.

The sandbox sees the read-only Python install (interpreter, standard library, site-packages),
the grader's own package (for the worker loop; it holds no solutions and no tests), a
private tmpfs, and nothing else: no repository, no other submission, no network.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import autograder

PACKAGE_PARENT = Path(autograder.__file__).resolve().parent.parent
SANDBOX_PACKAGE_ROOT = "/opt/autograder"
SCRATCH = "/scratch"
# One uid per job slot, so RLIMIT_NPROC is per slot; AUTOGRADER_UID_BASE keeps two graders
# running side by side on one machine (two checkouts, two courses) out of each other's count.
WORKER_UID_BASE = int(os.environ.get("AUTOGRADER_UID_BASE", "61000"))
SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/alternatives")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime")


@dataclass(frozen=True)
class Limits:
    """rlimits for a submission's child process (names as in the resource module)."""

    memory_bytes: int = 4 * 1024**3
    cpu_seconds: int = 300
    processes: int = 64
    file_bytes: int = 16 * 1024**2
    open_files: int = 256
    tmpfs_bytes: int = 256 * 1024**2

    def rlimits(self, sandboxed: bool) -> dict[str, int]:
        limits = {"RLIMIT_AS": self.memory_bytes, "RLIMIT_CPU": self.cpu_seconds,
                  "RLIMIT_FSIZE": self.file_bytes, "RLIMIT_NOFILE": self.open_files,
                  "RLIMIT_CORE": 0}
        if sandboxed:  # outside a sandbox the worker may share its uid with the grader
            limits["RLIMIT_NPROC"] = self.processes
        return limits


def _python_dirs() -> list[str]:
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths.update(sysconfig.get_paths().values())
    for path in sys.path:
        if path and Path(path).is_dir() and "site-packages" in path:
            paths.add(path)
    real = {str(Path(p).resolve()) for p in paths if p and Path(p).exists()}
    # keep only the outermost directories
    return sorted(p for p in real if not any(p != q and p.startswith(q + "/") for q in real))


@functools.cache
def bwrap_available() -> str | None:
    """None when bubblewrap works here, else the reason it does not."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed"
    probe = subprocess.run(
        [*bwrap_argv(slot=0, tmpfs_bytes=16 * 1024**2), "/bin/true"],
        capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        return f"bwrap cannot create a sandbox here: {probe.stderr.strip()[:300]}"
    return None


def _mkdirs(path: str, made: set[str]) -> list[str]:
    """bwrap makes missing parents 0700; make them 0755 so the worker's uid can pass."""
    args = []
    parts = Path(path).parts
    for i in range(2, len(parts)):
        parent = str(Path(*parts[:i]))
        if parent not in made:
            made.add(parent)
            args += ["--perms", "0755", "--dir", parent]
    return args


def bwrap_argv(slot: int, tmpfs_bytes: int) -> list[str]:
    argv = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--proc", "/proc", "--dev", "/dev",
            # the only writable place: a size-capped tmpfs, emptied after each submission
            "--size", str(tmpfs_bytes), "--perms", "1777", "--tmpfs", SCRATCH,
            # /tmp may hold the mount points of a venv that lives under /tmp: read-only below
            "--tmpfs", "/tmp"]
    made: set[str] = set()
    for path in [*SYSTEM_DIRS, *_python_dirs()]:
        if os.path.isdir(path):
            argv += [*_mkdirs(path, made), "--ro-bind", path, path]
    for path in SYSTEM_FILES:
        if os.path.exists(path):
            argv += ["--ro-bind", path, path]
    package = str(PACKAGE_PARENT / "autograder")
    argv += ["--perms", "0755", "--dir", SANDBOX_PACKAGE_ROOT,
             "--ro-bind", package, f"{SANDBOX_PACKAGE_ROOT}/autograder",
             "--remount-ro", "/tmp", "--chdir", SCRATCH,
             "--setenv", "HOME", SCRATCH, "--setenv", "TMPDIR", SCRATCH,
             "--setenv", "AUTOGRADER_SCRATCH", SCRATCH, "--setenv", "AUTOGRADER_SANDBOXED", "1"]
    if os.geteuid() == 0:
        # bwrap as root, then drop to an unprivileged uid of our own for this slot
        uid = str(WORKER_UID_BASE + slot)
        argv += ["--", "setpriv", f"--reuid={uid}", f"--regid={uid}",
                 "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
    else:
        argv += ["--unshare-user", "--disable-userns", "--"]
    return argv


def worker_command(sandboxed: bool, slot: int, limits: Limits, ctl_fd: int) -> list[str]:
    """The argv that starts a warm worker; its package comes from a path, not the cwd."""
    root = SANDBOX_PACKAGE_ROOT if sandboxed else str(PACKAGE_PARENT)
    python = ["python3" if not sys.executable else sys.executable, "-I", "-c",
              f"import sys; sys.path.insert(0, {root!r}); "
              "from autograder.worker.main import main; main()", str(ctl_fd)]
    if not sandboxed:
        return python
    return [*bwrap_argv(slot, limits.tmpfs_bytes), *python]


def worker_env() -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0",
           "PYTHONDONTWRITEBYTECODE": "1"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # see the machine notes
        if name in os.environ:
            env[name] = os.environ[name]
    return env
