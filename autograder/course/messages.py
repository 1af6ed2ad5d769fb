"""The engine's own words in English and Korean: one catalogue, `messages.yml`.

`text(key, lang, **params)` formats a message; without `lang` it uses the language the
grading process was started with (`set_language`, from `--ag-lang`), so the helpers that
tests call (autograder.testing) speak the student's language without a parameter each.
"""

from __future__ import annotations

from pathlib import Path

from autograder.course.hints import LANGS, load_catalogue

PATH = Path(__file__).with_name("messages.yml")
_language = "en"


def set_language(lang: str) -> None:
    global _language
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    _language = lang


def language() -> str:
    return _language


def text(key: str, lang: str | None = None, **params: object) -> str:
    """The message `key` in `lang` (default: the process's language), formatted with params."""
    return load_catalogue(PATH)[key][lang or _language].format(**params)
