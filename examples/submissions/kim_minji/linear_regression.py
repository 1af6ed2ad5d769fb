"""A correct a2_linear_regression, vectorized NumPy written differently from the reference;
normal equation with np.linalg.lstsq; fit_torch with a zeroed nn.Linear and nn.MSELoss."""

import numpy as np
import torch


def predict(x, w, b=0.0):
    return np.add(np.multiply(np.asarray(x, dtype=float), w), b)


def mse_grad_w(x, y, w):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return 2 * np.dot(w * x - y, x) / x.size


def gd_step(w, grad, lr):
    return np.subtract(w, np.multiply(lr, grad)) if np.ndim(w) else w - lr * grad


def fit_gd(x, y, lr=0.01, epochs=100, w0=0.0):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w, losses = w0, []
    for _ in range(epochs):
        r = w * x - y
        losses.append(np.dot(r, r) / r.size)
        w = gd_step(w, 2 * np.dot(r, x) / r.size, lr)
    return w, losses


def add_bias(X):
    X = np.asarray(X, dtype=float)
    X = X.reshape(X.shape[0], -1)
    out = np.empty((X.shape[0], X.shape[1] + 1))
    out[:, 0] = 1
    out[:, 1:] = X
    return out


def mse_grad(Xb, y, w):
    Xb = np.asarray(Xb, dtype=float)
    r = np.einsum("ij,j->i", Xb, np.asarray(w, dtype=float)) - np.asarray(y, dtype=float)
    return np.einsum("ij,i->j", Xb, r) * (2 / len(r))


def fit_multivariate_gd(X, y, lr=0.01, epochs=1000):
    Xb, y = add_bias(X), np.asarray(y, dtype=float)
    w = np.zeros(Xb.shape[1])
    losses = []
    for _ in range(epochs):
        losses.append(np.mean(np.square(Xb @ w - y)))
        w = w - lr * mse_grad(Xb, y, w)
    return w, losses


def fit_sgd(X, y, lr=0.01, epochs=100, batch_size=1, seed=None):
    if batch_size < 1:
        raise ValueError(f"batch_size={batch_size}")
    Xb, y = add_bias(X), np.asarray(y, dtype=float)
    w = np.zeros(Xb.shape[1])
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        losses.append(np.mean(np.square(Xb @ w - y)))
        perm = rng.permutation(len(y))
        for batch in (perm[i:i + batch_size] for i in range(0, len(y), batch_size)):
            w = w - lr * mse_grad(Xb[batch], y[batch], w)
    return w, losses


def normal_equation(X, y):
    return np.linalg.lstsq(add_bias(X), np.asarray(y, dtype=float), rcond=None)[0]


def fit_torch(X, y, lr=0.01, epochs=1000):
    X = torch.as_tensor(np.asarray(X, dtype=np.float64))
    X = X.reshape(X.shape[0], -1)
    y = torch.as_tensor(np.asarray(y, dtype=np.float64)).reshape(-1, 1)
    model = torch.nn.Linear(X.shape[1], 1, dtype=torch.float64)
    torch.nn.init.zeros_(model.weight)
    torch.nn.init.zeros_(model.bias)
    loss_fn = torch.nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss_fn(model(X), y).backward()
        optimizer.step()
    return np.concatenate([model.bias.detach().numpy(), model.weight.detach().numpy()[0]])
