"""Killing a whole process tree, including daemons that re-parented themselves.

Used by the worker (which is a child subreaper, so orphans stay below it) after each
submission, and by the grader on a timeout: a submission's processes never outlive it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import signal
import time
from pathlib import Path

_PR_SET_DUMPABLE = 4
_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Orphaned descendants are re-parented to this process instead of init."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def set_dumpable(dumpable: bool) -> None:
    """Whether processes of the same uid may ptrace this one or open its /proc/PID/mem and fds.

    The warm worker runs under the same uid as the submissions it forks; not dumpable, a
    submission cannot rewrite its memory (and with it every later submission). Forked children
    inherit the flag, so a child sets it back before it runs student code.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_DUMPABLE, int(dumpable), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def _parents() -> dict[int, int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: the ppid follows the last ")"
        fields = stat[stat.rfind(b")") + 2:].split()
        parents[int(entry)] = int(fields[1])
    return parents


def descendants(root: int) -> list[int]:
    parents = _parents()
    found, frontier = [], {root}
    while frontier:
        children = [pid for pid, ppid in parents.items() if ppid in frontier]
        found.extend(children)
        frontier = set(children)
    return found


def _signal_all(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_descendants(root: int | None = None, rounds: int = 200) -> None:
    """SIGSTOP then SIGKILL every descendant of root (default: this process) until none is left.

    Stopping first freezes fork loops, so the set of processes cannot grow while we kill.
    """
    root = os.getpid() if root is None else root
    for _ in range(rounds):
        pids = descendants(root)
        if not pids:
            return
        _signal_all(pids, signal.SIGSTOP)
        _signal_all(descendants(root), signal.SIGKILL)
        if root == os.getpid():
            _reap()
        time.sleep(0.005)


_IPC_RMID = 0
_IPC_TABLES = {"shm": "shmctl", "sem": "semctl", "msg": "msgctl"}


def remove_ipc_objects() -> None:
    """Remove every System V shared-memory segment, semaphore set and message queue visible.

    Only called inside the sandbox, whose IPC namespace is the worker's own: such objects
    outlive the processes that made them (memory outside any rlimit, a channel to the next
    submission), so none may survive a submission.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for table, ctl in _IPC_TABLES.items():
        try:
            with open(f"/proc/sysvipc/{table}") as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            ident = int(row.split()[1])
            if table == "sem":
                libc.semctl(ident, 0, _IPC_RMID)
            else:
                getattr(libc, ctl)(ident, _IPC_RMID, None)


_CLONE_NEWUSER = 0x10000000


def block_user_namespaces() -> str | None:
    """A seccomp filter (inherited by every child) refusing new user namespaces; None, or why not.

    Inside a user namespace of its own a submission could mount tmpfs file systems that no
    rlimit counts. clone/unshare with CLONE_NEWUSER fail with EPERM; clone3, whose flags sit
    in memory a filter cannot read, fails with ENOSYS so that libc falls back to clone.
    Call it before any thread starts: a filter binds the calling thread and its children.
    """
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as exc:  # no libseccomp on this machine
        return f"no seccomp ({exc})"
    refuse = seccomp.Arg(0, seccomp.MASKED_EQ, _CLONE_NEWUSER, _CLONE_NEWUSER)
    try:
        flt = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        flt.add_rule(seccomp.ERRNO(errno.EPERM), "unshare", refuse)
        flt.add_rule(seccomp.ERRNO(errno.EPERM), "clone", refuse)
        flt.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
        flt.load()
    except (OSError, RuntimeError, ValueError) as exc:
        return f"the seccomp filter could not be loaded ({exc})"
    return None


def remove_owned_files(folder: Path, uid: int) -> None:
    """Remove the entries of a shared folder (the host's /dev/shm) that belong to uid."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.stat(follow_symlinks=False).st_uid != uid:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            pass
