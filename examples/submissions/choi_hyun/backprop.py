"""Computational graphs and backpropagation (계산 그래프와 역전파).

A computational graph (계산 그래프) breaks a calculation into small nodes. Forward
propagation (순전파) runs the nodes from left to right and computes the result;
backpropagation (역전파) runs them from right to left and, with the chain rule
(연쇄 법칙), turns the upstream gradient ``dout`` that a node receives into the
gradients of its inputs: every node multiplies ``dout`` by its own local derivative.

Lecture example: a 1000-won snack bought 3 times with 10% tax (과자 구매 예제)::

    price=1000 --\\
                  [x]-- 3000 --\\
    count=3 -----/              [x]-- total 3300
    tax=1.1 -------------------/

    backward with dout = 1:  d_tax = 3000, d_price = 3.3, d_count = 1100

General rules: inputs are array-likes (lists, tuples or NumPy arrays, of any float or
int dtype) and are never modified in place; array results are float64 NumPy arrays.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch  # noqa: F401 - for snack_purchase_torch (unused in the stub)
from numpy.typing import ArrayLike


def perceptron(x: ArrayLike, w: ArrayLike, theta: float) -> int | np.ndarray:
    """Rosenblatt's perceptron (퍼셉트론): 1 above the threshold θ (임계값), else 0.

    Formula::

        y = 1  if  x @ w > theta
        y = 0  if  x @ w <= theta        ("≤ θ gives 0": a sum equal to θ gives 0)

    Args:
        x: one input ``(d,)``, or a batch ``X (n, d)`` of inputs, one per row.
        w: the weights ``(d,)``.
        theta: the threshold θ.

    Returns:
        For a 1-D ``x`` an ``int`` (0 or 1); for a 2-D ``X`` an int array ``(n,)``.

    Example: the AND gate with ``w = (0.5, 0.5)``, ``θ = 0.7``::

        >>> perceptron([1, 1], [0.5, 0.5], 0.7)      # 1.0 > 0.7
        1
        >>> perceptron([1, 0], [0.5, 0.5], 0.5)      # 0.5 is not > 0.5
        0
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def gate_weights(name: str) -> tuple[np.ndarray, float]:
    """Weights and threshold (임계값) that make :func:`perceptron` a logic gate.

    The gates on two bits::

        x1 x2 | AND  OR  NAND
         0  0 |  0    0    1
         1  0 |  0    1    1
         0  1 |  0    1    1
         1  1 |  1    1    0

    Any ``(w, theta)`` that computes the gate is right; for example AND is
    ``w = (0.5, 0.5)``, ``θ = 0.7`` (only 1 + 1 gives a sum above 0.7). NAND is "not AND":
    flip the signs of AND's weights and threshold.

    Args:
        name: ``"AND"``, ``"OR"`` or ``"NAND"``.

    Returns:
        ``(w, theta)``: the weights ``(2,)`` and the threshold (a float).

    Raises:
        ValueError: for any other name.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def xor_gate(x1: int, x2: int) -> int:
    """XOR from a two-layer perceptron (다층 퍼셉트론): ``AND(NAND(x1, x2), OR(x1, x2))``.

    XOR is 1 when exactly one input is 1. No single perceptron computes it: its 1s,
    (1, 0) and (0, 1), and its 0s, (0, 0) and (1, 1), cannot be separated by one straight
    line (XOR is not linearly separable, 선형 분리 불가능). Two layers can: the first
    computes NAND and OR, the second combines them with AND::

        x1 x2 | NAND OR | AND = XOR
         0  0 |   1   0 |  0
         1  0 |   1   1 |  1
         0  1 |   1   1 |  1
         1  1 |   0   1 |  0

    Build it from :func:`perceptron` with :func:`gate_weights` (the grader reads your code
    to check this); ``x1 != x2`` or ``x1 ^ x2`` is not the exercise.

    Returns:
        int: 0 or 1.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def train_perceptron(
    X: ArrayLike, y: ArrayLike, lr: float = 0.1, epochs: int = 10
) -> tuple[np.ndarray, float, list[int]]:
    """The perceptron learning rule (퍼셉트론 학습 규칙).

    Start at ``w = zeros(d)``, ``theta = 0.0``. In each epoch visit the rows in order; for
    row ``x_i`` with label ``y_i``::

        update = lr * (y_i - perceptron(x_i, w, theta))    # 0 when the output is right
        w      = w + update * x_i
        theta  = theta - update     # θ moves the other way: a higher threshold fires less

    ``errors[k]`` is the number of rows whose update was not 0 in epoch k. For linearly
    separable data (선형 분리 가능: AND, OR) the errors reach 0 and stay there; for XOR
    they never do.

    Args:
        X: array-like ``(n, d)`` of inputs.
        y: array-like ``(n,)`` of labels in {0, 1}.
        lr: learning rate (학습률).
        epochs: number of passes over the rows.

    Returns:
        ``(w, theta, errors)``: the weights ``(d,)``, the threshold (float) and a list of
        ``epochs`` ints.

    Example: AND on ``X = [[0, 0], [1, 0], [0, 1], [1, 1]]``, ``y = [0, 0, 0, 1]`` with
    ``lr=0.1``: in the first epoch only row (1, 1) is wrong (0 is not > 0), so ``w`` becomes
    ``[0.1, 0.1]`` and ``θ`` becomes -0.1; ``errors`` is ``[1, 3, 3, 2, 1, 0, ...]``.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


class AddNode:
    """Addition node (덧셈 노드): ``out = x + y``.

    The local derivatives of ``x + y`` are 1 and 1, so backpropagation passes the
    upstream gradient through unchanged (덧셈 노드의 역전파는 상류 값을 그대로 흘려보낸다).

    Example::

        node = AddNode()
        node.forward(2, 3)      # 5
        node.backward(1.3)      # (1.3, 1.3)
    """

    def forward(self, x, y):
        """Forward propagation (순전파): return ``x + y``.

        ``x`` and ``y`` are numbers or NumPy arrays of equal shape.
        """
        # YOUR CODE HERE
        raise NotImplementedError()

    def backward(self, dout):
        """Backpropagation (역전파): return ``(dx, dy) = (dout * 1, dout * 1)``.

        ``dout`` is the upstream gradient dL/d(out) (a number or an array shaped like
        the output). Do not forget it: the local derivative alone is not the gradient.
        """
        # YOUR CODE HERE
        raise NotImplementedError()


class MulNode:
    """Multiplication node (곱셈 노드): ``out = x * y``.

    Its local derivatives are d(out)/dx = y and d(out)/dy = x, so backward sends
    each input the upstream gradient times the *other* input (입력 값을 서로 바꿔 곱한다).
    That is why forward must remember ``x`` and ``y``.

    Example (the lecture's snack)::

        node = MulNode()
        node.forward(1000, 3)   # 3000
        node.backward(1.1)      # (dx, dy) = (1.1 * 3, 1.1 * 1000) = (3.3, 1100.0)

    Works for numbers and for NumPy arrays of equal shape (elementwise).
    """

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        """Forward propagation (순전파): remember ``x`` and ``y``; return ``x * y``."""
        # YOUR CODE HERE
        raise NotImplementedError()

    def backward(self, dout):
        """Backpropagation (역전파): return ``(dx, dy) = (dout * y, dout * x)``."""
        # YOUR CODE HERE
        raise NotImplementedError()


def snack_purchase(price: float = 1000, count: float = 3, tax: float = 1.1) -> dict:
    """The lecture's snack example, built from two ``MulNode``s (곱셈 노드).

    Forward: ``subtotal = price * count``, ``total = subtotal * tax``.
    Backward from ``dout = 1``: first through the tax node, then through the count node.

    Returns a dict with the keys ``"total"``, ``"d_price"``, ``"d_count"``, ``"d_tax"``
    (numbers). Defaults: ``{"total": 3300, "d_price": 3.3, "d_count": 1100, "d_tax": 3000}``
    (up to floating-point rounding).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def two_item_purchase(
    price_a: float, count_a: float, price_b: float, count_b: float, tax: float
) -> dict:
    """Two items and tax: ``total = (price_a*count_a + price_b*count_b) * tax``.

    Build it from three ``MulNode``s (곱셈 노드) and one ``AddNode`` (덧셈 노드), run
    forward propagation (순전파), then backpropagation (역전파) from ``dout = 1``.

    Returns a dict with the keys ``"total"``, ``"d_price_a"``, ``"d_count_a"``,
    ``"d_price_b"``, ``"d_count_b"``, ``"d_tax"``.

    Example (apples 100 x 2, oranges 150 x 3, tax 1.1)::

        two_item_purchase(100, 2, 150, 3, 1.1)
        # total 715, d_price_a 2.2, d_count_a 110, d_price_b 3.3, d_count_b 165, d_tax 650
    """
    # YOUR CODE HERE
    raise NotImplementedError()


class LinearNode:
    """Affine (fully connected) node: ``Y = X @ W + b``.

    Shapes: ``X (n, m)`` (a batch of n rows), ``W (m, l)``, ``b (l,)``, ``Y (n, l)``.
    The bias is broadcast to every row of the batch.

    Backpropagation (역전파) with the upstream gradient ``dY (n, l)``::

        dX = dY @ W.T          # (n, m), shaped like X
        dW = X.T @ dY          # (m, l), shaped like W
        db = dY.sum(axis=0)    # (l,),   summed over the batch, shaped like b

    Tip: every gradient has the shape of the thing it is the gradient of; that tells
    you where the transposes go.

    Example::

        node = LinearNode()
        X = np.array([[1., 2., 3.], [4., 5., 6.]])          # n=2, m=3
        W = np.array([[1., 0.], [0., 1.], [1., 1.]])        # m=3, l=2
        node.forward(X, W, np.array([0.5, -1.0]))         # [[4.5, 4.], [10.5, 10.]]
        dX, dW, db = node.backward(np.array([[1., 2.], [3., -1.]]))
        # dX = [[1., 2., 3.], [3., -1., 2.]]   (2, 3)
        # dW = [[13., -2.], [17., -1.], [21., 0.]]   (3, 2)
        # db = [4., 1.]   (2,)
    """

    def __init__(self):
        self.X = None
        self.W = None

    def forward(self, X, W, b):
        """Forward propagation (순전파): remember ``X`` and ``W``; return ``X @ W + b``."""
        # YOUR CODE HERE
        raise NotImplementedError()

    def backward(self, dY):
        """Backpropagation (역전파): return ``(dX, dW, db)``."""
        # YOUR CODE HERE
        raise NotImplementedError()


class MSELossNode:
    """Mean-squared-error loss node (평균 제곱 오차): the last node of the graph.

    Forward: ``L = mean((y_pred - y_true)**2)`` over all N elements, a float.
    Backward: ``dL/dy_pred = dout * 2 * (y_pred - y_true) / N``, shaped like ``y_pred``
    (``dout`` defaults to 1.0 because L is the end of the graph).

    Example::

        node = MSELossNode()
        node.forward([9, 7, 10], [10, 9, 8])   # 3.0
        node.backward()                        # [-2/3, -4/3, 4/3]
    """

    def __init__(self):
        self.y_pred = None
        self.y_true = None

    def forward(self, y_pred, y_true) -> float:
        """Forward propagation (순전파): remember the inputs; return the mean squared error."""
        # YOUR CODE HERE
        raise NotImplementedError()

    def backward(self, dout=1.0):
        """Backpropagation (역전파): return ``dout * 2 * (y_pred - y_true) / N``."""
        # YOUR CODE HERE
        raise NotImplementedError()


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-4
) -> np.ndarray:
    """Numerical differentiation (수치 미분) with central differences (중앙 차분).

    For every element ``x_i`` of the float array ``x`` (any shape)::

        grad_i = (f(x + h e_i) - f(x - h e_i)) / (2 h)

    where ``e_i`` is 1 at position i and 0 elsewhere. ``f`` takes an array shaped like
    ``x`` and returns a float. Returns a float64 array shaped like ``x``. The caller's
    ``x`` must hold its original values afterwards (work on a copy, or put every
    element back).

    Example: for ``f(x) = x0**2 + x1**2`` at ``x = [3.0, 4.0]`` the result is ``[6., 8.]``.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def train_linear_backprop(
    X: ArrayLike, y: ArrayLike, lr: float = 0.1, epochs: int = 100
) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Linear regression trained with a computational graph (계산 그래프).

    Use only a ``LinearNode`` and an ``MSELossNode``. ``X (n, m)``, ``y (n,)``
    (reshape it to ``(n, 1)``, the shape of the prediction). Start at
    ``W = zeros((m, 1))``, ``b = zeros(1)``. In each of the ``epochs`` steps:

    1. forward propagation (순전파): ``Y = LinearNode.forward(X, W, b)``,
       ``loss = MSELossNode.forward(Y, y)``; append ``loss`` to ``losses``
       (so ``losses[k]`` is the loss *before* the k-th update);
    2. backpropagation (역전파): ``dY = MSELossNode.backward(1.0)``,
       ``dX, dW, db = LinearNode.backward(dY)``;
    3. gradient descent: ``W = W - lr * dW``, ``b = b - lr * db``.

    Returns ``(W (m, 1), b (1,), losses)`` with ``len(losses) == epochs``.
    These are the same iterates as full-batch gradient descent on the MSE.

    Example: for ``x = np.linspace(-1, 1, 11)``, ``X = x.reshape(-1, 1)``, ``y = 2*x + 1``,
    ``train_linear_backprop(X, y, lr=0.5, epochs=200)`` gives ``W ≈ [[2.]]``, ``b ≈ [1.]``
    and ``losses[0] == mean(y**2) == 2.6`` (the loss at ``W = 0``, ``b = 0``).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def snack_purchase_torch(price: float = 1000.0, count: float = 3.0, tax: float = 1.1) -> dict:
    """The snack example with PyTorch autograd (자동 미분).

    Make ``price``, ``count`` and ``tax`` float64 tensors with ``requires_grad=True``,
    compute ``total = price * count * tax``, call ``total.backward()`` once and read the
    gradients from ``.grad``. Keep the calculation inside autograd: a ``.item()``, a
    NumPy round trip or ``torch.tensor(...)`` of an intermediate result cuts the graph.

    Returns the same dict as ``snack_purchase`` (keys ``total``, ``d_price``,
    ``d_count``, ``d_tax``) with Python floats: ``3300, 3.3, 1100, 3000`` by default.
    """
    # YOUR CODE HERE
    raise NotImplementedError()
