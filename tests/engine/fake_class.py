"""A small fake grading folder (OUT) for the report tests: 4 students, 2 assignments."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SCRIPT = '<script>alert("pwned")</script>'
SLUGS = ("a1_losses", "a4_logistic_regression")
A1 = [  # name, function, points
    ("test_mse_lecture_example", "mse", 2.0),
    ("test_mse_shape_mismatch", "mse", 2.0),
    ("test_r2_score", "r2_score", 3.0),
    ("test_split_paired", "train_val_test_split", 3.0),
]
A4 = [
    ("test_sigmoid_values", "sigmoid", 4.0),
    ("test_bce_values", "binary_cross_entropy", 3.0),
    ("test_softmax_rows", "softmax", 3.0),
]
# student -> slug -> failed test name -> its output; anything else passes
FAILS: dict[str, dict[str, dict[str, str]]] = {
    "alice": {"a1_losses": {}, "a4_logistic_regression": {
        "test_bce_values": "binary_cross_entropy(p, y) returned -0.22, expected 0.22 "
                           "[hint:bce-sign]",
    }},
    "bob": {"a1_losses": {
        "test_mse_lecture_example": "mse([9, 7, 10], [10, 9, 8]) returned 9.0, expected 3.0 "
                                    "[hint:mse-no-mean] " + SCRIPT,
        "test_r2_score": "r2_score(...) returned 0.1, expected 0.9 [hint:r2-inverted]",
    }, "a4_logistic_regression": {
        "test_sigmoid_values": "sigmoid(z) timed out after 10 s " + SCRIPT,
    }},
    "carol": {"a1_losses": {
        "test_mse_lecture_example": "mse([9, 7, 10], [10, 9, 8]) returned 9.0 [hint:mse-no-mean]",
        "test_split_paired": "rows lost their labels [hint:split-unpaired]",
    }},
    # dave handed in the a1 stub unchanged and no a4 at all (not submitted: a results file
    # with the "not found" reason)
    "dave": {"a1_losses": {name: f"{function}(...) raised NotImplementedError [hint:not-implemented]"
                           for name, function, _ in A1}},
}
DAVE_MISSING = ("no logistic_regression.py or logistic_regression.ipynb found (looked for "
                "logistic_regression.py, a4_logistic_regression/logistic_regression.py, ...)")
CAROL_ERROR = "SyntaxError: invalid syntax (logistic_regression.py, line 3) " + SCRIPT


def _typed(function: str, name: str, output: str, failed: bool) -> dict[str, Any]:
    """The facts the grader records beside a test's text (the readers use these, not the text)."""
    reason = ("timeout" if "timed out" in output else "wrong") if failed else None
    return {"test": name, "function": function, "reason": reason,
            "hints": re.findall(r"\[hint:([\w-]+)\]", output)}


def _results(tests: list[tuple[str, str, float]], fails: dict[str, str]) -> dict[str, Any]:
    entries = [
        {
            "name": name,
            "score": 0.0 if name in fails else points,
            "max_score": points,
            "status": "failed" if name in fails else "passed",
            # a passed test's output never counts as a misconception
            "output": fails.get(name, "ok [hint:gd-ascent]"),
            "visibility": "visible",
            "tags": [function],
            "execution_time": 10.5 if "timed out" in fails.get(name, "") else 0.01 * (i + 1),
            "extra_data": _typed(function, name, fails.get(name, "ok [hint:gd-ascent]"), name in fails),
        }
        for i, (name, function, points) in enumerate(tests)
    ]
    return {
        "score": sum(e["score"] for e in entries),
        "max_score": sum(p for _, _, p in tests),
        "execution_time": 1.0,
        "tests": entries,
    }


def make_fake_out(out: Path) -> Path:
    """Write OUT: bob timed out once, carol's a4 could not be graded (syntax error), dave
    handed in the a1 stub and no a4."""
    rows = ["student,a1_losses,a4_logistic_regression,total"]
    for student, per_slug in FAILS.items():
        (out / student).mkdir(parents=True)
        scores = []
        for slug, tests in zip(SLUGS, (A1, A4), strict=True):
            if slug in per_slug:
                result = _results(tests, per_slug[slug])
            elif student == "dave":
                result = {"score": 0.0, "max_score": 10.0, "execution_time": 0.0, "tests": [],
                          "output": "could not grade",
                          "extra_data": {"error": DAVE_MISSING, "status": "not_submitted"}}
            else:
                result = {"score": 0.0, "max_score": 10.0, "execution_time": 0.2, "tests": [],
                          "output": "could not grade",
                          "extra_data": {"error": CAROL_ERROR, "status": "error"}}
            (out / student / f"{slug}.json").write_text(json.dumps(result), encoding="utf-8")
            scores.append(result["score"])
        rows.append(f"{student},{scores[0]:g},{scores[1]:g},{sum(scores):g}")
    (out / "gradebook.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return out
