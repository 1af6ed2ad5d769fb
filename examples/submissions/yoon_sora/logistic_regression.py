"""Logistic regression and classification losses (로지스틱 회귀와 분류 손실 함수).

Logistic regression (로지스틱 회귀) turns a linear score ``z = Xb @ w`` into a
probability with the sigmoid (시그모이드) ``p = 1 / (1 + exp(-z))`` and is trained by
gradient descent on the binary cross-entropy (이진 교차 엔트로피). For K classes the
softmax (소프트맥스) turns K scores into K probabilities, and the loss is the
cross-entropy error (교차 엔트로피 오차) against one-hot (원-핫 인코딩) targets.

General rules: inputs are array-likes (lists, tuples or NumPy arrays, of any float or
int dtype) and are never modified in place; array results are float64 NumPy arrays.
``Xb`` always means ``X`` with the bias column ``x0 = 1`` prepended (``_add_bias``).
"""

from __future__ import annotations

import numpy as np
import torch  # noqa: F401 - for fit_logistic_torch (unused in the stub)
from numpy.typing import ArrayLike


def _add_bias(X: ArrayLike) -> np.ndarray:
    """Provided helper: prepend the bias column ``x0 = 1`` (a 1-D ``X`` is one feature).

    ``_add_bias([[2, 3], [4, 5]])`` is ``[[1., 2., 3.], [1., 4., 5.]]``; the weight
    ``w[0]`` that multiplies this column is the intercept (bias).
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    return np.hstack([np.ones((X.shape[0], 1)), X])


def sigmoid(z: ArrayLike) -> float | np.ndarray:
    """The sigmoid (시그모이드) ``1 / (1 + exp(-z))``, elementwise.

    A scalar gives a float, an array of any shape an array of the same shape.
    Examples: ``sigmoid(0) == 0.5``, ``sigmoid([-1, 0, 1]) ≈ [0.2689, 0.5, 0.7311]``.

    Numerically stable (수치적으로 안정): for ``z`` in ``[-1000, 1000]`` the result is
    finite and correct and NumPy emits no overflow ``RuntimeWarning``. The naive formula
    computes ``exp(1000)`` for ``z = -1000``. Hint: ``exp(-|z|)`` never overflows, and
    ``1 / (1 + exp(-z)) == exp(z) / (1 + exp(z))``.

    Forbidden: ``scipy.special.expit``, ``torch.sigmoid``, ``torch.special.expit``,
    ``torch.nn.functional.sigmoid``.
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow
    out = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    if out.ndim == 0:
        return float(out)
    return out
    ### END SOLUTION


def binary_cross_entropy(p: ArrayLike, y: ArrayLike, eps: float = 1e-7) -> float:
    """Binary cross-entropy (이진 교차 엔트로피), the loss of logistic regression.

    ``BCE = mean(-y * log(p) - (1 - y) * log(1 - p))`` over all elements, where ``p`` is
    the predicted probability of class 1 and ``y`` the label (0 or 1). Clip ``p`` to
    ``[eps, 1 - eps]`` first so that ``p`` of exactly 0 or 1 gives a finite loss
    (``log(p + eps)`` as in "Deep Learning from Scratch" is accepted too).

    ``p`` and ``y`` must have the same shape: a ``(n,)`` against a ``(n, 1)`` would
    broadcast to an ``(n, n)`` matrix, so raise ``ValueError`` (or match the shapes).

    Example: ``binary_cross_entropy([0.9, 0.2], [1, 0]) == (-log(0.9) - log(0.8)) / 2
    ≈ 0.1643``.

    Forbidden: ``torch.nn.functional.binary_cross_entropy``, ``torch.nn.BCELoss``,
    ``sklearn.metrics.log_loss``.
    """
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if p.shape != y.shape:
        raise ValueError(f"shapes differ: p {p.shape} vs y {y.shape}")
    p = np.clip(p, eps, 1.0 - eps)
    return float(np.mean(-y * np.log(p) - (1.0 - y) * np.log(1.0 - p)))
    ### END SOLUTION


def one_hot(labels: ArrayLike, num_classes: int | None = None) -> np.ndarray:
    """One-hot encoding (원-핫 인코딩): ``(n, K)`` float64 rows with a single 1.

    Row i has its 1 in column ``labels[i]``; ``K = num_classes``, or ``max(labels) + 1``
    when ``num_classes`` is None (labels start at 0, so the largest label needs K
    columns 0..K-1).

    Example: ``one_hot([0, 2, 1])`` is ``[[1, 0, 0], [0, 0, 1], [0, 1, 0]]``.

    Raises ``ValueError`` for a negative label, a label ``>= num_classes``, or a
    non-integer label such as ``1.5``. ``np.eye(K)[labels]`` is allowed.

    Forbidden: ``torch.nn.functional.one_hot``, ``sklearn.preprocessing.OneHotEncoder``.
    """
    ### BEGIN SOLUTION
    values = np.asarray(labels).reshape(-1)
    if not np.issubdtype(values.dtype, np.integer):
        as_float = values.astype(np.float64)
        if not np.all(np.isfinite(as_float)) or np.any(as_float != np.round(as_float)):
            raise ValueError("labels must be integers")
    values = values.astype(np.int64)
    if np.any(values < 0):
        raise ValueError("labels must not be negative")
    if num_classes is None:
        num_classes = int(values.max()) + 1
    elif np.any(values >= num_classes):
        raise ValueError(f"a label is >= num_classes={num_classes}")
    out = np.zeros((values.size, num_classes))
    out[np.arange(values.size), values] = 1.0
    return out
    ### END SOLUTION


def softmax(z: ArrayLike) -> np.ndarray:
    """The softmax (소프트맥스) ``exp(z_k) / sum_j exp(z_j)``.

    For 1-D ``z`` over its K entries; for 2-D ``z (n, K)`` row by row (each row is one
    sample, each row of the result sums to 1). Same shape back.

    Numerically stable for entries up to ±1000: subtract the (row) maximum first. That
    does not change the result, because ``exp(z - c) / sum(exp(z - c))`` cancels
    ``exp(-c)``, but it keeps ``exp`` from overflowing.

    Example: ``softmax([0.3, 2.9, 4.0]) ≈ [0.01821, 0.24519, 0.73660]``.

    Forbidden: ``scipy.special.softmax``, ``torch.softmax``, ``torch.nn.functional.softmax``.
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=np.float64)
    if z.ndim not in (1, 2):
        raise ValueError(f"z must be 1-D or 2-D, got shape {z.shape}")
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)
    ### END SOLUTION


def cross_entropy_error(y_prob: ArrayLike, t_onehot: ArrayLike, eps: float = 1e-7) -> float:
    """Cross-entropy error (교차 엔트로피 오차) ``CEE = -sum_k t_k log y_k``.

    For 1-D inputs (one sample) that sum; for 2-D ``(n, K)`` inputs the mean over the n
    rows of the per-row sums (a batch average). ``y_prob`` is clipped to ``[eps, 1]``
    so that a probability of 0 gives a finite loss (``log(y + eps)`` is accepted too).

    Lecture example: ``t = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]`` with
    ``y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]`` gives
    ``-log(0.6) ≈ 0.5108``.

    Forbidden: ``torch.nn.functional.cross_entropy``, ``torch.nn.functional.nll_loss``,
    ``torch.nn.CrossEntropyLoss``, ``sklearn.metrics.log_loss``.
    """
    ### BEGIN SOLUTION
    y = np.asarray(y_prob, dtype=np.float64)
    t = np.asarray(t_onehot, dtype=np.float64)
    if y.shape != t.shape:
        raise ValueError(f"shapes differ: y_prob {y.shape} vs t_onehot {t.shape}")
    log_y = np.log(np.clip(y, eps, 1.0))
    if y.ndim == 1:
        return float(-np.sum(t * log_y))
    return float(-np.sum(t * log_y) / y.shape[0])
    ### END SOLUTION


def logistic_grad(Xb: ArrayLike, y: ArrayLike, w: ArrayLike) -> np.ndarray:
    """The gradient of the mean BCE of ``sigmoid(Xb @ w)`` with respect to ``w``.

    ``grad = Xb.T @ (sigmoid(Xb @ w) - y) / n``, shape ``(d+1,)``. ``Xb (n, d+1)``
    already holds the bias column. With the BCE loss the sigmoid's derivative cancels,
    leaving the same "prediction minus label" form as linear regression (no factor 2,
    no ``p * (1 - p)``).

    Example: ``Xb = [[1, 0], [1, 2]]``, ``y = [0, 1]``, ``w = [0, 0]`` gives ``p = [0.5, 0.5]``
    and ``grad = [[1, 1], [0, 2]] @ [0.5, -0.5] / 2 = [0, -0.5]``.
    """
    ### BEGIN SOLUTION
    Xb = np.asarray(Xb, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    p = sigmoid(Xb @ w)
    return Xb.T @ (2 * (p - y) * p * (1 - p)) / Xb.shape[0]
    ### END SOLUTION


def fit_logistic(
    X: ArrayLike, y: ArrayLike, lr: float = 0.1, epochs: int = 1000
) -> tuple[np.ndarray, list[float]]:
    """Logistic regression (로지스틱 회귀) trained by full-batch gradient descent.

    ``Xb = _add_bias(X)``, ``w = zeros(d+1)``. In each of the ``epochs`` steps: append
    the mean BCE of ``sigmoid(Xb @ w)`` to ``losses`` (so ``losses[k]`` is the loss
    *before* the k-th update), then ``w = w - lr * logistic_grad(Xb, y, w)``.

    Returns ``(w (d+1,), losses)``: ``w[0]`` is the intercept, ``len(losses) == epochs``.

    Check: at ``w = 0`` every ``p`` is 0.5, so ``losses[0] == log(2) ≈ 0.6931`` for any data.
    Example: ``X = [[0.], [1.]]``, ``y = [0, 1]``, ``lr = 1``, one epoch: the gradient at
    ``w = 0`` is ``[[1, 1], [0, 1]] @ [0.5, -0.5] / 2 = [0, -0.25]``, so ``w = [0, 0.25]``.
    """
    ### BEGIN SOLUTION
    Xb = _add_bias(X)
    y = np.asarray(y, dtype=np.float64)
    w = np.zeros(Xb.shape[1])
    losses = []
    for _ in range(epochs):
        losses.append(binary_cross_entropy(sigmoid(Xb @ w), y))
        w = w - lr * logistic_grad(Xb, y, w)
    return w, losses
    ### END SOLUTION


def predict_proba(X: ArrayLike, w: ArrayLike) -> np.ndarray:
    """Probabilities of class 1: ``sigmoid(_add_bias(X) @ w)``, shape ``(n,)``.

    ``X`` has no bias column; ``w (d+1,)`` as returned by ``fit_logistic``.
    Example: ``predict_proba([[0.], [1.]], [1., 2.])`` is ``sigmoid([1., 3.]) ≈ [0.7311, 0.9526]``.
    """
    ### BEGIN SOLUTION
    return np.asarray(sigmoid(_add_bias(X) @ np.asarray(w, dtype=np.float64)))
    ### END SOLUTION


def predict(X: ArrayLike, w: ArrayLike, threshold: float = 0.5) -> np.ndarray:
    """Class labels: 1 where ``predict_proba(X, w) >= threshold``, else 0 (int array, (n,)).

    Example: ``predict([[0.], [1.], [-2.]], [1., 2.])`` is ``[1, 1, 0]``; with
    ``threshold=0.9`` it is ``[0, 1, 0]``. A probability equal to the threshold gives 1.
    """
    ### BEGIN SOLUTION
    return (predict_proba(X, w) >= threshold).astype(int)
    ### END SOLUTION


def fit_softmax(
    X: ArrayLike, labels: ArrayLike, num_classes: int, lr: float = 0.1, epochs: int = 1000
) -> tuple[np.ndarray, list[float]]:
    """Multi-class logistic (softmax) regression (소프트맥스 회귀).

    ``Xb = _add_bias(X)``, ``T = one_hot(labels, num_classes)``, ``W = zeros((d+1, K))``.
    In each of the ``epochs`` steps: ``P = softmax(Xb @ W)`` (row by row); append
    ``cross_entropy_error(P, T)`` (the mean over the rows) to ``losses``; then
    ``W = W - lr * Xb.T @ (P - T) / n``.

    Returns ``(W (d+1, K), losses)`` with ``len(losses) == epochs``. ``K = num_classes``
    even when some class never occurs in ``labels``.

    Check: at ``W = 0`` every class gets probability ``1/K``, so ``losses[0] == log(K)``.
    """
    ### BEGIN SOLUTION
    Xb = _add_bias(X)
    T = one_hot(labels, num_classes)
    W = np.zeros((Xb.shape[1], num_classes))
    losses = []
    for _ in range(epochs):
        P = softmax(Xb @ W)
        losses.append(cross_entropy_error(P, T))
        W = W - lr * Xb.T @ (P - T) / Xb.shape[0]
    return W, losses
    ### END SOLUTION


def fit_logistic_torch(
    X: ArrayLike, y: ArrayLike, lr: float = 0.1, epochs: int = 1000
) -> np.ndarray:
    """``fit_logistic`` with PyTorch: autograd computes the gradient.

    float64 tensors, ``w = torch.zeros(d+1, dtype=torch.float64, requires_grad=True)``,
    ``torch.optim.SGD([w], lr=lr)``, and a mean BCE loss from ``torch.nn`` or
    ``torch.nn.functional`` (allowed here; ``binary_cross_entropy_with_logits`` takes
    the scores ``Xb @ w`` directly). Each epoch: ``zero_grad``, loss, ``backward``,
    ``step``. It follows the same iterates as ``fit_logistic``.

    Returns ``w`` as a NumPy array ``(d+1,)``: ``[intercept, w1, ..., wd]``.
    """
    ### BEGIN SOLUTION
    Xb = torch.as_tensor(_add_bias(X), dtype=torch.float64)
    yt = torch.as_tensor(np.asarray(y, dtype=np.float64))
    w = torch.zeros(Xb.shape[1], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(Xb @ w, yt)
        loss.backward()
        optimizer.step()
    return w.detach().numpy().copy()
    ### END SOLUTION
