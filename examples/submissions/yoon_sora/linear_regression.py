"""A correct a2_linear_regression in plain Python: loops on lists, lists returned where allowed,
Gauss-Jordan elimination for the normal equation, a manual torch update under no_grad."""

import numpy as np
import torch


def _floats(a):
    return [float(v) for v in (a.tolist() if hasattr(a, "tolist") else a)]


def _rows(X):
    X = X.tolist() if hasattr(X, "tolist") else list(X)
    return [[float(v) for v in row] if isinstance(row, (list, tuple)) else [float(row)]
            for row in X]


def predict(x, w, b=0.0):
    return [w * xi + b for xi in _floats(x)]


def mse_grad_w(x, y, w):
    x, y = _floats(x), _floats(y)
    total = 0.0
    for xi, yi in zip(x, y):
        total += 2 * (w * xi - yi) * xi
    return total / len(x)


def gd_step(w, grad, lr):
    if isinstance(w, (int, float)):
        return w - lr * grad
    return np.array([wi - lr * gi for wi, gi in zip(np.ravel(w), np.ravel(grad))]).reshape(
        np.shape(w))


def fit_gd(x, y, lr=0.01, epochs=100, w0=0.0):
    x, y = _floats(x), _floats(y)
    n = len(x)
    w = w0
    losses = []
    for _ in range(epochs):
        losses.append(sum((w * xi - yi) ** 2 for xi, yi in zip(x, y)) / n)
        w = w - lr * mse_grad_w(x, y, w)
    return w, losses


def add_bias(X):
    return [[1.0, *row] for row in _rows(X)]


def _dot(a, b):
    return sum(ai * bi for ai, bi in zip(a, b))


def mse_grad(Xb, y, w):
    Xb, y, w = _rows(Xb), _floats(y), _floats(w)
    n = len(Xb)
    errors = [_dot(row, w) - yi for row, yi in zip(Xb, y)]
    return [2 / n * sum(row[j] * e for row, e in zip(Xb, errors)) for j in range(len(w))]


def fit_multivariate_gd(X, y, lr=0.01, epochs=1000):
    Xb, y = add_bias(X), _floats(y)
    w = [0.0] * len(Xb[0])
    losses = []
    for _ in range(epochs):
        losses.append(sum((_dot(row, w) - yi) ** 2 for row, yi in zip(Xb, y)) / len(y))
        g = mse_grad(Xb, y, w)
        w = [wj - lr * gj for wj, gj in zip(w, g)]
    return w, losses


def fit_sgd(X, y, lr=0.01, epochs=100, batch_size=1, seed=None):
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    Xb, y = add_bias(X), _floats(y)
    n = len(y)
    w = [0.0] * len(Xb[0])
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        losses.append(sum((_dot(row, w) - yi) ** 2 for row, yi in zip(Xb, y)) / n)
        order = list(range(n))
        rng.shuffle(order)   # the same draws as rng.permutation(n)
        while order:
            batch, order = order[:batch_size], order[batch_size:]
            g = mse_grad([Xb[i] for i in batch], [y[i] for i in batch], w)
            w = [wj - lr * gj for wj, gj in zip(w, g)]
    return w, losses


def normal_equation(X, y):
    Xb, y = add_bias(X), _floats(y)
    m = len(Xb[0])
    # augmented system [Xb.T Xb | Xb.T y]
    A = [[sum(r[i] * r[j] for r in Xb) for j in range(m)] + [sum(r[i] * yi for r, yi in zip(Xb, y))]
         for i in range(m)]
    for col in range(m):
        pivot = max(range(col, m), key=lambda r: abs(A[r][col]))
        A[col], A[pivot] = A[pivot], A[col]
        for r in range(m):
            if r != col:
                factor = A[r][col] / A[col][col]
                A[r] = [a - factor * c for a, c in zip(A[r], A[col])]
    return [A[i][m] / A[i][i] for i in range(m)]


def fit_torch(X, y, lr=0.01, epochs=1000):
    Xb = torch.tensor(add_bias(X), dtype=torch.float64)
    yt = torch.tensor(_floats(y), dtype=torch.float64)
    w = torch.zeros(Xb.shape[1], dtype=torch.float64, requires_grad=True)
    for _ in range(epochs):
        loss = ((Xb @ w - yt) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    return w.detach().tolist()
