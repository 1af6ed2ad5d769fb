"""The instructors' class report (autograder/report.py) on a small fake class."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from autograder.hints import explain
from autograder.report import write_class_report
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
    # a1: 10, 5, 5; a4: 7, 6, 0 (carol's grading failed); total: 17, 11, 5
    assert (rows["a1_losses"]["graded"], rows["a1_losses"]["mean"]) == ("3", "6.67")
    assert (rows["a1_losses"]["max score"], rows["a1_losses"]["full marks"]) == ("10", "1")
    assert rows["a4_logistic_regression"]["median"] == "6"
    assert (rows["total"]["mean"], rows["total"]["max score"]) == ("11", "20")


def test_pass_rate_per_function(report: tuple[Path, str, _Page]) -> None:
    rows = {(r["assignment"], r["function"]): r for r in report[2].table("Pass rate")}
    assert rows["a1_losses", "mse"]["tests passed"] == "4 / 6"
    assert rows["a1_losses", "mse"]["pass rate"] == "67%"
    assert "mse-no-mean ×2" in rows["a1_losses", "mse"]["most common hints"]
    assert rows["a4_logistic_regression", "softmax"]["tests passed"] == "2 / 2"
    assert rows["a4_logistic_regression", "sigmoid"]["tests passed"] == "1 / 2"
    assert len(rows) == 6


def test_misconceptions_counted_in_failed_tests_only(report: tuple[Path, str, _Page]) -> None:
    rows = report[2].table("Most frequent misconceptions")
    assert rows[0]["hint"] == "mse-no-mean"  # the most frequent first
    by_id = {r["hint"]: r for r in rows}
    assert set(by_id) == {"mse-no-mean", "bce-sign", "r2-inverted", "split-unpaired"}
    assert (by_id["mse-no-mean"]["failed tests"], by_id["mse-no-mean"]["students"]) == ("2", "2")
    assert by_id["mse-no-mean"]["who"] == "bob, carol"
    assert by_id["mse-no-mean"]["where"] == "a1_losses: mse"
    assert by_id["mse-no-mean"]["explanation"] == explain("mse-no-mean")
    assert by_id["bce-sign"]["who"] == "alice"
    assert "gd-ascent" not in report[1]  # only in passed tests' output


def test_failed_and_timed_out_gradings(report: tuple[Path, str, _Page]) -> None:
    rows = report[2].table("Grading failed")
    assert [(r["student"], r["assignment"]) for r in rows] == [
        ("bob", "a4_logistic_regression"),
        ("carol", "a4_logistic_regression"),
    ]
    assert "timed out after 10 s" in rows[0]["reason"]
    assert rows[1]["reason"].startswith("SyntaxError: invalid syntax")


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
    assert "script" not in page.tags  # the report needs no script at all
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in text
    assert SCRIPT in page.table("Grading failed")[1]["reason"]  # shown, as text


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
    reasons = {(r["student"], r["assignment"]): r["reason"] for r in page.table("Grading failed")}
    assert reasons["alice", "a1_losses"].startswith("unreadable results file")
    assert len(reasons) == 3
