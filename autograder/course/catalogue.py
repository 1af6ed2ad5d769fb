"""One en/ko catalogue format and one loader, for the hints and for the engine's words.

A catalogue maps a stable key to its text in each language (`LANGS`). Each kind has two files:
the engine's own (next to the code that reads it: the words and hint ids the engine itself
uses), and the course's, in course/ beside course.yml (`Layout.hints_file`,
`Layout.messages_file`), which adds the course's keys and may reword the engine's. So another
course uses the engine unchanged and brings its own words.

Which course: the one the process's entry point named (`use_course`: the command line, the
grading plugin); else the one every command would find (autograder.course.layout:
$AUTOGRADER_ROOT, or the nearest course.yml); else none, and only the engine's words.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml

from autograder.course.layout import CourseNotFound, Layout

LANGS = ("en", "ko")
Catalogue = dict[str, dict[str, str]]  # key -> language -> text

_course: Layout | None = None
_looked = False  # whether the fallback search for a course was made (once per process)


def use_course(layout: Layout) -> None:
    """The course whose catalogues this process reads (set where the Layout is found)."""
    global _course, _looked
    _course, _looked = layout, True


def current_course() -> Layout | None:
    global _course, _looked
    if not _looked:
        try:
            _course = Layout.find()
        except CourseNotFound:
            _course = None
        _looked = True
    return _course


@cache
def read(path: Path) -> Catalogue:
    """Read and check one catalogue file, once per process."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TypeError(f"{path}: expected a mapping of ids")
    for key, texts in data.items():
        if not isinstance(texts, dict) or any(
            not isinstance(texts.get(lang), str) or not texts[lang].strip() for lang in LANGS
        ):
            raise ValueError(f"{path}: {key!r} needs non-empty {LANGS} texts")
    return data


@cache
def _merged(engine: Path, course: Path | None) -> Catalogue:
    if course is None or not course.is_file():  # a course without its own words
        return read(engine)
    return {**read(engine), **read(course)}


def load(engine: Path, course_file: Callable[[Layout], Path], layout: Layout | None = None) -> Catalogue:
    """The engine's catalogue `engine`, with `course_file` of the course (`layout`, default:
    the process's course) over it: its keys added, the engine's keys it names reworded."""
    layout = layout or current_course()
    return _merged(engine, course_file(layout) if layout else None)
