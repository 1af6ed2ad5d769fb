"""The class being graded: which folders are students, and the rules for their ids.

A SUBMISSION is a student's folder; one that holds no assignment module but whose subfolders
do is the class folder, and its subfolders are the students. The id is the folder's name as
`sanitize.from_filesystem` reads it (NFC, undecodable bytes as \\xNN). Refused: two folders
with the same id, an id that is a name the grader writes in OUT (`gradebook.csv`, `.logs`, ...,
compared case-insensitively for macOS and Windows disks), and an id starting with `-` unless
the names came after `--`. Look-alike ids (equal after NFKC and casefolding, or after mapping
confusable letters such as Cyrillic `і` to Latin `i`) are graded separately, with a warning.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from confusable_homoglyphs import confusables

from autograder.course.config import Course
from autograder.intake.submission import find_module
from autograder.outputs.store import OUTPUT_NAMES
from autograder.sanitize import clean_text, from_filesystem

# Folders in a class folder that are never students: tools' and archivers' own.
NOT_STUDENTS = {"__MACOSX", "__pycache__"}


class RosterError(Exception):
    """Folder names that cannot be student ids; the message names each one and why."""


@dataclass
class Roster:
    students: dict[str, Path]                            # id -> folder, in the order given
    notes: list[str] = field(default_factory=list)       # what was understood (class folders)
    warnings: list[str] = field(default_factory=list)    # look-alike ids


def student_id(folder: Path) -> str:
    """The folder's name (of the folder itself for `.` or `..`), as read from the disk:
    undecodable bytes as \\xNN, terminal escapes and other controls made visible (a name is at
    most 255 bytes: never cut)."""
    name = folder.name if folder.name not in ("", "..") else folder.resolve().name
    return clean_text(from_filesystem(name), 1024)


def holds_a_module(folder: Path, course: Course) -> bool:
    return any(find_module(folder, a.slug, a.module) for a in course.assignments)


def _class_members(folder: Path, course: Course) -> list[Path] | None:
    """The student folders of a class folder, or None when `folder` is a student's own."""
    if holds_a_module(folder, course):
        return None
    members = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
                     and p.name not in NOT_STUDENTS)
    return members if any(holds_a_module(p, course) for p in members) else None


def refusal(student: str, after_dashes: bool) -> str | None:
    """Why `student` cannot be an id, or None."""
    if student.casefold() in {name.casefold() for name in OUTPUT_NAMES} or student.startswith("."):
        return "is a name the grader writes in the output folder"
    if student.startswith("-") and not after_dashes:
        return "starts with '-' (put such names after `--`: autograder grade -- -name)"
    if not student:
        return "is empty (the root folder is not a student)"
    return None


@cache
def _plain(char: str) -> str:
    """An ASCII letter that `char` is drawn like (Cyrillic і -> i), else `char` itself."""
    if char.isascii():
        return char
    found = confusables.is_confusable(char, greedy=True) or []
    for entry in found:
        for glyph in entry.get("homoglyphs", []):
            c: str = glyph["c"]
            if len(c) == 1 and c.isascii() and c.isalnum():
                return c.casefold()
    return char


def skeleton(student: str) -> str:
    """What an id looks like: NFKC, casefolded, confusable letters mapped to ASCII ones."""
    text = unicodedata.normalize("NFKC", student).casefold()
    return "".join(_plain(char) for char in text)


def lookalikes(students: list[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for student in students:
        groups[skeleton(student)].append(student)
    return [sorted(group) for group in groups.values() if len(group) > 1]


def identify(folders: list[Path], after_dashes: bool = False) -> dict[str, Path]:
    """Student id -> folder; RosterError naming every folder whose id is refused."""
    students: dict[str, Path] = {}
    problems = []
    for folder in folders:
        if not folder.is_dir():
            problems.append(f"{clean_text(str(folder))} is not a folder (one folder per student)")
            continue
        student = student_id(folder)
        why = refusal(student, after_dashes)
        if why:
            problems.append(f"{clean_text(str(folder))}: the student id {student!r} {why}")
        elif student in students:
            problems.append(f"{clean_text(str(folder))} and {clean_text(str(students[student]))} "
                            f"are both student {student!r} (the same name after Unicode "
                            "normalisation)")
        else:
            students[student] = folder
    if problems:
        raise RosterError("these folders cannot be graded; rename them:\n  " + "\n  ".join(problems))
    return students


def build(submissions: list[Path], course: Course, after_dashes: bool = False) -> Roster:
    """The students of the SUBMISSION arguments (class folders expanded), ids checked."""
    roster = Roster({})
    folders: list[Path] = []
    for given in submissions:
        if not given.is_dir():
            raise RosterError(f"{given} is not a folder (one folder per student, or the class "
                              "folder holding them)")
        members = _class_members(given, course)
        if members is None:
            folders.append(given)
        else:
            roster.notes.append(f"{given} holds no assignment module but {len(members)} "
                                "subfolders: taken as the class folder, one student per subfolder")
            folders += members
    roster.students = identify(folders, after_dashes)
    roster.warnings += [f"student ids that look alike (graded as different students): "
                        f"{', '.join(map(repr, group))}" for group in lookalikes(list(roster.students))]
    return roster
