"""Ahn Jiwoo, a2: torch inside; SGD over the batches in row order."""

import numpy as np
import torch
import torch.nn.functional as F


def _t(a):
    return torch.as_tensor(np.asarray(a, dtype=np.float64))


def predict(x, w, b=0.0):
    return (_t(x) * w + b).numpy()


def mse_grad_w(x, y, w):
    wt = torch.tensor(float(w), dtype=torch.float64, requires_grad=True)
    torch.mean((wt * _t(x) - _t(y)) ** 2).backward()
    return wt.grad.item()


def gd_step(w, grad, lr):
    if isinstance(w, np.ndarray):
        return (_t(w) - lr * _t(grad)).numpy()
    return w - lr * grad


def fit_gd(x, y, lr=0.01, epochs=100, w0=0.0):
    xt, yt = _t(x), _t(y)
    w, losses = float(w0), []
    for _ in range(epochs):
        losses.append(torch.mean((w * xt - yt) ** 2).item())
        w = gd_step(w, mse_grad_w(x, y, w), lr)
    return w, losses


def add_bias(X):
    Xt = _t(X)
    if Xt.dim() == 1:
        Xt = Xt.unsqueeze(1)
    return torch.cat([torch.ones(Xt.shape[0], 1, dtype=torch.float64), Xt], dim=1).numpy()


def mse_grad(Xb, y, w):
    wt = _t(w).clone().requires_grad_(True)
    torch.mean((_t(Xb) @ wt - _t(y)) ** 2).backward()
    return wt.grad.numpy()


def fit_multivariate_gd(X, y, lr=0.01, epochs=1000):
    Xb, yt = _t(add_bias(X)), _t(y)
    w = torch.zeros(Xb.shape[1], dtype=torch.float64)
    losses = []
    for _ in range(epochs):
        r = Xb @ w - yt
        losses.append(float(r @ r) / len(r))
        w = w - lr * 2 / len(r) * (Xb.T @ r)
    return w.numpy(), losses


def fit_sgd(X, y, lr=0.01, epochs=100, batch_size=1, seed=None):
    if batch_size < 1:
        raise ValueError("batch_size < 1")
    Xb, yt = _t(add_bias(X)), _t(y)
    w = torch.zeros(Xb.shape[1], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        with torch.no_grad():
            losses.append(F.mse_loss(Xb @ w, yt).item())
        idx = torch.arange(len(yt))
        for batch in torch.split(idx, batch_size):
            optimizer.zero_grad()
            F.mse_loss(Xb[batch] @ w, yt[batch]).backward()
            optimizer.step()
    return w.detach().numpy(), losses


def normal_equation(X, y):
    return np.linalg.pinv(add_bias(X)) @ np.asarray(y, dtype=np.float64)


def fit_torch(X, y, lr=0.01, epochs=1000):
    Xb, yt = _t(add_bias(X)), _t(y)
    w = torch.zeros(Xb.shape[1], dtype=torch.float64, requires_grad=True)
    for _ in range(epochs):
        loss = F.mse_loss(Xb @ w, yt)
        (grad,) = torch.autograd.grad(loss, [w])
        with torch.no_grad():
            w.sub_(lr * grad)
    return w.detach().numpy()
