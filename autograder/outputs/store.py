"""Writing results: atomic JSON files and the gradebook."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from autograder.course.deadlines import read_late
from autograder.sanitize import RESULTS_LIMIT, clean_text, csv_cell
from autograder.scoring.score import Score, score_of

SUBMISSIONS_FILE = "submissions.json"
# What the grader writes in OUT beside the students' folders: no student id may be one of them
# (autograder.course.roster; names starting with "." are refused too). New outputs add their names.
OUTPUT_NAMES = ("gradebook.csv", "report.html", "feedback.md", SUBMISSIONS_FILE, "late.json",
                ".logs", ".shard.json")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# what open() would give: mkstemp's 0600 would hide results from the TAs' group
FILE_MODE = 0o666 & ~_umask()


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        # backslashreplace: a lone surrogate that got this far is written as \udXXX, never
        # a UnicodeEncodeError that would lose the whole file
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_json(path: Path, data: Any) -> None:
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def record_submissions(out: Path, roster: dict[str, Path]) -> None:
    """OUT/submissions.json: each student's folder, so `late` and `similarity` need only OUT."""
    known = recorded_submissions(out)
    known.update(roster)
    write_json(out / SUBMISSIONS_FILE, {s: str(p) for s, p in sorted(known.items())})


def recorded_submissions(out: Path) -> dict[str, Path]:
    try:
        data = json.loads((out / SUBMISSIONS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(s): Path(p) for s, p in data.items()} if isinstance(data, dict) else {}


def write_results(path: Path, results: dict, limit: int = RESULTS_LIMIT) -> None:
    """A results file of at most about `limit` bytes, whatever the texts in it: when they are
    too long together, every text is cut to an equal share (halved until the file fits)."""
    def dump() -> str:
        return json.dumps(results, indent=2, ensure_ascii=False) + "\n"

    def fits(text: str) -> bool:  # (a character is at most 4 bytes)
        return len(text) <= limit // 4 or len(text.encode("utf-8", "backslashreplace")) <= limit

    text = dump()
    holders = [(test, "output") for test in results.get("tests", [])]
    holders += [(test["extra_data"], "detail") for test in results.get("tests", [])
                if "detail" in test.get("extra_data", {})]
    holders += [(results, "output"), (results.get("extra_data", {}), "error")]
    original = [(holder, key, holder.get(key)) for holder, key in holders]
    share = limit // (3 * len(holders))
    while not fits(text) and share >= 10:
        for holder, key, value in original:
            if isinstance(value, str):
                holder[key] = clean_text(value, share)
        text, share = dump(), share // 2
    write_atomic(path, text)


def read_results(out: Path, student: str, slug: str) -> dict | None:
    """A finished result, or None when it is missing or unreadable (then it is graded again)."""
    try:
        data = json.loads((out / student / f"{slug}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "score" in data else None


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


def gradebook_rows(out: Path, students: list[str], slugs: list[str]) -> list[dict[str, Any]]:
    """One row per student; a not-submitted assignment is an empty cell, never 0."""
    rows = []
    for student, per_slug in sorted(scores(out, students, slugs).items()):
        row: dict[str, Any] = {"student": csv_cell(student)}
        finals = []
        for slug, score in per_slug.items():
            row[slug] = _cell(score.final)
            row[f"{slug}_raw"] = _cell(score.raw)
            row[f"{slug}_penalty"] = _cell(score.penalty if score.raw is not None else None)
            if score.final is not None:
                finals.append(score.final)
        row["total"] = _cell(sum(finals)) if finals else ""
        rows.append(row)
    return rows


def write_gradebook(out: Path, students: list[str], slugs: list[str]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=gradebook_columns(out, slugs), lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(gradebook_rows(out, students, slugs))  # (ids through csv_cell there)
    path = out / "gradebook.csv"
    write_atomic(path, buffer.getvalue())
    return path


def _cell(score: float | None) -> float | int | str:
    return "" if score is None else fmt_score(score)


def fmt_score(score: float) -> float | int:
    return int(score) if float(score).is_integer() else round(score, 2)


def class_in(out: Path, order: list[str] | None = None) -> tuple[list[str], list[str]]:
    """The students and assignments of a grading output: every folder with a results file,
    and every student OUT/submissions.json records (one with no results at all is still a
    student: all their cells are empty). Assignments in `order` (course.yml) where given."""
    students: set[str] = set()
    slugs: set[str] = set()
    for path in out.glob("*/*.json"):
        if not (path.name.startswith(".") or path.parent.name.startswith(".")):
            students.add(path.parent.name)
            slugs.add(path.stem)
    students.update(recorded_submissions(out))
    rank = {slug: i for i, slug in enumerate(order or [])}
    return sorted(students), sorted(slugs, key=lambda s: (rank.get(s, len(rank)), s))
