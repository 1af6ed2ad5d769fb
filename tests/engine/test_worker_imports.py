"""The worker's import rule: autograder/worker/ imports nothing of the engine outside its folder.

The sandbox mounts only that folder (and the course's helpers file), so a worker module that
imported the grader, the sanitiser or the release would fail there; and the worker runs next to
student code, so what it imports is what a submission can reach. Read two ways: every import
statement of every worker module (even one inside a function), and what a fresh interpreter
holding only a copy of the folder has loaded after importing all of it.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import autograder.worker
from autograder.course.layout import Layout

WORKER = Path(autograder.worker.__file__).resolve().parent
MODULES = sorted(WORKER.glob("*.py"))
FUNCTIONS = Layout(Path(__file__).resolve().parents[2]).functions_file
# Besides the standard library and the worker's own folder; pyseccomp: proc.block_user_namespaces
THIRD_PARTY = {"numpy", "torch", "pyseccomp"}


def imported_modules(path: Path) -> list[str]:
    """Every module an import statement of this file names, relative ones made absolute."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:  # `.` is autograder.worker
            package = ".".join(["autograder", "worker"][:max(0, 3 - node.level)])
            names.append(f"{package}.{node.module}" if node.module else package)
        elif isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
    return names


def outside_the_rule(name: str) -> bool:
    top = name.split(".")[0]
    if top == "autograder":
        return not (name == "autograder.worker" or name.startswith("autograder.worker."))
    return top not in sys.stdlib_module_names and top not in THIRD_PARTY


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_a_worker_module_imports_only_the_standard_library_numpy_torch_and_its_folder(path):
    assert [name for name in imported_modules(path) if outside_the_rule(name)] == []


def test_the_worker_runs_from_a_copy_of_its_folder_alone(tmp_path):
    """A fresh interpreter that sees only autograder/worker/ (as the sandbox does) imports every
    worker module and the course's helpers file, and then holds no other autograder module."""
    shutil.copytree(WORKER, tmp_path / "autograder" / "worker",
                    ignore=shutil.ignore_patterns("__pycache__"))
    names = [f"autograder.worker.{p.stem}" for p in MODULES if p.stem != "__init__"]
    script = (f"import importlib, json, sys; sys.path.insert(0, {str(tmp_path)!r})\n"
              f"for name in {names!r}: importlib.import_module(name)\n"
              "from autograder.worker.main import trusted_functions\n"
              f"build = trusted_functions([{'--functions=' + str(FUNCTIONS)!r}])\n"
              "print(json.dumps([build('sum_of_squares', {})([3.0, 4.0]),"
              " sorted(m for m in sys.modules if m.split('.')[0] == 'autograder')]))")
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    value, loaded = json.loads(done.stdout)
    assert value == 25.0
    assert [m for m in loaded if m != "autograder" and not m.startswith("autograder.worker")] == []
    assert set(names) <= set(loaded)
