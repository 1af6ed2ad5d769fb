"""The call a failure is about, as feedback names it: by default the last call this test made
through the submission proxy (`sub.last_call`), rendered from the test's own arguments.

The plugin's `sub` fixture hands each test's submission to `follow`; a check given no
`call=` then says `mse([9, 7, 10], [10, 9, 8])` by itself. A suite passes its own words
(`call="gate_weights(name)"`) where it wants them. Only the test's side is rendered: the
name it called and the arguments it sent, never a value the submission returned, so the
words are the grader's; a hidden test shows none of them anyway (only the summary).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from autograder.isolation.proxy import RemoteObject
from autograder.isolation.remote import CallRecord
from autograder.testing.data import shape_of, show
from autograder.worker.wire import TrustedFunction

__all__ = ["ARG_LIMIT", "CALL_LIMIT", "described", "follow", "last_call"]

ARG_LIMIT = 60    # one argument in a rendered call; a longer array is named by its shape
CALL_LIMIT = 200  # the whole rendered call
NO_CALL = "the result"  # a check made before any call of this test


class Recorded(Protocol):
    """What a check reads of a submission: the record of its last call (proxy.Submission)."""

    last_call: CallRecord


_followed: ContextVar[Recorded | None] = ContextVar("autograder_submission", default=None)


@contextmanager
def follow(submission: Recorded) -> Iterator[None]:
    """During one test: checks read this submission's calls, starting from none."""
    submission.last_call = CallRecord()  # a record of the previous test is not this test's
    token = _followed.set(submission)
    try:
        yield
    finally:
        _followed.reset(token)


def last_call() -> CallRecord:
    """The record of the last call this test made; an empty record before the first."""
    submission = _followed.get()
    return submission.last_call if submission is not None else CallRecord()


def _argument(value: Any) -> str:
    if isinstance(value, TrustedFunction):
        return value.name
    if isinstance(value, RemoteObject):  # the class the test called, not the student's type name
        return f"<{getattr(value, '_origin', '') or 'object'}>"
    written = " ".join(show(value).split())  # an array on one line
    if len(written) <= ARG_LIMIT:
        return written
    shape = shape_of(value)
    return f"array of shape {shape}" if shape is not None else written[:ARG_LIMIT] + "..."


def render(record: CallRecord) -> str:
    """`name(arg, ..., key=value)` of a recorded call, each argument and the whole capped."""
    if not record.name:
        return NO_CALL
    parts = [_argument(a) for a in record.args]
    parts += [f"{key}={_argument(value)}" for key, value in record.kwargs.items()]
    written = f"{record.name}({', '.join(parts)})"
    return written if len(written) <= CALL_LIMIT else written[:CALL_LIMIT - 4] + "...)"


def described(call: str | None = None, part: str | None = None) -> str:
    """How feedback names what is checked: the suite's `call`, else the last call rendered;
    `part` names a piece of its result (`w of fit_gd(...)`)."""
    said = call if call is not None else render(last_call())
    return f"{part} of {said}" if part else said
