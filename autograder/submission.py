"""Finding a student's module in a submission folder and reading it as text.

The grading process only ever *reads* submissions: a `.py` file as UTF-8 text, a notebook
with nbformat (its code cells are the module). `ast.parse` checks the syntax without running
anything. Every problem becomes a `SubmissionProblem` with a reason for the student.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

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


def candidates(folder: Path, slug: str, module: str) -> list[Path]:
    return [folder / f"{module}.py", folder / slug / f"{module}.py",
            folder / f"{module}.ipynb", folder / slug / f"{module}.ipynb"]


def find_module(folder: Path, slug: str, module: str) -> Path | None:
    return next((p for p in candidates(folder, slug, module) if p.is_file() or p.is_symlink()),
                None)


def read_module(folder: Path, slug: str, module: str) -> ModuleSource:
    """The module's source text, checked: inside the folder, small, text, valid Python."""
    path = find_module(folder, slug, module)
    if path is None:
        names = ", ".join(str(p.relative_to(folder)) for p in candidates(folder, slug, module))
        raise NotSubmitted(f"no {module}.py or {module}.ipynb found (looked for {names})")
    real = path.resolve()
    if not real.is_relative_to(folder.resolve()):
        raise SubmissionProblem(f"{path.name} is a link that points outside the submission")
    if not real.is_file():
        raise SubmissionProblem(f"{path.name} is not a regular file")
    limit = MAX_NOTEBOOK_BYTES if path.suffix == ".ipynb" else MAX_SOURCE_BYTES
    if real.stat().st_size > limit:
        raise SubmissionProblem(f"{path.name} is larger than {limit // 1024} KiB")
    raw = real.read_bytes()
    if b"\x00" in raw:
        raise SubmissionProblem(f"{path.name} is a binary file, not Python source")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SubmissionProblem(
            f"{path.name} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    source = notebook_to_source(text, path.name) if path.suffix == ".ipynb" else text
    if len(source.encode("utf-8")) > MAX_SOURCE_BYTES:
        raise SubmissionProblem(f"the code of {path.name} is larger than "
                                f"{MAX_SOURCE_BYTES // 1024} KiB")
    check_syntax(source, path.name)
    return ModuleSource(path, source)


def check_syntax(source: str, filename: str) -> None:
    try:
        ast.parse(source, filename=filename)
    except SyntaxError as exc:
        raise SubmissionProblem(
            f"{filename} has a syntax error at line {exc.lineno}: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise SubmissionProblem(f"{filename} cannot be parsed: {type(exc).__name__}") from None


def _is_test_cell(cell) -> bool:
    """Cells that run tests (nbgrader test cells, our check cells) are not part of the module."""
    meta = cell.get("metadata", {})
    nb = meta.get("nbgrader", {})
    if nb.get("grade") and not nb.get("solution"):
        return True
    return "check" in meta.get("tags", [])


def notebook_to_source(text: str, filename: str) -> str:
    """The code cells in document order (not execution order); IPython magics commented out.

    A magic line becomes `pass  # <the line>` at its indentation, so a block stays valid.
    `from __future__` imports, allowed in any notebook cell, move to the top of the module.
    Outputs are dropped before nbformat reads the notebook: they can be megabytes.
    """
    import nbformat  # here, not at the top: its import takes seconds (jsonschema's format checks)

    try:
        notebook = nbformat.reads(json.dumps(_without_outputs(json.loads(text))), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many types for a broken file
        raise SubmissionProblem(f"{filename} is not a readable notebook: "
                                f"{type(exc).__name__}: {str(exc)[:200]}") from None
    return cells_to_source([cell.get("source", "") for cell in notebook.cells
                            if cell.get("cell_type") == "code" and not _is_test_cell(cell)])


def cells_to_source(cells: list[str]) -> str:
    """Code cells (in this order) as one module: magics defused, cell magics dropped.

    The same for a saved notebook (document order) and for a notebook kernel's history
    (execution order: autograder.notebook_tests), so both are graded as the same module.
    """
    blocks = []
    for cell in cells:
        lines = cell.splitlines()
        if lines and (lines[0].lstrip().startswith("%%") or lines[0] == DEMO_LINE):
            continue  # a cell magic (%%time, %%bash, the %%autograder test cells), a demo
        blocks.append("\n".join(_defuse_magic(line) for line in lines))
    source = "\n\n".join(blocks) + "\n"
    future = _FUTURE.findall(source)
    return "".join(f"{line}\n" for line in future) + _FUTURE.sub(r"# \g<0>  (moved to the top)",
                                                                  source)


def _defuse_magic(line: str) -> str:
    if not _MAGIC.match(line):
        return line
    stripped = line.lstrip()
    return f"{line[:len(line) - len(stripped)]}pass  # {stripped}"


def _without_outputs(data):
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
