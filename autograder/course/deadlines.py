"""Deadlines (마감): when each student submitted, the deadline that applies to them, how late.

The submission time of a student and assignment comes, in this order, from
1. a `--submitted-at` CSV (`student,assignment,submitted_at`: what the LMS or the collection
   script recorded, the most trustworthy source),
2. nbgrader's `timestamp.txt` (written by `nbgrader submit`, copied by `nbgrader collect`)
   in `<student>/<slug>/` or `<student>/`,
3. the last commit of a git repository at `<student>/<slug>/.git` or `<student>/.git`
   (the committer date: the student's own clock, so it can be forged; prefer 1. where it matters),
and which one was used is recorded per student. Extensions come from `extensions.csv` beside
`course.yml` (`student,assignment,due,extra_days`).

This module only finds times and lateness (typed `Lateness` records in OUT/late.json); the
points a lateness costs are taken in one place, `autograder.scoring.score`.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from autograder.course.config import Course, Deadline
from autograder.intake.submission import find_module

LATE_FILE = "late.json"
EXTENSIONS_FILE = "extensions.csv"
GIT_TIMEOUT = 10.0  # seconds for one `git log`; a huge or broken repository must not hang grading
# nbgrader writes `datetime.now(gettz(Exchange.timezone)).strftime(Exchange.timestamp_format)`,
# by default "%Y-%m-%d %H:%M:%S.%f %Z": a zone *name* ("UTC", "KST") after a space; a format
# with %z gives a numeric offset there instead ("+0900")
_ZONE_NAME = re.compile(r"^(?P<time>.*\d)\s+(?P<zone>[A-Za-z][A-Za-z0-9_/+-]*)$")
_SPACED_OFFSET = re.compile(r"(?<=\d)\s+(?=[+-]\d\d:?\d\d$)")


class DeadlineError(Exception):
    """A deadline input (the --submitted-at CSV, extensions.csv) is unusable; the message says why."""


@dataclass(frozen=True)
class SubmittedAt:
    when: datetime | None
    source: str  # "submitted-at CSV", "nbgrader timestamp.txt", "git last commit" or "none"
    detail: str = ""  # the file read, or why no time was found


@dataclass(frozen=True)
class Lateness:
    """One student's standing against one assignment's deadline (typed; stored in late.json)."""

    due: str  # ISO 8601, the deadline that applies (extension included)
    submitted_at: str | None
    source: str
    detail: str
    extension: str  # "" or what extensions.csv granted
    late_seconds: float  # 0 when on time, within the grace period, or when no time is known
    penalty_percent: float  # of max_score, capped by the policy

    @property
    def late(self) -> bool:
        return self.late_seconds > 0


def parse_time(text: str) -> datetime:
    """An ISO 8601 time with its UTC offset, or nbgrader's `2026-10-05 14:59:00.123 UTC`.

    A time without a zone, or with a zone name other than UTC/GMT/Z, is refused: names such as
    KST or CST are ambiguous, and a guessed zone moves a deadline by hours.
    """
    text = _SPACED_OFFSET.sub("", text.strip())
    zone = ""
    if match := _ZONE_NAME.match(text):
        text, zone = match["time"], match["zone"]
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise DeadlineError(f"{text!r} is not an ISO 8601 time") from None
    if zone:
        if zone.upper() not in ("UTC", "GMT", "Z"):
            raise DeadlineError(f"time zone {zone!r} is ambiguous: write the offset (+09:00)")
        if when.tzinfo is not None:
            raise DeadlineError(f"{text} {zone} gives two time zones")
        when = when.replace(tzinfo=UTC)
    if when.tzinfo is None:
        raise DeadlineError(f"{text!r} has no time zone: add its offset, e.g. +09:00")
    return when


def read_submitted_at(path: Path) -> dict[tuple[str, str], datetime]:
    """The `--submitted-at` CSV: columns student, assignment, submitted_at."""
    times: dict[tuple[str, str], datetime] = {}
    for line, row in _csv_rows(path, ("student", "assignment", "submitted_at")):
        try:
            times[row["student"], row["assignment"]] = parse_time(row["submitted_at"])
        except DeadlineError as exc:
            raise DeadlineError(f"{path}:{line}: {exc}") from None
    return times


@dataclass(frozen=True)
class Extension:
    due: datetime | None = None
    extra_days: float = 0.0

    def apply(self, due: datetime) -> datetime:
        return self.due if self.due is not None else due + timedelta(days=self.extra_days)

    def describe(self) -> str:
        return (f"extended to {self.due.isoformat()}" if self.due is not None
                else f"{self.extra_days:g} extra day(s)")


def read_extensions(path: Path, course: Course) -> dict[tuple[str, str], Extension]:
    """extensions.csv: student, assignment, and either a new `due` time or `extra_days`."""
    if not path.is_file():
        return {}
    known = {a.slug for a in course.assignments}
    extensions: dict[tuple[str, str], Extension] = {}
    for line, row in _csv_rows(path, ("student", "assignment")):
        where = f"{path}:{line}"
        if row["assignment"] not in known:
            raise DeadlineError(f"{where}: no assignment {row['assignment']!r} in course.yml")
        due, days = (row.get("due") or "").strip(), (row.get("extra_days") or "").strip()
        if bool(due) == bool(days):
            raise DeadlineError(f"{where}: give either due or extra_days")
        try:
            extension = (Extension(due=parse_time(due)) if due else Extension(extra_days=float(days)))
        except (DeadlineError, ValueError) as exc:
            raise DeadlineError(f"{where}: {exc}") from None
        extensions[row["student"], row["assignment"]] = extension
    return extensions


def _csv_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:  # Excel's BOM is fine
            reader = csv.DictReader(f)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise DeadlineError(f"{path}: missing column(s) {', '.join(missing)}")
            for line, row in enumerate(reader, start=2):
                yield line, {k: (v or "").strip() for k, v in row.items() if k}
    except (OSError, UnicodeDecodeError) as exc:
        raise DeadlineError(f"{path}: cannot read it ({exc})") from None


def git_commit_time(repo: Path) -> datetime | None:
    """The committer date of HEAD of the repository whose .git folder is `repo`.

    git runs as a subprocess with a timeout; nothing in the student's repository may run
    code here: hooks, fsmonitor, signature checks and pagers are switched off, the system
    and global configuration are not read, and `GIT_DIR` names the folder exactly (no search
    upwards into an enclosing repository).
    """
    if not repo.is_dir() or repo.is_symlink():
        return None
    argv = ["git", "--no-pager", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false",
            "-c", "log.showSignature=false", "-c", f"safe.directory={repo.parent}",
            "-c", f"safe.directory={repo}", "log", "-1", "--format=%cI"]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GIT_DIR": str(repo),
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_TERMINAL_PROMPT": "0", "GIT_CEILING_DIRECTORIES": str(repo.parent.parent),
           "LC_ALL": "C"}
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=GIT_TIMEOUT,
                              stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    try:
        return parse_time(done.stdout) if done.returncode == 0 and done.stdout.strip() else None
    except DeadlineError:
        return None


def submission_time(folder: Path, student: str, slug: str,
                    csv_times: dict[tuple[str, str], datetime]) -> SubmittedAt:
    """When `student` submitted `slug`, and from which source (see the module docstring)."""
    if (student, slug) in csv_times:
        return SubmittedAt(csv_times[student, slug], "submitted-at CSV")
    problems = []
    for place in (folder / slug, folder):
        stamp = place / "timestamp.txt"
        if stamp.is_file() and not stamp.is_symlink():
            try:
                with stamp.open(encoding="utf-8", errors="replace") as f:
                    text = f.read(200)  # a timestamp is one line; the file may be anything
                return SubmittedAt(parse_time(text), "nbgrader timestamp.txt",
                                   str(stamp.relative_to(folder)))
            except DeadlineError as exc:
                problems.append(f"{stamp.relative_to(folder)}: {exc}")
    for place in (folder / slug, folder):
        if (when := git_commit_time(place / ".git")) is not None:
            return SubmittedAt(when, "git last commit", str((place / ".git").relative_to(folder)))
    return SubmittedAt(None, "none", "; ".join(problems) or "no submission time found")


def lateness(deadline: Deadline, submitted: SubmittedAt, extension: Extension | None) -> Lateness:
    """How late `submitted` is against `deadline` (after any extension) and what percent it costs.

    Within the grace period a submission is on time; past it, lateness counts from the due
    time (the grace period forgives clock skew and slow uploads, it is not an extra allowance).
    Every started day or hour counts. No known time: on time, and the record says so.
    """
    due = extension.apply(deadline.due) if extension else deadline.due
    late = timedelta(0)
    if submitted.when is not None and submitted.when - due > deadline.grace:
        late = submitted.when - due
    period = timedelta(days=1) if deadline.per == "day" else timedelta(hours=1)
    periods = math.ceil(late / period)
    return Lateness(
        due=due.isoformat(),
        submitted_at=submitted.when.isoformat() if submitted.when else None,
        source=submitted.source, detail=submitted.detail,
        extension=extension.describe() if extension else "",
        late_seconds=late.total_seconds(),
        penalty_percent=min(deadline.cap, periods * deadline.penalty),
    )


def compute(course: Course, roster: dict[str, Path], slugs: list[str],
            csv_times: dict[tuple[str, str], datetime],
            extensions: dict[tuple[str, str], Extension]) -> dict[str, dict[str, Lateness]]:
    """Lateness of every student for every assignment of `slugs` that has a deadline and that
    the student handed in (nothing handed in needs no time: its score is empty)."""
    records: dict[str, dict[str, Lateness]] = {}
    for slug in slugs:
        assignment = course.assignment(slug)
        deadline = assignment.deadline
        if deadline is None:
            continue
        for student, folder in roster.items():
            if find_module(folder, slug, assignment.module) is None:
                continue
            records.setdefault(student, {})[slug] = lateness(
                deadline, submission_time(folder, student, slug, csv_times),
                extensions.get((student, slug)))
    return records


def write_late(out: Path, records: dict[str, dict[str, Lateness]]) -> Path:
    """OUT/late.json: the students of `records` replaced, every other student kept (a run on
    part of the class leaves the rest as it was)."""
    from autograder.outputs.store import write_json  # here: results reads late.json through this module

    merged = {**read_late(out), **records}
    path = out / LATE_FILE
    write_json(path, {student: {slug: asdict(r) for slug, r in sorted(per_slug.items())}
                      for student, per_slug in sorted(merged.items())})
    return path


def read_late(out: Path) -> dict[str, dict[str, Lateness]]:
    try:
        data = json.loads((out / LATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {student: {slug: Lateness(**record) for slug, record in per_slug.items()}
            for student, per_slug in data.items() if isinstance(per_slug, dict)}


def record(course: Course, out: Path, roster: dict[str, Path], slugs: list[str],
           submitted_at: Path | None, extensions_file: Path,
           whole_class: set[str] | None = None) -> list[str]:
    """Find the lateness of the class and write OUT/late.json (nothing when no deadline is set);
    returns notes for the TA (rows of the --submitted-at CSV that match no student).

    Raises DeadlineError for unusable inputs, and for extensions.csv naming students who are
    not in the class (a typo must not silently lose someone's extension); `whole_class` is
    the class when `roster` is one shard of it.
    """
    if not any(course.assignment(slug).deadline for slug in slugs):
        return []
    csv_times = read_submitted_at(submitted_at) if submitted_at else {}
    extensions = read_extensions(extensions_file, course)
    everyone = whole_class if whole_class is not None else set(roster)
    if unknown := sorted({student for student, _ in extensions if student not in everyone}):
        raise DeadlineError(f"{extensions_file} names students who are not in the class: "
                            f"{', '.join(unknown)}")
    records = compute(course, roster, slugs, csv_times, extensions)
    write_late(out, {student: records.get(student, {}) for student in roster})
    # an LMS export may list students who dropped the course: said, not fatal
    strangers = sorted({student for student, _ in csv_times if student not in everyone})
    return [f"{submitted_at} lists students who are not in the class (ignored): "
            f"{', '.join(strangers)}"] if strangers else []
