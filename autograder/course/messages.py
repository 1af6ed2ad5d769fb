"""The words a student or TA reads, in English and Korean: the engine's own (`messages.yml`
next to this module), and the course's (course/messages.yml beside course.yml), which adds
keys and may reword the engine's (autograder.course.catalogue).

`text(key, lang, **params)` formats a message; without `lang` it uses the language the
grading process was started with (`set_language`, from `--ag-lang`), so the helpers that
tests call (autograder.testing) speak the student's language without a parameter each.
"""

from __future__ import annotations

from pathlib import Path

from autograder.course import catalogue

ENGINE_MESSAGES = Path(__file__).with_name("messages.yml")
_language = "en"


def set_language(lang: str) -> None:
    global _language
    if lang not in catalogue.LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {catalogue.LANGS}")
    _language = lang


def language() -> str:
    return _language


def text(key: str, lang: str | None = None, **params: object) -> str:
    """The message `key` in `lang` (default: the process's language), formatted with params."""
    words = catalogue.load(ENGINE_MESSAGES, lambda course: course.messages_file)
    return words[key][lang or _language].format(**params)
