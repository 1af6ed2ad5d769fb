"""The grader's side of a worker: start it, load a submission, send calls with a deadline.

`WarmWorker` talks to worker/main.py in another process; how that process is started,
watched and killed is its `Launcher`: `ForkingLauncher` (Linux: a warm worker, sandboxed or
not, forking a child per submission) or `PortableLauncher` (any OS: a spawned process per
submission, for `check` on a student's own computer).
`InProcessWorker` runs the same Session in this process, for the reference solution and
for the benchmark's no-isolation floor only: grading student code never uses it.
"""

from __future__ import annotations

import os
import queue
import secrets
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from autograder.isolation import sandbox
from autograder.isolation.cgroups import SlotCgroup
from autograder.isolation.remote import CallTimeout, WorkerCrashed
from autograder.worker import proc, wire
from autograder.worker.session import Session, error_reply, load_module

Serve = Callable[[dict], dict]  # answers a worker's "uses" frame (autograder/plugin/uses.py)

# Each answered "uses" frame moves the call's deadline by the time the grader took for it plus
# this allowance for the two process switches: the call-back is the grader's cost, not the
# student's. In all, a call is extended by at most USES_EXTENSION times its time limit.
USES_ALLOWANCE = 0.005
USES_EXTENSION = 4.0

START_TIMEOUT = 120.0  # a cold worker: interpreter, NumPy and torch imports
LOAD_TIMEOUT = 30.0    # a submission's module-level code
# What a reply may hold, checked before it is parsed: JSON of N small items costs ~100 N bytes
# here, so a 60 MB frame of `[[],[],...]` would cost gigabytes. Arrays travel as base64 (one
# item however large); legitimate replies are far below both limits.
REPLY_LIMIT = 16 * 1024 * 1024
REPLY_ITEMS = 1_000_000
STARTUP_LOG = "startup.log"  # a portable worker's stderr until it is ready


class Connection(Protocol):
    start_seconds: float  # time spent starting workers so far (not the submission's)

    def open(self, module: str, source: str) -> dict: ...
    def request(self, message: dict, timeout: float, *, serve: Serve | None = None) -> dict: ...
    def close_submission(self) -> None: ...
    def shutdown(self) -> None: ...


class _FrameReader:
    """Reads length-prefixed frames from a pipe with a deadline, watching a second pipe."""

    def __init__(self, fd: int, stream=None, limit: int = wire.MAX_FRAME, items: int | None = None):
        self.fd = fd
        self.stream = stream  # closed with the reader, when given
        self.limit = limit
        self.items = items
        self.buffer = bytearray()  # appended in place: `bytes +=` copies a big frame per chunk

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()

    def _chunk(self, size: int, left: float, watch: int | None) -> bytes | None:
        """Up to `size` bytes (b"" at end of file), or None when nothing came within `left`."""
        fds = [self.fd] + ([watch] if watch is not None else [])
        ready, _, _ = select.select(fds, [], [], left)
        if self.fd in ready:
            return os.read(self.fd, max(65536, size))
        if ready:
            raise InterruptedError  # the watched pipe has news (the child exited)
        return None

    def _fill(self, size: int, deadline: float, watch: int | None) -> None:
        while len(self.buffer) < size:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            chunk = self._chunk(size - len(self.buffer), left, watch)
            if chunk == b"":
                raise EOFError("worker closed its pipe")
            if chunk:
                self.buffer += chunk

    def frame(self, deadline: float, watch: int | None = None) -> Any:
        self._fill(4, deadline, watch)
        (size,) = struct.unpack(">I", self.buffer[:4])
        if size > self.limit:
            raise wire.CodecError(f"reply of {size} bytes exceeds the limit of {self.limit}")
        self._fill(4 + size, deadline, watch)
        body = bytes(self.buffer[4:4 + size])
        del self.buffer[:4 + size]
        if self.items is not None and \
                body.count(b",") + body.count(b"[") + body.count(b"{") > self.items:
            raise wire.CodecError(f"reply of more than {self.items} items")
        return wire.decode(body)


class _CtlPipe(_FrameReader):
    """The worker's CTL pipe (worker -> grader only): a raw fd of ours."""

    def close(self) -> None:
        os.close(self.fd)


class _ThreadFrameReader(_FrameReader):
    """The same frames where select() cannot wait on a pipe (Windows): a thread reads the pipe
    and the caller waits on a queue with the deadline."""

    def __init__(self, stream):
        # not given the stream: the pump closes it (see below)
        super().__init__(stream.fileno(), None, REPLY_LIMIT, REPLY_ITEMS)
        self.chunks: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:
        while True:
            try:
                chunk = stream.read1(65536)
            except (OSError, ValueError):
                chunk = b""
            self.chunks.put(chunk)
            if not chunk:  # close() from another thread would wait for a read that may block
                stream.close()
                return

    def _chunk(self, size: int, left: float, watch: int | None) -> bytes | None:
        try:
            chunk = self.chunks.get(timeout=left)
        except queue.Empty:
            return None
        if not chunk:
            self.chunks.put(chunk)  # end of file stays end of file
        return chunk


class _ExitWatch:
    """Stands in for CTL where there is none (portable): the process's exit is its "exited"."""

    fd = None

    def __init__(self, process: subprocess.Popen):
        self.process = process

    def frame(self, deadline: float, watch: int | None = None) -> dict:
        try:
            status = self.process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise TimeoutError from None
        # one submission per process: the next one gets a fresh process
        return {"op": "exited", "status": status, "restart": True}

    def close(self) -> None:
        pass


class WorkerStartError(RuntimeError):
    """The checker's own environment could not start a worker: never the student's code."""


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

    def spawn(self, env: dict[str, str]) -> tuple[subprocess.Popen, Any, Any]:
        """Start the process: (process, its reply reader, its CTL reader)."""
        if not self.sandboxed and os.geteuid() == 0:  # the worker drops to the slot's uid:
            os.chown(env["AUTOGRADER_SCRATCH"], sandbox.WORKER_UID_BASE + self.slot, -1)  # its
            env = {**env, "AUTOGRADER_OWN_UID": "1"}                         # folder is its own
            if sandbox.own_ipc_namespace():
                env["AUTOGRADER_OWN_IPC"] = "1"
        ctl_read, ctl_write = os.pipe()
        argv = sandbox.worker_command(self.sandboxed, self.slot, self.limits, ctl_write,
                                      self.options)
        try:
            process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                pass_fds=(ctl_write,), env={**sandbox.worker_env(), **env},
                start_new_session=True, cwd=tempfile.gettempdir())
        finally:
            os.close(ctl_write)
        replies = _FrameReader(process.stdout.fileno(), process.stdout, REPLY_LIMIT, REPLY_ITEMS)
        return process, replies, _CtlPipe(ctl_read)

    def kill(self, process: subprocess.Popen) -> None:
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

    def spawn(self, env: dict[str, str]) -> tuple[subprocess.Popen, Any, Any]:
        argv = sandbox.portable_worker_command()
        flags = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        # what Python says before the worker is ready (no torch, a broken install) is kept for
        # the student; after that the worker sends its stderr to the submission's output file
        with open(Path(env["AUTOGRADER_SCRATCH"]) / STARTUP_LOG, "wb") as log:
            process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                env={**sandbox.portable_env(), **env}, cwd=env["AUTOGRADER_SCRATCH"],
                start_new_session=sys.platform != "win32", creationflags=flags)
        return process, _ThreadFrameReader(process.stdout), _ExitWatch(process)

    def kill(self, process: subprocess.Popen) -> None:
        if sys.platform != "win32":  # its own session: whatever the submission started, too
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            process.kill()
        except ProcessLookupError:
            pass


class WarmWorker:
    """A worker process with NumPy and torch imported: forking a child per submission, or
    (portable) serving one submission, after which the next one gets a fresh process."""

    def __init__(self, sandboxed: bool = True, slot: int = 0,
                 limits: sandbox.Limits | None = None, cgroup: SlotCgroup | None = None,
                 launcher: ForkingLauncher | PortableLauncher | None = None):
        self.launcher = launcher or ForkingLauncher(sandboxed, slot, limits or sandbox.Limits())
        self.cgroup = cgroup  # the slot's: every worker of this slot is moved into it
        self.userns: str | None = None  # why user namespaces are not refused (None: they are)
        self.process: subprocess.Popen | None = None
        self.module: tuple[str, str] | None = None  # what to reload after a restart
        self.loaded = False  # a child holding the module is alive
        self.scratch: str | None = None  # the unsandboxed worker's scratch folder
        self.started = False  # the process said "ready"
        self.start_seconds = 0.0
        self.uses_seconds = 0.0  # call deadlines moved for "uses" call-backs (not the submission's)

    def prestart(self) -> None:
        """Launch the process now and let it import NumPy and torch while we do other work."""
        if self.process is None:
            self._launch()

    def _launch(self) -> None:
        env = {}
        if self.launcher.name != "sandbox":  # no private /tmp: a scratch folder of its own,
            self.scratch = tempfile.mkdtemp(prefix="autograder-worker-")  # removed at shutdown
            env["AUTOGRADER_SCRATCH"] = self.scratch
        try:
            self.process, self.replies, self.ctl = self.launcher.spawn(env)
        except OSError as exc:
            if self.scratch is not None:
                shutil.rmtree(self.scratch, ignore_errors=True)
                self.scratch = None
            raise WorkerStartError(f"the checker could not start Python ({sys.executable}): "
                                   f"{exc}") from None

    def _start(self) -> None:
        if self.process is None:
            self._launch()
        reader = self.ctl if self.launcher.ready_on_ctl else self.replies
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
            self.cgroup.add([self.process.pid, *proc.descendants(self.process.pid)])

    def _startup_log(self) -> str:
        """The end of what the worker wrote to stderr while starting, as `: <text>` (or "")."""
        try:
            said = (Path(self.scratch) / STARTUP_LOG).read_bytes()[-1500:] if self.scratch else b""
        except OSError:
            return ""
        said = said.decode("utf-8", "replace").strip()
        return f":\n{said}" if said else ""

    def _send(self, message: dict) -> str:
        message = {**message, "id": secrets.token_hex(16)}
        try:
            self.process.stdin.write(wire.encode(message))
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerCrashed("the worker stopped accepting requests") from None
        return message["id"]

    def open(self, module: str, source: str) -> dict:
        """Load a submission's module in a fresh child; returns the load reply."""
        if self.process is not None and self.process.poll() is not None:
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

    def request(self, message: dict, timeout: float, reload: bool = True, *,
                serve: Serve | None = None) -> dict:
        if reload and not self.loaded:  # a fresh child (and worker) after a timeout or crash
            if "error" in self.open(*self.module):
                raise WorkerCrashed("the submission could not be loaded again after a restart")
        request_id = self._send(message)
        deadline = time.monotonic() + timeout
        latest = deadline + USES_EXTENSION * timeout
        while True:
            try:
                reply = self.replies.frame(deadline, watch=self.ctl.fd)
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
                    self._answer_uses(reply, serve, deadline, timeout)
                    moved = min(latest, deadline + time.monotonic() - received + USES_ALLOWANCE)
                    self.uses_seconds += moved - deadline  # not charged to the time budget
                    deadline = moved
                    continue
                return reply
            # anything else was written by student code to our pipe: ignore it

    def _answer_uses(self, frame: dict, serve: Serve | None, deadline: float,
                     timeout: float) -> None:
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
        fd = self.process.stdin.fileno()
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
            if self.process is not None:
                os.set_blocking(fd, True)

    def _exited_status(self) -> int | None:
        """Wait for the worker's "exited" (the child and all it started are gone): its status.

        Then drop whatever is left in the reply pipe: only the submission's processes could
        have written it, and none is alive, so it can only be junk aimed at the next one.
        A worker that is broken, or says it was tampered with, is shut down (a fresh one
        starts for the next submission).
        """
        try:
            message = self.ctl.frame(time.monotonic() + 30)
        except (TimeoutError, EOFError, wire.CodecError):
            self.shutdown()
            return None
        if not (isinstance(message, dict) and message.get("op") == "exited") \
                or message.get("restart"):
            self.shutdown()
        else:
            self._drop_replies()
        return message.get("status") if isinstance(message, dict) else None

    def _drop_replies(self) -> None:
        self.replies.buffer.clear()
        fd = self.replies.fd
        while select.select([fd], [], [], 0)[0]:
            try:
                if not os.read(fd, 1 << 16):
                    return
            except OSError:
                return

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
        if self.process is None:
            return
        self.launcher.kill(self.process)
        self.process.wait()
        if self.cgroup is not None:
            self.cgroup.kill()
        self.process.stdin.close()
        self.replies.close()
        self.ctl.close()
        self.process = None
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


class _Alarm(BaseException):
    """Raised in trusted in-process code when a call's deadline passes."""


def _importing(frame) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _round_trip(value: Any) -> Any:
    return wire.decode(wire.encode(value)[4:])


class InProcessWorker:
    """The same Session without any isolation: trusted code only (reference, benchmarks)."""

    def __init__(self) -> None:
        self.session: Session | None = None
        self.tmp = Path(tempfile.mkdtemp(prefix="autograder-inprocess-"))
        self.count = 0
        self.start_seconds = 0.0

    def open(self, module: str, source: str) -> dict:
        self.count += 1
        directory = self.tmp / str(self.count)
        directory.mkdir()
        try:
            loaded = load_module(source, module, directory)
        except Exception as exc:  # noqa: BLE001
            return error_reply(exc)
        self.session = Session(loaded)
        from autograder.worker.main import public_names

        return {"ok": public_names(loaded)}

    def request(self, message: dict, timeout: float, *, serve: Serve | None = None) -> dict:
        # a codec round trip both ways, so values behave exactly as across a pipe
        message = _round_trip(message)
        self.session.call_back = None if serve is None else (
            lambda frame: _round_trip(serve(_round_trip(frame))))
        if threading.current_thread() is not threading.main_thread():
            reply = self.session.handle(message)
        else:  # the same per-call deadline as a worker's, with SIGALRM (pure-Python loops stop)
            fired = []

            def alarm(signum, frame):
                if _importing(frame):  # torch imports lazily on first use (~2 s): never
                    signal.setitimer(signal.ITIMER_REAL, timeout)  # break an import, and let
                    return  # the call run on as a warm worker, which has it imported, would
                fired.append(True)
                raise _Alarm

            previous = signal.signal(signal.SIGALRM, alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                try:
                    reply = self.session.handle(message)
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            except _Alarm:  # outside the student's code (it catches everything in there)
                reply = {}
            finally:
                signal.signal(signal.SIGALRM, previous)
            if fired:
                raise CallTimeout(timeout)
        return _round_trip(reply)

    def close_submission(self) -> None:
        self.session = None

    def shutdown(self) -> None:
        self.session = None
