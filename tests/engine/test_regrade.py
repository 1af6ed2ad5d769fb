"""`autograder grade ... --regrade STUDENT...`: grade named students again into an existing OUT."""

import shutil

import pytest

from tests.engine.conftest import TOY_SOLUTION, run_autograder

WRONG_ADD = TOY_SOLUTION.read_text().replace(
    "return np.asarray(a, dtype=float) + np.asarray(b, dtype=float)",
    "return np.asarray(a, dtype=float) * np.asarray(b, dtype=float)")


@pytest.fixture
def graded(tmp_path):
    """A class of three graded into OUT; ben's add was wrong, and he has fixed it since."""
    folders = {}
    for name, source in {"amy": TOY_SOLUTION.read_text(), "ben": WRONG_ADD, "cho": WRONG_ADD}.items():
        folders[name] = tmp_path / "class" / name
        folders[name].mkdir(parents=True)
        (folders[name] / "toy.py").write_text(source)
    out = tmp_path / "grades"
    first = run_autograder("grade", *map(str, folders.values()), "-o", str(out))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "ben,3,3" in (out / "gradebook.csv").read_text()
    shutil.copy(TOY_SOLUTION, folders["ben"] / "toy.py")  # the fix, after grading
    return folders, out


def test_a_plain_rerun_keeps_the_old_result_which_is_why_regrade_exists(graded):
    folders, out = graded
    again = run_autograder("grade", *map(str, folders.values()), "-o", str(out))
    assert again.returncode == 0 and "ben,3,3" in (out / "gradebook.csv").read_text()


def test_regrade_replaces_only_the_named_students_results(graded, tmp_path):
    folders, out = graded
    untouched = {name: (out / name / "toy.json").read_bytes() for name in ("amy", "cho")}
    old_feedback = (out / "ben" / "feedback.md").read_text()
    result = run_autograder("grade", str(folders["ben"]), "-o", str(out), "--regrade", "ben")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "gradebook.csv").read_text() == "student,toy,total\namy,6,6\nben,6,6\ncho,3,3\n"
    assert {name: (out / name / "toy.json").read_bytes() for name in ("amy", "cho")} == untouched
    feedback = (out / "ben" / "feedback.md").read_text()
    assert feedback != old_feedback and "6 / 6" in feedback
    # the same gradebook, byte for byte, as grading the fixed class from scratch
    fresh = run_autograder("grade", *map(str, folders.values()), "-o", str(tmp_path / "fresh"))
    assert fresh.returncode == 0
    assert (out / "gradebook.csv").read_bytes() == (tmp_path / "fresh" / "gradebook.csv").read_bytes()


def test_unknown_student_ids_are_a_clear_error_and_change_nothing(graded):
    folders, out = graded
    before = (out / "gradebook.csv").read_bytes()
    result = run_autograder("grade", *map(str, folders.values()), "-o", str(out),
                            "--regrade", "ben", "zed", "kim")
    said = " ".join(result.stdout.split())  # Rich wraps long lines
    assert result.returncode == 2
    assert "'kim', 'zed'" in said and "folder name" in said
    assert (out / "gradebook.csv").read_bytes() == before
    assert (out / "ben" / "toy.json").is_file()  # nothing deleted


def test_regrade_needs_an_existing_output(graded, tmp_path):
    folders, _ = graded
    result = run_autograder("grade", str(folders["ben"]), "-o", str(tmp_path / "none"), "--regrade", "ben")
    assert result.returncode == 2 and "earlier grading output" in " ".join(result.stdout.split())


def test_a_student_new_to_the_output_is_added_to_the_gradebook(graded):
    folders, out = graded
    late = folders["amy"].parent / "dan"
    late.mkdir()
    (late / "toy.py").write_text(WRONG_ADD)
    result = run_autograder("grade", str(late), "-o", str(out), "--regrade", "dan")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "gradebook.csv").read_text() == (
        "student,toy,total\namy,6,6\nben,3,3\ncho,3,3\ndan,3,3\n")
