"""What an exported grader carries: the engine, the course, the suites, the pinned packages.

Shared by every export (`autograder export gradescope`, `autograder export classroom50`), so
each target ships the same engine files and the same pins from pyproject.toml.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from autograder.course.layout import Layout

ENGINE = Path(__file__).resolve().parents[1]  # the engine that runs this, wherever installed
ENGINE_SKIP = frozenset({"__pycache__", "release"})  # a grader never releases
# what grading needs at run time (nbgrader, jupytext and matplotlib are for release/report)
# pyseccomp: the worker refuses user namespaces with it (proc.block_user_namespaces)
# confusable-homoglyphs: look-alike student ids (roster.py)
RUNTIME_PACKAGES = ("numpy", "torch", "pytest", "nbformat", "rich", "pyyaml", "pydantic",
                    "pyseccomp", "confusable-homoglyphs")
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"


class ExportError(Exception):
    """The export cannot be built (e.g. a suite is missing)."""


def pins() -> dict[str, str]:
    """Package name -> pinned requirement, from the engine's pyproject.toml (or its metadata)."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        requirements = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        from importlib.metadata import requires

        requirements = [r for r in requires("autograder") or [] if "extra ==" not in r]
    return {re.split(r"[<>=!~; \[]", r, maxsplit=1)[0].lower(): r.strip() for r in requirements}


def requirements_txt() -> str:
    found = pins()
    missing = [name for name in RUNTIME_PACKAGES if name not in found]
    if missing:
        raise ExportError(f"pyproject.toml pins no version of {', '.join(missing)}")
    return "".join(f"{found[name]}\n" for name in RUNTIME_PACKAGES)


def tree(folder: Path, prefix: str, skip: frozenset[str] = frozenset({"__pycache__"})) -> dict[str, bytes]:
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not skip & set(rel.parts) and path.suffix != ".pyc":
            files[f"{prefix}/{rel.as_posix()}"] = path.read_bytes()
    return files


def engine_files(skip: frozenset[str] = frozenset({"__pycache__"})) -> dict[str, bytes]:
    """autograder/: the engine's code and its own words (.py, .yml), but the folders `skip`."""
    return {rel: data for rel, data in tree(ENGINE, "autograder", skip).items()
            if rel.endswith((".py", ".yml"))}


def content_files(layout: Layout) -> dict[str, bytes]:
    """course/ beside course.yml (hints, words, helpers): every copy of the course carries it."""
    return tree(layout.content, layout.rel(layout.content))


def course_files(slugs: list[str], layout: Layout, hidden: bool = True) -> dict[str, bytes]:
    """The engine, course.yml and the pytest set-up, and the suites of these assignments.

    hidden=False leaves out every hidden suite, the reference solutions (the hidden suites are
    what import them) and the hidden tests' entries in course.yml: only what the student
    bundle already ships.
    """
    root = layout.root
    course = layout.course()
    for slug in slugs:
        course.assignment(slug)  # KeyError for an unknown slug
    files = {**engine_files(ENGINE_SKIP), **content_files(layout)}
    files["requirements.txt"] = requirements_txt().encode()
    for name in ("course.yml", "conftest.py", "pyproject.toml"):
        if not (root / name).is_file():
            raise ExportError(f"{root / name} is missing")
        files[name] = (root / name).read_bytes()
    if (layout.tests / "__init__.py").is_file():
        files["tests/__init__.py"] = (layout.tests / "__init__.py").read_bytes()
    for slug in slugs:
        if not layout.suite(slug, "public").is_file():
            raise ExportError(f"{layout.suite(slug, 'public')} is missing")
        if hidden:
            files.update(tree(layout.suite_dir(slug), f"tests/{slug}"))
    if not hidden:
        files.update(public_files(slugs, layout))
    elif layout.solutions.is_dir():
        files.update(tree(layout.solutions, "solutions"))
    return files


def public_files(slugs: list[str], layout: Layout) -> dict[str, bytes]:
    """The suites' files the student bundle ships (test_public.py and what it imports), and its
    course.yml, which names no hidden test, not even its points."""
    from autograder.release.bundle import BundleError, public_course_yml, public_test_files

    files = {"course.yml": public_course_yml(layout.course(), layout).encode()}
    try:
        for slug in slugs:
            files.update({path.relative_to(layout.root).as_posix(): path.read_bytes()
                          for path in public_test_files(layout, slug)})
    except BundleError as exc:
        raise ExportError(str(exc)) from None
    return files


def write_tree(folder: Path, files: dict[str, bytes], marker: str) -> None:
    """Write files into folder, replacing an earlier export there (marked by `marker`).

    Files of the earlier export that this one lacks are removed, so exporting without the
    hidden suites never leaves an old copy of them behind. A non-empty folder that is not an
    earlier export is refused rather than mixed into.
    """
    if folder.exists():
        if (folder / marker).is_file():
            shutil.rmtree(folder)
        elif any(folder.iterdir()):
            raise ExportError(f"{folder} is not empty and holds no earlier export ({marker})")
    for rel, content in sorted(files.items()):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
