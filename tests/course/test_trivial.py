"""Trivial code earns nothing (assignments.md, revision 2).

For every assignment, submissions whose every public function (read from the reference
solution, so functions added later are covered too) returns a constant, None, its first
argument, or zeros shaped like it, and whose classes' methods do the same, must earn 0 on
every test of the assignment, through the real engine.
"""

from __future__ import annotations

import ast
import json

import pytest

from autograder.course.config import load_course
from tests.engine.conftest import REPO, run_autograder

COURSE = load_course(REPO)
SLUGS = [a.slug for a in COURSE.assignments]
KINDS = {
    "constant": "0.0",
    "none": "None",
    "first": "_first(args, kwargs)",
    "zeros": "np.zeros_like(np.asarray(_first(args, kwargs), dtype=float))",
}
PRELUDE = '''import numpy as np


def _first(args, kwargs):
    return args[0] if args else next(iter(kwargs.values()), 0.0)


def _value(args, kwargs):
    return {expr}


class _Trivial:
    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: _value(args, kwargs)
'''


def public_names(source: str) -> list[tuple[str, bool]]:
    """The reference's public functions and classes: (name, is_class)."""
    return [(node.name, isinstance(node, ast.ClassDef)) for node in ast.parse(source).body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")]


def trivial_source(reference: str, kind: str) -> str:
    lines = [PRELUDE.format(expr=KINDS[kind])]
    for name, is_class in public_names(reference):
        if is_class:
            lines.append(f"\n\nclass {name}(_Trivial):\n    pass\n")
        else:
            lines.append(f"\n\ndef {name}(*args, **kwargs):\n    return _value(args, kwargs)\n")
    return "".join(lines)


@pytest.fixture(scope="module", params=SLUGS)
def graded(request, tmp_path_factory):
    slug = request.param
    module = COURSE.assignment(slug).module
    reference = (REPO / "solutions" / slug / f"{module}.py").read_text(encoding="utf-8")
    base = tmp_path_factory.mktemp(f"trivial-{slug}")
    folders = []
    for kind in KINDS:
        folder = base / "class" / kind
        folder.mkdir(parents=True)
        (folder / f"{module}.py").write_text(trivial_source(reference, kind), encoding="utf-8")
        folders.append(str(folder))
    out = base / "out"
    result = run_autograder("grade", *folders, "-a", slug, "-o", str(out), "-j", "2", root=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    return slug, {kind: json.loads((out / kind / f"{slug}.json").read_text(encoding="utf-8"))
                  for kind in KINDS}


def test_every_public_function_of_the_reference_is_made_trivial():
    for slug in SLUGS:
        module = COURSE.assignment(slug).module
        reference = (REPO / "solutions" / slug / f"{module}.py").read_text(encoding="utf-8")
        source = trivial_source(reference, "constant")
        assert public_names(source) == public_names(reference), slug


def test_trivial_submissions_earn_nothing_on_any_test(graded):
    slug, results = graded
    earned = [f"{kind}: {t['name']} ({t['score']})" for kind, data in results.items()
              for t in data["tests"] if t["score"] > 0]
    assert not earned, f"{slug}: trivial code earns points:\n" + "\n".join(earned)
