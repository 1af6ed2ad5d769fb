"""Known mistakes of a1_losses (ids: shared/spec/misconceptions.md).

Each `Mistake(id, formula)` computes what the mistaken code returns on the same inputs.
The formulas take the inputs as NumPy arrays (or array-likes).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.testing import Mistake


def _f(a: Any) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def _err(p: Any, t: Any) -> np.ndarray:
    return _f(p) - _f(t)  # broadcasts (n,) against (n, 1): that is the point of shape-broadcast


def _ss(p: Any, t: Any) -> tuple[float, float]:
    t = _f(t)
    return float(np.sum((t - _f(p)) ** 2)), float(np.sum((t - t.mean()) ** 2))


_MSE_MISTAKES = [
    Mistake("mse-no-mean", lambda p, t: np.sum(_err(p, t) ** 2)),
    Mistake("mse-half", lambda p, t: 0.5 * np.mean(_err(p, t) ** 2)),
    # Deep Learning from Scratch's mean_squared_error: 0.5 * np.sum((y - t)**2)
    Mistake("mse-half-sum", lambda p, t: 0.5 * np.sum(_err(p, t) ** 2)),
    Mistake("mse-abs", lambda p, t: np.mean(np.abs(_err(p, t)))),
    Mistake("mse-rmse", lambda p, t: np.sqrt(np.mean(_err(p, t) ** 2))),
]


def _grad_of_rmse(p: Any, t: Any) -> np.ndarray:
    e = _err(p, t)
    return e / (e.size * np.sqrt(np.mean(e**2)))


MISTAKES: dict[str, list[Mistake]] = {
    "mse": _MSE_MISTAKES,
    "mse_torch": _MSE_MISTAKES,
    # the gradient d loss / d y_pred that each mistaken mse_torch gives
    "mse_torch.grad": [
        Mistake("mse-no-mean", lambda p, t: 2 * _err(p, t)),
        Mistake("mse-half", lambda p, t: _err(p, t) / _err(p, t).size),
        Mistake("mse-half-sum", _err),
        Mistake("mse-abs", lambda p, t: np.sign(_err(p, t)) / _err(p, t).size),
        Mistake("mse-rmse", _grad_of_rmse),
    ],
    "r2_score": [
        Mistake("r2-inverted", lambda p, t: _ss(p, t)[0] / _ss(p, t)[1]),
        # scikit-learn's (y_true, y_pred) order: SS_tot over the predictions
        Mistake("r2-args-swapped", lambda p, t: 1 - _ss(t, p)[0] / _ss(t, p)[1]),
    ],
    "mape": [
        Mistake("mape-fraction", lambda p, t: np.mean(np.abs(_err(p, t)) / np.abs(_f(t)))),
        Mistake("mape-pred-denominator",
                lambda p, t: 100 * np.mean(np.abs(_err(p, t)) / np.abs(_f(p)))),
    ],
}

# What mse / mae return when (n,) and (n, 1) are silently broadcast to (n, n).
BROADCAST: dict[str, list[Mistake]] = {
    "mse": [Mistake("shape-broadcast", lambda p, t: np.mean(_err(p, t) ** 2))],
    "mae": [Mistake("shape-broadcast", lambda p, t: np.mean(np.abs(_err(p, t))))],
}

