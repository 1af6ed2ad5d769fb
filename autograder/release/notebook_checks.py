"""Helpers for the test cells of the lecture notebooks.

`autograder release` copies this file's code (without this docstring) into a locked cell of
every notebook, so the test cells can run in the student's own kernel, with or without nbgrader
and without this package installed. Keep it short, standard-library plus NumPy only, and
readable: students see it. `_TEXT` is filled in at release from autograder/messages.yml (the
one catalogue); the language is `AUTOGRADER_LANG` set in the notebook, else the environment
variable of that name (what `autograder check --lang` defaults to), else English.
"""

import os as _os

import numpy as _np  # underscored: the notebook's own names stay untouched

_TEXT = {}  # key -> {"en": ..., "ko": ...}: written here by `autograder release`


def _say(key, **params):
    lang = globals().get("AUTOGRADER_LANG") or _os.environ.get("AUTOGRADER_LANG", "en")
    texts = _TEXT.get(key, {})
    return texts.get(lang, texts.get("en", key)).format(**params)


def _show(value):
    """A value as Python writes it: 9.0 and [1.0, 2.0], never np.float64(9.0)."""
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    return repr(value.tolist() if hasattr(value, "tolist") else value)


def _as_array(value):
    if hasattr(value, "detach"):  # a torch tensor: compare its values
        value = value.detach().cpu().numpy()
    return _np.asarray(value, dtype=_np.float64)


def _with_hint(message, hint):
    return message + (f"\n{_say('hint-label')}: {hint}" if hint else "")


def expect_close(got, expected, call, hint="", rtol=1e-6, atol=1e-9):
    """Fail with what was called, what came back and what was expected, unless they match."""
    if got is None:
        raise AssertionError(_say("returned-none", call=call, expected=_show(expected)))
    try:
        mine, wanted = _as_array(got), _as_array(expected)
        same = mine.shape == wanted.shape and _np.allclose(mine, wanted, rtol=rtol, atol=atol)
    except (TypeError, ValueError):
        same = False
    if not same:
        message = _say("returned", call=call, got=_show(got), expected=_show(expected))
        raise AssertionError(_with_hint(message, hint))


def expect_raises(error, call, function, *args, hint="", **kwargs):
    """Fail unless `function(*args, **kwargs)` raises `error`."""
    try:
        function(*args, **kwargs)
    except error:
        return
    raise AssertionError(_with_hint(_say("should-raise", call=call, error=error.__name__), hint))


def expect_true(condition, message):
    """Fail with `message` unless `condition` holds."""
    if not condition:
        raise AssertionError(message)
