"""The trusted registry of callables that tests pass to student code.

A test cannot send a function across the process boundary, so it sends a name and
plain parameters instead (``autograder.testing.fn("quadratic", A=..., b=...)``); the
worker rebuilds the callable here with ``build(name, params)``. Every factory takes
keyword parameters that are plain data (numbers, lists, NumPy arrays), copies them,
and returns a function of one array that returns a Python float. Each function
accepts an array of any shape holding the right number of elements.

This module is imported both by the worker and by the trusted test process (to compute
expected values), so it imports nothing but NumPy.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def _flat(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64).reshape(-1)


def sum_of_squares() -> Callable[[np.ndarray], float]:
    """``f(x) = sum(x**2)``; gradient ``2 x``."""

    def f(x) -> float:
        v = _flat(x)
        return float(v @ v)

    return f


def quadratic(A, b=None, c: float = 0.0) -> Callable[[np.ndarray], float]:
    """``f(x) = x·A x + b·x + c`` for ``A (n, n)``; gradient ``(A + A.T) x + b``."""
    A = np.array(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be square, got shape {A.shape}")
    b = np.zeros(A.shape[0]) if b is None else _flat(b).copy()
    c = float(c)

    def f(x) -> float:
        v = _flat(x)
        return float(v @ A @ v + b @ v + c)

    return f


def sin_times_x() -> Callable[[np.ndarray], float]:
    """``f(x) = sum(sin(x) * x)``; gradient ``sin(x) + x cos(x)``."""

    def f(x) -> float:
        v = _flat(x)
        return float(np.sum(np.sin(v) * v))

    return f


def linear_mse(X, y) -> Callable[[np.ndarray], float]:
    """The MSE of the fixed linear model ``X @ w`` against ``y``, as a function of ``w``.

    ``f(w) = mean((X @ w - y)**2)`` for ``X (n, m)``, ``y (n,)`` and ``w`` with m
    elements; gradient ``2/n X.T (X w - y)``.
    """
    X = np.array(X, dtype=np.float64)
    y = _flat(y).copy()

    def f(w) -> float:
        r = X @ _flat(w) - y
        return float(np.mean(r * r))

    return f


REGISTRY: dict[str, Callable[..., Callable]] = {
    "sum_of_squares": sum_of_squares,
    "quadratic": quadratic,
    "sin_times_x": sin_times_x,
    "linear_mse": linear_mse,
}


def build(name: str, params: dict) -> Callable:
    """The callable registered as ``name``, built from the keyword ``params``.

    Raises ``KeyError`` for a name that is not registered.
    """
    if name not in REGISTRY:
        raise KeyError(f"no function {name!r} in the registry; known: {sorted(REGISTRY)}")
    return REGISTRY[name](**(params or {}))
