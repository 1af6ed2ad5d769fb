"""Points per graded function, read from the suites' `@pytest.mark.grades` markers (AST only).

course.yml gives points per pytest test; each test names the function or class it grades. The
nbgrader notebooks grade per function, so they need the sums: public and hidden, per function.
The suites are parsed, never imported: reading them must not run test code.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from autograder.course.config import Assignment
from autograder.course.layout import Layout

KINDS = ("public", "hidden")


def grades_target(decorator: ast.expr) -> str | None:
    """`@pytest.mark.grades("mse")` -> "mse"; anything else -> None."""
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return None
    if decorator.func.attr != "grades" or not decorator.args:
        return None
    first = decorator.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def graded_tests(path: Path) -> dict[str, str]:
    """Test function name -> the function it grades, for every marked test in one suite file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    tests = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            targets = [t for t in map(grades_target, node.decorator_list) if t]
            if targets:
                tests[node.name] = targets[0]
    return tests


@dataclass(frozen=True)
class FunctionPoints:
    public: float = 0.0
    hidden: float = 0.0

    def of(self, kind: str) -> float:
        return self.public if kind == "public" else self.hidden

    @property
    def total(self) -> float:
        return self.public + self.hidden


def function_points(assignment: Assignment, layout: Layout) -> dict[str, FunctionPoints]:
    """Function or class name -> its public and hidden points (course.yml, summed per marker).

    A test that course.yml does not list earns nothing here (`autograder validate` reports it).
    """
    sums: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        path = layout.suite(assignment.slug, kind)
        if not path.is_file():
            continue
        for test, function in graded_tests(path).items():
            per_kind = sums.setdefault(function, dict.fromkeys(KINDS, 0.0))
            per_kind[kind] += assignment.tests.get(test, 0.0)
    return {name: FunctionPoints(**per_kind) for name, per_kind in sums.items()}


def names_in_suite(layout: Layout, slug: str, kind: str) -> list[str]:
    """The graded test names of one suite file (e.g. every hidden test's name)."""
    path = layout.suite(slug, kind)
    return list(graded_tests(path)) if path.is_file() else []

