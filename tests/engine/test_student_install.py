"""The student bundle installs the way its README says, into a fresh virtual environment, with
only what checking needs, and `check` runs from it. Slow (it installs PyTorch): one test.

The README's Linux/Windows command adds PyTorch's CPU index; here the plain `pip install
torch==...` (the README's macOS form) resolves from this machine's own package index.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.course.config import load_course
from autograder.course.layout import Layout
from autograder.release.bundle import NAME, bundle_files

REPO = Path(__file__).resolve().parents[2]
INSTRUCTOR_ONLY = ("nbgrader", "jupytext", "jupyterlab", "matplotlib", "nbclient")


def run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("AUTOGRADER_ROOT", "VIRTUAL_ENV", "PYTHONPATH")}
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode in (0, 1), f"{argv}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result


def test_the_bundle_installs_as_its_readme_says_and_checks(tmp_path):
    bundle = tmp_path / NAME
    for rel, content in bundle_files(load_course(REPO), Layout(REPO)).items():
        (bundle / rel).parent.mkdir(parents=True, exist_ok=True)
        (bundle / rel).write_bytes(content)
    readme = (bundle / "README.md").read_text()
    found = re.search(r"\.venv/bin/pip install (torch==\S+)\n", readme)  # macOS form
    assert found, readme
    torch = found.group(1)
    assert "python3 -m venv .venv" in readme and ".venv/bin/pip install -e .\n" in readme
    python = shutil.which("python3.11") or sys.executable  # a plain interpreter, not this venv's
    run([python, "-m", "venv", ".venv"], bundle)
    run([".venv/bin/pip", "install", "--quiet", torch], bundle)
    run([".venv/bin/pip", "install", "--quiet", "-e", "."], bundle)
    installed = run([".venv/bin/pip", "list", "--format=freeze"], bundle).stdout.lower()
    assert not [p for p in INSTRUCTOR_ONLY if f"\n{p}==" in f"\n{installed}"], installed
    work = tmp_path / "my_work"
    work.mkdir()
    shutil.copy(REPO / "solutions" / "a1_losses" / "losses.py", work / "losses.py")
    ok = run([".venv/bin/autograder", "check", "a1_losses", str(work)], bundle)
    assert ok.returncode == 0, ok.stdout
    assert "public points;" in ok.stdout and "more points are graded after you submit" in ok.stdout
    stub = run([".venv/bin/autograder", "check", "a1_losses", "--lang", "ko"], bundle)
    assert stub.returncode == 1 and "[hint:not-implemented]" in stub.stdout
    assert "checked assignments/a1_losses/losses.py" in stub.stdout.replace("검사한 파일: ", "checked ")
