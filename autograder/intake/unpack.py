"""`autograder unpack`: an LMS "download all submissions" zip -> one folder per student.

Canvas names every file `<student>_<user id>_<submission id>_<file>` (`<student>_LATE_...` when
late) in one flat zip, and renames a resubmitted file `losses-1.py`; Moodle puts each student's
files in a folder `<Full Name>_<participant id>_assignsubmission_file_`. Both become
CLASS/<student>/<file>, with the course's module names restored (`losses-1.py` -> `losses.py`),
ready for `autograder grade CLASS`. nbgrader's `collect` needs nothing of this: its
`submitted/` folder already is a class folder (`submitted/<student>/<slug>/<module>.ipynb`).
Nothing is extracted outside CLASS, and no file is run or imported.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

from autograder.course.config import Course

CANVAS = re.compile(r"^(?P<student>[^_/]+)_(?:LATE_)?(?P<user>\d+)_(?P<sub>\d+)_(?P<file>.+)$")
MOODLE = re.compile(r"^(?P<student>.+?)_(?P<user>\d+)_assignsubmission_\w+?_?$")
RESUBMITTED = re.compile(r"^(?P<stem>.+?)-\d+(?P<suffix>\.(?:py|ipynb))$")
MAX_FILE = 32 * 1024 * 1024  # the largest notebook grading accepts


class UnpackError(Exception):
    """The archive is not an LMS download this command knows."""


def _place(name: str, modules: set[str]) -> tuple[str, str] | None:
    """(student, file name) for one archive member, or None for what is not a submission."""
    parts = PurePosixPath(name).parts
    if not parts or any(p in ("..", "") for p in parts) or parts[0] == "__MACOSX":
        return None
    if len(parts) == 1 and (match := CANVAS.match(parts[0])):
        student, file = match["student"], match["file"]
    elif len(parts) >= 2 and (match := MOODLE.match(parts[0])):
        student, file = match["student"].strip().replace(" ", "_"), parts[-1]
    else:
        return None
    resubmitted = RESUBMITTED.match(file)
    if resubmitted and resubmitted["stem"] in modules:
        file = f"{resubmitted['stem']}{resubmitted['suffix']}"
    return student, file


def unpack(archive: Path, target: Path, course: Course) -> dict[str, list[str]]:
    """Extract the submissions of `archive` into target/<student>/; student -> files written."""
    modules = {a.module for a in course.assignments}
    written: dict[str, list[str]] = {}
    try:
        members = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as exc:
        raise UnpackError(f"{archive} is not a readable zip ({exc})") from None
    with members:
        for info in members.infolist():
            place = None if info.is_dir() else _place(info.filename, modules)
            if place is None or info.file_size > MAX_FILE:
                continue
            student, file = place
            path = target / student / file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(members.read(info))
            written.setdefault(student, []).append(file)
    if not written:
        raise UnpackError(f"{archive} holds no file named the way Canvas or Moodle name "
                          "submissions (see docs/writing-tests.md)")
    return written
