"""Hidden tests of a4_logistic_regression: random inputs from fixed seeds, edge cases,
gradient checks and training iterates.

Expected values come from the reference solution (and torch where torch has the function).
Losses that take `eps` accept both conventions, clipping and adding eps: the tolerance is
twice the difference between the two (of order eps / p), computed on the same inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from autograder.isolation.remote import StudentError
from autograder.testing import (
    GradedFailure,
    Mistake,
    check_exact_shape,
    check_gradient,
    check_value,
    close,
    described,
    expect_error,
    fail,
    fit_result,
    numeric_grad,
    unchanged,
)
from solutions.a4_logistic_regression import logistic_regression as ref

from .mistakes import MISTAKES


def _f(a):
    return np.asarray(a, dtype=np.float64)


def bce_add_eps(p, y, eps=1e-7) -> float:
    p, y = _f(p), _f(y)
    return float(np.mean(-y * np.log(p + eps) - (1 - y) * np.log(1 - p + eps)))


def cee_add_eps(y, t, eps=1e-7) -> float:
    y, t = _f(y), _f(t)
    total = -np.sum(t * np.log(y + eps))
    return float(total if y.ndim == 1 else total / y.shape[0])


def eps_atol(clipped: float, added: float) -> float:
    """Room for either eps convention: twice their difference on these inputs."""
    return 2.0 * abs(clipped - added) + 1e-9


def classification_data(seed: int, n: int, d: int):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (X @ rng.normal(size=d) + 0.3 + 0.8 * rng.normal(size=n) > 0).astype(np.int64)
    if y.min() == y.max():  # both classes present
        y[0] = 1 - y[0]
    return X, y


# -- sigmoid --------------------------------------------------------------------------------


@pytest.mark.grades("sigmoid")
def test_sigmoid_random_shapes_and_dtypes_match_torch(sub):
    rng = np.random.default_rng(401)
    cases: list[Any] = [1.5, -3, [0.25, -0.75, 2.0],
             rng.uniform(-30, 30, size=(2, 3, 2)),
             rng.uniform(-10, 10, size=(3, 4)).astype(np.float32),
             rng.integers(-20, 20, size=5),
             np.array([0.7])]
    for z in cases:
        arr = np.asarray(z)
        rtol = 1e-5 if arr.dtype == np.float32 else 1e-6
        expected = torch.sigmoid(torch.as_tensor(arr, dtype=torch.float64)).numpy()
        got = sub.sigmoid(z)
        check_value(got, expected if arr.ndim else float(expected), rtol=rtol, args=(z,),
                    mistakes=MISTAKES["sigmoid"])
        check_value(got, ref.sigmoid(z), call=f"{described()} (vs the reference)", rtol=rtol)
        unchanged()


@pytest.mark.grades("sigmoid")
def test_sigmoid_extreme_inputs_no_overflow_warning(sub):
    cases: list[Any] = [np.array([-1000.0, -745.0, -100.0, -1.0, 0.0, 1.0, 100.0, 745.0, 1000.0]),
             -1000.0, 1000.0, np.array([-1000, 1000]), np.array([[-1000.0], [1000.0]])]
    for z in cases:
        got = sub.sigmoid(z)
        call = described()
        warned = [w for w in sub.last_call.warnings if w.startswith("RuntimeWarning")]
        values = np.asarray(got, dtype=np.float64) if got is not None else None
        if values is not None and values.dtype.kind == "f" and not np.all(np.isfinite(values)):
            fail(f"{call} returned non-finite values {values.ravel().tolist()}.",
                 hint="sigmoid-overflow")
        check_value(got, ref.sigmoid(z), args=(z,), mistakes=MISTAKES["sigmoid"])
        if warned:
            fail(f"{call} emitted {warned[0]!r}: the formula overflows for large |z|.",
                 hint="sigmoid-overflow")


# -- binary_cross_entropy -------------------------------------------------------------------


@pytest.mark.grades("binary_cross_entropy")
def test_binary_cross_entropy_random_shapes_and_dtypes(sub):
    rng = np.random.default_rng(402)
    cases: list[tuple[Any, Any, float | None]] = [
             (rng.uniform(0.02, 0.98, size=8), rng.integers(0, 2, size=8), None),
             (rng.uniform(0.02, 0.98, size=(5, 1)), rng.integers(0, 2, size=(5, 1)), None),
             (rng.uniform(0.05, 0.95, size=(2, 3)).astype(np.float32),
              rng.integers(0, 2, size=(2, 3)).astype(np.float64), None),
             (rng.uniform(0.05, 0.95, size=4), rng.uniform(0, 1, size=4), None),  # soft labels
             ([0.3], [1], None),
             (rng.uniform(0.05, 0.95, size=6), rng.integers(0, 2, size=6), 1e-3)]
    for p, y, eps in cases:
        e = 1e-7 if eps is None else eps
        clipped, added = ref.binary_cross_entropy(p, y, e), bce_add_eps(p, y, e)
        got = sub.binary_cross_entropy(p, y) if eps is None else \
            sub.binary_cross_entropy(p, y, eps=eps)
        rtol = 1e-5 if np.asarray(p).dtype == np.float32 else 1e-6
        check_value(got, clipped, rtol=rtol, atol=eps_atol(clipped, added), args=(p, y, e),
                    mistakes=MISTAKES["binary_cross_entropy"])
        unchanged()


@pytest.mark.grades("binary_cross_entropy")
def test_binary_cross_entropy_p_exactly_0_and_1_is_finite(sub):
    cases = [(np.array([0.0, 1.0, 0.5, 1.0, 0.0]), np.array([0, 1, 1, 0, 1]), 1e-7),
             (np.array([0.0, 0.0]), np.array([0.0, 0.0]), 1e-7),
             (np.array([1.0]), np.array([0]), 1e-7),
             (np.array([0.0, 1.0, 0.25]), np.array([1, 0, 0]), 1e-3)]
    for p, y, eps in cases:
        got = sub.binary_cross_entropy(p, y, eps)
        call = described()
        value = np.asarray(got, dtype=np.float64) if got is not None else None
        if value is not None and value.dtype.kind == "f" and not np.all(np.isfinite(value)):
            fail(f"{call} returned {got}: log(0) was taken.", hint="bce-no-clip")
        clipped, added = ref.binary_cross_entropy(p, y, eps), bce_add_eps(p, y, eps)
        check_value(got, clipped, atol=eps_atol(clipped, added), args=(p, y, eps),
                    mistakes=MISTAKES["binary_cross_entropy"])


@pytest.mark.grades("binary_cross_entropy")
def test_binary_cross_entropy_column_against_flat_not_broadcast(sub):
    p = np.array([0.9, 0.2, 0.6, 0.3])
    y = np.array([[1], [0], [0], [1]])
    try:
        got = sub.binary_cross_entropy(p, y)
    except ValueError:
        return  # rejected: fine
    clipped, added = ref.binary_cross_entropy(p, y.ravel()), bce_add_eps(p, y.ravel())
    check_value(got, clipped, call=f"{described()} (raise ValueError, or match the shapes)",
                atol=eps_atol(clipped, added), args=(p, y, 1e-7),
                mistakes=MISTAKES["binary_cross_entropy"])


# -- one_hot --------------------------------------------------------------------------------


def _one_hot_call(sub, labels, num_classes):
    try:
        return (sub.one_hot(labels) if num_classes is None
                else sub.one_hot(labels, num_classes=num_classes))
    except IndexError as exc:
        if "out of bounds" in str(exc):
            fail(f"{described()} raised IndexError: {getattr(exc, 'message', exc)}",
                 hint="onehot-off-by-one")
        raise


@pytest.mark.grades("one_hot")
def test_one_hot_random_labels_and_num_classes(sub):
    rng = np.random.default_rng(403)
    cases: list[tuple[Any, int | None]] = [(rng.permutation(np.arange(6) % 4), None),
             (rng.integers(0, 5, size=10).astype(np.int32), 7),
             ([2, 0, 1, 2], None),
             (np.array([0]), None),
             (np.array([3]), 5),
             (np.array([1, 1, 0]), 2)]
    for labels, k in cases:
        got = _one_hot_call(sub, labels, k)
        check_value(got, ref.one_hot(labels, k), args=(labels, k), mistakes=MISTAKES["one_hot"])
        unchanged()


@pytest.mark.grades("one_hot")
def test_one_hot_invalid_labels_raise_value_error(sub):
    cases = [([0, -1, 2], None, "a negative label"),
             ([0, 3, 1], 3, "a label >= num_classes"),
             ([0, 1.5, 2], None, "a non-integer label"),
             (np.array([0.5]), 2, "a non-integer label")]
    for labels, k, why in cases:
        if k is None:
            expect_error(ValueError, sub.one_hot, labels, why=why)
        else:
            expect_error(ValueError, sub.one_hot, labels, num_classes=k, why=why)


# -- softmax --------------------------------------------------------------------------------


@pytest.mark.grades("softmax")
def test_softmax_random_matches_torch_row_by_row(sub):
    rng = np.random.default_rng(404)
    cases = [rng.normal(size=(2, 5)) * 3, rng.normal(size=(3, 4)) * 3, rng.normal(size=(1, 6)),
             rng.normal(size=(5, 2)), rng.integers(-5, 5, size=(2, 3)),
             (rng.normal(size=(4, 3)) * 2).astype(np.float32)]
    _check_softmax_cases(sub, cases)


@pytest.mark.grades("softmax")
def test_softmax_1d_samples_and_lists(sub):
    # one sample as a 1-D vector, and lists: conventions, so a test of their own
    rng = np.random.default_rng(406)
    _check_softmax_cases(sub, [rng.normal(size=5) * 3, [1.0, 2.0], [[0.5, -1.0, 2.0]],
                               np.array([1000.0, 999.0, -1000.0])])


def _check_softmax_cases(sub, cases) -> None:
    for z in cases:
        arr = np.asarray(z)
        rtol = 1e-5 if arr.dtype == np.float32 else 1e-6
        got = sub.softmax(z)
        expected = torch.softmax(torch.as_tensor(arr, dtype=torch.float64), dim=-1).numpy()
        check_value(got, expected, rtol=rtol, args=(z,), mistakes=MISTAKES["softmax"])
        check_value(got, ref.softmax(z), call=f"{described()} (vs the reference)", rtol=rtol)
        unchanged()


@pytest.mark.grades("softmax")
def test_softmax_extreme_logits_stay_finite(sub):
    cases = [np.array([[1000.0, 999.0, -1000.0]]), np.array([[-1000.0, -1000.0, -999.0]]),
             np.array([[1000.0, 0.0, -1000.0], [-1000.0, -999.0, -998.0]]),
             np.array([[1000, 1000]])]
    for z in cases:
        check_value(sub.softmax(z), ref.softmax(z), args=(z,), mistakes=MISTAKES["softmax"])


# -- cross_entropy_error --------------------------------------------------------------------


def _check_cee(sub, y, t, eps):
    got = sub.cross_entropy_error(y, t) if eps is None else sub.cross_entropy_error(y, t, eps)
    e = 1e-7 if eps is None else eps
    clipped, added = ref.cross_entropy_error(y, t, e), cee_add_eps(y, t, e)
    check_value(got, clipped, atol=eps_atol(clipped, added), args=(y, t, e),
                mistakes=MISTAKES["cross_entropy_error"])
    return got


@pytest.mark.grades("cross_entropy_error")
def test_cross_entropy_error_batch_mean(sub):
    rng = np.random.default_rng(405)
    for n, k in [(3, 4), (5, 3), (1, 5)]:
        y = ref.softmax(rng.normal(size=(n, k)))
        t = ref.one_hot(rng.integers(0, k, size=n), k)
        _check_cee(sub, y, t, None)
        unchanged()
    _check_cee(sub, [[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]], [[0, 1, 0], [0, 0, 1]], None)


@pytest.mark.grades("cross_entropy_error")
def test_cross_entropy_error_1d_samples(sub):
    # one sample as 1-D vectors: a convention, not the lesson, so a test of its own
    rng = np.random.default_rng(407)
    y, t = ref.softmax(rng.normal(size=6)), ref.one_hot([rng.integers(6)], 6)[0]
    _check_cee(sub, y, t, None)
    _check_cee_finite(sub, [([0.0, 0.5, 0.5], [1, 0, 0], None), ([0.0, 1.0], [1, 0], 1e-3)])


@pytest.mark.grades("cross_entropy_error")
def test_cross_entropy_error_zero_probability_is_finite(sub):
    _check_cee_finite(sub, [([[0.0, 0.5, 0.5]], [[1, 0, 0]], None),
                            ([[0.0, 1.0, 0.0], [0.2, 0.8, 0.0]], [[1, 0, 0], [0, 1, 0]], None),
                            ([[0.0, 1.0], [1.0, 0.0]], [[0, 1], [1, 0]], None),
                            ([[0.0, 1.0]], [[1, 0]], 1e-3)])


def _check_cee_finite(sub, cases) -> None:
    for y, t, eps in cases:
        got = sub.cross_entropy_error(y, t) if eps is None else sub.cross_entropy_error(y, t, eps)
        value = np.asarray(got, dtype=np.float64) if got is not None else None
        if value is not None and value.dtype.kind == "f" and not np.all(np.isfinite(value)):
            fail(f"{described()} returned {got}: log(0) was taken.", hint="cee-no-eps")
        _check_cee(sub, y, t, eps)


# -- logistic_grad --------------------------------------------------------------------------


@pytest.mark.grades("logistic_grad")
def test_logistic_grad_gradcheck(sub):
    rng = np.random.default_rng(406)
    Xb: Any  # arrays in the loop, nested lists in the last case
    y: Any
    w: np.ndarray | list[int]
    for n, d in [(6, 2), (1, 3), (10, 1), (4, 4)]:
        X, y = classification_data(int(rng.integers(1000)), n, d)
        Xb = np.hstack([np.ones((n, 1)), X])
        w = rng.normal(size=d + 1) * 0.5
        got = sub.logistic_grad(Xb, y, w)
        unchanged()
        wt = torch.tensor(w, requires_grad=True)
        torch.nn.functional.binary_cross_entropy_with_logits(
            torch.as_tensor(Xb) @ wt, torch.as_tensor(y, dtype=torch.float64)).backward()
        assert wt.grad is not None
        check_value(got, wt.grad.numpy(), call=f"{described()} (vs torch autograd)",
                    args=(Xb, y, w), mistakes=MISTAKES["logistic_grad"])
        # against the numerical gradient of the mean BCE
        def mean_bce(v: np.ndarray, Xb: Any = Xb, y: Any = y) -> float:
            return ref.binary_cross_entropy(ref.sigmoid(Xb @ v), y)

        check_gradient(got, numeric_grad(mean_bce, w))
    Xb, y, w = [[1, 2], [1, -1], [1, 0]], [1, 0, 1], [0, 0]
    check_value(sub.logistic_grad(Xb, y, w), ref.logistic_grad(Xb, y, w), args=(Xb, y, w),
                mistakes=MISTAKES["logistic_grad"])


# -- fit_logistic, predict_proba, predict ---------------------------------------------------

FIT_CASES = [(411, 12, 2, 0.1, 1), (412, 15, 3, 0.5, 2), (413, 10, 1, 0.3, 5), (414, 20, 2, 1.0, 5)]


def _grad_sign_flipped(sub) -> bool:
    """Whether the submission's own logistic_grad returns the negated gradient."""
    Xb, y, w = np.array([[1.0, 2.0], [1.0, -1.0], [1.0, 0.5]]), np.array([1, 0, 0]), [0.2, 0.3]
    try:
        got = sub.logistic_grad(Xb, y, w)
    except StudentError:
        return False
    expected = ref.logistic_grad(Xb, y, w)
    return close(got, -expected) and not close(got, expected)


def check_fit(sub, got, expected, *, part: str, args: tuple, mistakes, atol: float = 1e-9):
    """check_value for fit_logistic; an "ascent" whose cause is logistic_grad's sign says so."""
    try:
        check_value(got, expected, part=part, args=args, mistakes=mistakes, atol=atol)
    except GradedFailure as failure:
        if failure.hint == "gd-ascent" and _grad_sign_flipped(sub):
            fail(f"{failure.message} Your logistic_grad returns the negated gradient, so the "
                 "update climbs the loss.", hint="grad-sign")
        raise


@pytest.mark.grades("fit_logistic")
def test_fit_logistic_iterates_after_few_epochs(sub):
    for seed, n, d, lr, epochs in FIT_CASES:
        X, y = classification_data(seed, n, d)
        w, losses = fit_result(sub.fit_logistic(X, y, lr=lr, epochs=epochs))
        unchanged()
        w_ref, losses_ref = ref.fit_logistic(X, y, lr, epochs)
        check_fit(sub, w, w_ref, part="w", args=(X, y, lr, epochs),
                  mistakes=MISTAKES["fit_logistic.w"])
        check_fit(sub, losses, losses_ref, part="losses", atol=1e-6,
                  args=(X, y, lr, epochs), mistakes=MISTAKES["fit_logistic.losses"])


@pytest.mark.grades("fit_logistic")
def test_fit_logistic_1d_list_x_is_one_feature(sub):
    # a convention, not the lesson: in its own small test (assignments.md, revision 2)
    X, y = [0.5, -1.0, 2.0, 0.0, -0.5], [1, 0, 1, 1, 0]
    w, losses = fit_result(sub.fit_logistic(X, y, lr=0.2, epochs=3))
    w_ref, losses_ref = ref.fit_logistic(X, y, 0.2, 3)
    check_fit(sub, w, w_ref, part="w", args=(X, y, 0.2, 3), mistakes=MISTAKES["fit_logistic.w"])
    check_fit(sub, losses, losses_ref, part="losses", atol=1e-6,
              args=(X, y, 0.2, 3), mistakes=MISTAKES["fit_logistic.losses"])


@pytest.mark.grades("predict_proba")
def test_predict_proba_random(sub):
    rng = np.random.default_rng(415)
    for X, w in [(rng.normal(size=(6, 2)), rng.normal(size=3)),
                 (rng.normal(size=(1, 3)), rng.normal(size=4))]:
        check_value(sub.predict_proba(X, w), ref.predict_proba(X, w))
        unchanged()


@pytest.mark.grades("predict_proba")
def test_predict_proba_1d_x_is_one_feature(sub):
    # a convention, not the lesson: in its own small test (assignments.md, revision 2)
    X, w = np.random.default_rng(418).normal(size=4), np.array([0.3, -1.2])
    check_value(sub.predict_proba(X, w), ref.predict_proba(X, w))


@pytest.mark.grades("predict")
def test_predict_random_and_thresholds(sub):
    rng = np.random.default_rng(416)
    X, w = rng.normal(size=(8, 2)), rng.normal(size=3) * 2
    check_value(sub.predict(X, w), ref.predict(X, w))
    check_value(sub.predict(X, w, threshold=0.3), ref.predict(X, w, 0.3))


@pytest.mark.grades("predict")
def test_predict_exact_tie_at_threshold_gives_1(sub):
    # the tie is a convention (scikit-learn's is >), so it sits in its own small test
    X = np.random.default_rng(416).normal(size=(8, 2))
    check_value(sub.predict(X, np.zeros(3)), np.ones(8),
                call="predict(X, w = 0): every p is exactly 0.5, and 0.5 >= 0.5 gives 1",
                mistakes=[Mistake("predict-strict-threshold", lambda: np.zeros(8))])


# -- fit_softmax, fit_logistic_torch --------------------------------------------------------


@pytest.mark.grades("fit_softmax")
def test_fit_softmax_iterates_after_few_epochs(sub):
    rng = np.random.default_rng(417)
    for n, d, k, lr, epochs in [(9, 2, 3, 0.1, 1), (12, 3, 4, 0.5, 2), (10, 2, 3, 0.3, 5)]:
        X = rng.normal(size=(n, d))
        labels = np.arange(n) % 3  # with k = 4, class 3 never occurs: K comes from num_classes
        W, losses = fit_result(sub.fit_softmax(X, labels, k, lr=lr, epochs=epochs))
        unchanged()
        W_ref, losses_ref = ref.fit_softmax(X, labels, k, lr, epochs)
        check_value(W, W_ref, part="W")
        check_value(losses, losses_ref, part="losses", atol=1e-6)


@pytest.mark.grades("fit_logistic_torch")
def test_fit_logistic_torch_follows_fit_logistic_iterates(sub):
    for seed, n, d, lr, epochs in FIT_CASES:
        X, y = classification_data(seed, n, d)
        got = sub.fit_logistic_torch(X, y, lr=lr, epochs=epochs)
        unchanged()
        check_value(got, ref.fit_logistic(X, y, lr, epochs)[0])


# -- exact shapes: one test per function; extra size-1 axes cost only this (shape-extra-axis) --


@pytest.mark.grades("sigmoid")
def test_sigmoid_returns_the_shape_of_z(sub):
    z = np.array([[-2.0, 0.0, 3.0], [1.0, -0.5, 0.25]])
    check_exact_shape(sub.sigmoid(z), ref.sigmoid(z))


@pytest.mark.grades("one_hot")
def test_one_hot_returns_shape_n_by_k(sub):
    labels = np.array([2, 0, 1, 2])
    check_exact_shape(sub.one_hot(labels, 4), ref.one_hot(labels, 4))


@pytest.mark.grades("softmax")
def test_softmax_returns_the_shape_of_z(sub):
    z = np.array([[0.5, -1.0, 2.0], [1.0, 1.0, 0.0]])
    check_exact_shape(sub.softmax(z), ref.softmax(z))


@pytest.mark.grades("logistic_grad")
def test_logistic_grad_returns_shape_d_plus_1(sub):
    X, y = classification_data(430, 6, 2)
    Xb, w = np.hstack([np.ones((6, 1)), X]), np.array([0.1, -0.3, 0.2])
    check_exact_shape(sub.logistic_grad(Xb, y, w), ref.logistic_grad(Xb, y, w))


@pytest.mark.grades("fit_logistic")
def test_fit_logistic_returns_w_of_shape_d_plus_1(sub):
    X, y = classification_data(431, 8, 2)
    w, _ = fit_result(sub.fit_logistic(X, y, lr=0.1, epochs=3))
    check_exact_shape(w, ref.fit_logistic(X, y, 0.1, 3)[0], part="w")


@pytest.mark.grades("fit_softmax")
def test_fit_softmax_returns_w_of_shape_d_plus_1_by_k(sub):
    X, labels = np.random.default_rng(432).normal(size=(9, 2)), np.arange(9) % 3
    W, _ = fit_result(sub.fit_softmax(X, labels, 3, lr=0.1, epochs=2))
    check_exact_shape(W, ref.fit_softmax(X, labels, 3, 0.1, 2)[0], part="W")


@pytest.mark.grades("fit_logistic_torch")
def test_fit_logistic_torch_returns_shape_d_plus_1(sub):
    X, y = classification_data(433, 8, 2)
    check_exact_shape(sub.fit_logistic_torch(X, y, lr=0.1, epochs=3),
                      ref.fit_logistic(X, y, 0.1, 3)[0])
