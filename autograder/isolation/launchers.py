"""How a worker process is started, watched and killed: one `Launcher` per kind of machine.

`ForkingLauncher` (Linux): a warm worker, under bubblewrap or a plain process with rlimits,
that forks a child per submission and reports on its CTL pipe. `PortableLauncher` (any OS): a
spawned process per submission, for `check` on a student's own computer. Both start
worker/main.py with the course's helpers file (`functions`) when the course has one.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Protocol

from autograder.isolation import sandbox
from autograder.isolation.pipes import (
    REPLY_ITEMS,
    REPLY_LIMIT,
    CtlReader,
    ExitWatch,
    FrameSource,
    ReplyReader,
    ThreadReplyReader,
)
from autograder.worker import proc

STARTUP_LOG = "startup.log"  # a portable worker's stderr until it is ready

Spawned = tuple[subprocess.Popen[bytes], ReplyReader, FrameSource]  # process, replies, CTL


class Launcher(Protocol):
    @property
    def name(self) -> str:
        """What the notes call it: sandbox, process, portable."""

    @property
    def ready_on_ctl(self) -> bool:
        """Whether "ready" comes on CTL (else on the reply pipe)."""

    def rlimits(self) -> dict[str, int]: ...
    def spawn(self, env: dict[str, str], functions: Path | None) -> Spawned: ...
    def kill(self, process: subprocess.Popen[bytes]) -> None: ...


class ForkingLauncher:
    """Linux: a warm worker (under bubblewrap, or plain with rlimits) that forks per submission."""

    ready_on_ctl = True

    def __init__(self, sandboxed: bool, slot: int, limits: sandbox.Limits,
                 one_submission: bool = False):
        self.sandboxed = sandboxed
        self.slot = slot
        self.limits = limits
        self.options = ("--one-submission",) if one_submission else ()  # `check`: see worker/main

    @property
    def name(self) -> str:
        return "sandbox" if self.sandboxed else "process"

    def rlimits(self) -> dict[str, int]:
        return self.limits.rlimits(own_uid=sandbox.drops_uid(self.sandboxed))

    def spawn(self, env: dict[str, str], functions: Path | None) -> Spawned:
        """Start the process: (process, its reply reader, its CTL reader)."""
        if not self.sandboxed and os.geteuid() == 0:  # the worker drops to the slot's uid:
            os.chown(env["AUTOGRADER_SCRATCH"], sandbox.WORKER_UID_BASE + self.slot, -1)  # its
            env = {**env, "AUTOGRADER_OWN_UID": "1"}                         # folder is its own
            if sandbox.own_ipc_namespace():
                env["AUTOGRADER_OWN_IPC"] = "1"
        ctl_read, ctl_write = os.pipe()
        argv = sandbox.worker_command(self.sandboxed, self.slot, self.limits, ctl_write,
                                      self.options, functions)
        try:
            process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                pass_fds=(ctl_write,), env={**sandbox.worker_env(), **env},
                start_new_session=True, cwd=tempfile.gettempdir())
        finally:
            os.close(ctl_write)
        stdout = _stdout(process)
        replies = ReplyReader(stdout.fileno(), stdout, REPLY_LIMIT, REPLY_ITEMS)
        return process, replies, CtlReader(ctl_read)

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        proc.kill_descendants(process.pid)
        try:
            process.kill()
        except ProcessLookupError:
            pass


class PortableLauncher:
    """Any OS: a plain Python process per submission, started with subprocess (no fork, no
    prctl, no rlimits, no bwrap), with the student's own environment (Colab, conda, Windows
    need theirs). For a student's own code on their own computer, where no sandbox is needed;
    the proxy, the codec and the per-call time limit are the same as in grading."""

    name = "portable"
    ready_on_ctl = False

    def rlimits(self) -> dict[str, int]:
        return {}

    def spawn(self, env: dict[str, str], functions: Path | None) -> Spawned:
        argv = sandbox.portable_worker_command(functions)
        flags = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        # what Python says before the worker is ready (no torch, a broken install) is kept for
        # the student; after that the worker sends its stderr to the submission's output file
        with open(Path(env["AUTOGRADER_SCRATCH"]) / STARTUP_LOG, "wb") as log:
            process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                env={**sandbox.portable_env(), **env}, cwd=env["AUTOGRADER_SCRATCH"],
                start_new_session=sys.platform != "win32", creationflags=flags)
        return process, ThreadReplyReader(_stdout(process)), ExitWatch(process)

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        if sys.platform != "win32":  # its own session: whatever the submission started, too
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            process.kill()
        except ProcessLookupError:
            pass


def _stdout(process: subprocess.Popen[bytes]) -> io.BufferedReader:
    """The worker's reply pipe: Popen's buffered stdout (stdout=PIPE, default buffering)."""
    stdout = process.stdout
    assert isinstance(stdout, io.BufferedReader), "started with stdout=subprocess.PIPE"
    return stdout
