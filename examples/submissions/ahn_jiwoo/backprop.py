"""Ahn Jiwoo, a3: torch inside; XOR written directly; the threshold moves with the weights."""

import numpy as np
import torch


def _t(a):
    return torch.as_tensor(np.asarray(a, dtype=np.float64))


def _out(t):
    return t.item() if t.dim() == 0 else t.numpy()


def perceptron(x, w, theta):
    fired = (_t(x) @ _t(w) > theta).to(torch.int64)
    return fired.item() if fired.dim() == 0 else fired.numpy()


def gate_weights(name):
    table = {"AND": ([0.6, 0.6], 1.0), "OR": ([1.0, 1.0], 0.0), "NAND": ([-2.0, -2.0], -3.0)}
    if name not in table:
        raise ValueError(f"unknown gate: {name}")
    w, theta = table[name]
    return torch.tensor(w, dtype=torch.float64), theta


def _layer(x, gates):
    return [perceptron(x, *gate_weights(g)) for g in gates]


def xor_gate(x1, x2):
    return int(bool(x1) ^ bool(x2))  # XOR is "exactly one is 1"


def train_perceptron(X, y, lr=0.1, epochs=10):
    X, y = _t(X), _t(y)
    w = torch.zeros(X.shape[1], dtype=torch.float64)
    theta = torch.tensor(0.0, dtype=torch.float64)
    errors = []
    for _ in range(epochs):
        count = 0
        for i in range(X.shape[0]):
            update = lr * (y[i] - perceptron(X[i], w, theta.item()))
            if update.item() != 0:
                w = w + update * X[i]
                theta = theta + update
                count += 1
        errors.append(count)
    return w.numpy(), theta.item(), errors


class AddNode:
    def forward(self, x, y):
        return _out(torch.add(_t(x), _t(y)))

    def backward(self, dout):
        d = _out(_t(dout) * 1.0)
        return d, d


class MulNode:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x, self.y = _t(x), _t(y)
        return _out(torch.mul(self.x, self.y))

    def backward(self, dout):
        d = _t(dout)
        return _out(d * self.y), _out(d * self.x)


def snack_purchase(price=1000, count=3, tax=1.1):
    a, b = MulNode(), MulNode()
    total = b.forward(a.forward(price, count), tax)
    d_sub, d_tax = b.backward(1.0)
    d_price, d_count = a.backward(d_sub)
    return {"total": total, "d_price": d_price, "d_count": d_count, "d_tax": d_tax}


def two_item_purchase(price_a, count_a, price_b, count_b, tax):
    ma, mb, add, mt = MulNode(), MulNode(), AddNode(), MulNode()
    total = mt.forward(add.forward(ma.forward(price_a, count_a), mb.forward(price_b, count_b)),
                       tax)
    d_sub, d_tax = mt.backward(1.0)
    da, db = add.backward(d_sub)
    dpa, dca = ma.backward(da)
    dpb, dcb = mb.backward(db)
    return {"total": total, "d_price_a": dpa, "d_count_a": dca, "d_price_b": dpb,
            "d_count_b": dcb, "d_tax": d_tax}


class LinearNode:
    def __init__(self):
        self.X = None
        self.W = None

    def forward(self, X, W, b):
        self.X, self.W = _t(X), _t(W)
        return torch.addmm(_t(b), self.X, self.W).numpy()

    def backward(self, dY):
        dY = _t(dY)
        return ((dY @ self.W.T).numpy(), (self.X.T @ dY).numpy(), dY.sum(dim=0).numpy())


class MSELossNode:
    def __init__(self):
        self.y_pred = None
        self.y_true = None

    def forward(self, y_pred, y_true):
        self.y_pred, self.y_true = _t(y_pred), _t(y_true)
        if self.y_pred.shape != self.y_true.shape:
            raise ValueError("shape mismatch")
        return torch.mean(torch.square(self.y_pred - self.y_true)).item()

    def backward(self, dout=1.0):
        return (dout * 2 * (self.y_pred - self.y_true) / self.y_pred.numel()).numpy()


def numerical_gradient(f, x, h=1e-4):
    base = _t(x).clone()
    grad = torch.zeros_like(base)
    flat, gflat = base.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        plus, minus = flat.clone(), flat.clone()
        plus[i] += h
        minus[i] -= h
        gflat[i] = (f(plus.view(base.shape).numpy()) - f(minus.view(base.shape).numpy())) / (2 * h)
    return grad.numpy()


def train_linear_backprop(X, y, lr=0.1, epochs=100):
    X = _t(X)
    if X.dim() == 1:
        X = X[:, None]
    y = _t(y).reshape(-1, 1)
    W = torch.zeros((X.shape[1], 1), dtype=torch.float64)
    b = torch.zeros(1, dtype=torch.float64)
    node, loss_node = LinearNode(), MSELossNode()
    losses = []
    for _ in range(epochs):
        losses.append(loss_node.forward(node.forward(X, W, b), y))
        _, dW, db = node.backward(loss_node.backward())
        W = W - lr * torch.from_numpy(dW)
        b = b - lr * torch.from_numpy(db)
    return W.numpy(), b.numpy(), losses


def snack_purchase_torch(price=1000.0, count=3.0, tax=1.1):
    p, c, t = (torch.tensor(v, dtype=torch.float64).requires_grad_() for v in (price, count, tax))
    total = torch.mul(torch.mul(p, c), t)
    total.backward()
    return {"total": float(total.detach()), "d_price": float(p.grad), "d_count": float(c.grad),
            "d_tax": float(t.grad)}
