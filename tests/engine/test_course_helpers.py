"""The course's trusted helpers (course/functions.py): the engine takes them from the course.

A test passes `fn(name, **params)`; the worker builds that callable with the `build` of the
helpers file it was given (loaded by path before any submission), so another course brings
its own file and the engine stays as it is. The file travels wherever the checker runs: in
the student bundle and in every export.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from autograder.course.config import load_course
from autograder.course.layout import Layout
from autograder.export.files import course_files
from autograder.isolation.connection import Connection
from autograder.isolation.in_process import InProcessBackend
from autograder.isolation.proxy import Submission
from autograder.isolation.remote import StudentError
from autograder.isolation.sandbox import bwrap_available
from autograder.isolation.worker_handle import WorkerHandle
from autograder.release.bundle import bundle_files
from autograder.testing import fn

REPO = Path(__file__).resolve().parents[2]
STUDENT = "def apply(f, x):\n    return f(x)\n"
OTHER_COURSE = textwrap.dedent('''
    def build(name, params):
        """Another course's helpers: every name is a constant function."""
        return lambda x: float(params["value"])
''')


def _backend(kind: str, functions: Path | None) -> Connection:
    if kind == "inprocess":
        return InProcessBackend(functions)
    return WorkerHandle(sandboxed=bwrap_available() is None, functions=functions)


@pytest.mark.parametrize("kind", ["inprocess", "worker"])
def test_the_callables_a_test_names_come_from_the_helpers_file_the_course_gives(kind, tmp_path):
    helpers = tmp_path / "course" / "functions.py"
    helpers.parent.mkdir()
    helpers.write_text(OTHER_COURSE)
    backend = _backend(kind, helpers)
    try:
        sub = Submission(backend, backend.open("student", STUDENT)["ok"], time_limit=20)
        assert sub.apply(fn("sum_of_squares", value=7), [3.0, 4.0]) == 7.0
    finally:
        backend.shutdown()


def test_a_course_without_helpers_file_fails_the_call_that_names_one(tmp_path):
    backend = _backend("inprocess", tmp_path / "course" / "functions.py")  # not there
    sub = Submission(backend, backend.open("student", STUDENT)["ok"], time_limit=20)
    with pytest.raises(StudentError, match="no trusted helpers"):
        sub.apply(fn("sum_of_squares"), [3.0, 4.0])


def test_the_student_bundle_and_the_exports_ship_the_helpers_file():
    layout = Layout(REPO)
    helpers = layout.functions_file.read_bytes()
    assert bundle_files(load_course(REPO), layout)["course/functions.py"] == helpers
    for hidden in (True, False):
        assert course_files(["a3_backprop"], layout, hidden=hidden)["course/functions.py"] == helpers
