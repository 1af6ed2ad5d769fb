"""Writing results: atomic JSON files and the gradebook."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_json(path: Path, data: Any) -> None:
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def read_results(out: Path, student: str, slug: str) -> dict | None:
    """A finished result, or None when it is missing or unreadable (then it is graded again)."""
    try:
        data = json.loads((out / student / f"{slug}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "score" in data else None


def gradebook_rows(out: Path, students: list[str], slugs: list[str]) -> list[dict[str, Any]]:
    rows = []
    for student in sorted(students):
        row: dict[str, Any] = {"student": student}
        total = 0.0
        for slug in slugs:
            result = read_results(out, student, slug)
            score = result["score"] if result else 0.0
            row[slug] = _fmt(score)
            total += score
        row["total"] = _fmt(total)
        rows.append(row)
    return rows


def write_gradebook(out: Path, students: list[str], slugs: list[str]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["student", *slugs, "total"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(gradebook_rows(out, students, slugs))
    path = out / "gradebook.csv"
    write_atomic(path, buffer.getvalue())
    return path


def _fmt(score: float) -> float | int:
    return int(score) if float(score).is_integer() else round(score, 2)
