"""The student bundle: a folder and a zip with everything a student needs and nothing else.

Contents (paths as in the repository, so `autograder check SLUG` works inside it):
  README.md                          for students: set up, work, check, submit
  assignments/<slug>/<module>.py     the stubs
  assignments/<slug>/<module>.ipynb  the lecture notebooks (nbgrader's student version)
  tests/<slug>/test_public.py        the public tests, and the local modules they import
  course.yml                         the public tests' points only (no hidden test is named)
  autograder/, conftest.py, pyproject.toml   the checker (`autograder check`)
No reference solution and no hidden test: the files are taken from the student versions, and
anything a public suite would pull in from solutions/ or a hidden suite is refused.
"""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import yaml

import autograder
from autograder.config import Course
from autograder.layout import Layout
from autograder.release.errors import ReleaseError
from autograder.release.points import names_in_suite

NAME = "pytorch-ch2-student"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same content gives the same zip
ENGINE_SKIP = {"__pycache__"}


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
    data = {"title": course.title, "time_limit": course.time_limit, "assignments": []}
    for a in course.assignments:
        public = set(names_in_suite(layout, a.slug, "public"))
        entry = {"slug": a.slug, "title": a.title, "module": a.module}
        if a.time_limit is not None:
            entry["time_limit"] = a.time_limit
        entry["forbidden"] = a.forbidden
        required = {f: r.model_dump() for f, r in a.required.items() if r.test in public}
        if required:
            entry["required"] = required
        entry["tests"] = {name: points for name, points in a.tests.items() if name in public}
        data["assignments"].append(entry)
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

Python 3.11 or newer:

```
python -m venv .venv
.venv/bin/pip install -e .          # Windows: .venv\\Scripts\\pip install -e .
```

## Work

Either in the notebook (`assignments/<slug>/<module>.ipynb`: the lecture, your code, and a
test cell after each function), or in the plain Python file (`assignments/<slug>/<module>.py`).
Replace each `# YOUR CODE HERE` / `raise NotImplementedError()` with your code; keep the
names and arguments of the functions as they are. Do not edit the test cells of the
notebook.

## Check

```
.venv/bin/autograder check a1_losses                    # checks assignments/a1_losses/losses.py
.venv/bin/autograder check a1_losses path/to/folder     # a folder with losses.py or losses.ipynb
```

`check` runs the **public** tests and prints a table with a hint for each failed test. It
exits with 0 only when all of them pass. In the notebook, run the test cell after each
function instead. Your grade also counts **hidden** tests of the same functions (more
inputs, edge cases), so passing the public tests is a good sign, not a guarantee.

## Submit

Submit either `<module>.py` or `<module>.ipynb` for each assignment, the way your course
collects work (nbgrader, or a folder per student). If you submit both, the `.py` file is
graded.
"""


def readme(course: Course, layout: Layout) -> str:
    rows = []
    for a in course.assignments:
        public = set(names_in_suite(layout, a.slug, "public"))
        points = sum(p for name, p in a.tests.items() if name in public)
        rows.append(f"| `assignments/{a.slug}/` ({a.title}) | `{a.module}.py` | "
                    f"`{a.module}.ipynb` | {points:g} |")
    return README.format(title=course.title, rows="\n".join(rows))


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
    for name in ("conftest.py", "pyproject.toml"):
        files[name] = (layout.root / name).read_bytes()
    engine = Path(autograder.__file__).parent  # the checker that runs here, wherever installed
    for path in sorted(engine.rglob("*")):
        rel = path.relative_to(engine)
        if path.is_file() and not ENGINE_SKIP & set(rel.parts) and path.suffix in (".py", ".yml"):
            files[f"autograder/{rel.as_posix()}"] = path.read_bytes()
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
    return dict(sorted(files.items()))


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel, content in files.items():
            info = zipfile.ZipInfo(f"{NAME}/{rel}", date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


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
    archive.write_bytes(zip_bytes(files))
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
