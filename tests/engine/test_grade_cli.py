"""`autograder grade` end to end on the toy course: scores, reasons, files, resume."""

import csv
import json

import pytest

from tests.engine.conftest import TOY, TOY_SOLUTION, run_autograder

WRONG_ADD = TOY_SOLUTION.read_text().replace(
    "return np.asarray(a, dtype=float) + np.asarray(b, dtype=float)",
    "return np.asarray(a, dtype=float) * np.asarray(b, dtype=float)")
FORBIDDEN_TOTAL = TOY_SOLUTION.read_text().replace(
    "def total(values):", "def total(values):\n    return float(np.sum(values))\n\n\ndef _old(values):")
HANGS = TOY_SOLUTION.read_text().replace(
    '"""The sum of a list."""', '"""Hangs."""\n    while True:\n        pass')


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    sources = {"alice": TOY_SOLUTION.read_text(), "bob": WRONG_ADD, "carol": "def add(:\n",
               "erin": FORBIDDEN_TOTAL, "frank": HANGS}
    for name, source in sources.items():
        (base / name).mkdir()
        (base / name / "toy.py").write_text(source)
    (base / "dave").mkdir()  # submitted nothing
    out = base / "out"
    folders = sorted(str(p) for p in base.iterdir() if p.name != "out")
    result = run_autograder("grade", *folders, "-a", "toy", "-o", str(out), "-j", "2",
                            "--junit", str(out / "junit.xml"))
    return result, out, folders


def results(out, student):
    return json.loads((out / student / "toy.json").read_text())


def by_name(data):
    return {t["name"].split(": ", 1)[1]: t for t in data["tests"]}


def test_grade_exits_zero_and_writes_a_gradebook_row_per_student(graded):
    result, out, _ = graded
    assert result.returncode == 0, result.stderr + result.stdout
    rows = list(csv.DictReader((out / "gradebook.csv").open()))
    assert [r["student"] for r in rows] == ["alice", "bob", "carol", "dave", "erin", "frank"]
    assert {r["student"]: r["total"] for r in rows} == {
        # dave submitted nothing: empty, never 0 (grader.md, Revision 2)
        "alice": "6", "bob": "3", "carol": "0", "dave": "", "erin": "5", "frank": "5"}
    assert {r["student"]: r["toy"] for r in rows}["dave"] == ""  # not submitted is not 0


def test_results_follow_the_gradescope_schema(graded):
    _, out, _ = graded
    data = results(out, "alice")
    assert data["score"] == data["max_score"] == 6
    assert {"score", "max_score", "execution_time", "tests"} <= data.keys()
    for test in data["tests"]:
        assert {"name", "score", "max_score", "status", "output", "visibility", "tags"} <= test.keys()
        assert test["status"] == "passed" and test["tags"][0] in {"add", "total", "scale"}
    assert by_name(data)["test_add_arrays"]["visibility"] == "after_published"
    assert by_name(data)["test_add_small_numbers"]["visibility"] == "visible"


def test_a_wrong_function_loses_its_points_with_expected_and_got(graded):
    _, out, _ = graded
    tests = by_name(results(out, "bob"))
    assert tests["test_add_small_numbers"]["score"] == 0
    assert "returned 6.0; expected 5.0" in tests["test_add_small_numbers"]["output"]
    assert tests["test_add_arrays"]["output"].endswith("(2 of 2 cases failed)")
    assert tests["test_total_of_list"]["status"] == "passed"
    assert tests["test_scale_does_not_modify_input"]["status"] == "passed"


def test_the_hint_named_by_the_evidence_appears_in_the_output(graded):
    _, out, _ = graded
    output = by_name(results(out, "bob"))["test_add_small_numbers"]["output"]
    assert output.startswith("[hint:mse-no-mean] ")  # the toy suite maps a*b to that id


def test_a_syntax_error_is_an_error_and_a_missing_module_not_submitted_with_the_reason(graded):
    _, out, _ = graded
    carol, dave = results(out, "carol"), results(out, "dave")
    assert carol["score"] == 0 and "syntax error at line 1" in carol["output"]
    assert carol["extra_data"]["status"] == "error"
    assert all(t["output"].startswith("not graded: toy.py has a syntax error at line 1")
               for t in carol["tests"]) and carol["tests"]
    assert dave["output"].startswith("not submitted: no toy.py or toy.ipynb")
    assert dave["extra_data"]["status"] == "not_submitted" and dave["tests"]
    assert all(t["output"] == dave["output"] for t in dave["tests"])
    assert results(out, "alice")["extra_data"]["status"] == "graded"
    assert carol["max_score"] == dave["max_score"] == 6


def test_forbidden_api_zeroes_only_that_function(graded):
    _, out, _ = graded
    tests = by_name(results(out, "erin"))
    assert tests["test_total_of_list"]["score"] == 0
    assert tests["test_total_of_list"]["output"].startswith("[hint:forbidden-api]")
    assert "numpy.sum" in tests["test_total_of_list"]["output"]
    assert tests["test_add_small_numbers"]["status"] == "passed"


def test_a_hanging_function_times_out_and_the_rest_is_graded(graded):
    _, out, _ = graded
    tests = by_name(results(out, "frank"))
    assert tests["test_total_of_list"]["output"] == "timed out after 3 s"
    assert tests["test_scale_does_not_modify_input"]["status"] == "passed"


def test_feedback_and_junit_files(graded):
    _, out, _ = graded
    feedback = (out / "bob" / "feedback.md").read_text()
    assert "| `add` | 0 / 3 |" in feedback and "[hint:mse-no-mean]" in feedback
    assert "arange" not in feedback  # a hidden test's inputs are not shown to the student
    junit = (out / "junit.xml").read_text()
    # dave submitted nothing: one skipped case says so, instead of four failures
    assert junit.count("<testcase") == 5 * 4 + 1 and 'name="bob.toy"' in junit
    assert junit.count("<skipped") == 1 and 'name="dave.toy"' in junit


def test_rerun_resumes_only_missing_work_with_the_same_gradebook(graded):
    result, out, folders = graded
    before = (out / "gradebook.csv").read_text()
    bob = out / "bob" / "toy.json"
    bob.unlink()
    alice_mtime = (out / "alice" / "toy.json").stat().st_mtime_ns
    again = run_autograder("grade", *folders, "-a", "toy", "-o", str(out))
    assert again.returncode == 0, again.stdout
    assert (out / "gradebook.csv").read_text() == before
    assert bob.exists()
    assert (out / "alice" / "toy.json").stat().st_mtime_ns == alice_mtime


def test_no_half_written_files_are_left(graded):
    _, out, _ = graded
    assert not [p for p in out.rglob("*.tmp")]


def test_unknown_assignment_is_a_usage_error(tmp_path):
    result = run_autograder("grade", str(tmp_path), "-a", "nope", "-o", str(tmp_path / "o"))
    assert result.returncode == 2 and "no assignment 'nope'" in result.stdout


def test_check_passes_the_reference_and_fails_the_stub(toy_student):
    ok = run_autograder("check", "toy", str(toy_student("me")))
    assert ok.returncode == 0, ok.stdout
    assert "test_add_small_numbers" in ok.stdout and "test_add_arrays" not in ok.stdout
    stub = run_autograder("check", "toy", str(TOY / "assignments" / "toy"))
    assert stub.returncode == 1 and "NotImplementedError" in stub.stdout


def test_check_grades_exactly_the_file_given(toy_student, tmp_path):
    folder = toy_student("me")
    wrong = tmp_path / "my_attempt.py"
    wrong.write_text(WRONG_ADD)
    result = run_autograder("check", "toy", str(wrong))
    assert result.returncode == 1 and "returned 6.0; expected 5.0" in result.stdout
    assert run_autograder("check", "toy", str(folder / "toy.py")).returncode == 0
