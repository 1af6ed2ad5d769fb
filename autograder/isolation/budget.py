"""One submission's calls under a time budget, with crash attribution and fail-fast rules.

Wraps any Connection (a warm worker, or another backend) for one student's one assignment:
- the budget: the wall time of its load and calls together (starting a worker excluded); a
  call gets at most what is left, and once it is used up every further call fails at once
  with "time budget used up";
- crash attribution: when the worker dies during a call, the call is retried once in a fresh
  worker (an earlier call may have left a process that killed it); only a second crash is the
  call's own;
- a function that timed out once, or crashed its worker twice in a row, fails its remaining
  cases at once (each would cost a full time limit or a reload of the module);
- restarts are counted: after MAX_RESTARTS (crashes or timeouts, each costs a reload of the
  module) the remaining calls fail at once, so a module that keeps crashing is not reloaded
  for every test.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from autograder.isolation.connection import Connection, Serve
from autograder.isolation.remote import CallSkipped, CallTimeout, WorkerCrashed
from autograder.worker.wire import Message

P = ParamSpec("P")
T = TypeVar("T")

MAX_RESTARTS = 6  # three functions that crash, each retried once
# ops that carry all their state in the request: a retry in a fresh worker means the same
# (a method call needs the instance, which died with the worker)
RETRYABLE = {"call", "new", "autograd"}


class GuardedConnection:
    def __init__(self, connection: Connection, budget: float):
        self.connection = connection
        self.budget = budget
        self.spent = 0.0
        self.restarts = 0
        self.failed: dict[str, str] = {}  # function -> why its remaining cases are not run

    def _left(self) -> float:
        return self.budget - self.spent

    def _free(self) -> float:
        """Time that is not the student's: worker starts, and the grader's "uses" call-backs."""
        return (getattr(self.connection, "start_seconds", 0.0)
                + getattr(self.connection, "uses_seconds", 0.0))

    def _timed(self, run: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run and charge the time, less any worker start (a cold start is not the student's)
        and the reference call-backs (autograder/plugin/uses.py)."""
        started, free = time.monotonic(), self._free()
        try:
            return run(*args, **kwargs)
        finally:
            self.spent += max(0.0, time.monotonic() - started - (self._free() - free))

    def open(self, module: str, source: str) -> Message:
        return self._timed(self.connection.open, module, source)

    def request(self, message: Message, timeout: float, *,
                serve: Serve | None = None) -> Message:
        name = str(message.get("name", ""))
        self._refuse_early(name)
        try:
            return self._attempt(message, timeout, name, serve)
        except WorkerCrashed:
            if message.get("op") not in RETRYABLE:
                raise
        self._refuse_early(name)
        try:
            return self._attempt(message, timeout, name, serve)
        except WorkerCrashed:  # a second crash is the call's own
            self.failed[name] = "ended the submission's process in an earlier test"
            raise

    def _refuse_early(self, name: str) -> None:
        if self._left() <= 0:
            raise CallSkipped(f"time budget used up ({self.budget:g} s for this assignment); "
                              "the remaining tests were not run")
        if name in self.failed:
            raise CallSkipped(f"{name} {self.failed[name]}; its remaining tests were not run")
        if self.restarts >= MAX_RESTARTS:
            raise CallSkipped(f"the submission's process ended {self.restarts} times; its "
                              "remaining tests were not run")

    def _attempt(self, message: Message, timeout: float, name: str,
                 serve: Serve | None) -> Message:
        allowed = min(timeout, self._left())
        try:
            return self._timed(self.connection.request, message, allowed, serve=serve)
        except CallTimeout:
            self.restarts += 1
            if allowed < timeout:
                raise CallSkipped(f"time budget used up ({self.budget:g} s for this "
                                  "assignment) during this call") from None
            self.failed[name] = "timed out in an earlier test"
            raise
        except WorkerCrashed:
            self.restarts += 1
            raise

    def close_submission(self) -> None:
        self.connection.close_submission()

    def shutdown(self) -> None:
        self.connection.shutdown()
