"""The trusted side's boundary, unit by unit: what arrives from a worker is made valid and
capped where it is received; a hidden failure is told in the grader's words only; results
files are capped; one student's broken results are that student's error."""

from __future__ import annotations

import json
import os
import struct
import time
from types import SimpleNamespace

import pytest

from autograder.course.config import Assignment
from autograder.isolation.pipes import ReplyReader
from autograder.isolation.remote import StudentError, builtin_type, call_record, error_from_reply
from autograder.outputs.store import write_results
from autograder.plugin import hooks
from autograder.sanitize import FEEDBACK_LIMIT, ITEM_LIMIT
from autograder.scoring.outcomes import Outcome, build_results
from autograder.testing import GradedFailure, check_value
from autograder.worker import wire

ASSIGNMENT = Assignment(slug="toy", title="t", module="toy", tests={"test_a": 1, "test_b": 1})
MB = 1024 * 1024


def test_a_forged_error_reply_is_made_valid_and_capped_where_it_is_received():
    exc = error_from_reply({"type": "T" * 10_000, "mro": ["ValueError"] * 10_000 + [3],
                            "message": "\ud800\x1b[2J" + "M" * (8 * MB),
                            "traceback": "B" * (3 * MB) + "\nline 7"})
    assert isinstance(exc, ValueError) and builtin_type(exc) == "ValueError"
    assert exc.message.startswith("\\ud800\\x1b[2J") and len(exc.message) < ITEM_LIMIT + 100
    assert len(exc.type_name) < 200 and len(exc.traceback) < 3 * ITEM_LIMIT
    assert exc.traceback.rstrip().endswith("line 7")  # the end says where it failed
    json.dumps(exc.message).encode("utf-8")  # encodable


def test_a_call_record_of_junk_is_capped_and_never_raises():
    record = call_record({"warnings": ["W" * MB] * 1000, "stdout": "\udcff" * MB,
                          "args_after": "not a tuple", "kwargs_after": []})
    assert len(record.warnings) == 20 and all(len(w) < 600 for w in record.warnings)
    assert len(record.stdout) < ITEM_LIMIT + 100 and record.args_after == ()
    assert record.kwargs_after == {}


def _reader_with(body: bytes) -> ReplyReader:
    read, write = os.pipe()
    os.write(write, struct.pack(">I", len(body)) + body)
    os.close(write)
    return ReplyReader(read, limit=1024, items=100)


def test_a_reply_of_too_many_items_or_bytes_is_refused_before_it_is_parsed():
    with pytest.raises(wire.CodecError, match="items"):
        _reader_with(b"[" + b"[]," * 200 + b"[]]").frame(time.monotonic() + 10)
    with pytest.raises(wire.CodecError, match="exceeds"):
        _reader_with(b'"' + b"x" * 2000 + b'"').frame(time.monotonic() + 10)
    assert _reader_with(wire.encode({"ok": [1]})[4:]).frame(time.monotonic() + 10) == {"ok": [1]}


def _failure(exc: Exception):
    try:
        raise exc
    except Exception:  # noqa: BLE001 - any failure a test may see
        return pytest.ExceptionInfo.from_current()


@pytest.mark.parametrize(("exc", "public_has", "hidden"), [
    (StudentError("LeakError", "hidden x=[3, 1, 4]", "trace", builtin="ValueError"),
     "hidden x=[3, 1, 4]", "your code raised ValueError"),
    (StudentError("Leak_3_1_4", "x"), "Leak_3_1_4", "your code raised an exception of its own class"),
    (AssertionError("returned 'x=[3, 1, 4]'"), "x=[3, 1, 4]", "a check of what your code returned failed"),
    (TypeError("'x=[3, 1, 4]'"), "x=[3, 1, 4]", "the test could not use what your code returned (TypeError)"),
])
def test_a_hidden_failure_is_told_in_the_graders_words_only(exc, public_has, hidden):
    assert public_has in hooks.describe_failure(_failure(exc))[0]
    assert hooks.describe_failure(_failure(exc), hidden=True)[0] == hidden


def test_a_hidden_wrong_value_says_what_kind_of_wrong_without_the_value():
    def message(got):
        with pytest.raises(GradedFailure) as info:
            check_value(got, [1.0, 2.0], call="f(hidden)")
        return hooks.describe_failure(info, hidden=True)[0]

    assert message([1.0, 5.0]) == "it returned a wrong value"
    assert message([1.0, 2.0, 3.0]) == "it returned an array of the wrong shape"
    assert message("x=[3, 1, 4]") == "it returned something that is not a number or an array"
    assert message(None) == "it returned None"


def test_a_hidden_tests_full_story_is_kept_for_the_staff_not_in_its_output():
    data = build_results(ASSIGNMENT, [Outcome("test_a", "f", True, False, message="raised",
                                              detail="x" * 10 * FEEDBACK_LIMIT)],
                         forbidden={}, error=None, sandbox="").to_gradescope()
    test = data["tests"][0]
    assert test["output"] == "raised"
    assert len(test["extra_data"]["detail"]) < FEEDBACK_LIMIT + 100


def test_a_results_file_is_capped_however_many_long_texts_it_holds(tmp_path):
    outcomes = [Outcome(f"test_{i}", "f", False, False, message="é" * FEEDBACK_LIMIT)
                for i in range(2000)]
    data = build_results(ASSIGNMENT, outcomes, forbidden={}, error="\ud800" * MB, sandbox="")
    write_results(tmp_path / "r.json", data, limit=1_000_000)
    assert (tmp_path / "r.json").stat().st_size <= 1_000_000
    assert len(json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["tests"]) == 2000


def test_a_student_whose_results_cannot_be_built_gets_an_error_result_and_others_theirs(
        tmp_path, monkeypatch):
    calls = []

    def build(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return build_results(*args, **kwargs)

    grading = hooks.Grading.__new__(hooks.Grading)
    options = {"ag_results": str(tmp_path), "ag_lang": "en"}
    grading.config = SimpleNamespace(getoption=options.get)  # type: ignore[assignment]  # a fake pytest Config
    grading.course = lambda: SimpleNamespace(assignment=lambda slug: ASSIGNMENT)  # type: ignore[method-assign, assignment, return-value]  # a fake Course
    grading.sandbox_note = ""
    grading.records = {}
    monkeypatch.setattr(hooks, "build_results", build)
    for student in ("broken", "fine"):
        record = hooks._StudentRecord()
        record.outcomes["toy"].append(Outcome("test_a", "f", False, True))
        grading.records[student] = record
        grading._finish(student)
    broken = json.loads((tmp_path / "broken" / "toy.json").read_text())
    fine = json.loads((tmp_path / "fine" / "toy.json").read_text())
    assert broken["score"] == 0 and broken["extra_data"]["status"] == "error"
    assert "UnicodeEncodeError" in broken["extra_data"]["error"]
    assert fine["score"] == 1
