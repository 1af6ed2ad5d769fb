"""`autograder release`: everything students get, rebuilt from solutions/, notebooks/ and tests/.

1. assignments/<slug>/<module>.py      stubs (committed)
2. build/nbgrader/source/<slug>/       nbgrader source notebooks, then the real
   `nbgrader generate_assignment` -> build/nbgrader/release/<slug>/
3. assignments/<slug>/<module>.ipynb   copies of nbgrader's release notebooks (committed)
4. build/pytorch-ch2-student/ and .zip the student bundle
5. the generated blocks of the files in autograder.release.derived.DERIVED
   (build/nbgrader/nbgrader_config.py, ci-templates/grade-class.yml): the rest of them is kept
The student notebooks are always copies of nbgrader's generated output, never a file that
jupytext pairs with anything.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from autograder.course.config import Course
from autograder.course.layout import Layout
from autograder.release.bundle import stale_bundle, write_bundle
from autograder.release.derived import stale_derived, write_derived
from autograder.release.nbgrader_course import course_dir, generate_assignments, write_course
from autograder.release.notebooks import source_notebook
from autograder.release.stubs import make_stub, write_stubs


def build_notebooks(course: Course, layout: Layout, directory: Path) -> dict[str, Path]:
    """Write the nbgrader course in `directory` and generate the release: slug -> notebook."""
    notebooks = {a.slug: source_notebook(a, layout) for a in course.assignments}
    write_course(directory, course, notebooks, layout.root)
    return generate_assignments(directory, course)


def release(course: Course, layout: Layout, say: Callable[[str], None] = print) -> list[Path]:
    written = write_stubs(course, layout)
    released = build_notebooks(course, layout, course_dir(layout))
    say(f"nbgrader generate_assignment: {layout.rel(course_dir(layout))}/release/")
    for a in course.assignments:
        target = layout.stub(a, ".ipynb")
        shutil.copyfile(released[a.slug], target)
        written.append(target)
    written += write_bundle(course, layout)
    written += write_derived(layout, course)  # nbgrader_config.py (already written above): no-op
    return written


def student_files(course: Course, layout: Layout, released: dict[str, Path]) -> dict[str, bytes]:
    """What `release` writes to assignments/: relative path -> content (stubs and notebooks)."""
    files = {}
    for a in course.assignments:
        solution = layout.solution(a).read_text(encoding="utf-8")
        files[f"assignments/{a.slug}/{a.module}.py"] = make_stub(solution).encode()
        files[f"assignments/{a.slug}/{a.module}.ipynb"] = released[a.slug].read_bytes()
    return files


def stale_release(course: Course, layout: Layout) -> list[str]:
    """What is stale in assignments/ and the bundle, as `autograder validate` says it.

    The notebooks are generated again with nbgrader (in a temporary course directory) and
    compared byte for byte; the bundle is compared with what `release` would write now.
    """
    with tempfile.TemporaryDirectory(prefix="autograder-nbgrader-") as tmp:
        expected = student_files(course, layout, build_notebooks(course, layout, Path(tmp)))
    root = layout.root
    problems = [f"{rel} is stale: run `autograder release`" for rel, content in expected.items()
                if rel.endswith(".ipynb") and (not (root / rel).is_file()
                                               or (root / rel).read_bytes() != content)]
    return problems + [f"{p}: run `autograder release`"
                       for p in stale_bundle(course, layout, expected)] + stale_derived(layout, course)
