"""Results made of parts: a tuple of n values, a fit's `(weights, ..., per-epoch history)`,
and the gradient slips a fit shows in its iterates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograder.testing.calls import described
from autograder.testing.data import show
from autograder.testing.failures import Mistake, fail

__all__ = ["as_tuple", "fit_result", "rescaled_lr"]


def as_tuple(got: Any, parts: int | tuple[str, ...], *, call: str | None = None
             ) -> tuple[Any, ...]:
    """`got` as a tuple of `parts` values, or of the values `parts` names (a list will do);
    else fail."""
    n = parts if isinstance(parts, int) else len(parts)
    if not isinstance(got, (tuple, list)) or len(got) != n:
        expected = f"of {n} values" if isinstance(parts, int) else f"({', '.join(parts)})"
        fail(f"{described(call)} returned {show(got, 200)}; expected a tuple {expected}.")
    return tuple(got)


def fit_result(got: Any, epochs: int | None = None, *, parts: tuple[str, ...] = ("w", "losses"),
               call: str | None = None) -> tuple[Any, ...]:
    """A fit function's `(weights, losses)` (or the tuple `parts` names, the per-epoch list
    last); with `epochs`, one entry of that list per epoch."""
    values = as_tuple(got, parts, call=call)
    history = values[-1]
    if epochs is not None and (np.ndim(history) != 1 or len(history) != epochs):
        fail(f"{described(call)} returned {parts[-1]} {show(history, 200)}; expected a list of {epochs} "
             "numbers, one per epoch.")
    return values


def rescaled_lr(fit: Callable[..., Any], part: int) -> list[Mistake]:
    """The gradient slips of a fit function, by their evidence in its iterates.

    A gradient without the factor 2, summed instead of averaged, or both, written inline in
    a fit function gives the iterates of the right update with the learning rate times 1/2,
    n or n/2 (misconceptions.md, revision 2). `fit(X, y, lr, *rest)` is the reference fit;
    `part` is the index of the result compared (0: the weights, 1: the losses).
    """
    def run(scale: Callable[[int], float]) -> Callable[..., Any]:
        return lambda X, y, lr, *rest: fit(X, y, lr * scale(len(X)), *rest)[part]

    return [Mistake("grad-no-2", run(lambda n: 0.5)),
            Mistake("grad-no-mean", run(lambda n: n)),
            Mistake("grad-no-2 grad-no-mean", run(lambda n: n / 2))]
