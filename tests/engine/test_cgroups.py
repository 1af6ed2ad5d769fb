"""The slot cgroup (autograder/isolation/cgroups.py): v2 and v1 against fake cgroup file systems in tmp,
and the real hierarchy of this machine where it is writable (root on cgroup v1 or v2)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from autograder.isolation import cgroups, sandbox
from autograder.isolation.cgroups import SlotCgroup, SlotLimits
from autograder.worker.limits import NPROC_ABOVE_CURRENT

LIMITS = SlotLimits(memory_bytes=512 * 1024**2, processes=32, cpus=0.5)


def _fake(tmp_path: Path, mounts: str, cgroup: str) -> tuple[str, str]:
    (tmp_path / "mounts").write_text(mounts)
    (tmp_path / "cgroup").write_text(cgroup)
    return str(tmp_path / "mounts"), str(tmp_path / "cgroup")


def test_v2_writes_memory_pids_and_cpu_below_the_graders_own_cgroup(tmp_path):
    fs = tmp_path / "unified"
    own = fs / "grading.slice" / "job"
    own.mkdir(parents=True)
    (own / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (own / "cgroup.subtree_control").write_text("")
    files = _fake(tmp_path, f"cgroup2 {fs} cgroup2 rw,nosuid 0 0\n", "0::/grading.slice/job\n")
    group = SlotCgroup.create("autograder-1-slot0", LIMITS, *files)
    assert not isinstance(group, str), group
    folder = own / "autograder-1-slot0"
    assert group.version == 2 and group.folders == {"": folder}
    assert (own / "cgroup.subtree_control").read_text() == "+cpu +memory +pids"
    assert (folder / "memory.max").read_text() == str(512 * 1024**2)
    assert (folder / "pids.max").read_text() == "32"
    assert not (folder / "cpu.max").exists()  # optional: only where the kernel offers it
    group.add([12345])
    assert (folder / "cgroup.procs").read_text() == "12345"


def test_v1_uses_one_hierarchy_per_controller_when_v2_offers_none(tmp_path):
    mounts = [f"cgroup2 {tmp_path}/unified cgroup2 rw 0 0"]
    own = {}
    for controller in ("memory", "pids", "cpu"):
        own[controller] = tmp_path / controller / "job"
        own[controller].mkdir(parents=True)
        mounts.append(f"cgroup {tmp_path}/{controller} cgroup rw,relatime,{controller} 0 0")
    (tmp_path / "unified").mkdir()
    (tmp_path / "unified" / "cgroup.controllers").write_text("hugetlb\n")  # as on this machine
    (own["memory"] / "autograder-1-slot0").mkdir()
    (own["memory"] / "autograder-1-slot0" / "memory.memsw.limit_in_bytes").write_text("")
    cgroup = "4:memory:/job\n8:pids:/job\n1:cpu:/job\n0::/\n"
    group = SlotCgroup.create("autograder-1-slot0", LIMITS, *_fake(tmp_path, "\n".join(mounts), cgroup))
    assert not isinstance(group, str), group
    assert group.version == 1
    read = {name: (own[c] / "autograder-1-slot0" / name).read_text() for c, name in [
        ("memory", "memory.limit_in_bytes"), ("memory", "memory.memsw.limit_in_bytes"),
        ("pids", "pids.max"), ("cpu", "cpu.cfs_quota_us"), ("cpu", "cpu.cfs_period_us")]}
    assert read == {"memory.limit_in_bytes": str(512 * 1024**2),
                    "memory.memsw.limit_in_bytes": str(512 * 1024**2),
                    "pids.max": "32", "cpu.cfs_quota_us": "50000", "cpu.cfs_period_us": "100000"}


def test_without_a_memory_hierarchy_it_says_why(tmp_path):
    files = _fake(tmp_path, "proc /proc proc rw 0 0\n", "0::/\n")
    reason = SlotCgroup.create("autograder-1-slot0", LIMITS, *files)
    assert isinstance(reason, str) and "memory" in reason


def test_the_fallback_keeps_processes_times_address_space_within_the_slot():
    limits = sandbox.Limits()
    fallback = limits.fallback()
    assert fallback.processes * fallback.memory_bytes <= limits.slot_memory_bytes
    assert fallback.processes < limits.processes and fallback.memory_bytes < limits.memory_bytes
    assert fallback.rlimits(own_uid=True)["RLIMIT_NPROC"] == fallback.processes
    # on a uid shared with the grader, the worker adds its allowance to what the uid has
    assert fallback.rlimits(own_uid=False)[NPROC_ABOVE_CURRENT] == fallback.processes


def test_course_limits_override_the_defaults_in_mib():
    limits = sandbox.Limits().with_overrides({"slot_memory_mb": 1024, "slot_tasks": 50})
    assert limits.slot() == SlotLimits(1024**3, 50, 1.0)


REAL = SlotCgroup.create(f"{cgroups.PREFIX}{os.getpid()}-probe", LIMITS)
if not isinstance(REAL, str):
    REAL.remove()


@pytest.mark.skipif(isinstance(REAL, str), reason=f"no writable cgroup here: {REAL}")
def test_on_this_machine_a_process_moved_in_sees_the_limits_and_is_killed_at_removal():
    name = f"{cgroups.PREFIX}{os.getpid()}-slot9"
    group = SlotCgroup.create(name, LIMITS)
    assert not isinstance(group, str), group
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        group.add([sleeper.pid])
        membership = Path(f"/proc/{sleeper.pid}/cgroup").read_text()
        assert membership.count(name) == len(group.folders), membership
        assert group.members() == [sleeper.pid]
    finally:
        group.remove()
    assert sleeper.wait(timeout=10) == -9
    assert not any(folder.exists() for folder in group.folders.values())
