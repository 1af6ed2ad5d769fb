"""Helpers for the test cells of the lecture notebooks.

`autograder release` copies this file's code (without this docstring) into a locked cell of
every notebook, so the test cells can run in the student's own kernel, with or without nbgrader
and without this package installed. Keep it short, standard-library plus NumPy only, and
readable: students see it.
"""

import numpy as _np  # underscored: the notebook's own names stay untouched


def _as_array(value):
    if hasattr(value, "detach"):  # a torch tensor: compare its values
        value = value.detach().cpu().numpy()
    return _np.asarray(value, dtype=_np.float64)


def expect_close(got, expected, call, hint="", rtol=1e-6, atol=1e-9):
    """Fail with what was called, what came back and what was expected, unless they match."""
    message = f"{call} returned {got!r}; expected {expected!r}."
    if got is None:
        raise AssertionError(message + "\nHint: did you forget the `return` statement?")
    try:
        mine, wanted = _as_array(got), _as_array(expected)
        same = mine.shape == wanted.shape and _np.allclose(mine, wanted, rtol=rtol, atol=atol)
    except (TypeError, ValueError):
        same = False
    if not same:
        raise AssertionError(message + (f"\nHint: {hint}" if hint else ""))


def expect_raises(error, call, function, *args, hint="", **kwargs):
    """Fail unless `function(*args, **kwargs)` raises `error`."""
    try:
        function(*args, **kwargs)
    except error:
        return
    raise AssertionError(f"{call} should raise {error.__name__}, but it did not."
                         + (f"\nHint: {hint}" if hint else ""))


def expect_true(condition, message):
    """Fail with `message` unless `condition` holds."""
    if not condition:
        raise AssertionError(message)
