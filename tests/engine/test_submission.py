"""Reading a submission never runs it, and every problem becomes a reason for the student."""

import os

import nbformat
import pytest

from autograder.intake.submission import SubmissionProblem, notebook_to_source, read_module


def write_notebook(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nbformat.write(nb, path)


def test_module_at_top_or_under_slug_folder(tmp_path):
    (tmp_path / "a1_losses").mkdir()
    (tmp_path / "a1_losses" / "losses.py").write_text("def mse(a, b):\n    return 0\n")
    assert "def mse" in read_module(tmp_path, "a1_losses", "losses").source


@pytest.mark.parametrize("content, reason", [
    (None, "no losses.py or losses.ipynb"),
    ("def mse(:\n", "syntax error at line 1"),
    (b"\x00\x01binary", "binary"),
    (b"\xff\xfe bad", "not UTF-8"),
])
def test_problems_have_reasons(tmp_path, content, reason):
    if content is not None:
        path = tmp_path / "losses.py"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(SubmissionProblem, match=reason):
        read_module(tmp_path, "a1_losses", "losses")


def test_symlink_outside_the_submission_is_refused(tmp_path):
    secret = tmp_path / "solutions.py"
    secret.write_text("def mse(a, b): return 1\n")
    folder = tmp_path / "mallory"
    folder.mkdir()
    os.symlink(secret, folder / "losses.py")
    with pytest.raises(SubmissionProblem, match="outside"):
        read_module(folder, "a1_losses", "losses")


def test_enormous_file_is_refused(tmp_path):
    (tmp_path / "losses.py").write_text("x = 1\n" * 500_000)
    with pytest.raises(SubmissionProblem, match="larger than"):
        read_module(tmp_path, "a1_losses", "losses")


def test_notebook_code_cells_in_document_order_with_magics_commented(tmp_path):
    write_notebook(tmp_path / "losses.ipynb", [
        nbformat.v4.new_markdown_cell("# 평균 제곱 오차"),
        nbformat.v4.new_code_cell("!pip install numpy\n%matplotlib inline\nimport numpy as np",
                                  execution_count=5),
        nbformat.v4.new_code_cell("%%time\nfor i in range(3): print(i)"),
        nbformat.v4.new_code_cell("def mse(a, b):\n    return 3.0", execution_count=1),
        nbformat.v4.new_code_cell("assert mse(1, 2) == 3.0",
                                  metadata={"nbgrader": {"grade": True, "solution": False}}),
    ])
    source = read_module(tmp_path, "a1_losses", "losses").source
    assert source.index("import numpy") < source.index("def mse")
    assert "# !pip install numpy" in source and "# %matplotlib inline" in source
    assert "%%time" not in source and "assert mse" not in source


def test_broken_notebook_has_a_reason():
    with pytest.raises(SubmissionProblem, match="not a readable notebook"):
        notebook_to_source("{ not json", "losses.ipynb")


def _raw_notebook(cell: dict, nbformat_version: object = 4) -> str:
    import json

    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, **cell}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": nbformat_version,
                       "nbformat_minor": 5})


def test_hostile_notebook_metadata_is_read_without_crashing():
    assert notebook_to_source(_raw_notebook({"metadata": {"nbgrader": "x", "tags": 5},
                                             "source": "x = 1"}), "losses.ipynb") == "x = 1\n"
    assert notebook_to_source(_raw_notebook({"source": 5}), "losses.ipynb").strip() == ""
    with pytest.raises(SubmissionProblem) as info:
        notebook_to_source(_raw_notebook({"source": "x = 1"}, "\x1b[2J"), "losses.ipynb")
    assert "\x1b" not in str(info.value) and "\\x1b[2J" in str(info.value)


def test_a_notebook_spelling_a_lone_surrogate_is_a_reason_not_a_crash(tmp_path):
    (tmp_path / "losses.ipynb").write_text(_raw_notebook({"source": 'x = "\ud800"'}))
    with pytest.raises(SubmissionProblem, match="lone surrogate"):
        read_module(tmp_path, "a1_losses", "losses")


def test_a_module_that_is_a_link_loop_is_a_reason_not_a_crash(tmp_path):
    (tmp_path / "losses.py").symlink_to(tmp_path / "losses.py")
    with pytest.raises(SubmissionProblem, match="losses.py"):
        read_module(tmp_path, "a1_losses", "losses")
