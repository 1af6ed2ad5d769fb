"""A graded test's failure, and the known mistakes it may name as its cause.

A failure is a `GradedFailure` (an AssertionError) carrying an optional hint id from
shared/spec/misconceptions.md; the plugin renders the id as `[hint:ID]` with its explanation.
A hint is named only on evidence: the student's value equals what the mistaken formula gives
on the same inputs, and the right value does not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np

from autograder.testing.data import close

__all__ = ["GradedFailure", "Mistake", "fail", "which_mistake"]


class GradedFailure(AssertionError):
    """message: the full story (public tests); summary: what kind of failure, in the grader's
    words only, with no value or input in it (what a hidden test shows)."""

    def __init__(self, message: str, hint: str | None = None, summary: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.summary = summary or "the result is not what the test expects"


@dataclass(frozen=True)
class Mistake:
    """A known mistake: `formula(*args)` is what the mistaken code returns.

    `id` is one hint id, or several separated by spaces when one value fits two slips at once
    (e.g. "grad-no-2 grad-no-mean" for a step n/2 times too large); the feedback names each.
    """

    id: str
    formula: Callable[..., Any]


def fail(message: str, hint: str | None = None, summary: str | None = None) -> NoReturn:
    raise GradedFailure(message, hint, summary)


def which_mistake(got: Any, expected: Any, args: Sequence[Any], mistakes: Sequence[Mistake],
                  rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """The id of the first mistake whose formula gives `got` (and not `expected`) on `args`."""
    for mistake in mistakes:
        try:
            with np.errstate(all="ignore"):
                wrong = mistake.formula(*args)
        except Exception:  # noqa: BLE001 - a formula that does not apply to these inputs
            continue
        if close(got, wrong, rtol, atol) and not close(wrong, expected, rtol, atol):
            return mistake.id
    return None
