"""Grades for a learning management system: Canvas's gradebook import CSV, and a long CSV.

Canvas (Grades → Import) reads the layout its own export writes: a header
`Student, ID, SIS User ID, SIS Login ID, Section, <assignment>...` where an assignment column
named `Title (12345)` is matched by its Canvas id (else by title, else created), a
`Points Possible` row, then one row per student, matched by ID, then SIS User ID, then SIS
Login ID, then name. An empty cell changes nothing in Canvas: a student who did not submit
stays empty there too, never 0. The roster CSV maps our folder ids to those Canvas ids.

The long CSV (one row per student and assignment: raw, penalty, final, status, lateness)
suits any other LMS or a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course.config import Course
from autograder.export.files import ExportError
from autograder.outputs.gradebook import cell, scores
from autograder.outputs.store import class_in, write_atomic
from autograder.sanitize import csv_cell

CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
# roster column -> Canvas column; `student` is our folder id
ROSTER_COLUMNS = {"name": "Student", "canvas_id": "ID", "sis_user_id": "SIS User ID",
                  "sis_login_id": "SIS Login ID", "section": "Section"}
LONG_COLUMNS = ["student", "assignment", "raw", "penalty", "final", "max_score", "status",
                "submitted_at", "time_source", "late_hours"]


@dataclass
class CanvasExport:
    path: Path
    rows: int
    # graded here but not in the roster: not in the file (Canvas could not match them)
    not_in_roster: list[str] = field(default_factory=list)
    # in the roster but with no results in OUT: in the file with empty cells
    not_graded: list[str] = field(default_factory=list)


def read_roster(path: Path) -> dict[str, dict[str, str]]:
    """student -> Canvas identity columns, from a CSV with a `student` column and at least one of
    canvas_id, sis_user_id, sis_login_id (name and section are optional)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            if "student" not in header or not {"canvas_id", "sis_user_id", "sis_login_id"} & set(header):
                raise ExportError(f"{path}: needs a `student` column and one of canvas_id, "
                                  "sis_user_id, sis_login_id")
            roster: dict[str, dict[str, str]] = {}
            for line, row in enumerate(reader, start=2):
                student = (row.get("student") or "").strip()
                ids = {canvas: (row.get(ours) or "").strip() for ours, canvas in ROSTER_COLUMNS.items()}
                if not student or not (ids["ID"] or ids["SIS User ID"] or ids["SIS Login ID"]):
                    raise ExportError(f"{path}:{line}: a row needs a student and a Canvas id")
                if student in roster:
                    raise ExportError(f"{path}:{line}: {student!r} is listed twice")
                roster[student] = ids
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"{path}: cannot read it ({exc})") from None
    return roster


def canvas_column(course: Course, slug: str) -> str:
    assignment = course.assignment(slug)
    return f"{assignment.title} ({assignment.canvas_id})" if assignment.canvas_id else assignment.title


def _csv(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as Canvas's own export
    writer.writerows([[csv_cell(value) for value in row] for row in rows])
    return buffer.getvalue()


def write_canvas(out: Path, course: Course, roster_file: Path, dest: Path) -> CanvasExport:
    roster = read_roster(roster_file)
    students, slugs = class_in(out, [a.slug for a in course.assignments])
    if not slugs:
        raise ExportError(f"{out} holds no results")
    table = scores(out, sorted(set(students) | set(roster)), slugs)
    max_scores = {slug: course.assignment(slug).max_score for slug in slugs}
    rows: list[list[object]] = [
        [*CANVAS_IDENTITY, *(canvas_column(course, slug) for slug in slugs)],
        ["Points Possible", "", "", "", "", *(cell(max_scores[slug]) for slug in slugs)],
    ]
    for student, ids in roster.items():
        rows.append([*(ids[c] for c in CANVAS_IDENTITY),
                     *(cell(table[student][slug].final) for slug in slugs)])
    write_atomic(dest, _csv(rows))
    return CanvasExport(dest, len(roster), not_in_roster=[s for s in students if s not in roster],
                        not_graded=[s for s in roster if s not in students])


def write_long(out: Path, course: Course, dest: Path) -> Path:
    students, slugs = class_in(out, [a.slug for a in course.assignments])
    if not slugs:
        raise ExportError(f"{out} holds no results")
    rows: list[list[object]] = [list(LONG_COLUMNS)]
    for student, per_slug in scores(out, students, slugs).items():
        for slug, score in per_slug.items():
            late = score.late
            rows.append([
                student, slug, cell(score.raw),
                cell(score.penalty if score.raw is not None else None), cell(score.final),
                cell(score.max_score), score.status,
                (late.submitted_at or "") if late else "", late.source if late else "",
                f"{late.late_seconds / 3600:.2f}" if late else "",
            ])
    write_atomic(dest, _csv(rows))
    return dest
