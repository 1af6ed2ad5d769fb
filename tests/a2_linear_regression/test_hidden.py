"""Hidden tests of a2_linear_regression: random data from fixed seeds, several shapes and
dtypes, gradients against numerical differentiation and torch autograd, and the fitting
functions' iterates after a few epochs. Expected values come from the reference solution.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograder.testing import (
    Mistake,
    check_exact_shape,
    check_gradient,
    check_value,
    described,
    fail,
    fit_result,
    rescaled_lr,
    unchanged,
)
from solutions.a1_losses.losses import mse as ref_mse
from solutions.a2_linear_regression import linear_regression as ref

from .mistakes import MISTAKES

# CS231n: a relative error below 1e-7 (of max(|a|, |n|)) means the gradient is right; in
# rel_error's |a| + |n| (at most twice as large) that is 5e-8
REL_ERROR_BOUND = 5e-8
H = 1e-5                # step of the central differences


def _convert(a: np.ndarray, kind: str):
    if kind == "float32":
        return a.astype(np.float32)
    if kind == "list":
        return a.tolist()
    if kind == "int":
        return np.rint(a).astype(np.int64)
    return a


def _line(n: int, seed: int, kind: str = "float64"):
    """1-D data near y = 1.5 x + 0.5; ints for kind "int"."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.5, size=n)
    y = 1.5 * x + 0.5 + rng.normal(0.0, 0.3, size=n)
    if kind == "int":
        x = rng.integers(-3, 4, size=n).astype(np.float64)
        y = 2 * x + rng.integers(-1, 2, size=n)
    return _convert(x, kind), _convert(y, kind)


def _plane(n: int, d: int | None, seed: int, kind: str = "float64"):
    """X of shape (n, d) (or (n,) for d=None) and y near a linear function with intercept."""
    rng = np.random.default_rng(seed)
    if kind == "int":
        X = rng.integers(-3, 4, size=(n, d or 1)).astype(np.float64)
    else:
        X = rng.normal(0.0, 1.0, size=(n, d or 1))
    y = 0.7 + X @ rng.normal(0.0, 2.0, size=d or 1) + rng.normal(0.0, 0.2, size=n)
    if kind == "int":
        y = np.rint(y)
    if d is None:
        X = X[:, 0]
    return _convert(X, kind), _convert(y, kind)


def _rtol(kind: str) -> float:
    return 1e-5 if kind == "float32" else 1e-6


# --- predict --------------------------------------------------------------------------


@pytest.mark.grades("predict")
@pytest.mark.parametrize("kind, with_b", [("float64", True), ("float32", True), ("int", True),
                                          ("float64", False)])
def test_predict_matches_w_x_plus_b_on_random_inputs(sub, kind, with_b):
    x, _ = _line(7, 31, kind)
    w, b = -1.25, 0.75
    got = sub.predict(x, w, b) if with_b else sub.predict(x, w)
    expected = ref.predict(x, w, b) if with_b else ref.predict(x, w)
    check_value(got, expected, rtol=_rtol(kind))


@pytest.mark.grades("predict")
def test_predict_accepts_a_list(sub):
    # lists (and a 1-D X) are conventions, not the lesson: their own small test
    test_predict_matches_w_x_plus_b_on_random_inputs(sub, "list", True)


# --- mse_grad_w -----------------------------------------------------------------------


@pytest.mark.grades("mse_grad_w")
@pytest.mark.parametrize("kind, n, w", [("float64", 8, 0.2), ("float32", 5, 3.0), ("int", 6, -1.0),
                                        ("float64", 1, 0.1)])
def test_mse_grad_w_matches_reference_on_random_data(sub, kind, n, w):
    x, y = _line(n, 32 + n, kind)
    check_value(sub.mse_grad_w(x, y, w), ref.mse_grad_w(x, y, w), args=(x, y, w),
                mistakes=MISTAKES["mse_grad_w"], rtol=_rtol(kind))


@pytest.mark.grades("mse_grad_w")
def test_mse_grad_w_accepts_lists(sub):
    # lists (and a 1-D X) are conventions, not the lesson: their own small test
    test_mse_grad_w_matches_reference_on_random_data(sub, "list", 9, 0.5)


@pytest.mark.grades("mse_grad_w")
@pytest.mark.parametrize("n, w", [(10, -0.5), (4, 4.0)])
def test_mse_grad_w_agrees_with_central_difference_gradient(sub, n, w):
    x, y = _line(n, 40 + n)
    numeric = (ref_mse((w + H) * x, y) - ref_mse((w - H) * x, y)) / (2 * H)
    check_gradient(sub.mse_grad_w(x, y, w), numeric, args=(x, y, w),
                   mistakes=MISTAKES["mse_grad_w"], bound=REL_ERROR_BOUND, floor=1e-12)


@pytest.mark.grades("mse_grad_w")
def test_mse_grad_w_agrees_with_torch_autograd(sub):
    x, y = _line(12, 43)
    w = torch.tensor(-0.8, dtype=torch.float64, requires_grad=True)
    torch.mean((w * torch.from_numpy(x) - torch.from_numpy(y)) ** 2).backward()
    assert w.grad is not None
    check_value(sub.mse_grad_w(x, y, -0.8), w.grad.item(),
                args=(x, y, -0.8), mistakes=MISTAKES["mse_grad_w"])


# --- gd_step --------------------------------------------------------------------------


@pytest.mark.grades("gd_step")
@pytest.mark.parametrize("shape, lr", [((), 0.3), ((4,), 0.05), ((2, 3), 0.5), ("int", 0.5)])
def test_gd_step_matches_w_minus_lr_times_grad(sub, shape, lr):
    rng = np.random.default_rng(51)
    w: float | np.ndarray
    grad: float | np.ndarray
    if shape == "int":
        w, grad = 3, -2
    elif shape == ():
        w, grad = float(rng.normal()), float(rng.normal())
    else:
        w, grad = rng.normal(size=shape), rng.normal(size=shape)
    check_value(sub.gd_step(w, grad, lr), ref.gd_step(w, grad, lr),
                args=(w, grad, lr), mistakes=MISTAKES["gd_step"])


@pytest.mark.grades("gd_step")
def test_gd_step_does_not_modify_w_in_place(sub):
    w, grad = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0])
    got = sub.gd_step(w.copy(), grad.copy(), 0.1)
    unchanged(hint="gd-in-place")
    check_value(got, np.array([0.95, 2.1, 2.8]), args=(w, grad, 0.1), mistakes=MISTAKES["gd_step"])


# --- fit_gd ---------------------------------------------------------------------------

FIT_GD_W = [Mistake("gd-ascent", lambda x, y, lr, epochs, w0: ref.fit_gd(x, y, -lr, epochs, w0)[0]),
            *rescaled_lr(ref.fit_gd, 0)]
FIT_GD_LOSSES = [Mistake("losses-after-update",
                         lambda x, y, lr, epochs, w0: ref.fit_gd(x, y, lr, epochs + 1, w0)[1][1:]),
                 *rescaled_lr(ref.fit_gd, 1)]


def _check_fit_gd(sub, x, y, lr, epochs, w0, kind="float64"):
    w, losses = fit_result(sub.fit_gd(x, y, lr=lr, epochs=epochs, w0=w0), epochs)
    ref_w, ref_losses = ref.fit_gd(x, y, lr, epochs, w0)
    args = (x, y, lr, epochs, w0)
    check_value(w, ref_w, part="w", args=args, mistakes=FIT_GD_W, rtol=_rtol(kind))
    check_value(losses, ref_losses, part="losses", args=args,
                mistakes=FIT_GD_LOSSES, rtol=_rtol(kind))


@pytest.mark.grades("fit_gd")
@pytest.mark.parametrize("epochs, kind", [(1, "float64"), (2, "float64"), (5, "float32"),
                                          (5, "int")])
def test_fit_gd_iterates_match_reference_after_1_2_5_epochs(sub, epochs, kind):
    x, y = _line(10, 60 + epochs, kind)
    _check_fit_gd(sub, x, y, 0.05, epochs, 0.0, kind)


@pytest.mark.grades("fit_gd")
def test_fit_gd_accepts_lists(sub):
    # lists (and a 1-D X) are conventions, not the lesson: their own small test
    test_fit_gd_iterates_match_reference_after_1_2_5_epochs(sub, 2, "list")


@pytest.mark.grades("fit_gd")
def test_fit_gd_starts_from_w0(sub):
    x, y = _line(6, 66)
    _check_fit_gd(sub, x, y, 0.1, 2, 3.0)


@pytest.mark.grades("fit_gd")
def test_fit_gd_converges_to_least_squares_weight(sub):
    x, y = _line(8, 67)
    w, _ = fit_result(sub.fit_gd(x, y, lr=0.1, epochs=300), 300)
    check_value(w, float(x @ y / (x @ x)), part="w (least squares: sum(x y) / sum(x²))",
                args=(x, y, 0.1, 300, 0.0), mistakes=FIT_GD_W)


# --- add_bias -------------------------------------------------------------------------


@pytest.mark.grades("add_bias")
@pytest.mark.parametrize("d, kind", [(3, "float64"), (2, "int"), (1, "float64"), (2, "float32")])
def test_add_bias_matches_reference_for_2d_int_and_float32_inputs(sub, d, kind):
    X, _ = _plane(5, d, 70, kind)
    check_value(sub.add_bias(X), ref.add_bias(X),
                args=(X,), mistakes=MISTAKES["add_bias"])


@pytest.mark.grades("add_bias")
@pytest.mark.parametrize("d, kind", [(None, "float64"), (1, "list")])
def test_add_bias_accepts_1d_x_and_lists(sub, d, kind):
    # lists (and a 1-D X) are conventions, not the lesson: their own small test
    test_add_bias_matches_reference_for_2d_int_and_float32_inputs(sub, d, kind)


# --- mse_grad -------------------------------------------------------------------------


def _mse_grad_case(n: int, d: int, seed: int, kind: str = "float64"):
    X, y = _plane(n, d, seed, kind)
    Xb = _convert(ref.add_bias(X), kind)
    w = np.random.default_rng(seed + 1).normal(0.0, 1.0, size=d + 1)
    return Xb, y, w


@pytest.mark.grades("mse_grad")
@pytest.mark.parametrize("n, d, kind", [(10, 1, "float64"), (7, 3, "float64"), (12, 2, "int"),
                                        (6, 2, "float32")])
def test_mse_grad_matches_reference_on_random_data(sub, n, d, kind):
    Xb, y, w = _mse_grad_case(n, d, 80 + n, kind)
    check_value(sub.mse_grad(Xb, y, w), ref.mse_grad(Xb, y, w), args=(Xb, y, w),
                mistakes=MISTAKES["mse_grad"], rtol=_rtol(kind))


@pytest.mark.grades("mse_grad")
def test_mse_grad_accepts_lists(sub):
    # lists (and a 1-D X) are conventions, not the lesson: their own small test
    test_mse_grad_matches_reference_on_random_data(sub, 7, 3, "list")


@pytest.mark.grades("mse_grad")
@pytest.mark.parametrize("n, d", [(9, 2), (15, 4)])
def test_mse_grad_agrees_with_central_difference_gradient(sub, n, d):
    Xb, y, w = _mse_grad_case(n, d, 90 + n)
    numeric = np.zeros_like(w)
    for i in range(len(w)):
        step = np.zeros_like(w)
        step[i] = H
        numeric[i] = (ref_mse(Xb @ (w + step), y) - ref_mse(Xb @ (w - step), y)) / (2 * H)
    check_gradient(sub.mse_grad(Xb, y, w), numeric, args=(Xb, y, w),
                   mistakes=MISTAKES["mse_grad"], bound=REL_ERROR_BOUND, floor=1e-12)


@pytest.mark.grades("mse_grad")
def test_mse_grad_agrees_with_torch_autograd(sub):
    Xb, y, w = _mse_grad_case(11, 3, 95)
    wt = torch.tensor(w, requires_grad=True)
    torch.mean((torch.from_numpy(Xb) @ wt - torch.from_numpy(y)) ** 2).backward()
    assert wt.grad is not None
    check_value(sub.mse_grad(Xb, y, w), wt.grad.numpy(),
                args=(Xb, y, w), mistakes=MISTAKES["mse_grad"])


# --- fit_multivariate_gd --------------------------------------------------------------


def _gd_without_bias(X, y, lr, epochs):
    X2 = np.asarray(X, dtype=np.float64).reshape(len(X), -1)
    w = np.zeros(X2.shape[1])
    for _ in range(epochs):
        w = w - lr * ref.mse_grad(X2, y, w)
    return w


FIT_MV_W = [
    Mistake("gd-ascent", lambda X, y, lr, epochs: ref.fit_multivariate_gd(X, y, -lr, epochs)[0]),
    Mistake("no-bias", lambda X, y, lr, epochs:
            np.roll(ref.fit_multivariate_gd(X, y, lr, epochs)[0], -1)),
    Mistake("no-bias", _gd_without_bias),
    *rescaled_lr(ref.fit_multivariate_gd, 0),
]
FIT_MV_LOSSES = [Mistake("losses-after-update", lambda X, y, lr, epochs:
                         ref.fit_multivariate_gd(X, y, lr, epochs + 1)[1][1:]),
                 *rescaled_lr(ref.fit_multivariate_gd, 1)]

# (epochs, d, kind): d=None is a 1-D X
FIT_CASES = [(1, 1, "float64"), (2, 3, "float64"), (5, 3, "float64"), (2, 2, "int"),
             (5, 2, "float32")]
FIT_IDS = [f"{e}epochs-d{d}-{k}" for e, d, k in FIT_CASES]
# a 1-D X (one feature) and lists: conventions, each function's own small test
FIT_CONVENTIONS = [(5, None, "float64"), (5, 3, "list")]
FIT_CONVENTION_IDS = ["1d-x", "lists"]


@pytest.mark.grades("fit_multivariate_gd")
@pytest.mark.parametrize("epochs, d, kind", FIT_CASES, ids=FIT_IDS)
def test_fit_multivariate_gd_iterates_match_reference_after_1_2_5_epochs(sub, epochs, d, kind):
    X, y = _plane(12, d, 100 + epochs, kind)
    lr = 0.05
    w, losses = fit_result(sub.fit_multivariate_gd(X, y, lr=lr, epochs=epochs), epochs)
    ref_w, ref_losses = ref.fit_multivariate_gd(X, y, lr, epochs)
    args = (X, y, lr, epochs)
    check_value(w, ref_w, part="w", args=args, mistakes=FIT_MV_W, rtol=_rtol(kind))
    check_value(losses, ref_losses, part="losses", args=args, mistakes=FIT_MV_LOSSES,
                rtol=_rtol(kind))


@pytest.mark.grades("fit_multivariate_gd")
@pytest.mark.parametrize("epochs, d, kind", FIT_CONVENTIONS, ids=FIT_CONVENTION_IDS)
def test_fit_multivariate_gd_accepts_1d_x_and_lists(sub, epochs, d, kind):
    test_fit_multivariate_gd_iterates_match_reference_after_1_2_5_epochs(sub, epochs, d, kind)


@pytest.mark.grades("fit_multivariate_gd")
def test_fit_multivariate_gd_converges_to_normal_equation_solution(sub):
    X, y = _plane(20, 2, 110)
    w, _ = fit_result(sub.fit_multivariate_gd(X, y, lr=0.2, epochs=500), 500)
    check_value(w, ref.normal_equation(X, y), part="w",
                args=(X, y, 0.2, 500), mistakes=FIT_MV_W, rtol=1e-5)


# --- fit_sgd --------------------------------------------------------------------------


def _sgd_run(X, y, lr, epochs, batch_size, seed, *, shuffled=True, factor=lambda m: 1.0,
             batch_loss=None):
    """fit_sgd as a mistaken code runs it: the batches in row order (`shuffled=False`), the
    mean gradient times `factor(batch size)`, or the loss of the first or last batch recorded
    (`batch_loss`) instead of the whole set's."""
    Xb, y = ref.add_bias(X), np.asarray(y, dtype=np.float64)
    n = len(y)
    w, rng, losses = np.zeros(Xb.shape[1]), np.random.default_rng(seed), []
    for _ in range(epochs):
        order = rng.permutation(n) if shuffled else np.arange(n)
        batches = [order[start:start + batch_size] for start in range(0, n, batch_size)]
        if batch_loss is None:
            losses.append(ref_mse(Xb @ w, y))
        for k, idx in enumerate(batches):
            if k == {"first": 0, "last": len(batches) - 1}.get(batch_loss):
                losses.append(ref_mse(Xb[idx] @ w, y[idx]))
            w = w - lr * factor(len(idx)) * ref.mse_grad(Xb[idx], y[idx], w)
    return w, losses


FIT_SGD_W = [
    Mistake("sgd-not-shuffled", lambda *a: _sgd_run(*a, shuffled=False)[0]),
    Mistake("grad-no-2", lambda *a: _sgd_run(*a, factor=lambda m: 0.5)[0]),
    Mistake("grad-no-mean", lambda *a: _sgd_run(*a, factor=lambda m: float(m))[0]),
]
FIT_SGD_LOSSES = [
    Mistake("losses-after-update", lambda X, y, lr, epochs, batch_size, seed:
            ref.fit_sgd(X, y, lr, epochs + 1, batch_size, seed)[1][1:]),
    Mistake("sgd-batch-loss", lambda *a: _sgd_run(*a, batch_loss="first")[1]),
    Mistake("sgd-batch-loss", lambda *a: _sgd_run(*a, batch_loss="last")[1]),
]


def _fit_sgd(sub, X, y, lr, epochs, batch_size, seed):
    """The student's (w, losses); a loss per batch instead of per epoch names sgd-batch-loss."""
    got = sub.fit_sgd(X, y, lr=lr, epochs=epochs, batch_size=batch_size, seed=seed)
    batches = -(-len(y) // batch_size)
    if isinstance(got, (tuple, list)) and len(got) == 2 and batches > 1 \
            and np.ndim(got[1]) == 1 and len(got[1]) == epochs * batches:
        fail(f"{described()} returned {len(got[1])} losses, one per mini-batch; expected {epochs}, the "
             "loss of the whole training set once per epoch.", "sgd-batch-loss")
    return fit_result(got, epochs)


# (epochs, batch_size, d, kind) on 12 rows; batch_size 5 leaves a last batch of 2 rows
SGD_CASES = [(1, 1, 2, "float64"), (2, 4, 3, "float64"), (5, 5, 1, "list"),
             (5, 1, None, "float64"), (2, 3, 2, "int"), (5, 4, 2, "float32")]
SGD_IDS = [f"{e}epochs-batch{b}-d{d}-{k}" for e, b, d, k in SGD_CASES]


@pytest.mark.grades("fit_sgd")
@pytest.mark.parametrize("epochs, batch_size, d, kind", SGD_CASES, ids=SGD_IDS)
def test_fit_sgd_iterates_match_reference_after_1_2_5_epochs(sub, epochs, batch_size, d, kind):
    X, y = _plane(12, d, 150 + epochs + batch_size, kind)
    lr, seed = 0.05, 7 * epochs + batch_size
    w, _ = _fit_sgd(sub, X, y, lr, epochs, batch_size, seed)
    check_value(w, ref.fit_sgd(X, y, lr, epochs, batch_size, seed)[0], part="w",
                args=(X, y, lr, epochs, batch_size, seed), mistakes=FIT_SGD_W, rtol=_rtol(kind))


@pytest.mark.grades("fit_sgd")
@pytest.mark.parametrize("epochs, batch_size", [(1, 1), (1, 4), (3, 5), (3, 2)])
def test_fit_sgd_records_whole_set_loss_before_each_epoch(sub, epochs, batch_size):
    X, y = _plane(10, 2, 160 + batch_size)
    lr, seed = 0.05, 11 + batch_size
    _, losses = _fit_sgd(sub, X, y, lr, epochs, batch_size, seed)
    check_value(losses, ref.fit_sgd(X, y, lr, epochs, batch_size, seed)[1],
                part="losses", args=(X, y, lr, epochs, batch_size, seed),
                mistakes=FIT_SGD_LOSSES)


@pytest.mark.grades("fit_sgd")
@pytest.mark.parametrize("batch_size, seed", [(12, 3), (40, None)])
def test_fit_sgd_with_batch_size_at_least_n_follows_fit_multivariate_gd(sub, batch_size, seed):
    X, y = _plane(12, 3, 170)
    lr, epochs = 0.05, 5
    w, losses = _fit_sgd(sub, X, y, lr, epochs, batch_size, seed)
    ref_w, ref_losses = ref.fit_multivariate_gd(X, y, lr, epochs)
    args = (X, y, lr, epochs, batch_size, seed)
    check_value(w, ref_w, part="w", args=args,
                mistakes=FIT_SGD_W)
    check_value(losses, ref_losses, part="losses", args=args, mistakes=FIT_SGD_LOSSES)


# --- normal_equation ------------------------------------------------------------------

NORMAL_EQ = [
    Mistake("no-bias", lambda X, y: np.roll(ref.normal_equation(X, y), -1)),
    Mistake("no-bias", lambda X, y: np.linalg.lstsq(
        np.asarray(X, dtype=np.float64).reshape(len(X), -1), np.asarray(y, dtype=np.float64))[0]),
]


@pytest.mark.grades("normal_equation")
@pytest.mark.parametrize("n, d, kind", [
    (30, 1, "float64"), (30, 3, "float64"), (20, 2, "int"),
])
def test_normal_equation_matches_reference_on_random_data(sub, n, d, kind):
    X, y = _plane(n, d, 120 + n, kind)
    check_value(sub.normal_equation(X, y), ref.normal_equation(X, y), args=(X, y),
                mistakes=NORMAL_EQ)


@pytest.mark.grades("normal_equation")
@pytest.mark.parametrize("n, d, kind", [(25, None, "float64"), (15, 2, "list")],
                         ids=FIT_CONVENTION_IDS)
def test_normal_equation_accepts_1d_x_and_lists(sub, n, d, kind):
    # lists (and a 1-D X) are conventions, not the lesson: their own small test
    test_normal_equation_matches_reference_on_random_data(sub, n, d, kind)


# --- fit_torch ------------------------------------------------------------------------


@pytest.mark.grades("fit_torch")
@pytest.mark.parametrize("epochs, d, kind", FIT_CASES, ids=FIT_IDS)
def test_fit_torch_iterates_match_fit_multivariate_gd_after_1_2_5_epochs(sub, epochs, d, kind):
    X, y = _plane(12, d, 130 + epochs, kind)
    lr = 0.05
    check_value(sub.fit_torch(X, y, lr=lr, epochs=epochs),
                ref.fit_multivariate_gd(X, y, lr, epochs)[0], rtol=_rtol(kind))


@pytest.mark.grades("fit_torch")
@pytest.mark.parametrize("epochs, d, kind", FIT_CONVENTIONS, ids=FIT_CONVENTION_IDS)
def test_fit_torch_accepts_1d_x_and_lists(sub, epochs, d, kind):
    test_fit_torch_iterates_match_fit_multivariate_gd_after_1_2_5_epochs(sub, epochs, d, kind)


@pytest.mark.grades("fit_torch")
def test_fit_torch_trains_in_float64(sub):
    X, y = _plane(15, 2, 140)
    X = X + 10.0  # an offset that float32 rounds visibly (lr small enough for it)
    check_value(sub.fit_torch(X, y, lr=0.002, epochs=20),
                ref.fit_multivariate_gd(X, y, 0.002, 20)[0], rtol=1e-10, atol=1e-12)


# -- exact shapes: one test per function; extra size-1 axes cost only this (shape-extra-axis) --


@pytest.mark.grades("predict")
def test_predict_returns_shape_n(sub):
    x = np.array([0.5, -1.0, 2.0, 3.0])
    check_exact_shape(sub.predict(x, 1.5, 0.25), ref.predict(x, 1.5, 0.25))


@pytest.mark.grades("gd_step")
def test_gd_step_returns_the_shape_of_w(sub):
    w, grad = np.array([1.0, -2.0, 0.5]), np.array([0.5, 1.0, -1.0])
    check_exact_shape(sub.gd_step(w, grad, 0.1), ref.gd_step(w, grad, 0.1))


@pytest.mark.grades("add_bias")
def test_add_bias_returns_shape_n_by_d_plus_1(sub):
    X, _ = _plane(4, 2, 150)
    check_exact_shape(sub.add_bias(X), ref.add_bias(X))


@pytest.mark.grades("mse_grad")
def test_mse_grad_returns_shape_d_plus_1(sub):
    Xb, y, w = _mse_grad_case(6, 2, 151)
    check_exact_shape(sub.mse_grad(Xb, y, w), ref.mse_grad(Xb, y, w))


@pytest.mark.grades("fit_multivariate_gd")
def test_fit_multivariate_gd_returns_w_of_shape_d_plus_1(sub):
    X, y = _plane(8, 2, 152)
    w, _ = fit_result(sub.fit_multivariate_gd(X, y, lr=0.05, epochs=3), 3)
    check_exact_shape(w, ref.fit_multivariate_gd(X, y, 0.05, 3)[0], part="w")


@pytest.mark.grades("normal_equation")
def test_normal_equation_returns_shape_d_plus_1(sub):
    X, y = _plane(10, 2, 153)
    check_exact_shape(sub.normal_equation(X, y), ref.normal_equation(X, y))


@pytest.mark.grades("fit_torch")
def test_fit_torch_returns_shape_d_plus_1(sub):
    X, y = _plane(8, 2, 154)
    check_exact_shape(sub.fit_torch(X, y, lr=0.05, epochs=3), ref.fit_multivariate_gd(X, y, 0.05, 3)[0])
