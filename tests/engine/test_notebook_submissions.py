"""A submitted notebook grades exactly like the same code submitted as a .py file.

The notebook is the student version students get (assignments/a1_losses/losses.ipynb),
answered, then made messy the way real notebooks are: cells run out of order, shell and line
magics, a cell magic, `name?` help, megabytes of stored output and a plot.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import nbformat
import pytest

from autograder.intake.submission import read_module
from autograder.release.notebooks import split_module
from tests.engine.conftest import run_autograder

REPO = Path(__file__).resolve().parents[2]
SLUG, MODULE = "a1_losses", "losses"
REFERENCE = (REPO / "solutions" / SLUG / f"{MODULE}.py").read_text()
STUDENT_NOTEBOOK = REPO / "assignments" / SLUG / f"{MODULE}.ipynb"
WRONG_MSE = '''def mse(y_pred, y_true):
    y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
    if y_pred.shape != y_true.shape:
        raise ValueError("shapes differ")
    return float(np.sum((y_pred - y_true) ** 2))  # forgot to divide by N'''
CHATTY = 'for epoch in range(2000):\n    print("epoch", epoch, "loss", 1.0 / (epoch + 1))'


def answered(answers: dict[str, str]) -> nbformat.NotebookNode:
    notebook = nbformat.read(STUDENT_NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = answers[meta["grade_id"]]
    return notebook


def messy(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Out-of-order execution counts, magics, help, a chatty cell with big outputs, a plot."""
    new = nbformat.v4.new_code_cell
    png = base64.b64encode(b"\x89PNG" + bytes(600_000)).decode()
    chatty = new(CHATTY, execution_count=3, outputs=[nbformat.v4.new_output(
        "stream", name="stdout", text="epoch 1 loss 0.5\n" * 200_000)])  # about 3.4 MB
    plot = new("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])", execution_count=1,
               outputs=[nbformat.v4.new_output("display_data", data={"image/png": png})])
    notebook.cells[1:1] = [
        new("!pip install numpy\n%matplotlib inline\nfiles = !ls\nmse?", execution_count=9),
        new("%%time\nimport time\ntime.sleep(0)", execution_count=2),
        new("def _helper():\n    %load_ext autoreload\n    return 1", execution_count=7),
        chatty, plot,
    ]
    for count, cell in enumerate(reversed([c for c in notebook.cells if c.cell_type == "code"])):
        cell.execution_count = count + 1  # run bottom to top
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    answers = split_module(REFERENCE).public
    wrong = {**answers, "mse": WRONG_MSE}
    submissions = {
        "ref_py": REFERENCE,
        "ref_nb": messy(answered(answers)),
        "wrong_py": REFERENCE.replace(answers["mse"], WRONG_MSE) + "\n\n" + CHATTY + "\n",
        "wrong_nb": messy(answered(wrong)),
        "stub_py": (REPO / "assignments" / SLUG / f"{MODULE}.py").read_text(),
        "stub_nb": nbformat.read(STUDENT_NOTEBOOK, as_version=4),
    }
    for student, content in submissions.items():
        folder = base / student
        folder.mkdir()
        if isinstance(content, str):
            (folder / f"{MODULE}.py").write_text(content)
        else:
            nbformat.write(content, folder / f"{MODULE}.ipynb")
    out = base / "out"
    result = run_autograder("grade", *(str(base / s) for s in submissions), "-a", SLUG,
                            "-o", str(out), "-j", "2", root=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    return base, {s: json.loads((out / s / f"{SLUG}.json").read_text()) for s in submissions}


def _outcomes(results: dict) -> dict[str, tuple]:
    return {t["name"]: (t["status"], t["score"], t["output"]) for t in results["tests"]}


def test_the_big_messy_notebook_is_accepted(graded):
    base, _ = graded
    notebook = base / "ref_nb" / f"{MODULE}.ipynb"
    assert notebook.stat().st_size > 3_000_000
    source = read_module(base / "ref_nb", SLUG, MODULE).source
    assert "pass  # !pip install numpy" in source and "    pass  # %load_ext autoreload" in source
    assert "%%time" not in source and "expect_close" not in source  # no test or helper cells


@pytest.mark.parametrize("kind", ["ref", "wrong", "stub"])
def test_a_notebook_grades_like_the_same_code_as_py(graded, kind):
    _, results = graded
    as_py, as_nb = results[f"{kind}_py"], results[f"{kind}_nb"]
    assert as_nb["score"] == as_py["score"]
    assert _outcomes(as_nb) == _outcomes(as_py)


def test_scores_are_full_partial_and_zero(graded):
    _, results = graded
    full = results["ref_py"]["max_score"]
    assert results["ref_nb"]["score"] == full
    assert 0 < results["wrong_nb"]["score"] < full
    assert results["stub_nb"]["score"] == 0
