"""`autograder export classroom50`: the bundle, run the way Classroom 50's runner runs it.

The runner (runner.py of the classroom50 repository, wiki "Advanced Autograding") downloads
CLASSROOM/autograders/ASSIGNMENT.tar.gz, unpacks it, and runs `python ASSIGNMENT/autograder.py`
with the student's checkout as working directory and the identity in the environment; it
then reads ./result.json. The tests below do the same on a temporary student repository and
check result.json against the documented contract with the pinned check-jsonschema.
"""

import ast
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from autograder.course.layout import Layout
from autograder.export import classroom50
from autograder.export.files import ExportError
from autograder.scoring.results import AssignmentResult
from tests.engine.conftest import REPO, TOY, TOY_SOLUTION, run_autograder

WRONG_ADD = TOY_SOLUTION.read_text().replace(
    "return np.asarray(a, dtype=float) + np.asarray(b, dtype=float)",
    "return np.asarray(a, dtype=float) * np.asarray(b, dtype=float)")
ENV = {"CLASSROOM": "ml-2026", "ASSIGNMENT": "toy", "SUBMISSION_TAG": "submit/2026-12-01T10-00-00Z-abc1234",
       "COMMIT_URL": "https://github.com/org/ml-2026-toy-kim/commit/abc1234",
       "RELEASE_URL": "https://github.com/org/ml-2026-toy-kim/releases/tag/submit%2F2026",
       "REVIEW_URL": "https://github.com/org/ml-2026-toy-kim/compare/base...abc1234",
       "USERNAME": "kim", "OWNER": "kim", "ASSIGNMENT_TYPE": "individual"}
WHOLE = {"type": "integer", "minimum": 0}
TEXT = {"type": "string", "minLength": 1}
# The result.json contract of the wiki's "Advanced Autograding" page ("The result.json
# contract" table) and runner.py's validate_result; owner, assignment_type, graded_at and
# submitted_by are stamped by the runner, so an autograder's own result may omit them.
RESULT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["schema", "classroom", "assignment", "submission", "commit", "release", "review",
                 "datetime", "score", "max-score", "tests"],
    "properties": {
        "schema": {"const": "classroom50/result/v1"},
        "classroom": TEXT, "assignment": TEXT, "owner": TEXT,
        "assignment_type": {"enum": ["individual", "group", "team"]},
        "submission": {"type": "string", "pattern": "^submit/"},
        "commit": TEXT, "release": TEXT, "review": TEXT,
        "datetime": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"},
        "score": WHOLE, "max-score": WHOLE,
        "tests": {"type": "array", "items": {
            "type": "object", "required": ["test-name", "passed", "score", "max-score"],
            "properties": {"test-name": TEXT, "passed": {"type": "boolean"},
                           "score": WHOLE, "max-score": WHOLE}}},
    },
}


def export(out: Path, *options: str) -> Path:
    result = run_autograder("export", "classroom50", "-a", "toy", "-o", str(out), *options)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    base = tmp_path_factory.mktemp("c50")
    return {"public": export(base / "public" / "toy"),
            "hidden": export(base / "hidden" / "toy", "--with-hidden")}


def publish(bundle: Path, runtime: Path) -> Path:
    """What publish-pages does (ASSIGNMENT.tar.gz) and the runner undoes (extract_tarball)."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as tar:
        tar.add(bundle, arcname=bundle.name)
    assert len(data.getvalue()) <= classroom50.MAX_BUNDLE_BYTES  # the runner's fetch ceiling
    data.seek(0)
    with tarfile.open(fileobj=data, mode="r:gz") as tar:
        tar.extractall(runtime, filter="data")
    return runtime / bundle.name


def student_repo(path: Path, files: dict[str, str]) -> Path:
    """A student's repository as Classroom 50 checks it out (made from the student bundle)."""
    for rel, text in files.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_text(text)
    git = ["git", "-c", "user.name=kim", "-c", "user.email=kim@example.edu", "-C", str(path)]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "my work"]):
        subprocess.run([*git, *command], check=True)
    return path


def run_like_the_runner(bundle: Path, tmp_path: Path, files: dict[str, str], **env: str):
    runtime = publish(bundle, tmp_path / "runtime")
    checkout = student_repo(tmp_path / "checkout", files)
    environment = {k: v for k, v in os.environ.items() if k not in ("AUTOGRADER_ROOT", "PYTHONPATH")}
    environment.update(ENV, CLASSROOM50_BUNDLE_DIR=str(runtime), **env)
    # runner.py: subprocess.run([sys.executable, str(entrypoint)], cwd=workspace, env=env)
    done = subprocess.run([sys.executable, str(runtime / "autograder.py")], cwd=checkout,
                          env=environment, capture_output=True, text=True, timeout=600)
    return done, checkout


def conforming(checkout: Path, tmp_path: Path) -> dict:
    """result.json, checked against the contract by the pinned check-jsonschema."""
    schema = tmp_path / "result-v1.schema.json"
    schema.write_text(json.dumps(RESULT_SCHEMA))
    validator = Path(sys.executable).parent / "check-jsonschema"
    check = subprocess.run([str(validator), "--schemafile", str(schema), str(checkout / "result.json")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    result = json.loads((checkout / "result.json").read_text())
    # what a schema cannot say (runner.py's validate_result): ints not floats, sums, bounds
    numbers = [result["score"], result["max-score"]] + [t[k] for t in result["tests"]
                                                        for k in ("score", "max-score")]
    assert all(type(n) is int for n in numbers)
    assert result["score"] == sum(t["score"] for t in result["tests"]) <= result["max-score"]
    assert result["max-score"] == sum(t["max-score"] for t in result["tests"])
    assert all(t["score"] <= t["max-score"] for t in result["tests"])
    return result


# -- the bundle ----------------------------------------------------------------------------

def test_default_bundle_carries_the_public_suite_only(bundles):
    files = {p.relative_to(bundles["public"]).as_posix() for p in bundles["public"].rglob("*") if p.is_file()}
    assert {"autograder.py", "classroom50.json", "requirements.txt", "course.yml", "conftest.py",
            "tests/toy/test_public.py", "autograder/export/classroom50.py",
            "autograder/plugin/hooks.py"} <= files
    assert not any(name.startswith("solutions/") or name.endswith("test_hidden.py") for name in files)
    assert "torch==2.13.0" in (bundles["public"] / "requirements.txt").read_text().splitlines()
    course = yaml.safe_load((bundles["public"] / "course.yml").read_text())
    assert set(course["assignments"][0]["tests"]) == {"test_add_small_numbers", "test_total_of_list"}
    settings = json.loads((bundles["public"] / "classroom50.json").read_text())
    assert settings == {"assignment": "toy", "backend": "sandbox", "hidden": False, "lang": "en",
                        "scale": 1}


def test_bundle_with_hidden_carries_the_hidden_suite_and_the_solutions_it_imports(bundles):
    assert (bundles["hidden"] / "tests" / "toy" / "test_hidden.py").is_file()
    assert (bundles["hidden"] / "solutions" / "toy" / "toy.py").is_file()


def test_autograder_py_needs_only_the_standard_library(bundles):
    """It runs before anything is installed, under whatever Python the runner set up."""
    tree = ast.parse((bundles["public"] / "autograder.py").read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    assert imported and imported <= set(sys.stdlib_module_names)


def test_autograder_py_installs_only_when_the_pins_are_not_met(bundles):
    """The runner's Python usually lacks them (a venv is made); a prepared image has them."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("c50_entry", bundles["public"] / "autograder.py")
    assert spec is not None and spec.loader is not None
    entry = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(entry)  # our generated script, not student code: main() is not run
    have = {"torch": "2.13.0", "numpy": "2.4.5"}.get
    assert entry.missing(have, ["torch==2.13.0", "numpy==2.4.6", "rich==15.0.0"]) == [
        "numpy==2.4.6", "rich==15.0.0"]
    assert entry.installed("torch") == "2.13.0"  # this venv's 2.13.0+cpu is the pin
    pins = (bundles["public"] / "requirements.txt").read_text().split()
    assert entry.missing(entry.installed, pins) == []  # so the tests below install nothing


def test_a_new_export_replaces_the_old_one_and_leaves_no_hidden_file_behind(tmp_path):
    out = export(tmp_path / "toy", "--with-hidden")
    export(out)
    assert not (out / "solutions").exists() and not (out / "tests" / "toy" / "test_hidden.py").exists()
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("keep")
    result = run_autograder("export", "classroom50", "-a", "toy", "-o", str(foreign))
    assert result.returncode == 2 and "not empty" in " ".join(result.stdout.split())  # Rich wraps
    assert (foreign / "mine.txt").read_text() == "keep"


def test_half_points_are_exported_on_a_whole_number_scale_and_thirds_are_refused(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(TOY, course)
    data = yaml.safe_load((course / "course.yml").read_text())
    data["assignments"][0]["tests"]["test_add_arrays"] = 1.5
    (course / "course.yml").write_text(yaml.safe_dump(data))
    files = classroom50.export_files(Layout(course), "toy")
    assert json.loads(files[classroom50.CONFIG_NAME])["scale"] == 2
    graded = {"tests": [{"name": "add: t", "status": "passed", "score": 1.5, "max_score": 1.5,
                         "tags": ["add"], "output": ""}]}
    row = classroom50.result_tests(AssignmentResult.from_gradescope(graded), "en", scale=2)[0]
    assert (row["score"], row["max-score"]) == (3, 3)
    data["assignments"][0]["tests"]["test_add_arrays"] = 1 / 3
    (course / "course.yml").write_text(yaml.safe_dump(data))
    with pytest.raises(ExportError, match="whole numbers"):
        classroom50.export_files(Layout(course), "toy")


@pytest.mark.parametrize("slug", ["a1_losses", "a4_logistic_regression"])
def test_real_course_bundles_fit_the_runner_download_limit_even_with_hidden(slug):
    files = classroom50.export_files(Layout(REPO), slug, hidden=True)
    assert f"tests/{slug}/test_hidden.py" in files
    assert any(name.startswith(f"solutions/{slug}/") for name in files)
    assert sum(map(len, files.values())) < classroom50.MAX_BUNDLE_BYTES


@pytest.mark.parametrize("slug", ["a1_losses", "a3_backprop"])
def test_real_course_public_bundle_ships_what_the_student_bundle_ships(slug):
    from autograder.course.config import load_course
    from autograder.release.bundle import bundle_files

    files = classroom50.export_files(Layout(REPO), slug)
    student = bundle_files(load_course(REPO), Layout(REPO))
    suites = {name for name in files if name.startswith("tests/")}
    assert f"tests/{slug}/test_public.py" in suites and suites <= set(student)
    assert files["course.yml"] == student["course.yml"]  # no hidden test named
    assert not any(name.startswith("solutions/") for name in files)


# -- run as the runner runs it ---------------------------------------------------------------

def test_correct_work_in_a_repository_gets_the_public_points(bundles, tmp_path):
    done, checkout = run_like_the_runner(bundles["public"], tmp_path,
                                         {"assignments/toy/toy.py": TOY_SOLUTION.read_text(),
                                          "README.md": "# toy"})
    assert done.returncode == 0, done.stdout + done.stderr
    result = conforming(checkout, tmp_path)
    assert (result["classroom"], result["assignment"], result["submission"]) == (
        ENV["CLASSROOM"], ENV["ASSIGNMENT"], ENV["SUBMISSION_TAG"])
    assert result["review"] == ENV["REVIEW_URL"]
    assert result["score"] == result["max-score"] == 3  # public points of toy in course.yml
    assert all(t["passed"] and not t["hidden"] for t in result["tests"])
    body = (checkout / "release-body.md").read_text()
    assert "graded assignments/toy/toy.py as toy.py" in body and "3 / 3" in body


def test_a_mistake_loses_its_points_with_the_reason_and_the_hint_in_result_json(bundles, tmp_path):
    in_place = TOY_SOLUTION.read_text().replace("def scale(x, k):",
                                                "def scale(x, k):\n    x *= k\n    return x\n")
    done, checkout = run_like_the_runner(bundles["hidden"], tmp_path, {"toy.py": in_place})
    assert done.returncode == 0, done.stdout + done.stderr
    result = conforming(checkout, tmp_path)
    assert result["max-score"] == 6 and result["score"] == 4
    failed = [t for t in result["tests"] if not t["passed"]]
    assert [t["function"] for t in failed] == ["scale"] and failed[0]["hidden"]
    assert failed[0]["hints"] == ["gd-in-place"]
    assert "[hint:gd-in-place]" in failed[0]["feedback"]
    assert "[hint:gd-in-place]" in (checkout / "release-body.md").read_text()


def test_a_wrong_function_fails_only_its_tests(bundles, tmp_path):
    done, checkout = run_like_the_runner(bundles["public"], tmp_path, {"toy.py": WRONG_ADD})
    assert done.returncode == 0, done.stdout + done.stderr
    result = conforming(checkout, tmp_path)
    assert {t["function"] for t in result["tests"] if not t["passed"]} == {"add"}
    assert all(t["feedback"] for t in result["tests"] if not t["passed"])


def test_no_module_in_the_repository_is_a_graded_zero_not_an_infrastructure_error(bundles, tmp_path):
    done, checkout = run_like_the_runner(bundles["public"], tmp_path, {"notes.txt": "forgot it"})
    assert done.returncode == 0, done.stdout + done.stderr
    result = conforming(checkout, tmp_path)
    assert result["score"] == 0 and result["max-score"] == 3
    assert all("no toy.py or toy.ipynb found" in t["feedback"] for t in result["tests"])


def test_without_the_runner_identity_it_exits_non_zero_so_the_runner_reports_an_error(bundles, tmp_path):
    done, checkout = run_like_the_runner(bundles["public"], tmp_path, {"toy.py": WRONG_ADD},
                                         SUBMISSION_TAG="")
    assert done.returncode != 0 and "SUBMISSION_TAG" in done.stderr
    assert not (checkout / "result.json").exists()
