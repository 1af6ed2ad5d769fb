"""Public tests of a2_linear_regression: the lecture's small examples and basic properties.

Run them with `autograder check a2_linear_regression`. The graded (hidden) tests check the
same behaviour on more inputs, and the fitting functions after 1, 2 and 5 epochs.

Running example: x = [1, 2, 3] with y = [2, 4, 6] (the line y = 2x) or y = [3, 5, 7]
(the line y = 2x + 1).
"""

from __future__ import annotations

import numpy as np
import pytest

from autograder.testing import Mistake, check_value, expect_error, fit_result

from .mistakes import MISTAKES

X1 = [1.0, 2.0, 3.0]
X1_COLUMN = np.array([[1.0], [2.0], [3.0]])  # the same x as one feature of a 2-D X
Y_2X = [2.0, 4.0, 6.0]
Y_2X_PLUS_1 = [3.0, 5.0, 7.0]
SGD_IN_ROW_ORDER = [1.003, 1.999]  # fit_sgd's one epoch of rows 0, 1, 2, lr=0.05, from w = 0


@pytest.mark.grades("predict")
def test_predict_computes_w_times_x_plus_b(sub):
    check_value(sub.predict(X1, 2.0, 1.0), np.array([3.0, 5.0, 7.0]))
    check_value(sub.predict(X1, 2.0), np.array([2.0, 4.0, 6.0]),
                call="predict([1, 2, 3], w=2) (b defaults to 0)")


@pytest.mark.grades("predict")
def test_predict_wine_price_model_from_the_lecture(sub):
    # f(x) = 100x + 50: sugar content (포도당도) -> wine price (와인 가격)
    check_value(sub.predict([1, 2], 100, 50), np.array([150.0, 250.0]))


@pytest.mark.grades("mse_grad_w")
def test_mse_grad_w_is_zero_at_the_best_w_and_negative_below_it(sub):
    check_value(sub.mse_grad_w(X1, Y_2X, 2.0), 0.0)
    # errors at w = 1: -1, -2, -3; dL/dw = 2 * (-1*1 - 2*2 - 3*3) / 3 = -28/3
    check_value(sub.mse_grad_w(X1, Y_2X, 1.0), -28 / 3, args=(X1, Y_2X, 1.0),
                mistakes=MISTAKES["mse_grad_w"])


@pytest.mark.grades("gd_step")
def test_gd_step_moves_against_the_gradient(sub):
    check_value(sub.gd_step(1.0, 4.0, 0.1), 0.6,
                args=(1.0, 4.0, 0.1), mistakes=MISTAKES["gd_step"])
    w, grad = np.array([1.0, -2.0]), np.array([0.5, -1.0])
    check_value(sub.gd_step(w, grad, 0.1), np.array([0.95, -1.9]), args=(w, grad, 0.1),
                mistakes=MISTAKES["gd_step"])


@pytest.mark.grades("fit_gd")
def test_fit_gd_one_epoch_records_loss_then_updates(sub):
    w, losses = fit_result(sub.fit_gd(X1, Y_2X, lr=0.1, epochs=1), 1)
    # loss at w0 = 0: (4 + 16 + 36) / 3 = 56/3; gradient -56/3; w = 0 - 0.1 * (-56/3) = 28/15
    # the same step with lr x 1/2 (no factor 2), x 3 (a sum over the 3 samples), x 3/2 (both)
    check_value(w, 28 / 15, part="w",
                mistakes=[Mistake("gd-ascent", lambda: -28 / 15),
                          Mistake("grad-no-2", lambda: 14 / 15),
                          Mistake("grad-no-mean", lambda: 28 / 5),
                          Mistake("grad-no-2 grad-no-mean", lambda: 14 / 5)])
    # recorded after the update instead: mean(((28/15 - 2) x)^2) = 56/675
    check_value(losses, [56 / 3], part="losses",
                mistakes=[Mistake("losses-after-update", lambda: [56 / 675])])


@pytest.mark.grades("add_bias")
def test_add_bias_prepends_column_of_ones(sub):
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    check_value(sub.add_bias(X), np.array([[1.0, 1.0, 2.0], [1.0, 3.0, 4.0]]), args=(X,),
                mistakes=MISTAKES["add_bias"])


@pytest.mark.grades("add_bias")
def test_add_bias_of_1d_x_is_one_feature(sub):
    # a convention, not the lesson: in its own small test (assignments.md, revision 2)
    check_value(sub.add_bias(X1), np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]), args=(X1,),
                mistakes=MISTAKES["add_bias"])


@pytest.mark.grades("mse_grad")
def test_mse_grad_at_zero_weights_on_lecture_line(sub):
    Xb = [[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]
    w = [0.0, 0.0]
    # errors -3, -5, -7: 2/3 * [-3 - 5 - 7, -3 - 10 - 21] = [-10, -68/3]
    check_value(sub.mse_grad(Xb, Y_2X_PLUS_1, w), np.array([-10.0, -68 / 3]),
                call="mse_grad(add_bias([1, 2, 3]), [3, 5, 7], w=[0, 0])",
                args=(Xb, Y_2X_PLUS_1, w), mistakes=MISTAKES["mse_grad"])


@pytest.mark.grades("fit_multivariate_gd")
def test_fit_multivariate_gd_learns_the_line_y_equals_2x_plus_1(sub):
    w, losses = fit_result(sub.fit_multivariate_gd(X1_COLUMN, Y_2X_PLUS_1, lr=0.1, epochs=1000), 1000)
    # the bias column last gives [2, 1]; no bias column fits y = w x: w = 34/14
    check_value(w, np.array([1.0, 2.0]), part="w", atol=1e-4,
                mistakes=[Mistake("no-bias", lambda: [2.0, 1.0]),
                          Mistake("no-bias", lambda: [34 / 14])])
    # losses[0] is the loss at w = 0: (9 + 25 + 49) / 3; after the first update it is 224/675
    check_value(losses[0], 83 / 3, part="losses[0]",
                mistakes=[Mistake("losses-after-update", lambda: 224 / 675)])


@pytest.mark.grades("fit_sgd")
def test_fit_sgd_with_one_batch_of_all_rows_is_gradient_descent(sub):
    w, losses = fit_result(sub.fit_sgd(X1, Y_2X_PLUS_1, lr=0.1, epochs=2, batch_size=3, seed=0), 2)
    # the two full-batch steps of fit_multivariate_gd: w = [1, 34/15], then [67/75, 454/225]
    check_value(w, np.array([67 / 75, 454 / 225]), part="w")
    check_value(losses, [83 / 3, 224 / 675], part="losses",
                mistakes=[Mistake("losses-after-update", lambda: [224 / 675, 32 / 6075])])


@pytest.mark.grades("fit_sgd")
def test_fit_sgd_one_epoch_of_single_row_batches_from_seed_0(sub):
    w, losses = fit_result(sub.fit_sgd(X1, Y_2X_PLUS_1, lr=0.05, epochs=1, batch_size=1, seed=0), 1)
    # rng = np.random.default_rng(0); rng.permutation(3) visits the rows in the order 2, 0, 1
    check_value(w, np.array([0.724, 2.128]), part="w",
                mistakes=[Mistake("sgd-not-shuffled", lambda: SGD_IN_ROW_ORDER)])
    # the loss of the whole training set at w = 0, not of the first row alone (49)
    check_value(losses, [83 / 3], part="losses",
                mistakes=[Mistake("sgd-batch-loss", lambda: [49.0])])


@pytest.mark.grades("fit_sgd")
def test_fit_sgd_rejects_batch_size_below_1(sub):
    w, _ = fit_result(sub.fit_sgd(X1, Y_2X_PLUS_1, lr=0.1, epochs=1, batch_size=3), 1)
    check_value(w, np.array([1.0, 34 / 15]), part="w")
    expect_error(ValueError, sub.fit_sgd, X1, Y_2X_PLUS_1, lr=0.1, epochs=1, batch_size=0)


@pytest.mark.grades("normal_equation")
def test_normal_equation_recovers_the_line_y_equals_2x_plus_1(sub):
    check_value(sub.normal_equation(X1_COLUMN, Y_2X_PLUS_1), np.array([1.0, 2.0]),
                mistakes=[Mistake("no-bias", lambda: [2.0, 1.0]),
                          Mistake("no-bias", lambda: [34 / 14])])


@pytest.mark.grades("fit_torch")
def test_fit_torch_learns_the_line_y_equals_2x_plus_1(sub):
    # x centred at 0, so that a few epochs suffice: y = 2x + 1 at x = -1, 0, 1
    got = sub.fit_torch(np.array([[-1.0], [0.0], [1.0]]), [-1.0, 1.0, 3.0], lr=0.25, epochs=60)
    check_value(got, np.array([1.0, 2.0]), atol=1e-6)
