"""Typed results (채점 결과): what each graded test and each assignment came to for one student.

Built once, by `autograder.scoring.outcomes.build_results`; every later stage (gradebook,
feedback, class report, JUnit, exports, validate) reads these, never a results file's display
text. `to_gradescope` writes the Gradescope results.json of grader.md (that schema is stable:
the facts a reader needs are added under `extra_data`); `from_gradescope` reads one back. A
results file is untrusted data: an odd or missing field reads as absent, never as an error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

Status = Literal["graded", "not_submitted", "error"]
# why a test earned nothing: a wrong value, an exception, out of time, the submission's time
# budget used up (not run), a forbidden API, a required call missing, nothing handed in
Reason = Literal["wrong", "error", "timeout", "budget", "forbidden", "missing-call", "not-submitted"]
STATUSES: tuple[Status, ...] = get_args(Status)
REASONS: tuple[Reason, ...] = get_args(Reason)
HIDDEN_VISIBILITY = "after_published"  # Gradescope shows a hidden test after the due date


def as_number(value: Any) -> float | None:
    """A finite number from a results file's field, or None (the file is untrusted data)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class TestResult:
    """One graded test (its parametrized cases together) for one student."""

    __test__ = False  # not a pytest test class, whatever its name

    test: str  # the test function's name
    function: str  # what it grades, as in assignments.md
    hidden: bool
    passed: bool
    points: float
    max_points: float
    reason: Reason | None = None  # None when passed
    hints: tuple[str, ...] = ()  # the misconception ids its output names ([hint:ID])
    seconds: float = 0.0
    output: str = ""  # the feedback text the student sees
    detail: str = ""  # a hidden failure in full, for the course staff only (never shown)

    @property
    def name(self) -> str:
        """The Gradescope test name: `function: test`."""
        return f"{self.function}: {self.test}"

    def to_gradescope(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"test": self.test, "function": self.function,
                                 "reason": self.reason, "hints": list(self.hints)}
        if self.detail:  # Gradescope shows a test's output, not its extra_data
            extra["detail"] = self.detail
        return {
            "name": self.name,
            "score": self.points,
            "max_score": self.max_points,
            "status": "passed" if self.passed else "failed",
            "visibility": HIDDEN_VISIBILITY if self.hidden else "visible",
            "tags": [self.function, "hidden" if self.hidden else "public"],
            "execution_time": self.seconds,
            "output": self.output,
            "extra_data": extra,
        }

    @classmethod
    def from_gradescope(cls, data: Mapping[str, Any]) -> TestResult:
        extra = _mapping(data.get("extra_data"))
        tags = data.get("tags")
        # results without the typed fields: the function is the first tag (grader.md)
        tag = str(tags[0]) if isinstance(tags, list) and tags else "(untagged)"
        function = _text(extra.get("function")) or tag
        name = _text(data.get("name")) or "?"
        passed = data.get("status") == "passed"
        reason = extra.get("reason")
        hints = extra.get("hints")
        return cls(
            test=_text(extra.get("test")) or name.removeprefix(f"{function}: "),
            function=function,
            hidden=data.get("visibility", "visible") != "visible",
            passed=passed,
            points=as_number(data.get("score")) or 0.0,
            max_points=as_number(data.get("max_score")) or 0.0,
            reason=None if passed else reason if reason in REASONS else "wrong",
            hints=tuple(h for h in hints if isinstance(h, str)) if isinstance(hints, list) else (),
            seconds=as_number(data.get("execution_time")) or 0.0,
            output=_text(data.get("output")),
            detail=_text(extra.get("detail")),
        )


@dataclass(frozen=True)
class AssignmentResult:
    """One student's result on one assignment.

    `score` and `max_score` are the totals as recorded: build_results adds up the tests (the
    maximum kept when nothing was handed in), a file read back keeps its own.
    """

    slug: str
    status: Status
    tests: tuple[TestResult, ...]
    score: float
    max_score: float | None
    output: str = ""  # for the whole assignment: why it could not be graded, a sandbox warning
    error: str | None = None  # found but not gradable: why (status "error")
    sandbox: str = ""  # how student code was isolated
    student: str | None = None
    late: Mapping[str, Any] | None = None  # the lateness record (OUT/late.json), when stamped

    @property
    def seconds(self) -> float:
        return round(sum(t.seconds for t in self.tests), 3)

    def to_gradescope(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"slug": self.slug, "status": self.status, "error": self.error,
                                 "sandbox": self.sandbox}
        if self.student is not None:
            extra["student"] = self.student
        if self.late is not None:
            extra["late"] = dict(self.late)
        return {
            "score": self.score,
            "max_score": self.max_score,
            "execution_time": self.seconds,
            "output": self.output,
            "visibility": "visible",
            "tests": [t.to_gradescope() for t in self.tests],
            "extra_data": extra,
        }

    @classmethod
    def from_gradescope(cls, data: Mapping[str, Any], slug: str = "") -> AssignmentResult:
        extra = _mapping(data.get("extra_data"))
        tests = data.get("tests")
        error = str(extra["error"]) if extra.get("error") else None
        student = extra.get("student")
        late = extra.get("late")
        return cls(
            slug=_text(extra.get("slug")) or slug,
            status=_status(extra.get("status"), error),
            tests=tuple(TestResult.from_gradescope(t) for t in tests if isinstance(t, Mapping))
            if isinstance(tests, list) else (),
            score=as_number(data.get("score")) or 0.0,
            max_score=as_number(data.get("max_score")),
            output=_text(data.get("output")),
            error=error,
            sandbox=_text(extra.get("sandbox")),
            student=student if isinstance(student, str) else None,
            late=late if isinstance(late, Mapping) else None,
        )


def _status(status: object, error: str | None) -> Status:
    """graded | not_submitted | error, as `extra_data["status"]` says.

    Results written before that field existed are read as they were then: an error saying
    "no <module>.py or <module>.ipynb found" (autograder.intake.submission.read_module) was
    nothing handed in, any other error a submission that could not be graded.
    """
    for known in STATUSES:
        if status == known:
            return known
    if error is None:
        return "graded"
    return "not_submitted" if error.startswith("no ") and " found (looked for " in error else "error"


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
