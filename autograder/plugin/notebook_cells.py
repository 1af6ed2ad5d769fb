"""The notebooks' test cells: `%%autograder SLUG KIND` runs pytest tests through the grader.

`%load_ext autograder.plugin.notebook_cells` (the notebook's locked `checks` cell) registers the cell
magic. A test cell's body is test code cut from tests/<slug>/test_<kind>.py (see
autograder/release/suite_cells.py); running it grades the code cells this kernel has run, in
the order it ran them, with those tests and the grading plugin: the same points, verdicts and
feedback as `autograder grade` gives for the saved notebook run top to bottom (which is what
nbgrader's autograde does). The cell's value is the points earned, which nbgrader takes as the
cell's partial credit; a test cell whose tests were cut out (hidden tests in the student's
copy) only says that they run at grading time.

The student's code runs in this kernel's own process (the grader's in-process backend): it is
the kernel that already runs it, so nothing is exposed that was not. The course (course.yml,
tests/ for the suites' helpers) is found as every command finds it (autograder.course.layout); the
nbgrader course directory's config sets AUTOGRADER_ROOT for its kernels. The feedback's
language is `AUTOGRADER_LANG` set in the notebook, else the environment variable of that name
(what `autograder check --lang` defaults to), else English.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from rich.console import Console

from autograder.batch.slots import PYTEST_LEAN
from autograder.course.layout import Layout
from autograder.intake.submission import cells_to_source
from autograder.outputs.store import read_results
from autograder.release.suite_cells import MAGIC

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

STUDENT = "notebook"
KINDS = ("public", "hidden")


class TestCellError(Exception):
    """The test cell itself is wrong (its first line, or the course it needs)."""


def _has_code(body: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in body.splitlines())


def run_tests(slug: str, kind: str, body: str, cells: list[str],
              layout: Layout | None = None, lang: str = "en") -> float | None:
    """Grade `cells` (the module's code) with the tests in `body`; print them, return the points."""
    if kind not in KINDS:
        raise TestCellError(f"{MAGIC} {slug} {kind}: the kind is public or hidden")
    if not _has_code(body):
        print("These tests are hidden: they run when your work is graded. "
              "(숨겨진 테스트는 채점할 때 실행됩니다.)")
        return None
    layout = layout or Layout.find()
    assignment = layout.course().assignment(slug)
    if str(layout.root) not in sys.path:  # the suites' helpers: tests.<slug>.mistakes, ...
        sys.path.insert(0, str(layout.root))
    with tempfile.TemporaryDirectory(prefix="autograder-cell-") as tmp:
        work = Path(tmp)
        (work / STUDENT).mkdir()
        (work / STUDENT / f"{assignment.module}.py").write_text(cells_to_source(cells),
                                                                encoding="utf-8")
        suite = work / slug / f"test_{kind}.py"  # the plugin reads slug and kind from the path
        suite.parent.mkdir()
        suite.write_text(body, encoding="utf-8")
        (work / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        log = io.StringIO()
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log), _one_thread():
            code = pytest.main([str(suite), "-q", "--tb=no", *PYTEST_LEAN,
                                "-p", "autograder.plugin.hooks", "--import-mode=importlib",
                                "--rootdir", tmp, "-c", str(work / "pytest.ini"),
                                "--ag-course", str(layout.root), "--ag-backend", "inprocess",
                                "--ag-lang", lang,
                                "--ag-submission", str(work / STUDENT), "--ag-results", tmp])
        results = read_results(work, STUDENT, slug)
        _forget_modules(tmp)
    if results is None:
        raise TestCellError(f"the tests did not run (pytest exit {int(code)}):\n{log.getvalue()[-3000:]}")
    from autograder.outputs.feedback import print_check_table

    print_check_table(Console(file=sys.stdout, width=110, force_jupyter=False, color_system=None),
                      assignment, results, lang)
    return results.score


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    """torch on one thread, as in the grading worker: many threads on a busy machine make small
    training loops many times slower (and time out where grading would not)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _forget_modules(folder: str) -> None:
    """pytest imported this cell's tests (and the student's module) under reused names: forget
    them, so the next test cell imports its own."""
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(folder):
            del sys.modules[name]


def _kernel_cells(shell: InteractiveShell) -> list[str]:
    """The code this kernel has run, in order (IPython's raw input history)."""
    history = shell.history_manager
    assert history is not None  # a running kernel's shell has its history manager
    return [cell for cell in history.input_hist_raw if cell.strip()]


def notebook_lang(namespace: dict[str, Any]) -> str:
    """AUTOGRADER_LANG of the notebook, else of the environment: en or ko (else en)."""
    lang = namespace.get("AUTOGRADER_LANG") or os.environ.get("AUTOGRADER_LANG", "en")
    return lang if lang in ("en", "ko") else "en"


def load_ipython_extension(shell: InteractiveShell) -> None:
    def autograder(line: str, cell: str) -> float | None:
        words = line.split()
        if len(words) != 2:
            raise TestCellError(f"{MAGIC} needs SLUG KIND, got {line!r}")
        return run_tests(words[0], words[1], cell, _kernel_cells(shell),
                         lang=notebook_lang(shell.user_ns))

    # IPython's stubs: the decorator on register_magic_function hides its (func, ...) signature
    shell.register_magic_function(autograder, magic_kind="cell",  # type: ignore[call-arg, arg-type]
                                  magic_name=MAGIC.lstrip("%"))
