"""Public tests of a4_logistic_regression: lecture examples, shapes and basic properties."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.testing import Mistake, check_shape, check_value, described, fail, fit_result

from .mistakes import MISTAKES


def _sig(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def _blobs():
    """Two small clusters in 2-D, not linearly centred at 0 (the bias matters)."""
    X = np.array([[2.0, 1.0], [2.5, 2.0], [3.0, 1.5], [1.5, 2.5], [3.5, 3.0],
                  [0.0, -1.0], [-0.5, 0.0], [0.5, -0.5], [1.0, 0.0], [-1.0, -0.5]])
    y = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
    return X, y


@pytest.mark.grades("sigmoid")
def test_sigmoid_known_values(sub):
    check_value(sub.sigmoid(0), 0.5, args=(0,), mistakes=MISTAKES["sigmoid"])
    z = [-1.0, 0.0, 1.0, 2.0]
    check_value(sub.sigmoid(z), _sig(z), args=(z,), mistakes=MISTAKES["sigmoid"])
    z2 = np.array([[0.5, -3.0], [4.0, 0.0]])
    check_value(sub.sigmoid(z2), _sig(z2), call="sigmoid(2x2 array) (same shape back)",
                args=(z2,), mistakes=MISTAKES["sigmoid"])


@pytest.mark.grades("binary_cross_entropy")
def test_binary_cross_entropy_small_example(sub):
    p, y = [0.9, 0.2], [1, 0]
    expected = (-math.log(0.9) - math.log(0.8)) / 2
    check_value(sub.binary_cross_entropy(p, y), expected, atol=1e-6, args=(p, y, 1e-7),
                mistakes=MISTAKES["binary_cross_entropy"])
    p, y = [0.5, 0.5, 0.5], [1, 0, 1]
    check_value(sub.binary_cross_entropy(p, y), math.log(2), atol=1e-6, args=(p, y, 1e-7),
                mistakes=MISTAKES["binary_cross_entropy"])


@pytest.mark.grades("one_hot")
def test_one_hot_example(sub):
    labels = [0, 2, 1]
    try:
        got = sub.one_hot(labels)
    except IndexError as exc:
        if "out of bounds" in str(exc):
            fail(f"{described()} raised {exc}", hint="onehot-off-by-one")
        raise
    check_value(got, [[1, 0, 0], [0, 0, 1], [0, 1, 0]], args=(labels, None),
                mistakes=MISTAKES["one_hot"])
    check_value(sub.one_hot([1, 0], num_classes=4), [[0, 1, 0, 0], [1, 0, 0, 0]],
                args=([1, 0], 4), mistakes=MISTAKES["one_hot"])


@pytest.mark.grades("softmax")
def test_softmax_single_1d_sample(sub):
    # one sample as a 1-D vector: a convention, not the lesson, so a test of its own
    z = np.array([0.3, 2.9, 4.0])
    check_value(sub.softmax(z), [0.01821127, 0.24519181, 0.73659691], rtol=1e-6, atol=1e-8,
                args=(z,), mistakes=MISTAKES["softmax"])


@pytest.mark.grades("softmax")
def test_softmax_example_rows_sum_to_one(sub):
    z = np.array([[0.3, 2.9, 4.0]])
    check_value(sub.softmax(z), [[0.01821127, 0.24519181, 0.73659691]], rtol=1e-6, atol=1e-8,
                args=(z,), mistakes=MISTAKES["softmax"])
    Z = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    e = np.exp(Z)
    check_value(sub.softmax(Z), e / e.sum(axis=1, keepdims=True),
                call="softmax([[1, 2, 3], [1, 1, 1]]) (each row sums to 1)",
                args=(Z,), mistakes=MISTAKES["softmax"])


# The lecture's example: the answer is class 2; y says class 2, y2 says class 7.
CEE_T = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
CEE_Y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
CEE_Y2 = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]


@pytest.mark.grades("cross_entropy_error")
def test_cross_entropy_error_lecture_example(sub):
    y, y2, t = np.array([CEE_Y, CEE_Y2]), np.array([CEE_Y]), np.array([CEE_T, CEE_T])
    check_value(sub.cross_entropy_error(y2, t[:1]), -math.log(0.6), atol=1e-6,
                call="cross_entropy_error([y], [t]) (lecture, a batch of one: class 2)",
                args=(y2, t[:1], 1e-7), mistakes=MISTAKES["cross_entropy_error"])
    check_value(sub.cross_entropy_error(y, t), -(math.log(0.6) + math.log(0.1)) / 2, atol=1e-5,
                call="cross_entropy_error([y, y2], [t, t]) (the mean over the 2 rows)",
                args=(y, t, 1e-7), mistakes=MISTAKES["cross_entropy_error"])


@pytest.mark.grades("cross_entropy_error")
def test_cross_entropy_error_single_1d_sample(sub):
    # one sample as 1-D vectors: a convention, not the lesson, so a test of its own
    y, y2, t = np.array(CEE_Y), np.array(CEE_Y2), np.array(CEE_T)
    check_value(sub.cross_entropy_error(y, t), -math.log(0.6), atol=1e-6,
                call="cross_entropy_error(y, t) (lecture, 1-D: the answer is class 2)",
                args=(y, t, 1e-7), mistakes=MISTAKES["cross_entropy_error"])
    check_value(sub.cross_entropy_error(y2, t), -math.log(0.1), atol=1e-5,
                call="cross_entropy_error(y2, t) (lecture, 1-D: the model says class 7)",
                args=(y2, t, 1e-7), mistakes=MISTAKES["cross_entropy_error"])


@pytest.mark.grades("logistic_grad")
def test_logistic_grad_small_example(sub):
    w: list[float]
    Xb, y, w = [[1, 0], [1, 2]], [0, 1], [0, 0]
    check_value(sub.logistic_grad(Xb, y, w), [0.0, -0.5],
                args=(Xb, y, w), mistakes=MISTAKES["logistic_grad"])
    w = [0.5, -1.0]
    Xb_a = np.array(Xb, dtype=float)
    expected = Xb_a.T @ (_sig(Xb_a @ w) - y) / 2
    check_value(sub.logistic_grad(Xb, y, w), expected,
                args=(Xb, y, w), mistakes=MISTAKES["logistic_grad"])


@pytest.mark.grades("fit_logistic")
def test_fit_logistic_separates_two_clusters(sub):
    X, y = _blobs()
    w, losses = fit_result(sub.fit_logistic(X, y, lr=0.5, epochs=300))
    check_value(np.shape(w), (3,), call="the shape of w from fit_logistic (d+1 with the bias)",
                mistakes=[Mistake("no-bias", lambda: (2,))])
    check_value(len(losses), 300, call="len(losses) with epochs=300")
    check_value(losses[0], math.log(2), atol=1e-6,
                call="losses[0] (the BCE at w = 0, where every p is 0.5)",
                args=(X, y, 0.5), mistakes=MISTAKES["fit_logistic.loss0"])
    if not losses[-1] < losses[0]:
        fail(f"the BCE of fit_logistic went from {losses[0]:.4f} to {losses[-1]:.4f}: "
             "it should decrease with lr=0.5.")
    predictions = (_sig(np.hstack([np.ones((len(X), 1)), X]) @ np.asarray(w)) >= 0.5)
    if not np.array_equal(predictions.astype(int), y):
        fail("with w[0] as the intercept, sigmoid(w[0] + X @ w[1:]) does not separate the two "
             "clusters after 300 epochs.")


@pytest.mark.grades("predict_proba")
def test_predict_proba_shape_and_values(sub):
    X = np.array([[0.0], [1.0], [-2.0]])
    check_value(sub.predict_proba(X, [0.0, 0.0]), [0.5, 0.5, 0.5])
    check_value(sub.predict_proba(X, [1.0, 2.0]), _sig([1.0, 3.0, -3.0]),
                call="predict_proba([[0], [1], [-2]], [1, 2]) = sigmoid(1 + 2 x)")


@pytest.mark.grades("predict_proba")
def test_predict_proba_returns_shape_n(sub):
    # the one exact-shape test: (n, 1) instead of (n,) costs only this
    X = np.array([[0.0], [1.0], [-2.0]])
    got = sub.predict_proba(X, [1.0, 2.0])
    check_value(got, _sig([1.0, 3.0, -3.0]))
    check_shape(got, (3,))


@pytest.mark.grades("predict")
def test_predict_threshold(sub):
    X = np.array([[0.0], [1.0], [-2.0]])
    check_value(sub.predict(X, [1.0, 2.0]), [1, 1, 0])
    check_value(sub.predict(X, [1.0, 2.0], threshold=0.9), [0, 1, 0])


@pytest.mark.grades("predict")
def test_predict_returns_shape_n(sub):
    # the one exact-shape test: (n, 1) instead of (n,) costs only this
    X = np.array([[0.0], [1.0], [-2.0]])
    got = sub.predict(X, [1.0, 2.0])
    check_value(got, [1, 1, 0])
    check_shape(got, (3,))


@pytest.mark.grades("fit_softmax")
def test_fit_softmax_learns_three_clusters(sub):
    X = np.array([[0.0, 0.0], [0.5, 0.2], [-0.3, 0.1], [4.0, 0.0], [4.5, 0.5], [3.8, -0.4],
                  [0.0, 4.0], [0.4, 4.5], [-0.5, 3.7]])
    labels = [0, 0, 0, 1, 1, 1, 2, 2, 2]
    W, losses = fit_result(sub.fit_softmax(X, labels, 3, lr=0.2, epochs=200))
    check_value(np.shape(W), (3, 3), call="the shape of W from fit_softmax ((d+1, K))")
    check_value(len(losses), 200, call="len(losses) with epochs=200")
    check_value(losses[0], math.log(3), atol=1e-6,
                call="losses[0] (the cross-entropy at W = 0, where every p is 1/3)")
    scores = np.hstack([np.ones((len(X), 1)), X]) @ np.asarray(W)
    if not np.array_equal(scores.argmax(axis=1), labels):
        fail("after 200 epochs, argmax(Xb @ W) does not give the three clusters' labels.")


@pytest.mark.grades("fit_logistic_torch")
def test_fit_logistic_torch_separates_two_clusters(sub):
    X, y = _blobs()
    w = sub.fit_logistic_torch(X, y, lr=0.5, epochs=300)
    check_value(np.shape(w), (3,), call="the shape of w from fit_logistic_torch")
    predictions = (_sig(np.hstack([np.ones((len(X), 1)), X]) @ np.asarray(w)) >= 0.5)
    if not np.array_equal(predictions.astype(int), y):
        fail("with w[0] as the intercept, sigmoid(w[0] + X @ w[1:]) does not separate the two "
             "clusters after 300 epochs.")
