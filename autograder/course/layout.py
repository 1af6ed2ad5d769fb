"""The course a command acts on, and every path inside it (like nbgrader's CourseDirectory).

A course is a folder holding `course.yml`. Which one: `--course DIR` (or `AUTOGRADER_ROOT`),
else the nearest folder holding `course.yml` from the current directory upwards. Never the
folder the package happens to be installed from: `release` run in a copy writes the copy.
Every other module asks a `Layout` for course paths instead of building them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from autograder.course.config import Assignment, Course, load_course

COURSE_FILE = "course.yml"
ENV = "AUTOGRADER_ROOT"


class CourseNotFound(Exception):
    """No course.yml where the command was told, or anywhere above the current directory."""


@dataclass(frozen=True)
class Layout:
    root: Path

    @classmethod
    def find(cls, course: str | Path | None = None, start: Path | None = None) -> Layout:
        """`course` (the `--course` option), else $AUTOGRADER_ROOT, else the nearest course.yml."""
        given = course or os.environ.get(ENV)
        if given:
            root = Path(given).expanduser().resolve()
            if not (root / COURSE_FILE).is_file():
                source = "--course" if course else ENV
                raise CourseNotFound(f"{source} is {given}, which holds no {COURSE_FILE}")
            return cls(root)
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / COURSE_FILE).is_file():
                return cls(folder)
        raise CourseNotFound(f"no {COURSE_FILE} in {here} or any folder above it: run the command "
                             f"inside a course, or name one with --course DIR")

    def course(self) -> Course:
        return load_course(self.root)

    # -- the course's own folders -------------------------------------------------------

    @property
    def course_yml(self) -> Path:
        return self.root / COURSE_FILE

    @property
    def solutions(self) -> Path:
        return self.root / "solutions"

    @property
    def assignments(self) -> Path:
        return self.root / "assignments"

    @property
    def tests(self) -> Path:
        return self.root / "tests"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def ci_templates(self) -> Path:
        return self.root / "ci-templates"

    @property
    def examples(self) -> Path:
        return self.root / "examples"

    @property
    def pytest_config(self) -> Path:
        return self.root / "pyproject.toml"

    # -- the course's content: what another course would replace, the engine unchanged --

    @property
    def content(self) -> Path:
        """course/ beside course.yml: hint texts, the course's words, its trusted helpers."""
        return self.root / "course"

    @property
    def hints_file(self) -> Path:
        """course/hints.yml: the misconception ids of this course, explained in en and ko."""
        return self.content / "hints.yml"

    @property
    def messages_file(self) -> Path:
        """course/messages.yml: the course's own words (and any engine word it rewords)."""
        return self.content / "messages.yml"

    @property
    def functions_file(self) -> Path:
        """course/functions.py: the callables tests pass to student code, built in the worker."""
        return self.content / "functions.py"

    # -- per assignment -----------------------------------------------------------------

    def solution(self, a: Assignment) -> Path:
        return self.solutions / a.slug / f"{a.module}.py"

    def stub(self, a: Assignment, suffix: str = ".py") -> Path:
        return self.assignments / a.slug / f"{a.module}{suffix}"

    def suite_dir(self, slug: str) -> Path:
        return self.tests / slug

    def suite(self, slug: str, kind: str) -> Path:
        """tests/<slug>/test_public.py or test_hidden.py."""
        return self.suite_dir(slug) / f"test_{kind}.py"

    def lecture(self, slug: str) -> Path:
        """notebooks/<slug>.py: the lecture notebook's jupytext source."""
        return self.notebooks / f"{slug}.py"

    def rel(self, path: Path) -> str:
        """A path as the instructor reads it: relative to the course when inside it."""
        path = Path(path).resolve()
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)
