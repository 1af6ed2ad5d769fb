"""Checks of a returned value: the right numbers, the stated shape, a dict of parts.

Containers (assignments.md, revision 2): values are compared after dropping size-1 axes, so a
one-element array passes for a float and a `keepdims` result passes a value test; the one
exact-shape test of a function (`check_shape`) is where an extra axis costs, as
`shape-extra-axis`.

Every check takes `call=` (the suite's words for what was called) and `part=` (which piece
of the result this is); without `call=` the last call of the test is named (calls.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from autograder.course.messages import text
from autograder.testing.calls import described
from autograder.testing.data import as_array, close, extra_axes_only, shape_of, show
from autograder.testing.failures import Mistake, fail, which_mistake

__all__ = ["WRONG_SHAPE", "check_dict", "check_exact_shape", "check_shape", "check_value"]

WRONG_SHAPE = "it returned an array of the wrong shape"  # a hidden test's words (no shapes)


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


def check_value(got: Any, expected: Any, *, call: str | None = None, part: str | None = None,
                args: Sequence[Any] = (), mistakes: Sequence[Mistake] = (), rtol: float = 1e-6,
                atol: float = 1e-9) -> None:
    """Pass when `got` equals `expected`; else fail, with the hint of the mistake that fits."""
    if got is None:
        fail(text("returned-none", call=described(call, part), expected=show(expected)),
             "returns-none", "it returned None")
    if close(got, expected, rtol, atol):
        return
    said = described(call, part)
    hint = which_mistake(got, expected, args, mistakes, rtol, atol)
    got_shape, shape = shape_of(got), shape_of(expected)
    if not hint and got_shape is not None and shape is not None and got_shape != shape \
            and not extra_axes_only(got_shape, shape):
        fail(f"{said} returned an array of shape {got_shape}; expected shape {shape}. "
             f"Got {show(got)}; expected {show(expected)}.", summary=WRONG_SHAPE)
    shown_got, shown_expected = show(got), show(expected)
    message = text("returned", call=said, got=shown_got, expected=shown_expected)
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


def check_shape(got: Any, shape: tuple[int, ...] | None, *, call: str | None = None,
                part: str | None = None) -> None:
    """The exact-shape test of a function: `got` has exactly `shape`.

    Run it after `check_value` on the same result, so that it too is earned only by right values.
    """
    got_shape = shape_of(got)
    if got_shape == shape and got_shape is not None:
        return  # the passing path renders nothing: the call is named only in a failure
    said = described(call, part)
    if got_shape is None:
        fail(f"{said} returned {show(got)}; expected an array of shape {shape}.",
             summary="it returned something that is not an array")
    if shape is not None and extra_axes_only(got_shape, shape):
        fail(f"{said} returned the right values in shape {got_shape}; the stated shape is "
             f"{shape}. Drop the extra size-1 axes (e.g. no keepdims=True).", "shape-extra-axis",
             WRONG_SHAPE)
    fail(f"{said} returned an array of shape {got_shape}; expected shape {shape}.",
         summary=WRONG_SHAPE)


def check_exact_shape(got: Any, expected: Any, *, call: str | None = None,
                      part: str | None = None) -> None:
    """A function's one exact-shape test: the right values, in exactly the stated shape."""
    check_value(got, expected, call=call, part=part)
    check_shape(got, shape_of(expected), call=call, part=part)


def check_dict(got: Any, expected: Mapping[str, Any], *, call: str | None = None,
               rtol: float = 1e-6) -> None:
    """`got` is a dict holding every key of `expected`, each with the expected value."""
    said = described(call)
    if not isinstance(got, dict):
        fail(text("returned-not-dict", call=said, got=show(got), keys=sorted(expected)))
    missing = sorted(set(expected) - set(got))
    if missing:
        fail(text("dict-missing-keys", call=said, missing=missing, keys=sorted(got)))
    for key, value in expected.items():
        check_value(got[key], value, call=f"{said}[{key!r}]", rtol=rtol)
