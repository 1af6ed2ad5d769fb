"""The course's trusted helpers: the callables that tests pass to student code.

A test cannot send a function across the process boundary, so it sends a name and
plain parameters instead (``autograder.testing.fn("quadratic", A=..., b=...)``); the
worker rebuilds the callable here with ``build(name, params)`` (it loads this file by path,
before any submission; autograder/worker/session.py). Every factory takes
keyword parameters that are plain data (numbers, lists, NumPy arrays), copies them,
and returns a function of one array that returns a Python float. Each function
accepts an array of any shape holding the right number of elements.

This module is loaded both by the worker (in the sandbox, from a read-only mount) and by the
trusted test process (``from course.functions import build``, to compute expected values), so
it imports nothing but NumPy. It is the course's, not the engine's: another course brings its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

Scalar = Callable[[npt.ArrayLike], float]  # a function of one array that returns a float


def _flat(x: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return np.asarray(x, dtype=np.float64).reshape(-1)


def sum_of_squares() -> Scalar:
    """``f(x) = sum(x**2)``; gradient ``2 x``."""

    def f(x: npt.ArrayLike) -> float:
        v = _flat(x)
        return float(v @ v)

    return f


def quadratic(A: npt.ArrayLike, b: npt.ArrayLike | None = None, c: float = 0.0) -> Scalar:
    """``f(x) = x·A x + b·x + c`` for ``A (n, n)``; gradient ``(A + A.T) x + b``."""
    A = np.array(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be square, got shape {A.shape}")
    b = np.zeros(A.shape[0]) if b is None else _flat(b).copy()
    c = float(c)

    def f(x: npt.ArrayLike) -> float:
        v = _flat(x)
        return float(v @ A @ v + b @ v + c)

    return f


def sin_times_x() -> Scalar:
    """``f(x) = sum(sin(x) * x)``; gradient ``sin(x) + x cos(x)``."""

    def f(x: npt.ArrayLike) -> float:
        v = _flat(x)
        return float(np.sum(np.sin(v) * v))

    return f


def linear_mse(X: npt.ArrayLike, y: npt.ArrayLike) -> Scalar:
    """The MSE of the fixed linear model ``X @ w`` against ``y``, as a function of ``w``.

    ``f(w) = mean((X @ w - y)**2)`` for ``X (n, m)``, ``y (n,)`` and ``w`` with m
    elements; gradient ``2/n X.T (X w - y)``.
    """
    X = np.array(X, dtype=np.float64)
    y = _flat(y).copy()

    def f(w: npt.ArrayLike) -> float:
        r = X @ _flat(w) - y
        return float(np.mean(r * r))

    return f


REGISTRY: dict[str, Callable[..., Scalar]] = {
    "sum_of_squares": sum_of_squares,
    "quadratic": quadratic,
    "sin_times_x": sin_times_x,
    "linear_mse": linear_mse,
}


def build(name: str, params: dict[str, Any] | None) -> Scalar:
    """The callable registered as ``name``, built from the keyword ``params``.

    Raises ``KeyError`` for a name that is not registered.
    """
    if name not in REGISTRY:
        raise KeyError(f"no function {name!r} in the registry; known: {sorted(REGISTRY)}")
    return REGISTRY[name](**(params or {}))
