"""a3_backprop, vectorized NumPy written differently from the reference (einsum, dot, flat)."""

import numpy as np
import torch


_GATE_NAMES = ("AND", "OR", "NAND")
_GATE_W = np.array([[0.5, 0.5], [0.5, 0.5], [-0.5, -0.5]])
_GATE_THETA = np.array([0.7, 0.2, -0.7])


def perceptron(x, w, theta):
    out = np.greater(np.dot(np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)),
                     theta).astype(int)
    return int(out) if out.ndim == 0 else out


def gate_weights(name):
    if name not in _GATE_NAMES:
        raise ValueError(f"gate must be one of {_GATE_NAMES}")
    k = _GATE_NAMES.index(name)
    return _GATE_W[k].copy(), float(_GATE_THETA[k])


def xor_gate(x1, x2):
    x = np.array([x1, x2])
    h = np.array([perceptron(x, *gate_weights(g)) for g in ("NAND", "OR")])
    return perceptron(h, *gate_weights("AND"))


def train_perceptron(X, y, lr=0.1, epochs=10):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w, theta = np.zeros(X.shape[1]), 0.0
    errors = np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        for x_i, y_i in zip(X, y):
            update = lr * (y_i - perceptron(x_i, w, theta))
            w, theta = w + update * x_i, theta - update
            errors[epoch] += update != 0
    return w, theta, errors.tolist()


class AddNode:
    def forward(self, x, y):
        return np.add(x, y)

    def backward(self, dout):
        return (np.array(dout, dtype=np.float64), np.array(dout, dtype=np.float64))


class MulNode:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = np.array(x, dtype=np.float64)
        self.y = np.array(y, dtype=np.float64)
        return np.multiply(self.x, self.y)

    def backward(self, dout):
        return np.multiply(dout, self.y), np.multiply(dout, self.x)


def snack_purchase(price=1000, count=3, tax=1.1):
    nodes = [MulNode(), MulNode()]
    value = price
    for node, factor in zip(nodes, (count, tax), strict=True):
        value = node.forward(value, factor)
    grads = []
    upstream = 1.0
    for node in reversed(nodes):
        upstream, d_factor = node.backward(upstream)
        grads.append(d_factor)
    d_tax, d_count = grads
    return dict(total=float(value), d_price=float(upstream), d_count=float(d_count),
                d_tax=float(d_tax))


def two_item_purchase(price_a, count_a, price_b, count_b, tax):
    mul = [MulNode(), MulNode()]
    add, mul_tax = AddNode(), MulNode()
    amounts = [node.forward(p, c) for node, p, c in zip(mul, (price_a, price_b),
                                                        (count_a, count_b), strict=True)]
    total = mul_tax.forward(add.forward(*amounts), tax)
    d_sub, d_tax = mul_tax.backward(np.float64(1.0))
    (dpa, dca), (dpb, dcb) = (node.backward(d) for node, d in zip(mul, add.backward(d_sub),
                                                                  strict=True))
    return dict(total=float(total), d_price_a=float(dpa), d_count_a=float(dca),
                d_price_b=float(dpb), d_count_b=float(dcb), d_tax=float(d_tax))


class LinearNode:
    def __init__(self):
        self.X = None
        self.W = None

    def forward(self, X, W, b):
        self.X = np.array(X, dtype=np.float64)
        self.W = np.array(W, dtype=np.float64)
        return np.einsum("nm,ml->nl", self.X, self.W) + np.asarray(b, dtype=np.float64)[None, :]

    def backward(self, dY):
        dY = np.asarray(dY, dtype=np.float64)
        return (np.einsum("nl,ml->nm", dY, self.W), np.einsum("nm,nl->ml", self.X, dY),
                np.einsum("nl->l", dY))


class MSELossNode:
    def __init__(self):
        self.y_pred = None
        self.y_true = None

    def forward(self, y_pred, y_true):
        self.y_pred = np.array(y_pred, dtype=np.float64)
        self.y_true = np.array(y_true, dtype=np.float64)
        if self.y_pred.shape != self.y_true.shape:
            raise ValueError("shape mismatch")
        diff = (self.y_pred - self.y_true).ravel()
        return float(np.dot(diff, diff) / diff.size)

    def backward(self, dout=1.0):
        return (2.0 / self.y_pred.size) * dout * np.subtract(self.y_pred, self.y_true)


def numerical_gradient(f, x, h=1e-4):
    x = np.array(x, dtype=np.float64)
    steps = np.eye(x.size) * h
    flat = x.ravel()
    grad = np.array([f((flat + e).reshape(x.shape)) - f((flat - e).reshape(x.shape))
                     for e in steps]) / (2 * h)
    return grad.reshape(x.shape)


def train_linear_backprop(X, y, lr=0.1, epochs=100):
    X = np.atleast_2d(np.asarray(X, dtype=np.float64))
    y = np.asarray(y, dtype=np.float64)[:, np.newaxis]
    W, b = np.zeros((X.shape[1], 1)), np.zeros(1)
    layer, loss = LinearNode(), MSELossNode()
    history = []
    for _ in range(epochs):
        history.append(loss.forward(layer.forward(X, W, b), y))
        grads = layer.backward(loss.backward())
        W, b = W - lr * grads[1], b - lr * grads[2]
    return W, b, history


def snack_purchase_torch(price=1000.0, count=3.0, tax=1.1):
    inputs = torch.tensor([price, count, tax], dtype=torch.float64, requires_grad=True)
    total = torch.prod(inputs)
    total.backward()
    d = inputs.grad.tolist()
    return {"total": float(total), "d_price": d[0], "d_count": d[1], "d_tax": d[2]}
