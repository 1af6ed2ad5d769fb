"""autograder.testing: containers (size-1 axes), exact shapes, and messages that teach."""

import numpy as np
import pytest
import torch

from autograder.testing import GradedFailure, Mistake, check_shape, check_value, close


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
