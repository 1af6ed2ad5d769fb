"""The in-process backend: a worker's Session in the grader's own process, for trusted code.

For the reference solution and the benchmark's no-isolation floor only (and a notebook's
test cells, whose kernel already runs the student's code): grading student code never uses
it. Every value makes a codec round trip both ways, so it behaves as across a worker's pipes.
"""

from __future__ import annotations

import signal
import tempfile
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from autograder.isolation.connection import Serve
from autograder.isolation.pipes import received
from autograder.isolation.remote import CallTimeout
from autograder.worker import session as worker
from autograder.worker import wire
from autograder.worker.wire import Message


class _Alarm(BaseException):
    """Raised in trusted in-process code when a call's deadline passes."""


def _importing(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _round_trip(value: Any) -> Any:
    return received(wire.encode(value)[wire.HEADER.size:])


class InProcessBackend:
    """The same Session without any isolation: trusted code only (reference, benchmarks).
    `functions`: the course's helpers file, loaded here as the worker loads it."""

    def __init__(self, functions: Path | None = None) -> None:
        self.session: worker.Session | None = None
        self.build = worker.load_trusted_functions(functions) \
            if functions is not None and functions.is_file() else worker.no_trusted_functions
        self.tmp = Path(tempfile.mkdtemp(prefix="autograder-inprocess-"))
        self.count = 0
        self.start_seconds = 0.0

    def open(self, module: str, source: str) -> Message:
        self.count += 1
        directory = self.tmp / str(self.count)
        directory.mkdir()
        try:
            loaded = worker.load_module(source, module, directory)
        except Exception as exc:  # noqa: BLE001
            return worker.error_reply(exc)
        self.session = worker.Session(loaded, build=self.build)
        return {"ok": worker.public_names(loaded)}

    def request(self, message: Message, timeout: float, *,
                serve: Serve | None = None) -> Message:
        session = self.session
        if session is None:
            raise RuntimeError("a request before any submission was opened")
        # a codec round trip both ways, so values behave exactly as across a pipe
        message = _round_trip(message)
        session.call_back = None if serve is None else (
            lambda frame: _round_trip(serve(_round_trip(frame))))
        if threading.current_thread() is not threading.main_thread():
            reply = session.handle(message)
        else:  # the same per-call deadline as a worker's, with SIGALRM (pure-Python loops stop)
            fired = []

            def alarm(signum: int, frame: FrameType | None) -> None:
                if _importing(frame):  # torch imports lazily on first use (~2 s): never
                    signal.setitimer(signal.ITIMER_REAL, timeout)  # break an import, and let
                    return  # the call run on as a warm worker, which has it imported, would
                fired.append(True)
                raise _Alarm

            previous = signal.signal(signal.SIGALRM, alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                try:
                    reply = session.handle(message)
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            except _Alarm:  # outside the student's code (it catches everything in there)
                reply = {}
            finally:
                signal.signal(signal.SIGALRM, previous)
            if fired:
                raise CallTimeout(timeout)
        answer: Message = _round_trip(reply)
        return answer

    def close_submission(self) -> None:
        self.session = None

    def shutdown(self) -> None:
        self.session = None
