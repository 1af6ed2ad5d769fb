"""A cgroup per job slot: memory, process-count and CPU limits for everything its worker starts.

rlimits bound one process; a submission that forks (or its worker's slot uid, or a tmpfs it
fills) escapes them by multiplication. A cgroup bounds the sum. cgroup v2 (`memory.max`,
`pids.max`, `cpu.max` in one hierarchy) and cgroup v1 (one hierarchy per controller:
`memory/`, `pids/`, `cpu/`) are both supported. The slot's cgroup is made below the grader's
own (so a limit set on the grader, e.g. by a container, still holds), named after the grader's
pid and the slot, so two graders on one machine never share one; it is removed when the slot
ends. Where nothing is writable, `create` says why and the caller falls back to rlimits.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

PREFIX = "autograder-"
CPU_PERIOD_US = 100_000
V1_CONTROLLERS = ("memory", "pids", "cpu")


@dataclass(frozen=True)
class SlotLimits:
    memory_bytes: int
    processes: int  # pids.max counts threads too
    cpus: float


def _mounts(mounts_file: str) -> list[tuple[str, str, set[str]]]:
    """(mount point, file system type, options) of every cgroup mount."""
    found = []
    with open(mounts_file) as f:
        for line in f:
            _, point, kind, options, *_ = line.split()
            if kind in ("cgroup", "cgroup2"):
                found.append((point.replace("\\040", " "), kind, set(options.split(","))))
    return found


def _own_paths(cgroup_file: str) -> dict[str, str]:
    """This process's cgroup per v1 controller, and "" -> its v2 cgroup."""
    paths = {}
    with open(cgroup_file) as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                paths[controller] = path
    return paths


def parents(mounts_file: str = "/proc/self/mounts",
            cgroup_file: str = "/proc/self/cgroup") -> tuple[int, dict[str, Path]] | str:
    """(version, controller -> the folder of this process's own cgroup), or why there is none.

    v2 wins when its hierarchy offers the memory and pids controllers (a hybrid machine may
    mount an empty v2 beside full v1 hierarchies, as this project's machines do).
    """
    try:
        mounts, own = _mounts(mounts_file), _own_paths(cgroup_file)
    except (OSError, ValueError) as exc:
        return f"cannot read the cgroup mounts ({exc})"
    for point, kind, _ in mounts:
        if kind != "cgroup2" or "" not in own:
            continue
        folder = Path(point) / own[""].lstrip("/")
        try:
            offered = set((folder / "cgroup.controllers").read_text().split())
        except OSError:
            continue
        if {"memory", "pids"} <= offered:
            return 2, {"": folder}
    folders = {}
    for point, kind, options in mounts:
        for controller in V1_CONTROLLERS:
            if kind == "cgroup" and controller in options and controller in own:
                folders[controller] = Path(point) / own[controller].lstrip("/")
    if "memory" in folders and "pids" in folders:
        return 1, folders
    return "no cgroup hierarchy with the memory and pids controllers is mounted"


def _write(path: Path, value: str) -> None:
    with open(path, "w") as f:
        f.write(value)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SlotCgroup:
    """One slot's cgroup (one folder in v2, one per controller in v1)."""

    def __init__(self, version: int, folders: dict[str, Path], limits: SlotLimits):
        self.version = version
        self.folders = folders
        self.limits = limits
        self.written: list[str] = []  # the controller files set, for the record

    @classmethod
    def create(cls, name: str, limits: SlotLimits, mounts_file: str = "/proc/self/mounts",
               cgroup_file: str = "/proc/self/cgroup") -> SlotCgroup | str:
        """The slot's cgroup with its limits set, or the reason it cannot be made here."""
        found = parents(mounts_file, cgroup_file)
        if isinstance(found, str):
            return found
        version, bases = found
        for base in bases.values():
            _remove_stale(base)
        group = cls(version, {c: base / name for c, base in bases.items()}, limits)
        try:
            if version == 2:
                group._enable_v2_controllers(bases[""])
            for folder in group.folders.values():
                folder.mkdir(exist_ok=True)
            group._set_limits()
        except OSError as exc:
            group.remove()
            return f"cannot create a cgroup below {', '.join(map(str, bases.values()))} ({exc})"
        return group

    @staticmethod
    def _enable_v2_controllers(parent: Path) -> None:
        """A v2 child has a controller's files only when its parent delegates that controller."""
        offered = set((parent / "cgroup.controllers").read_text().split())
        enabled = set((parent / "cgroup.subtree_control").read_text().split())
        wanted = {"memory", "pids", "cpu"} & offered - enabled
        if wanted:
            _write(parent / "cgroup.subtree_control", " ".join(f"+{c}" for c in sorted(wanted)))

    def _set(self, controller: str, name: str, value: str, optional: bool = False) -> None:
        path = self.folders[controller] / name
        if optional and not path.exists():
            return
        _write(path, value)
        self.written.append(f"{path.name}={value}")

    def _set_limits(self) -> None:
        memory, pids, cpus = self.limits.memory_bytes, self.limits.processes, self.limits.cpus
        quota = int(cpus * CPU_PERIOD_US)
        if self.version == 2:
            self._set("", "memory.max", str(memory))
            self._set("", "memory.swap.max", "0", optional=True)  # the cap holds in swap too
            self._set("", "pids.max", str(pids))
            self._set("", "cpu.max", f"{quota} {CPU_PERIOD_US}", optional=True)
            return
        self._set("memory", "memory.limit_in_bytes", str(memory))
        self._set("memory", "memory.memsw.limit_in_bytes", str(memory), optional=True)
        self._set("pids", "pids.max", str(pids))
        if "cpu" in self.folders:
            self._set("cpu", "cpu.cfs_period_us", str(CPU_PERIOD_US))
            self._set("cpu", "cpu.cfs_quota_us", str(quota))

    def add(self, pids: list[int]) -> None:
        """Move processes in (each one alone: v1 and v2 move a whole thread group per write)."""
        for folder in self.folders.values():
            for pid in pids:
                try:
                    _write(folder / "cgroup.procs", str(pid))
                except ProcessLookupError:
                    pass  # it ended meanwhile

    def members(self) -> list[int]:
        found: set[int] = set()
        for folder in self.folders.values():
            try:
                found.update(int(p) for p in (folder / "cgroup.procs").read_text().split())
            except OSError:
                pass
        return sorted(found)

    def describe(self) -> str:
        kind = "cgroup v2" if self.version == 2 else "cgroup v1"
        return (f"{kind} per slot: memory {self.limits.memory_bytes / 1024**2:.0f} MiB, "
                f"{self.limits.processes} tasks, {self.limits.cpus:g} CPU")

    def kill(self) -> None:
        """Kill whatever is inside: a process cannot leave its cgroup, so this reaches even
        one that escaped the worker's process tree."""
        for _ in range(100):
            left = self.members()
            if not left:
                break
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.01)

    def remove(self) -> None:
        """Kill whatever is still inside, then remove the folders (a cgroup with tasks stays)."""
        self.kill()
        for folder in self.folders.values():
            try:
                folder.rmdir()  # a cgroup folder goes with its control files in it
            except OSError:
                pass  # gone already, or a task could not be killed: _remove_stale retries


def _remove_stale(base: Path) -> None:
    """Empty slot cgroups left by a grader that was killed (its pid is gone)."""
    try:
        entries = list(base.iterdir())
    except OSError:
        return
    for entry in entries:
        owner = entry.name[len(PREFIX):].split("-", 1)[0]
        if entry.name.startswith(PREFIX) and owner.isdigit() and not _pid_alive(int(owner)):
            try:
                entry.rmdir()
            except OSError:
                pass
