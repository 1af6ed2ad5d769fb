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
                     (solutions/ and tests/ are 0600 in the zip and chmod go-rwx by setup.sh
                     and run_autograder: the worker's uid can never read them, with or
                     without bubblewrap)
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
import json
import sys
from pathlib import Path
from typing import Any

from autograder.course.layout import CourseNotFound, Layout
from autograder.export.archive import zip_bytes
from autograder.export.files import TORCH_INDEX, course_files, pins
from autograder.isolation import sandbox
from autograder.scoring.results import AssignmentResult

CONFIG_NAME = "gradescope.json"

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# bubblewrap: the sandbox for student code; util-linux: setpriv (drops root in the sandbox);
# libseccomp2: the filter that refuses user namespaces
apt-get install -y -qq --no-install-recommends bubblewrap util-linux libseccomp2 ca-certificates \\
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
cd /autograder/source && /autograder/venv/bin/python -c "import autograder.plugin.hooks, torch"
# student code runs as an unprivileged uid (without bubblewrap too): it may read the engine
# and the venv, never the reference solutions or the suites (which hold the hidden tests)
chmod a+rX /autograder /autograder/source
chmod -R a+rX /autograder/venv /autograder/source/autograder
{hide}
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
# again at every run: an image rebuilt or copied may have lost setup.sh's modes
{hide}
exec "$PYTHON" -m autograder.export.gradescope --root "$ROOT"
"""


# the folders only the trusted grader (root) may read; their files are 0600 in the zip too
HIDDEN = tuple(f"{name}/" for name in sandbox.HIDDEN_FOLDERS)
HIDE_COMMAND = ("chmod -R go-rwx " + " ".join(f'"${{ROOT:-/autograder}}/source/{name}"'
                                              for name in sandbox.HIDDEN_FOLDERS))


# -- building the zip ---------------------------------------------------------------------

def export_files(layout: Layout, slugs: list[str] | None = None,
                 backend: str = "sandbox") -> dict[str, bytes]:
    """Relative path -> content of every file of the autograder zip."""
    slugs = slugs or [a.slug for a in layout.course().assignments]
    files = course_files(slugs, layout)
    files[CONFIG_NAME] = (json.dumps({"assignments": slugs, "backend": backend}, indent=1)
                          + "\n").encode()
    files["setup.sh"] = SETUP_SH.format(torch_index=TORCH_INDEX, torch_pin=pins()["torch"],
                                        hide=HIDE_COMMAND).encode()
    files["run_autograder"] = RUN_AUTOGRADER.replace("{hide}", HIDE_COMMAND).encode()
    return dict(sorted(files.items()))


def file_mode(rel: str) -> int:
    """A regular file: the scripts executable, the hidden folders root's only."""
    mode = 0o755 if rel in ("setup.sh", "run_autograder") else 0o600 if rel.startswith(HIDDEN) else 0o644
    return 0o100000 | mode


def default_path(layout: Layout, slugs: list[str] | None) -> Path:
    name = slugs[0] if slugs and len(slugs) == 1 else "all-assignments"
    return layout.build / "gradescope" / f"{name}.zip"


def write_zip(layout: Layout, path: Path | None = None, slugs: list[str] | None = None,
              backend: str = "sandbox") -> Path:
    path = path or default_path(layout, slugs)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes(export_files(layout, slugs, backend), file_mode))
    return path


# -- on Gradescope: grading one submission --------------------------------------------------

def combine(results: dict[str, AssignmentResult], notes: list[str]) -> dict[str, Any]:
    """One results.json: an assignment's own file, or several added up (test names prefixed)."""
    files = {slug: result.to_gradescope() for slug, result in results.items()}
    if len(files) == 1:
        data = next(iter(files.values()))
    else:
        tests = [{**test, "name": f"{slug}: {test['name']}"}
                 for slug, file in files.items() for test in file["tests"]]
        data = {
            "score": round(sum(r.score for r in results.values()), 4),
            "max_score": round(sum(r.max_score or 0.0 for r in results.values()), 4),
            "execution_time": round(sum(r.seconds for r in results.values()), 3),
            "output": "\n".join(f"{slug}: {r.output}" for slug, r in results.items() if r.output),
            "visibility": "visible",
            "tests": tests,
            "extra_data": {slug: file["extra_data"] for slug, file in files.items()},
        }
    if notes:
        data["output"] = "\n".join([*notes, data.get("output", "")]).strip()
    return data


def failure(message: str) -> dict[str, Any]:
    return {"score": 0.0, "execution_time": 0.0, "visibility": "visible", "tests": [],
            "output": f"The autograder could not grade this submission: {message}. "
                      "Please tell the course staff."}


def run(root: Path) -> int:
    """Grade root/submission into root/results/results.json (the engine at root/source)."""
    from autograder.batch.slots import GradingError
    from autograder.export.single import grade_upload
    from autograder.outputs.store import write_json

    source = (root / "source").resolve()
    results_path = root / "results" / "results.json"
    try:
        layout = Layout.find()
    except CourseNotFound as exc:
        write_json(results_path, failure(str(exc)))
        return 1
    print(f"autograder engine: {Path(__file__).resolve().parents[1]}; course: {layout.root}")
    if layout.root != source:
        write_json(results_path, failure(f"AUTOGRADER_ROOT is {layout.root}, not {source}"))
        return 1
    settings = json.loads((source / CONFIG_NAME).read_text(encoding="utf-8"))
    slugs, backend = settings["assignments"], settings.get("backend", "sandbox")
    try:
        results, notes = grade_upload(root / "submission", slugs, layout, backend=backend)
    except GradingError as exc:
        write_json(results_path, failure(str(exc)))
        return 1
    write_json(results_path, combine(results, notes))
    print(f"score {results_path}: {sum(r.score for r in results.values()):g}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="grade a Gradescope submission (run_autograder)")
    parser.add_argument("--root", default="/autograder", help="Gradescope's /autograder folder")
    args = parser.parse_args(argv)
    return run(Path(args.root))


if __name__ == "__main__":
    sys.exit(main())
