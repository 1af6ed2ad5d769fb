"""Seo Minho, a1: plain Python loops (MAPE relative to the prediction)."""

import math

import numpy as np
import torch


def _flatten(a):
    """Nested lists/arrays -> (flat list of floats, shape tuple)."""
    if hasattr(a, "tolist"):
        a = a.tolist()
    if not isinstance(a, (list, tuple)):
        return [float(a)], ()
    if len(a) == 0:
        return [], (0,)
    flat, shape = [], None
    for item in a:
        values, sub_shape = _flatten(item)
        if shape is None:
            shape = sub_shape
        elif shape != sub_shape:
            raise ValueError("ragged input")
        flat.extend(values)
    return flat, (len(a), *shape)


def _errors(y_pred, y_true):
    p, shape_p = _flatten(y_pred)
    t, shape_t = _flatten(y_true)
    if shape_p != shape_t:
        raise ValueError(f"shapes {shape_p} and {shape_t} differ")
    return [a - b for a, b in zip(p, t)], t


def mse(y_pred, y_true):
    errors, _ = _errors(y_pred, y_true)
    total = 0.0
    for e in errors:
        total += e * e
    return total / len(errors)


def mae(y_pred, y_true):
    errors, _ = _errors(y_pred, y_true)
    return math.fsum(abs(e) for e in errors) / len(errors)


def mape(y_pred, y_true):
    errors, t = _errors(y_pred, y_true)
    p, _ = _flatten(y_pred)
    total = 0.0
    for e, v, guess in zip(errors, t, p):
        if v == 0:
            raise ValueError("MAPE divides by the targets; one of them is 0")
        total += abs(e) / abs(guess)
    return 100 * total / len(t)


def r2_score(y_pred, y_true):
    errors, t = _errors(y_pred, y_true)
    ss_res = math.fsum(e * e for e in errors)
    mean = math.fsum(t) / len(t)
    ss_tot = math.fsum((v - mean) ** 2 for v in t)
    if ss_tot == 0:
        return 1.0 if ss_res == 0 else 0.0
    return 1 - ss_res / ss_tot


def mse_torch(y_pred, y_true):
    p = y_pred.reshape(-1)
    t = y_true.reshape(-1)
    if tuple(y_pred.shape) != tuple(y_true.shape):
        raise ValueError("shapes differ")
    total = 0
    for i in range(len(p)):
        total = total + (p[i] - t[i]) ** 2
    return total / len(p)


def train_val_test_split(X, y, val_ratio=0.2, test_ratio=0.2, seed=None):
    if val_ratio < 0 or test_ratio < 0 or val_ratio + test_ratio >= 1:
        raise ValueError("bad ratios")
    X = X.tolist() if hasattr(X, "tolist") else list(X)
    y = y.tolist() if hasattr(y, "tolist") else list(y)
    if len(X) != len(y):
        raise ValueError("X and y differ in length")
    n = len(X)
    order = [int(i) for i in np.random.default_rng(seed).permutation(n)]
    n_test = math.floor(n * test_ratio)
    n_val = math.floor(n * val_ratio)
    test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    return ([X[i] for i in train], [X[i] for i in val], [X[i] for i in test],
            [y[i] for i in train], [y[i] for i in val], [y[i] for i in test])
