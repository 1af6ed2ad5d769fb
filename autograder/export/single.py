"""Grading one upload on a platform that hands us one student's files at a time.

Gradescope (/autograder/submission) and Classroom 50 (the student's repository checkout)
both give the grader one folder of one student. It is copied into a student folder (a
module found deeper, e.g. a repository's assignments/<slug>/, is brought up beside it) and
graded by the same engine as `autograder grade`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from autograder.course import config
from autograder.course.layout import Layout
from autograder.scoring.results import AssignmentResult

STUDENT = "submission"


def _find(folder: Path, names: tuple[str, ...]) -> Path | None:
    """The shallowest file with one of these names under folder (hidden folders skipped)."""
    found = []
    for current, dirs, files in os.walk(folder):  # does not follow links to folders
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
        depth = len(Path(current).relative_to(folder).parts)
        found += [(depth, names.index(f), Path(current) / f) for f in files if f in names]
    return min(found)[2] if found else None


def prepare_submission(upload: Path, student: Path, course: config.Course,
                       slugs: list[str]) -> list[str]:
    """Copy the upload into a student folder; bring modules found deeper up. Returns notes."""
    from autograder.intake.submission import find_module

    if upload.is_dir():
        # .git is history, not the submission (a repository checkout carries one)
        shutil.copytree(upload, student, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    else:
        student.mkdir(parents=True)
    notes = []
    for slug in slugs:
        module = course.assignment(slug).module
        if find_module(student, slug, module) is not None:
            continue
        deeper = _find(student, (f"{module}.py", f"{module}.ipynb"))
        if deeper is not None:
            shutil.copy2(deeper, student / deeper.name, follow_symlinks=False)
            notes.append(f"graded {deeper.relative_to(student).as_posix()} as {deeper.name}")
    return notes


def grade_upload(upload: Path, slugs: list[str], layout: Layout, *, backend: str = "sandbox",
                 lang: str = "en", public_only: bool = False
                 ) -> tuple[dict[str, AssignmentResult], list[str]]:
    """slug -> result of the upload, and notes on which files were graded.

    Raises slots.GradingError (after printing the slots' logs) when the grader cannot run.
    """
    from autograder.batch import slots
    from autograder.outputs.store import read_results

    course = layout.course()
    with tempfile.TemporaryDirectory(prefix="autograder-one-") as tmp:
        student = Path(tmp) / STUDENT
        notes = prepare_submission(upload, student, course, slugs)
        out = Path(tmp) / "out"
        batch = slots.Batch([student], slugs, out, backend=backend, lang=lang,
                              public_only=public_only, layout=layout)
        try:
            slots.run(batch)
        except slots.GradingError:
            for log in sorted((out / ".logs").glob("slot-*.log")):
                print(log.read_text(encoding="utf-8", errors="replace")[-5000:])
            raise
        results = {slug: read_results(out, STUDENT, slug) for slug in slugs}
    graded = {slug: result for slug, result in results.items() if result is not None}
    if len(graded) < len(results):
        raise slots.GradingError(f"no results for {', '.join(sorted(set(results) - set(graded)))}")
    return graded, notes
