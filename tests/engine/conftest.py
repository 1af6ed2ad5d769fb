"""Shared helpers for the engine's own tests: run the CLI on the toy course."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOY = REPO / "tests" / "fixtures" / "toy_course"
TOY_SOLUTION = TOY / "solutions" / "toy" / "toy.py"


def run_autograder(*args: str, root: Path | None = TOY, cwd: Path = REPO,
                   timeout: float = 600) -> subprocess.CompletedProcess:
    """`autograder ARGS` in `cwd`; the course is `root` (AUTOGRADER_ROOT), or with root=None
    whatever the command finds from `cwd` (the variable unset)."""
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_ROOT"}
    if root is not None:
        env["AUTOGRADER_ROOT"] = str(root)
    return subprocess.run([sys.executable, "-m", "autograder", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(autouse=True)
def _course_catalogue_restored():
    """Entry points called in-process (cli.main, the plugin) name the process's course for the
    catalogues (catalogue.use_course); each test starts and ends with the course it found."""
    from autograder.course import catalogue

    saved = catalogue._course, catalogue._looked
    yield
    catalogue._course, catalogue._looked = saved


@pytest.fixture
def toy_student(tmp_path):
    """Make a submission folder for the toy course: name -> folder with toy.py (text given)."""

    def make(name: str, source: str | None = None) -> Path:
        folder = tmp_path / "class" / name
        folder.mkdir(parents=True)
        if source is None:
            shutil.copy(TOY_SOLUTION, folder / "toy.py")
        else:
            (folder / "toy.py").write_text(source)
        return folder

    return make
