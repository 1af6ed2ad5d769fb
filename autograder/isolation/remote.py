"""What a test sees of the student's side: errors raised there and the record of a call."""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from autograder.isolation import sandbox
from autograder.sanitize import ITEM_LIMIT, clean_text
from autograder.worker.wire import Message, Opaque

__all__ = ["CallRecord", "CallSkipped", "CallTimeout", "Opaque", "StudentError",
           "SubmissionUnavailable", "WorkerCrashed", "builtin_type", "call_record",
           "error_from_reply", "student_traceback"]

# A traceback frame line: `  File "/opt/autograder/autograder/worker/session.py", line 3, in f`
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]*)", line \d+.*$')
_ENGINE = (f"{sandbox.SANDBOX_PACKAGE_ROOT}/", f"{sandbox.PACKAGE_PARENT / 'autograder'}/", "<frozen ")


class StudentError(Exception):
    """An exception raised by the student's code (or the worker running it)."""

    def __init__(self, type_name: str, message: str, traceback: str = "", builtin: str = ""):
        super().__init__(f"{type_name}: {message}" if message else type_name)
        self.type_name = type_name
        self.message = message
        self.traceback = traceback
        self.builtin = builtin  # the nearest builtin exception class in its MRO, if any


class CallTimeout(StudentError):
    def __init__(self, seconds: float):
        super().__init__("Timeout", f"timed out after {seconds:g} s")
        self.seconds = seconds


class CallSkipped(StudentError):
    """The call was not made: the submission's time budget or restarts are used up (budget.py)."""

    def __init__(self, reason: str):
        super().__init__("NotRun", reason)


class WorkerCrashed(StudentError):
    def __init__(self, detail: str):
        super().__init__("WorkerCrashed", detail)


class SubmissionUnavailable(StudentError):
    """The submission's module could not be found or loaded: every test fails with the reason."""

    def __init__(self, reason: str):
        super().__init__("SubmissionUnavailable", reason)


def student_traceback(traceback: str) -> str:
    """A worker's traceback without the engine's own frames (a student reads it)."""
    kept: list[str] = []
    skipping = False
    for line in traceback.strip().splitlines():
        frame = _FRAME.match(line)
        if frame:
            skipping = frame["file"].startswith(_ENGINE)
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


# Builtins a remote exception may also be an instance of, so that pytest.raises(ValueError)
# works. Only ordinary Exceptions: never SystemExit, KeyboardInterrupt or GeneratorExit.
_MIRRORED = {name for name, obj in vars(builtins).items()
             if isinstance(obj, type) and issubclass(obj, Exception)
             and not issubclass(obj, (Warning, AssertionError))}


@cache
def _error_class(builtin_name: str) -> type[StudentError]:
    base = getattr(builtins, builtin_name)
    return type(f"Student{builtin_name}", (StudentError, base), {})


# Type names are the student's text too (a class named after the hidden inputs): kept short.
TYPE_NAME_LIMIT = 100
MESSAGE_LIMIT = ITEM_LIMIT
TRACEBACK_LIMIT = 2 * ITEM_LIMIT


def error_from_reply(error: Message) -> StudentError:
    """A StudentError that is also an instance of the nearest mirrored builtin in the MRO.

    Every field is the worker's text: made valid and capped here, whatever the worker did."""
    mro = error.get("mro", [])
    mro = [m for m in mro[:50] if isinstance(m, str)] if isinstance(mro, list) else []
    base = next((m for m in mro if m in _MIRRORED), None)
    cls = _error_class(base) if base else StudentError
    exc = cls.__new__(cls)
    trace = error.get("traceback", "")
    if isinstance(trace, str) and len(trace) > TRACEBACK_LIMIT:
        trace = "…" + trace[-TRACEBACK_LIMIT:]  # the end of a traceback says where it failed
    StudentError.__init__(exc, clean_text(error.get("type", "Error"), TYPE_NAME_LIMIT),
                          clean_text(error.get("message", ""), MESSAGE_LIMIT),
                          clean_text(trace, TRACEBACK_LIMIT + 1), base or "")
    return exc


def builtin_type(exc: StudentError) -> str:
    """The nearest builtin exception of a student's error: its name is the grader's words,
    a class of the student's own is named whatever the student likes."""
    return exc.builtin or (exc.type_name if exc.type_name in _MIRRORED else "")


@dataclass
class CallRecord:
    """The most recent call into the worker: what the test called (`name`, `args`, `kwargs`:
    the test's own objects), the arguments as they were afterwards, warnings, output."""

    name: str = ""
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    args_after: tuple[Any, ...] = ()
    kwargs_after: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stdout: str = ""


MAX_WARNINGS = 20


def call_record(reply: Message, name: str = "", sent: tuple[Any, ...] = (),
                sent_kwargs: dict[str, Any] | None = None) -> CallRecord:
    """The record of a call from the worker's reply, its text made valid and capped; `name`,
    `sent` and `sent_kwargs` are what the test called (trusted, kept as they are)."""
    args, kwargs, warnings = (reply.get("args_after", ()), reply.get("kwargs_after", {}),
                              reply.get("warnings", []))
    return CallRecord(
        name=name, args=sent, kwargs=dict(sent_kwargs or {}),
        args_after=tuple(args) if isinstance(args, (list, tuple)) else (),
        kwargs_after=kwargs if isinstance(kwargs, dict) else {},
        warnings=[clean_text(w, 500) for w in warnings[:MAX_WARNINGS]]
        if isinstance(warnings, list) else [],
        stdout=clean_text(reply.get("stdout", ""), ITEM_LIMIT))
