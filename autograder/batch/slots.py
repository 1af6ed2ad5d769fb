"""Grading a batch: split the class over job slots, one trusted pytest process per slot.

Each slot's pytest process (autograder.plugin.hooks) keeps one warm worker and writes
OUT/<student>/<slug>.json as each student finishes; this module only plans, starts the
slots, shows progress, and writes the gradebook and feedback files at the end. Finished
results are skipped on a rerun, so a killed run resumes where it stopped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from autograder.course import roster
from autograder.course.config import Course
from autograder.course.deadlines import read_late
from autograder.course.layout import Layout
from autograder.intake.submission import find_module
from autograder.outputs.feedback import render_markdown
from autograder.outputs.gradebook import write_gradebook
from autograder.outputs.store import read_results, write_atomic, write_results

# pytest's own per-test machinery that grading does not use: output capture (student output
# never reaches this process), log capture, and the end-of-session gc sweeps for unraisable
# exceptions. About a third of the trusted process's CPU time per test (see docs/benchmark.md).
PYTEST_LEAN = ("-p", "no:cacheprovider", "--capture=no", "-p", "no:logging",
               "-p", "no:unraisableexception", "-p", "no:threadexception", "-p", "no:faulthandler")


class GradingError(Exception):
    """The grader itself could not run (not a student's problem)."""


@dataclass
class Batch:
    submissions: list[Path]
    slugs: list[str]
    out: Path
    jobs: int = 1
    backend: str = "sandbox"
    require_sandbox: bool = False
    lang: str = "en"
    public_only: bool = False
    after_dashes: bool = False  # ids may start with "-" (they were given after `--`)
    layout: Layout = field(default_factory=Layout.find)

    def __post_init__(self) -> None:
        # the slots run with the course as their current directory: relative paths would move
        self.out = Path(self.out).absolute()

    @property
    def students(self) -> list[str]:
        return [roster.student_id(folder) for folder in self.submissions]


def students_of(submissions: list[Path], after_dashes: bool = False) -> dict[str, Path]:
    try:
        return roster.identify(submissions, after_dashes)
    except roster.RosterError as exc:
        raise GradingError(str(exc)) from None


def slugs_present(course: Course, submissions: list[Path]) -> list[str]:
    """Every assignment whose module at least one submission contains, in course order."""
    return [a.slug for a in course.assignments
            if any(find_module(folder, a.slug, a.module) for folder in submissions)]


def pending(batch: Batch) -> list[str]:
    return [student for student in batch.students
            if any(read_results(batch.out, student, slug) is None for slug in batch.slugs)]


def _test_paths(batch: Batch) -> list[str]:
    paths = []
    for slug in batch.slugs:
        folder = batch.layout.suite_dir(slug)
        paths.append(str(batch.layout.suite(slug, "public")) if batch.public_only else str(folder))
    return paths


def pytest_argv(layout: Layout, test_paths: list[str], *options: str) -> list[str]:
    """pytest's arguments for a grading run of the course `layout` (after `python -m pytest`)."""
    return ["-q", "--tb=no", *PYTEST_LEAN, "--rootdir", str(layout.root),
            "-c", str(layout.pytest_config), *test_paths, "--ag-course", str(layout.root), *options]


def _start_slot(batch: Batch, slot: int, share: list[str], students: dict[str, Path],
                logs: Path) -> subprocess.Popen[bytes]:
    root = batch.layout.root
    roster_file = logs / f"roster-{slot}.json"
    write_atomic(roster_file, json.dumps([[s, str(students[s].resolve())] for s in share]))
    argv = [sys.executable, "-m", "pytest", *pytest_argv(
        batch.layout, _test_paths(batch), "--ag-roster", str(roster_file),
        "--ag-results", str(batch.out), "--ag-slot", str(slot), "--ag-backend", batch.backend,
        "--ag-lang", batch.lang)]
    if batch.require_sandbox:
        argv.append("--ag-require-sandbox")
    log = open(logs / f"slot-{slot}.log", "w")  # noqa: SIM115 - closed when the slot ends
    env = {**os.environ, "AUTOGRADER_ROOT": str(root)}
    return subprocess.Popen(argv, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)


def _stamp(out: Path, student: str, slug: str) -> tuple[int, int] | None:
    try:
        info = (out / student / f"{slug}.json").stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns


def run(batch: Batch, on_progress: Callable[[int, int], None] = lambda done, total: None) -> None:
    """Grade every pending student; raise GradingError if a slot could not run."""
    students = students_of(batch.submissions, batch.after_dashes)
    todo = pending(batch)
    total = len(batch.students) * len(batch.slugs)
    logs = batch.out / ".logs"
    logs.mkdir(parents=True, exist_ok=True)
    slots = max(1, min(batch.jobs, len(todo)))
    shares = [todo[i::slots] for i in range(slots)]
    # progress: a stat per result still to come (results are renamed into place, so a new
    # inode means finished); parsing every result file at every tick made a big class quadratic
    unfinished = {(s, slug): _stamp(batch.out, s, slug) for s in todo for slug in batch.slugs
                  if read_results(batch.out, s, slug) is None}
    processes = [_start_slot(batch, i, share, students, logs) for i, share in enumerate(shares) if share]
    while True:
        running = [p for p in processes if p.poll() is None]
        unfinished = {key: stamp for key, stamp in unfinished.items() if _stamp(batch.out, *key) == stamp}
        on_progress(total - len(unfinished), total)
        if not running:
            break
        time.sleep(0.2)
    failed = [i for i, p in enumerate(processes) if p.returncode not in (0, 1)]
    missing = pending(batch)
    # the gradebook and everyone's feedback even when a slot failed: those graded keep theirs
    write_outputs(batch.out, batch.students, batch.slugs, batch.lang)
    if failed or missing:
        raise GradingError(f"grading slot(s) {failed} stopped with an error; students not graded: "
                           f"{', '.join(missing) or 'none'}; see {logs}/slot-N.log")


def write_outputs(out: Path, students: list[str], slugs: list[str], lang: str = "en") -> None:
    """The gradebook and every student's feedback.md, from the results and OUT/late.json;
    each results file also carries its lateness record (`extra_data["late"]`)."""
    write_gradebook(out, students, slugs)
    late = read_late(out)
    for student in students:
        results = {slug: read_results(out, student, slug) for slug in slugs}
        for slug, result in results.items():
            record = late.get(student, {}).get(slug)
            stamped = asdict(record) if record is not None else None
            if result is not None and result.late != stamped:
                results[slug] = result = replace(result, late=stamped)
                write_results(out / student / f"{slug}.json", result)
        try:
            text = render_markdown(student, results, lang=lang, late=late.get(student))
        except Exception as exc:  # noqa: BLE001 - one student's data must not stop the others
            text = f"# {student}\n\nThe grader could not write this feedback " \
                   f"({type(exc).__name__}); ask your instructor.\n"
        write_atomic(out / student / "feedback.md", text)

