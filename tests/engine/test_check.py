"""`autograder check` as a student runs it: any OS (portable backend), which file, --function,
the hidden-points line, Korean output that is never cut, environment problems named as such.

The Linux-only facilities are taken away with a sitecustomize on PYTHONPATH (no os.fork, no
`resource`, no `fcntl`, no SIGALRM, and select() refusing pipes as on Windows) and a PATH
without bwrap: what `check` meets on macOS or Windows. It reaches the worker too, which the
portable backend starts without `-I`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from rich.console import Console

from autograder.course.config import load_course
from autograder.course.hints import explain
from autograder.course.layout import Layout
from autograder.intake.submission import SubmissionProblem, choose_module, read_module, released_of
from autograder.outputs.feedback import print_check_table
from autograder.release.points import function_points
from autograder.scoring.results import AssignmentResult

REPO = Path(__file__).resolve().parents[2]
POINTS = function_points(load_course(REPO).assignment("a1_losses"), Layout(REPO))
PUBLIC = sum(p.public for p in POINTS.values())
HIDDEN = sum(p.hidden for p in POINTS.values())
MSE = POINTS["mse"].public  # its two public tests: the lecture table (2) and the (n,)/(n, 1) check
SOLUTION = REPO / "solutions" / "a1_losses" / "losses.py"
STUB = REPO / "assignments" / "a1_losses" / "losses.py"


def _mutated(old: str, new: str) -> str:
    source = SOLUTION.read_text()
    assert old in source, f"the reference changed: {old!r} is not in it"
    return source.replace(old, new)


WRONG_MSE = _mutated("np.mean((y_pred - y_true) ** 2)", "np.sum((y_pred - y_true) ** 2)")
MSE_DEF = "def mse(y_pred: ArrayLike, y_true: ArrayLike) -> float:"
HANGING_MSE = _mutated(MSE_DEF, f"{MSE_DEF}\n    while True:\n        pass")
NOT_LINUX = """\
import os, signal, sys
for name in ("fork", "forkpty"):
    if hasattr(os, name):
        delattr(os, name)
if hasattr(signal, "SIGALRM"):
    del signal.SIGALRM
sys.modules["resource"] = None  # `import resource` raises ImportError
sys.modules["fcntl"] = None
import select


def _sockets_only(*args, **kwargs):  # Windows: select() waits on sockets, never on pipes
    raise OSError(10038, "An operation was attempted on something that is not a socket")


select.select = _sockets_only
"""


@pytest.fixture(scope="module")
def not_linux(tmp_path_factory) -> dict[str, str]:
    """An environment where Python behaves as on Windows for what the engine could use."""
    site = tmp_path_factory.mktemp("site")
    (site / "sitecustomize.py").write_text(NOT_LINUX)
    empty = tmp_path_factory.mktemp("bin")  # PATH without bwrap (or anything else)
    env = {k: v for k, v in os.environ.items() if k not in ("AUTOGRADER_ROOT", "AUTOGRADER_LANG")}
    return {**env, "PYTHONPATH": str(site), "PATH": str(empty)}


def check(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO
          ) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "autograder", "check", *args], cwd=cwd,
                            env=env, capture_output=True, text=True, timeout=600,
                            encoding="utf-8")
    return result


def module_file(tmp_path: Path, source: str, name: str = "losses.py") -> Path:
    path = tmp_path / name
    path.write_text(source)
    return path


def test_the_sitecustomize_takes_the_linux_facilities_away(not_linux):
    probe = subprocess.run([sys.executable, "-c", "import os, signal, shutil\n"
                            "try:\n    import resource\nexcept ImportError:\n    resource = None\n"
                            "print(hasattr(os, 'fork'), hasattr(signal, 'SIGALRM'), resource, "
                            "shutil.which('bwrap'))"],
                           env=not_linux, capture_output=True, text=True, timeout=60)
    assert probe.stdout.split() == ["False", "False", "None", "None"], probe.stderr


def test_portable_check_passes_the_reference_and_says_where_the_code_ran(not_linux):
    result = check("a1_losses", str(SOLUTION), env=not_linux)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "plain Python process" in result.stdout and "portable" in result.stdout
    assert "checked solutions/a1_losses/losses.py\n" in result.stdout  # relative to where we are
    assert f"{PUBLIC:g}/{PUBLIC:g} public points; {HIDDEN:g} more points are graded after you " \
           "submit" in result.stdout


def test_portable_check_names_the_mistake_in_korean(not_linux, tmp_path):
    result = check("a1_losses", str(module_file(tmp_path, WRONG_MSE)), "--lang", "ko",
                   env=not_linux)
    assert result.returncode == 1, result.stdout + result.stderr
    flat = re.sub(r"\s+", "", result.stdout)
    assert "[hint:mse-no-mean]" in flat
    assert re.sub(r"\s+", "", explain("mse-no-mean", "ko")) in flat
    assert "의반환값이9.0입니다.기대값은3.0입니다." in flat  # the engine's words, translated
    assert f"공개테스트{PUBLIC - 2:g}/{PUBLIC:g}점;제출후{HIDDEN:g}점이더채점됩니다" in flat
    assert "테스트" in result.stdout and "점수" in result.stdout


def test_portable_check_times_out_a_hanging_function_and_goes_on(not_linux, tmp_path):
    result = check("a1_losses", str(module_file(tmp_path, HANGING_MSE)), env=not_linux)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "timed out after 5 s" in result.stdout
    # both mse tests time out; a fresh worker ran the rest
    assert f"{PUBLIC - MSE:g}/{PUBLIC:g} public points" in result.stdout


def test_a_worker_that_cannot_start_is_the_environment_not_the_code(not_linux, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        NOT_LINUX + "if '--portable' in sys.argv:  # no torch, for the worker only\n"
        "    sys.modules['torch'] = None\n")
    result = check("a1_losses", str(SOLUTION), env={**not_linux, "PYTHONPATH": str(site)})
    assert result.returncode == 2, result.stdout + result.stderr
    flat = " ".join(result.stdout.split())
    assert "the checker could not start Python" in flat and "not of your code" in flat
    assert "ModuleNotFoundError: import of torch halted" in flat  # what Python said, to fix it
    assert "your code returned" not in flat and "your code raised" not in flat


def test_function_runs_only_that_functions_public_tests(tmp_path):
    result = check("a1_losses", str(module_file(tmp_path, WRONG_MSE)), "--function", "mse",
                   "--function", "mae", "--backend", "portable")
    assert result.returncode == 1, result.stdout + result.stderr
    names = set(re.findall(r"\w+: (test_\w+)", result.stdout))
    assert names == {"test_mse_is_mean_of_squared_errors_on_lecture_table",
                     "test_mse_raises_value_error_for_n_against_n_by_1",
                     "test_mae_is_mean_of_absolute_errors_on_lecture_table"}
    hidden = POINTS["mse"].hidden + POINTS["mae"].hidden
    public = POINTS["mse"].public + POINTS["mae"].public
    assert (f"{public - 2:g}/{public:g} public points of mse, mae; {hidden:g} more points of them "
            "are graded after you submit") in " ".join(result.stdout.split())


def test_an_unknown_function_is_a_usage_error_listing_the_known_ones():
    result = check("a1_losses", str(SOLUTION), "--function", "msee", "--backend", "portable")
    assert result.returncode == 2
    flat = " ".join(result.stdout.split())
    assert "no public tests of msee" in flat and "mse_torch" in flat


# -- which file is checked ------------------------------------------------------------------------

def notebook(path: Path, *sources: str, markdown_first: bool = True) -> Path:
    nb = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_markdown_cell("# Losses")] if markdown_first else []
    nb.cells = cells + [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    """A student's folder as handed out: the stub and the released notebook."""
    work = tmp_path / "a1_losses"
    work.mkdir()
    shutil.copy(STUB, work / "losses.py")
    shutil.copy(STUB.with_suffix(".ipynb"), work / "losses.ipynb")
    return work


RELEASED = released_of(REPO, "a1_losses", "losses")


def test_untouched_files_check_the_py(folder):
    assert choose_module(folder, "a1_losses", "losses", RELEASED) == (folder / "losses.py", "")


def test_a_saved_but_unchanged_notebook_is_not_an_edit(folder):
    nb = nbformat.read(folder / "losses.ipynb", as_version=4)
    nb.cells[-1].outputs = [nbformat.v4.new_output("stream", text="ran it\n")]
    nb.cells[-1].execution_count = 3
    nbformat.write(nb, folder / "losses.ipynb")
    (folder / "losses.py").write_text(STUB.read_text().replace("\n", "\r\n"))  # a Windows checkout
    assert choose_module(folder, "a1_losses", "losses", RELEASED) == (folder / "losses.py", "")


def test_the_stub_and_an_edited_notebook_check_the_notebook(folder):
    notebook(folder / "losses.ipynb", SOLUTION.read_text())
    assert choose_module(folder, "a1_losses", "losses", RELEASED) \
        == (folder / "losses.ipynb", "notebook")
    assert read_module(folder, "a1_losses", "losses", RELEASED).path.suffix == ".ipynb"


def test_both_edited_check_the_py_with_a_warning(folder):
    notebook(folder / "losses.ipynb", SOLUTION.read_text())
    (folder / "losses.py").write_text(WRONG_MSE)
    assert choose_module(folder, "a1_losses", "losses", RELEASED) == (folder / "losses.py", "both")


def test_check_says_it_took_the_notebook(folder):
    notebook(folder / "losses.ipynb", SOLUTION.read_text())
    result = check("a1_losses", str(folder), "--backend", "portable")
    flat = " ".join(result.stdout.split())
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"checked {folder / 'losses.ipynb'}" in flat
    assert "losses.py is still the released stub and losses.ipynb was edited" in flat


def test_a_notebook_syntax_error_names_the_cell_and_its_first_line(tmp_path):
    notebook(tmp_path / "losses.ipynb", "import numpy as np",
             "def mse(y_pred, y_true):\n    d = y_pred - y_true\n    return (d ** 2).mean(\n",
             "def mae(a, b):\n    return 0")
    with pytest.raises(SubmissionProblem) as problem:
        read_module(tmp_path, "a1_losses", "losses")
    assert str(problem.value).startswith(
        "losses.ipynb cell 3 (`def mse(y_pred, y_true):`) has a syntax error at line 3")


# -- Korean, never cut ----------------------------------------------------------------------------

@pytest.mark.parametrize("width", [60, 80, 200])
def test_every_character_of_a_korean_hint_is_printed(width):
    assignment = load_course(REPO).assignment("a1_losses")
    hint = explain("mse-no-mean", "ko")
    results = {"score": 0, "max_score": 2, "tests": [{
        "name": "mse: test_mse_is_mean_of_squared_errors_on_lecture_table", "score": 0,
        "max_score": 2, "status": "failed", "tags": ["mse", "public"],
        "output": f"[hint:mse-no-mean] {hint}\nmse([9, 7, 10], [10, 9, 8])의 반환값이 9.0입니다."}],
        "extra_data": {}}
    console = Console(width=width, record=True, color_system=None)
    print_check_table(console, assignment, AssignmentResult.from_gradescope(results), "ko")
    printed = re.sub(r"\s+", "", console.export_text())
    assert re.sub(r"\s+", "", hint) in printed  # every character, in order
    assert "…" not in console.export_text()


def test_grade_takes_the_notebook_by_the_same_rule(tmp_path):
    from tests.engine.conftest import TOY, TOY_SOLUTION, run_autograder

    student = tmp_path / "class" / "nb_student"
    student.mkdir(parents=True)
    shutil.copy(TOY / "assignments" / "toy" / "toy.py", student / "toy.py")  # the stub, untouched
    notebook(student / "toy.ipynb", TOY_SOLUTION.read_text())
    result = run_autograder("grade", str(student), "-o", str(tmp_path / "out"), "--backend",
                            "process")
    assert result.returncode == 0, result.stdout + result.stderr
    graded = (tmp_path / "out" / "gradebook.csv").read_text().splitlines()[1].split(",")
    assert graded[0] == "nb_student" and float(graded[-1]) > 0  # the notebook's code, not the stub
