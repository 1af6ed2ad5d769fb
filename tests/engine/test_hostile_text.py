"""Hostile text against the trust boundary (shared/spec/grader.md, Revision 2).

One batch, graded with the real CLI (`autograder grade ... -j 2 --junit`) on the toy course:
the text attacks of tests/fixtures/hostile/ (TEXT_ATTACKS: lone surrogates, megabytes, forged
replies, markup of every kind, input recording, forbidden-API evasion) next to honest students,
some of them with hostile ids (Rich markup, spreadsheet formulas, terminal escapes, a folder
name that is not UTF-8). The batch must finish with exit 0 and a gradebook; honest students get
full marks; every results file stays below ~1 MB; the trusted grading processes' peak memory
stays below a cap; no text reaches a terminal, a Markdown file, XML or CSV as markup.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograder.plugin.hooks import PEAK_MEMORY
from autograder.sanitize import FEEDBACK_LIMIT, RESULTS_LIMIT, from_csv_cell
from tests.engine.conftest import REPO, TOY_SOLUTION, run_autograder

HOSTILE = REPO / "tests" / "fixtures" / "hostile"
FORBIDDEN_FORMS = ["forbidden_module_alias", "forbidden_star", "forbidden_getattr",
                   "forbidden_rebind", "forbidden_in_try", "forbidden_decorator", "forbidden_eval",
                   "forbidden_import_module"]
DYNAMIC_FORMS = {"forbidden_getattr", "forbidden_eval", "forbidden_import_module"}
TEXT_ATTACKS = ["surrogate_text", "huge_message", "forged_reply", "markup_text", "record_inputs",
                *FORBIDDEN_FORMS]
EUC_KR = os.fsdecode("김민지".encode("euc-kr"))  # a folder name that is not UTF-8
# Honest students whose folder names are hostile, and the id each gets.
HOSTILE_IDS = {"[bold red]boom": "[bold red]boom",
               "[link=https:evil.example]click": "[link=https:evil.example]click",
               '=HYPERLINK("https:evil.example","x")': '=HYPERLINK("https:evil.example","x")',
               "@SUM(1+1)": "@SUM(1+1)",
               "esc\x1b[2Jname": "esc\\x1b[2Jname",
               EUC_KR: "\\xb1\\xe8\\xb9\\xce\\xc1\\xf6"}
HONEST = ["honest_a", "honest_b", *HOSTILE_IDS]
# Slots take every other folder of the command line: each pipe attack has an honest student
# right after it in its slot (two places later).
ORDER = ["forged_reply", "huge_message", "honest_a", "honest_b", "surrogate_text", "markup_text",
         *HOSTILE_IDS, "record_inputs", *FORBIDDEN_FORMS]
EXPECTED = {HOSTILE_IDS.get(name, name): 6.0 for name in HONEST} \
    | {name: 0.0 for name in TEXT_ATTACKS} | {name: 5.0 for name in FORBIDDEN_FORMS}
PEAK_CAP_MB = 600
# What the toy suite's hidden tests pass (tests/fixtures/toy_course/tests/toy/test_hidden.py).
HIDDEN_INPUTS = ("array(", "scale(")


class Graded:
    def __init__(self, base: Path):
        self.klass, self.out, self.junit = base / "class", base / "out", base / "junit.xml"
        for name in HONEST:
            (self.klass / name).mkdir(parents=True)
            shutil.copy(TOY_SOLUTION, self.klass / name / "toy.py")
        for name in TEXT_ATTACKS:
            shutil.copytree(HOSTILE / name, self.klass / name)
        self.result = run_autograder("grade", *(str(self.klass / n) for n in ORDER), "-a", "toy",
                                     "-o", str(self.out), "-j", "2", "--junit", str(self.junit))

    def results(self, student: str) -> dict:
        return json.loads((self.out / student / "toy.json").read_text(encoding="utf-8"))

    def tests(self, student: str) -> dict[str, dict]:
        return {t["name"].split(": ", 1)[1]: t for t in self.results(student)["tests"]}

    def feedback(self, student: str) -> str:
        return (self.out / student / "feedback.md").read_text(encoding="utf-8")

    def explain(self) -> str:
        logs = sorted((self.out / ".logs").glob("slot-*.log"))
        return f"{self.result.stdout[-3000:]}\n{self.result.stderr[-3000:]}\n" + \
            "\n".join(p.read_text()[-2000:] for p in logs)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Graded:
    return Graded(tmp_path_factory.mktemp("hostile_text"))


def test_every_text_attack_folder_exists():
    assert all((HOSTILE / name / "toy.py").is_file() for name in TEXT_ATTACKS)


def test_the_batch_finishes_with_a_gradebook_and_the_expected_scores(graded):
    assert graded.result.returncode == 0, graded.explain()
    with (graded.out / "gradebook.csv").open(encoding="utf-8", newline="") as f:
        rows = {from_csv_cell(r["student"]): r for r in csv.DictReader(f)}
    assert sorted(rows) == sorted(EXPECTED)
    for student, score in EXPECTED.items():
        assert float(rows[student]["toy"]) == score, (student, graded.results(student)["tests"])
        assert graded.results(student)["score"] == score, student
        assert (graded.out / student / "feedback.md").is_file(), student


def test_every_results_file_stays_below_the_cap_and_each_test_below_a_few_kb(graded):
    sizes = {p.parent.name: p.stat().st_size for p in graded.out.glob("*/toy.json")}
    assert len(sizes) == len(EXPECTED)
    assert max(sizes.values()) <= RESULTS_LIMIT, sizes
    for student in ("huge_message", "forged_reply", "surrogate_text"):
        for test in graded.results(student)["tests"]:
            assert len(test["output"]) <= FEEDBACK_LIMIT + 100, (student, test["name"])


def test_the_trusted_processes_memory_stays_flat(graded):
    peaks = [float(m) for log in (graded.out / ".logs").glob("slot-*.log")
             for m in re.findall(re.escape(PEAK_MEMORY) + r" (\d+) MB", log.read_text())]
    assert len(peaks) == 2, graded.explain()
    assert max(peaks) < PEAK_CAP_MB, peaks


def test_text_from_the_worker_arrives_valid_visible_and_capped(graded):
    surrogate = graded.tests("surrogate_text")
    assert "bad \\ud800 end" in surrogate["test_add_small_numbers"]["output"]
    forged = graded.tests("forged_reply")["test_add_small_numbers"]["output"]
    assert "\\ud800\\x1b[2J[bold red]MMMM" in forged and "more characters cut" in forged
    assert "\x1b" not in forged and len(forged) < FEEDBACK_LIMIT + 100
    # a million empty lists are refused before they are parsed
    assert "reply of more than" in graded.tests("forged_reply")["test_total_of_list"]["output"]
    huge = graded.tests("huge_message")
    assert len(huge["test_add_small_numbers"]["output"]) < FEEDBACK_LIMIT + 100
    assert len(huge["test_total_of_list"]["output"]) < 1000  # the test shows 300 characters
    assert huge["test_scale_does_not_modify_input"]["status"] == "failed"


def test_hidden_inputs_never_reach_a_public_test_and_hidden_tests_show_no_student_text(graded):
    tests = graded.tests("record_inputs")
    public = [t for t in tests.values() if t["visibility"] == "visible"]
    hidden = [t for t in tests.values() if t["visibility"] != "visible"]
    assert public and hidden
    for test in public:
        assert "SEEN:" in test["output"], test  # what it recorded is shown, but only public
        assert not any(marker in test["output"] for marker in HIDDEN_INPUTS), test["output"]
    for test in hidden:
        assert "SEEN" not in test["output"] and "array(" not in test["output"], test
        assert "SEEN:" in test["extra_data"]["detail"]  # kept for the staff, not shown
    feedback = graded.feedback("record_inputs")
    assert not any(marker in feedback for marker in HIDDEN_INPUTS), feedback


def test_a_hidden_test_that_fails_by_an_exception_says_so_in_feedback(graded):
    hidden = graded.tests("surrogate_text")["test_scale_does_not_modify_input"]
    assert hidden["output"] == "your code raised ValueError"
    feedback = graded.feedback("surrogate_text")
    section = feedback.split("test_scale_does_not_modify_input", 1)[1]
    assert "your code raised ValueError" in section.split("###")[0]
    assert "\\udfff" not in feedback.split("test_add_arrays", 1)[1]  # its message: not shown


def _outside_fences(markdown: str) -> list[str]:
    """The lines of a Markdown text that are not inside a fenced code block (CommonMark: a
    fence closes only with a run of backticks at least as long as the one that opened it)."""
    lines, fence = [], 0
    for line in markdown.splitlines():
        run = len(line) - len(line.lstrip("`")) if line.startswith("```") else 0
        if fence and run >= fence and not line.strip("`"):
            fence = 0
        elif not fence and run:
            fence = run
        elif not fence:
            lines.append(line)
    return lines


def test_markdown_keeps_student_text_inside_its_fences(graded):
    feedback = graded.feedback("markup_text")
    assert "**Total: 6 / 6**" in feedback  # the forged line is there, quoted
    assert "**Total: 6 / 6**" not in _outside_fences(feedback)
    assert _outside_fences(feedback).count("**Total: 0 / 6**") == 1


def test_junit_is_valid_xml_whatever_the_students_wrote(graded):
    root = ET.parse(graded.junit).getroot()
    text = graded.junit.read_text(encoding="utf-8")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text)
    failures = [f.text or "" for f in root.iter("failure") if "FAKE PASS" in (f.text or "")]
    assert failures and all("</failure>" in f and "\\x1b" in f for f in failures)


def test_ids_are_plain_text_in_the_terminal_and_never_a_formula_in_the_gradebook(graded):
    stdout = graded.result.stdout
    assert "\x1b" not in stdout
    for raw in ("[bold red]boom", "[link=https:evil.example]click", "esc\\x1b[2Jname",
                "\\xb1\\xe8\\xb9\\xce\\xc1\\xf6"):
        assert raw in stdout, raw  # Rich would have eaten the markup
    cells = [row[0] for row in csv.reader((graded.out / "gradebook.csv").open(encoding="utf-8"))]
    assert "'=HYPERLINK(\"https:evil.example\",\"x\")" in cells and "'@SUM(1+1)" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)


@pytest.mark.parametrize("form", FORBIDDEN_FORMS)
def test_forbidden_api_evasion_is_found(graded, form):
    output = graded.tests(form)["test_total_of_list"]["output"]
    assert "[hint:forbidden-api]" in output, output
    if form in DYNAMIC_FORMS:
        assert "cannot check" in output, output


def test_check_prints_student_text_as_plain_text(graded):
    result = run_autograder("check", "toy", str(graded.klass / "markup_text"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[bold red]FAKE PASS[/bold red]" in result.stdout.replace("\n", "")[:100_000] or \
        "[bold red]FAKE" in result.stdout, result.stdout
    assert "\x1b" not in result.stdout
