"""The catalogues: the engine's words and hints, with a course's course/ files over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.course import catalogue, hints, messages
from autograder.course.layout import Layout
from tests.engine.conftest import TOY

NO_COURSE_FILES = Layout(TOY / "no-such-folder")  # a course without a course/ folder

def course_with(tmp_path: Path, name: str, text: str) -> Layout:
    (tmp_path / "course.yml").write_text("title: t\nassignments: []\n")
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / name).write_text(text, encoding="utf-8")
    return Layout(tmp_path)


def test_a_course_adds_its_hints_to_the_engine_ones(tmp_path):
    layout = course_with(tmp_path, "hints.yml", 'own-id:\n  en: "mine"\n  ko: "내 것"\n')
    assert hints.hint_ids(layout) == hints.hint_ids(NO_COURSE_FILES) | {"own-id"}
    assert hints.explain("own-id", "ko", layout) == "내 것"
    assert "not-implemented" in hints.hint_ids(layout)  # the engine names it itself


def test_without_course_files_only_the_engine_words_are_there():
    assert hints.hint_ids(NO_COURSE_FILES) == {"forbidden-api", "not-implemented", "returns-none",
                                           "shape-extra-axis"}
    with pytest.raises(KeyError):
        hints.explain("mse-rmse", layout=NO_COURSE_FILES)


def test_a_course_rewords_an_engine_message_in_both_languages(tmp_path, monkeypatch):
    layout = course_with(tmp_path, "messages.yml",
                         'timed-out:\n  en: "too slow ({seconds} s)"\n  ko: "너무 느림 ({seconds}초)"\n')
    monkeypatch.setattr(catalogue, "_course", layout)
    monkeypatch.setattr(catalogue, "_looked", True)
    assert messages.text("timed-out", "en", seconds=3) == "too slow (3 s)"
    assert messages.text("timed-out", "ko", seconds=3) == "너무 느림 (3초)"
    assert messages.text("not-submitted", "en") == "not submitted"  # the engine's, kept


def test_a_course_text_missing_a_language_is_refused(tmp_path):
    layout = course_with(tmp_path, "hints.yml", 'own-id:\n  en: "mine"\n')
    with pytest.raises(ValueError, match="non-empty"):
        hints.hint_ids(layout)
