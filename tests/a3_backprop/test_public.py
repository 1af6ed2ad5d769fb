"""Public tests of a3_backprop: the lecture's examples, shapes and basic properties.

The perceptron part (퍼셉트론) comes first, as in the lecture; gate weights are judged with
the lecture's perceptron rule run here in the grader, so any weights that realize a gate pass.
"""

from __future__ import annotations

import numpy as np
import pytest

from autograder.isolation.remote import StudentError
from autograder.testing import (
    Mistake,
    as_tuple,
    check_dict,
    check_shape,
    check_value,
    described,
    fail,
    fit_result,
    fn,
)

from .mistakes import GATE_INPUTS, MISTAKES, TRUTH, check_gate, cut_from_autograd, fires

INPUTS = "(0, 0), (1, 0), (0, 1), (1, 1)"


@pytest.mark.grades("perceptron")
def test_perceptron_and_gate_on_single_inputs(sub):
    # the lecture's AND: w = (0.5, 0.5), θ = 0.7; only 1 + 1 = 1.0 is above 0.7
    got = [sub.perceptron(x, [0.5, 0.5], 0.7) for x in GATE_INPUTS]
    check_value(got, TRUTH["AND"], call=f"perceptron(x, w=[0.5, 0.5], theta=0.7) for x in {INPUTS}")


@pytest.mark.grades("perceptron")
def test_perceptron_weighted_sum_equal_to_theta_gives_0(sub):
    # (0, 0) first: a sum below θ gives 0 under either rule, so a fail there is no tie slip
    for x, expected in (([0, 0], 0), ([1, 0], 0), ([1, 1], 1)):
        args = (x, [0.5, 0.5], 0.5)
        check_value(sub.perceptron(*args), expected,
                    call=f"perceptron({x}, w=[0.5, 0.5], theta=0.5) (the sum {sum(x) / 2:g})",
                    args=args, mistakes=MISTAKES["perceptron"])


@pytest.mark.grades("gate_weights")
def test_gate_weights_realize_and_and_or(sub):
    for name in ("AND", "OR"):
        check_gate(sub.gate_weights(name), name, fires)


@pytest.mark.grades("xor_gate")
def test_xor_gate_truth_table(sub):
    got = [sub.xor_gate(x1, x2) for x1, x2 in GATE_INPUTS]
    check_value(got, TRUTH["XOR"], call=f"xor_gate(x1, x2) for (x1, x2) in {INPUTS}")


@pytest.mark.grades("xor_gate")
def test_xor_gate_is_built_from_perceptron_gates(sub):
    # The grader also reads xor_gate's code (course.yml `required`): this test is lost when it
    # never calls perceptron, as x1 != x2 or x1 ^ x2 would.
    for (x1, x2), expected in (((1, 1), 0), ((0, 1), 1)):
        check_value(sub.xor_gate(x1, x2), expected)


@pytest.mark.grades("train_perceptron")
def test_train_perceptron_learns_the_and_gate(sub):
    w, theta, errors = fit_result(sub.train_perceptron(GATE_INPUTS, TRUTH["AND"], lr=0.1,
                                                       epochs=10),
                                  10, parts=("w", "theta", "errors"))
    # epoch 1 misses only (1, 1); θ moving up with the update (theta + update) would stop early
    check_value(errors, [1, 3, 3, 2, 1, 0, 0, 0, 0, 0], part="errors",
                mistakes=[Mistake("perceptron-theta-sign", lambda: [1] + [0] * 9)])
    check_gate((w, theta), "AND", fires, call=described(part="(w, theta)"))


@pytest.mark.grades("AddNode")
def test_add_node_passes_upstream_gradient_through(sub):
    node = sub.AddNode()
    check_value(node.forward(2, 3), 5)
    got = node.backward(1.3)
    check_value(got, [1.3, 1.3], call="AddNode.backward(1.3) after forward(2, 3)",
                args=(1.3,), mistakes=MISTAKES["AddNode.backward"])


@pytest.mark.grades("MulNode")
def test_mul_node_snack_example_swaps_inputs_in_backward(sub):
    node = sub.MulNode()
    check_value(node.forward(1000, 3), 3000)
    got = node.backward(1.1)
    check_value(got, [3.3, 1100.0], call="MulNode.backward(1.1) after forward(1000, 3)",
                args=(1000, 3, 1.1), mistakes=MISTAKES["MulNode.backward"])


@pytest.mark.grades("snack_purchase")
def test_snack_purchase_lecture_example(sub):
    expected = {"total": 3300.0, "d_price": 3.3, "d_count": 1100.0, "d_tax": 3000.0}
    check_dict(sub.snack_purchase(), expected)
    check_dict(sub.snack_purchase(1000, 3, 1.1), expected)


@pytest.mark.grades("two_item_purchase")
def test_two_item_purchase_apples_and_oranges(sub):
    expected = {"total": 715.0, "d_price_a": 2.2, "d_count_a": 110.0, "d_price_b": 3.3,
                "d_count_b": 165.0, "d_tax": 650.0}
    check_dict(sub.two_item_purchase(100, 2, 150, 3, 1.1), expected)


@pytest.mark.grades("LinearNode")
def test_linear_node_small_example_and_shapes(sub):
    X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    b = np.array([0.5, -1.0])
    node = sub.LinearNode()
    check_value(node.forward(X, W, b), [[4.5, 4.0], [10.5, 10.0]])
    dY = np.array([[1.0, 2.0], [3.0, -1.0]])
    dX, dW, db = as_tuple(node.backward(dY), ("dX", "dW", "db"))
    check_value(dX, [[1.0, 2.0, 3.0], [3.0, -1.0, 2.0]], part="dX",
                args=(X, W, dY), mistakes=MISTAKES["LinearNode.dX"])
    check_value(dW, [[13.0, -2.0], [17.0, -1.0], [21.0, 0.0]],
                call="dW of LinearNode.backward(dY) (shape (3, 2) like W)",
                args=(X, W, dY), mistakes=MISTAKES["LinearNode.dW"])
    check_value(db, [4.0, 1.0], call="db of LinearNode.backward(dY) (shape (2,) like b)",
                args=(X, W, dY), mistakes=MISTAKES["LinearNode.db"])


@pytest.mark.grades("LinearNode")
def test_linear_node_returns_exact_shapes(sub):
    # the one exact-shape test: extra size-1 axes (a keepdims db) cost only this
    X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    b = np.array([0.5, -1.0])
    dY = np.array([[1.0, 2.0], [3.0, -1.0]])
    node = sub.LinearNode()
    Y = node.forward(X, W, b)
    got = as_tuple(node.backward(dY), ("dX", "dW", "db"))
    for name, value, expected in zip(["Y", "dX", "dW", "db"], [Y, *got],
                                     [X @ W + b, dY @ W.T, X.T @ dY, dY.sum(axis=0)],
                                     strict=True):
        call = f"{name} of LinearNode (X (2, 3), W (3, 2), b (2,))"
        check_value(value, expected, call=call)
        check_shape(value, expected.shape, call=call)


@pytest.mark.grades("MSELossNode")
def test_mse_loss_node_lecture_example(sub):
    node = sub.MSELossNode()
    y_pred, y_true = [9, 7, 10], [10, 9, 8]
    check_value(node.forward(y_pred, y_true), 3.0, args=(y_pred, y_true),
                mistakes=MISTAKES["MSELossNode.forward"])
    check_value(node.backward(), [-2 / 3, -4 / 3, 4 / 3], args=(y_pred, y_true, 1.0),
                mistakes=MISTAKES["MSELossNode.backward"])


@pytest.mark.grades("numerical_gradient")
def test_numerical_gradient_of_sum_of_squares(sub):
    from course.functions import build

    f = build("sum_of_squares", {})
    x: list[float] | np.ndarray
    for x, expected in [([3.0, 4.0], [6.0, 8.0]), ([0.0, 2.0], [0.0, 4.0]),
                        ([3.0, 0.0], [6.0, 0.0])]:
        x = np.array(x)
        got = sub.numerical_gradient(fn("sum_of_squares"), x)
        check_value(got, expected, call=f"numerical_gradient(sum(x**2), {x.tolist()})",
                    args=(f, x, 1e-4), mistakes=MISTAKES["numerical_gradient"], atol=1e-7)


@pytest.mark.grades("train_linear_backprop")
def test_train_linear_backprop_fits_a_line(sub):
    x = np.linspace(-1.0, 1.0, 11)
    X, y = x.reshape(-1, 1), 2.0 * x + 1.0
    W, b, losses = as_tuple(sub.train_linear_backprop(X, y, lr=0.5, epochs=200),
                            ("W", "b", "losses"))
    check_value(np.shape(W), (1, 1), call="the shape of W from train_linear_backprop")
    check_value(np.shape(b), (1,), call="the shape of b from train_linear_backprop")
    check_value(len(losses), 200, call="len(losses) with epochs=200")
    check_value(losses[0], 2.6, call="losses[0] (the MSE at W = 0, b = 0, before any update)",
                args=(X, y, 0.5, 200), mistakes=MISTAKES["train_linear_backprop.loss0"])
    check_value(W, [[2.0]], call="W after 200 epochs on y = 2x + 1", atol=1e-3)
    check_value(b, [1.0], call="b after 200 epochs on y = 2x + 1", atol=1e-3)
    if not all(later <= earlier + 1e-12 for earlier, later in zip(losses, losses[1:], strict=False)):
        fail("the losses of train_linear_backprop should not increase with lr=0.5 on this line")


@pytest.mark.grades("snack_purchase_torch")
def test_snack_purchase_torch_lecture_example(sub):
    expected = {"total": 3300.0, "d_price": 3.3, "d_count": 1100.0, "d_tax": 3000.0}
    try:
        got = sub.snack_purchase_torch()
    except StudentError as exc:
        if cut_from_autograd(exc):
            fail(f"{described()} raised {exc.type_name}: {exc.message}", hint="not-differentiable")
        raise
    check_dict(got, expected)
