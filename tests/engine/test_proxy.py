"""The `sub` proxy: calls, classes, errors, call records and autograd, in both backends."""

from pathlib import Path

import numpy as np
import pytest
import torch

from autograder.course.layout import Layout
from autograder.isolation.in_process import InProcessBackend
from autograder.isolation.proxy import Submission
from autograder.isolation.remote import StudentError
from autograder.isolation.sandbox import bwrap_available
from autograder.isolation.worker_handle import WorkerHandle
from autograder.testing import fn

FUNCTIONS = Layout(Path(__file__).resolve().parents[2]).functions_file  # course/functions.py

SOURCE = '''
import warnings
import numpy as np
import torch


def mse(y_pred, y_true):
    y_pred, y_true = np.asarray(y_pred, float), np.asarray(y_true, float)
    if y_pred.shape != y_true.shape:
        raise ValueError("shapes differ")
    return float(np.mean((y_pred - y_true) ** 2))


def gd_step_in_place(w, grad, lr):
    w -= lr * grad
    return w


def noisy(z):
    warnings.warn("overflow encountered in exp", RuntimeWarning)
    print("hello from the student")
    return z


def mse_torch(y_pred, y_true):
    return ((y_pred - torch.as_tensor(y_true, dtype=torch.float64)) ** 2).mean()


def mse_torch_detached(y_pred, y_true):
    return torch.tensor(mse(y_pred.detach().numpy(), y_true))


def apply(f, x):
    return f(x)


def todo():
    raise NotImplementedError()


class MulNode:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x
'''


@pytest.fixture(scope="module", params=["inprocess", "worker"])
def sub(request):
    if request.param == "inprocess":
        worker: InProcessBackend | WorkerHandle = InProcessBackend(FUNCTIONS)
    else:
        worker = WorkerHandle(sandboxed=bwrap_available() is None, functions=FUNCTIONS)
    reply = worker.open("student", SOURCE)
    yield Submission(worker, reply["ok"], time_limit=10)
    worker.shutdown()


def test_call_returns_plain_values(sub):
    assert sub.mse([9, 7, 10], [10, 9, 8]) == 3.0


def test_student_exceptions_are_also_their_builtin_type(sub):
    with pytest.raises(ValueError, match="shapes differ") as info:
        sub.mse([1.0, 2.0], [[1.0], [2.0]])
    assert isinstance(info.value, StudentError) and info.value.type_name == "ValueError"
    with pytest.raises(NotImplementedError):
        sub.todo()


def test_unknown_names_are_student_errors(sub):
    with pytest.raises(StudentError, match="no 'fit_gd'"):
        sub.fit_gd([1], [2])


def test_last_call_shows_arguments_after_an_in_place_update(sub):
    w = np.array([1.0, 2.0])
    sub.gd_step_in_place(w, np.array([1.0, 1.0]), 0.5)
    assert np.array_equal(w, [1.0, 2.0])  # the caller's array is never touched ...
    assert np.array_equal(sub.last_call.args_after[0], [0.5, 1.5])  # ... but the change is seen


def test_last_call_records_warnings_and_output(sub):
    sub.noisy(1.0)
    assert sub.last_call.warnings == ["RuntimeWarning: overflow encountered in exp"]


def test_classes_live_in_the_worker_behind_handles(sub):
    node = sub.MulNode()
    assert node.forward(1000.0, 3.0) == 3000.0
    assert node.backward(1.1) == pytest.approx((3.3, 1100.0))


def test_autograd_differentiates_in_the_worker(sub):
    y_pred, y_true = np.array([1.0, 2.0, 4.0]), np.array([1.0, 1.0, 1.0])
    value, (grad,) = sub.autograd("mse_torch", y_pred, y_true)
    assert float(value) == pytest.approx(10 / 3)
    assert np.allclose(grad.numpy(), 2 * (y_pred - y_true) / 3)


def test_autograd_of_a_detached_result_says_not_differentiable(sub):
    with pytest.raises(StudentError) as info:
        sub.autograd("mse_torch_detached", np.array([1.0]), np.array([0.0]))
    assert info.value.type_name == "NotDifferentiable"


def test_trusted_functions_are_built_in_the_worker(sub):
    assert sub.apply(fn("sum_of_squares"), np.array([1.0, 2.0])) == 5.0


def test_tensors_cross_with_their_dtype(sub):
    got = sub.mse_torch(torch.tensor([2.0], dtype=torch.float64, requires_grad=True), [0.0])
    assert isinstance(got, torch.Tensor) and got.dtype == torch.float64 and got.remote_grad_fn  # type: ignore[attr-defined]  # set by the proxy
