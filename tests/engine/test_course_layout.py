"""Which course a command acts on (autograder.course.layout), and paths relative to where it is run."""

from __future__ import annotations

import csv
import shutil

import pytest

from autograder.course.layout import CourseNotFound, Layout
from tests.engine.conftest import TOY, TOY_SOLUTION, run_autograder


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("AUTOGRADER_ROOT", raising=False)


@pytest.fixture
def toy_copy(tmp_path):
    copy = tmp_path / "my course"
    shutil.copytree(TOY, copy)
    return copy


def test_the_nearest_course_yml_above_the_current_directory_is_the_course(toy_copy, no_env):
    deep = toy_copy / "tests" / "toy"
    assert Layout.find(start=deep).root == toy_copy
    assert Layout.find(start=toy_copy).root == toy_copy


def test_course_option_wins_over_the_environment_which_wins_over_the_folder(toy_copy, tmp_path,
                                                                             monkeypatch):
    other = tmp_path / "other"
    shutil.copytree(TOY, other)
    monkeypatch.setenv("AUTOGRADER_ROOT", str(other))
    assert Layout.find(start=toy_copy).root == other
    assert Layout.find(toy_copy, start=other).root == toy_copy


def test_no_course_is_an_error_that_says_what_to_do(tmp_path, no_env):
    with pytest.raises(CourseNotFound, match="--course DIR"):
        Layout.find(start=tmp_path)
    with pytest.raises(CourseNotFound, match="holds no course.yml"):
        Layout.find(tmp_path)


def test_a_command_outside_any_course_exits_2_and_never_uses_the_installed_package(tmp_path):
    result = run_autograder("check", "toy", root=None, cwd=tmp_path)
    assert result.returncode == 2
    assert "no course.yml in" in result.stdout and "--course DIR" in result.stdout


def test_every_command_says_its_course_in_its_first_line(toy_copy, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = run_autograder("check", "toy", str(toy_copy / "solutions" / "toy"), root=None,
                           cwd=toy_copy / "tests")  # found from a subfolder
    given = run_autograder("check", "--course", str(toy_copy), "toy", root=None, cwd=elsewhere)
    for result in (found, given):
        assert result.stdout.splitlines()[0] == f"course: {toy_copy}", result.stdout
    assert found.returncode == 0 and given.returncode == 1  # the reference passes, the stub not


def test_grade_with_relative_paths_from_an_unrelated_folder(toy_copy, tmp_path):
    """It crashed every slot (FileNotFoundError out/.logs/roster-0.json): slots run in the course."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "class" / "alice").mkdir(parents=True)
    shutil.copy(TOY_SOLUTION, elsewhere / "class" / "alice" / "toy.py")
    result = run_autograder("--course", str(toy_copy), "grade", "class/alice", "-o", "out",
                            "--junit", "junit.xml", root=None, cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(elsewhere / "out" / "gradebook.csv", newline="") as f:
        assert list(csv.DictReader(f)) == [{"student": "alice", "toy": "6", "total": "6"}]
    assert (elsewhere / "junit.xml").is_file()
    assert not (toy_copy / "out").exists() and not (toy_copy / "junit.xml").exists()
