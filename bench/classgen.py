"""A synthetic class: N student folders, each with all four assignment modules.

Every (student, assignment) is, deterministically from the seed:
  correct   a copy of the reference solution                          (~45 %)
  buggy     a mutant: a tests/fixtures/mutants/<slug>.yml patch of the reference (~40 %)
  stub      the student stub, assignments/<slug>/<module>.py            (~15 %)
and one student in every HANG_EVERY (at the same position in each block of HANG_EVERY)
hands in a4 with `while True: pass` at the top of HANG_FUNCTION, so its calls time out.
"""

from __future__ import annotations

import ast
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from autograder.course.config import Course
from autograder.release.stubs import make_stub
from bench import LAYOUT

HANG_EVERY = 100
HANG_AT = 37            # student index % HANG_EVERY
HANG_SLUG = "a4_logistic_regression"
HANG_FUNCTION = "predict"


@dataclass(frozen=True)
class Piece:
    student: str
    slug: str
    kind: str             # correct | buggy | stub | hang
    detail: str = ""      # the mutant's name


def reference(slug: str, course: Course) -> str:
    module = course.assignment(slug).module
    return (LAYOUT.solutions / slug / f"{module}.py").read_text(encoding="utf-8")


def stub(slug: str, course: Course) -> str:
    module = course.assignment(slug).module
    released = LAYOUT.assignments / slug / f"{module}.py"
    if released.is_file():
        return released.read_text(encoding="utf-8")
    return make_stub(reference(slug, course))


def mutants(slug: str, source: str) -> list[tuple[str, str]]:
    """(name, patched source) for every mutant of this assignment whose patches apply."""
    path = LAYOUT.tests / "fixtures" / "mutants" / f"{slug}.yml"
    if not path.is_file():
        return []
    out = []
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        text = source
        for patch in entry.get("patch", []):
            if text.count(patch["old"]) != 1:
                break
            text = text.replace(patch["old"], patch["new"])
        else:
            out.append((entry["name"], text))
    return out


def hanging(source: str, function: str) -> str:
    """The source with `while True: pass` as the first statement of `function`."""
    tree = ast.parse(source)
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function)
    lines = source.splitlines(keepends=True)
    first = node.body[0]
    indent = " " * first.col_offset
    at = first.lineno - 1
    return "".join(lines[:at] + [f"{indent}while True:\n{indent}    pass\n"] + lines[at:])


def plan(n: int, seed: int = 2024, course: Course | None = None) -> list[list[Piece]]:
    """What each of n students hands in, per assignment (same n and seed: same class)."""
    course = course or LAYOUT.course()
    rng = random.Random(seed)
    available = {a.slug: [name for name, _ in mutants(a.slug, reference(a.slug, course))]
                 for a in course.assignments}
    students = []
    for i in range(n):
        student = f"s{i:04d}"
        pieces = []
        for a in course.assignments:
            roll = rng.random()
            mutant = rng.choice(available[a.slug]) if available[a.slug] else ""
            if a.slug == HANG_SLUG and i % HANG_EVERY == HANG_AT:
                pieces.append(Piece(student, a.slug, "hang", HANG_FUNCTION))
            elif roll < 0.45 or (roll < 0.85 and not mutant):
                pieces.append(Piece(student, a.slug, "correct"))
            elif roll < 0.85:
                pieces.append(Piece(student, a.slug, "buggy", mutant))
            else:
                pieces.append(Piece(student, a.slug, "stub"))
        students.append(pieces)
    return students


def source_of(piece: Piece, course: Course) -> str:
    ref = reference(piece.slug, course)
    if piece.kind == "correct":
        return ref
    if piece.kind == "stub":
        return stub(piece.slug, course)
    if piece.kind == "hang":
        return hanging(ref, piece.detail)
    return dict(mutants(piece.slug, ref))[piece.detail]


def write_class(folder: Path, n: int, seed: int = 2024) -> tuple[list[Path], list[list[Piece]]]:
    """Write folder/<student>/<module>.py for every student; returns the folders and the plan."""
    course = LAYOUT.course()
    if folder.exists():
        shutil.rmtree(folder)
    students = plan(n, seed, course)
    cache: dict[Piece, str] = {}
    folders = []
    for pieces in students:
        target = folder / pieces[0].student
        target.mkdir(parents=True)
        for piece in pieces:
            key = Piece("", piece.slug, piece.kind, piece.detail)
            if key not in cache:
                cache[key] = source_of(piece, course)
            module = course.assignment(piece.slug).module
            (target / f"{module}.py").write_text(cache[key], encoding="utf-8")
        folders.append(target)
    return folders, students


def describe(students: list[list[Piece]]) -> str:
    counts: dict[str, int] = {}
    for pieces in students:
        for piece in pieces:
            counts[piece.kind] = counts.get(piece.kind, 0) + 1
    order = ["correct", "buggy", "stub", "hang"]
    return ", ".join(f"{counts.get(k, 0)} {k}" for k in order)


def hangs(pieces: list[Piece]) -> bool:
    return any(p.kind == "hang" for p in pieces)
