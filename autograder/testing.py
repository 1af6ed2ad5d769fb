"""What graded tests use to judge a value and to name the likely mistake.

A failure is a `GradedFailure` (an AssertionError) carrying an optional hint id from
shared/spec/misconceptions.md; the plugin renders the id as `[hint:ID]` with its explanation.
A hint is named only on evidence: the student's value equals what the mistaken formula gives
on the same inputs, and the right value does not.

Containers (assignments.md, revision 2): values are compared after dropping size-1 axes, so a
one-element array passes for a float and a `keepdims` result passes a value test; the one
exact-shape test of a function (`check_shape`) is where an extra axis costs, as
`shape-extra-axis`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.course.messages import text
from autograder.worker.wire import Opaque, TrustedFunction

__all__ = ["GradedFailure", "Mistake", "as_array", "check_dict", "check_exact_shape", "check_shape",
           "check_value", "close", "fail", "fit_result", "fn", "rescaled_lr", "shape_of", "show"]


WRONG_SHAPE = "it returned an array of the wrong shape"  # a hidden test's words (no shapes)


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


def fail(message: str, hint: str | None = None, summary: str | None = None) -> None:
    raise GradedFailure(message, hint, summary)


def fn(name: str, **params: Any) -> TrustedFunction:
    """A callable argument built in the worker by the course's helpers (course/functions.py)."""
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


def shape_of(value: Any) -> tuple[int, ...] | None:
    """The shape of numeric data as a plain tuple (a tensor's too); None for anything else."""
    arr = as_array(value)
    return None if arr is None else tuple(arr.shape)


def _squeezed(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(n for n in shape if n != 1)


def extra_axes_only(got_shape: tuple[int, ...], shape: tuple[int, ...]) -> bool:
    """Whether the two shapes differ only by size-1 axes (`(1, l)` or `(l, 1)` for `(l,)`)."""
    return got_shape != shape and _squeezed(got_shape) == _squeezed(shape)


def close(got: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """The same values (NaN equal to NaN) within tolerance, in shapes that differ at most by
    size-1 axes (those cost only the function's exact-shape test, `check_shape`)."""
    a, b = as_array(got), as_array(expected)
    if a is None or b is None:
        return False
    if a.shape != b.shape:
        if not extra_axes_only(a.shape, b.shape):
            return False
        a = a.reshape(b.shape)
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _scalar(value: float | int | bool | np.generic) -> str:
    """A number as Python writes it: 9.0, 3.3333333, 7, True (never np.float64(9.0))."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    written = f"{float(value):.8g}"
    return written if any(c in written for c in ".en") else f"{written}.0"  # 9 -> 9.0


def show(value: Any, limit: int = 300) -> str:
    """A value in feedback, the same way wherever it appears: numbers as Python writes them,
    arrays and tensors with their shape, containers element by element; capped at `limit`."""
    if isinstance(value, (bool, int, float, np.generic)) and np.ndim(value) == 0 \
            and not isinstance(value, (np.str_, np.bytes_, np.void)):
        return _scalar(value.item() if isinstance(value, np.generic) else value)
    if isinstance(value, (list, tuple)):
        inner = ", ".join(show(v, limit) for v in value[:20]) + (", ..." if len(value) > 20 else "")
        written = f"({inner}{',' if len(value) == 1 else ''})" if isinstance(value, tuple) \
            else f"[{inner}]"
        return written[:limit]
    if isinstance(value, dict):
        inner = ", ".join(f"{show(k, limit)}: {show(v, limit)}" for k, v in list(value.items())[:20])
        return f"{{{inner}}}"[:limit]
    arr = as_array(value) if isinstance(value, np.ndarray) or hasattr(value, "detach") else None
    if arr is None:
        return repr(value)[:limit]
    if arr.ndim == 0:
        return _scalar(arr.item())
    written = np.array2string(arr, precision=6, threshold=20, separator=", ")
    return f"{written} (shape {arr.shape})"[:limit]


def _invisible_difference(got: Any, expected: Any) -> str:
    """For values that print alike: how far apart they are, and float32 when it is that."""
    a, b = as_array(got), as_array(expected)
    if a is None or b is None or a.size != b.size or a.size == 0:
        return ""
    a, b = a.reshape(-1), b.reshape(-1)
    with np.errstate(all="ignore"):
        diff = float(np.max(np.abs(a - b)))
        relative = float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))
    if not np.isfinite(diff):
        return ""
    note = f" The values print alike but differ by {diff:.1e}"
    if 1e-10 < relative < 1e-6:  # float32 keeps about 7 significant digits
        note += " — about float32's precision: compute (train) in float64"
    return note + "."


def check_value(got: Any, expected: Any, *, call: str, args: Sequence[Any] = (),
                mistakes: Sequence[Mistake] = (), rtol: float = 1e-6, atol: float = 1e-9) -> None:
    """Pass when `got` equals `expected`; else fail, with the hint of the mistake that fits."""
    if got is None:
        fail(text("returned-none", call=call, expected=show(expected)), "returns-none",
             "it returned None")
    if close(got, expected, rtol, atol):
        return
    hint = which_mistake(got, expected, args, mistakes, rtol, atol)
    got_shape, shape = shape_of(got), shape_of(expected)
    if not hint and got_shape is not None and shape is not None and got_shape != shape \
            and not extra_axes_only(got_shape, shape):
        fail(f"{call} returned an array of shape {got_shape}; expected shape {shape}. "
             f"Got {show(got)}; expected {show(expected)}.", summary=WRONG_SHAPE)
    shown_got, shown_expected = show(got), show(expected)
    message = text("returned", call=call, got=shown_got, expected=shown_expected)
    if shown_got == shown_expected:
        message += _invisible_difference(got, expected)
    fail(message, hint, _kind(got, expected))


def _kind(got: Any, expected: Any) -> str:
    """What is wrong with a value, in the grader's words (no value in them)."""
    a, b = as_array(got), as_array(expected)
    if a is None:
        return "it returned something that is not a number or an array"
    if b is not None and a.shape != b.shape:
        return WRONG_SHAPE
    return "it returned a wrong value"


def check_shape(got: Any, shape: tuple[int, ...], *, call: str) -> None:
    """The exact-shape test of a function: `got` has exactly `shape`.

    Run it after `check_value` on the same result, so that it too is earned only by right values.
    """
    got_shape = shape_of(got)
    if got_shape is None:
        fail(f"{call} returned {show(got)}; expected an array of shape {shape}.",
             summary="it returned something that is not an array")
    if got_shape == shape:
        return
    if extra_axes_only(got_shape, shape):
        fail(f"{call} returned the right values in shape {got_shape}; the stated shape is "
             f"{shape}. Drop the extra size-1 axes (e.g. no keepdims=True).", "shape-extra-axis",
             WRONG_SHAPE)
    fail(f"{call} returned an array of shape {got_shape}; expected shape {shape}.",
         summary=WRONG_SHAPE)


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


def check_exact_shape(got: Any, expected: Any, *, call: str) -> None:
    """A function's one exact-shape test: the right values, in exactly the stated shape."""
    check_value(got, expected, call=call)
    check_shape(got, shape_of(expected), call=call)


def check_dict(got: Any, expected: dict, *, call: str, rtol: float = 1e-6) -> None:
    """`got` is a dict holding every key of `expected`, each with the expected value."""
    if not isinstance(got, dict):
        fail(text("returned-not-dict", call=call, got=show(got), keys=sorted(expected)))
    missing = sorted(set(expected) - set(got))
    if missing:
        fail(text("dict-missing-keys", call=call, missing=missing, keys=sorted(got)))
    for key, value in expected.items():
        check_value(got[key], value, call=f"{call}[{key!r}]", rtol=rtol)


def fit_result(got: Any, call: str, epochs: int | None = None,
               parts: tuple[str, ...] = ("w", "losses")) -> tuple[Any, ...]:
    """A fit function's `(weights, losses)` (or the tuple `parts` names, the per-epoch list
    last); with `epochs`, one entry of that list per epoch."""
    if not isinstance(got, (tuple, list)) or len(got) != len(parts):
        fail(f"{call} returned {show(got, 200)}; expected a tuple ({', '.join(parts)}).")
    history = got[-1]
    if epochs is not None and (np.ndim(history) != 1 or len(history) != epochs):
        fail(f"{call} returned {parts[-1]} {show(history, 200)}; expected a list of {epochs} "
             "numbers, one per epoch.")
    return tuple(got)


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
