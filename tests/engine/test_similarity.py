"""`autograder similarity`: closest pairs, the released code ignored, student code never run."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from autograder import cli
from autograder.course.config import Assignment, Course
from autograder.outputs.similarity import DISCLAIMER, compare_class, write_similarity_report

A1 = Assignment(slug="a1_losses", title="Losses", module="losses", tests={"t": 1.0})
COURSE = Course(title="PyTorch Ch2", assignments=[A1])

def course_folder(folder: Path) -> str:
    """A course folder holding COURSE as course.yml, for `--course`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.yml").write_text(yaml.safe_dump(COURSE.model_dump(mode="json"), allow_unicode=True),
                                       encoding="utf-8")
    return str(folder)


STUB = '''"""Losses (손실 함수)."""
import numpy as np


def mse(y_pred, y_true):
    """Mean squared error (평균 제곱 오차)."""
    # YOUR CODE HERE
    raise NotImplementedError()


def mae(y_pred, y_true):
    """Mean absolute error."""
    # YOUR CODE HERE
    raise NotImplementedError()


def r2_score(y_pred, y_true):
    """R squared."""
    # YOUR CODE HERE
    raise NotImplementedError()
'''
LECTURE = '''# %%
import numpy as np
table = np.array([[9.0, 10.0], [7.0, 9.0], [10.0, 8.0]])
errors = table[:, 0] - table[:, 1]
print(np.mean(errors ** 2))
'''
ALICE = '''import numpy as np


def mse(y_pred, y_true):
    y_pred = np.asarray(y_pred, dtype=float)
    y_true = np.asarray(y_true, dtype=float)
    if y_pred.shape != y_true.shape:
        raise ValueError(f"shapes differ: {y_pred.shape} and {y_true.shape}")
    difference = y_pred - y_true
    return float(np.mean(difference * difference))


def mae(y_pred, y_true):
    y_pred = np.asarray(y_pred, dtype=float)
    y_true = np.asarray(y_true, dtype=float)
    if y_pred.shape != y_true.shape:
        raise ValueError(f"shapes differ: {y_pred.shape} and {y_true.shape}")
    return float(np.mean(np.abs(y_pred - y_true)))


def r2_score(y_pred, y_true):
    y_pred = np.asarray(y_pred, dtype=float)
    y_true = np.asarray(y_true, dtype=float)
    residual = np.sum((y_true - y_pred) ** 2)
    total = np.sum((y_true - np.mean(y_true)) ** 2)
    return 1.0 if total == 0 else float(1 - residual / total)
'''
# alice's code with every name changed and comments added: still the same code
BOB = (re.sub(r"\by_pred\b", "pred", re.sub(r"\by_true\b", "target", ALICE))
       .replace("difference", "d").replace("residual", "ss_res")
       .replace("    return float(np.mean(np.abs", "    # 평균 절대 오차\n    return float(np.mean(np.abs"))
CAROL = '''import numpy as np


def mse(a, b):
    a, b = np.array(a, float), np.array(b, float)
    assert a.shape == b.shape
    s = 0.0
    for x, y in zip(a.ravel(), b.ravel()):
        s += (x - y) ** 2
    return s / a.size


def mae(a, b):
    return sum(abs(x - y) for x, y in zip(np.ravel(a), np.ravel(b))) / np.size(a)


def r2_score(a, b):
    b = np.array(b, float)
    return 1 - mse(a, b) / np.var(b) if np.var(b) else 1.0
'''
# alice's code again, plus a line that would leave a mark if it ever ran, plus markup
HOSTILE = '''from pathlib import Path
Path(r"{marker}").write_text("imported")
''' + ALICE + '''

def extra():
    return "</pre><script>alert(1)</script>"
'''


def make_class(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    root = tmp_path / "course"
    (root / "assignments" / "a1_losses").mkdir(parents=True)
    (root / "assignments" / "a1_losses" / "losses.py").write_text(STUB, encoding="utf-8")
    (root / "notebooks").mkdir()
    (root / "notebooks" / "a1_losses.py").write_text(LECTURE, encoding="utf-8")
    sources = {"alice": STUB.split("import numpy")[0] + ALICE, "bob": STUB.split("import numpy")[0] + BOB,
               "carol": CAROL, "dave": STUB,
               "mallory": HOSTILE.replace("{marker}", str(tmp_path / "imported"))}
    roster = {}
    for student, source in sources.items():
        roster[student] = tmp_path / "class" / student
        roster[student].mkdir(parents=True)
        (roster[student] / "losses.py").write_text(source, encoding="utf-8")
    roster["erin"] = tmp_path / "class" / "erin"
    roster["erin"].mkdir()
    return root, roster


def test_renamed_copy_is_the_closest_pair_and_the_stub_does_not_count(tmp_path: Path) -> None:
    root, roster = make_class(tmp_path)
    boilerplate = [root / "assignments/a1_losses/losses.py", root / "notebooks/a1_losses.py"]
    pairs, skipped = compare_class(A1, roster, boilerplate)
    closest = {(p.first, p.second): p for p in pairs[:3]}
    assert set(closest) == {("alice", "bob"), ("alice", "mallory"), ("bob", "mallory")}
    assert min(closest["alice", "bob"].similarity) > 0.8
    others = {(p.first, p.second): p.closeness for p in pairs[3:]}
    assert others and all(value < 0.3 for value in others.values()), others
    assert skipped["dave"] == "nothing beyond the released code"  # the stub, handed back
    assert skipped["erin"].startswith("no losses.py or losses.ipynb found")


def test_without_the_stub_as_boilerplate_the_stub_would_count(tmp_path: Path) -> None:
    root, roster = make_class(tmp_path)
    pairs, skipped = compare_class(A1, {s: roster[s] for s in ("alice", "dave")}, [])
    assert "dave" not in skipped and pairs and pairs[0].closeness > 0.15  # what boilerplate removes


def test_report_is_escaped_self_contained_and_says_evidence_not_verdict(tmp_path: Path) -> None:
    root, roster = make_class(tmp_path)
    out = tmp_path / "out"
    path, pairs = write_similarity_report(out, A1, roster, root, COURSE.title)
    text = path.read_text(encoding="utf-8")
    assert path == out / "similarity-a1_losses.html"
    assert DISCLAIMER in text.replace("&#x27;", "'")
    assert "<script" not in text  # mallory's string is shown as text, nothing runs
    assert "&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", text)
    assert "<mark>" in text and "alice" in text and "bob" in text


def test_student_code_is_read_as_text_never_imported(tmp_path: Path, monkeypatch) -> None:
    root, roster = make_class(tmp_path)
    out = tmp_path / "out"
    assert cli.main(["--course", course_folder(root), "similarity", str(out),
                     *map(str, roster.values()), "-a", "a1_losses"]) == 0
    assert (out / "similarity-a1_losses.html").is_file()
    assert not (tmp_path / "imported").exists()
    assert "losses" not in sys.modules
