"""Known mistakes of a4_logistic_regression: what the mistaken code returns, for the hints.

Every formula takes the arguments that the test passes as `args=` to `check_value` (see each
key's comment). Self-contained: NumPy only.
"""

from __future__ import annotations

import numpy as np

from autograder.testing import Mistake


def _f(a):
    return np.asarray(a, dtype=np.float64)


def _sigmoid(z):
    z = _f(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _bce(p, y, eps=1e-7):
    """Elementwise BCE; only for equal shapes (broadcasting is a mistake of its own)."""
    if np.shape(p) != np.shape(y):
        raise ValueError("shapes differ")
    p = np.clip(_f(p), eps, 1.0 - eps)
    return -_f(y) * np.log(p) - (1.0 - _f(y)) * np.log(1.0 - p)


def _bce_broadcast(p, y, eps):
    """Elementwise BCE after broadcasting p against y (the shape-broadcast mistake)."""
    pb, yb = np.broadcast_arrays(_f(p), _f(y))
    return _bce(pb, yb, eps)


def _bias(X, where: str = "first"):
    X = _f(X)
    X = X.reshape(-1, 1) if X.ndim == 1 else X
    ones = np.ones((X.shape[0], 1))
    return {"first": np.hstack([ones, X]), "last": np.hstack([X, ones]), "none": X}[where]


def _grad(Xb, y, w, kind: str = "bce"):
    p = _sigmoid(Xb @ w)
    r = p - _f(y)
    if kind == "mse2":
        r = 2.0 * r * p * (1.0 - p)
    elif kind == "mse1":
        r = r * p * (1.0 - p)
    return Xb.T @ r / Xb.shape[0]


def fit_logistic_variant(X, y, lr, epochs, *, sign=-1.0, after=False, bias="first",
                         grad="bce"):
    """(w, losses) of fit_logistic with one thing done the mistaken way."""
    Xb = _bias(X, bias)
    y = _f(y)
    w = np.zeros(Xb.shape[1])
    losses = []
    for _ in range(epochs):
        if not after:
            losses.append(float(np.mean(_bce(_sigmoid(Xb @ w), y))))
        w = w + sign * lr * _grad(Xb, y, w, grad)
        if after:
            losses.append(float(np.mean(_bce(_sigmoid(Xb @ w), y))))
    return w, losses


def _softmax_columns(z):
    z = _f(z)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_rowmax_colsum(z):
    z = _f(z)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_naive(z):
    e = np.exp(_f(z))
    return e / e.sum(axis=-1, keepdims=True)


def _cee_rows(y, t, eps=1e-7):
    return -np.sum(_f(t) * np.log(np.clip(_f(y), eps, 1.0)), axis=-1)


def _one_hot_shifted(labels, num_classes=None, extra=1):
    labels = np.asarray(labels).astype(np.int64)
    k = int(labels.max()) + extra if num_classes is None else num_classes
    return np.eye(k)[labels - 1]


MISTAKES: dict[str, list[Mistake]] = {
    # args: (z,)
    "sigmoid": [
        Mistake("sigmoid-sign", lambda z: _sigmoid(-_f(z))),
    ],
    # args: (p, y, eps)
    "binary_cross_entropy": [
        Mistake("bce-sign", lambda p, y, eps=1e-7: -float(np.mean(_bce(p, y, eps)))),
        Mistake("bce-sum", lambda p, y, eps=1e-7: float(np.sum(_bce(p, y, eps)))),
        Mistake("bce-no-clip", lambda p, y, eps=1e-7: float(np.mean(_bce(p, y, 0.0)))),
        Mistake("shape-broadcast", lambda p, y, eps=1e-7: float(np.mean(_bce_broadcast(
            p, y, eps)))),
    ],
    # args: (labels, num_classes)
    "one_hot": [
        Mistake("onehot-off-by-one", lambda labels, k=None: _one_hot_shifted(labels, k, 1)),
        Mistake("onehot-off-by-one", lambda labels, k=None: _one_hot_shifted(labels, k, 0)),
    ],
    # args: (z,)
    "softmax": [
        Mistake("softmax-axis", lambda z: _softmax_columns(z) if np.ndim(z) == 2 else None),
        Mistake("softmax-axis", lambda z: _softmax_rowmax_colsum(z) if np.ndim(z) == 2 else None),
        Mistake("softmax-unstable", _softmax_naive),
    ],
    # args: (y_prob, t_onehot, eps)
    "cross_entropy_error": [
        Mistake("cee-no-batch-mean", lambda y, t, eps=1e-7: float(np.sum(_cee_rows(y, t, eps)))),
        Mistake("cee-sign", lambda y, t, eps=1e-7: -float(np.mean(_cee_rows(y, t, eps)))),
        Mistake("cee-no-eps", lambda y, t, eps=1e-7: float(np.mean(_cee_rows(y, t, 0.0)))),
    ],
    # args: (Xb, y, w)
    "logistic_grad": [
        Mistake("logistic-mse-grad", lambda Xb, y, w: _grad(_f(Xb), y, _f(w), "mse2")),
        Mistake("logistic-mse-grad", lambda Xb, y, w: _grad(_f(Xb), y, _f(w), "mse1")),
        Mistake("grad-sign", lambda Xb, y, w: -_grad(_f(Xb), y, _f(w))),
        Mistake("grad-no-mean", lambda Xb, y, w: _grad(_f(Xb), y, _f(w)) * np.shape(Xb)[0]),
    ],
    # args: (X, y, lr, epochs) -> w
    "fit_logistic.w": [
        Mistake("gd-ascent", lambda *a: fit_logistic_variant(*a, sign=1.0)[0]),
        Mistake("no-bias", lambda *a: fit_logistic_variant(*a, bias="last")[0]),
        Mistake("no-bias", lambda *a: fit_logistic_variant(*a, bias="none")[0]),
        Mistake("logistic-mse-grad", lambda *a: fit_logistic_variant(*a, grad="mse2")[0]),
        Mistake("logistic-mse-grad", lambda *a: fit_logistic_variant(*a, grad="mse1")[0]),
        # a summed gradient inline: the iterates of the right update with n times the rate
        Mistake("grad-no-mean", lambda X, y, lr, epochs:
                fit_logistic_variant(X, y, lr * len(X), epochs)[0]),
    ],
    # args: (X, y, lr, epochs) -> losses
    "fit_logistic.losses": [
        Mistake("losses-after-update", lambda *a: fit_logistic_variant(*a, after=True)[1]),
        Mistake("gd-ascent", lambda *a: fit_logistic_variant(*a, sign=1.0)[1]),
        Mistake("no-bias", lambda *a: fit_logistic_variant(*a, bias="none")[1]),
        Mistake("logistic-mse-grad", lambda *a: fit_logistic_variant(*a, grad="mse2")[1]),
        Mistake("logistic-mse-grad", lambda *a: fit_logistic_variant(*a, grad="mse1")[1]),
    ],
    # args: (X, y, lr) -> losses[0]
    "fit_logistic.loss0": [
        Mistake("losses-after-update", lambda X, y, lr: fit_logistic_variant(X, y, lr, 1, after=True)[1][0]),
    ],
}
