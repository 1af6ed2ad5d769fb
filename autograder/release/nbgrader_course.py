"""The nbgrader course directory (build/nbgrader/) and running the real nbgrader on it.

Layout (nbgrader's own): nbgrader_config.py, source/<slug>/<module>.ipynb (reference code and
hidden tests inside), and what nbgrader makes: release/<slug>/<module>.ipynb, gradebook.db, ...
source/<slug>/ holds the notebook only: nbgrader copies any other file verbatim into the
release (solution markers in a .py file would not be stripped) and, at autograde time, over the
student's files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from nbformat import NotebookNode

from autograder.course.config import Assignment, Course
from autograder.course.layout import Layout
from autograder.release.derived import block, write_block
from autograder.release.errors import ReleaseError
from autograder.release.notebooks import dumps

COURSE_ID = "pytorch-ch2"
CELL_TIMEOUT = 120  # seconds per notebook cell when nbgrader runs a submission

# The nbgrader settings that follow from the course, with the reasons: the generated block of
# nbgrader_config.py (autograder.release.derived). Settings outside it are the instructor's.
BLOCK = '''\
import os

c = get_config()  # noqa: F821 - nbgrader provides it
here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = here
c.CourseDirectory.course_id = {course_id!r}

# Notebooks run in a kernel of the Python that runs nbgrader (the one with NumPy and torch):
# the kernelspec in ./jupyter comes first on the search path.
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    [os.path.join(here, "jupyter"), *filter(None, [os.environ.get("JUPYTER_PATH")])])
c.Execute.timeout = {timeout}
# The test cells run the pytest suites of the course this folder was released from.
os.environ["AUTOGRADER_ROOT"] = {course_root!r}

# nbgrader fails a test cell that writes anything to stderr; warnings from NumPy, torch or the
# student's own code must not cost points. A test cell fails when it raises, and only then.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"[\\s\\S]"

# Solutions become the same stub as in assignments/<slug>/<module>.py.
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}

# source/<slug>/ holds the notebook only. Should a <module>.py ever be put there, autograde
# must not overwrite the student's own file with it.
c.Autograde.exclude_overwriting = {exclude!r}
'''

FILE = '''\
"""nbgrader configuration of the course.

`autograder release` rewrites the GENERATED block below from course.yml; every other line is
yours and is kept, e.g. where the exchange is (c.Exchange.root) or who the students are.
"""

c = get_config()  # noqa: F821 - nbgrader provides it

{block}
# Your settings (kept by `autograder release`), for example:
# c.Exchange.root = "/srv/nbgrader/exchange"
{exchange}'''

KERNEL = {"argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
          "display_name": "Python 3", "language": "python"}


def course_dir(layout: Layout) -> Path:
    return layout.build / "nbgrader"


def notebook_name(assignment: Assignment) -> str:
    return f"{assignment.module}.ipynb"


def config_block(course: Course, course_root: Path) -> str:
    exclude = {a.slug: [f"{a.module}.py"] for a in course.assignments}
    return BLOCK.format(course_id=COURSE_ID, timeout=CELL_TIMEOUT, exclude=exclude,
                        course_root=str(course_root))


def config_file(course: Course, course_root: Path, exchange: Path | None = None) -> str:
    """A new nbgrader_config.py: the generated block, and room for the instructor's settings."""
    line = f"c.Exchange.root = {str(exchange)!r}\n" if exchange else ""
    return FILE.format(block=block(config_block(course, course_root)), exchange=line)


def write_course(directory: Path, course: Course, notebooks: dict[str, NotebookNode],
                 course_root: Path, exchange: Path | None = None) -> None:
    """Write nbgrader_config.py (its generated block only, when it exists), the kernelspec and
    source/<slug>/<module>.ipynb."""
    directory.mkdir(parents=True, exist_ok=True)
    write_block(directory / "nbgrader_config.py", config_block(course, course_root),
                config_file(course, course_root, exchange))
    kernel = directory / "jupyter" / "kernels" / "python3"
    kernel.mkdir(parents=True, exist_ok=True)
    (kernel / "kernel.json").write_text(json.dumps(KERNEL, indent=1) + "\n", encoding="utf-8")
    for assignment in course.assignments:
        folder = directory / "source" / assignment.slug
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():  # only the notebook: see the module docstring
            if old.is_file() and old.name != notebook_name(assignment):
                old.unlink()
        (folder / notebook_name(assignment)).write_text(
            dumps(notebooks[assignment.slug]), encoding="utf-8")


class NbgraderError(ReleaseError):
    """An nbgrader command failed; the message holds its output."""


def nbgrader(directory: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `nbgrader ARGS` with this Python in `directory` (a course, or a student's folder)."""
    # nbgrader's gradebook runs the `alembic` command, which lives next to this Python.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=directory,
                            env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise NbgraderError(f"nbgrader {' '.join(args)} failed ({result.returncode}):\n"
                            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def generate_assignments(directory: Path, course: Course) -> dict[str, Path]:
    """`nbgrader generate_assignment` for every assignment (source/*): slug -> release notebook."""
    nbgrader(directory, "generate_assignment", "*", "--force")  # one process: ~5 s each
    return {a.slug: directory / "release" / a.slug / notebook_name(a) for a in course.assignments}
