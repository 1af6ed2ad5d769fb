"""`autograder check`: a student's own work, against the public tests, on their own computer.

One process runs pytest with the grading plugin (no second interpreter for the trusted side),
and the worker that runs the student's code is started first, so that its NumPy and torch
imports overlap ours. Where the worker runs (`backend`): `auto` picks the bubblewrap sandbox
on Linux when it works, else `portable` (a plain Python process started with subprocess,
no fork, no prctl, no rlimits: macOS, Windows, Colab). The tests, the proxy, the codec and
the per-call time limit are the same in every backend, so the verdicts are grading's.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.course.config import Assignment
from autograder.course.layout import Layout
from autograder.intake.submission import choose_module, released_of
from autograder.scoring.results import AssignmentResult

if TYPE_CHECKING:  # the plugin is imported when a check starts (pytest is slow to import)
    from autograder.plugin.hooks import Prestarted

BACKENDS = ("auto", "sandbox", "process", "portable")


def choose_backend(requested: str) -> str:
    """`auto`: the sandbox where Linux, fork and bubblewrap all work here; else portable."""
    if requested != "auto":
        return requested
    if sys.platform != "linux" or not hasattr(os, "fork"):
        return "portable"
    from autograder.isolation import sandbox

    return "sandbox" if sandbox.bwrap_available() is None else "portable"


def start_worker(backend: str, functions: Path) -> Prestarted:
    """The worker for `backend`, already launched (it imports while we collect the tests)."""
    from autograder.isolation import launchers, sandbox, worker_handle
    from autograder.plugin import hooks

    if backend == "portable":
        worker = worker_handle.WorkerHandle(launcher=launchers.PortableLauncher(),
                                            functions=functions)
        note = hooks.PORTABLE_NOTE
    else:
        worker = worker_handle.WorkerHandle(launcher=launchers.ForkingLauncher(
            backend == "sandbox", slot=0, limits=sandbox.Limits(), one_submission=True),
            functions=functions)
        note = "bubblewrap sandbox" if backend == "sandbox" else "NO SANDBOX (not requested)"
    try:
        worker.prestart()
    except worker_handle.WorkerStartError:
        pass  # reported by the plugin when the first test asks for the submission
    return hooks.Prestarted(worker, note)


def hidden_points(assignment: Assignment, layout: Layout, functions: list[str] | None = None) -> float:
    """Points of the hidden tests (of `functions`, default all): what `check` cannot show.
    The student bundle's course.yml records them per function; a course repository has the
    hidden suites to count them in."""
    per_function = assignment.hidden_points
    if not per_function:
        from autograder.release.points import function_points

        per_function = {name: p.hidden for name, p in function_points(assignment, layout).items()}
    return sum(points for name, points in per_function.items()
               if functions is None or name in functions)


@dataclass
class Checked:
    """What `check` found and ran: the file, why that one, and the results (None: not run)."""

    path: Path | None
    chosen: str
    results: AssignmentResult | None
    problem: str | None  # the checker's environment could not run it (never the student's code)
    log: str             # pytest's own output, shown when the checker itself failed


def _submission_folder(assignment: Assignment, given: Path, scratch: Path) -> Path:
    """A folder holding exactly the given file under the module's name, or the given folder."""
    if not given.is_file():
        return given
    copy = scratch / "submission" / f"{assignment.module}{given.suffix}"
    copy.parent.mkdir()
    shutil.copyfile(given, copy)
    return copy.parent


def run(layout: Layout, assignment: Assignment, given: Path | None, backend: str, lang: str,
        functions: list[str]) -> Checked:
    import pytest

    from autograder.batch.slots import pytest_argv
    from autograder.course.roster import student_id
    from autograder.outputs.store import read_results

    prestarted = start_worker(backend, layout.functions_file)
    folder = given if given is not None else layout.stub(assignment).parent
    path: Path | None
    if folder.is_file():
        path, chosen = folder, ""
    else:
        path, chosen = choose_module(folder, assignment.slug, assignment.module,
                                     released_of(layout.root, assignment.slug, assignment.module))
    with tempfile.TemporaryDirectory(prefix="autograder-check-") as out:
        submission = _submission_folder(assignment, folder, Path(out))
        argv = pytest_argv(layout, [str(layout.suite(assignment.slug, "public"))],
                           "--ag-submission", str(submission), "--ag-results", out,
                           "--ag-backend", backend, "--ag-lang", lang,
                           *(f"--ag-function={name}" for name in functions))
        log = io.StringIO()
        try:
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                pytest.main(argv, plugins=[prestarted])
        finally:
            prestarted.worker.shutdown()
        results = read_results(Path(out), student_id(submission), assignment.slug)
    return Checked(path, chosen, results, prestarted.problem, log.getvalue())
