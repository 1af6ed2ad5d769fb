"""The hint catalogue (course/hints.yml over the engine's own) against shared/spec/misconceptions.md."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from autograder.course import hints
from autograder.course.layout import Layout

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO.parent / "shared" / "spec" / "misconceptions.md"
HINT_IDS = hints.hint_ids(Layout(REPO))
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def spec_ids() -> set[str]:
    """The ids in the first column of the misconception table."""
    if not SPEC.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{SPEC} is missing (CI must have shared/ beside the repo)")
        pytest.skip(f"{SPEC} not found: shared/spec is not beside this checkout")
    ids = re.findall(r"^\|\s*`([^`]+)`\s*\|", SPEC.read_text(encoding="utf-8"), re.MULTILINE)
    assert ids, f"no hint table found in {SPEC}"
    return set(ids)


def test_catalogue_has_exactly_the_spec_ids() -> None:
    expected = spec_ids()
    missing, extra = sorted(expected - HINT_IDS), sorted(HINT_IDS - expected)
    assert not missing, f"ids without an explanation in hints.yml: {missing}"
    assert not extra, f"ids in hints.yml but not in misconceptions.md: {extra}"


@pytest.mark.parametrize("hint_id", sorted(HINT_IDS))
def test_both_languages(hint_id: str) -> None:
    en, ko = hints.explain(hint_id), hints.explain(hint_id, "ko")
    assert en.strip() and ko.strip()
    assert not HANGUL.search(en), "the English text contains Hangul"
    assert HANGUL.search(ko), "the Korean text contains no Hangul"
    assert hints.find_hints(f"wrong value [hint:{hint_id}] see above") == [hint_id]


def test_explain_rejects_unknown_id_and_language() -> None:
    with pytest.raises(KeyError):
        hints.explain("no-such-hint")
    with pytest.raises(ValueError):
        hints.explain("mse-no-mean", "fr")


def test_find_hints() -> None:
    text = (
        "mse([1, 2], [1, 4]) returned 4.0, expected 2.0 [hint:mse-no-mean]\n"
        "grad: [hint:grad-no-2] and again [hint:mse-no-mean]; not a marker: hint:gd-ascent, [hint:]"
    )
    assert hints.find_hints(text) == ["mse-no-mean", "grad-no-2"]
    assert hints.find_hints("expected 3.0, got 2.5") == []
    assert hints.find_hints("") == []
