"""What graded tests use to judge a value and to name the likely mistake.

A failure is a `GradedFailure` (an AssertionError) carrying an optional hint id from
shared/spec/misconceptions.md; the plugin renders the id as `[hint:ID]` with its explanation.
A hint is named only on evidence: the student's value equals what the mistaken formula gives
on the same inputs, and the right value does not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.codec import Opaque, TrustedFunction

__all__ = ["GradedFailure", "Mistake", "as_array", "check_dict", "check_value", "close", "fail",
           "fit_result", "fn"]


class GradedFailure(AssertionError):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Mistake:
    """A known mistake: `formula(*args)` is what the mistaken code returns."""

    id: str
    formula: Callable[..., Any]


def fail(message: str, hint: str | None = None) -> None:
    raise GradedFailure(message, hint)


def fn(name: str, **params: Any) -> TrustedFunction:
    """A callable argument built in the worker from autograder/worker/functions.py."""
    return TrustedFunction(name, params)


def as_array(value: Any) -> np.ndarray | None:
    """A float array of any array-like or real scalar; None when it is not numeric data."""
    if value is None or isinstance(value, (Opaque, str, dict)):
        return None
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    try:
        arr = np.asarray(value)
        if arr.dtype == object or arr.dtype.kind not in "biuf":
            return None
        return arr.astype(np.float64)
    except (ValueError, TypeError):
        return None


def close(got: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Same shape and values (NaN equal to NaN) within tolerance."""
    a, b = as_array(got), as_array(expected)
    if a is None or b is None or a.shape != b.shape:
        return False
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _show(value: Any) -> str:
    arr = as_array(value)
    if arr is None:
        return repr(value)[:300]
    if arr.ndim == 0:
        return f"{float(arr):.8g}"
    text = np.array2string(arr, precision=6, threshold=20, separator=", ")
    return f"{text} (shape {arr.shape})"


def check_value(got: Any, expected: Any, *, call: str, args: Sequence[Any] = (),
                mistakes: Sequence[Mistake] = (), rtol: float = 1e-6, atol: float = 1e-9) -> None:
    """Pass when `got` equals `expected`; else fail, with the hint of the mistake that fits."""
    if got is None:
        fail(f"{call} returned None; expected {_show(expected)}. Did you forget `return`?",
             "returns-none")
    if close(got, expected, rtol, atol):
        return
    message = f"{call} returned {_show(got)}; expected {_show(expected)}."
    fail(message, which_mistake(got, expected, args, mistakes, rtol, atol))


def which_mistake(got: Any, expected: Any, args: Sequence[Any], mistakes: Sequence[Mistake],
                  rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    for mistake in mistakes:
        try:
            with np.errstate(all="ignore"):
                wrong = mistake.formula(*args)
        except Exception:  # noqa: BLE001 - a formula that does not apply to these inputs
            continue
        if close(got, wrong, rtol, atol) and not close(wrong, expected, rtol, atol):
            return mistake.id
    return None


def check_dict(got: Any, expected: dict, *, call: str, rtol: float = 1e-6) -> None:
    """`got` is a dict holding every key of `expected`, each with the expected value."""
    if not isinstance(got, dict):
        fail(f"{call} returned {got!r}; expected a dict with the keys {sorted(expected)}.")
    missing = sorted(set(expected) - set(got))
    if missing:
        fail(f"{call} returned a dict without the keys {missing}; it had {sorted(got)}.")
    for key, value in expected.items():
        check_value(got[key], value, call=f"{call}[{key!r}]", rtol=rtol)


def fit_result(got: Any, call: str, epochs: int | None = None,
               parts: tuple[str, ...] = ("w", "losses")) -> tuple[Any, ...]:
    """A fit function's `(weights, losses)` (or the tuple `parts` names, the per-epoch list
    last); with `epochs`, one entry of that list per epoch."""
    if not isinstance(got, (tuple, list)) or len(got) != len(parts):
        fail(f"{call} returned {repr(got)[:200]}; expected a tuple ({', '.join(parts)}).")
    history = got[-1]
    if epochs is not None and (np.ndim(history) != 1 or len(history) != epochs):
        fail(f"{call} returned {parts[-1]} {repr(history)[:200]}; expected a list of {epochs} "
             "numbers, one per epoch.")
    return tuple(got)
