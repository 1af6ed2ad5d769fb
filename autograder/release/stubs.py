"""Student stubs from reference solutions: each solution region becomes a TODO.

The markers are nbgrader's (`### BEGIN SOLUTION` / `### END SOLUTION`), so the same source
also works as an nbgrader source notebook.
"""

from __future__ import annotations

import re
from pathlib import Path

from autograder.course.config import Course
from autograder.course.layout import Layout

REGION = re.compile(r"^(?P<indent>[ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*\n",
                    re.MULTILINE | re.DOTALL)


def make_stub(source: str) -> str:
    """Replace every solution region with `# YOUR CODE HERE` and `raise NotImplementedError()`."""
    return REGION.sub(lambda m: f"{m['indent']}# YOUR CODE HERE\n"
                                f"{m['indent']}raise NotImplementedError()\n", source)


def solution_regions(source: str) -> list[str]:
    """The code inside the solution regions (what must never reach students)."""
    return [m.group(0) for m in REGION.finditer(source)]


def stub_paths(course: Course, layout: Layout) -> list[tuple[Path, Path]]:
    """(solution, stub) pairs for every assignment."""
    return [(layout.solution(a), layout.stub(a)) for a in course.assignments]


def write_stubs(course: Course, layout: Layout) -> list[Path]:
    written = []
    for solution, stub in stub_paths(course, layout):
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text(make_stub(solution.read_text(encoding="utf-8")), encoding="utf-8")
        written.append(stub)
    return written


def stale_stubs(course: Course, layout: Layout) -> list[Path]:
    """Stubs that differ from what the solutions generate (or are missing)."""
    return [stub for solution, stub in stub_paths(course, layout)
            if not stub.is_file()
            or stub.read_text(encoding="utf-8") != make_stub(solution.read_text(encoding="utf-8"))]
