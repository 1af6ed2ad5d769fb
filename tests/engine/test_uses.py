"""The reference call-back for "Uses:" (autograder/plugin/uses.py, worker/session.py), in both backends.

The student's `sigmoid` and `MulNode` are wrong; `fit` and `snack` use them. Served, the
callers meet the reference's behaviour, only during their own calls, only for the names given.
"""

import numpy as np
import pytest

from autograder.isolation.in_process import InProcessBackend
from autograder.isolation.proxy import Submission
from autograder.isolation.remote import CallTimeout, StudentError
from autograder.isolation.sandbox import bwrap_available
from autograder.isolation.worker_handle import WorkerHandle
from autograder.plugin.uses import ReferenceHelpers

REFERENCE = '''
import numpy as np


def sigmoid(z):
    if isinstance(z, str):
        raise ValueError("a number, please")
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


class MulNode:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x
'''

STUDENT = '''
import numpy as np


def sigmoid(z):
    return np.zeros_like(np.asarray(z, dtype=float))  # wrong


def fit(z):
    return sigmoid(z) * 2


def caught(z):
    try:
        sigmoid(z)
    except ValueError as exc:
        return "ValueError: " + str(exc)
    return "no error"


class MulNode:
    def forward(self, x, y):
        return x + y  # wrong

    def backward(self, dout):
        return dout, dout  # wrong


def snack(price, count):
    node = MulNode()
    total = node.forward(price, count)
    return total, node.backward(1.0)
'''


@pytest.fixture(scope="module")
def helpers(tmp_path_factory):
    path = tmp_path_factory.mktemp("reference") / "reference.py"
    path.write_text(REFERENCE)
    return ReferenceHelpers(path, "test")


@pytest.fixture(scope="module", params=["inprocess", "worker"])
def sub(request):
    worker = InProcessBackend() if request.param == "inprocess" \
        else WorkerHandle(sandboxed=bwrap_available() is None)
    reply = worker.open("student", STUDENT)
    yield Submission(worker, reply["ok"], time_limit=10)
    worker.shutdown()


@pytest.fixture
def served(sub, helpers):
    def serve(*names):
        sub.serve_uses(list(names), helpers.server(names))
    yield serve
    sub.serve_uses([], None)


def test_without_uses_the_students_own_helper_runs(sub):
    assert np.array_equal(sub.fit([0.0, 1.0]), [0.0, 0.0])


def test_a_used_function_meets_the_reference_value(sub, served):
    served("sigmoid")
    assert np.allclose(sub.fit([0.0, 1.0]), 2 / (1 + np.exp(-np.array([0.0, 1.0]))))


def test_the_function_under_test_stays_the_students_and_stubs_end_with_the_call(sub, served):
    served("sigmoid")
    assert np.array_equal(sub.sigmoid([0.0]), [0.0])  # its own sigmoid, even when served
    sub.serve_uses([], None)
    assert np.array_equal(sub.fit([0.0]), [0.0])  # the module's own names are back


def test_only_the_names_served_are_replaced(sub, served):
    served("MulNode")
    assert np.array_equal(sub.fit([0.0]), [0.0])


def test_classes_are_served_as_reference_instances(sub, served):
    served("MulNode")
    total, grads = sub.snack(1000.0, 3.0)
    assert total == 3000.0 and list(grads) == [3.0, 1000.0]


def test_the_reference_raises_its_builtin_exception_type_in_the_students_code(sub, served):
    served("sigmoid")
    assert sub.caught("x") == "ValueError: (the reference helper) a number, please"


def test_without_a_reference_the_students_helpers_run(sub):
    sub.serve_uses(["sigmoid"], None)  # a student's copy of the course has no solutions/
    assert np.array_equal(sub.fit([1.0]), [0.0])


def test_names_outside_the_tests_uses_are_refused(helpers):
    answer = helpers.answer({"op": "uses", "name": "sigmoid", "args": [0.0], "kwargs": {}},
                            frozenset({"MulNode"}))
    assert answer["error"]["type"] == "NameError"


def test_private_methods_of_reference_objects_are_refused(helpers):
    serve = helpers.server(["MulNode"])
    key = serve({"op": "uses", "name": "MulNode", "args": [], "kwargs": {}})["ok"]
    answer = serve({"op": "uses", "name": "MulNode", "object": key, "method": "__class__",
                    "args": [], "kwargs": {}})
    assert answer["error"]["type"] == "AttributeError"


def test_a_student_error_inside_a_served_call_is_still_reported(sub, served):
    served("sigmoid")
    with pytest.raises(StudentError):
        sub.fit("not numbers")  # the reference raises ValueError; fit does not catch it


FORGER = '''
import sys

import numpy as np

from autograder.worker import wire


def forge(n):
    """Send "uses" frames the grader answers with big arrays, and never read the answers."""
    frame = sys._getframe()
    while "current_id" not in frame.f_locals:
        frame = frame.f_back
    replies, request_id = frame.f_locals["replies"], frame.f_locals["current_id"]
    for _ in range(n):
        wire.write_frame(replies, {"op": "uses", "id": request_id, "name": "sigmoid",
                                    "args": [np.zeros(100_000)], "kwargs": {}})
    return n
'''


def test_a_submission_that_never_reads_the_answers_cannot_block_the_grader(helpers):
    worker = WorkerHandle(sandboxed=bwrap_available() is None)
    try:
        reply = worker.open("student", FORGER)
        sub = Submission(worker, reply["ok"], time_limit=3)
        sub.serve_uses(["sigmoid"], helpers.server(["sigmoid"]))
        with pytest.raises(CallTimeout):
            sub.forge(50)
    finally:
        worker.shutdown()
