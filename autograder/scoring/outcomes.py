"""From test outcomes to an assignment's typed result: points, statuses and feedback text."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from autograder.course.config import Assignment
from autograder.course.hints import explain
from autograder.course.messages import text
from autograder.intake.forbidden import DYNAMIC
from autograder.sanitize import FEEDBACK_LIMIT, clean_text
from autograder.scoring.results import AssignmentResult, Reason, Status, TestResult


@dataclass(frozen=True)
class Outcome:
    """One case of one graded test for one student."""

    test: str          # the test function's name (parametrized cases share it)
    function: str      # what it grades, as in assignments.md
    hidden: bool
    passed: bool
    message: str = ""
    hint: str | None = None
    seconds: float = 0.0
    detail: str = ""   # a hidden failure in full, for the course staff only (never shown)
    reason: Reason = "wrong"  # why it failed (read only when it did)


def render(message: str, hint: str | None, lang: str) -> str:
    """`[hint:ID] explanation` first (when a known mistake fits), then the details.

    `hint` may hold several ids separated by spaces (a value that fits two slips): each is named.
    The details may quote student output, so markers in them are defused: only the grader names hints.
    """
    message = message.replace("[hint:", "[hint :")
    if not hint:
        return message
    named = "\n".join(f"[hint:{h}] {explain(h, lang)}" for h in hint.split())
    return f"{named}\n{message}".strip()


def _test_result(assignment: Assignment, test: str, cases: list[Outcome],
                 forbidden: list[str], missing: list[str], lang: str) -> TestResult:
    points = assignment.tests.get(test, 0.0)
    failed = [c for c in cases if not c.passed]
    function = cases[0].function
    required = assignment.required.get(function)
    detail = ""
    reason: Reason | None = None
    hint: str | None = None
    if forbidden:
        message, hint, reason = _forbidden_text(function, forbidden, lang), "forbidden-api", "forbidden"
        output = render(message, hint, lang)
        failed = failed or cases
    elif missing and required and required.test == test and not failed:
        # only the designated test, and only once its values are right: a wrong value says more
        hint, reason = required.hint, "missing-call"
        output = render(f"{function} never calls {', '.join(missing)} (read from your code); "
                        f"the exercise builds it from {', '.join(required.calls)}.", hint, lang)
        failed = cases
    elif failed:
        first = failed[0]
        hint, reason = first.hint, first.reason
        output = render(first.message, hint, lang)
        if len(cases) > 1:
            output += "\n" + text("cases-failed", lang, failed=len(failed), total=len(cases))
        detail = first.detail
    else:
        output = ""
    return TestResult(
        test=test, function=function, hidden=cases[0].hidden, passed=not failed,
        points=0.0 if failed else points, max_points=points, reason=reason,
        hints=tuple(hint.split()) if hint else (),
        seconds=round(sum(c.seconds for c in cases), 4),
        output=clean_text(output, FEEDBACK_LIMIT), detail=clean_text(detail, FEEDBACK_LIMIT))


def _forbidden_text(function: str, found: list[str], lang: str) -> str:
    apis = [f for f in found if not f.startswith(DYNAMIC)]
    dynamic = [f.removeprefix(f"{DYNAMIC}: ") for f in found if f.startswith(DYNAMIC)]
    lines = [text("forbidden", lang, function=function, apis=", ".join(apis))] if apis else []
    if dynamic:
        lines.append(text("forbidden-dynamic", lang, function=function, names="; ".join(dynamic)))
    return "\n".join(lines)


def build_results(assignment: Assignment, outcomes: list[Outcome], *, forbidden: dict[str, list[str]],
                  error: str | None, sandbox: str, lang: str = "en",
                  missing: dict[str, list[str]] | None = None, status: Status = "graded",
                  student: str | None = None) -> AssignmentResult:
    """The result of one student for one assignment.

    `forbidden`: function -> forbidden APIs it uses (all its tests lost); `missing`: function ->
    required calls it lacks (its one designated test lost, course.yml `required`).
    `status` is graded, error (found but not loadable: `error` says why) or not_submitted:
    then every test says so (no exception name), the score is 0 with the maximum kept
    (consumers such as Gradescope add it up from the tests), and the gradebook leaves the
    cell empty.
    """
    missing = missing or {}
    by_test: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_test[outcome.test].append(outcome)
    tests = [_test_result(assignment, test, cases, forbidden.get(cases[0].function, []),
                          missing.get(cases[0].function, []), lang)
             for test, cases in by_test.items()]
    if status == "not_submitted":
        output = text("not-submitted-because", lang, error=error) if error else text("not-submitted", lang)
        error = None
        tests = [replace(t, output=output, hints=(), reason=None if t.passed else "not-submitted")
                 for t in tests]
    else:
        output = text("could-not-grade", lang, error=error) if error else ""
    if sandbox.startswith("NO SANDBOX"):
        output = f"WARNING: graded with {sandbox}\n{output}".strip()
    return AssignmentResult(
        slug=assignment.slug, status=status, tests=tuple(tests),
        score=round(sum(t.points for t in tests), 4),
        max_score=round(sum(t.max_points for t in tests), 4),
        output=output, error=error, sandbox=sandbox, student=student)
