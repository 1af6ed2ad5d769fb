"""The student bundle: a folder and a zip with everything a student needs and nothing else.

Contents (paths as in the repository, so `autograder check SLUG` works inside it):
  README.md                          for students: set up, work, check, submit
  assignments/<slug>/<module>.py     the stubs
  assignments/<slug>/<module>.ipynb  the lecture notebooks (nbgrader's student version)
  tests/<slug>/test_public.py        the public tests, and the local modules they import
  course.yml                         the public tests' points only (no hidden test is named),
                                     and the hidden points per function (for check's summary)
  released.json                      fingerprints of the stubs and notebooks as handed out, so
                                     that `check` knows which of the two the student edited
  autograder/, conftest.py           the checker (`autograder check`)
  course/functions.py                the course's helpers that tests pass to student code
  pyproject.toml                     the student's install: only what checking needs (numpy,
                                     torch, pytest, rich, pyyaml, pydantic; Jupyter as the
                                     `notebooks` extra), never nbgrader or the instructor tools
No reference solution and no hidden test: the files are taken from the student versions, and
anything a public suite would pull in from solutions/ or a hidden suite is refused.
"""

from __future__ import annotations

import ast
import json
import tomllib
import zipfile
from pathlib import Path

import yaml

from autograder.course.config import Course
from autograder.course.layout import Layout
from autograder.export.archive import zip_bytes
from autograder.export.files import TORCH_INDEX, content_files, engine_files, pins
from autograder.intake.submission import RELEASED_FILE, fingerprint_text
from autograder.release.errors import ReleaseError
from autograder.release.points import function_points, names_in_suite

NAME = "pytorch-ch2-student"


class BundleError(ReleaseError):
    """Something would put reference code or hidden tests into the bundle."""


def bundle_dir(layout: Layout) -> Path:
    return layout.build / NAME


def bundle_zip(layout: Layout) -> Path:
    return layout.build / f"{NAME}.zip"


def _local_imports(path: Path, tests: Path) -> list[Path]:
    """Files under tests/ that a test module imports (relative or `tests.` imports)."""
    candidates: list[Path] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            modules = [node.module or ""]
        elif isinstance(node, ast.ImportFrom):  # from .mistakes import X / from . import x
            base = path.parents[node.level - 1]
            if node.module:
                candidates.append(base.joinpath(*node.module.split(".")))
            else:
                candidates += [base / alias.name for alias in node.names]
        for module in modules:
            if module.split(".")[0] == "solutions":
                raise BundleError(f"{path} imports {module}: public tests never import solutions")
            candidates.append(tests.parent.joinpath(*module.split(".")))
    return [file for candidate in candidates
            for file in (candidate.with_suffix(".py"), candidate / "__init__.py")
            if file.is_file() and file.is_relative_to(tests)]


def public_test_files(layout: Layout, slug: str) -> list[Path]:
    """tests/<slug>/test_public.py, the package files, and what it imports from tests/."""
    tests = layout.tests
    todo = [layout.suite(slug, "public")]
    files = {tests / "__init__.py", tests / slug / "__init__.py"}
    while todo:
        path = todo.pop()
        if path in files and path.name != "__init__.py":
            continue
        if path.name.startswith("test_hidden"):
            raise BundleError(f"a public test module imports the hidden suite ({path})")
        files.add(path)
        todo += [p for p in _local_imports(path, tests) if p not in files]
    return sorted(p for p in files if p.is_file())


def public_course_yml(course: Course, layout: Layout) -> str:
    """course.yml with the points of the public tests only."""
    assignments: list[dict[str, object]] = []
    data = {"title": course.title, "time_limit": course.time_limit, "assignments": assignments}
    for a in course.assignments:
        public = set(names_in_suite(layout, a.slug, "public"))
        entry: dict[str, object] = {"slug": a.slug, "title": a.title, "module": a.module}
        if a.time_limit is not None:
            entry["time_limit"] = a.time_limit
        entry["forbidden"] = a.forbidden
        required = {f: r.model_dump() for f, r in a.required.items() if r.test in public}
        if required:
            entry["required"] = required
        entry["tests"] = {name: points for name, points in a.tests.items() if name in public}
        entry["hidden_points"] = {name: p.hidden for name, p in function_points(a, layout).items()
                                  if p.hidden}
        assignments.append(entry)
    header = ("# The public part of the course definition, for `autograder check`.\n"
              "# Your work is graded with more tests than these (the hidden tests).\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


README = """\
# {title}: student bundle

This folder holds your assignments, the lecture notebooks, the public tests and the
checker that runs them. Assignments:

| folder | you write | notebook | public points |
| --- | --- | --- | ---: |
{rows}

## Set up (once)

Python 3.11 or newer. In this folder, make a virtual environment, install the CPU build of
PyTorch (small, and all this course needs), then the checker:

Linux:

```
python3 -m venv .venv
.venv/bin/pip install {torch} --index-url {cpu_index}
.venv/bin/pip install -e .
```

macOS (the plain PyPI build of PyTorch is the CPU build there):

```
python3 -m venv .venv
.venv/bin/pip install {torch}
.venv/bin/pip install -e .
```

Windows (PowerShell or cmd):

```
py -m venv .venv
.venv\\Scripts\\pip install {torch} --index-url {cpu_index}
.venv\\Scripts\\pip install -e .
```

To work in the notebooks, add Jupyter: `pip install -e ".[notebooks]"` with the same `pip`
(`.venv/bin/pip`, or `.venv\\Scripts\\pip` on Windows), then `.venv/bin/jupyter lab`
(`.venv\\Scripts\\jupyter lab`).

**Google Colab**: upload `{zip}` to the session, then run this cell. Colab already has
PyTorch, NumPy and pytest, so `--no-deps` keeps its own (no second PyTorch download):

```
!unzip -q -o {zip} && pip install -q --no-deps -e {name}
!cd {name} && autograder check a1_losses                         # the files in the bundle
!cd {name} && autograder check a1_losses /content/losses.ipynb   # or a notebook you saved
```

## Work

Either in the notebook (`assignments/<slug>/<module>.ipynb`: the lecture, your code, and a
test cell after each function), or in the plain Python file (`assignments/<slug>/<module>.py`).
Replace each `# YOUR CODE HERE` / `raise NotImplementedError()` with your code; keep the
names and arguments of the functions as they are. Do not edit the test cells of the
notebook. Work in one of the two files: `check` takes the notebook when the `.py` is still
as handed out, and otherwise the `.py` (it says which, and warns when both were edited).

## Check

Linux and macOS:

```
.venv/bin/autograder check a1_losses                       # all public tests of a1_losses
.venv/bin/autograder check a1_losses --function mse        # only the tests of mse
.venv/bin/autograder check a1_losses path/to/losses.py     # a file (or folder) elsewhere
.venv/bin/autograder check a1_losses --lang ko             # 피드백을 한국어로
```

Windows:

```
.venv\\Scripts\\autograder check a1_losses
.venv\\Scripts\\autograder check a1_losses --function mse
.venv\\Scripts\\autograder check a1_losses path\\to\\losses.py
.venv\\Scripts\\autograder check a1_losses --lang ko
```

`check` prints the file it checked, a table of the **public** tests with your points, and
for each failed test what your code returned, what was expected and, when the evidence fits
a known mistake, a hint such as `[hint:mse-no-mean]` with an explanation. The last line
says how many points the **hidden** tests add when your work is graded (more inputs, edge
cases): passing the public tests is a good sign, not a guarantee. It exits with 0 only when
all of them pass. Your code runs in a plain Python process on your computer, with the same
tests and the same time limit per call as grading, so the verdicts are the same. If the
checker itself cannot run (Python or PyTorch not installed right), it says so as a problem
of the setup, not of your code.

Set `AUTOGRADER_LANG=ko` (or `AUTOGRADER_LANG = "ko"` in a notebook cell) to get Korean
messages from both `check` and the notebooks' test cells.

## Submit

Submit either `<module>.py` or `<module>.ipynb` for each assignment, the way your course
collects work (nbgrader, or a folder per student). If you submit both, the `.py` file is
graded, unless it is still the stub as handed out: then the notebook.

## 한국어 안내

### 설치

Python 3.11 이상이 필요합니다. 이 폴더에서 가상 환경을 만들고, PyTorch CPU 버전을 설치한
다음 검사기(checker)를 설치하세요.

- 위의 "Set up" 명령을 운영체제에 맞게 그대로 실행하세요. Linux와 Windows는 PyTorch CPU 버전
  주소(`--index-url {cpu_index}`)를 붙이고, macOS는 붙이지 않습니다.
- Windows에서는 `.venv/bin/...` 대신 `.venv\\Scripts\\...`를 씁니다.
- 노트북(Jupyter)에서 작업하려면: `pip install -e ".[notebooks]"`
- Google Colab: 위의 Colab 셀을 그대로 실행하세요 (PyTorch는 이미 설치되어 있습니다).

### 실행

- `.venv/bin/autograder check a1_losses --lang ko`
  (Windows: `.venv\\Scripts\\autograder check a1_losses --lang ko`)
- 함수 하나만: `--function mse`, 다른 위치의 파일: `check a1_losses 경로/losses.py`
- 환경 변수 `AUTOGRADER_LANG=ko`를 설정하거나 노트북 셀에 `AUTOGRADER_LANG = "ko"`를 쓰면
  `check`와 노트북의 테스트 셀이 모두 한국어로 안내합니다.
- `.py` 파일이 처음 받은 뼈대 코드 그대로이고 노트북을 수정했다면 노트북을 검사합니다.
  둘 다 수정했다면 `.py`를 검사하고 경고를 보여 줍니다.

### 피드백 읽기

`check`는 검사한 파일 경로, 공개 테스트별 점수 표, 그리고 통과하지 못한 테스트마다 코드의
반환값과 기대값, 알려진 실수라면 `[hint:mse-no-mean]` 같은 힌트와 설명을 보여 줍니다. 마지막
줄은 제출 후 숨겨진 테스트로 채점될 점수를 알려 줍니다. 공개 테스트를 모두 통과해도 숨겨진
테스트(더 많은 입력, 경계 사례)가 남아 있습니다. 검사기 자체가 실행되지 않으면 (Python이나
PyTorch 설치 문제) 코드가 아니라 설치 환경의 문제라고 알려 줍니다.
"""

# What a student's install needs, by the names of the course repository's pins (pyproject.toml)
# confusable-homoglyphs: student ids are checked for look-alikes (roster.py) by `check` too
STUDENT_PACKAGES = ("numpy", "torch", "pytest", "rich", "pyyaml", "pydantic", "confusable-homoglyphs")

PYPROJECT = """\
# The student's install: the checker and what it needs, nothing of the instructors' tools.
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
description = "{title}: assignments and the checker (`autograder check`)"
requires-python = ">=3.11"
dependencies = {dependencies}

[project.optional-dependencies]
notebooks = {notebooks}

[project.scripts]
autograder = "autograder.cli:main"

[tool.setuptools.packages.find]
include = ["autograder*"]

[tool.setuptools.package-data]
autograder = ["*.yml"]

[tool.pytest.ini_options]
pythonpath = ["."]
addopts = "-p no:cacheprovider"
"""


def _notebooks_extra(layout: Layout) -> list[str]:
    """The course repository's `notebooks` extra (pins of Jupyter and nbformat)."""
    project = tomllib.loads(layout.pytest_config.read_text(encoding="utf-8"))["project"]
    extra: list[str] = project.get("optional-dependencies", {}).get("notebooks", [])
    return extra


def pyproject(course: Course, layout: Layout) -> str:
    found = pins()
    missing = [name for name in STUDENT_PACKAGES if name not in found]
    if missing:
        raise BundleError(f"pyproject.toml pins none of {missing}, which the student install needs")
    version = tomllib.loads(layout.pytest_config.read_text(encoding="utf-8"))["project"]
    return PYPROJECT.format(name=NAME, version=version["version"],
                            title=course.title.replace('"', "'"),
                            dependencies=json.dumps([found[n] for n in STUDENT_PACKAGES]),
                            notebooks=json.dumps(_notebooks_extra(layout)))


def released_record(files: dict[str, bytes], course: Course) -> str:
    """released.json: the fingerprints of each assignment's stub and notebook as handed out."""
    record = {a.slug: {suffix.lstrip("."): fingerprint_text(
        files[f"assignments/{a.slug}/{a.module}{suffix}"].decode("utf-8"), suffix)
        for suffix in (".py", ".ipynb")} for a in course.assignments}
    return json.dumps(record, indent=1, sort_keys=True) + "\n"


def readme(course: Course, layout: Layout) -> str:
    rows = []
    for a in course.assignments:
        public = set(names_in_suite(layout, a.slug, "public"))
        points = sum(p for name, p in a.tests.items() if name in public)
        rows.append(f"| `assignments/{a.slug}/` ({a.title}) | `{a.module}.py` | "
                    f"`{a.module}.ipynb` | {points:g} |")
    return README.format(title=course.title, rows="\n".join(rows), torch=pins()["torch"],
                         cpu_index=TORCH_INDEX, zip=f"{NAME}.zip", name=NAME)


def bundle_files(course: Course, layout: Layout,
                 students: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Relative path -> content of every file of the bundle.

    The stubs and notebooks come from assignments/, or from `students` (relative path ->
    content) when given: what `autograder release` would write there now.
    """
    files: dict[str, bytes] = {
        "README.md": readme(course, layout).encode(),
        "course.yml": public_course_yml(course, layout).encode(),
    }
    files["conftest.py"] = (layout.root / "conftest.py").read_bytes()
    files["pyproject.toml"] = pyproject(course, layout).encode()
    files.update(engine_files())  # the checker that runs here, wherever installed
    files.update(content_files(layout))
    for a in course.assignments:
        for suffix in (".py", ".ipynb"):
            rel = f"assignments/{a.slug}/{a.module}{suffix}"
            if students is not None:
                files[rel] = students[rel]
            elif (layout.root / rel).is_file():
                files[rel] = (layout.root / rel).read_bytes()
            else:
                raise BundleError(f"{rel} is missing: run `autograder release`")
        for path in public_test_files(layout, a.slug):
            files[path.relative_to(layout.root).as_posix()] = path.read_bytes()
    files[RELEASED_FILE] = released_record(files, course).encode()
    return dict(sorted(files.items()))


def write_bundle(course: Course, layout: Layout) -> tuple[Path, Path]:
    """Write build/<NAME>/ (replacing what was there) and build/<NAME>.zip."""
    files = bundle_files(course, layout)
    folder = bundle_dir(layout)
    if folder.exists():
        for old in sorted(folder.rglob("*"), reverse=True):
            old.rmdir() if old.is_dir() else old.unlink()
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    archive = bundle_zip(layout)
    archive.write_bytes(zip_bytes(files, lambda rel: 0o644, prefix=f"{NAME}/"))
    return folder, archive


def read_folder(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name.removeprefix(f"{NAME}/"): archive.read(name)
                for name in archive.namelist() if not name.endswith("/")}


def stale_bundle(course: Course, layout: Layout,
                 students: dict[str, bytes] | None = None) -> list[str]:
    """What is out of date in an existing bundle folder or zip (none there: nothing stale)."""
    if not bundle_dir(layout).exists() and not bundle_zip(layout).exists():
        return []
    expected = bundle_files(course, layout, students)
    problems = []
    for path, read in ((bundle_dir(layout), read_folder), (bundle_zip(layout), read_zip)):
        if not path.exists():
            continue
        actual = read(path)
        changed = sorted(rel for rel in expected.keys() | actual.keys()
                         if expected.get(rel) != actual.get(rel))
        if changed:
            problems.append(f"{layout.rel(path)} is stale ({', '.join(changed[:5])}"
                            f"{', ...' if len(changed) > 5 else ''})")
    return problems
