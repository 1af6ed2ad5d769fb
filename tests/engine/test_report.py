"""The instructors' class report (autograder/outputs/class_report.py) on a small fake class."""

from __future__ import annotations

import base64
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from autograder.course.deadlines import Lateness, write_late
from autograder.course.hints import explain
from autograder.outputs import class_report as report_module
from autograder.outputs.class_report import write_class_report
from tests.engine.fake_class import SCRIPT, make_fake_out


class _Page(HTMLParser):
    """Collects the tables (rows of cell texts), the <h2> headings and the <img> sources."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []  # (the <h2> above, rows)
        self.headings: list[str] = []
        self.images: list[str] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "table":
            self.tables.append((self.headings[-1] if self.headings else "", []))
        elif tag == "tr":
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "h2":
            self._heading = []
        elif tag == "img":
            self.images.append(dict(attrs).get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "h2" and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        for sink in (self._cell, self._heading):
            if sink is not None:
                sink.append(data)

    def table(self, heading: str) -> list[dict[str, str]]:
        """The rows, as dicts keyed by the header, of the table under the heading."""
        for above, (header, *rows) in self.tables:
            if above.startswith(heading):
                return [dict(zip(header, row, strict=True)) for row in rows]
        raise AssertionError(f"no table under {heading!r}")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, _Page]:
    out = make_fake_out(tmp_path_factory.mktemp("grades"))
    path = write_class_report(out)
    text = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    return path, text, page


def test_written_to_out_by_default_or_where_asked(report: tuple[Path, str, _Page],
                                                  tmp_path: Path) -> None:
    path, _, _ = report
    assert path == path.parent / "report.html"
    assert (path.parent / "gradebook.csv").is_file()
    elsewhere = write_class_report(path.parent, tmp_path / "sub" / "class.html")
    assert elsewhere == tmp_path / "sub" / "class.html"
    assert elsewhere.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not [p.name for p in (tmp_path / "sub").iterdir() if p.name != "class.html"]


def test_score_summary(report: tuple[Path, str, _Page]) -> None:
    rows = {r["assignment"]: r for r in report[2].table("Scores")}
    assert set(rows) == {"a1_losses", "a4_logistic_regression", "total"}
    # a1: 10, 5, 5, 0 (dave: the stub); a4: 7, 6 graded, carol could not be graded, dave did
    # not submit: both counted apart, outside the statistics; total: 17, 11, 0 (not carol)
    assert (rows["a1_losses"]["graded"], rows["a1_losses"]["mean"]) == ("4", "5")
    assert (rows["a1_losses"]["max score"], rows["a1_losses"]["full marks"]) == ("10", "1")
    a4 = rows["a4_logistic_regression"]
    assert (a4["graded"], a4["not submitted"], a4["could not grade"]) == ("2", "1", "1")
    assert (a4["mean"], a4["median"]) == ("6.50", "6.50")
    assert (rows["total"]["graded"], rows["total"]["mean"], rows["total"]["max score"]) == (
        "3", "9.33", "20")


def test_pass_rate_per_function(report: tuple[Path, str, _Page]) -> None:
    rows = {(r["assignment"], r["function"]): r for r in report[2].table("Pass rate")}
    assert rows["a1_losses", "mse"]["tests passed"] == "4 / 8"
    assert rows["a1_losses", "mse"]["pass rate"] == "50%"
    assert "mse-no-mean ×2" in rows["a1_losses", "mse"]["most common hints"]
    assert rows["a4_logistic_regression", "softmax"]["tests passed"] == "2 / 2"
    # bob's sigmoid test timed out: counted apart, neither passed nor failed
    sigmoid = rows["a4_logistic_regression", "sigmoid"]
    assert (sigmoid["tests passed"], sigmoid["timed out"]) == ("1 / 1", "1")
    assert len(rows) == 6


def test_misconceptions_ranked_by_students_without_not_implemented(
        report: tuple[Path, str, _Page]) -> None:
    rows = report[2].table("Most frequent misconceptions")
    assert rows[0]["hint"] == "mse-no-mean"  # two students; every other hint has one
    assert [int(r["students"]) for r in rows] == sorted((int(r["students"]) for r in rows),
                                                        reverse=True)
    by_id = {r["hint"]: r for r in rows}
    assert set(by_id) == {"mse-no-mean", "bce-sign", "r2-inverted", "split-unpaired"}
    assert (by_id["mse-no-mean"]["failed tests"], by_id["mse-no-mean"]["students"]) == ("2", "2")
    assert by_id["mse-no-mean"]["who"] == "bob, carol"
    assert by_id["mse-no-mean"]["where"] == "a1_losses: mse"
    assert by_id["mse-no-mean"]["explanation"] == explain("mse-no-mean")
    assert by_id["bce-sign"]["who"] == "alice"
    assert "gd-ascent" not in report[1]  # only in passed tests' output


def test_not_submitted_could_not_grade_and_timed_out_are_apart(
        report: tuple[Path, str, _Page]) -> None:
    page = report[2]
    assert page.table("Not submitted") == [
        {"assignment": "a4_logistic_regression", "students": "1", "who": "dave"}]
    failed = page.table("Could not grade")
    assert [(r["student"], r["assignment"]) for r in failed] == [("carol", "a4_logistic_regression")]
    assert failed[0]["reason"].startswith("SyntaxError: invalid syntax")
    timed_out = page.table("Timed out")
    assert [(r["student"], r["assignment"]) for r in timed_out] == [("bob", "a4_logistic_regression")]
    assert "timed out after 10 s" in timed_out[0]["tests"]


def test_every_student_in_the_student_table(report: tuple[Path, str, _Page]) -> None:
    rows = {r["student"]: r for r in report[2].table("Students")}
    assert set(rows) == {"alice", "bob", "carol", "dave"}
    assert (rows["alice"]["total"], rows["alice"]["a1_losses"]) == ("17", "10")
    assert rows["dave"]["a4_logistic_regression"] == "not submitted"  # an empty score, a tag
    assert rows["carol"]["a4_logistic_regression"] == "0could not grade"
    assert rows["bob"]["a4_logistic_regression"] == "6timed out"
    assert rows["bob"]["feedback"] == ""  # the fake OUT has no feedback files


def test_student_table_links_results_and_feedback(tmp_path: Path) -> None:
    out = make_fake_out(tmp_path / "grades")
    (out / "bob" / "feedback.md").write_text("# Feedback for bob\n", encoding="utf-8")
    text = write_class_report(out, tmp_path / "elsewhere" / "class.html").read_text(encoding="utf-8")
    assert 'href="../grades/bob/a1_losses.json"' in text
    assert 'href="../grades/bob/feedback.md"' in text
    assert 'href="../grades/dave/a4_logistic_regression.json"' in text  # the reason is there


def test_late_penalty_shown_in_final_scores(tmp_path: Path) -> None:
    out = make_fake_out(tmp_path / "grades")
    late = Lateness(due="2026-10-05T23:59:00+09:00", submitted_at="2026-10-07T10:00:00+09:00",
                    source="nbgrader timestamp.txt", detail="timestamp.txt", extension="",
                    late_seconds=122_460.0, penalty_percent=20.0)
    write_late(out, {"bob": {"a1_losses": late}})
    page = _Page()
    page.feed(write_class_report(out).read_text(encoding="utf-8"))
    bob = {r["student"]: r for r in page.table("Students")}["bob"]
    assert bob["a1_losses"] == "3late −20%"  # 5 raw − 20% of 10
    assert bob["total"] == "9"


def test_titled_with_the_course_not_the_folder(tmp_path: Path) -> None:
    out = make_fake_out(tmp_path / "grades")
    page = _Page()
    page.feed(write_class_report(out).read_text(encoding="utf-8"))
    course = tmp_path / "course"
    course.mkdir()
    (course / "course.yml").write_text('title: "딥러닝 기초 <b>"\nassignments: []\n',
                                       encoding="utf-8")
    text = write_class_report(out, root=course).read_text(encoding="utf-8")
    assert "<h1>Class report: 딥러닝 기초 &lt;b&gt;</h1>" in text
    assert "grades" not in text.split("</h1>")[0]


def test_files_readable_by_the_group(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    os.umask(mask)
    report = write_class_report(make_fake_out(tmp_path / "grades"))
    assert stat.S_IMODE(report.stat().st_mode) == 0o666 & ~mask


def test_slowest_tests(report: tuple[Path, str, _Page]) -> None:
    rows = report[2].table("Slowest tests")
    assert rows[0] == {"seconds": "10.50", "student": "bob", "assignment": "a4_logistic_regression",
                       "test": "test_sigmoid_values", "function": "sigmoid", "status": "failed"}
    assert len(rows) == 15
    assert [float(r["seconds"]) for r in rows] == sorted((float(r["seconds"]) for r in rows),
                                                         reverse=True)


def test_untrusted_output_is_escaped(report: tuple[Path, str, _Page]) -> None:
    _, text, page = report
    assert SCRIPT not in text
    assert page.tags.count("script") == 1  # ours: sorting and filtering, loads nothing
    assert "<script>" + report_module.SCRIPT + "</script>" in text
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in text
    assert SCRIPT in page.table("Could not grade")[0]["reason"]  # shown, as text


def test_self_contained(report: tuple[Path, str, _Page]) -> None:
    text = report[1]
    external = r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//"""
    assert not re.search(external, text, re.IGNORECASE)
    assert not re.search(r"url\(|@import|<link|<iframe|<object", text, re.IGNORECASE)
    assert not re.search(r"https?://", text)


def test_histograms_are_embedded_pngs(report: tuple[Path, str, _Page]) -> None:
    images = report[2].images
    assert len(images) == 3  # a1, a4, total
    for src in images:
        assert src.startswith("data:image/png;base64,")
        png = base64.b64decode(src.removeprefix("data:image/png;base64,"), validate=True)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(png) > 2000


def test_robust_to_a_broken_results_file(tmp_path: Path) -> None:
    out = make_fake_out(tmp_path / "grades")
    (out / "alice" / "a1_losses.json").write_text("{ not json", encoding="utf-8")
    (out / "alice" / ".a4_logistic_regression.json.tmp").write_text("partial", encoding="utf-8")
    page = _Page()
    page.feed(write_class_report(out).read_text(encoding="utf-8"))
    reasons = {(r["student"], r["assignment"]): r["reason"] for r in page.table("Could not grade")}
    assert reasons["alice", "a1_losses"].startswith("unreadable results file")
    assert len(reasons) == 2


def test_a_missing_results_file_is_not_taken_for_not_submitted(tmp_path: Path) -> None:
    out = make_fake_out(tmp_path / "grades")
    (out / "bob" / "a4_logistic_regression.json").unlink()  # a run that was killed
    page = _Page()
    page.feed(write_class_report(out).read_text(encoding="utf-8"))
    reasons = {(r["student"], r["assignment"]): r["reason"] for r in page.table("Could not grade")}
    assert reasons["bob", "a4_logistic_regression"] == "no results file: the grading did not finish"
    assert page.table("Not submitted")[0]["who"] == "dave"
