"""OUT/gradebook.csv: one row per student, a column per assignment, the total; written and read
here only (a not-submitted assignment is an empty cell, never 0)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from autograder.course.deadlines import read_late
from autograder.outputs.store import read_results, write_atomic
from autograder.sanitize import csv_cell, from_csv_cell
from autograder.scoring.score import Score, format_points, score_of

GRADEBOOK = "gradebook.csv"


def scores(out: Path, students: list[str], slugs: list[str]) -> dict[str, dict[str, Score]]:
    """student -> slug -> Score, the late penalties of OUT/late.json applied."""
    late = read_late(out)
    return {student: {slug: score_of(read_results(out, student, slug),
                                     late.get(student, {}).get(slug))
                      for slug in slugs}
            for student in students}


def gradebook_columns(out: Path, slugs: list[str]) -> list[str]:
    """`student, <slug>..., total` (final scores), then `<slug>_raw, <slug>_penalty` for each
    assignment that has a deadline: the first columns stay what they always were."""
    late = read_late(out)
    with_deadline = [slug for slug in slugs if any(slug in per_slug for per_slug in late.values())]
    extra = [f"{slug}_{part}" for slug in with_deadline for part in ("raw", "penalty")]
    return ["student", *slugs, "total", *extra]


def gradebook_rows(out: Path, students: list[str], slugs: list[str]) -> list[dict[str, object]]:
    """One row per student; a not-submitted assignment is an empty cell, never 0."""
    rows = []
    for student, per_slug in sorted(scores(out, students, slugs).items()):
        row: dict[str, object] = {"student": csv_cell(student)}
        finals = []
        for slug, score in per_slug.items():
            row[slug] = cell(score.final)
            row[f"{slug}_raw"] = cell(score.raw)
            row[f"{slug}_penalty"] = cell(score.penalty if score.raw is not None else None)
            if score.final is not None:
                finals.append(score.final)
        row["total"] = cell(sum(finals)) if finals else ""
        rows.append(row)
    return rows


def write_gradebook(out: Path, students: list[str], slugs: list[str]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=gradebook_columns(out, slugs), lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(gradebook_rows(out, students, slugs))  # (ids through csv_cell there)
    path = out / GRADEBOOK
    write_atomic(path, buffer.getvalue())
    return path


def cell(points: float | None) -> str:
    """A CSV cell of points: empty for none."""
    return "" if points is None else format_points(points)


@dataclass(frozen=True)
class Gradebook:
    slugs: list[str]  # the assignment columns (before the total)
    students: list[str]


class NotAGradebook(ValueError):
    pass


def read_gradebook(out: Path) -> Gradebook:
    """The assignments and students of OUT/gradebook.csv (OSError when it cannot be read,
    NotAGradebook when it does not start with the gradebook header)."""
    path = out / GRADEBOOK
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    if not rows or rows[0][:1] != ["student"] or "total" not in rows[0][1:]:
        raise NotAGradebook(f"{path} does not start with the gradebook header")
    slugs = rows[0][1:rows[0].index("total")]  # after the total: raw and penalty columns
    return Gradebook(slugs, [from_csv_cell(row[0]) for row in rows[1:] if row])
