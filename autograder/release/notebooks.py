"""Lecture notebooks: jupytext percent sources + reference code -> nbgrader source notebooks.

`notebooks/<slug>.py` (jupytext percent format) holds the lecture: markdown cells, and code
cells whose metadata key `ag` says what they are. The code itself comes from elsewhere, so
nothing is written twice:

    # %% ag="setup"          the reference module's imports, constants and private helpers
    # %% ag="checks"         loads the test cells' runner (autograder/plugin/notebook_cells.py)
    # %% ag="solution mse"   the reference source of `mse` (with its ### BEGIN SOLUTION regions)
    # %% ag="tests mse"      the public tests of `mse` from tests/<slug>/test_public.py
    # %% ag="hidden mse"     the hidden tests of `mse` from test_hidden.py, inside
    #                        ### BEGIN/END HIDDEN TESTS; points from course.yml
    # %% [markdown] ag="points"   a table of the points per function (generated)
    # %% ag="demo"           lecture code written here (plots, tables): locked, not graded,
    #                        and left out of the student's module like the test cells

Test cells are cut from the pytest suites (autograder/release/suite_cells.py) and run through
the grader: the notebook source leaves them empty, so there is one dialect of tests.

The result is an nbgrader *source* notebook (solutions and hidden tests inside, nbgrader cell
metadata set); `nbgrader generate_assignment` turns it into the student version. It carries no
jupytext metadata, so Jupyter never pairs it with (and writes solution text into) a .py file.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass

import jupytext
import nbformat
from nbformat import NotebookNode

from autograder.course.config import Assignment
from autograder.course.layout import Layout
from autograder.intake.submission import DEMO_LINE
from autograder.release.errors import ReleaseError
from autograder.release.points import FunctionPoints, function_points
from autograder.release.stubs import REGION
from autograder.release.suite_cells import cell_source, cell_tests
from autograder.scoring.score import format_points

ROLE_KEY = "ag"
CHECK_TAG = "check"  # autograder.intake.submission leaves cells with this tag out of the module
HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[^\n]*\n.*?^[ \t]*### END HIDDEN TESTS[^\n]*$",
                    re.MULTILINE | re.DOTALL)
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
# The `checks` cell: what makes the test cells run (the student needs the bundle installed).
CHECKS = """\
# The test cells below run the course's tests with `autograder` (the student bundle:
# pip install -e . in its folder). 테스트 셀은 autograder로 실행됩니다.
%load_ext autograder.plugin.notebook_cells"""


class NotebookSourceError(ReleaseError):
    """notebooks/<slug>.py does not fit the reference module or course.yml."""


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
        decorators: list[ast.expr] = getattr(node, "decorator_list", [])
        first = min([node.lineno, *(d.lineno for d in decorators)]) - 1
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


# -- nbgrader metadata ----------------------------------------------------------------------------

def _nbgrader(grade_id: str, *, solution: bool = False, grade: bool = False,
              locked: bool = False, points: float | None = None) -> dict[str, object]:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def _role(cell: NotebookNode) -> tuple[str, list[str]]:
    words = str(cell.metadata.get(ROLE_KEY, "")).split()
    return (words[0], words[1:]) if words else ("", [])


def _code_cell(cell_id: str, source: str, nbgrader: dict[str, object], tags: list[str] | None = None
               ) -> NotebookNode:
    cell: NotebookNode = nbformat.v4.new_code_cell(source)
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
        rows.append(f"| `{name}` | {format_points(p.public)} | {format_points(p.hidden)} |")
    public = sum(p.public for p in points.values())
    hidden = sum(p.hidden for p in points.values())
    rows.append(f"| **total: {format_points(public + hidden)}** | {format_points(public)} | "
                f"{format_points(hidden)} |")
    return "**Points (점수)**\n\n" + "\n".join(rows) + (
        "\n\nThe public tests run right here, in the cell after each function. The hidden tests "
        "run only when your work is graded: passing the public tests is a good sign, not a "
        "guarantee.")


# -- the source notebook --------------------------------------------------------------------------

class _Builder:
    def __init__(self, assignment: Assignment, layout: Layout):
        self.assignment = assignment
        self.layout = layout
        self.path = layout.lecture(assignment.slug)
        if not self.path.is_file():
            self.fail("is missing: every assignment needs its lecture notebook source")
        self.module = split_module(layout.solution(assignment).read_text(encoding="utf-8"))
        self.points = function_points(assignment, layout)
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
            self.cells.append(_code_cell("checks", CHECKS,
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
            self.cells.append(_code_cell(f"demo-{index}", f"{DEMO_LINE}\n{body}",
                                         _nbgrader(f"demo-{index}", locked=True), [CHECK_TAG]))
        elif cell.cell_type == "code":
            self.fail(f"code cell {index} has no ag= role (setup, checks, solution, tests, "
                      f"hidden, demo); free code would become part of the student's module")

    def add_tests(self, kind: str, name: str, source: str) -> None:
        if name in self.tested[kind]:
            self.fail(f'two ag="{kind} {name}" cells')
        self.tested[kind].add(name)
        suite = "hidden" if kind == "hidden" else "public"
        points = self.points.get(name, FunctionPoints()).of(suite)
        if source.strip():
            self.fail(f'the ag="{kind} {name}" cell must be empty: its tests are cut from '
                      f"{self.layout.rel(self.layout.suite(self.assignment.slug, suite))}")
        path = self.layout.suite(self.assignment.slug, suite)
        tests = cell_tests(path, self.assignment.slug, name) if path.is_file() else ""
        what = "Public tests" if kind == "tests" else "Hidden tests"
        grade_id = f"{name}_tests" if kind == "tests" else f"{name}_hidden_tests"
        if points:
            header = f"# {what} of {name}: {format_points(points)} point{'s' if points != 1 else ''}."
            meta = _nbgrader(grade_id, grade=True, locked=True, points=points)
        else:
            header = f"# {what} of {name} (not graded)."
            meta = _nbgrader(grade_id, locked=True)
        header += (f"\n# The same tests as tests/{self.assignment.slug}/test_{suite}.py: "
                   + ("they run only when your work is graded." if kind == "hidden" else
                      "run this cell to check your code (the value is your points)."))
        source = cell_source(header, self.assignment.slug, suite, tests, hidden=kind == "hidden")
        self.cells.append(_code_cell(grade_id, source, meta, [CHECK_TAG]))

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
                self.fail(f'{name} has {format_points(p.public)} public points '
                          f'but no ag="tests {name}" cell')
            if p.hidden and name not in self.tested["hidden"]:
                self.fail(f'{name} has {format_points(p.hidden)} hidden points '
                          f'but no ag="hidden {name}" cell')
        total = sum(p.total for p in self.points.values())
        if abs(total - self.assignment.max_score) > 1e-9:
            self.fail(f"the suites' markers give {format_points(total)} points, course.yml "
                      f"{format_points(self.assignment.max_score)}: "
                      "a test in course.yml is not in the suites")
        roles = [c.id for c in self.cells]
        for required in ("setup", "checks"):
            if roles.count(required) != 1:
                self.fail(f'needs exactly one ag="{required}" cell')


def source_notebook(assignment: Assignment, layout: Layout) -> NotebookNode:
    """The nbgrader source notebook of one assignment (reference code and hidden tests inside)."""
    builder = _Builder(assignment, layout)
    lecture = jupytext.read(builder.path, fmt="py:percent")
    for index, cell in enumerate(lecture.cells):
        builder.add(cell, index)
    builder.finish()
    notebook: NotebookNode = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": dict(KERNELSPEC),
                         "language_info": {"name": "python"}}
    notebook.cells = builder.cells
    nbformat.validate(notebook)
    return notebook


def dumps(notebook: NotebookNode) -> str:
    """Stable text of a notebook (sorted keys, one space indent, final newline)."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
