"""The misconception hints: stable ids (shared/spec/misconceptions.md) and their explanations.

Graded tests put only the id in their feedback, as the literal text ``[hint:ID]``; the
explanations, in English and Korean, are the course's (course/hints.yml beside course.yml)
over the engine's own few (``hints.yml`` next to this module: the ids the engine names).
"""

from __future__ import annotations

import re
from pathlib import Path

from autograder.course import catalogue
from autograder.course.layout import Layout

ENGINE_HINTS = Path(__file__).with_name("hints.yml")
_MARKER = re.compile(r"\[hint:([a-z0-9]+(?:-[a-z0-9]+)*)\]")


def _catalogue(layout: Layout | None) -> catalogue.Catalogue:
    return catalogue.load(ENGINE_HINTS, lambda course: course.hints_file, layout)


def hint_ids(layout: Layout | None = None) -> frozenset[str]:
    """Every id a test of the course (default: the process's course) may name."""
    return frozenset(_catalogue(layout))


def explain(hint_id: str, lang: str = "en", layout: Layout | None = None) -> str:
    """The explanation of ``hint_id`` in ``lang`` ("en" or "ko"); KeyError for an unknown id."""
    if lang not in catalogue.LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {catalogue.LANGS}")
    return _catalogue(layout)[hint_id][lang]


def find_hints(text: str) -> list[str]:
    """The hint ids of the ``[hint:ID]`` markers in ``text``, each once, in order of appearance."""
    return list(dict.fromkeys(_MARKER.findall(text)))
