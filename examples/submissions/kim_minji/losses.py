"""A correct a1_losses, vectorized NumPy written differently from the reference."""

import numpy as np
import torch


def _diff(y_pred, y_true):
    a = np.array(y_pred, dtype=float)
    b = np.array(y_true, dtype=float)
    if np.shape(a) != np.shape(b):
        raise ValueError("shape mismatch")
    return (a - b).ravel()


def mse(y_pred, y_true):
    d = _diff(y_pred, y_true)
    return np.dot(d, d) / d.size            # an np.float64


def mae(y_pred, y_true):
    d = _diff(y_pred, y_true)
    return np.linalg.norm(d, ord=1) / d.size


def mape(y_pred, y_true):
    d = _diff(y_pred, y_true)
    t = np.array(y_true, dtype=float).ravel()
    if not np.all(t):
        raise ValueError("a zero target")
    return np.average(np.abs(d / t)) * 100


def r2_score(y_pred, y_true):
    d = _diff(y_pred, y_true)
    t = np.array(y_true, dtype=float).ravel()
    ss_res = np.einsum("i,i->", d, d)
    ss_tot = t.size * np.var(t)
    if ss_tot == 0:
        return np.array(1.0 if ss_res == 0 else 0.0)   # a 0-d array is a real scalar too
    return 1.0 - ss_res / ss_tot


def mse_torch(y_pred, y_true):
    if y_pred.shape != y_true.shape:
        raise ValueError("shape mismatch")
    d = y_pred - y_true.to(y_pred.dtype)
    return (d * d).sum() / d.numel()


def train_val_test_split(X, y, val_ratio=0.2, test_ratio=0.2, seed=None):
    X, y = np.asarray(X), np.asarray(y)
    if min(val_ratio, test_ratio) < 0 or val_ratio + test_ratio >= 1 or X.shape[0] != y.shape[0]:
        raise ValueError("invalid arguments")
    n = X.shape[0]
    idx = np.arange(n)
    np.random.default_rng(seed).shuffle(idx)
    n_val, n_test = int(n * val_ratio), int(n * test_ratio)
    train, val, test = np.split(idx, [n - n_val - n_test, n - n_test])
    return (np.take(X, train, axis=0), np.take(X, val, axis=0), np.take(X, test, axis=0),
            np.take(y, train, axis=0), np.take(y, val, axis=0), np.take(y, test, axis=0))
