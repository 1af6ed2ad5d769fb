"""The pytest plugin that grades: the `sub` fixture, the `grades` marker, and the results.

Graded suites are `tests/<slug>/test_*.py`. Each test that asks for `sub` runs once per
student of the roster (`--ag-roster`, or `--ag-submission`, or by default the reference
solutions); items are ordered student by student, so one warm worker serves them all and
each student's results are written as soon as their last test has run.
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pytest
from pluggy import Result

from autograder.course import catalogue, config, messages
from autograder.course.config import Course
from autograder.course.layout import Layout
from autograder.course.roster import student_id
from autograder.intake.forbidden import forbidden_uses, missing_calls
from autograder.intake.submission import NotSubmitted, SubmissionProblem, read_module, released_of
from autograder.isolation import cgroups, sandbox
from autograder.isolation.budget import GuardedConnection
from autograder.isolation.cgroups import SlotCgroup
from autograder.isolation.connection import Connection
from autograder.isolation.in_process import InProcessBackend
from autograder.isolation.launchers import PortableLauncher
from autograder.isolation.proxy import Submission, UnavailableSubmission
from autograder.isolation.remote import (
    CallSkipped,
    CallTimeout,
    StudentError,
    SubmissionUnavailable,
    WorkerCrashed,
    builtin_type,
    error_from_reply,
    student_traceback,
)
from autograder.isolation.worker_handle import WorkerHandle, WorkerStartError
from autograder.outputs.store import write_results
from autograder.plugin.uses import ReferenceHelpers, load_helpers
from autograder.sanitize import FEEDBACK_LIMIT, clean_text
from autograder.scoring.outcomes import Outcome, build_results
from autograder.scoring.results import AssignmentResult, Reason, Status
from autograder.testing import GradedFailure, follow

REFERENCE = "reference"
PEAK_MEMORY = "autograder: peak memory of this grading process:"
ENVIRONMENT_PROBLEM = 3  # pytest's exit code when no worker could start here
PORTABLE_NOTE = "portable: a plain Python process (a student's own computer, no sandbox)"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("autograder")
    group.addoption("--ag-submission", action="append", default=[], metavar="DIR",
                    help="grade this submission folder (repeatable; student id = folder name)")
    group.addoption("--ag-roster", metavar="FILE",
                    help="JSON list of [student, folder] pairs to grade")
    group.addoption("--ag-backend", choices=["sandbox", "process", "portable", "inprocess"],
                    default="sandbox", help="where student code runs (default: sandbox; "
                    "portable: a spawned process on any OS, for a student's own computer)")
    group.addoption("--ag-require-sandbox", action="store_true",
                    help="fail instead of falling back when the sandbox is unavailable")
    group.addoption("--ag-results", metavar="OUT", help="write OUT/<student>/<slug>.json")
    group.addoption("--ag-slot", type=int, default=0, help="job slot (worker uid)")
    group.addoption("--ag-lang", choices=["en", "ko"], default="en", help="feedback language")
    group.addoption("--ag-function", action="append", default=[], metavar="NAME",
                    help="run only the tests that grade NAME (repeatable)")
    group.addoption("--ag-course", metavar="DIR",
                    help="the course (default: $AUTOGRADER_ROOT, else the nearest course.yml "
                         "above pytest's rootdir)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "grades(name): the function or class this test grades")
    messages.set_language(config.getoption("ag_lang"))
    config.pluginmanager.register(Grading(config), "autograder-grading")


@dataclass(eq=False)  # a plugin object: pluggy keeps it in sets
class Prestarted:
    """Registered by `check`, which runs pytest in its own process: a
    worker started early (its imports overlap collection), and where an environment problem
    is left for `check` to print."""

    worker: WorkerHandle
    note: str
    problem: str | None = None


@dataclass
class _Current:
    student: str
    slug: str
    submission: Submission | UnavailableSubmission
    source: str | None


@dataclass
class _StudentRecord:
    outcomes: dict[str, list[Outcome]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, str] = field(default_factory=dict)    # slug -> why it could not load
    status: dict[str, Status] = field(default_factory=dict)  # slug -> not_submitted | error
    sources: dict[str, str] = field(default_factory=dict)   # slug -> module source


class Grading:
    def __init__(self, config: pytest.Config):
        self.config = config
        self.layout = Layout.find(config.getoption("ag_course"), start=config.rootpath)
        catalogue.use_course(self.layout)  # feedback in the words of this course
        self._course: Course | None = None
        self.roster = self._roster(config)
        self.backend = config.getoption("ag_backend")
        self.sandbox_note = "in-process (trusted code only)" if self.backend == "inprocess" else ""
        self.worker: WorkerHandle | InProcessBackend | None = None
        self.slot = config.getoption("ag_slot")
        self.cgroup: SlotCgroup | None = None
        self.current: _Current | None = None
        self.records: dict[str, _StudentRecord] = defaultdict(_StudentRecord)
        self.last_item_of: dict[str, str] = {}
        self.helpers: dict[str, ReferenceHelpers | None] = {}

    def _roster(self, config: pytest.Config) -> list[tuple[str, Path]]:
        if config.getoption("ag_roster"):
            pairs = json.loads(Path(config.getoption("ag_roster")).read_text())
            return [(str(student), Path(folder)) for student, folder in pairs]
        folders = [Path(p) for p in config.getoption("ag_submission")]
        if folders:
            return [(student_id(folder.resolve()), folder) for folder in folders]
        return [(REFERENCE, self.layout.solutions)]

    # -- collection ---------------------------------------------------------------------

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        slugs = {a.slug for a in self.course().assignments}
        if "sub" in metafunc.fixturenames and metafunc.definition.path.parent.name in slugs:
            ids = [student for student, _ in self.roster]
            metafunc.parametrize("ag_student", ids, ids=ids, indirect=True)

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self._focus(items)
        # Student by student, assignment by assignment, public tests before hidden ones: a
        # public test's output then never holds anything the submission saw in a hidden test.
        order: dict[str | None, int] = {student: i for i, (student, _) in enumerate(self.roster)}
        items.sort(key=lambda item: (order.get(_student_of(item), -1), item.path.parent.name,
                                     _hidden(item)))
        for item in items:
            student = _student_of(item)
            if student is not None:
                self.last_item_of[student] = item.nodeid
                if item.get_closest_marker("grades") is None:
                    raise pytest.UsageError(f"{item.nodeid} asks for `sub` but has no "
                                            "@pytest.mark.grades(...) marker")

    def _focus(self, items: list[pytest.Item]) -> None:
        """--ag-function: keep only the tests whose `grades` marker names one of them."""
        wanted = self.config.getoption("ag_function")
        if not wanted:
            return
        graded = {m.args[0] for item in items if (m := item.get_closest_marker("grades"))}
        unknown = [name for name in wanted if name not in graded]
        if unknown:
            raise pytest.UsageError(messages.text(
                "unknown-function", slug=", ".join(sorted({i.path.parent.name for i in items})),
                name=", ".join(unknown), known=", ".join(sorted(graded))))
        keep = [i for i in items if (m := i.get_closest_marker("grades")) and m.args[0] in wanted]
        self.config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep

    # -- the worker -----------------------------------------------------------------------

    def _worker(self) -> WorkerHandle | InProcessBackend:
        if self.worker is None:
            given = _prestarted(self.config)
            if given is not None:  # `check` started it early, to overlap its imports with ours
                self.worker, self.sandbox_note = given.worker, given.note
            elif self.backend == "inprocess":
                self.worker = InProcessBackend(self.layout.functions_file)
            elif self.backend == "portable":
                self.worker = WorkerHandle(launcher=PortableLauncher(),
                                           functions=self.layout.functions_file)
                self.sandbox_note = PORTABLE_NOTE
            else:
                self.worker = self._warm_worker()
        return self.worker

    def _warm_worker(self) -> WorkerHandle:
        reason = sandbox.bwrap_available() if self.backend == "sandbox" else "not requested"
        if reason and self.config.getoption("ag_require_sandbox"):
            raise pytest.UsageError(f"--require-sandbox: {reason}")
        notes = ["bubblewrap sandbox" if not reason else
                 f"NO SANDBOX ({reason}): process isolation and rlimits only"]
        if reason and os.geteuid() == 0:
            hidden = sandbox.hide_course_files(self.layout.root)
            notes.append(f"worker runs as uid {sandbox.WORKER_UID_BASE + self.slot}"
                         + (f"; made {', '.join(hidden)} unreadable to it" if hidden else ""))
        limits = sandbox.Limits().with_overrides(self.course().limits.given())
        group = SlotCgroup.create(f"{cgroups.PREFIX}{os.getpid()}-slot{self.slot}", limits.slot())
        if isinstance(group, str):
            limits = limits.fallback()
            notes.append(f"no cgroup ({group}): per-process limits of {limits.processes} "
                         f"processes x {limits.memory_bytes / 1024**3:g} GiB")
        else:
            self.cgroup = group
            notes.append(group.describe())
        worker = WorkerHandle(sandboxed=not reason, slot=self.slot, limits=limits, cgroup=self.cgroup,
                              functions=self.layout.functions_file)
        self.sandbox_note = "; ".join(notes)
        if reason and self.backend == "sandbox":
            self.config.issue_config_time_warning(
                pytest.PytestWarning(f"autograder: {self.sandbox_note}"), stacklevel=2)
        return worker

    def _note_userns(self) -> None:
        """Once the worker has started: say so where it could not refuse user namespaces."""
        userns = getattr(self.worker, "userns", None)
        if userns and "user namespaces" not in self.sandbox_note:
            self.sandbox_note += f"; user namespaces NOT refused: {userns}"

    def course(self) -> config.Course:
        if self._course is None:
            self._course = self.layout.course()
        return self._course

    def submission(self, student: str, slug: str) -> Submission | UnavailableSubmission:
        if self.current and (self.current.student, self.current.slug) == (student, slug):
            return self.current.submission
        self._close_current()
        assignment = self.course().assignment(slug)
        folder = dict(self.roster)[student]
        record = self.records[student]
        source = None
        try:
            module = read_module(folder, slug, assignment.module,
                                 released_of(self.layout.root, slug, assignment.module))
            source = module.source
            guard = GuardedConnection(self._worker(), self.course().budget_of(slug))
            try:
                reply = guard.open(assignment.module, source)
            except WorkerStartError as exc:  # this machine's problem: stop, blame nobody's code
                reason = messages.text("environment-problem", reason=str(exc))
                given = _prestarted(self.config)
                if given is not None:
                    given.problem = reason
                pytest.exit(reason, returncode=ENVIRONMENT_PROBLEM)
            self._note_userns()
            if "error" in reply:
                error = error_from_reply(reply["error"] if isinstance(reply["error"], dict) else {})
                raise SubmissionProblem(
                    f"importing {module.path.name} raised {error.type_name}: "
                    f"{error.message}\n{student_traceback(error.traceback)}".strip())
            # Submission only opens, requests and closes: the Connection it is typed to take
            # also has start_seconds, which GuardedConnection reads through, not has
            sub: Submission | UnavailableSubmission = Submission(
                cast(Connection, guard), reply["ok"], self.course().time_limit_of(slug))
        except (SubmissionProblem, StudentError) as exc:
            reason = clean_text(str(exc) if isinstance(exc, SubmissionProblem) else exc.message,
                                FEEDBACK_LIMIT)
            record.errors[slug] = reason
            record.status[slug] = "not_submitted" if isinstance(exc, NotSubmitted) else "error"
            sub = UnavailableSubmission(reason)
        if source is not None:
            record.sources[slug] = source
        self.current = _Current(student, slug, sub, source)
        return sub

    def serve_uses(self, sub: Submission | UnavailableSubmission, slug: str, function: str) -> None:
        """The test about to run grades `function`: its calls meet the reference of its uses."""
        if not isinstance(sub, Submission):
            return
        names = self.course().assignment(slug).uses.get(function, [])
        if names and slug not in self.helpers:
            self.helpers[slug] = load_helpers(self.layout.solutions, slug,
                                              self.course().assignment(slug).module)
        helpers = self.helpers.get(slug) if names else None
        sub.serve_uses(names, helpers.server(names) if helpers else None)

    def _close_current(self) -> None:
        if self.current is not None and self.worker is not None:
            self.worker.close_submission()
            helpers = self.helpers.get(self.current.slug)
            if helpers is not None:
                helpers.reset()
        self.current = None

    # -- outcomes -------------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]
                                  ) -> Generator[None, Result[pytest.TestReport], None]:
        outcome = yield
        report = outcome.get_result()
        student = _student_of(item)
        if student is None or (report.when != "call" and report.passed):
            return
        if report.when == "teardown" and report.passed:
            return
        if report.skipped:
            return  # a skip is the suite's decision (e.g. no chromium), not the student's
        hidden = _hidden(item)
        message, hint = describe_failure(call.excinfo, hidden) if report.failed else ("", None)
        # what a hidden failure showed in full: kept for the course staff, never for students
        detail = describe_failure(call.excinfo)[0] if report.failed and hidden else ""
        slug = item.path.parent.name
        marker = item.get_closest_marker("grades")
        assert marker is not None  # pytest_collection_modifyitems refused a student's test without it
        self.records[student].outcomes[slug].append(Outcome(
            test=getattr(item, "originalname", item.name), function=marker.args[0],
            hidden=hidden, passed=report.passed, message=message, hint=hint,
            seconds=report.duration, detail=detail, reason=failure_reason(call.excinfo)))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None
                                ) -> Generator[None, object, None]:
        yield
        student = _student_of(item)
        if student is not None and self.last_item_of.get(student) == item.nodeid:
            self._close_current()
            self._finish(student)

    def _finish(self, student: str) -> None:
        """Write the student's results. Whatever in their data breaks that, it is their error:
        a result saying why; the batch goes on."""
        record = self.records.pop(student, _StudentRecord())
        out = self.config.getoption("ag_results")
        for slug, outcomes in record.outcomes.items():
            assignment = self.course().assignment(slug)
            try:
                results = self._results(student, slug, outcomes, record)
                if out:
                    write_results(Path(out) / student / f"{slug}.json", results)
                continue
            except Exception as exc:  # noqa: BLE001 - see the docstring
                reason = f"the grader could not record these results ({type(exc).__name__})"
            failed = [Outcome(o.test, o.function, o.hidden, False, message=reason, reason="error")
                      for o in outcomes]
            results = build_results(assignment, failed, forbidden={}, error=reason, status="error",
                                    sandbox=self.sandbox_note, lang=self.config.getoption("ag_lang"),
                                    student=student)
            if out:
                write_results(Path(out) / student / f"{slug}.json", results)

    def _results(self, student: str, slug: str, outcomes: list[Outcome],
                 record: _StudentRecord) -> AssignmentResult:
        assignment = self.course().assignment(slug)
        source = record.sources.get(slug)
        forbidden = forbidden_uses(source, assignment.forbidden) if source else {}
        required = {f: r.calls for f, r in assignment.required.items()}
        missing = missing_calls(source, required) if source else {}
        return build_results(
            assignment, outcomes, forbidden=forbidden, missing=missing,
            error=record.errors.get(slug), status=record.status.get(slug, "graded"),
            sandbox=self.sandbox_note, lang=self.config.getoption("ag_lang"), student=student)

    def pytest_sessionfinish(self) -> None:
        self._close_current()
        if self.worker is not None:
            self.worker.shutdown()
        if self.cgroup is not None:
            self.cgroup.remove()
        if not self.config.getoption("ag_results"):
            return
        # in the slot's log: what this trusted process needed, whatever the submissions sent
        try:
            import resource
        except ImportError:  # not on Windows (a student's `check`)
            return
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{PEAK_MEMORY} {peak:.0f} MB", file=sys.stderr)


def _prestarted(config: pytest.Config) -> Prestarted | None:
    return next((p for p in config.pluginmanager.get_plugins() if isinstance(p, Prestarted)), None)


def _student_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("ag_student") if callspec else None


def _hidden(item: pytest.Item) -> bool:
    return item.path.name.startswith("test_hidden")


def describe_failure(excinfo: pytest.ExceptionInfo[BaseException] | None,
                     hidden: bool = False) -> tuple[str, str | None]:
    """The feedback text for a failed test, and the hint id it carries.

    For a hidden test, only the grader's own words: the (builtin) exception type, the hint,
    what kind of failure; never a message, a value or a print of the submission, which could
    carry the hidden inputs out. Either way valid text, at most FEEDBACK_LIMIT characters.
    """
    message, hint = _describe(excinfo, hidden)
    return clean_text(message, FEEDBACK_LIMIT), hint


def failure_reason(excinfo: pytest.ExceptionInfo[BaseException] | None) -> Reason:
    """Why a test failed, as a fact for the results (never read back from its text): the
    student's exception (a test's own words for it too), out of time, not run, or a wrong value."""
    exc = excinfo.value if excinfo is not None else None
    if isinstance(exc, GradedFailure) and isinstance(exc.__context__, StudentError):
        exc = exc.__context__
    if isinstance(exc, CallTimeout):
        return "timeout"
    if isinstance(exc, CallSkipped):
        return "budget"
    return "error" if isinstance(exc, StudentError) else "wrong"


def _describe(excinfo: pytest.ExceptionInfo[BaseException] | None, hidden: bool) -> tuple[str, str | None]:
    if excinfo is None:
        return "the test failed", None
    exc = excinfo.value
    if isinstance(exc, GradedFailure):
        # a test that reported a student's NotImplementedError in its own words
        stub = isinstance(exc.__context__, StudentError) \
            and exc.__context__.type_name == "NotImplementedError"
        return exc.summary if hidden else exc.message, \
            exc.hint or ("not-implemented" if stub else None)
    if isinstance(exc, CallTimeout):
        return messages.text("timed-out", seconds=f"{exc.seconds:g}"), None
    if isinstance(exc, CallSkipped):
        return exc.message, None
    if isinstance(exc, SubmissionUnavailable):  # the reason is the assignment's own message
        return messages.text("not-graded", reason=(exc.message.splitlines() or [""])[0]), None
    if isinstance(exc, StudentError):
        if exc.type_name == "NotImplementedError":
            return "", "not-implemented"
        if hidden and isinstance(exc, WorkerCrashed):
            return "the submission's process ended, or sent an unreadable reply, during the call", None
        if hidden:
            return f"your code raised {builtin_type(exc) or 'an exception of its own class'}", None
        trace = student_traceback(exc.traceback)
        trace = f"\n{trace}" if trace else ""
        return messages.text("raised", type=exc.type_name, message=exc.message) + trace, None
    if isinstance(exc, AssertionError):
        if hidden:
            return "a check of what your code returned failed", None
        return str(exc).split("\nassert ")[0].strip() or "an assertion failed", None
    if hidden:
        return f"the test could not use what your code returned ({type(exc).__name__})", None
    return messages.text("could-not-use", type=type(exc).__name__, message=clean_text(exc, 300)), None


@pytest.fixture
def ag_student(request: pytest.FixtureRequest) -> str:
    return cast(str, request.param)  # a student id of the roster (pytest_generate_tests)


@pytest.fixture
def sub(request: pytest.FixtureRequest,
        ag_student: str) -> Iterator[Submission | UnavailableSubmission]:
    """The student's module for the assignment of this test file's folder; during the test,
    checks name its last call when a suite gives no `call=` (autograder.testing.follow)."""
    grading = cast(Grading, request.config.pluginmanager.get_plugin("autograder-grading"))
    slug = request.node.path.parent.name
    submission = grading.submission(ag_student, slug)
    grading.serve_uses(submission, slug, request.node.get_closest_marker("grades").args[0])
    with follow(submission):
        yield submission
