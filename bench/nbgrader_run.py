"""(b) nbgrader autograde on the same submissions, as notebooks.

  python -m bench.nbgrader_run prepare WORK PARTS DIR...   (not timed) an nbgrader course per
        part (nbgrader's own generate_assignment, via autograder.release), and each student's
        modules turned into their submitted notebooks: the released notebook with every
        solution cell holding the student's code for those functions
  python -m bench.nbgrader_run autograde WORK SLUGS        (timed) `nbgrader autograde SLUG`
        for every assignment, the parts at the same time (one sqlite gradebook per part:
        that is how nbgrader grades on several cores)
  python -m bench.nbgrader_run scores WORK                 (not timed) prints
        {student: {slug: score}} as JSON, from `nbgrader export`
nbgrader's notebooks carry their own test cells (one graded cell per function, the public
and the hidden tests of the course, points per function from course.yml), not the pytest
suites, so a mutant can score differently there: the bench reports which.
"""

from __future__ import annotations

import ast
import csv
import json
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from bench import LAYOUT

TIMEOUT = 3600


def _api():
    """The nbgrader course builder (autograder.release); ImportError while it is not there."""
    from autograder.release.nbgrader_course import nbgrader, notebook_name, write_course
    from autograder.release.notebooks import source_notebook, split_module

    return nbgrader, notebook_name, write_course, source_notebook, split_module


def available() -> str | None:
    """None when (b) can run here, else why not."""
    try:
        _api()
    except ImportError as exc:
        return f"the nbgrader course builder is not importable ({exc})"
    if shutil.which("python", path=str(Path(sys.executable).parent)) is None:
        return "no `python` beside this interpreter for the notebook kernel"
    return None


def _defined(source: str) -> list[str]:
    return [node.name for node in ast.parse(source).body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))]


def _strip_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines()
                     if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


def fill(released: nbformat.NotebookNode, source: nbformat.NotebookNode, module_source: str,
         split_module) -> None:
    """Put the student's functions into the solution cells of the released notebook."""
    theirs = split_module(module_source).public
    names_of = {c.metadata["nbgrader"]["grade_id"]: _defined(c.source) for c in source.cells
                if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in released.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            names = names_of[meta["grade_id"]]
            cell.source = "\n\n\n".join(_strip_markers(theirs[n]) for n in names if n in theirs)


def prepare(work: Path, parts: int, folders: list[Path]) -> None:
    nbgrader, notebook_name, write_course, source_notebook, split_module = _api()
    course = LAYOUT.course()
    sources = {a.slug: source_notebook(a, LAYOUT) for a in course.assignments}
    if work.exists():
        shutil.rmtree(work)
    first = work / "part-0"
    write_course(first, course, sources, LAYOUT.root)
    nbgrader(first, "generate_assignment", "*", "--force")
    for p in range(1, parts):
        shutil.copytree(first, work / f"part-{p}")
    for i, folder in enumerate(folders):
        part = work / f"part-{i % parts}"
        for a in course.assignments:
            name = notebook_name(a)
            notebook = nbformat.read(part / "release" / a.slug / name, as_version=4)
            fill(notebook, sources[a.slug], (folder / f"{a.module}.py").read_text(), split_module)
            target = part / "submitted" / folder.name / a.slug / name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, target)


def autograde(work: Path, slugs: list[str]) -> int:
    nbgrader = _api()[0]

    def one(part: Path) -> None:
        for slug in slugs:
            nbgrader(part, "autograde", slug, "--force", timeout=TIMEOUT)

    parts = sorted(work.glob("part-*"))
    with ThreadPoolExecutor(len(parts)) as pool:
        for done in [pool.submit(one, part) for part in parts]:
            done.result()
    return 0


def scores(work: Path) -> dict[str, dict[str, float]]:
    nbgrader = _api()[0]
    result: dict[str, dict[str, float]] = {}
    for part in sorted(work.glob("part-*")):
        nbgrader(part, "export")
        with open(part / "grades.csv", newline="") as f:
            for row in csv.DictReader(f):
                if (part / "submitted" / row["student_id"]).is_dir():
                    result.setdefault(row["student_id"], {})[row["assignment"]] = float(row["score"])
    return result


def main(argv: list[str]) -> int:
    command, work, *rest = argv
    if command == "prepare":
        prepare(Path(work), int(rest[0]), [Path(f) for f in rest[1:]])
        return 0
    if command == "autograde":
        return autograde(Path(work), rest[0].split(","))
    if command == "scores":
        print(json.dumps(scores(Path(work))))
        return 0
    raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
