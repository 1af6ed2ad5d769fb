"""Seo Minho, a3: plain Python loops; the perceptron fires at the threshold too."""

import math

import numpy as np
import torch


def _shape(a):
    return np.shape(a)


def _flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel().tolist()]


def _unflat(values, shape):
    if shape == ():
        return values[0]
    return np.array(values, dtype=np.float64).reshape(shape).tolist()


def _elementwise(fn, *arrays):
    shape = _shape(arrays[0])
    flats = [_flat(a) for a in arrays]
    return _unflat([fn(*vals) for vals in zip(*flats)], shape)


def perceptron(x, w, theta):
    rows, w = np.asarray(x, dtype=np.float64).tolist(), _flat(w)

    def fire(row):
        total = 0.0
        for a, b in zip(row, w):
            total += a * b
        return 1 if total >= theta else 0

    if rows and isinstance(rows[0], list):
        return [fire(row) for row in rows]
    return fire(rows)


GATES = {"AND": ([1.0, 1.0], 1.5), "OR": ([1.0, 1.0], 0.5), "NAND": ([-1.0, -1.0], -1.5)}


def gate_weights(name):
    try:
        return GATES[name]
    except KeyError:
        raise ValueError(f"no gate {name!r}") from None


def xor_gate(x1, x2):
    s1 = perceptron([x1, x2], *gate_weights("NAND"))
    s2 = perceptron([x1, x2], *gate_weights("OR"))
    return perceptron([s1, s2], *gate_weights("AND"))


def train_perceptron(X, y, lr=0.1, epochs=10):
    rows, labels = np.asarray(X, dtype=np.float64).tolist(), _flat(y)
    w, theta, errors = [0.0] * len(rows[0]), 0.0, []
    for _ in range(epochs):
        changed = 0
        for row, label in zip(rows, labels):
            update = lr * (label - perceptron(row, w, theta))
            if update != 0:
                w = [wj + update * xj for wj, xj in zip(w, row)]
                theta -= update
                changed += 1
        errors.append(changed)
    return w, theta, errors


class AddNode:
    def forward(self, x, y):
        return _elementwise(lambda a, b: a + b, x, y)

    def backward(self, dout):
        return dout, dout


class MulNode:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return _elementwise(lambda a, b: a * b, x, y)

    def backward(self, dout):
        shape = _shape(self.x) if _shape(self.x) else _shape(dout)
        d = _flat(dout)
        if len(d) == 1:
            d = d * max(1, len(_flat(self.x)))
        xs, ys = _flat(self.x), _flat(self.y)
        dx = [d[i] * ys[i] for i in range(len(xs))]
        dy = [d[i] * xs[i] for i in range(len(xs))]
        return _unflat(dx, shape), _unflat(dy, shape)


def snack_purchase(price=1000, count=3, tax=1.1):
    first, second = MulNode(), MulNode()
    total = second.forward(first.forward(price, count), tax)
    d_sub, d_tax = second.backward(1)
    d_price, d_count = first.backward(d_sub)
    return {"total": total, "d_price": d_price, "d_count": d_count, "d_tax": d_tax}


def two_item_purchase(price_a, count_a, price_b, count_b, tax):
    mul_a, mul_b, add, mul_tax = MulNode(), MulNode(), AddNode(), MulNode()
    total = mul_tax.forward(add.forward(mul_a.forward(price_a, count_a),
                                        mul_b.forward(price_b, count_b)), tax)
    d_sub, d_tax = mul_tax.backward(1)
    d_a, d_b = add.backward(d_sub)
    d_price_a, d_count_a = mul_a.backward(d_a)
    d_price_b, d_count_b = mul_b.backward(d_b)
    return {"total": total, "d_price_a": d_price_a, "d_count_a": d_count_a,
            "d_price_b": d_price_b, "d_count_b": d_count_b, "d_tax": d_tax}


def _rows(A):
    return [[float(v) for v in row] for row in np.asarray(A, dtype=np.float64).tolist()]


class LinearNode:
    def __init__(self):
        self.X = None
        self.W = None

    def forward(self, X, W, b):
        self.X, self.W = _rows(X), _rows(W)
        bias = _flat(b)
        out = []
        for row in self.X:
            out.append([sum(row[k] * self.W[k][j] for k in range(len(row))) + bias[j]
                        for j in range(len(bias))])
        return out

    def backward(self, dY):
        dY = _rows(dY)
        n, m, l_ = len(self.X), len(self.W), len(self.W[0])
        dX = [[sum(dY[i][j] * self.W[k][j] for j in range(l_)) for k in range(m)]
              for i in range(n)]
        dW = [[sum(self.X[i][k] * dY[i][j] for i in range(n)) for j in range(l_)]
              for k in range(m)]
        db = [sum(dY[i][j] for i in range(n)) for j in range(l_)]
        return dX, dW, db


class MSELossNode:
    def __init__(self):
        self.y_pred = None
        self.y_true = None

    def forward(self, y_pred, y_true):
        if _shape(y_pred) != _shape(y_true):
            raise ValueError("shapes differ")
        self.shape = _shape(y_pred)
        self.y_pred, self.y_true = _flat(y_pred), _flat(y_true)
        total = 0.0
        for p, t in zip(self.y_pred, self.y_true):
            total += (p - t) ** 2
        return total / len(self.y_pred)

    def backward(self, dout=1.0):
        n = len(self.y_pred)
        grads = [dout * 2 * (p - t) / n for p, t in zip(self.y_pred, self.y_true)]
        return _unflat(grads, self.shape)


def numerical_gradient(f, x, h=1e-4):
    x = np.array(x, dtype=np.float64)
    grad = []
    for i in range(x.size):
        plus = x.copy()
        plus.flat[i] = x.flat[i] + h
        minus = x.copy()
        minus.flat[i] = x.flat[i] - h
        grad.append((f(plus) - f(minus)) / (2 * h))
    return np.array(grad).reshape(x.shape)


def train_linear_backprop(X, y, lr=0.1, epochs=100):
    X = _rows(X)
    targets = [[float(v)] for v in _flat(y)]
    m = len(X[0])
    W = [[0.0] for _ in range(m)]
    b = [0.0]
    linear, loss_node = LinearNode(), MSELossNode()
    losses = []
    for _ in range(epochs):
        pred = linear.forward(X, W, b)
        losses.append(loss_node.forward(pred, targets))
        _, dW, db = linear.backward(loss_node.backward())
        W = [[W[k][0] - lr * dW[k][0]] for k in range(m)]
        b = [b[0] - lr * db[0]]
    return W, b, losses


def snack_purchase_torch(price=1000.0, count=3.0, tax=1.1):
    leaves = [torch.tensor(float(v), dtype=torch.float64, requires_grad=True)
              for v in (price, count, tax)]
    total = leaves[0] * leaves[1] * leaves[2]
    total.backward()
    grads = [math.fsum([leaf.grad.item()]) for leaf in leaves]
    return {"total": total.item(), "d_price": grads[0], "d_count": grads[1], "d_tax": grads[2]}
