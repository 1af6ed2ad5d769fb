"""The misconception hints: stable ids (shared/spec/misconceptions.md) and their explanations.

Graded tests put only the id in their feedback, as the literal text ``[hint:ID]``;
the explanations, in English and Korean, live in ``hints.yml`` next to this module.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

LANGS = ("en", "ko")
_CATALOGUE_PATH = Path(__file__).with_name("hints.yml")
_MARKER = re.compile(r"\[hint:([a-z0-9]+(?:-[a-z0-9]+)*)\]")


@cache
def load_catalogue(path: Path) -> dict[str, dict[str, str]]:
    """Read and check an id -> {en, ko} catalogue (hints.yml, messages.yml), once per process."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TypeError(f"{path}: expected a mapping of ids")
    for key, texts in data.items():
        if not isinstance(texts, dict) or any(
            not isinstance(texts.get(lang), str) or not texts[lang].strip() for lang in LANGS
        ):
            raise ValueError(f"{path}: {key!r} needs non-empty {LANGS} texts")
    return data


def _catalogue() -> dict[str, dict[str, str]]:
    return load_catalogue(_CATALOGUE_PATH)


HINT_IDS: frozenset[str] = frozenset(_catalogue())


def explain(hint_id: str, lang: str = "en") -> str:
    """The explanation of ``hint_id`` in ``lang`` ("en" or "ko"); KeyError for an unknown id."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    return _catalogue()[hint_id][lang]


def find_hints(text: str) -> list[str]:
    """The hint ids of the ``[hint:ID]`` markers in ``text``, each once, in order of appearance."""
    return list(dict.fromkeys(_MARKER.findall(text)))
