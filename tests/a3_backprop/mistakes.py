"""Known mistakes of a3_backprop: what the mistaken code returns, for the hints.

Keys are "<Class>.<what>" or a function name; every formula takes the arguments that the
test passes as `args=` to `check_value` (see each key's comment). Self-contained: NumPy only.
"""

from __future__ import annotations

import numpy as np

from autograder.testing import Mistake, described, fail


def _f(a):
    return np.asarray(a, dtype=np.float64)


def _pair(a, b):
    return np.stack([np.broadcast_to(_f(a), np.broadcast_shapes(np.shape(a), np.shape(b))),
                     np.broadcast_to(_f(b), np.broadcast_shapes(np.shape(a), np.shape(b)))])


def _linear_fit(X, y, lr, epochs, *, after: bool = False) -> list[float]:
    """Losses of full-batch gradient descent on the MSE of X @ W + b."""
    X = _f(X)
    y = _f(y).reshape(-1, 1)
    n = X.shape[0]
    W, b = np.zeros((X.shape[1], 1)), np.zeros(1)
    losses = []
    for _ in range(epochs):
        r = X @ W + b - y
        if not after:
            losses.append(float(np.mean(r**2)))
        dY = 2.0 * r / n
        W, b = W - lr * X.T @ dY, b - lr * dY.sum(axis=0)
        if after:
            losses.append(float(np.mean((X @ W + b - y) ** 2)))
    return losses


# The four inputs of a two-bit gate and the gates' outputs on them, in that order.
GATE_INPUTS = [[0, 0], [1, 0], [0, 1], [1, 1]]
TRUTH = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0], "XOR": [0, 1, 1, 0]}


def fires(x, w, theta) -> int:
    """The lecture's perceptron, run in the grader to judge weights: 1 when x @ w > θ."""
    return int(_f(x) @ _f(w) > theta)


def _fires_at_tie(x, w, theta):
    """What a perceptron with `>=` gives: 1 also when the weighted sum equals θ."""
    out = (_f(x) @ _f(w) >= theta).astype(np.int64)
    return int(out) if np.ndim(out) == 0 else out


def check_gate(got, name: str, perceptron, call: str | None = None) -> None:
    """`got` is a pair (w (2,), θ) with which `perceptron` computes the gate `name`; `call`
    by default the last call (named before `perceptron` makes its own)."""
    call = described(call)
    try:
        w, theta = got
        w, theta = _f(w), float(np.asarray(theta, dtype=np.float64).reshape(-1)[0])
    except (TypeError, ValueError, IndexError):
        fail(f"{call} returned {repr(got)[:200]}; expected a pair (w, theta).")
    if w.shape != (2,):
        fail(f"{call} returned weights of shape {w.shape}; expected 2 weights, one per input.")
    outputs = [perceptron(x, w, theta) for x in GATE_INPUTS]
    if outputs != TRUTH[name]:
        tie = (" A sum equal to θ gives 0 (≤ θ → 0)."
               if [_fires_at_tie(x, w, theta) for x in GATE_INPUTS] == TRUTH[name] else "")
        fail(f"with {call} = (w={np.round(w, 6).tolist()}, θ={theta:g}) the perceptron gives "
             f"{outputs} on the inputs (0, 0), (1, 0), (0, 1), (1, 1); {name} is "
             f"{TRUTH[name]}.{tie}")


MISTAKES: dict[str, list[Mistake]] = {
    # args: (x, w, theta)
    "perceptron": [Mistake("perceptron-ge-theta", _fires_at_tie)],
    # args: (dout,) -> the pair (dx, dy) stacked
    "AddNode.backward": [
        Mistake("no-upstream", lambda dout: np.ones((2,) + np.shape(dout))),
    ],
    # args: (x, y, dout) -> the pair (dx, dy) stacked
    "MulNode.backward": [
        Mistake("mul-swapped", lambda x, y, dout: _pair(_f(dout) * x, _f(dout) * y)),
        Mistake("no-upstream", lambda x, y, dout: _pair(_f(y) + 0 * _f(dout),
                                                        _f(x) + 0 * _f(dout))),
    ],
    # args: (X, W, dY)
    "LinearNode.dX": [
        Mistake("no-upstream", lambda X, W, dY: np.ones_like(_f(dY)) @ _f(W).T),
    ],
    "LinearNode.dW": [
        Mistake("linear-dw-transposed", lambda X, W, dY: _f(dY).T @ _f(X)),
        Mistake("linear-dw-transposed", lambda X, W, dY: _f(dY) @ _f(W).T),
        Mistake("no-upstream", lambda X, W, dY: _f(X).T @ np.ones_like(_f(dY))),
    ],
    "LinearNode.db": [
        Mistake("linear-db-not-summed", lambda X, W, dY: _f(dY)),
        Mistake("no-upstream", lambda X, W, dY: np.ones_like(_f(dY)).sum(axis=0)),
    ],
    # args: (y_pred, y_true)
    "MSELossNode.forward": [
        Mistake("mse-no-mean", lambda p, t: float(np.sum((_f(p) - _f(t)) ** 2))),
        Mistake("mse-half", lambda p, t: 0.5 * float(np.mean((_f(p) - _f(t)) ** 2))),
        Mistake("mse-half-sum", lambda p, t: 0.5 * float(np.sum((_f(p) - _f(t)) ** 2))),
    ],
    # args: (y_pred, y_true, dout)
    "MSELossNode.backward": [
        Mistake("mse-no-mean", lambda p, t, dout: dout * 2.0 * (_f(p) - _f(t))),
        Mistake("mse-half", lambda p, t, dout: dout * (_f(p) - _f(t)) / _f(p).size),
        Mistake("mse-half-sum", lambda p, t, dout: dout * (_f(p) - _f(t))),
    ],
    # args: (f, x, h) with f a local (trusted) callable
    "numerical_gradient": [
        Mistake("numgrad-forward", lambda f, x, h: np.array(
            [(f(_f(x).reshape(-1) + h * e) - f(_f(x).reshape(-1))) / h
             for e in np.eye(_f(x).size)]).reshape(np.shape(x))),
    ],
    # args: (X, y, lr, epochs) -> losses
    "train_linear_backprop.losses": [
        Mistake("losses-after-update",
                lambda X, y, lr, epochs: _linear_fit(X, y, lr, epochs, after=True)),
    ],
    # args: (X, y, lr, epochs) -> losses[0]
    "train_linear_backprop.loss0": [
        Mistake("losses-after-update",
                lambda X, y, lr, epochs: _linear_fit(X, y, lr, 1, after=True)[0]),
    ],
}


def cut_from_autograd(exc: Exception) -> bool:
    """Whether an error raised by a torch function says the graph was cut.

    ``backward()`` on a result without a graph ("does not require grad ... grad_fn"), or a
    leaf whose ``.grad`` stayed None because the graph to it was cut ("'NoneType' ...").
    """
    message = str(getattr(exc, "message", exc))
    return ("does not require grad" in message or "does not have a grad_fn" in message
            or (isinstance(exc, (AttributeError, TypeError)) and "NoneType" in message))
