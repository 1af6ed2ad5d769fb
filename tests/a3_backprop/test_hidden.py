"""Hidden tests of a3_backprop: random inputs from fixed seeds, edge cases, gradient checks.

Expected values come from the reference solution; every backward is also checked against
a central-difference numerical gradient of the reference forward (relative error, as in
CS231n) and against torch autograd.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograder.isolation.remote import StudentError
from autograder.testing import (
    Mistake,
    as_tuple,
    check_dict,
    check_exact_shape,
    check_value,
    described,
    expect_error,
    fail,
    fit_result,
    fn,
    gradcheck,
    rescaled_lr,
    unchanged,
)
from course.functions import build
from solutions.a3_backprop import backprop as ref

from .mistakes import GATE_INPUTS, MISTAKES, TRUTH, check_gate, cut_from_autograd

# -- AddNode, MulNode --------------------------------------------------------------------



# --- perceptron -----------------------------------------------------------------------


@pytest.mark.grades("perceptron")
@pytest.mark.parametrize("n, d, kind", [(1, 2, "1d"), (6, 2, "float64"), (9, 3, "float64"),
                                        (5, 1, "float64"), (7, 2, "int"), (4, 3, "1d")])
def test_perceptron_matches_reference_on_random_rows_and_batches(sub, n, d, kind):
    rng = np.random.default_rng(200 + n * d)
    X = rng.integers(-3, 4, size=(n, d)) if kind == "int" else rng.normal(size=(n, d))
    w, theta = rng.normal(size=d), float(rng.normal()) + 0.05  # no sum lands on θ exactly
    if kind == "1d":
        for x in X:
            check_value(sub.perceptron(x, w, theta), ref.perceptron(x, w, theta),
                        args=(x, w, theta), mistakes=MISTAKES["perceptron"])
        return
    check_value(sub.perceptron(X, w, theta), ref.perceptron(X, w, theta), args=(X, w, theta),
                mistakes=MISTAKES["perceptron"])


@pytest.mark.grades("perceptron")
def test_perceptron_ties_at_theta_give_0_for_rows_and_batches(sub):
    X = np.array([[1.0, 2.0], [2.0, 0.0], [3.0, 1.0], [0.0, 0.0]])
    w = np.array([1.0, 1.0])
    for theta in (3.0, 2.0, 0.0):
        check_value(sub.perceptron(X, w, theta), ref.perceptron(X, w, theta),
                    args=(X, w, theta), mistakes=MISTAKES["perceptron"])
    check_value(sub.perceptron([1, 2], [1, 1], 3), 0, args=([1, 2], [1, 1], 3),
                mistakes=MISTAKES["perceptron"])


# --- gate_weights ---------------------------------------------------------------------


@pytest.mark.grades("gate_weights")
def test_gate_weights_realize_all_three_gates_with_the_reference_perceptron(sub):
    for name in ("NAND", "AND", "OR"):
        check_gate(sub.gate_weights(name), name, ref.perceptron)


@pytest.mark.grades("gate_weights")
@pytest.mark.parametrize("name", ["XOR", "NOR", ""])
def test_gate_weights_rejects_unknown_gate_names(sub, name):
    check_gate(sub.gate_weights("NAND"), "NAND", ref.perceptron)
    expect_error(ValueError, sub.gate_weights, name)


# --- train_perceptron -----------------------------------------------------------------


def _train_run(X, y, lr, epochs, theta_step=-1.0):
    """train_perceptron as the mistaken code runs it: θ moves by `theta_step * update`."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w, theta, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        updates = 0
        for x_i, y_i in zip(X, y, strict=True):
            update = lr * (y_i - ref.perceptron(x_i, w, theta))
            if update:
                w, theta, updates = w + update * x_i, theta + theta_step * update, updates + 1
        errors.append(updates)
    return w, theta, errors


THETA_SIGN = {part: [Mistake("perceptron-theta-sign",
                             lambda X, y, lr, epochs, k=k: _train_run(X, y, lr, epochs, 1.0)[k])]
              for k, part in enumerate(("w", "theta", "errors"))}


def _train(sub, X, y, lr, epochs):
    return fit_result(sub.train_perceptron(X, y, lr=lr, epochs=epochs), epochs,
                      parts=("w", "theta", "errors"))


@pytest.mark.grades("train_perceptron")
def test_train_perceptron_reaches_0_errors_on_and_or_nand_never_on_xor(sub):
    for name in ("AND", "OR", "NAND"):
        w, theta, errors = _train(sub, GATE_INPUTS, TRUTH[name], 0.1, 20)
        if errors[0] == 0 or errors[-1] != 0:
            fail(f"{described()} returned errors {list(errors)}; {name} is linearly separable, so "
                 "the errors must start above 0 (w = 0 is wrong) and reach 0.")
        check_gate((w, theta), name, ref.perceptron, call=described(part="(w, theta)"))
    _, _, errors = _train(sub, GATE_INPUTS, TRUTH["XOR"], 0.1, 30)
    if min(errors) == 0:
        fail(f"{described()} returned errors {list(errors)}; XOR is not linearly separable (선형 분리 "
             "불가능): one perceptron always misclassifies a row, so no epoch has 0 errors.")


@pytest.mark.grades("train_perceptron")
@pytest.mark.parametrize("epochs, n, d, lr", [(1, 8, 2, 0.1), (2, 10, 3, 0.25), (5, 12, 2, 0.1),
                                              (5, 6, 4, 0.5)])
def test_train_perceptron_iterates_match_reference_after_1_2_5_epochs(sub, epochs, n, d, lr):
    rng = np.random.default_rng(210 + epochs + n)
    X = rng.normal(size=(n, d))
    y = (X @ rng.normal(size=d) > 0.2).astype(np.int64)
    w, theta, errors = _train(sub, X, y, lr, epochs)
    ref_w, ref_theta, ref_errors = ref.train_perceptron(X, y, lr, epochs)
    args = (X, y, lr, epochs)
    check_value(errors, ref_errors, part="errors", args=args, mistakes=THETA_SIGN["errors"])
    check_value(w, ref_w, part="w", args=args, mistakes=THETA_SIGN["w"])
    check_value(theta, ref_theta, part="theta", args=args, mistakes=THETA_SIGN["theta"])


@pytest.mark.grades("AddNode")
def test_add_node_random_arrays_gradcheck(sub):
    rng = np.random.default_rng(301)
    for shape in [(), (4,), (2, 3)]:
        x, y, dout = (rng.normal(size=shape) for _ in range(3))
        node = sub.AddNode()
        check_value(node.forward(x, y), x + y)
        got = as_tuple(node.backward(dout), 2)
        check_value(got, [dout, dout], args=(dout,), mistakes=MISTAKES["AddNode.backward"])
        gradcheck(got, lambda a, b: a + b, lambda a, b: a + b, [x, y], dout)


@pytest.mark.grades("MulNode")
def test_mul_node_random_arrays_gradcheck(sub):
    rng = np.random.default_rng(302)
    for shape in [(), (5,), (3, 2)]:
        x, y = rng.uniform(-3, 3, size=shape), rng.uniform(4, 6, size=shape)  # x != y
        dout = rng.uniform(1.5, 2.5, size=shape)  # != 1, so no-upstream shows
        node = sub.MulNode()
        check_value(node.forward(x, y), x * y)
        got = as_tuple(node.backward(dout), 2)
        check_value(got, [dout * y, dout * x], part="the pair (dx, dy)", args=(x, y, dout),
                    mistakes=MISTAKES["MulNode.backward"])
        gradcheck(got, lambda a, b: a * b, lambda a, b: a * b, [x, y], dout)


@pytest.mark.grades("MulNode")
def test_mul_node_scalar_upstream_with_arrays_and_ints(sub):
    node = sub.MulNode()
    x, y = np.array([1, 2, 3]), np.array([4, 5, 6])
    check_value(node.forward(x, y), [4, 10, 18])
    unchanged()
    got = as_tuple(node.backward(2.0), 2)
    check_value(got, [[8.0, 10.0, 12.0], [2.0, 4.0, 6.0]],
                call="MulNode.backward(2.0) after forward([1, 2, 3], [4, 5, 6])",
                args=(x, y, 2.0), mistakes=MISTAKES["MulNode.backward"])


# -- the purchase graphs --------------------------------------------------------------------


@pytest.mark.grades("snack_purchase")
def test_snack_purchase_random_prices(sub):
    rng = np.random.default_rng(303)
    cases = [(500, 7, 1.08), (2.5, 4.0, 1.0)]
    cases += [(float(rng.uniform(10, 5000)), int(rng.integers(1, 20)), float(rng.uniform(1, 1.3)))
              for _ in range(2)]
    for price, count, tax in cases:
        check_dict(sub.snack_purchase(price, count, tax), ref.snack_purchase(price, count, tax))
    check_dict(sub.snack_purchase(price=200, tax=1.2), ref.snack_purchase(200, 3, 1.2))


@pytest.mark.grades("two_item_purchase")
def test_two_item_purchase_random_prices(sub):
    rng = np.random.default_rng(304)
    cases: list[tuple[float, ...]] = [(1000, 1, 1000, 1, 1.1), (3.0, 2.0, 0.5, 10.0, 1.25)]
    cases += [tuple(float(v) for v in (rng.uniform(10, 900), rng.integers(1, 9),
                                       rng.uniform(10, 900), rng.integers(1, 9),
                                       rng.uniform(1, 1.3))) for _ in range(2)]
    for args in cases:
        check_dict(sub.two_item_purchase(*args), ref.two_item_purchase(*args))


@pytest.mark.grades("snack_purchase_torch")
def test_snack_purchase_torch_random_prices_keep_the_graph(sub):
    rng = np.random.default_rng(305)
    cases = [(200.0, 5.0, 1.2)] + [(float(rng.uniform(10, 5000)), float(rng.integers(1, 20)),
                                    float(rng.uniform(1, 1.3))) for _ in range(2)]
    for price, count, tax in cases:
        try:
            got = sub.snack_purchase_torch(price, count, tax)
        except StudentError as exc:
            if cut_from_autograd(exc):
                fail(f"{described()} raised {exc.type_name}: {exc.message}", hint="not-differentiable")
            raise
        expected = ref.snack_purchase_torch(price, count, tax)
        if isinstance(got, dict) and all(k in got for k in expected):
            grads = [got[k] for k in ("d_price", "d_count", "d_tax")]
            if all(g is None or (isinstance(g, (int, float)) and g == 0) for g in grads):
                fail(f"{described()} returned no gradients ({grads}): the graph was cut.",
                     hint="not-differentiable")
        check_dict(got, expected)


# -- LinearNode -----------------------------------------------------------------------------

# (n, m, k); the square case first, so that a transposed dW has W's shape and shows
LINEAR_SHAPES = [(3, 3, 3), (1, 4, 2), (5, 2, 1), (4, 3, 2)]


@pytest.mark.grades("LinearNode")
def test_linear_node_forward_random_shapes_and_dtypes(sub):
    rng = np.random.default_rng(306)
    X: np.ndarray
    W: np.ndarray
    b: np.ndarray
    for n, m, k in LINEAR_SHAPES:
        X, W, b = rng.normal(size=(n, m)), rng.normal(size=(m, k)), rng.normal(size=k)
        check_value(sub.LinearNode().forward(X, W, b), X @ W + b)
        unchanged()
    X, W, b = rng.integers(-5, 5, size=(3, 2)), rng.integers(-5, 5, size=(2, 4)), np.arange(4)
    check_value(sub.LinearNode().forward(X, W, b), X @ W + b)


@pytest.mark.grades("LinearNode")
def test_linear_node_backward_gradcheck(sub):
    rng = np.random.default_rng(307)
    for n, m, k in LINEAR_SHAPES:
        X, W, b = rng.normal(size=(n, m)), rng.normal(size=(m, k)), rng.normal(size=k)
        dY = rng.normal(size=(n, k))
        node = sub.LinearNode()
        node.forward(X, W, b)
        dX, dW, db = as_tuple(node.backward(dY), 3)
        unchanged()
        check_value(dX, dY @ W.T, part="dX", args=(X, W, dY), mistakes=MISTAKES["LinearNode.dX"])
        check_value(dW, X.T @ dY, part="dW", args=(X, W, dY), mistakes=MISTAKES["LinearNode.dW"])
        check_value(db, dY.sum(axis=0), part="db", args=(X, W, dY),
                    mistakes=MISTAKES["LinearNode.db"])

        def forward_np(X_, W_, b_):
            return ref.LinearNode().forward(X_, W_, b_)

        gradcheck([dX, dW, db], forward_np, lambda X_, W_, b_: X_ @ W_ + b_, [X, W, b], dY)


@pytest.mark.grades("LinearNode")
def test_linear_node_single_row_batch(sub):
    X, W, b = np.array([[2.0, -1.0]]), np.array([[1.0, 3.0, 0.5], [2.0, -1.0, 1.0]]), np.zeros(3)
    dY = np.array([[1.0, 2.0, -1.0]])
    node = sub.LinearNode()
    check_value(node.forward(X, W, b), [[0.0, 7.0, 0.0]])
    dX, dW, db = as_tuple(node.backward(dY), 3)
    check_value(dX, dY @ W.T, part="dX", args=(X, W, dY), mistakes=MISTAKES["LinearNode.dX"])
    check_value(dW, X.T @ dY, part="dW", args=(X, W, dY), mistakes=MISTAKES["LinearNode.dW"])
    check_value(db, [1.0, 2.0, -1.0], part="db (shape (3,))", args=(X, W, dY),
                mistakes=MISTAKES["LinearNode.db"])


# -- MSELossNode ----------------------------------------------------------------------------


@pytest.mark.grades("MSELossNode")
def test_mse_loss_node_random_shapes_and_dtypes(sub):
    rng = np.random.default_rng(308)
    cases = [(rng.normal(size=6), rng.normal(size=6)),
             (rng.normal(size=(4, 1)), rng.normal(size=(4, 1))),
             (rng.normal(size=(2, 3)).astype(np.float32), rng.normal(size=(2, 3))),
             (rng.integers(-9, 9, size=5), rng.integers(-9, 9, size=5)),
             ([3.5], [1.0])]
    for y_pred, y_true in cases:
        rtol = 1e-5 if np.asarray(y_pred).dtype == np.float32 else 1e-6
        node = sub.MSELossNode()
        check_value(node.forward(y_pred, y_true), ref.MSELossNode().forward(y_pred, y_true),
                    rtol=rtol, args=(y_pred, y_true), mistakes=MISTAKES["MSELossNode.forward"])
        unchanged()


@pytest.mark.grades("MSELossNode")
def test_mse_loss_node_backward_gradcheck(sub):
    rng = np.random.default_rng(309)
    for shape, dout in [((5,), None), ((3, 1), 0.5), ((2, 3), 2.0), ((1,), None)]:
        y_pred, y_true = rng.normal(size=shape), rng.normal(size=shape)
        node = sub.MSELossNode()
        node.forward(y_pred, y_true)
        got = node.backward() if dout is None else node.backward(dout)
        d = 1.0 if dout is None else dout
        ref_node = ref.MSELossNode()
        ref_node.forward(y_pred, y_true)
        check_value(got, ref_node.backward(d), args=(y_pred, y_true, d),
                    mistakes=MISTAKES["MSELossNode.backward"])
        gradcheck([got], lambda p, t=y_true: ref.MSELossNode().forward(p, t),
                  lambda p, t=y_true: ((p - torch.as_tensor(t)) ** 2).mean(), [y_pred], d)


# -- numerical_gradient ---------------------------------------------------------------------


def _numgrad_cases():
    rng = np.random.default_rng(310)
    A = rng.normal(size=(4, 4))
    X, w_true = rng.normal(size=(6, 3)), np.array([1.0, -2.0, 0.5])
    return [
        ("quadratic", {"A": A, "b": rng.normal(size=4), "c": 1.5}, rng.normal(size=4), 1e-4),
        ("sin_times_x", {}, rng.uniform(-2, 2, size=(2, 3)), 1e-4),
        ("linear_mse", {"X": X, "y": X @ w_true}, rng.normal(size=3), 1e-3),
        ("sum_of_squares", {}, np.array([1.5]), 1e-4),
    ]


@pytest.mark.grades("numerical_gradient")
def test_numerical_gradient_matches_central_differences(sub):
    for name, params, x, h in _numgrad_cases():
        f = build(name, params)
        got = (sub.numerical_gradient(fn(name, **params), x) if h == 1e-4
               else sub.numerical_gradient(fn(name, **params), x, h=h))
        check_value(got, ref.numerical_gradient(f, x, h), atol=1e-7, args=(f, x, h),
                    mistakes=MISTAKES["numerical_gradient"])


@pytest.mark.grades("numerical_gradient")
def test_numerical_gradient_leaves_x_unchanged(sub):
    for name, params, x, h in _numgrad_cases():
        got = sub.numerical_gradient(fn(name, **params), x.copy(), h)
        unchanged(hint="numgrad-mutates")
        # and it is a gradient: leaving x alone by doing nothing earns nothing
        f = build(name, params)
        check_value(got, ref.numerical_gradient(f, x, h), atol=1e-7, args=(f, x, h),
                    mistakes=MISTAKES["numerical_gradient"])


# -- train_linear_backprop ------------------------------------------------------------------


def _regression_data(seed: int, n: int, m: int):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    y = X @ rng.normal(size=m) + 0.7 + 0.1 * rng.normal(size=n)
    return X, y


@pytest.mark.grades("train_linear_backprop")
def test_train_linear_backprop_iterates_after_few_epochs(sub):
    cases = [(311, 8, 1, 0.1, 1), (312, 10, 2, 0.05, 2), (313, 12, 3, 0.1, 5), (314, 1, 2, 0.1, 2)]
    for seed, n, m, lr, epochs in cases:
        X, y = _regression_data(seed, n, m)
        W, b, losses = as_tuple(sub.train_linear_backprop(X, y, lr=lr, epochs=epochs), 3)
        unchanged()
        W_ref, b_ref, losses_ref = ref.train_linear_backprop(X, y, lr, epochs)
        args = (X, y, lr, epochs)
        check_value(W, W_ref, part="W", args=args,
                    mistakes=rescaled_lr(ref.train_linear_backprop, 0))
        check_value(b, b_ref, part="b", args=args,
                    mistakes=rescaled_lr(ref.train_linear_backprop, 1))
        check_value(losses, losses_ref, part="losses", args=args,
                    mistakes=MISTAKES["train_linear_backprop.losses"])


@pytest.mark.grades("train_linear_backprop")
def test_train_linear_backprop_accepts_lists_and_ints(sub):
    X = [[1, 2], [2, 0], [0, 1], [3, 3]]
    y = [5, 3, 2, 10]
    W, b, losses = as_tuple(sub.train_linear_backprop(X, y, lr=0.02, epochs=5), 3)
    W_ref, b_ref, losses_ref = ref.train_linear_backprop(X, y, 0.02, 5)
    check_value(W, W_ref, part="W")
    check_value(b, b_ref, part="b")
    check_value(losses, losses_ref, part="losses", args=(X, y, 0.02, 5),
                mistakes=MISTAKES["train_linear_backprop.losses"])


# -- exact shapes: one test per function; extra size-1 axes cost only this (shape-extra-axis) --


@pytest.mark.grades("AddNode")
def test_add_node_backward_returns_the_shapes_of_x_and_y(sub):
    x, y, dout = (np.random.default_rng(320 + i).normal(size=(2, 3)) for i in range(3))
    node = sub.AddNode()
    node.forward(x, y)
    for name, got in zip(["dx", "dy"], as_tuple(node.backward(dout), 2), strict=True):
        check_exact_shape(got, dout, part=name)


@pytest.mark.grades("MulNode")
def test_mul_node_backward_returns_the_shapes_of_x_and_y(sub):
    x, y, dout = (np.random.default_rng(323 + i).normal(size=(3, 2)) for i in range(3))
    node = sub.MulNode()
    node.forward(x, y)
    for name, got, expected in zip(["dx", "dy"], as_tuple(node.backward(dout), 2),
                                   [dout * y, dout * x], strict=True):
        check_exact_shape(got, expected, part=name)


@pytest.mark.grades("MSELossNode")
def test_mse_loss_node_backward_returns_the_shape_of_y_pred(sub):
    rng = np.random.default_rng(326)
    y_pred, y_true = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    node = sub.MSELossNode()
    node.forward(y_pred, y_true)
    check_exact_shape(node.backward(1.0), 2 * (y_pred - y_true) / y_pred.size)


@pytest.mark.grades("numerical_gradient")
def test_numerical_gradient_returns_the_shape_of_x(sub):
    x = np.random.default_rng(327).uniform(-2, 2, size=(2, 3))
    check_exact_shape(sub.numerical_gradient(fn("sin_times_x"), x),
                      ref.numerical_gradient(build("sin_times_x", {}), x))


@pytest.mark.grades("train_linear_backprop")
def test_train_linear_backprop_returns_w_m_by_1_and_b_1(sub):
    X, y = _regression_data(328, 6, 2)
    W, b, _ = as_tuple(sub.train_linear_backprop(X, y, lr=0.1, epochs=2), 3)
    W_ref, b_ref, _ = ref.train_linear_backprop(X, y, 0.1, 2)
    check_exact_shape(W, W_ref, part="W (shape (m, 1))")
    check_exact_shape(b, b_ref, part="b (shape (1,))")
