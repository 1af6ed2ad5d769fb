"""The notebooks' test cells, cut from the pytest suites: one dialect for both graders.

The test cell of a function holds the suite's tests of that function (`@pytest.mark.grades`)
and the part of the suite's module they use (imports, constants, helpers, fixtures), as
source text, under the `%%autograder SLUG KIND` cell magic (autograder/plugin/notebook_cells.py):
running the cell runs those tests through the grading plugin against the notebook's code, so
nbgrader and `autograder grade` award the same points from the same tests. Relative imports
become absolute (`from .mistakes` -> `from tests.<slug>.mistakes`): the cell is not in a package.
"""

from __future__ import annotations

import ast
from pathlib import Path

from autograder.release.points import grades_target

MAGIC = "%%autograder"


def _bound(node: ast.stmt) -> set[str]:
    """The top-level names a statement defines."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    targets = node.targets if isinstance(node, ast.Assign) else \
        [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _used(node: ast.stmt) -> set[str]:
    """Names a statement reads, and the parameters of functions (pytest fixtures by name)."""
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    for fn in ast.walk(node):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names |= {a.arg for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]}
    return names


def _segment(lines: list[str], node: ast.stmt) -> str:
    """The statement's source with its decorators and the comment lines right above it."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1
    while first > 0 and lines[first - 1].lstrip().startswith("#"):
        first -= 1
    return "\n".join(lines[first:node.end_lineno])


def _absolute(node: ast.ImportFrom, slug: str) -> str:
    package = ["tests", slug][:max(0, 3 - node.level)]  # level 1: tests.<slug>, 2: tests
    module = ".".join([*package, *([node.module] if node.module else [])])
    return ast.unparse(ast.ImportFrom(module=module, names=node.names, level=0))


def cell_tests(path: Path, slug: str, function: str) -> str:
    """The tests of `function` in one suite file, with what they need of the module."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    body = ast.parse(source, filename=str(path)).body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the suite's docstring: the cell's header says what it is

    def target(node: ast.stmt) -> str | None:
        decorators = getattr(node, "decorator_list", [])
        return next((t for t in map(grades_target, decorators) if t), None)

    tests = [node for node in body if target(node) == function]
    if not tests:
        return ""
    rest = [node for node in body if target(node) is None]
    keep = {id(node) for node in rest if isinstance(node, ast.ImportFrom)
            and node.module == "__future__"}
    needed = set().union(*map(_used, tests)) if tests else set()
    changed = True
    while changed:  # what the tests use, and what that uses in turn
        changed = False
        for node in rest:
            if id(node) not in keep and _bound(node) & needed:
                keep.add(id(node))
                needed |= _used(node)
                changed = True
    text, previous = "", None
    for node in body:
        if id(node) in keep or node in tests:
            kind = _kind(node)
            if previous is not None:  # PEP 8's blank lines
                text += "\n\n\n" if "def" in (kind, previous) else "\n" if kind == previous else "\n\n"
            relative = isinstance(node, ast.ImportFrom) and node.level > 0
            text += _absolute(node, slug) if isinstance(node, ast.ImportFrom) and relative \
                else _segment(lines, node)
            previous = kind
    return text


def _kind(node: ast.stmt) -> str:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return "import"
    return "def" if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else "code"


def cell_source(header: str, slug: str, kind: str, tests: str, hidden: bool) -> str:
    """A test cell: the magic line, the header comment, and the tests (hidden ones marked)."""
    body = f"### BEGIN HIDDEN TESTS\n{tests}\n### END HIDDEN TESTS" if hidden else tests
    return f"{MAGIC} {slug} {kind}\n{header}\n{body}"
