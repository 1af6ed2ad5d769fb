"""Finding a student's module in a submission folder and reading it as text.

The grading process only ever *reads* submissions: a `.py` file as UTF-8 text, a notebook
with nbformat (its code cells are the module). `ast.parse` checks the syntax without running
anything. Every problem becomes a `SubmissionProblem` with a reason for the student.

Which file is the student's work (`check` and `grade` alike): `<module>.py` or
`<module>.ipynb`, at the top of the folder or under `<slug>/`. When both are there, the `.py`
is taken, unless it is still the released stub and the notebook was edited (students who
work in the course's notebook leave the stub untouched): then the notebook. "Released" and
"edited" compare fingerprints (sha256 of the stub's text, of the notebook's code) with what
the course handed out (`released_of`).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from autograder.sanitize import clean_text

MAX_SOURCE_BYTES = 2 * 1024 * 1024
# A notebook's outputs and plots can be large; only its code must fit MAX_SOURCE_BYTES.
MAX_NOTEBOOK_BYTES = 32 * 1024 * 1024
_FUTURE = re.compile(r"^from __future__ import [\w, ]+$", re.MULTILINE)
# IPython-only lines: `%magic`, `!shell`, `x = !shell`, `x = %magic`, `name?` help.
_MAGIC = re.compile(r"^\s*(%|!|[\w.]+\s*=\s*[%!]|\?+[\w.]+\s*$|[\w.]+\?+\s*$)")


# The first line of the notebooks' lecture demo cells: code that is never part of the module,
# neither in a saved notebook (where the cells are also tagged) nor in a kernel's history.
DEMO_LINE = "# Lecture demo: not graded, not part of your module."


class SubmissionProblem(Exception):
    """The module cannot be graded; the message is the reason shown to the student."""


class NotSubmitted(SubmissionProblem):
    """No module at any of the places it may be: not submitted (not a 0, an empty cell)."""


@dataclass(frozen=True)
class ModuleSource:
    path: Path
    source: str
    chosen: str = ""  # "notebook": the .py was the stub; "both": both edited, the .py taken


@dataclass(frozen=True)
class Released:
    """Fingerprints of what the course handed out for one assignment (None: not known)."""

    py: str | None = None
    ipynb: str | None = None


RELEASED_FILE = "released.json"  # in the student bundle, whose assignments/ students edit


def candidates(folder: Path, slug: str, module: str) -> list[Path]:
    return [folder / f"{module}.py", folder / slug / f"{module}.py",
            folder / f"{module}.ipynb", folder / slug / f"{module}.ipynb"]


def _present(paths: list[Path]) -> Path | None:
    return next((p for p in paths if p.is_file() or p.is_symlink()), None)


def choose_module(folder: Path, slug: str, module: str,
                  released: Released | None = None) -> tuple[Path | None, str]:
    """The file to grade and why (see the module docstring): (path, "" | "notebook" | "both")."""
    found = candidates(folder, slug, module)
    py, notebook = _present(found[:2]), _present(found[2:])
    if py is None or notebook is None or released is None:
        return py or notebook, ""
    if fingerprint(folder, notebook) == released.ipynb:
        return py, ""
    return (notebook, "notebook") if fingerprint(folder, py) == released.py else (py, "both")


def find_module(folder: Path, slug: str, module: str,
                released: Released | None = None) -> Path | None:
    return choose_module(folder, slug, module, released)[0]


def fingerprint(folder: Path, path: Path) -> str | None:
    """The fingerprint of a submission file (see `fingerprint_text`); None if unreadable."""
    try:
        return fingerprint_text(_read_text(folder, path), path.suffix)
    except SubmissionProblem:
        return None


def fingerprint_text(text: str, suffix: str) -> str | None:
    """sha256 of a .py's text or of a notebook's code, line endings and trailing blanks
    ignored (a Windows checkout or Jupyter's save is not an edit); None if unreadable."""
    try:
        code = _code_cells(text) if suffix == ".ipynb" else text
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
    lines = [line.rstrip() for line in code.replace("\r\n", "\n").split("\n")]
    return hashlib.sha256("\n".join(lines).strip("\n").encode("utf-8")).hexdigest()


def _code_cells(text: str) -> str:
    """A notebook's code cells, read straight from its JSON: enough for a fingerprint, and
    without nbformat, whose import (seconds) every `check` would pay otherwise."""
    data = json.loads(text)
    cells = data.get("cells") or [c for sheet in data.get("worksheets", []) for c in sheet["cells"]]
    parts = []
    for cell in cells:
        if cell.get("cell_type") == "code" and not _is_test_cell(cell):
            source = cell.get("source", cell.get("input", ""))
            parts.append("".join(source) if isinstance(source, list) else str(source))
    return "\n\n".join(parts)


@functools.cache
def _released_file(root: Path) -> dict[str, dict[str, str | None]]:
    path = root / RELEASED_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


@functools.cache
def released_of(root: Path, slug: str, module: str) -> Released:
    """What the course at `root` released for `slug`: the bundle's record, else (a course
    repository) the fingerprints of its assignments/ files."""
    recorded = _released_file(root).get(slug)
    if recorded is not None:
        return Released(recorded.get("py"), recorded.get("ipynb"))
    folder = root / "assignments" / slug
    return Released(*(fingerprint(folder, folder / f"{module}{suffix}")
                      if (folder / f"{module}{suffix}").is_file() else None
                      for suffix in (".py", ".ipynb")))


def read_module(folder: Path, slug: str, module: str,
                released: Released | None = None) -> ModuleSource:
    """The module's source text, checked: inside the folder, small, text, valid Python."""
    path, chosen = choose_module(folder, slug, module, released)
    if path is None:
        names = ", ".join(str(p.relative_to(folder)) for p in candidates(folder, slug, module))
        raise NotSubmitted(f"no {module}.py or {module}.ipynb found (looked for {names})")
    text = _read_text(folder, path)
    if path.suffix != ".ipynb":
        check_syntax(text, path.name)
        return ModuleSource(path, text, chosen)
    source, cells = _notebook_module(text, path.name)
    try:  # a notebook's JSON can spell a lone surrogate ("\ud800"), which no file can hold
        size = len(source.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise SubmissionProblem(f"{path.name} holds text that is not valid Unicode (a lone "
                                f"surrogate at character {exc.start} of its code)") from None
    if size > MAX_SOURCE_BYTES:
        raise SubmissionProblem(f"the code of {path.name} is larger than "
                                f"{MAX_SOURCE_BYTES // 1024} KiB")
    check_syntax(source, path.name, cells)
    return ModuleSource(path, source, chosen)


def _read_text(folder: Path, path: Path) -> str:
    """A submission file's text: inside the folder, a regular file, small, UTF-8, no NUL."""
    try:
        raw = _read_inside(path, folder, MAX_NOTEBOOK_BYTES if path.suffix == ".ipynb"
                           else MAX_SOURCE_BYTES)
    except (OSError, RuntimeError) as exc:  # unreadable, or a link loop (RuntimeError)
        raise SubmissionProblem(f"{path.name} cannot be read "
                                f"({clean_text(getattr(exc, 'strerror', None) or exc, 200)})") from None
    if b"\x00" in raw:
        raise SubmissionProblem(f"{path.name} is a binary file, not Python source")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SubmissionProblem(
            f"{path.name} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return text


@dataclass(frozen=True)
class _Cell:
    start: int   # the module line (1-based) where the cell's code begins
    number: int  # the cell's position in the notebook (1-based, markdown cells counted)
    first: str   # its first non-blank line, to recognise it


def where(filename: str, line: int | None, cells: list[_Cell]) -> str:
    """`losses.ipynb cell 7 (`def mse(...)`)` and the line in that cell; a .py: its line."""
    cell = next((c for c in reversed(cells) if line is not None and c.start <= line), None)
    if cell is None or line is None:
        return f"{filename} has a syntax error at line {line}"
    first = cell.first if len(cell.first) <= 60 else cell.first[:57] + "..."
    return (f"{filename} cell {cell.number} (`{first}`) has a syntax error at line "
            f"{line - cell.start + 1}")


def _read_inside(path: Path, folder: Path, limit: int) -> bytes:
    real = path.resolve()
    if not real.is_relative_to(folder.resolve()):
        raise SubmissionProblem(f"{path.name} is a link that points outside the submission")
    if not real.is_file():
        raise SubmissionProblem(f"{path.name} is not a regular file")
    with real.open("rb") as f:
        raw = f.read(limit + 1)  # never more, even if it grew since it was found
    if len(raw) > limit:
        raise SubmissionProblem(f"{path.name} is larger than {limit // 1024} KiB")
    return raw


def check_syntax(source: str, filename: str, cells: list[_Cell] | None = None) -> None:
    try:
        ast.parse(source, filename=filename)
    except SyntaxError as exc:
        raise SubmissionProblem(f"{where(filename, exc.lineno, cells or [])}: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise SubmissionProblem(f"{filename} cannot be parsed: {type(exc).__name__}") from None


def _is_test_cell(cell: Mapping[str, object]) -> bool:
    """Cells that run tests (nbgrader test cells, our check cells) are not part of the module."""
    meta = cell.get("metadata")
    meta = meta if isinstance(meta, dict) else {}  # the student's JSON: any type at all
    nb = meta.get("nbgrader")
    if isinstance(nb, dict) and nb.get("grade") and not nb.get("solution"):
        return True
    tags = meta.get("tags")
    return isinstance(tags, list) and "check" in tags


def notebook_to_source(text: str, filename: str) -> str:
    """The code cells in document order (not execution order); IPython magics commented out."""
    return _notebook_module(text, filename)[0]


def _notebook_module(text: str, filename: str) -> tuple[str, list[_Cell]]:
    """The notebook's module source, and where each code cell starts in it.

    A magic line becomes `pass  # <the line>` at its indentation, so a block stays valid.
    `from __future__` imports, allowed in any notebook cell, move to the top of the module.
    Outputs are dropped before nbformat reads the notebook: they can be megabytes.
    """
    import nbformat  # here, not at the top: its import takes seconds (jsonschema's format checks)

    try:
        notebook = nbformat.reads(json.dumps(_without_outputs(json.loads(text))), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many types for a broken file
        raise SubmissionProblem(f"{filename} is not a readable notebook: "
                                f"{type(exc).__name__}: {clean_text(exc, 200)}") from None
    return _cells_module([(number, cell.get("source", ""))
                          for number, cell in enumerate(notebook.cells, start=1)
                          if cell.get("cell_type") == "code" and not _is_test_cell(cell)])


def cells_to_source(cells: list[str]) -> str:
    """Code cells (in this order) as one module: magics defused, cell magics dropped.

    The same for a saved notebook (document order) and for a notebook kernel's history
    (execution order: autograder.plugin.notebook_cells), so both are graded as the same module.
    """
    return _cells_module(list(enumerate(cells, start=1)))[0]


def _cells_module(numbered: list[tuple[int, object]]) -> tuple[str, list[_Cell]]:
    """The module of (cell number, source) pairs, and where each cell starts in it."""
    blocks: list[str] = []
    cells: list[_Cell] = []
    line = 1
    for number, source in numbered:
        lines = source.splitlines() if isinstance(source, str) else []
        if lines and (lines[0].lstrip().startswith("%%") or lines[0] == DEMO_LINE):
            continue  # a cell magic (%%time, %%bash, the %%autograder test cells), a demo
        first = next((x.strip() for x in lines if x.strip()), "")
        cells.append(_Cell(line, number, first))
        blocks.append("\n".join(_defuse_magic(x) for x in lines))
        line += max(len(lines), 1) + 1  # blocks are joined by a blank line
    source = "\n\n".join(blocks) + "\n"
    future = _FUTURE.findall(source)
    cells = [_Cell(c.start + len(future), c.number, c.first) for c in cells]
    return "".join(f"{x}\n" for x in future) + _FUTURE.sub(r"# \g<0>  (moved to the top)",
                                                            source), cells


def _defuse_magic(line: str) -> str:
    if not _MAGIC.match(line):
        return line
    stripped = line.lstrip()
    return f"{line[:len(line) - len(stripped)]}pass  # {stripped}"


def _without_outputs(data: object) -> object:
    """The notebook's JSON with every output and attachment emptied (v3 and v4 layouts)."""
    if isinstance(data, dict):
        cells = list(data.get("cells") or [])
        for sheet in data.get("worksheets") or []:
            cells += (sheet.get("cells") or []) if isinstance(sheet, dict) else []
        for cell in cells:
            if isinstance(cell, dict):
                if "outputs" in cell:
                    cell["outputs"] = []
                cell.pop("attachments", None)
    return data
