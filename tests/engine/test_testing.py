"""autograder.testing: containers (size-1 axes), exact shapes, messages that teach, the call
they name, gradient checks, unchanged inputs and expected errors."""

from types import SimpleNamespace

import numpy as np
import pytest
import torch

from autograder.isolation.in_process import InProcessBackend
from autograder.isolation.proxy import Submission
from autograder.isolation.remote import CallRecord, CallTimeout, error_from_reply
from autograder.testing import (
    GradedFailure,
    Mistake,
    as_tuple,
    check_gradient,
    check_shape,
    check_value,
    close,
    described,
    expect_error,
    follow,
    gradcheck,
    last_call,
    numeric_grad,
    rel_error,
    unchanged,
)
from autograder.testing.calls import CALL_LIMIT
from tests.engine.test_proxy import SOURCE


def failure(got, expected, **kwargs) -> GradedFailure:
    with pytest.raises(GradedFailure) as info:
        check_value(got, expected, call="f(x)", **kwargs)
    return info.value


@pytest.mark.parametrize("got", [np.array(3.0), np.array([3.0]), np.array([[3.0]]),
                                 torch.tensor([3.0], dtype=torch.float64), np.float32(3.0)])
def test_one_element_results_pass_for_a_float(got):
    assert close(got, 3.0)


def test_extra_size_1_axes_pass_the_value_check_but_not_the_shape_check():
    assert close(np.array([[1.0, 2.0]]), [1.0, 2.0])
    assert close(np.array([[1.0], [2.0]]), [1.0, 2.0])
    assert not close(np.array([1.0, 2.0, 0.0]), [1.0, 2.0])
    assert not close(np.array([[1.0, 2.0], [1.0, 2.0]]), [1.0, 2.0])  # not only size-1 axes
    with pytest.raises(GradedFailure) as info:
        check_shape(np.array([[1.0, 2.0]]), (2,), call="db")
    assert info.value.hint == "shape-extra-axis" and "(1, 2)" in info.value.message
    check_shape(np.array([1.0, 2.0]), (2,), call="db")


def test_a_wrong_shape_is_said_with_shapes():
    got = failure(np.zeros((3, 3)), np.zeros(3))
    assert "shape (3, 3); expected shape (3,)" in got.message and got.hint is None
    with pytest.raises(GradedFailure) as info:
        check_shape(np.zeros((2, 3)), (3, 2), call="dW")
    assert info.value.hint is None and "(2, 3)" in info.value.message


def test_differences_too_small_to_print_are_shown_as_the_difference():
    expected = np.array([0.1234567891, 2.0])
    got = expected.astype(np.float32)
    message = failure(got, expected, rtol=1e-12, atol=0).message
    assert "differ by" in message and "float64" in message


def test_a_visible_difference_is_not_explained_again():
    assert "differ by" not in failure(2.5, 3.0).message


def test_a_value_that_fits_two_slips_names_both():
    slips = [Mistake("grad-no-2 grad-no-mean", lambda: 6.0)]
    assert failure(6.0, 4.0, mistakes=slips).hint == "grad-no-2 grad-no-mean"


# -- the call feedback names: rendered from the proxy's record of the last call ------------


@pytest.fixture
def recorded():
    """A submission stand-in followed as the plugin's `sub` fixture follows one."""
    fake = SimpleNamespace(last_call=CallRecord())
    with follow(fake):
        yield fake


def test_a_check_without_call_names_the_last_call_with_its_arguments(recorded):
    recorded.last_call = CallRecord(name="mse", args=(np.array([9.0, 7.0]), [10, 9]),
                                    kwargs={"eps": 0.001})
    message = failure_of(lambda: check_value(2.5, 3.0))
    assert message.startswith("mse([9., 7.] (shape (2,)), [10, 9], eps=0.001) returned 2.5")
    assert failure_of(lambda: check_value(2.5, 3.0, part="w")).startswith("w of mse(")
    assert failure_of(lambda: check_value(2.5, 3.0, call="my words")).startswith("my words ")


def test_a_rendered_call_names_big_arrays_by_shape_and_is_capped(recorded):
    recorded.last_call = CallRecord(name="fit", args=(np.zeros((50, 3)),) * 9)
    said = described()
    assert said.startswith("fit(array of shape (50, 3), ") and len(said) <= CALL_LIMIT


def test_before_any_call_a_test_names_the_result(recorded):
    assert described() == "the result"


def test_follow_starts_each_test_from_no_call():
    fake = SimpleNamespace(last_call=CallRecord(name="stale"))
    with follow(fake):
        assert last_call().name == ""
    assert last_call().name == ""  # and no record leaks out of the test


def test_the_proxy_records_the_name_and_the_arguments_of_a_call():
    worker = InProcessBackend()
    sub = Submission(worker, worker.open("student", SOURCE)["ok"], time_limit=10)
    x = np.array([1.0, 2.0])
    sub.mse(x, y_true=[1.0, 2.0])
    assert sub.last_call.name == "mse" and sub.last_call.args[0] is x
    assert sub.last_call.kwargs == {"y_true": [1.0, 2.0]}
    node = sub.MulNode()
    node.forward(2.0, 3.0)
    assert sub.last_call.name == "MulNode.forward" and sub.last_call.args == (2.0, 3.0)
    with follow(sub):
        node.backward(1.5)
        assert described() == "MulNode.backward(1.5)"


# -- unchanged, as_tuple ---------------------------------------------------------------------


def test_unchanged_fails_when_an_array_argument_was_changed_in_place(recorded):
    w = np.array([1.0, 2.0])
    recorded.last_call = CallRecord(name="gd_step", args=(w, 0.1), args_after=(w - 1, 0.1))
    with pytest.raises(GradedFailure) as info:
        unchanged(hint="gd-in-place")
    assert info.value.hint == "gd-in-place" and "gd_step changed its argument #1" in info.value.message
    recorded.last_call = CallRecord(name="gd_step", args=(w, 0.1), args_after=(w.copy(), 0.1))
    unchanged()


def test_as_tuple_names_the_parts_it_expected(recorded):
    assert as_tuple([1, 2], 2) == (1, 2)
    assert "expected a tuple (dX, dW, db)" in failure_of(lambda: as_tuple((1, 2), ("dX", "dW", "db")))
    assert "expected a tuple of 3 values" in failure_of(lambda: as_tuple(5, 3))


# -- gradients -------------------------------------------------------------------------------


def test_numeric_grad_is_the_central_difference_gradient():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    assert np.allclose(numeric_grad(lambda v: float(np.sum(v ** 3)), x), 3 * x ** 2, atol=1e-6)
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0 and rel_error([1.0], [3.0]) == 0.5


def test_check_gradient_passes_a_right_gradient_and_catches_a_wrong_one(recorded):
    x = np.array([0.5, -1.5, 2.0])
    numeric = numeric_grad(lambda v: float(np.mean(v ** 2)), x)
    check_gradient(2 * x / 3, numeric)
    check_gradient((2 * x / 3).reshape(1, 3), numeric)  # an extra axis costs only check_shape
    slips = [Mistake("grad-no-mean", lambda v: 2 * v)]
    with pytest.raises(GradedFailure) as info:
        check_gradient(2 * x, numeric, args=(x,), mistakes=slips)
    assert info.value.hint == "grad-no-mean" and "relative error" in info.value.message


def test_gradcheck_compares_a_backward_with_autograd_and_central_differences(recorded):
    x, y, dout = np.array([1.0, 2.0]), np.array([3.0, -1.0]), np.array([0.5, 2.0])
    forward = lambda a, b: a * b  # noqa: E731 - the same forward for NumPy and torch
    gradcheck([dout * y, dout * x], forward, forward, [x, y], dout)
    with pytest.raises(GradedFailure) as info:
        gradcheck([dout * x, dout * y], forward, forward, [x, y], dout)  # the inputs not swapped
    assert "gradient #1 of the result (vs torch autograd)" in info.value.message


# -- expected errors -------------------------------------------------------------------------


def raising(type_name: str):
    def f(*args, **kwargs):
        raise error_from_reply({"type": type_name, "message": "no", "mro": [type_name, "Exception"]})
    return f


def test_expect_error_passes_when_the_error_is_raised(recorded):
    expect_error(ValueError, raising("ValueError"), 1, 2)


def test_expect_error_names_the_mistake_that_gives_the_returned_value(recorded):
    recorded.last_call = CallRecord(name="mse", args=([1.0], [[1.0]]))
    slips = [Mistake("shape-broadcast", lambda p, t: 0.0)]
    with pytest.raises(GradedFailure) as info:
        expect_error(ValueError, lambda p, t: 0.0, [1.0], [[1.0]], mistakes=slips, why="shapes")
    assert info.value.hint == "shape-broadcast"
    assert info.value.message == "mse([1.0], [[1.0]]) returned 0.0; expected it to raise ValueError (shapes)."


def test_expect_error_says_which_error_came_instead(recorded):
    with pytest.raises(GradedFailure) as info:
        expect_error(ValueError, raising("TypeError"), call="f(x)")
    assert info.value.message == "f(x) raised TypeError: no; expected ValueError."
    assert info.value.summary == "your code raised TypeError"  # a hidden test's words


def test_expect_error_leaves_a_stub_and_a_timeout_to_the_plugin(recorded):
    with pytest.raises(NotImplementedError):
        expect_error(ValueError, raising("NotImplementedError"))
    with pytest.raises(CallTimeout):
        expect_error(ValueError, lambda: (_ for _ in ()).throw(CallTimeout(2.0)))


def failure_of(check) -> str:
    with pytest.raises(GradedFailure) as info:
        check()
    return info.value.message
