"""The results files in OUT: written atomically, serialised here and read back here only."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from autograder.sanitize import RESULTS_LIMIT, clean_text
from autograder.scoring.results import AssignmentResult

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


def write_results(path: Path, result: AssignmentResult, limit: int = RESULTS_LIMIT) -> None:
    """`result` as a Gradescope results file of at most about `limit` bytes, whatever the texts
    in it: when they are too long together, every text is cut to an equal share (halved until
    the file fits)."""
    data = result.to_gradescope()

    def dump() -> str:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def fits(text: str) -> bool:  # (a character is at most 4 bytes)
        return len(text) <= limit // 4 or len(text.encode("utf-8", "backslashreplace")) <= limit

    text = dump()
    holders = [(test, "output") for test in data["tests"]]
    holders += [(test["extra_data"], "detail") for test in data["tests"]
                if "detail" in test["extra_data"]]
    holders += [(data, "output"), (data["extra_data"], "error")]
    original = [(holder, key, holder.get(key)) for holder, key in holders]
    share = limit // (3 * len(holders))
    while not fits(text) and share >= 10:
        for holder, key, value in original:
            if isinstance(value, str):
                holder[key] = clean_text(value, share)
        text, share = dump(), share // 2
    write_atomic(path, text)


class UnreadableResults(Exception):
    """A results file that is missing or is not one (the message says which)."""


def load_result(path: Path, slug: str = "") -> AssignmentResult:
    """The one reader of a results file (raises UnreadableResults, saying why not)."""
    if not path.is_file():
        raise UnreadableResults("no results file: the grading did not finish")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UnreadableResults(f"unreadable results file: {exc}") from None
    if not isinstance(data, dict) or "score" not in data:
        raise UnreadableResults("unreadable results file: not a JSON object with a score")
    return AssignmentResult.from_gradescope(data, slug or path.stem)


def read_results(out: Path, student: str, slug: str) -> AssignmentResult | None:
    """A finished result, or None when it is missing or unreadable (then it is graded again)."""
    try:
        return load_result(out / student / f"{slug}.json", slug)
    except UnreadableResults:
        return None


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
