"""The grader's handle to a worker process: start it, load a submission, send calls with a deadline.

A `WorkerHandle` talks to worker/main.py in another process, started, watched and killed by
its `Launcher` (launchers.py); it reads the worker's frames with pipes.py. It is a Connection
(connection.py): the proxy and the budget use it without knowing which process answers.
"""

from __future__ import annotations

import os
import secrets
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from autograder.isolation import sandbox
from autograder.isolation.cgroups import SlotCgroup
from autograder.isolation.connection import Serve
from autograder.isolation.launchers import STARTUP_LOG, ForkingLauncher, Launcher
from autograder.isolation.pipes import FrameSource, ReplyReader
from autograder.isolation.remote import CallTimeout, WorkerCrashed
from autograder.worker import proc, wire
from autograder.worker.wire import Message

# Each answered "uses" frame moves the call's deadline by the time the grader took for it plus
# this allowance for the two process switches: the call-back is the grader's cost, not the
# student's. In all, a call is extended by at most USES_EXTENSION times its time limit.
USES_ALLOWANCE = 0.005
USES_EXTENSION = 4.0

START_TIMEOUT = 120.0  # a cold worker: interpreter, NumPy and torch imports
LOAD_TIMEOUT = 30.0    # a submission's module-level code


class WorkerStartError(RuntimeError):
    """The checker's own environment could not start a worker: never the student's code."""


@dataclass
class _Running:
    """A launched worker process and the grader's ends of its pipes."""

    process: subprocess.Popen[bytes]
    stdin: IO[bytes]  # requests (and answers to "uses" frames)
    replies: ReplyReader
    ctl: FrameSource  # "ready", "exited"


class WorkerHandle:
    """The grader's handle to a worker process with NumPy and torch imported: the worker forks
    a child per submission, or (portable) serves one submission, after which the next one gets
    a fresh process. `functions` is the course's helpers file (Layout.functions_file), which
    the worker loads before any submission; a course without one passes None."""

    def __init__(self, sandboxed: bool = True, slot: int = 0,
                 limits: sandbox.Limits | None = None, cgroup: SlotCgroup | None = None,
                 launcher: Launcher | None = None, functions: Path | None = None):
        self.launcher = launcher or ForkingLauncher(sandboxed, slot, limits or sandbox.Limits())
        self.functions = functions if functions is not None and functions.is_file() else None
        self.cgroup = cgroup  # the slot's: every worker of this slot is moved into it
        self.userns: str | None = None  # why user namespaces are not refused (None: they are)
        self.running: _Running | None = None
        self.module: tuple[str, str] | None = None  # what to reload after a restart
        self.loaded = False  # a child holding the module is alive
        self.scratch: str | None = None  # the unsandboxed worker's scratch folder
        self.started = False  # the process said "ready"
        self.start_seconds = 0.0
        self.uses_seconds = 0.0  # call deadlines moved for "uses" call-backs (not the submission's)

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self.running.process if self.running is not None else None

    def _live(self) -> _Running:
        """The running process, which the caller's state says exists (it is loaded or started)."""
        if self.running is None:
            raise WorkerCrashed("the worker is not running")
        return self.running

    def prestart(self) -> None:
        """Launch the process now and let it import NumPy and torch while we do other work."""
        if self.running is None:
            self._launch()

    def _launch(self) -> _Running:
        env = {}
        if self.launcher.name != "sandbox":  # no private /tmp: a scratch folder of its own,
            self.scratch = tempfile.mkdtemp(prefix="autograder-worker-")  # removed at shutdown
            env["AUTOGRADER_SCRATCH"] = self.scratch
        try:
            process, replies, ctl = self.launcher.spawn(env, self.functions)
        except OSError as exc:
            if self.scratch is not None:
                shutil.rmtree(self.scratch, ignore_errors=True)
                self.scratch = None
            raise WorkerStartError(f"the checker could not start Python ({sys.executable}): "
                                   f"{exc}") from None
        assert process.stdin is not None, "started with stdin=subprocess.PIPE"
        self.running = _Running(process, process.stdin, replies, ctl)
        return self.running

    def _start(self) -> None:
        running = self.running or self._launch()
        reader = running.ctl if self.launcher.ready_on_ctl else running.replies
        try:
            ready = reader.frame(time.monotonic() + START_TIMEOUT)
        except (TimeoutError, EOFError, wire.CodecError) as exc:
            said = self._startup_log()
            self.shutdown()
            how = f"did not answer within {START_TIMEOUT:g} s" if isinstance(exc, TimeoutError) \
                else "stopped before it was ready"
            raise WorkerStartError(
                f"the checker could not start Python ({self.launcher.name} worker: "
                f"{sys.executable} {how}; try `python -c \"import numpy, torch\"` in the same "
                f"environment){said}") from None
        if not isinstance(ready, dict) or ready.get("op") != "ready":
            self.shutdown()
            raise WorkerStartError("the checker could not start Python: the worker sent an "
                                   "unexpected greeting")
        self.started = True
        self.userns = ready.get("userns")
        if self.cgroup is not None:
            # bwrap (and its PID namespace's init) and the worker: all started, and no
            # submission forked yet, since that waits for our first "load"
            pid = running.process.pid
            self.cgroup.add([pid, *proc.descendants(pid)])

    def _startup_log(self) -> str:
        """The end of what the worker wrote to stderr while starting, as `: <text>` (or "")."""
        try:
            said = (Path(self.scratch) / STARTUP_LOG).read_bytes()[-1500:] if self.scratch else b""
        except OSError:
            return ""
        text = said.decode("utf-8", "replace").strip()
        return f":\n{text}" if text else ""

    def _send(self, message: Message) -> str:
        request_id = secrets.token_hex(16)
        stdin = self._live().stdin
        try:
            stdin.write(wire.encode({**message, "id": request_id}))
            stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerCrashed("the worker stopped accepting requests") from None
        return request_id

    def open(self, module: str, source: str) -> Message:
        """Load a submission's module in a fresh child; returns the load reply."""
        if self.running is not None and self.running.process.poll() is not None:
            self.shutdown()  # it died on its own: release its pipes (and scratch) first
        if not self.started:
            started = time.monotonic()
            self._start()
            self.start_seconds += time.monotonic() - started
        self.module = (module, source)
        limits = self.launcher.rlimits()
        reply = self.request({"op": "load", "module": module, "source": source,
                              "limits": limits}, timeout=LOAD_TIMEOUT, reload=False)
        self.loaded = "error" not in reply
        if not self.loaded:
            self._exited_status()  # the child exits after reporting a broken module
        return reply

    def request(self, message: Message, timeout: float, reload: bool = True, *,
                serve: Serve | None = None) -> Message:
        if reload and not self.loaded:  # a fresh child (and worker) after a timeout or crash
            if self.module is None:
                raise WorkerCrashed("no submission was loaded")
            if "error" in self.open(*self.module):
                raise WorkerCrashed("the submission could not be loaded again after a restart")
        request_id = self._send(message)
        running = self._live()
        deadline = time.monotonic() + timeout
        latest = deadline + USES_EXTENSION * timeout
        while True:
            try:
                reply = running.replies.frame(deadline, watch=running.ctl.fd)
            except TimeoutError:
                self.shutdown()
                raise CallTimeout(timeout) from None
            except InterruptedError:
                self.loaded = False
                status = self._exited_status()
                raise WorkerCrashed(f"the submission's process ended during the call "
                                    f"({_describe(status)})") from None
            except (EOFError, OSError):
                self.shutdown()
                raise WorkerCrashed("the worker process died during the call") from None
            except wire.CodecError as exc:
                self.shutdown()
                raise WorkerCrashed(f"the worker sent an unreadable reply: {exc}") from None
            if isinstance(reply, dict) and reply.get("id") == request_id:
                if reply.get("op") == "uses":
                    received = time.monotonic()
                    self._answer_uses(running, reply, serve, deadline, timeout)
                    moved = min(latest, deadline + time.monotonic() - received + USES_ALLOWANCE)
                    self.uses_seconds += moved - deadline  # not charged to the time budget
                    deadline = moved
                    continue
                return reply
            # anything else was written by student code to our pipe: ignore it

    def _answer_uses(self, running: _Running, frame: Message, serve: Serve | None,
                     deadline: float, timeout: float) -> None:
        """A stub's call back in the middle of the call: the reference value, on the request pipe.

        Stubs exist only in calls that carry "uses" (sent with `serve`); a frame in any other
        call was forged by the submission and gets no answer. The answer is written before the
        call's deadline, so a submission that sends frames and never reads cannot block us.
        """
        if serve is None:
            return
        try:
            data = wire.encode(serve(frame))
        except wire.CodecError as exc:
            data = wire.encode({"error": {"type": "TypeError", "message": str(exc)[:300]}})
        fd = running.stdin.fileno()
        os.set_blocking(fd, False)
        try:
            view = memoryview(data)
            while view:
                left = deadline - time.monotonic()
                if left <= 0:
                    self.shutdown()
                    raise CallTimeout(timeout)
                if select.select([], [fd], [], left)[1]:
                    try:
                        view = view[os.write(fd, view):]
                    except BlockingIOError:
                        continue
        except (BrokenPipeError, OSError):
            raise WorkerCrashed("the worker stopped accepting requests") from None
        finally:
            if self.running is not None:
                os.set_blocking(fd, True)

    def _exited_status(self) -> int | None:
        """Wait for the worker's "exited" (the child and all it started are gone): its status.

        Then drop whatever is left in the reply pipe: only the submission's processes could
        have written it, and none is alive, so it can only be junk aimed at the next one.
        A worker that is broken, or says it was tampered with, is shut down (a fresh one
        starts for the next submission).
        """
        running = self._live()
        try:
            message = running.ctl.frame(time.monotonic() + 30)
        except (TimeoutError, EOFError, wire.CodecError):
            self.shutdown()
            return None
        if not (isinstance(message, dict) and message.get("op") == "exited") \
                or message.get("restart"):
            self.shutdown()
        else:
            running.replies.drop()
        status = message.get("status") if isinstance(message, dict) else None
        return status if isinstance(status, int) else None

    def close_submission(self) -> None:
        """End the submission's child and wait until the worker has killed all it started."""
        if not self.loaded:
            return
        self.loaded = False
        try:
            self._send({"op": "end"})
        except WorkerCrashed:
            self.shutdown()
            return
        self._exited_status()

    def shutdown(self) -> None:
        self.loaded = False
        running, self.running = self.running, None
        if running is None:
            return
        self.launcher.kill(running.process)
        running.process.wait()
        if self.cgroup is not None:
            self.cgroup.kill()
        try:
            running.stdin.close()
        except BrokenPipeError:  # the bytes of a request the dead worker never read (fd closed)
            pass
        running.replies.close()
        running.ctl.close()
        self.started = False
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None


def _describe(status: int | None) -> str:
    if status is None:
        return "unknown status"
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.WEXITSTATUS(status)}"
