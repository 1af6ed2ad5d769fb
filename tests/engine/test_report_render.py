"""The class report in a real browser: headless Chromium, at a desktop and a phone width.

`--dump-dom` gives the page after its script ran (the student table sorted and filtered
from the link's #fragment); screenshots show that it renders, charts and styles included,
and that nothing runs off a narrow window. Skipped where /usr/bin/chromium is missing
(`apt-get install -y chromium` provides it; CI installs it).
"""

from __future__ import annotations

import os
import signal
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from autograder.outputs.class_report import write_class_report
from tests.engine.fake_class import make_fake_out

CHROMIUM = Path("/usr/bin/chromium")
WIDTHS = (1280, 420)
HEIGHTS = {1280: 2400, 420: 4800}  # tall enough to reach the pass-rate bars
HISTOGRAM_BLUE = (0x4C, 0x72, 0xB0)  # the bars of the embedded PNG charts
PASS_GREEN = (0x2D, 0xA4, 0x4E)  # the CSS pass-rate bars (scrolled into view only when wide)
TAG_BACKGROUND = (0xFF, 0xF1, 0xE5)  # the CSS status tags ("not submitted", "timed out")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")


def chromium(url: str, profile: Path, *what: str, width: int = WIDTHS[0],
             timeout: float = 120) -> tuple[str, str]:
    """Run headless Chromium on ``url``; returns its stdout (the DOM for --dump-dom) and stderr."""
    argv = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
        f"--window-size={width},{HEIGHTS[width]}", *what, url,
    ]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stdout, stderr = "", f"chromium timed out after {timeout} s"
    finally:  # Chromium's helper processes share its new session: end them all
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    return stdout, stderr


class _StudentRows(HTMLParser):
    """The student table's rows as (student, shown) in document order, and the #shown text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, bool]] = []
        self.shown = ""
        self._in: str | None = None
        self._hidden = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and "data-student" in a:
            self.rows.append((a["data-student"] or "", "hidden" not in a))
        elif a.get("id") == "shown":
            self._in = "shown"

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "shown":
            self.shown += data


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_class_report(make_fake_out(tmp_path_factory.mktemp("grades")))


def dom(report: Path, fragment: str, profile: Path, width: int) -> _StudentRows:
    stdout, stderr = chromium(f"{report.resolve().as_uri()}#{fragment}", profile, "--dump-dom",
                              width=width)
    assert "<table" in stdout, f"no DOM; chromium said:\n{stderr[-3000:]}"
    rows = _StudentRows()
    rows.feed(stdout)
    return rows


@pytest.mark.parametrize("width", WIDTHS)
def test_student_table_lists_everyone_once_the_script_ran(report: Path, tmp_path: Path,
                                                          width: int) -> None:
    everyone = dom(report, "", tmp_path / "p1", width)
    assert everyone.rows == [(s, True) for s in ("alice", "bob", "carol", "dave")]
    assert everyone.shown == "4 of 4 students"  # written by the script: it ran


def test_student_table_filters_and_sorts_in_the_browser(report: Path, tmp_path: Path) -> None:
    width = WIDTHS[0]
    missing = dom(report, "show=not_submitted", tmp_path / "p2", width)
    assert [s for s, shown in missing.rows if shown] == ["dave"]
    assert missing.shown == "1 of 4 students"
    found = dom(report, "find=CA", tmp_path / "p3", width)
    assert [s for s, shown in found.rows if shown] == ["carol"]
    by_total = dom(report, "sort=total&desc", tmp_path / "p4", width)
    assert [s for s, _ in by_total.rows] == ["alice", "bob", "carol", "dave"]  # 17, 11, 5, 0
    by_a4 = dom(report, "sort=a4_logistic_regression", tmp_path / "p5", width)
    assert [s for s, _ in by_a4.rows] == ["carol", "bob", "alice", "dave"]  # 0, 6, 7, empty last


def has_colour(rgb: np.ndarray, colour: tuple[int, int, int], pixels: int = 200) -> bool:
    close = np.abs(rgb.astype(int) - np.array(colour)).max(axis=2) <= 8
    return int(close.sum()) >= pixels


@pytest.mark.parametrize("width", WIDTHS)
def test_report_renders_at_desktop_and_phone_width(report: Path, tmp_path: Path,
                                                   width: int) -> None:
    image = pytest.importorskip("PIL.Image")
    shot = Path(os.environ.get("REPORT_SHOTS", tmp_path)) / f"report-{width}.png"
    _, stderr = chromium(report.resolve().as_uri(), tmp_path / "profile",
                         f"--screenshot={shot}", width=width)
    assert shot.is_file(), f"no screenshot; chromium said:\n{stderr[-3000:]}"
    with image.open(shot) as img:
        rgb = np.asarray(img.convert("RGB"))
    height = HEIGHTS[width]
    assert rgb.shape[:2] == (height, width)
    assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 50, "the page is (nearly) one colour"
    ink = rgb.sum(axis=2) < 200  # dark text
    assert ink[:200].any() and ink[height // 2:].any(), "text only in part of the page"
    assert has_colour(rgb, HISTOGRAM_BLUE), "the embedded histogram PNGs are not displayed"
    assert has_colour(rgb, TAG_BACKGROUND), "the inline CSS (status tags) is not applied"
    if width >= 1000:
        assert has_colour(rgb, PASS_GREEN), "the pass-rate bars are not displayed"
    # nothing runs off the window: wide tables scroll inside their box, text wraps
    assert not ink[:, -4:].any(), "text reaches the right edge of the window: the page overflows"
