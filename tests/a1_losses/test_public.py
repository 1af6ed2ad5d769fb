"""Public tests of a1_losses: the lecture's examples, shapes and basic properties.

Run them with `autograder check a1_losses`. The graded (hidden) tests check the same
behaviour on more inputs.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograder.isolation.remote import StudentError
from autograder.testing import check_value, close, expect_error, fail, show

from .mistakes import BROADCAST, MISTAKES

# The lecture's credit-score table: predictions and true scores, as arrays (lists are a
# convention with a hidden test of their own: assignments.md, revision 2).
PRED = np.array([9, 7, 10])
TRUE = np.array([10, 9, 8])


@pytest.mark.grades("mse")
def test_mse_is_mean_of_squared_errors_on_lecture_table(sub):
    got = sub.mse(PRED, TRUE)
    check_value(got, 3.0, args=(PRED, TRUE),
                mistakes=MISTAKES["mse"])


@pytest.mark.grades("mse")
def test_mse_raises_value_error_for_n_against_n_by_1(sub):
    pred = np.array(PRED, dtype=np.float64)
    true = np.array(TRUE, dtype=np.float64).reshape(3, 1)
    expect_error(ValueError, sub.mse, pred, true, mistakes=BROADCAST["mse"])


@pytest.mark.grades("mae")
def test_mae_is_mean_of_absolute_errors_on_lecture_table(sub):
    got = sub.mae(PRED, TRUE)
    check_value(got, 5 / 3)


@pytest.mark.grades("mape")
def test_mape_is_percentage_of_target_on_movie_rating_and_lecture_table(sub):
    # the movie rating: real 5.0, predicted 3.0, an error of 2 is 40 % of 5 (MSE 4, MAE 2)
    check_value(sub.mape([3.0], [5.0]), 40.0, args=([3.0], [5.0]),
                mistakes=MISTAKES["mape"])
    # credit scores: (1/10 + 2/9 + 2/8) / 3 * 100
    check_value(sub.mape(PRED, TRUE), 100 * (1 / 10 + 2 / 9 + 2 / 8) / 3, args=(PRED, TRUE),
                mistakes=MISTAKES["mape"])


@pytest.mark.grades("mape")
def test_mape_raises_value_error_when_a_target_is_zero(sub):
    check_value(sub.mape([1.0, 3.0], [2.0, 4.0]), 37.5,
                args=([1.0, 3.0], [2.0, 4.0]), mistakes=MISTAKES["mape"])
    expect_error(ValueError, sub.mape, [1.0, 3.0], [0.0, 4.0])


@pytest.mark.grades("r2_score")
def test_r2_score_is_one_for_perfect_and_zero_for_mean_predictions(sub):
    got = sub.r2_score(TRUE, TRUE)
    check_value(got, 1.0, args=(TRUE, TRUE),
                mistakes=MISTAKES["r2_score"])
    got = sub.r2_score(np.array([9, 9, 9]), TRUE)
    check_value(got, 0.0)


@pytest.mark.grades("r2_score")
def test_r2_score_is_negative_for_worse_than_mean_on_lecture_table(sub):
    # SS_res = 1 + 4 + 4 = 9, SS_tot = 1 + 0 + 1 = 2: R² = 1 - 9/2
    got = sub.r2_score(PRED, TRUE)
    check_value(got, -3.5, args=(PRED, TRUE),
                mistakes=MISTAKES["r2_score"])


@pytest.mark.grades("mse_torch")
def test_mse_torch_returns_0dim_tensor_with_lecture_value(sub):
    pred = torch.tensor(PRED, dtype=torch.float64, requires_grad=True)
    true = torch.tensor(TRUE, dtype=torch.float64)
    got = sub.mse_torch(pred, true)
    call = "mse_torch(tensor([9., 7., 10.], requires_grad=True), tensor([10., 9., 8.]))"
    if not isinstance(got, torch.Tensor):
        check_value(got, 3.0, call=call, args=(PRED, TRUE), mistakes=MISTAKES["mse_torch"])
        fail(f"{call} returned {type(got).__name__} {show(got)}; expected a 0-dim torch.Tensor "
             "that is still part of the autograd graph.", hint="not-differentiable")
    if got.dim() != 0:
        fail(f"{call} returned a tensor of shape {tuple(got.shape)}; expected a 0-dim tensor.")
    check_value(got, 3.0, call=call, args=(PRED, TRUE), mistakes=MISTAKES["mse_torch"])
    if not getattr(got, "remote_grad_fn", False):
        fail(f"{call} returned a tensor without a grad_fn: it was cut from the autograd graph.",
             hint="not-differentiable")


@pytest.mark.grades("mse_torch")
def test_mse_torch_backward_gives_2_times_error_over_n(sub):
    true = torch.tensor(TRUE, dtype=torch.float64)
    try:
        value, (grad,) = sub.autograd("mse_torch", np.array(PRED, dtype=np.float64), true)
    except StudentError as exc:
        if exc.type_name == "NotDifferentiable":
            fail(f"loss.backward() is impossible: {exc}", hint="not-differentiable")
        raise
    expected = 2 * (np.array(PRED) - np.array(TRUE)) / 3  # [-2/3, -4/3, 4/3]
    check_value(grad, expected, call="the gradient of mse_torch([9, 7, 10], [10, 9, 8]) "
                "with respect to y_pred", args=(PRED, TRUE), mistakes=MISTAKES["mse_torch.grad"])


@pytest.mark.grades("train_val_test_split")
def test_split_part_sizes_follow_floor_of_ratios_on_10_rows(sub):
    X = np.arange(20, dtype=np.float64).reshape(10, 2)
    y = np.arange(10, dtype=np.float64)
    got = sub.train_val_test_split(X, y, 0.2, 0.2, 0)
    if not isinstance(got, (tuple, list)) or len(got) != 6:
        fail(f"train_val_test_split returned {got!r:.200}; expected a tuple of 6 arrays "
             "(X_train, X_val, X_test, y_train, y_val, y_test).")
    names = ["X_train", "X_val", "X_test", "y_train", "y_val", "y_test"]
    wanted = [(6, 2), (2, 2), (2, 2), (6,), (2,), (2,)]
    for name, part, shape in zip(names, got, wanted, strict=True):
        if np.shape(part) != shape:
            fail(f"train_val_test_split(X of shape (10, 2), y of shape (10,), val_ratio=0.2, "
                 f"test_ratio=0.2) gave {name} of shape {np.shape(part)}; expected {shape}: "
                 "n_test = floor(10 * 0.2) = 2, n_val = 2, and the other 6 rows are training.")


@pytest.mark.grades("train_val_test_split")
def test_split_same_seed_gives_same_split(sub):
    X = np.arange(24, dtype=np.float64).reshape(12, 2)
    y = np.arange(12)
    first = sub.train_val_test_split(X, y, seed=7)
    second = sub.train_val_test_split(X, y, seed=7)
    if not isinstance(first, (tuple, list)) or len(first) != 6:
        fail(f"train_val_test_split(X, y, seed=7) returned {first!r:.200}; expected a tuple of "
             "6 arrays (X_train, X_val, X_test, y_train, y_val, y_test).")
    for a, b in zip(first, second, strict=True):
        if not close(a, b, rtol=0, atol=0):
            fail("two calls of train_val_test_split(X, y, seed=7) gave different splits; "
                 "the same seed must give the same split (use np.random.default_rng(seed)).")
    # and it is a real split: the y parts hold every row once, not in their original order
    rows = np.concatenate([np.ravel(part) for part in first[3:]])
    if not np.array_equal(np.sort(rows), y):
        fail(f"train_val_test_split(X, y, seed=7) gave y parts holding {rows.tolist()}; together "
             "they must hold each of the 12 rows exactly once.")
    if np.array_equal(rows, y):
        fail("train_val_test_split(X, y, seed=7) kept the rows in their original order; shuffle "
             "them with np.random.default_rng(seed).", hint="split-not-shuffled")
