"""GuardedConnection (autograder/isolation/budget.py) against a scripted connection: retries, fail-fast,
the restart cap and the time budget, without any worker (the real ones: test_hostile.py)."""

from __future__ import annotations

import pytest

from autograder.isolation.budget import MAX_RESTARTS, GuardedConnection
from autograder.isolation.connection import Serve
from autograder.isolation.remote import CallSkipped, CallTimeout, WorkerCrashed


class Scripted:
    """Answers each request with the next outcome of its function's script."""

    def __init__(self, **scripts: list):
        self.scripts = scripts
        self.calls: list[tuple[str, float]] = []
        self.start_seconds = 0.0  # GuardedConnection reads it with a default of 0.0

    def open(self, module: str, source: str) -> dict:
        return {"ok": {}}

    def request(self, message: dict, timeout: float, *, serve: Serve | None = None) -> dict:
        self.calls.append((message["name"], timeout))
        outcome = self.scripts[message["name"]].pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return {"ok": outcome}

    def close_submission(self) -> None: ...
    def shutdown(self) -> None: ...


def call(guard: GuardedConnection, name: str, op: str = "call", timeout: float = 5.0) -> dict:
    return guard.request({"op": op, "name": name, "args": [], "kwargs": {}}, timeout)


def test_a_call_whose_worker_died_is_retried_once_in_a_fresh_one():
    conn = Scripted(mse=[WorkerCrashed("killed by an earlier call"), 1.5])
    assert call(GuardedConnection(conn, 60), "mse") == {"ok": 1.5}
    assert [name for name, _ in conn.calls] == ["mse", "mse"]


def test_a_second_crash_is_the_calls_own_and_its_function_fails_fast_afterwards():
    conn = Scripted(mse=[WorkerCrashed("1"), WorkerCrashed("2")], mae=[0.5])
    guard = GuardedConnection(conn, 60)
    with pytest.raises(WorkerCrashed):
        call(guard, "mse")
    with pytest.raises(CallSkipped, match="mse ended the submission's process"):
        call(guard, "mse")
    assert call(guard, "mae") == {"ok": 0.5}  # another function is not charged
    assert len(conn.calls) == 3


def test_a_method_call_is_not_retried_its_instance_died_with_the_worker():
    conn = Scripted(step=[WorkerCrashed("gone"), 1.0])
    with pytest.raises(WorkerCrashed):
        call(GuardedConnection(conn, 60), "step", op="method")
    assert len(conn.calls) == 1


def test_after_a_timeout_the_functions_remaining_cases_fail_fast():
    conn = Scripted(fit=[CallTimeout(5.0)], mse=[2.0])
    guard = GuardedConnection(conn, 60)
    with pytest.raises(CallTimeout):
        call(guard, "fit")
    with pytest.raises(CallSkipped, match="fit timed out in an earlier test"):
        call(guard, "fit")
    assert call(guard, "mse") == {"ok": 2.0}


def test_a_module_that_keeps_crashing_is_restarted_at_most_max_restarts_times():
    names = [f"f{i}" for i in range(MAX_RESTARTS)]
    conn = Scripted(**{name: [WorkerCrashed("x"), WorkerCrashed("x")] for name in names})
    guard = GuardedConnection(conn, 600)
    for name in names:
        try:
            call(guard, name)
        except (WorkerCrashed, CallSkipped):
            pass
    assert len(conn.calls) == MAX_RESTARTS
    with pytest.raises(CallSkipped, match=f"ended {MAX_RESTARTS} times"):
        call(guard, "anything")


def test_a_call_gets_at_most_the_budget_left_and_none_once_it_is_used_up():
    conn = Scripted(fit=[1.0, CallTimeout(0.0)])
    guard = GuardedConnection(conn, budget=10.0)
    guard.spent = 8.0  # as if loads and earlier calls had taken 8 s
    call(guard, "fit")
    assert conn.calls[0][1] <= 2.0
    with pytest.raises(CallSkipped, match="time budget used up"):
        call(guard, "fit")  # its timeout was the budget's, not the function's
    guard.spent = 10.0
    with pytest.raises(CallSkipped, match="time budget used up"):
        call(guard, "fit")
    assert len(conn.calls) == 2


def test_starting_a_worker_is_not_charged_to_the_submission(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("autograder.isolation.budget.time.monotonic", lambda: clock[0])

    class ColdStart(Scripted):
        start_seconds = 0.0

        def open(self, module: str, source: str) -> dict:
            clock[0] += 8.0  # the worker took 8 s to start, then 2 s to load the module
            self.start_seconds += 8.0
            clock[0] += 2.0
            return super().open(module, source)

    guard = GuardedConnection(ColdStart(), budget=10.0)
    guard.open("m", "")
    assert guard.spent == 2.0


def test_reference_call_backs_are_not_charged_to_the_budget(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("autograder.isolation.budget.time.monotonic", lambda: clock[0])

    class CallingBack(Scripted):
        """A call of 3 s of which 2 s went to the grader's "uses" call-backs."""

        uses_seconds = 0.0

        def request(self, message: dict, timeout: float, *, serve: Serve | None = None) -> dict:
            assert serve is not None  # the answer function reaches the connection
            clock[0] += 3.0
            self.uses_seconds += 2.0
            return super().request(message, timeout)

    guard = GuardedConnection(CallingBack(fit=[1.0]), 60)
    message = {"op": "call", "name": "fit", "args": [], "kwargs": {}}
    assert guard.request(message, 5.0, serve=dict) == {"ok": 1.0}
    assert guard.spent == pytest.approx(1.0)
