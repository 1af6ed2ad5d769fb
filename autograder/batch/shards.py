"""Grading a class in parts: `autograder grade --shard K/N` and `autograder merge`.

Shard K of N holds the students whose position in the sorted list of student ids (folder
names) is K-1, K-1+N, K-1+2N, ...: independent CI jobs given the same class agree on it
without talking to each other, and the parts differ in size by at most one student. Each
shard's output folder is an ordinary grading output plus `.shard.json` (which shard, and
the whole class's ids and assignments), so `merge` can check that the shards fit together:
same class, same assignments, no student twice, none missing. The merged gradebook.csv is
written by the same code as a single run's, from the same result files, so it is
byte-identical to it.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from autograder.course.deadlines import Lateness, read_late, write_late
from autograder.outputs.gradebook import GRADEBOOK, NotAGradebook, read_gradebook, write_gradebook
from autograder.outputs.store import read_results, record_submissions, recorded_submissions, write_atomic

SHARD_FILE = ".shard.json"
_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class ShardError(Exception):
    """A shard spec or a set of shard outputs that does not make a class."""


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse(spec: str) -> Shard:
    """'K/N' with 1 <= K <= N."""
    match = _SPEC.match(spec)
    if not match:
        raise ShardError(f"a shard is K/N (e.g. 2/4), not {spec!r}")
    index, count = int(match[1]), int(match[2])
    if not 1 <= index <= count:
        raise ShardError(f"shard {spec}: K must be between 1 and N")
    return Shard(index, count)


def select(students: list[str], shard: Shard) -> list[str]:
    """The students of this shard (sorted ids, every N-th from the K-th)."""
    return sorted(students)[shard.index - 1::shard.count]


def select_submissions(submissions: list[Path], shard: Shard) -> list[Path]:
    """The submission folders (student id = folder name) of this shard, in the given order."""
    from autograder.course.roster import student_id

    chosen = set(select([student_id(folder) for folder in submissions], shard))
    return [folder for folder in submissions if student_id(folder) in chosen]


def write_shard_file(out: Path, shard: Shard, students: list[str], slugs: list[str]) -> None:
    """Record in OUT which part of which class it holds (read by merge)."""
    write_atomic(out / SHARD_FILE, json.dumps(
        {"shard": str(shard), "class": sorted(students), "assignments": list(slugs)}, indent=1))


@dataclass
class ShardOutput:
    folder: Path
    slugs: list[str]
    students: list[str]
    shard: Shard | None
    whole_class: list[str] | None


def read_output(folder: Path) -> ShardOutput:
    gradebook = folder / GRADEBOOK
    try:
        book = read_gradebook(folder)
    except OSError as exc:
        raise ShardError(f"{folder} is not a grading output (no readable gradebook.csv: "
                         f"{exc.strerror})") from None
    except NotAGradebook as exc:
        raise ShardError(str(exc)) from None
    slugs, students = book.slugs, book.students
    shard = whole_class = None
    meta_path = folder / SHARD_FILE
    if meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            shard, whole_class = parse(meta["shard"]), [str(s) for s in meta["class"]]
            if list(meta["assignments"]) != slugs:
                raise ShardError(f"{meta_path} and {gradebook} name different assignments")
        except (ValueError, KeyError, TypeError) as exc:
            raise ShardError(f"{meta_path} is unreadable ({exc})") from None
    return ShardOutput(folder, slugs, students, shard, whole_class)


def merge(outputs: list[Path], out: Path) -> list[str]:
    """Combine shard outputs into OUT (results, feedback, gradebook.csv); returns the students.

    Refuses (ShardError) outputs of different classes or assignments, a student in two
    shards, a shard given twice, a missing shard, or a student without results.
    """
    if not outputs:
        raise ShardError("merge needs at least one shard output")
    parts = [read_output(folder) for folder in outputs]
    slugs = parts[0].slugs
    for part in parts[1:]:
        if part.slugs != slugs:
            raise ShardError(f"{part.folder} grades {part.slugs}, {parts[0].folder} grades {slugs}")
    owner: dict[str, Path] = {}
    for part in parts:
        for student in part.students:
            if student in owner:
                raise ShardError(f"student {student!r} is in two shards: {owner[student]} "
                                 f"and {part.folder}")
            owner[student] = part.folder
    _check_shards(parts, set(owner))
    for student, folder in owner.items():
        missing = [slug for slug in slugs if read_results(folder, student, slug) is None]
        if missing:
            raise ShardError(f"{folder} has no results for {student!r} ({', '.join(missing)})")
    for student, folder in sorted(owner.items()):
        target = out / student
        if target.resolve() == (folder / student).resolve():
            continue
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(folder / student, target)
    students = sorted(owner)
    late: dict[str, dict[str, Lateness]] = {}
    for part in parts:  # each shard's deadlines record and submission folders, joined
        late.update(read_late(part.folder))
        record_submissions(out, recorded_submissions(part.folder))
    if late:
        write_late(out, late)
    write_gradebook(out, students, slugs)
    return students


def _check_shards(parts: list[ShardOutput], students: set[str]) -> None:
    # (part, its shard, the class it was cut from): read_output sets the two together
    described = [(p, p.shard, p.whole_class) for p in parts
                 if p.shard is not None and p.whole_class is not None]
    if not described:
        return  # plain grading outputs: disjoint is all that can be checked
    if len(described) != len(parts):
        plain = next(p.folder for p in parts if p.shard is None)
        raise ShardError(f"{plain} is not a shard output (no {SHARD_FILE}) but others are")
    first, first_shard, first_class = described[0]
    seen: dict[int, Path] = {}
    for part, shard, whole_class in described:
        if shard.count != first_shard.count or whole_class != first_class:
            raise ShardError(f"{part.folder} (shard {shard}) is from another split or "
                             f"another class than {first.folder} (shard {first_shard})")
        if shard.index in seen:
            raise ShardError(f"shard {shard} is given twice: {seen[shard.index]} "
                             f"and {part.folder}")
        seen[shard.index] = part.folder
        expected = set(select(whole_class, shard))
        if set(part.students) != expected:
            raise ShardError(f"{part.folder} does not hold exactly shard {shard} of its class")
    absent = sorted(set(range(1, first_shard.count + 1)) - set(seen))
    if absent:
        raise ShardError(f"shard(s) {', '.join(f'{k}/{first_shard.count}' for k in absent)} "
                         "missing: every shard of the split is needed")
    if students != set(first_class):
        raise ShardError("the shards do not add up to the class they were cut from")
