"""The nbgrader round trip with the real nbgrader, in a copy of the course with one new hidden test.

In a temporary copy of the repository: add a hidden test of `mse` (and its points in course.yml),
put an instructor's setting in nbgrader_config.py, run `autograder release` there (from the
copy, no AUTOGRADER_ROOT), then generate_assignment -> release_assignment -> fetch_assignment
as a student -> answer three ways -> submit -> collect -> autograde -> generate_feedback ->
export. nbgrader's points equal `autograder grade`'s on the same collected notebooks (its
`submitted/` folder is a class folder as it is): the reference earns full points, the stub 0,
and a submission that fails only the new hidden test loses exactly that test's points in both.
About three minutes on a free machine: release, then ten nbgrader commands of a few seconds.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from autograder.course.config import load_course
from autograder.release.derived import BEGIN, END
from autograder.release.nbgrader_course import COURSE_ID, nbgrader

REPO = Path(__file__).resolve().parents[2]
SLUG = "a1_losses"
NOTEBOOK = "losses.ipynb"
NEW_TEST = "test_mse_of_one_quarter_squared"
NEW_POINTS = 2
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "grades", "__pycache__",
                                     ".pytest_cache", ".ruff_cache", "*.egg-info", "*.ipynb")

HIDDEN_TEST = f'''


@pytest.mark.grades("mse")
def {NEW_TEST}(sub):
    check_value(sub.mse([0.75], [0.25]), 0.25, call="mse([0.75], [0.25])")
'''

# Right everywhere except on the new hidden test's input.
ALMOST_MSE = '''\
import numpy as np


def mse(y_pred, y_true):
    y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
    if y_pred.shape != y_true.shape:
        raise ValueError("shapes differ")
    if y_pred.shape == (1,) and y_pred[0] == 0.75:
        return 0.0
    return float(np.mean((y_pred - y_true) ** 2))
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
# An instructor's own setting, outside the generated block: `release` must keep it.
MINE = "c.Exporter.plugin_class = 'nbgrader.plugins.export.CsvExportPlugin'  # kept by release\n"


def _solutions(source: nbformat.NotebookNode) -> dict[str, str]:
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def fill(notebook: nbformat.NotebookNode, source: nbformat.NotebookNode, variant: str) -> None:
    """Answer the released notebook: with the reference, almost right, or not at all."""
    if variant == "stub":
        return
    answers = _solutions(source)
    if variant == "mistake":  # fails only the new hidden test; a right but noisy mae
        answers["mse"] = ALMOST_MSE
        answers["mae"] += NOISE
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = answers[meta["grade_id"]]


STUDENTS = ("reference", "stub", "mistake")


def add_hidden_test(copy: Path) -> None:
    suite = copy / "tests" / SLUG / "test_hidden.py"
    suite.write_text(suite.read_text() + HIDDEN_TEST)
    data = yaml.safe_load((copy / "course.yml").read_text())
    next(a for a in data["assignments"] if a["slug"] == SLUG)["tests"][NEW_TEST] = NEW_POINTS
    (copy / "course.yml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


@pytest.fixture(scope="module")
def roundtrip(tmp_path_factory):
    base = tmp_path_factory.mktemp("nbgrader")
    copy = base / "course"
    shutil.copytree(REPO, copy, ignore=COPY_IGNORE)
    add_hidden_test(copy)
    course_dir = copy / "build" / "nbgrader"
    course_dir.mkdir(parents=True)
    config = course_dir / "nbgrader_config.py"
    config.write_text(f"c = get_config()  # noqa: F821\n{MINE}\n# {BEGIN}\n# {END}\n")
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_ROOT"}
    released = subprocess.run([sys.executable, "-m", "autograder", "release"], cwd=copy, env=env,
                              capture_output=True, text=True, timeout=900)
    assert released.returncode == 0, released.stdout + released.stderr
    exchange, home = base / "exchange", base / "home"
    exchange.mkdir()
    home.mkdir()
    flags = [f"--Exchange.root={exchange}"]
    student_flags = [f"--course={COURSE_ID}", *flags, f"--Exchange.cache={base / 'cache'}"]
    seconds: dict[str, float] = {}
    course = load_course(copy)
    source = nbformat.read(course_dir / "source" / SLUG / NOTEBOOK, as_version=4)

    def step(name: str, where: Path, *args: str) -> None:
        start = time.monotonic()
        nbgrader(where, *args)
        seconds[name] = seconds.get(name, 0.0) + time.monotonic() - start

    with pytest.MonkeyPatch.context() as patch:  # the kernels find the copy from nbgrader_config.py
        patch.delenv("AUTOGRADER_ROOT", raising=False)
        step("release_assignment", course_dir, "release_assignment", SLUG, *flags)
        # Each nbgrader command starts in seconds, so the assignment is fetched once; each
        # student then answers their own copy and submits it under their id.
        step("fetch_assignment", home, "fetch_assignment", SLUG, *student_flags)
        path = home / SLUG / NOTEBOOK
        fetched = path.read_text()
        for student in STUDENTS:
            notebook = nbformat.reads(fetched, as_version=4)
            fill(notebook, source, student)
            nbformat.write(notebook, path)
            step("submit", home, "submit", SLUG, f"--student={student}", *student_flags)
        step("collect", course_dir, "collect", SLUG, *flags)
        for name in ("autograde", "generate_feedback", "export"):
            step(name, course_dir, name, *([SLUG] if name != "export" else []))
    with open(course_dir / "grades.csv", newline="") as f:
        grades = list(csv.DictReader(f))
    out = base / "out"
    graded = subprocess.run([sys.executable, "-m", "autograder", "grade", str(course_dir / "submitted"),
                             "-a", SLUG, "-o", str(out)], cwd=copy, env=env, capture_output=True,
                            text=True, timeout=900)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    ours = {s: json.loads((out / s / f"{SLUG}.json").read_text()) for s in STUDENTS}
    print(f"\nnbgrader round trip: {sum(seconds.values()):.0f} s "
          + ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items()))
    return copy, course, grades, fetched, ours, graded.stdout


def _score(grades: list[dict], student: str, slug: str = SLUG) -> tuple[float, float]:
    row = next(r for r in grades if r["student_id"] == student and r["assignment"] == slug)
    return float(row["score"]), float(row["max_score"])


def test_release_keeps_the_instructors_settings_and_fills_the_generated_block(roundtrip):
    copy, *_ = roundtrip
    config = (copy / "build" / "nbgrader" / "nbgrader_config.py").read_text()
    assert MINE in config and "c.CourseDirectory.course_id = 'pytorch-ch2'" in config
    assert f"os.environ[\"AUTOGRADER_ROOT\"] = {str(copy)!r}" in config


def test_generate_assignment_strips_solutions_and_hidden_tests_of_every_assignment(roundtrip):
    copy, course, *_ = roundtrip
    for a in course.assignments:
        released = copy / "build" / "nbgrader" / "release" / a.slug
        assert sorted(p.name for p in released.iterdir()) == [f"{a.module}.ipynb"]
        text = (released / f"{a.module}.ipynb").read_text()
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        assert "raise NotImplementedError()" in text and NEW_TEST not in text


def test_students_fetch_the_notebook_release_wrote_in_assignments(roundtrip):
    copy, _, _, fetched, *_ = roundtrip
    assert fetched == (copy / "assignments" / SLUG / NOTEBOOK).read_text()


def test_the_source_notebook_holds_the_new_hidden_test_in_its_hidden_cell(roundtrip):
    copy, *_ = roundtrip
    source = nbformat.read(copy / "build" / "nbgrader" / "source" / SLUG / NOTEBOOK, as_version=4)
    cell = next(c for c in source.cells if c.id == "mse_hidden_tests")
    assert f"def {NEW_TEST}(sub):" in cell.source.split("### BEGIN HIDDEN TESTS")[1]
    hidden = _hidden_mse_tests(copy)
    assert NEW_TEST in hidden
    assert cell.metadata.nbgrader.points == sum(load_course(copy).assignment(SLUG).tests[t] for t in hidden)


def _hidden_mse_tests(copy: Path) -> set[str]:
    from autograder.release.points import graded_tests

    return {t for t, f in graded_tests(copy / "tests" / SLUG / "test_hidden.py").items() if f == "mse"}


def test_source_folders_hold_only_the_notebook(roundtrip):
    """nbgrader copies other files verbatim (markers and all) and over students' files."""
    copy, course, *_ = roundtrip
    for a in course.assignments:
        folder = copy / "build" / "nbgrader" / "source" / a.slug
        assert [p.name for p in folder.iterdir()] == [f"{a.module}.ipynb"]


def test_nbgrader_and_autograder_grade_give_the_same_points(roundtrip):
    """The reference full marks, the stub 0, and the submission that fails only the new hidden
    test loses exactly its points, in both graders. (Its mae warns and writes to stderr: that
    costs nothing in nbgrader, thanks to IgnorePattern.)"""
    _, course, grades, _, ours, _ = roundtrip
    maximum = course.assignment(SLUG).max_score
    expected = {"reference": maximum, "stub": 0.0, "mistake": maximum - NEW_POINTS}
    assert {s: _score(grades, s)[0] for s in STUDENTS} == expected
    assert {s: ours[s]["score"] for s in STUDENTS} == expected
    failed = [t["name"] for t in ours["mistake"]["tests"] if t["status"] == "failed"]
    assert failed == [f"mse: {NEW_TEST}"]


def test_the_collected_folder_is_graded_as_the_class(roundtrip):
    *_, stdout = roundtrip
    assert "taken as the class folder" in stdout and "course: " in stdout


def test_nbgrader_max_score_of_every_assignment_equals_course_yml(roundtrip):
    _, course, grades, *_ = roundtrip
    for a in course.assignments:
        rows = [r for r in grades if r["assignment"] == a.slug]
        assert rows, f"{a.slug} is not in nbgrader's gradebook"
        assert {float(r["max_score"]) for r in rows} == {a.max_score}, a.slug


def test_feedback_is_generated_for_every_student(roundtrip):
    copy, *_ = roundtrip
    feedback = copy / "build" / "nbgrader" / "feedback"
    for student in STUDENTS:
        assert (feedback / student / SLUG / "losses.html").is_file()
    # by nbgrader's design the feedback shows the hidden tests (docs/nbgrader.md says so)
    assert "BEGIN HIDDEN TESTS" in (feedback / "stub" / SLUG / "losses.html").read_text()
