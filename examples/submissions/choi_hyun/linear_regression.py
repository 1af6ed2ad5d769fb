"""Assignment 2 — linear regression and gradient descent.
(선형 회귀와 경사하강법)

Lecture "PyTorch Ch2. Basics for Model Training", part 2. Linear regression (선형 회귀)
models a target as a weighted sum of the features plus a bias (편향)::

    y_hat = w * x + b                       (one feature)
    y_hat = Xb @ w,  Xb = [1, x1, ..., xd]  (d features, w[0] is the bias)

and chooses the weights that make the mean squared error (평균 제곱 오차, MSE) small,
either step by step with gradient descent (경사하강법)::

    w  <-  w - lr * dL/dw                   (lr: learning rate, 학습률)

or in one go with the normal equation (정규 방정식) ``(Xb.T @ Xb) w = Xb.T @ y``.

General rules for every function:
- Inputs are array-likes: Python lists, tuples, or NumPy arrays of any int or float
  dtype. Convert them first, e.g. ``np.asarray(x, dtype=np.float64)``.
- Never modify an input in place.
- Compute in float64; return NumPy float64 arrays where an array is asked for.

Running example: the points x = [1, 2, 3], y = [3, 5, 7] lie on the line
y = 2x + 1 (bias 1, weight 2).
"""

from __future__ import annotations

import numpy as np
import torch  # noqa: F401 - for fit_torch (unused in the stub)
from numpy.typing import ArrayLike

__all__ = [
    "add_bias",
    "fit_gd",
    "fit_multivariate_gd",
    "fit_torch",
    "gd_step",
    "mse_grad",
    "mse_grad_w",
    "normal_equation",
    "predict",
]


def predict(x: ArrayLike, w: float, b: float = 0.0) -> np.ndarray:
    """Prediction of the one-feature linear model, 선형 회귀 ``y_hat = w * x + b``.

    Args:
        x: 1-D array-like of n inputs.
        w: the weight (scalar).
        b: the bias (편향, scalar), 0 by default.

    Returns:
        np.ndarray: float64 array of shape ``(n,)``, ``w * x[i] + b`` for every i.

    Example::

        >>> predict([1, 2, 3], 2.0, 1.0)
        array([3., 5., 7.])
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    return w * x + b
    ### END SOLUTION


def mse_grad_w(x: ArrayLike, y: ArrayLike, w: float) -> float:
    """Gradient of the MSE with respect to the weight, for the model ``y = w x`` (no bias).

    The loss is ``L(w) = (1/n) * sum_i (w * x_i - y_i) ** 2``. By the chain rule::

        dL/dw = (1/n) * sum_i 2 * (w * x_i - y_i) * x_i

    Mind the three parts: the factor 2 from the square, the sign
    ``(prediction - target)``, and the mean ``1/n``.

    Args:
        x: 1-D array-like of n inputs.
        y: 1-D array-like of n targets.
        w: the current weight (scalar).

    Returns:
        float: ``dL/dw``.

    Example: x = [1, 2, 3], y = [2, 4, 6] lie on y = 2x. At w = 2 the gradient is 0;
    at w = 1 the errors are -1, -2, -3 and ``dL/dw = 2 * (-1 - 4 - 9) / 3``::

        >>> round(mse_grad_w([1, 2, 3], [2, 4, 6], 1.0), 4)
        -9.3333
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"shapes differ: x {x.shape} vs y {y.shape}")
    return float(np.mean(2.0 * (w * x - y) * x))
    ### END SOLUTION


def gd_step(w: float | np.ndarray, grad: float | ArrayLike, lr: float) -> float | np.ndarray:
    """One gradient-descent (경사하강법) update: ``w_new = w - lr * grad``.

    ``lr`` is the learning rate (학습률). Gradient descent moves *against* the gradient,
    downhill on the loss; ``w + lr * grad`` would be gradient ascent.

    Args:
        w: the current parameter, a scalar or a NumPy array.
        grad: the gradient, same shape as ``w``.
        lr: the learning rate.

    Returns:
        The new parameter, of the same kind as ``w`` (a float for a scalar ``w``, a new
        array for an array ``w``). Do not update ``w`` in place (no ``w -= ...``): the
        caller's array must keep its values.

    Example::

        >>> gd_step(1.0, 4.0, 0.1)
        0.6
    """
    ### BEGIN SOLUTION
    if np.isscalar(w):
        return w - lr * grad
    return np.asarray(w, dtype=np.float64) - lr * np.asarray(grad, dtype=np.float64)
    ### END SOLUTION


def fit_gd(
    x: ArrayLike, y: ArrayLike, lr: float = 0.01, epochs: int = 100, w0: float = 0.0
) -> tuple[float, list[float]]:
    """Fit ``y = w x`` (no bias) with full-batch gradient descent (경사하강법).

    Start at ``w = w0``; then ``epochs`` times:

    1. record the current loss ``mean((w * x - y) ** 2)`` in ``losses``,
    2. compute the gradient (see :func:`mse_grad_w`),
    3. update ``w = w - lr * grad`` (see :func:`gd_step`).

    So ``losses[k]`` is the MSE *before* the k-th update, and ``losses[0]`` is the loss
    at ``w0``.

    Args:
        x: 1-D array-like of n inputs.
        y: 1-D array-like of n targets.
        lr: learning rate (학습률).
        epochs: number of updates.
        w0: initial weight.

    Returns:
        ``(w, losses)``: the final weight (float) and a list of ``epochs`` floats.

    Example: x = [1, 2, 3], y = [2, 4, 6], lr = 0.1, epochs = 1 from w0 = 0:
    loss 56/3 is recorded, the gradient is -56/3, so w = 0.1 * 56/3 = 1.8667.
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"shapes differ: x {x.shape} vs y {y.shape}")
    w = float(w0)
    losses = []
    for _ in range(epochs):
        err = w * x - y
        losses.append(float(np.mean(err**2)))
        w = gd_step(w, float(np.mean(2.0 * err * x)), lr)
    return w, losses
    ### END SOLUTION


def add_bias(X: ArrayLike) -> np.ndarray:
    """Prepend the bias (편향) column ``x0 = 1`` to a feature matrix.

    With the column of ones first, the model ``Xb @ w`` has the intercept in ``w[0]``.

    Args:
        X: array-like of shape ``(n, d)``; a 1-D ``X`` of length n is one feature,
            i.e. treated as ``(n, 1)``.

    Returns:
        np.ndarray: float64 array of shape ``(n, d + 1)`` whose first column is all
        ones and whose other columns are ``X``.

    Example::

        >>> add_bias([1, 2, 3])
        array([[1., 1.],
               [1., 2.],
               [1., 3.]])
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[:, np.newaxis]
    if X.ndim != 2:
        raise ValueError(f"X must be 1-D or 2-D, got shape {X.shape}")
    return np.hstack([X, np.ones((X.shape[0], 1))])
    ### END SOLUTION


def mse_grad(Xb: ArrayLike, y: ArrayLike, w: ArrayLike) -> np.ndarray:
    """Gradient of the MSE of the linear model ``Xb @ w`` with respect to ``w``.

    The loss is ``L(w) = (1/n) * sum((Xb @ w - y) ** 2)``; its gradient::

        dL/dw = (2 / n) * Xb.T @ (Xb @ w - y)

    Args:
        Xb: array-like ``(n, d + 1)`` that already holds the bias column.
        y: array-like ``(n,)`` of targets.
        w: array-like ``(d + 1,)`` of the current weights.

    Returns:
        np.ndarray: float64 array of shape ``(d + 1,)``.

    Example: the line y = 2x + 1 through x = [1, 2, 3]: at ``w = [0, 0]`` the errors
    are -3, -5, -7 and the gradient is ``2/3 * [-15, -34]``::

        >>> mse_grad([[1, 1], [1, 2], [1, 3]], [3, 5, 7], [0, 0])
        array([-10.        , -22.66666667])
    """
    ### BEGIN SOLUTION
    Xb = np.asarray(Xb, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    return 2.0 / Xb.shape[0] * (Xb.T @ (Xb @ w - y))
    ### END SOLUTION


def fit_multivariate_gd(
    X: ArrayLike, y: ArrayLike, lr: float = 0.01, epochs: int = 1000
) -> tuple[np.ndarray, list[float]]:
    """Fit multivariate linear regression (다중 선형 회귀) with full-batch gradient descent.

    1. ``Xb = add_bias(X)``, ``w = zeros(d + 1)``.
    2. ``epochs`` times: record the loss ``mean((Xb @ w - y) ** 2)`` in ``losses``
       (the loss *before* the update), then ``w = w - lr * mse_grad(Xb, y, w)``.

    Args:
        X: array-like ``(n, d)`` of features, or 1-D ``(n,)`` for one feature.
        y: array-like ``(n,)`` of targets.
        lr: learning rate (학습률).
        epochs: number of updates.

    Returns:
        ``(w, losses)``: float64 array ``(d + 1,)`` with the intercept (bias) in
        ``w[0]``, and a list of ``epochs`` floats.

    Example: X = [1, 2, 3], y = [3, 5, 7] (the line y = 2x + 1); with lr = 0.1 and
    enough epochs ``w`` approaches ``[1, 2]``, and ``losses[0] == mean(y ** 2) == 83/3``.
    """
    ### BEGIN SOLUTION
    Xb = add_bias(X)
    y = np.asarray(y, dtype=np.float64)
    if y.shape != (Xb.shape[0],):
        raise ValueError(f"y must have shape ({Xb.shape[0]},), got {y.shape}")
    n = Xb.shape[0]
    w = np.zeros(Xb.shape[1])
    losses = []
    for _ in range(epochs):
        err = Xb @ w - y
        losses.append(float(np.mean(err**2)))
        w = gd_step(w, 2.0 / n * (Xb.T @ err), lr)
    return w, losses
    ### END SOLUTION


def fit_sgd(
    X: ArrayLike,
    y: ArrayLike,
    lr: float = 0.01,
    epochs: int = 100,
    batch_size: int = 1,
    seed: int | None = None,
) -> tuple[np.ndarray, list[float]]:
    """Fit linear regression with mini-batch stochastic gradient descent (확률적 경사하강법, SGD).

    Gradient descent (GD) computes the gradient on all n samples for every step. SGD
    computes it on a small random group of samples, a mini-batch (미니배치), and steps
    after each one: an epoch (one pass over the data) makes ``ceil(n / batch_size)``
    cheap, noisy steps instead of one exact step.

    1. ``Xb = add_bias(X)``, ``w = zeros(d + 1)``, and ``rng = np.random.default_rng(seed)``
       created *once*, before the first epoch.
    2. Each of the ``epochs`` epochs:

       a. ``losses.append(mean((Xb @ w - y) ** 2))``: the MSE of the *whole* training set
          at the current ``w`` (before this epoch's updates, not the loss of one batch);
       b. ``perm = rng.permutation(n)``: a fresh order of the rows every epoch;
       c. for ``start`` in ``range(0, n, batch_size)``: ``idx = perm[start:start + batch_size]``
          and ``w = w - lr * mse_grad(Xb[idx], y[idx], w)`` (the gradient is the *mean*
          over the batch; the last batch may be smaller).

    ``batch_size=1`` is the classic SGD; ``batch_size >= n`` makes one batch of all rows,
    which is full-batch gradient descent: the same iterates as :func:`fit_multivariate_gd`.

    Args:
        X: array-like ``(n, d)`` of features, or 1-D ``(n,)`` for one feature.
        y: array-like ``(n,)`` of targets.
        lr: learning rate (학습률).
        epochs: number of passes over the data.
        batch_size: rows per mini-batch, at least 1.
        seed: seed for ``np.random.default_rng``; the same seed gives the same run.

    Returns:
        ``(w, losses)``: float64 array ``(d + 1,)`` with the intercept in ``w[0]``, and a
        list of ``epochs`` floats.

    Raises:
        ValueError: if ``batch_size < 1``.

    Example: X = [1, 2, 3], y = [3, 5, 7] (the line y = 2x + 1): ``losses[0] == 83/3``
    (the loss at w = 0) for every batch size, and with ``batch_size=3`` one epoch gives
    the same ``w`` as one epoch of ``fit_multivariate_gd``.
    """
    ### BEGIN SOLUTION
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    Xb, y = add_bias(X), np.asarray(y, dtype=np.float64)
    n, columns = Xb.shape
    if y.shape != (n,):
        raise ValueError(f"y must have shape ({n},), got {y.shape}")
    w = np.zeros(columns)
    rng = np.random.default_rng(seed)  # once: every epoch draws a new permutation from it
    losses = []
    for _ in range(epochs):
        losses.append(float(np.mean((Xb @ w - y) ** 2)))
        perm = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            Xi, yi = Xb[idx], y[idx]
            w = w - lr * 2.0 / len(idx) * (Xi.T @ (Xi @ w - yi))
    return w, losses
    ### END SOLUTION


def normal_equation(X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """Closed-form least squares with the normal equation (정규 방정식).

    With ``Xb = add_bias(X)`` the weights that minimize the MSE solve::

        (Xb.T @ Xb) @ w = Xb.T @ y,   i.e.   w = (Xb.T Xb)^-1 Xb.T y

    Solve the system with ``np.linalg.solve`` (better than forming the inverse);
    ``np.linalg.lstsq`` and ``np.linalg.pinv`` are fine too.

    Args:
        X: array-like ``(n, d)`` of features, or 1-D ``(n,)`` for one feature.
        y: array-like ``(n,)`` of targets.

    Returns:
        np.ndarray: float64 array ``(d + 1,)``, intercept (bias) in ``w[0]``.

    Example::

        >>> normal_equation([1, 2, 3], [3, 5, 7]).round(6)   # y = 1 + 2x
        array([1., 2.])
    """
    ### BEGIN SOLUTION
    Xb = add_bias(X)
    y = np.asarray(y, dtype=np.float64)
    return np.linalg.solve(Xb.T @ Xb, Xb.T @ y)
    ### END SOLUTION


def fit_torch(X: ArrayLike, y: ArrayLike, lr: float = 0.01, epochs: int = 1000) -> np.ndarray:
    """The same linear regression trained with PyTorch (autograd + ``torch.optim.SGD``).

    1. Make float64 tensors of ``Xb = add_bias(X)`` and ``y``.
    2. Parameters start at zero: ``w = torch.zeros(d + 1, dtype=torch.float64,
       requires_grad=True)`` (or a ``torch.nn.Linear`` whose weight and bias you set to
       zero; its default initialization is random!).
    3. ``optimizer = torch.optim.SGD([w], lr=lr)``; then ``epochs`` times:
       ``optimizer.zero_grad()``, loss = mean squared error of ``Xb @ w`` against ``y``,
       ``loss.backward()``, ``optimizer.step()``.

    With the same ``lr`` and ``epochs`` this follows exactly the same iterates as
    :func:`fit_multivariate_gd`: autograd computes the same gradient
    ``2/n * Xb.T @ (Xb @ w - y)`` for you.

    Args:
        X: array-like ``(n, d)`` of features, or 1-D ``(n,)`` for one feature.
        y: array-like ``(n,)`` of targets.
        lr: learning rate (학습률).
        epochs: number of updates.

    Returns:
        np.ndarray: float64 array ``[intercept, w1, ..., wd]`` of shape ``(d + 1,)``
        (e.g. ``w.detach().numpy()``).
    """
    ### BEGIN SOLUTION
    Xb = torch.as_tensor(add_bias(X), dtype=torch.float64)
    yt = torch.as_tensor(np.asarray(y, dtype=np.float64))
    w = torch.zeros(Xb.shape[1], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = torch.mean((Xb @ w - yt) ** 2)
        loss.backward()
        optimizer.step()
    return w.detach().numpy().copy()
    ### END SOLUTION
