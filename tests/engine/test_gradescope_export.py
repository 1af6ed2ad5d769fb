"""`autograder export gradescope`: the zip's contents, and run_autograder in a fake /autograder."""

import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from autograder.course.layout import Layout
from autograder.export import gradescope
from tests.engine.conftest import REPO, TOY_SOLUTION, run_autograder

WRONG_ADD = TOY_SOLUTION.read_text().replace(
    "return np.asarray(a, dtype=float) + np.asarray(b, dtype=float)",
    "return np.asarray(a, dtype=float) * np.asarray(b, dtype=float)")


@pytest.fixture(scope="module")
def toy_zip(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "toy.zip"
    result = run_autograder("export", "gradescope", "-o", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    return path


def unpack(archive: zipfile.ZipFile, target):
    for info in archive.infolist():
        path = target / info.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(archive.read(info))
        os.chmod(path, (info.external_attr >> 16) & 0o777)


def fake_autograder(tmp_path, toy_zip, files: dict[str, str]):
    """/autograder as Gradescope lays it out: source/ (the zip), run_autograder, submission/."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(toy_zip) as archive:
        unpack(archive, root / "source")
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
    for rel, text in files.items():
        (root / "submission" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "submission" / rel).write_text(text)
    (root / "results").mkdir()
    return root


def run_fake(root):
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_ROOT"}
    env.update(AUTOGRADER_GRADESCOPE_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    result = subprocess.run(["bash", str(root / "run_autograder")], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    return result, json.loads((root / "results" / "results.json").read_text())


def test_zip_has_the_scripts_at_its_root_and_the_engine_suites_and_solutions(toy_zip):
    with zipfile.ZipFile(toy_zip) as archive:
        names = set(archive.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
        requirements = archive.read("requirements.txt").decode()
        settings = json.loads(archive.read("gradescope.json"))
    assert {"setup.sh", "run_autograder", "course.yml", "conftest.py", "pyproject.toml",
            "autograder/plugin/hooks.py", "autograder/worker/main.py", "autograder/export/gradescope.py",
            "tests/toy/test_public.py", "tests/toy/test_hidden.py",
            "solutions/toy/toy.py"} <= names
    assert modes["run_autograder"] == modes["setup.sh"] == 0o755
    # without bubblewrap the worker is an unprivileged uid: never let it read these
    assert {modes[n] for n in names if n.startswith(("solutions/", "tests/"))} == {0o600}
    assert modes["autograder/worker/main.py"] == 0o644
    assert not any("__pycache__" in n or n.startswith("autograder/release/") for n in names)
    assert "torch==2.13.0" in requirements.splitlines()
    assert "nbgrader" not in requirements  # only what grading needs
    assert settings == {"assignments": ["toy"], "backend": "sandbox"}


def test_setup_and_every_run_make_solutions_and_tests_unreadable_to_the_worker(toy_zip):
    with zipfile.ZipFile(toy_zip) as archive:
        scripts = [archive.read(name).decode() for name in ("setup.sh", "run_autograder")]
    for script in scripts:
        assert 'chmod -R go-rwx "${ROOT:-/autograder}/source/solutions" ' \
               '"${ROOT:-/autograder}/source/tests"' in script


def test_the_scripts_are_valid_bash_and_setup_installs_pinned_torch_and_bubblewrap(toy_zip, tmp_path):
    with zipfile.ZipFile(toy_zip) as archive:
        unpack(archive, tmp_path)
    for script in ("setup.sh", "run_autograder"):
        check = subprocess.run(["bash", "-n", str(tmp_path / script)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
    setup = (tmp_path / "setup.sh").read_text()
    assert "bubblewrap" in setup and '"torch==2.13.0"' in setup
    assert "requirements.txt" in setup
    runner = (tmp_path / "run_autograder").read_text()
    assert "pip install" not in runner and "apt-get" not in runner  # nothing installed at grade time


def test_the_zip_is_the_same_every_time(toy_zip, tmp_path):
    again = tmp_path / "again.zip"
    assert run_autograder("export", "gradescope", "-o", str(again)).returncode == 0
    assert again.read_bytes() == toy_zip.read_bytes()


def test_run_autograder_grades_the_submission_into_results_json(toy_zip, tmp_path):
    root = fake_autograder(tmp_path, toy_zip, {"toy.py": TOY_SOLUTION.read_text()})
    result, data = run_fake(root)
    assert result.returncode == 0, result.stdout + result.stderr
    # the engine that ran is the zip's copy, and the course is the zip's
    assert f"autograder engine: {root / 'source' / 'autograder'}" in result.stdout
    assert data["score"] == data["max_score"] == 6
    assert len(data["tests"]) == 4
    for test in data["tests"]:
        assert {"name", "score", "max_score", "status", "output", "visibility", "tags"} <= test.keys()
        assert test["status"] == "passed"
    assert {t["visibility"] for t in data["tests"]} == {"visible", "after_published"}


def test_a_module_deeper_in_the_upload_is_found_and_graded(toy_zip, tmp_path):
    root = fake_autograder(tmp_path, toy_zip, {"my-repo/assignments/toy/toy.py": WRONG_ADD,
                                               "my-repo/README.md": "hi"})
    result, data = run_fake(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert data["score"] == 3  # add is wrong: 3 of 6 points
    assert "graded my-repo/assignments/toy/toy.py as toy.py" in data["output"]
    failed = [t for t in data["tests"] if t["status"] == "failed"]
    assert failed and all(t["tags"][0] == "add" for t in failed)


def test_an_empty_upload_gets_zero_with_the_reason(toy_zip, tmp_path):
    root = fake_autograder(tmp_path, toy_zip, {"notes.txt": "forgot the file"})
    result, data = run_fake(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert data["score"] == 0 and "no toy.py or toy.ipynb found" in data["output"]


def test_the_real_course_export_carries_every_solution_its_hidden_suites_import():
    files = gradescope.export_files(Layout(REPO), ["a2_linear_regression"])
    assert "tests/a2_linear_regression/test_hidden.py" in files
    assert not any(name.startswith("tests/a1_losses/") for name in files)
    for name, content in files.items():
        if not (name.startswith("tests/") and name.endswith(".py")):
            continue
        for node in ast.walk(ast.parse(content)):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level \
                    and node.module.startswith("solutions"):
                module = node.module.replace(".", "/")
                assert f"{module}.py" in files or f"{module}/__init__.py" in files, (name, module)


def test_export_of_an_unknown_assignment_is_refused(tmp_path):
    result = run_autograder("export", "gradescope", "-a", "nope", "-o", str(tmp_path / "x.zip"))
    assert result.returncode == 2 and not (tmp_path / "x.zip").exists()

