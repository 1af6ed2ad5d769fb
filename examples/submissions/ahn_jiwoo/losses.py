"""Ahn Jiwoo, a1: losses with torch operations (MAPE as a fraction)."""

import math

import numpy as np
import torch


def _tensors(y_pred, y_true):
    p = torch.as_tensor(np.asarray(y_pred), dtype=torch.float64)
    t = torch.as_tensor(np.asarray(y_true), dtype=torch.float64)
    if p.shape != t.shape:
        raise ValueError(f"{tuple(p.shape)} vs {tuple(t.shape)}")
    return p, t


def mse(y_pred, y_true):
    p, t = _tensors(y_pred, y_true)
    return torch.square(p - t).mean().item()


def mae(y_pred, y_true):
    p, t = _tensors(y_pred, y_true)
    return torch.abs(p - t).mean()          # a 0-dim tensor is accepted as a float result


def mape(y_pred, y_true):
    p, t = _tensors(y_pred, y_true)
    if torch.any(t == 0):
        raise ValueError("MAPE is undefined for a zero target")
    return torch.abs((t - p) / t).mean().item()


def r2_score(y_pred, y_true):
    p, t = _tensors(y_pred, y_true)
    ss_res = torch.sum((t - p) ** 2).item()
    ss_tot = torch.sum((t - t.mean()) ** 2).item()
    if ss_tot == 0:
        return float(ss_res == 0)
    return 1 - ss_res / ss_tot


def mse_torch(y_pred, y_true):
    y_true = torch.as_tensor(y_true, dtype=y_pred.dtype)
    if y_pred.shape != y_true.shape:
        raise ValueError("shape mismatch")
    return torch.square(torch.sub(y_pred, y_true)).mean()


def train_val_test_split(X, y, val_ratio=0.2, test_ratio=0.2, seed=None):
    if val_ratio < 0 or test_ratio < 0:
        raise ValueError("negative ratio")
    if val_ratio + test_ratio >= 1:
        raise ValueError("ratios too large")
    X, y = np.array(X), np.array(y)
    if len(X) != len(y):
        raise ValueError("length mismatch")
    n = len(X)
    rng = np.random.default_rng(seed)
    idx = torch.from_numpy(rng.permutation(n))
    n_test, n_val = math.floor(n * test_ratio), math.floor(n * val_ratio)
    n_train = n - n_test - n_val
    train, val, test = idx[:n_train], idx[n_train:n_train + n_val], idx[n_train + n_val:]
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    return tuple(a[i].numpy() for a in (Xt, yt) for i in (train, val, test))
