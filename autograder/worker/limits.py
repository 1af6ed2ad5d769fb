"""Process limits: those a submission's process sets on itself, and the worker's own.

The grader sends the submission's in the "load" request, by the resource module's names
(autograder/isolation/sandbox.py `Limits.rlimits`); Linux and macOS only: the portable worker
on Windows has no resource module and sets none. The warm worker compares its own (`own_state`)
before and after each submission, since a process of the same uid can change them.
"""

from __future__ import annotations

import os
from types import ModuleType

resource: ModuleType | None
try:
    import resource
except ImportError:
    resource = None

# An RLIMIT_NPROC request for a uid shared with other processes: what it has now, plus this
NPROC_ABOVE_CURRENT = "NPROC_ABOVE_CURRENT"


def _processes_of(uid: int) -> int:
    count = 0
    for entry in os.listdir("/proc"):
        try:
            count += entry.isdigit() and os.stat(f"/proc/{entry}").st_uid == uid
        except OSError:
            pass
    return count


def set_limits(limits: dict[str, int]) -> None:
    if resource is None:
        return
    for name, value in limits.items():
        if name == NPROC_ABOVE_CURRENT:  # a uid shared with others: what it has now, plus ours
            name, value = "RLIMIT_NPROC", _processes_of(os.getuid()) + value
        resource.setrlimit(getattr(resource, name), (value, value))


def own_state() -> tuple[object, ...]:
    """What a process of the same uid can change in this one without ptrace: limits (prlimit),
    priority, scheduling policy and CPU set. Children forked from it would inherit them."""
    assert resource is not None, "only the forking worker (Linux) checks its own state"
    limits = tuple(resource.getrlimit(getattr(resource, name))
                   for name in sorted(dir(resource)) if name.startswith("RLIMIT_"))
    return (limits, os.getpriority(os.PRIO_PROCESS, 0), os.sched_getscheduler(0),
            sorted(os.sched_getaffinity(0)))
