"""Lecture notebooks: jupytext percent sources + reference code -> nbgrader source notebooks.

`notebooks/<slug>.py` (jupytext percent format) holds the lecture: markdown cells, and code
cells whose metadata key `ag` says what they are. The code itself comes from elsewhere, so
nothing is written twice:

    # %% ag="setup"          the reference module's imports, constants and private helpers
    # %% ag="checks"         the test helpers (autograder/release/notebook_checks.py)
    # %% ag="solution mse"   the reference source of `mse` (with its ### BEGIN SOLUTION regions)
    # %% ag="tests mse"      public tests of `mse`, written here; points from course.yml
    # %% ag="hidden mse"     hidden tests of `mse` inside ### BEGIN/END HIDDEN TESTS
    # %% [markdown] ag="points"   a table of the points per function (generated)
    # %% ag="demo"           lecture code written here (plots, tables): locked, not graded,
    #                        and left out of the student's module like the test cells

The result is an nbgrader *source* notebook (solutions and hidden tests inside, nbgrader cell
metadata set); `nbgrader generate_assignment` turns it into the student version. It carries no
jupytext metadata, so Jupyter never pairs it with (and writes solution text into) a .py file.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from nbformat import NotebookNode

from autograder.config import Assignment
from autograder.hints import load_catalogue
from autograder.messages import PATH as MESSAGES_PATH
from autograder.release.errors import ReleaseError
from autograder.release.points import FunctionPoints, function_points
from autograder.release.stubs import REGION

ROLE_KEY = "ag"
CHECK_TAG = "check"  # autograder.submission leaves cells with this tag out of the module
HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[^\n]*\n.*?^[ \t]*### END HIDDEN TESTS[^\n]*$",
                    re.MULTILINE | re.DOTALL)
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
CHECKS_FILE = Path(__file__).with_name("notebook_checks.py")


class NotebookSourceError(ReleaseError):
    """notebooks/<slug>.py does not fit the reference module or course.yml."""


def lecture_path(root: Path, slug: str) -> Path:
    return root / "notebooks" / f"{slug}.py"


# -- the reference module, split into top-level pieces ------------------------------------------

@dataclass(frozen=True)
class ModulePieces:
    setup: str                 # imports, constants, private helpers (in source order)
    public: dict[str, str]     # public function/class name -> its source (comments above kept)


def split_module(source: str) -> ModulePieces:
    """Split a module into its public definitions and everything else (the docstring dropped)."""
    lines = source.splitlines()
    body = ast.parse(source).body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the module docstring: the notebook's markdown says it better

    def first_line(node: ast.stmt) -> int:
        """0-based first line: decorators and the column-0 comments right above included."""
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1
        while first > 0 and lines[first - 1].startswith("#"):
            first -= 1
        return first

    # A piece runs up to the next statement, so trailing comments in a body (### END
    # SOLUTION after the last statement) stay with their function.
    starts = [first_line(node) for node in body] + [len(lines)]
    setup_lines: list[str] = []
    public: dict[str, str] = {}
    for node, start, end in zip(body, starts, starts[1:], strict=False):
        chunk = lines[start:end]
        name = getattr(node, "name", "")
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not name.startswith("_"):
            public[name] = "\n".join(chunk).strip("\n")
        else:
            setup_lines += chunk
    setup = "\n".join(setup_lines).strip("\n")
    if REGION.search(setup + "\n"):
        raise NotebookSourceError("a solution region sits outside the public functions: "
                                  "give it its own `ag=\"solution NAME\"` cell")
    return ModulePieces(setup, public)


NOTEBOOK_MESSAGES = ("returned", "returned-none", "should-raise", "hint-label")


def checks_source() -> str:
    """The test helpers' code, as it appears in the notebooks' locked `checks` cell, with
    their messages (both languages) from the one catalogue."""
    source = CHECKS_FILE.read_text(encoding="utf-8")
    docstring = ast.parse(source).body[0]
    code = "\n".join(source.splitlines()[docstring.end_lineno:]).strip("\n")
    catalogue = load_catalogue(MESSAGES_PATH)
    table = json.dumps({key: catalogue[key] for key in NOTEBOOK_MESSAGES},
                       ensure_ascii=False, indent=4)
    empty = "_TEXT = {}  # key -> {\"en\": ..., \"ko\": ...}: written here by `autograder release`"
    if empty not in code:
        raise NotebookSourceError(f"{CHECKS_FILE}: the `_TEXT = {{}}` line is missing")
    return code.replace(empty, f"_TEXT = {table}")


# -- nbgrader metadata ----------------------------------------------------------------------------

def _nbgrader(grade_id: str, *, solution: bool = False, grade: bool = False,
              locked: bool = False, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def _fmt(points: float) -> str:
    return f"{points:g}"


def _role(cell: NotebookNode) -> tuple[str, list[str]]:
    words = str(cell.metadata.get(ROLE_KEY, "")).split()
    return (words[0], words[1:]) if words else ("", [])


def _code_cell(cell_id: str, source: str, nbgrader: dict, tags: list[str] | None = None
               ) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.id = cell_id
    cell.metadata = {"nbgrader": nbgrader}
    if tags:
        cell.metadata["tags"] = tags
    if nbgrader.get("locked") or nbgrader.get("grade"):
        cell.metadata.update(deletable=False, editable=False)
    return cell


def _points_table(points: dict[str, FunctionPoints], order: list[str]) -> str:
    rows = ["| function | public tests | hidden tests |", "| --- | ---: | ---: |"]
    for name in order:
        p = points.get(name, FunctionPoints())
        rows.append(f"| `{name}` | {_fmt(p.public)} | {_fmt(p.hidden)} |")
    public = sum(p.public for p in points.values())
    hidden = sum(p.hidden for p in points.values())
    rows.append(f"| **total: {_fmt(public + hidden)}** | {_fmt(public)} | {_fmt(hidden)} |")
    return "**Points (점수)**\n\n" + "\n".join(rows) + (
        "\n\nThe public tests run right here, in the cell after each function. The hidden tests "
        "run only when your work is graded: passing the public tests is a good sign, not a "
        "guarantee.")


# -- the source notebook --------------------------------------------------------------------------

class _Builder:
    def __init__(self, assignment: Assignment, root: Path):
        self.assignment = assignment
        self.path = lecture_path(root, assignment.slug)
        if not self.path.is_file():
            self.fail("is missing: every assignment needs its lecture notebook source")
        solution = root / "solutions" / assignment.slug / f"{assignment.module}.py"
        self.module = split_module(solution.read_text(encoding="utf-8"))
        self.points = function_points(assignment, root)
        self.cells: list[NotebookNode] = []
        self.claimed: list[str] = []
        self.tested: dict[str, set[str]] = {"tests": set(), "hidden": set()}

    def fail(self, message: str) -> None:
        raise NotebookSourceError(f"{self.path}: {message}")

    def name(self, kind: str, names: list[str]) -> str:
        if len(names) != 1:
            self.fail(f'write ag="{kind} NAME" with exactly one name, got {names}')
        if names[0] not in self.module.public:
            self.fail(f"{names[0]!r} is not a public function or class of the reference module")
        return names[0]

    def add(self, cell: NotebookNode, index: int) -> None:
        kind, names = _role(cell)
        if cell.cell_type == "markdown":
            cell = nbformat.v4.new_markdown_cell(cell.source)
            cell.id = f"md-{index}"
            if kind == "points":
                cell.source = _points_table(self.points, list(self.module.public))
            self.cells.append(cell)
        elif kind == "setup":
            self.cells.append(_code_cell("setup", self.module.setup,
                                         _nbgrader("setup", locked=True)))
        elif kind == "checks":
            self.cells.append(_code_cell("checks", checks_source(),
                                         _nbgrader("checks", locked=True), [CHECK_TAG]))
        elif kind == "solution":
            for name in names:
                self.name(kind, [name])
            self.claimed += names
            source = "\n\n\n".join(self.module.public[n] for n in names)
            self.cells.append(_code_cell(names[0], source, _nbgrader(names[0], solution=True)))
        elif kind in ("tests", "hidden"):
            self.add_tests(kind, self.name(kind, names), cell.source)
        elif kind == "demo":
            body = "\n".join(line for line in cell.source.splitlines()
                             if not line.lstrip().startswith("# ruff:")).strip("\n")
            self.cells.append(_code_cell(f"demo-{index}", body, _nbgrader(f"demo-{index}",
                                                                          locked=True),
                                         [CHECK_TAG]))
        elif cell.cell_type == "code":
            self.fail(f"code cell {index} has no ag= role (setup, checks, solution, tests, "
                      f"hidden, demo); free code would become part of the student's module")

    def add_tests(self, kind: str, name: str, source: str) -> None:
        if name in self.tested[kind]:
            self.fail(f'two ag="{kind} {name}" cells')
        self.tested[kind].add(name)
        points = self.points.get(name, FunctionPoints()).of("hidden" if kind == "hidden" else "public")
        body = "\n".join(line for line in source.splitlines()
                         if not line.lstrip().startswith("# ruff:")).strip("\n")
        if kind == "hidden" and not HIDDEN.search(body):
            self.fail(f"the hidden tests of {name} must sit inside "
                      "### BEGIN HIDDEN TESTS / ### END HIDDEN TESTS")
        what = "Public tests" if kind == "tests" else "Hidden tests"
        grade_id = f"{name}_tests" if kind == "tests" else f"{name}_hidden_tests"
        if points:
            header = f"# {what} of {name}: {_fmt(points)} point{'s' if points != 1 else ''}."
            meta = _nbgrader(grade_id, grade=True, locked=True, points=points)
        else:
            header = f"# {what} of {name} (not graded)."
            meta = _nbgrader(grade_id, locked=True)
        if kind == "hidden":
            header += " They run only when your work is graded."
        self.cells.append(_code_cell(grade_id, f"{header}\n{body}", meta, [CHECK_TAG]))

    def finish(self) -> None:
        missing = [n for n in self.module.public if n not in self.claimed]
        if missing:
            self.fail(f'no ag="solution NAME" cell for {", ".join(missing)}')
        if len(self.claimed) != len(set(self.claimed)):
            self.fail("a function has two solution cells")
        for name, p in self.points.items():
            if name not in self.module.public:
                self.fail(f"the suites grade {name!r}, which the reference does not define")
            if p.public and name not in self.tested["tests"]:
                self.fail(f'{name} has {_fmt(p.public)} public points but no ag="tests {name}" cell')
            if p.hidden and name not in self.tested["hidden"]:
                self.fail(f'{name} has {_fmt(p.hidden)} hidden points but no ag="hidden {name}" cell')
        total = sum(p.total for p in self.points.values())
        if abs(total - self.assignment.max_score) > 1e-9:
            self.fail(f"the suites' markers give {_fmt(total)} points, course.yml "
                      f"{_fmt(self.assignment.max_score)}: a test in course.yml is not in the suites")
        roles = [c.id for c in self.cells]
        for required in ("setup", "checks"):
            if roles.count(required) != 1:
                self.fail(f'needs exactly one ag="{required}" cell')


def source_notebook(assignment: Assignment, root: Path) -> NotebookNode:
    """The nbgrader source notebook of one assignment (reference code and hidden tests inside)."""
    builder = _Builder(assignment, root)
    lecture = jupytext.read(builder.path, fmt="py:percent")
    for index, cell in enumerate(lecture.cells):
        builder.add(cell, index)
    builder.finish()
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": dict(KERNELSPEC),
                         "language_info": {"name": "python"}}
    notebook.cells = builder.cells
    nbformat.validate(notebook)
    return notebook


def dumps(notebook: NotebookNode) -> str:
    """Stable text of a notebook (sorted keys, one space indent, final newline)."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
