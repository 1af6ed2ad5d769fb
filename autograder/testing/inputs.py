"""What a test passes in: callables built in the worker (`fn`), and the check that a call
left the caller's arrays as they were (`unchanged`: 입력을 제자리에서 바꾸지 않기)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.testing.calls import described, last_call
from autograder.testing.failures import fail
from autograder.worker.wire import TrustedFunction

__all__ = ["fn", "unchanged"]


def fn(name: str, **params: Any) -> TrustedFunction:
    """A callable argument built in the worker by the course's helpers (course/functions.py)."""
    return TrustedFunction(name, params)


def unchanged(*, call: str | None = None, hint: str | None = None) -> None:
    """The last call left every array argument the test passed as it was (positional ones,
    compared with the worker's record of them after the call); else fail, with `hint`."""
    record = last_call()
    for i, (before, after) in enumerate(zip(record.args, record.args_after, strict=False)):
        if isinstance(before, np.ndarray) and not (
                isinstance(after, np.ndarray) and np.array_equal(before, after)):
            fail(f"{call or record.name or described()} changed its argument #{i + 1} in place; "
                 "inputs must stay as they were.", hint)
