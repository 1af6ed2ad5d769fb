"""How a worker is started: under bubblewrap when it can be, else as a plain process.

The sandbox sees the read-only Python install (interpreter, standard library, site-packages),
the worker's folder of the engine (autograder/worker/ alone: not the grader, the release or
the exports) and the course's trusted helpers file (course/functions.py), both read-only, a
private tmpfs, a read-only /dev with the usual device nodes, an empty /dev/shm and
/dev/mqueue of its own, and nothing else: no repository, no other submission, no network,
no way to make a user namespace (and with it mounts or tmpfs outside every limit).
Without bubblewrap but as root, the worker still drops to its slot's uid (and its own IPC
namespace); without either, it is a plain process under rlimits.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import autograder.worker
from autograder.isolation.cgroups import SlotLimits
from autograder.worker.limits import NPROC_ABOVE_CURRENT
from autograder.worker.main import FUNCTIONS

WORKER_FOLDER = Path(autograder.worker.__file__).resolve().parent
PACKAGE_PARENT = WORKER_FOLDER.parent.parent
# In the sandbox: /opt/autograder/autograder/worker (`autograder` a namespace package there,
# so the worker's own imports work unchanged) and /opt/autograder/course/functions.py
SANDBOX_PACKAGE_ROOT = "/opt/autograder"
SANDBOX_WORKER = f"{SANDBOX_PACKAGE_ROOT}/autograder/worker"
SANDBOX_FUNCTIONS = f"{SANDBOX_PACKAGE_ROOT}/course/functions.py"
SCRATCH = "/scratch"
# One uid per job slot, so RLIMIT_NPROC is per slot; AUTOGRADER_UID_BASE keeps two graders
# running side by side on one machine (two checkouts, two courses) out of each other's count.
WORKER_UID_BASE = int(os.environ.get("AUTOGRADER_UID_BASE", "61000"))
SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/alternatives")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime")


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Per process (rlimits, names as in the resource module) and
    per job slot (its cgroup: the sum over every process its worker starts). course.yml's
    `limits:` overrides any of them (in MiB where the name says so; see docs/isolation.md)."""

    memory_bytes: int = 4 * 1024**3  # address space of each process (the warm worker maps 0.7 GiB)
    cpu_seconds: int = 300
    processes: int = 64              # per slot uid (RLIMIT_NPROC)
    file_bytes: int = 16 * 1024**2
    open_files: int = 256
    tmpfs_bytes: int = 256 * 1024**2  # /scratch, and /dev/shm again
    slot_memory_bytes: int = 3 * 1024**3  # the slot's cgroup: worker + submission + its tmpfs
    slot_tasks: int = 256                 # pids.max (threads count as tasks)
    slot_cpus: float = 1.0                # cpu.max: one core's worth per slot
    fallback_process_bytes: int = 1024**3  # without a cgroup, see fallback()

    def rlimits(self, own_uid: bool) -> dict[str, int]:
        """own_uid: the worker runs under a uid of its own (sandbox, or dropped as root).
        RLIMIT_NPROC counts all processes of a uid: on a shared uid the worker's child sets it
        to the processes the uid has at that moment plus ours (worker/limits.py)."""
        limits = {"RLIMIT_AS": self.memory_bytes, "RLIMIT_CPU": self.cpu_seconds,
                  "RLIMIT_FSIZE": self.file_bytes, "RLIMIT_NOFILE": self.open_files,
                  "RLIMIT_CORE": 0,
                  "RLIMIT_NPROC" if own_uid else NPROC_ABOVE_CURRENT: self.processes}
        return limits

    def slot(self) -> SlotLimits:
        return SlotLimits(self.slot_memory_bytes, self.slot_tasks, self.slot_cpus)

    def fallback(self) -> Limits:
        """Without a cgroup: processes x address space within the slot's memory. Each process
        keeps fallback_process_bytes (the warm worker maps 0.7 GiB; a forked child the same),
        so the slot's memory sets how many there may be (3 by default, the worker included)."""
        per_process = min(self.memory_bytes, self.fallback_process_bytes)
        processes = max(2, min(self.processes, self.slot_memory_bytes // per_process))
        return replace(self, memory_bytes=per_process, processes=processes)

    def with_overrides(self, overrides: dict[str, float]) -> Limits:
        """course.yml's limits: `*_mb` names in MiB, the others as they are."""
        values: dict[str, Any] = {}  # each of the type of its field (see below)
        for name, value in overrides.items():
            if name.endswith("_mb"):
                values[name.removesuffix("_mb") + "_bytes"] = int(value * 1024**2)
            else:
                values[name] = type(getattr(self, name))(value)
        return replace(self, **values)


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


def _drop_to_slot_uid(slot: int) -> list[str]:
    """setpriv's argv for a worker started as root: its slot's uid, no groups, no capabilities."""
    uid = str(WORKER_UID_BASE + slot)
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all", "--no-new-privs"]


def drops_uid(sandboxed: bool) -> bool:
    """The worker runs under its slot's own uid: as root (sandboxed or not) it drops to it;
    an unprivileged bwrap maps the user to itself inside a user namespace of its own."""
    return sandboxed or os.geteuid() == 0


def bwrap_argv(slot: int, tmpfs_bytes: int, functions: Path | None = None) -> list[str]:
    """bubblewrap's argv for a worker of this slot; `functions`: the course's helpers file."""
    argv = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--proc", "/proc",
            # /dev: null, zero, full, random, urandom, tty (and pts), read-only; /dev/shm and
            # /dev/mqueue of this IPC namespace alone, emptied by the worker after each submission
            "--dev", "/dev", "--mqueue", "/dev/mqueue",
            "--size", str(tmpfs_bytes), "--perms", "1777", "--tmpfs", "/dev/shm",
            "--remount-ro", "/dev",
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
    argv += [*_mkdirs(SANDBOX_WORKER, made), "--ro-bind", str(WORKER_FOLDER), SANDBOX_WORKER]
    if functions is not None:
        argv += [*_mkdirs(SANDBOX_FUNCTIONS, made), "--ro-bind", str(functions), SANDBOX_FUNCTIONS]
    argv += ["--remount-ro", "/tmp", "--chdir", SCRATCH,
             "--setenv", "HOME", SCRATCH, "--setenv", "TMPDIR", SCRATCH,
             "--setenv", "AUTOGRADER_SCRATCH", SCRATCH, "--setenv", "AUTOGRADER_SANDBOXED", "1"]
    if os.geteuid() == 0:
        # bwrap as root, then drop to an unprivileged uid of our own for this slot; user
        # namespaces are refused by the worker's seccomp filter (proc.block_user_namespaces)
        argv += ["--", *_drop_to_slot_uid(slot)]
    else:
        argv += ["--unshare-user", "--disable-userns", "--"]
    return argv


def _entry(root: str) -> str:
    """The worker's entry point, its package found under `root` (a path, never the cwd)."""
    return f"import sys; sys.path.insert(0, {root!r}); from autograder.worker.main import main; main()"


def worker_command(sandboxed: bool, slot: int, limits: Limits, ctl_fd: int,
                   options: tuple[str, ...] = (), functions: Path | None = None) -> list[str]:
    """The argv that starts a warm worker; `functions`: the course's helpers file, if any."""
    root = SANDBOX_PACKAGE_ROOT if sandboxed else str(PACKAGE_PARENT)
    if functions is not None:
        options = (*options, FUNCTIONS + (SANDBOX_FUNCTIONS if sandboxed else str(functions)))
    python = ["python3" if not sys.executable else sys.executable, "-I", "-c", _entry(root),
              str(ctl_fd), *options]
    if sandboxed:
        return [*bwrap_argv(slot, limits.tmpfs_bytes, functions), *python]
    if os.geteuid() == 0:
        # no bubblewrap, but root (a Gradescope container): still the slot's uid, and where
        # the container allows it an IPC namespace of its own (see own_ipc_namespace)
        own_ipc = ["unshare", "--ipc", "--"] if own_ipc_namespace() else []
        return [*own_ipc, *_drop_to_slot_uid(slot), *python]
    return python


@functools.cache
def own_ipc_namespace() -> bool:
    """Whether root may make an IPC namespace here (a container without CAP_SYS_ADMIN may not).
    With one, the worker removes System V objects between submissions; without, it may not
    touch the host's."""
    try:
        return subprocess.run(["unshare", "--ipc", "--", "true"], capture_output=True,
                              timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def portable_worker_command(functions: Path | None = None) -> list[str]:
    """The worker in its no-fork mode, for any OS. Not isolated (-I): it runs with the
    student's own interpreter settings, as their code would run in their notebook."""
    given = () if functions is None else (FUNCTIONS + str(functions),)
    return [sys.executable, "-c", _entry(str(PACKAGE_PARENT)), "--portable", *given]


def portable_env() -> dict[str, str]:
    """The student's environment (Windows needs SYSTEMROOT, Colab its library paths), with
    the worker's thread and hashing settings on top."""
    keep = {name: value for name, value in worker_env().items() if name not in ("PATH", "LANG")}
    return {**os.environ, **keep}


def worker_env() -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0",
           "PYTHONDONTWRITEBYTECODE": "1"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # see the machine notes
        if name in os.environ:
            env[name] = os.environ[name]
    return env


HIDDEN_FOLDERS = ("solutions", "tests")  # the reference and the suites (with the hidden tests)


def hide_course_files(root: Path) -> list[str]:
    """Without bubblewrap, as root: make the course's solutions and tests unreadable to the
    worker's uid (no access for group and others); the names of the folders it had to change.
    The Gradescope export sets these modes when it installs the course (export/gradescope.py)."""
    changed = []
    for name in HIDDEN_FOLDERS:
        folder = root / name
        try:
            mode = folder.stat().st_mode
        except OSError:
            continue
        if mode & 0o077:
            folder.chmod(mode & 0o700)
            changed.append(f"{name}/")
    return changed
