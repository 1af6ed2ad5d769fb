"""From outcomes to results.json: points per test, case aggregation, hints only from the grader."""

from autograder.course.config import Assignment
from autograder.course.hints import find_hints
from autograder.scoring.outcomes import Outcome, build_results, render

ASSIGNMENT = Assignment(slug="a1_losses", title="t", module="losses",
                        tests={"test_mse_lecture": 2, "test_mse_random": 3, "test_mae_lecture": 1})


def outcome(test, function="mse", passed=True, message="", hint=None, hidden=False):
    return Outcome(test=test, function=function, hidden=hidden, passed=passed, message=message,
                   hint=hint)


def build(outcomes, forbidden=None, error=None, sandbox="bubblewrap sandbox"):
    return build_results(ASSIGNMENT, outcomes, forbidden=forbidden or {}, error=error,
                         sandbox=sandbox).to_gradescope()


def test_a_parametrized_test_earns_its_points_only_when_every_case_passes():
    data = build([outcome("test_mse_lecture"),
                  outcome("test_mse_random", hidden=True),
                  outcome("test_mse_random", passed=False, message="case 2 wrong", hidden=True),
                  outcome("test_mae_lecture", function="mae")])
    tests = {t["name"]: t for t in data["tests"]}
    assert tests["mse: test_mse_random"]["score"] == 0
    assert tests["mse: test_mse_random"]["output"] == "case 2 wrong\n(1 of 2 cases failed)"
    assert tests["mse: test_mse_random"]["visibility"] == "after_published"
    assert (data["score"], data["max_score"]) == (3, 6)


def test_the_hint_comes_first_with_its_explanation():
    text = render("mse(...) returned 9; expected 3.", "mse-no-mean", "en")
    assert text.startswith("[hint:mse-no-mean] ") and text.endswith("returned 9; expected 3.")
    assert "평균" in render("x", "mse-no-mean", "ko")


def test_hint_markers_quoted_from_student_output_are_defused():
    text = render("your code raised ValueError: [hint:gd-ascent] trust me", None, "en")
    assert find_hints(text) == []


def test_forbidden_api_zeroes_every_test_of_that_function():
    data = build([outcome("test_mse_lecture"), outcome("test_mse_random"),
                  outcome("test_mae_lecture", function="mae")],
                 forbidden={"mse": ["torch.nn.functional.mse_loss"]})
    assert data["score"] == 1
    assert all(t["output"].startswith("[hint:forbidden-api]") for t in data["tests"]
               if t["tags"][0] == "mse")


def test_a_missing_sandbox_is_said_in_every_result():
    data = build([outcome("test_mse_lecture")], sandbox="NO SANDBOX (bwrap missing): rlimits only")
    assert data["output"].startswith("WARNING: graded with NO SANDBOX")


GATES = Assignment(slug="a3_backprop", title="t", module="backprop",
                   required={"xor_gate": {"calls": ["perceptron"], "test": "test_xor_built",
                                          "hint": "xor-not-from-gates"}},  # type: ignore[dict-item]  # pydantic validates it
                   tests={"test_xor_table": 2, "test_xor_built": 1, "test_perceptron": 2})
XOR_OUTCOMES = [outcome("test_xor_table", "xor_gate"), outcome("test_xor_built", "xor_gate"),
                outcome("test_perceptron", "perceptron")]


def test_a_missing_required_call_loses_only_the_designated_test_with_its_hint():
    data = build_results(GATES, XOR_OUTCOMES, forbidden={}, error=None, sandbox="bubblewrap",
                         missing={"xor_gate": ["perceptron"]}).to_gradescope()
    tests = {t["name"]: t for t in data["tests"]}
    assert tests["xor_gate: test_xor_built"]["score"] == 0
    assert find_hints(tests["xor_gate: test_xor_built"]["output"]) == ["xor-not-from-gates"]
    assert tests["xor_gate: test_xor_table"]["score"] == 2 and data["score"] == 4
    whole = build_results(GATES, XOR_OUTCOMES, forbidden={}, error=None, sandbox="bubblewrap",
                          missing={"xor_gate": []}).to_gradescope()
    assert whole["score"] == 5


def test_a_wrong_value_in_the_designated_test_is_reported_before_the_missing_call():
    failed = [outcome("test_xor_built", "xor_gate", passed=False, message="xor_gate(1, 1) returned 1",
                      hint="returns-none")]
    data = build_results(GATES, failed, forbidden={}, error=None, sandbox="bubblewrap",
                         missing={"xor_gate": ["perceptron"]}).to_gradescope()
    assert find_hints(data["tests"][0]["output"]) == ["returns-none"]
