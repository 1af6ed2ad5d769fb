"""The class report renders in a real browser: headless Chromium takes a screenshot of it.

Skipped where /usr/bin/chromium is missing (`apt-get install -y chromium` provides it).
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import numpy as np
import pytest

from autograder.report import write_class_report
from tests.engine.fake_class import make_fake_out

CHROMIUM = Path("/usr/bin/chromium")
WIDTH, HEIGHT = 1200, 2000
HISTOGRAM_BLUE = (0x4C, 0x72, 0xB0)  # the bars of the embedded PNG charts
PASS_GREEN = (0x2D, 0xA4, 0x4E)  # the CSS pass-rate bars

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")


def screenshot(page: Path, shot: Path, profile: Path, timeout: float = 120) -> str:
    """Render ``page`` into ``shot`` with headless Chromium; returns its stderr."""
    argv = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={shot}",
        f"--window-size={WIDTH},{HEIGHT}", page.resolve().as_uri(),
    ]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stderr = f"chromium timed out after {timeout} s"
    finally:  # Chromium's helper processes share its new session: end them all
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    return stderr


def has_colour(rgb: np.ndarray, colour: tuple[int, int, int], pixels: int = 200) -> bool:
    close = np.abs(rgb.astype(int) - np.array(colour)).max(axis=2) <= 8
    return int(close.sum()) >= pixels


def test_report_renders_in_chromium(tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    report = write_class_report(make_fake_out(tmp_path / "grades"))
    shot = tmp_path / "shot.png"
    stderr = screenshot(report, shot, tmp_path / "profile")
    assert shot.is_file(), f"no screenshot; chromium said:\n{stderr[-3000:]}"
    assert shot.stat().st_size > 20_000, "the screenshot is (nearly) empty"
    with image.open(shot) as img:
        rgb = np.asarray(img.convert("RGB"))
    assert rgb.shape[:2] == (HEIGHT, WIDTH)
    assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 50, "the page is (nearly) one colour"
    ink = rgb.sum(axis=2) < 200  # dark text
    assert ink[:200].any() and ink[HEIGHT // 2:].any(), "text only in part of the page"
    assert has_colour(rgb, HISTOGRAM_BLUE), "the embedded histogram PNGs are not displayed"
    assert has_colour(rgb, PASS_GREEN), "the inline CSS (pass-rate bars) is not applied"
