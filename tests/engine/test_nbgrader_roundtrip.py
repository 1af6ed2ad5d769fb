"""The nbgrader round trip with the real nbgrader and a local exchange directory.

generate_assignment (every assignment) -> release_assignment -> fetch_assignment as a student ->
fill in three ways -> submit (three students) -> collect -> autograde -> generate_feedback ->
export. The reference earns full points, the stub 0, a wrong `mse` loses exactly the points of
`mse`, and the points nbgrader reports equal course.yml's. Each nbgrader command takes a few
seconds just to start: the whole round trip is ten of them, about a minute on a free machine.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import nbformat
import pytest

from autograder.config import load_course
from autograder.release.nbgrader_course import COURSE_ID, nbgrader, write_course
from autograder.release.notebooks import source_notebook
from autograder.release.points import function_points

REPO = Path(__file__).resolve().parents[2]
SLUG = "a1_losses"
NOTEBOOK = "losses.ipynb"

WRONG_MSE = '''\
import numpy as np


def mse(y_pred, y_true):
    # a classic mistake: the sum of the squared errors, not their mean
    y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
    if y_pred.shape != y_true.shape:
        raise ValueError("shapes differ")
    return float(np.sum((y_pred - y_true) ** 2))
'''

# Warnings and stderr output in the student's code: nbgrader would fail every test cell that
# shows them unless IgnorePattern filters them (nbgrader_config.py does).
NOISE = '''

import sys as _sys
import warnings as _warnings

_quiet_mae = mae


def mae(y_pred, y_true):
    _warnings.warn("a harmless warning from the student's code", UserWarning, stacklevel=1)
    print("debug output on stderr", file=_sys.stderr)
    return _quiet_mae(y_pred, y_true)
'''


def _solutions(source: nbformat.NotebookNode) -> dict[str, str]:
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def fill(notebook: nbformat.NotebookNode, source: nbformat.NotebookNode, variant: str) -> None:
    """Answer the released notebook: with the reference, with a mistake, or not at all."""
    if variant == "stub":
        return
    answers = _solutions(source)
    if variant == "mistake":  # a wrong mse, and a right but noisy mae
        answers["mse"] = WRONG_MSE
        answers["mae"] += NOISE
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = answers[meta["grade_id"]]


STUDENTS = ("reference", "stub", "mistake")


@pytest.fixture(scope="module")
def roundtrip(tmp_path_factory):
    base = tmp_path_factory.mktemp("nbgrader")
    course = load_course(REPO)
    sources = {a.slug: source_notebook(a, REPO) for a in course.assignments}
    root, exchange, home = base / "course", base / "exchange", base / "home"
    exchange.mkdir()
    home.mkdir()
    write_course(root, course, sources, exchange=exchange)
    student_flags = [f"--course={COURSE_ID}", f"--Exchange.root={exchange}",
                     f"--Exchange.cache={base / 'cache'}"]
    seconds: dict[str, float] = {}

    def step(name: str, where: Path, *args: str) -> None:
        start = time.monotonic()
        nbgrader(where, *args)
        seconds[name] = seconds.get(name, 0.0) + time.monotonic() - start

    step("generate_assignment", root, "generate_assignment", "*", "--force")
    step("release_assignment", root, "release_assignment", SLUG)
    # Each nbgrader command starts in seconds, so the assignment is fetched once; each student
    # then answers their own copy and submits it under their id.
    step("fetch_assignment", home, "fetch_assignment", SLUG, *student_flags)
    path = home / SLUG / NOTEBOOK
    fetched = path.read_text()
    for student in STUDENTS:
        notebook = nbformat.reads(fetched, as_version=4)
        fill(notebook, sources[SLUG], student)
        nbformat.write(notebook, path)
        step("submit", home, "submit", SLUG, f"--student={student}", *student_flags)
    for name in ("collect", "autograde", "generate_feedback"):
        step(name, root, name, SLUG)
    step("export", root, "export")
    with open(root / "grades.csv", newline="") as f:
        grades = list(csv.DictReader(f))
    print(f"\nnbgrader round trip: {sum(seconds.values()):.0f} s "
          + ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items()))
    return root, course, grades, fetched


def _score(grades: list[dict], student: str, slug: str = SLUG) -> tuple[float, float]:
    row = next(r for r in grades if r["student_id"] == student and r["assignment"] == slug)
    return float(row["score"]), float(row["max_score"])


def test_generate_assignment_strips_solutions_and_hidden_tests_of_every_assignment(roundtrip):
    root, course, _, _ = roundtrip
    for a in course.assignments:
        released = root / "release" / a.slug
        assert sorted(p.name for p in released.iterdir()) == [f"{a.module}.ipynb"]
        text = (released / f"{a.module}.ipynb").read_text()
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        assert "raise NotImplementedError()" in text


def test_students_fetch_the_notebook_committed_in_assignments(roundtrip):
    *_, fetched = roundtrip
    assert fetched == (REPO / "assignments" / SLUG / NOTEBOOK).read_text()


def test_source_folders_hold_only_the_notebook(roundtrip):
    """nbgrader copies other files verbatim (markers and all) and over students' files."""
    root, course, _, _ = roundtrip
    for a in course.assignments:
        assert [p.name for p in (root / "source" / a.slug).iterdir()] == [f"{a.module}.ipynb"]


def test_the_reference_earns_full_points_equal_to_course_yml(roundtrip):
    _, course, grades, _ = roundtrip
    assert _score(grades, "reference") == (course.assignment(SLUG).max_score,) * 2


def test_the_stub_earns_zero(roundtrip):
    _, _, grades, _ = roundtrip
    assert _score(grades, "stub")[0] == 0


def test_a_wrong_mse_loses_exactly_the_points_of_mse(roundtrip):
    """The same student's mae warns and writes to stderr: that costs nothing (IgnorePattern)."""
    _, course, grades, _ = roundtrip
    assignment = course.assignment(SLUG)
    mse = function_points(assignment, REPO)["mse"]
    assert mse.public > 0 and mse.hidden > 0
    assert _score(grades, "mistake")[0] == assignment.max_score - mse.total


def test_nbgrader_max_score_of_every_assignment_equals_course_yml(roundtrip):
    _, course, grades, _ = roundtrip
    for a in course.assignments:
        rows = [r for r in grades if r["assignment"] == a.slug]
        assert rows, f"{a.slug} is not in nbgrader's gradebook"
        assert {float(r["max_score"]) for r in rows} == {a.max_score}, a.slug


def test_feedback_is_generated_for_every_student(roundtrip):
    root, _, _, _ = roundtrip
    for student in STUDENTS:
        feedback = root / "feedback" / student / SLUG / "losses.html"
        assert feedback.is_file()
    # by nbgrader's design the feedback shows the hidden tests (docs/nbgrader.md says so)
    assert "BEGIN HIDDEN TESTS" in (root / "feedback" / "stub" / SLUG / "losses.html").read_text()
