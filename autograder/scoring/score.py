"""A student's score on one assignment: status, raw points, late penalty, final points.

The one place where a late penalty is taken (the gradebook, the feedback, the class report
and every export read scores through `score_of`), from typed records, never from text shown
to someone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from autograder.course.deadlines import Lateness

Status = Literal["graded", "not_submitted", "error"]


def status_of(result: dict[str, Any] | None) -> Status:
    """graded | not_submitted | error, as agreed for results' `extra_data["status"]`.

    Results written before that field existed say "no <module>.py or <module>.ipynb found"
    when nothing was handed in (autograder.intake.submission.read_module); any other error means the
    submission was found but could not be graded.
    """
    if result is None:
        return "not_submitted"
    extra = result.get("extra_data")
    extra = extra if isinstance(extra, dict) else {}
    if (status := extra.get("status")) in ("graded", "not_submitted", "error"):
        return status
    error = str(extra.get("error") or "")
    if error.startswith("no ") and " found (looked for " in error:
        return "not_submitted"
    return "error" if error else "graded"


@dataclass(frozen=True)
class Score:
    status: Status
    raw: float | None  # None when not submitted: an empty cell, never 0
    max_score: float | None
    penalty: float  # points taken for lateness
    late: Lateness | None

    @property
    def final(self) -> float | None:
        return None if self.raw is None else self.raw - self.penalty


def score_of(result: dict[str, Any] | None, late: Lateness | None = None) -> Score:
    """The score of one results file, the late penalty applied (a percentage of max_score,
    never more than the raw score: lateness cannot make a score negative)."""
    status = status_of(result)
    if result is None or status == "not_submitted":
        max_score = as_number(result.get("max_score")) if result else None
        return Score(status, None, max_score, 0.0, late)
    raw = as_number(result.get("score")) or 0.0
    max_score = as_number(result.get("max_score"))
    penalty = 0.0
    if late is not None and late.penalty_percent and max_score:
        penalty = round(min(raw, max_score * late.penalty_percent / 100), 4)
    return Score(status, raw, max_score, penalty, late)


def as_number(value: Any) -> float | None:
    """A finite number from a results file's field, or None (the file is untrusted data)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
