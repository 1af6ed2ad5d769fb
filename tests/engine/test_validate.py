"""`autograder validate` on course.yml's required calls (the graded part runs in tests/course)."""

from pathlib import Path

from autograder.course.config import Assignment
from autograder.course.hints import hint_ids
from autograder.course.layout import Layout
from autograder.release.validate import check_required

NAMES = {"perceptron", "gate_weights", "xor_gate"}
HINTS = hint_ids(Layout(Path(__file__).resolve().parents[2]))


def assignment(**rule) -> Assignment:
    required = {"calls": ["perceptron"], "test": "test_xor_built", "hint": "xor-not-from-gates"}
    function = rule.pop("function", "xor_gate")
    return Assignment(slug="a3_backprop", title="t", module="backprop",
                      required={function: {**required, **rule}},  # type: ignore[dict-item]  # pydantic validates it
                      tests={"test_xor_built": 1})


def test_a_consistent_rule_passes():
    assert check_required(assignment(), NAMES, HINTS) == []
    assert check_required(assignment(calls=["perceptron", "torch.optim.SGD"]), NAMES, HINTS) == []


def test_unknown_function_call_hint_and_test_are_reported():
    assert "does not define" in check_required(assignment(function="xnor_gate"), NAMES, HINTS)[0]
    assert "'perceptrn'" in check_required(assignment(calls=["perceptrn"]), NAMES, HINTS)[0]
    assert "unknown hint" in check_required(assignment(hint="xor-direct"), NAMES, HINTS)[0]
    assert "has no points" in check_required(assignment(test="test_missing"), NAMES, HINTS)[0]
