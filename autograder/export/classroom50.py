"""`autograder export classroom50`: a Classroom 50 autograder bundle, and the grading it runs.

Classroom 50 (CS50's replacement for GitHub Classroom; its wiki pages "Autograding Basics"
and "Advanced Autograding", and its runner.py) grades in the student's repository: on each
submission its runner downloads the assignment's bundle (the folder
`CLASSROOM/autograders/ASSIGNMENT/` of the course's classroom50 repository, published as
`ASSIGNMENT.tar.gz` on the classroom's GitHub Pages site), unpacks it, and runs
`python ASSIGNMENT/autograder.py` with the student's checkout as working directory and
CLASSROOM, ASSIGNMENT, SUBMISSION_TAG, COMMIT_URL, RELEASE_URL, REVIEW_URL in the
environment. The autograder must write ./result.json (schema `classroom50/result/v1`:
integer score and max-score, a `tests` list of test-name / passed / score / max-score) and
exit 0; a non-zero exit is an infrastructure error. ./release-body.md, when written, is the
body of the submission's Release.

The bundle (the folder this export writes):
  autograder.py      the entry point; standard library only: installs the pinned packages
                     (torch==2.13.0 from the CPU wheel index) into a venv beside it unless
                     the running Python already has them, then runs this module
  autograder/        the engine (no release tooling)
  course.yml, conftest.py, pyproject.toml, tests/<slug>/   the course and its suites
  solutions/         only with the hidden suites (they compare against the reference)
  requirements.txt, classroom50.json (assignment, backend, hidden, lang)
Everything in it is readable by students (see docs/scale-out.md): by default it carries the
public suite only, exactly what the student bundle already ships.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any

from autograder.course.layout import CourseNotFound, Layout
from autograder.export.files import TORCH_INDEX, ExportError, course_files, write_tree
from autograder.scoring.results import AssignmentResult

CONFIG_NAME = "classroom50.json"
RESULT_NAME = "result.json"
BODY_NAME = "release-body.md"
SCHEMA = "classroom50/result/v1"
MAX_BUNDLE_BYTES = 10 * 1024 * 1024  # the runner refuses a larger download (MAX_FETCH_BYTES)
# what the runner hands every autograder.py; the result names its submission with these
IDENTITY = ("CLASSROOM", "ASSIGNMENT", "SUBMISSION_TAG", "COMMIT_URL", "RELEASE_URL")

AUTOGRADER_PY = '''\
#!/usr/bin/env python3
"""Classroom 50 autograder for {slug}, written by `autograder export classroom50`.

The Classroom 50 runner runs `python autograder.py` in the student's checkout. This script
uses the standard library only: it makes sure the pinned packages are there (a venv beside
it, torch from the CPU wheel index), then grades the checkout with the bundled engine,
which writes ./result.json and ./release-body.md. Exit 0 when grading ran, whatever the
score; non-zero only when the grader itself could not run.
"""

import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TORCH_INDEX = "{torch_index}"


def missing(python_has, requirements):
    """The pins this interpreter does not satisfy (a local version like +cpu is the same)."""
    return [pin for pin in requirements if python_has(pin.partition("==")[0]) != pin.partition("==")[2]]


def installed(name):
    try:
        return importlib.metadata.version(name).split("+")[0]
    except importlib.metadata.PackageNotFoundError:
        return None


def python_with_packages():
    pins = (HERE / "requirements.txt").read_text(encoding="utf-8").split()
    if not missing(installed, pins):
        return sys.executable
    venv = HERE / ".venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    torch = [pin for pin in pins if pin.startswith("torch==")]
    # torch first, from the CPU-only index: the default wheel pulls in gigabytes of CUDA
    subprocess.run([*pip, "--index-url", TORCH_INDEX, *torch], check=True)
    subprocess.run([*pip, *[pin for pin in pins if pin not in torch]], check=True)
    return str(python)


def allow_sandbox():
    """GitHub-hosted Ubuntu 24.04 runners forbid the user namespaces bubblewrap needs."""
    if os.environ.get("RUNNER_ENVIRONMENT") == "github-hosted" and shutil.which("bwrap"):
        subprocess.run(["sudo", "-n", "sysctl", "-q", "-w",
                        "kernel.apparmor_restrict_unprivileged_userns=0"], check=False)


def main():
    python = python_with_packages()
    allow_sandbox()
    # the engine is imported from this folder only, never from the student's checkout
    env = {{**os.environ, "AUTOGRADER_ROOT": str(HERE), "PYTHONPATH": str(HERE)}}
    command = [python, "-m", "autograder.export.classroom50", "--bundle", str(HERE),
               "--checkout", os.getcwd()]
    return subprocess.run(command, cwd=HERE, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
'''


# -- building the bundle ------------------------------------------------------------------

def export_files(layout: Layout, slug: str, *, backend: str = "sandbox", hidden: bool = False,
                 lang: str = "en") -> dict[str, bytes]:
    """Relative path -> content of every file of the bundle of one assignment."""
    assignment = layout.course().assignment(slug)  # KeyError for an unknown slug
    scale = whole_scale(list(assignment.tests.values()))
    if scale is None:
        raise ExportError(f"Classroom 50 scores are whole numbers; {slug}'s points in course.yml "
                          "need more than two decimals to be made whole")
    files = course_files([slug], layout, hidden=hidden)
    files[CONFIG_NAME] = (json.dumps({"assignment": slug, "backend": backend, "hidden": hidden,
                                      "lang": lang, "scale": scale}, indent=1) + "\n").encode()
    files["autograder.py"] = AUTOGRADER_PY.format(slug=slug, torch_index=TORCH_INDEX).encode()
    size = sum(len(content) for content in files.values())
    if size > MAX_BUNDLE_BYTES:
        raise ExportError(f"the bundle is {size} bytes; Classroom 50 downloads at most "
                          f"{MAX_BUNDLE_BYTES}")
    return dict(sorted(files.items()))


def default_path(layout: Layout, slug: str) -> Path:
    return layout.build / "classroom50" / slug


def write_bundle(layout: Layout, slug: str, out: Path | None = None, *, backend: str = "sandbox",
                 hidden: bool = False, lang: str = "en") -> Path:
    out = out or default_path(layout, slug)
    write_tree(out, export_files(layout, slug, backend=backend, hidden=hidden, lang=lang), CONFIG_NAME)
    return out


# -- in the student's repository: grading the checkout -----------------------------------

SCALES = (1, 2, 4, 5, 10, 20, 100)


def whole_scale(points: list[float]) -> int | None:
    """The smallest factor that makes every test's points whole (Classroom 50 scores are
    integers): half points are exported on a ×2 scale, tenths on ×10; None past hundredths."""
    return next((k for k in SCALES if all(abs(p * k - round(p * k)) < 1e-9 for p in points)), None)


def _whole(points: float, scale: int) -> int:
    scaled = points * scale
    if abs(scaled - round(scaled)) > 1e-9:
        raise ValueError(f"{points} points is not a whole number on a ×{scale} scale")
    return round(scaled)


def result_tests(result: AssignmentResult, lang: str, scale: int = 1) -> list[dict[str, Any]]:
    """result.json's tests: one row per test, with our feedback and hint ids beside the contract's
    fields (the runner keeps extra fields of a test verbatim). Hidden tests show their hints
    only, never their inputs: the Release is the student's to read."""
    from autograder.outputs.feedback import failure_text

    return [{"test-name": test.name, "passed": test.passed, "score": _whole(test.points, scale),
             "max-score": _whole(test.max_points, scale), "function": test.function,
             "hidden": test.hidden, "hints": [] if test.passed else list(test.hints),
             "feedback": "" if test.passed else failure_text(test, lang).strip()}
            for test in result.tests]


def to_result(result: AssignmentResult, env: dict[str, str], lang: str, now: datetime.datetime,
              scale: int = 1) -> dict[str, Any]:
    """The classroom50/result/v1 document of one graded checkout.

    `datetime` is a placeholder the runner overwrites with the graded commit's time (as it
    stamps owner, assignment_type and graded_at); the identity comes from the runner's env.
    """
    tests = result_tests(result, lang, scale)
    return {
        "schema": SCHEMA,
        "classroom": env["CLASSROOM"],
        "assignment": env["ASSIGNMENT"],
        "submission": env["SUBMISSION_TAG"],
        "commit": env["COMMIT_URL"],
        "release": env["RELEASE_URL"],
        "review": env.get("REVIEW_URL") or env["COMMIT_URL"],
        "datetime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "score": sum(t["score"] for t in tests),
        "max-score": sum(t["max-score"] for t in tests),
        "tests": tests,
    }


def run(bundle: Path, checkout: Path) -> int:
    """Grade the checkout; write result.json and release-body.md into it. 0 when grading ran."""
    from autograder.batch.slots import GradingError
    from autograder.export.single import grade_upload
    from autograder.outputs.feedback import render_markdown
    from autograder.outputs.store import write_atomic, write_json

    absent = [name for name in IDENTITY if not os.environ.get(name)]
    if absent:
        print(f"::error::{', '.join(absent)} not set: run by the Classroom 50 runner?", file=sys.stderr)
        return 2
    try:
        layout = Layout.find()
    except CourseNotFound as exc:
        print(f"::error::{exc}", file=sys.stderr)
        return 2
    if layout.root != bundle.resolve():
        print(f"::error::AUTOGRADER_ROOT is {layout.root}, not the bundle {bundle}", file=sys.stderr)
        return 2
    settings = json.loads((bundle / CONFIG_NAME).read_text(encoding="utf-8"))
    slug, lang = settings["assignment"], settings.get("lang", "en")
    try:
        results, notes = grade_upload(checkout, [slug], layout,
                                      backend=settings.get("backend", "sandbox"),
                                      lang=lang, public_only=not settings.get("hidden", False))
        document = to_result(results[slug], dict(os.environ), lang,
                             datetime.datetime.now(datetime.UTC), settings.get("scale", 1))
    except (GradingError, ValueError) as exc:
        print(f"::error::the autograder could not grade this submission: {exc}", file=sys.stderr)
        return 1
    body = "\n".join([*(f"_{note}_\n" for note in notes),
                      render_markdown(os.environ.get("OWNER") or os.environ.get("USERNAME") or "you",
                                      {slug: results[slug]}, lang=lang)])
    write_json(checkout / RESULT_NAME, document)
    write_atomic(checkout / BODY_NAME, body)
    # the Actions log: the feedback, and the engine's own words (e.g. graded without sandbox)
    print(body, results[slug].output, sep="\n")
    print(f"{RESULT_NAME}: {document['score']} / {document['max-score']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="grade a Classroom 50 checkout (autograder.py)")
    parser.add_argument("--bundle", required=True, help="the unpacked bundle (autograder.py's folder)")
    parser.add_argument("--checkout", required=True, help="the student's repository checkout")
    args = parser.parse_args(argv)
    return run(Path(args.bundle), Path(args.checkout))


if __name__ == "__main__":
    sys.exit(main())
