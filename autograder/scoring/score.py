"""A student's score on one assignment: status, raw points, late penalty, final points.

The one place where a late penalty is taken (the gradebook, the feedback, the class report
and every export read scores through `score_of`), from typed results, never from text shown
to someone; and the one way points are written for a person (`format_points`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from autograder.scoring.results import AssignmentResult, Status

if TYPE_CHECKING:
    from autograder.course.deadlines import Lateness


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


def score_of(result: AssignmentResult | None, late: Lateness | None = None) -> Score:
    """The score of one result, the late penalty applied (a percentage of max_score,
    never more than the raw score: lateness cannot make a score negative)."""
    if result is None:
        return Score("not_submitted", None, None, 0.0, late)
    if result.status == "not_submitted":
        return Score(result.status, None, result.max_score, 0.0, late)
    penalty = 0.0
    if late is not None and late.penalty_percent and result.max_score:
        penalty = round(min(result.score, result.max_score * late.penalty_percent / 100), 4)
    return Score(result.status, result.score, result.max_score, penalty, late)


def format_points(points: float, *, decimals: bool = False) -> str:
    """Points as people read them: a whole number without decimals, else at most two
    (`decimals`: always two, for a table column of means)."""
    if float(points).is_integer():
        return str(int(points))
    return f"{points:.2f}" if decimals else str(round(points, 2))
