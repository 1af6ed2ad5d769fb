"""Known mistakes of a2_linear_regression (ids: shared/spec/misconceptions.md).

Each `Mistake(id, formula)` computes what the mistaken code returns on the same inputs.
The mistakes of the fitting functions depend on the whole training run; the hidden tests
build them from the reference solution, the public tests give their values on the
lecture's small example.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.testing import Mistake


def _f(a: Any) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def _grad_w(x: Any, y: Any, w: float) -> float:
    x, y = _f(x), _f(y)
    return float(np.mean(2 * (w * x - y) * x))


def _grad(Xb: Any, y: Any, w: Any) -> np.ndarray:
    Xb = _f(Xb)
    return 2 / len(Xb) * Xb.T @ (Xb @ _f(w) - _f(y))


def _as_2d(X: Any) -> np.ndarray:
    X = _f(X)
    return X.reshape(len(X), -1)


MISTAKES: dict[str, list[Mistake]] = {
    "mse_grad_w": [
        Mistake("grad-sign", lambda x, y, w: -_grad_w(x, y, w)),
        Mistake("grad-no-2", lambda x, y, w: _grad_w(x, y, w) / 2),
        Mistake("grad-no-mean", lambda x, y, w: len(_f(x)) * _grad_w(x, y, w)),
    ],
    "mse_grad": [
        Mistake("grad-sign", lambda Xb, y, w: -_grad(Xb, y, w)),
        Mistake("grad-no-2", lambda Xb, y, w: _grad(Xb, y, w) / 2),
        Mistake("grad-no-mean", lambda Xb, y, w: len(_f(Xb)) * _grad(Xb, y, w)),
    ],
    "gd_step": [Mistake("gd-ascent", lambda w, grad, lr: _f(w) + lr * _f(grad))],
    "add_bias": [
        Mistake("no-bias", lambda X: np.column_stack([_as_2d(X), np.ones(len(_f(X)))])),
        Mistake("no-bias", _as_2d),
    ],
}
