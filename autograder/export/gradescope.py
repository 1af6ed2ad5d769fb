"""`autograder export gradescope`: a Gradescope autograder zip, and the script it runs there.

The zip (Gradescope unpacks it into /autograder/source and runs setup.sh once per image):
  setup.sh           apt: bubblewrap (and Python >= 3.11 if the image lacks it); a venv at
                     /autograder/venv with the pinned packages (torch==2.13.0, CPU wheel)
  run_autograder     Gradescope copies it to /autograder/run_autograder and runs it per
                     submission: it only runs `python -m autograder.export.gradescope`
  autograder/        the engine (no release tooling)
  course.yml, conftest.py, pyproject.toml
  tests/<slug>/      public and hidden suites of the exported assignments
  solutions/         the reference modules (hidden suites compare against them)
  requirements.txt, gradescope.json (which assignments, which backend)
At grading time nothing is installed: /autograder/submission is copied into a student folder
(a module found deeper in the upload, e.g. a repository's assignments/<slug>/, is used as
well), graded by the same engine as `autograder grade` (student code in the sandboxed
worker, which sees none of /autograder), and the result is written to
/autograder/results/results.json in Gradescope's schema. AUTOGRADER_GRADESCOPE_ROOT moves
/autograder (for tests); AUTOGRADER_PYTHON picks the interpreter.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

from autograder import config

CONFIG_NAME = "gradescope.json"
STUDENT = "submission"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed: the same course gives the same zip
ENGINE_SKIP = {"__pycache__", "release"}
# what grading needs at run time (nbgrader, jupytext and matplotlib are for release/report)
RUNTIME_PACKAGES = ("numpy", "torch", "pytest", "nbformat", "rich", "pyyaml", "pydantic")
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# bubblewrap: the sandbox for student code; util-linux: setpriv (drops root in the sandbox)
apt-get install -y -qq --no-install-recommends bubblewrap util-linux ca-certificates \\
    python3 python3-venv python3-pip
PYTHON=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  apt-get install -y -qq --no-install-recommends python3.11 python3.11-venv
  PYTHON=python3.11
fi
"$PYTHON" -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet --no-cache-dir --upgrade pip
# torch from the CPU-only index first (the default wheel pulls in gigabytes of CUDA)
/autograder/venv/bin/pip install --quiet --no-cache-dir --index-url {torch_index} "{torch_pin}"
/autograder/venv/bin/pip install --quiet --no-cache-dir -r /autograder/source/requirements.txt
# warm the bytecode cache and prove the engine imports
cd /autograder/source && /autograder/venv/bin/python -c "import autograder.plugin, torch"
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission into
# /autograder/results/results.json. Installs nothing (setup.sh did that).
set -uo pipefail
ROOT="${AUTOGRADER_GRADESCOPE_ROOT:-/autograder}"
PYTHON="${AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}"
export AUTOGRADER_ROOT="$ROOT/source"
cd "$ROOT/source" || exit 1
exec "$PYTHON" -m autograder.export.gradescope --root "$ROOT"
"""


class ExportError(Exception):
    """The export cannot be built (e.g. a suite is missing)."""


# -- building the zip ---------------------------------------------------------------------

def _pins() -> dict[str, str]:
    """Package name -> pinned requirement, from the engine's pyproject.toml (or its metadata)."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        requirements = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        from importlib.metadata import requires

        requirements = [r for r in requires("autograder") or [] if "extra ==" not in r]
    return {re.split(r"[<>=!~; \[]", r, maxsplit=1)[0].lower(): r.strip() for r in requirements}


def requirements_txt() -> str:
    pins = _pins()
    missing = [name for name in RUNTIME_PACKAGES if name not in pins]
    if missing:
        raise ExportError(f"pyproject.toml pins no version of {', '.join(missing)}")
    return "".join(f"{pins[name]}\n" for name in RUNTIME_PACKAGES)


def _tree(folder: Path, prefix: str, skip: set[str] = frozenset({"__pycache__"})) -> dict[str, bytes]:
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not skip & set(rel.parts) and path.suffix != ".pyc":
            files[f"{prefix}/{rel.as_posix()}"] = path.read_bytes()
    return files


def export_files(slugs: list[str] | None = None, backend: str = "sandbox",
                 root: Path | None = None) -> dict[str, bytes]:
    """Relative path -> content of every file of the autograder zip."""
    root = root or config.ROOT
    course = config.load_course(root)
    slugs = slugs or [a.slug for a in course.assignments]
    for slug in slugs:
        course.assignment(slug)  # KeyError for an unknown slug
    engine = Path(__file__).resolve().parents[1]
    files = _tree(engine, "autograder", skip=ENGINE_SKIP)
    files = {rel: data for rel, data in files.items() if rel.endswith((".py", ".yml"))}
    for name in ("course.yml", "conftest.py", "pyproject.toml"):
        if not (root / name).is_file():
            raise ExportError(f"{root / name} is missing")
        files[name] = (root / name).read_bytes()
    if (root / "tests" / "__init__.py").is_file():
        files["tests/__init__.py"] = (root / "tests" / "__init__.py").read_bytes()
    for slug in slugs:
        suite = root / "tests" / slug
        if not (suite / "test_public.py").is_file():
            raise ExportError(f"{suite}/test_public.py is missing")
        files.update(_tree(suite, f"tests/{slug}"))
    if (root / "solutions").is_dir():
        files.update(_tree(root / "solutions", "solutions"))
    files["requirements.txt"] = requirements_txt().encode()
    files[CONFIG_NAME] = (json.dumps({"assignments": slugs, "backend": backend}, indent=1)
                          + "\n").encode()
    pins = _pins()
    files["setup.sh"] = SETUP_SH.format(torch_index=TORCH_INDEX, torch_pin=pins["torch"]).encode()
    files["run_autograder"] = RUN_AUTOGRADER.encode()
    return dict(sorted(files.items()))


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel, content in files.items():
            info = zipfile.ZipInfo(rel, date_time=ZIP_DATE)
            mode = 0o755 if rel in ("setup.sh", "run_autograder") else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def default_path(slugs: list[str] | None, root: Path | None = None) -> Path:
    root = root or config.ROOT
    name = slugs[0] if slugs and len(slugs) == 1 else "all-assignments"
    return root / "build" / "gradescope" / f"{name}.zip"


def write_zip(path: Path | None = None, slugs: list[str] | None = None,
              backend: str = "sandbox") -> Path:
    path = path or default_path(slugs)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes(export_files(slugs, backend)))
    return path


# -- on Gradescope: grading one submission --------------------------------------------------

def _find(folder: Path, names: tuple[str, ...]) -> Path | None:
    """The shallowest file with one of these names under folder (hidden folders skipped)."""
    found = []
    for current, dirs, files in os.walk(folder):  # does not follow links to folders
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
        depth = len(Path(current).relative_to(folder).parts)
        found += [(depth, names.index(f), Path(current) / f) for f in files if f in names]
    return min(found)[2] if found else None


def prepare_submission(upload: Path, student: Path, course: config.Course,
                       slugs: list[str]) -> list[str]:
    """Copy the upload into a student folder; bring modules found deeper up. Returns notes."""
    from autograder.submission import find_module

    if upload.is_dir():
        shutil.copytree(upload, student, symlinks=True)
    else:
        student.mkdir(parents=True)
    notes = []
    for slug in slugs:
        module = course.assignment(slug).module
        if find_module(student, slug, module) is not None:
            continue
        deeper = _find(student, (f"{module}.py", f"{module}.ipynb"))
        if deeper is not None:
            shutil.copy2(deeper, student / deeper.name, follow_symlinks=False)
            notes.append(f"graded {deeper.relative_to(student).as_posix()} as {deeper.name}")
    return notes


def combine(results: dict[str, dict], notes: list[str]) -> dict:
    """One results.json: an assignment's own file, or several added up (test names prefixed)."""
    if len(results) == 1:
        data = dict(next(iter(results.values())))
    else:
        tests = [{**test, "name": f"{slug}: {test['name']}"}
                 for slug, result in results.items() for test in result["tests"]]
        data = {
            "score": round(sum(r["score"] for r in results.values()), 4),
            "max_score": round(sum(r["max_score"] for r in results.values()), 4),
            "execution_time": round(sum(r.get("execution_time", 0) for r in results.values()), 3),
            "output": "\n".join(f"{slug}: {r['output']}" for slug, r in results.items()
                                if r.get("output")),
            "visibility": "visible",
            "tests": tests,
            "extra_data": {slug: r.get("extra_data", {}) for slug, r in results.items()},
        }
    if notes:
        data["output"] = "\n".join([*notes, data.get("output", "")]).strip()
    return data


def failure(message: str) -> dict:
    return {"score": 0.0, "execution_time": 0.0, "visibility": "visible", "tests": [],
            "output": f"The autograder could not grade this submission: {message}. "
                      "Please tell the course staff."}


def run(root: Path) -> int:
    """Grade root/submission into root/results/results.json (the engine at root/source)."""
    from autograder import grading
    from autograder.results import read_results, write_json

    source = (root / "source").resolve()
    results_path = root / "results" / "results.json"
    print(f"autograder engine: {Path(__file__).resolve().parents[1]}; course: {config.ROOT}")
    if config.ROOT != source:
        write_json(results_path, failure(f"AUTOGRADER_ROOT is {config.ROOT}, not {source}"))
        return 1
    settings = json.loads((source / CONFIG_NAME).read_text(encoding="utf-8"))
    slugs, backend = settings["assignments"], settings.get("backend", "sandbox")
    course = config.load_course(source)
    with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp:
        student = Path(tmp) / STUDENT
        notes = prepare_submission(root / "submission", student, course, slugs)
        out = Path(tmp) / "out"
        batch = grading.Batch([student], slugs, out, backend=backend)
        try:
            grading.run(batch)
        except grading.GradingError as exc:
            for log in sorted((out / ".logs").glob("slot-*.log")):
                print(log.read_text(encoding="utf-8", errors="replace")[-5000:])
            write_json(results_path, failure(str(exc)))
            return 1
        results = {slug: read_results(out, STUDENT, slug) for slug in slugs}
    write_json(results_path, combine(results, notes))
    print(f"score {results_path}: {sum(r['score'] for r in results.values()):g}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="grade a Gradescope submission (run_autograder)")
    parser.add_argument("--root", default="/autograder", help="Gradescope's /autograder folder")
    args = parser.parse_args(argv)
    return run(Path(args.root))


if __name__ == "__main__":
    sys.exit(main())
