"""Typed results: built once, written as Gradescope JSON, read back as facts, never as text."""

import json
from dataclasses import replace
from typing import Any

import pytest

from autograder.course.config import Assignment
from autograder.isolation.remote import CallSkipped, CallTimeout, StudentError
from autograder.outputs.class_report import load_results
from autograder.outputs.feedback import render_markdown
from autograder.outputs.gradebook import read_gradebook, write_gradebook
from autograder.outputs.store import read_results, write_results
from autograder.plugin.hooks import failure_reason
from autograder.scoring.outcomes import Outcome, build_results
from autograder.scoring.results import AssignmentResult, TestResult
from autograder.scoring.score import format_points
from autograder.testing import GradedFailure

ASSIGNMENT = Assignment(slug="a1_losses", title="t", module="losses",
                        tests={"test_mse": 2, "test_mae": 1.5, "test_r2": 3})


def _built() -> AssignmentResult:
    outcomes = [Outcome("test_mse", "mse", False, False, message="mse returned 9", hint="mse-no-mean"),
                Outcome("test_mae", "mae", True, False, message="raised", detail="all of it",
                        reason="error", seconds=0.25),
                Outcome("test_r2", "r2_score", False, True)]
    built = build_results(ASSIGNMENT, outcomes, forbidden={}, error=None, sandbox="bubblewrap",
                          student="kim")
    return replace(built, late={"due": "2026-10-05T23:59:00+09:00", "penalty_percent": 20.0})


def test_a_result_comes_back_from_its_gradescope_file_as_it_was():
    built = _built()
    data = json.loads(json.dumps(built.to_gradescope()))
    assert AssignmentResult.from_gradescope(data) == built
    assert AssignmentResult.from_gradescope(data).to_gradescope() == data
    mse, mae, _ = data["tests"]
    # the Gradescope fields as they always were, the facts beside them in extra_data
    assert (mse["name"], mse["tags"], mse["status"]) == ("mse: test_mse", ["mse", "public"], "failed")
    assert mse["extra_data"] == {"test": "test_mse", "function": "mse", "reason": "wrong",
                                 "hints": ["mse-no-mean"]}
    assert mae["visibility"] == "after_published" and mae["extra_data"]["detail"] == "all of it"
    assert (data["score"], data["max_score"]) == (3, 6.5)


def test_a_results_file_written_and_read_through_the_store(tmp_path):
    write_results(tmp_path / "kim" / "a1_losses.json", _built())
    assert read_results(tmp_path, "kim", "a1_losses") == _built()
    (tmp_path / "lee").mkdir()
    (tmp_path / "lee" / "a1_losses.json").write_text('["not", "a result"]')
    assert read_results(tmp_path, "lee", "a1_losses") is None


def test_odd_fields_read_as_absent():
    result = AssignmentResult.from_gradescope({
        "score": "NaN", "max_score": [], "tests": [5, {"tags": "mse", "score": None,
                                                        "extra_data": {"reason": "??", "hints": "x"}}],
        "extra_data": {"status": "done", "student": 3, "late": "yes"}})
    assert (result.score, result.max_score, result.status, result.student, result.late) == \
        (0.0, None, "graded", None, None)
    (test,) = result.tests
    assert (test.function, test.points, test.reason, test.hints) == ("(untagged)", 0.0, "wrong", ())


def _typed_test(**changes: Any) -> TestResult:
    test = TestResult(test="test_sigmoid", function="sigmoid", hidden=False, passed=False,
                      points=0.0, max_points=4.0, reason="wrong", output="")
    return replace(test, **changes)


def _out_with(tmp_path, *tests: TestResult):
    result = AssignmentResult(slug="a4", status="graded", tests=tests, score=0.0,
                              max_score=sum(t.max_points for t in tests))
    write_results(tmp_path / "bob" / "a4.json", result)
    return load_results(tmp_path)


def test_the_class_report_reads_the_reason_not_the_output_text(tmp_path):
    said_so = _typed_test(output="it printed 'timed out' and returned 0.3")  # a wrong value
    data = _out_with(tmp_path, said_so)
    assert not data.timeouts
    silent = _typed_test(reason="timeout", output="10초 안에 끝나지 않았습니다 (시간 초과)")
    data = _out_with(tmp_path, silent)
    assert list(data.timeouts) == [("bob", "a4")]


def test_hints_are_the_recorded_ids_not_markers_in_the_text(tmp_path):
    from autograder.outputs.class_report import _misconceptions

    quoted = _typed_test(output="your code printed [hint:gd-ascent]", hints=("mse-no-mean",))
    page = _misconceptions(_out_with(tmp_path, quoted))
    assert "mse-no-mean" in page and "gd-ascent" not in page


def test_a_function_name_with_a_colon_stays_whole():
    test = _typed_test(function="Net: forward", test="test_forward: shapes")
    read = TestResult.from_gradescope(json.loads(json.dumps(test.to_gradescope())))
    assert (read.function, read.test) == ("Net: forward", "test_forward: shapes")
    result = AssignmentResult(slug="a5", status="graded", tests=(read,), score=0.0, max_score=4.0)
    text = render_markdown("kim", {"a5": result})
    assert "| `Net: forward` | 0 / 4 | ✗ |" in text
    assert "### `Net: forward`: test_forward: shapes" in text


def test_the_status_is_the_recorded_one_whatever_the_error_text_says():
    found = {"score": 2, "max_score": 5, "tests": [],
             "extra_data": {"status": "graded", "error": "no x.py found (looked for x.py)"}}
    assert AssignmentResult.from_gradescope(found).status == "graded"
    assert AssignmentResult.from_gradescope({"score": 2, "output": "could not grade"}).status == "graded"


def _info(exc: BaseException) -> pytest.ExceptionInfo[BaseException]:
    with pytest.raises(BaseException) as info:
        raise exc
    return info


def test_why_a_test_failed_is_read_from_the_exception():
    assert failure_reason(_info(CallTimeout(10))) == "timeout"
    assert failure_reason(_info(CallSkipped("time budget used up"))) == "budget"
    assert failure_reason(_info(StudentError("ValueError", "timed out"))) == "error"
    assert failure_reason(_info(AssertionError("timed out after 10 s"))) == "wrong"
    with pytest.raises(GradedFailure) as info:  # a test that said the student's error its way
        try:
            raise CallTimeout(3)
        except CallTimeout:
            raise GradedFailure("mse(...) did not finish") from None
    assert failure_reason(info) == "timeout"


def test_points_are_written_one_way():
    assert [format_points(x) for x in (3.0, 2.5, 2 / 3, 1e6)] == ["3", "2.5", "0.67", "1000000"]
    assert [format_points(x, decimals=True) for x in (6.0, 6.5)] == ["6", "6.50"]


def test_the_gradebook_reads_back_what_it_wrote(tmp_path):
    for student, score in (("=cmd", 2.5), ("kim", 6.0)):
        result = AssignmentResult(slug="a1", status="graded", tests=(), score=score, max_score=6.5)
        write_results(tmp_path / student / "a1.json", result)
    write_gradebook(tmp_path, ["=cmd", "kim"], ["a1"])
    assert (tmp_path / "gradebook.csv").read_text() == "student,a1,total\n'=cmd,2.5,2.5\nkim,6,6\n"
    book = read_gradebook(tmp_path)
    assert (book.slugs, book.students) == (["a1"], ["=cmd", "kim"])
