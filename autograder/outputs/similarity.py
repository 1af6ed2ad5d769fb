"""Similarity across the class (유사도): which submissions share code, as evidence for a person.

Uses copydetect (MIT; the winnowing fingerprints of Stanford's MOSS): each module is read as
text (`submission.read_module`: a notebook's code cells, never executed or imported),
tokenized by Pygments with names and strings normalised, so renaming variables does not hide
a copy, and fingerprinted. Fingerprints of the code every student was given — the released
stub `assignments/SLUG/<module>.py` and the lecture notebook `notebooks/SLUG.py` — are
boilerplate and never count. The report lists the closest pairs with the shared code
highlighted; it decides nothing.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from copydetect import CodeFingerprint, compare_files
from copydetect.defaults import GUARANTEE_THRESHOLD, NOISE_THRESHOLD
from copydetect.utils import highlight_overlap

from autograder.course.config import Assignment
from autograder.intake.submission import SubmissionProblem, read_module
from autograder.outputs.store import write_atomic

TOP_PAIRS = 50  # pairs shown in the report, closest first
CANDIDATES = 4 * TOP_PAIRS  # pairs compared token by token after the fingerprint ranking
OPEN_PAIRS = 3  # pairs shown unfolded
CONTEXT_LINES = 6  # lines kept around each shared stretch in the side-by-side view
WINDOW = GUARANTEE_THRESHOLD - NOISE_THRESHOLD + 1  # copydetect's own default window

DISCLAIMER = (
    "Evidence, not verdicts. A high similarity means two submissions share sequences of "
    "tokens (names and strings normalised) beyond the released stub and the lecture's "
    "examples. Short functions written from the same lecture can look alike, and students may "
    "have worked together as allowed. Read the highlighted code and talk with the students "
    "before drawing any conclusion; this report decides nothing."
)


@dataclass(frozen=True)
class Pair:
    first: str
    second: str
    similarity: tuple[float, float]  # the share of each one's code found in the other
    tokens: int  # overlapping tokens
    sources: tuple[str, str]
    slices: tuple[Any, Any]  # copydetect's 2×N arrays: where the shared code is in each source

    @property
    def closeness(self) -> float:
        return max(self.similarity)

    def highlighted(self) -> tuple[str, str]:
        """Both sources as escaped HTML, the shared code in <mark> (only for the pairs shown:
        it costs more than the comparison)."""
        first, second = (
            highlight_overlap(source, part, "<mark>", "</mark>", truncate=CONTEXT_LINES,
                              escape_html=True)[0]
            for source, part in zip(self.sources, self.slices, strict=True))
        return first, second


def _fingerprint(name: str, source: str, boilerplate: list[int]) -> CodeFingerprint:
    # `fp` makes copydetect tokenize this text; `name` is only a label (and picks no lexer:
    # the language is given)
    return CodeFingerprint(name, NOISE_THRESHOLD, WINDOW, boilerplate=boilerplate,
                           language="python", fp=io.StringIO(source))


def boilerplate_files(root: Path, assignment: Assignment) -> list[Path]:
    """The code every student was handed: the stub and the lecture notebook (as jupytext)."""
    candidates = [root / "assignments" / assignment.slug / f"{assignment.module}.py",
                  root / "notebooks" / f"{assignment.slug}.py"]
    return [path for path in candidates if path.is_file()]


def compare_class(assignment: Assignment, roster: dict[str, Path], boilerplate: list[Path]
                  ) -> tuple[list[Pair], dict[str, str]]:
    """The pairs of the class that share the most code (at most CANDIDATES), closest first, and
    the students not compared (with the reason: nothing submitted, unreadable, ...)."""
    hashes: list[int] = []
    for path in boilerplate:
        hashes += list(_fingerprint(path.name, path.read_text(encoding="utf-8"), []).hashes)
    prints: dict[str, CodeFingerprint] = {}
    skipped: dict[str, str] = {}
    for student, folder in sorted(roster.items()):
        try:
            module = read_module(folder, assignment.slug, assignment.module)
        except SubmissionProblem as exc:
            skipped[student] = str(exc)
            continue
        fingerprint = _fingerprint(f"{student}/{module.path.name}", module.source, hashes)
        if not fingerprint.hashes:
            skipped[student] = "nothing beyond the released code"
            continue
        prints[student] = fingerprint
    # every pair by the share of fingerprints in common (a set intersection: cheap), then
    # copydetect's token-level comparison for the closest candidates only (~2 ms a pair)
    shared: list[tuple[float, str, str]] = []
    for first, second in combinations(sorted(prints), 2):
        a, b = prints[first].hashes, prints[second].hashes
        if common := len(a & b):
            shared.append((common / min(len(a), len(b)), first, second))
    shared.sort(key=lambda c: (-c[0], c[1], c[2]))
    pairs = []
    for _, first, second in shared[:CANDIDATES]:
        a, b = prints[first], prints[second]
        tokens, similarity, slices = compare_files(a, b)
        if tokens:
            pairs.append(Pair(first, second, (float(similarity[0]), float(similarity[1])),
                              int(tokens), (a.raw_code, b.raw_code), slices))
    pairs.sort(key=lambda p: (-p.closeness, -p.tokens, p.first, p.second))
    return pairs, skipped


CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 1200px;
       padding: 0 1rem; color: #1f2328; line-height: 1.4; }
.note { border-left: 4px solid #bf8700; background: #fff8c5; padding: .6rem 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; }
td.num { text-align: right; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr));
        gap: .5rem; }
pre { background: #f6f8fa; padding: .5rem; overflow: auto; font-size: .8rem; max-height: 30rem; }
mark { background: #ffd8b5; }
summary { cursor: pointer; color: #0969da; }
"""


def render(assignment: Assignment, pairs: list[Pair], skipped: dict[str, str], compared: int,
           boilerplate: list[str], title: str) -> str:
    esc = html.escape
    shown = pairs[:TOP_PAIRS]
    rows = "".join(
        f'<tr><td><a href="#pair-{i}">{esc(p.first)} – {esc(p.second)}</a></td>'
        f'<td class="num">{p.similarity[0]:.0%}</td><td class="num">{p.similarity[1]:.0%}</td>'
        f'<td class="num">{p.tokens}</td></tr>'
        for i, p in enumerate(shown))
    details = []
    for i, p in enumerate(shown):  # the closest few open: the evidence without a click
        first, second = p.highlighted()
        details.append(
            f'<details id="pair-{i}"{" open" if i < OPEN_PAIRS else ""}>'
            f"<summary>{esc(p.first)} ({p.similarity[0]:.0%}) – {esc(p.second)} "
            f'({p.similarity[1]:.0%})</summary><div class="pair">'
            f"<div><h3>{esc(p.first)}</h3><pre>{first}</pre></div>"
            f"<div><h3>{esc(p.second)}</h3><pre>{second}</pre></div></div></details>")
    skipped_rows = "".join(f"<tr><td>{esc(s)}</td><td>{esc(r)}</td></tr>"
                           for s, r in sorted(skipped.items()))
    ignored = ", ".join(esc(name) for name in boilerplate) or "none found"
    table = (f"<table><thead><tr><th>pair</th><th>first's code in second</th>"
             f"<th>second's code in first</th><th>shared tokens</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>" if shown else "<p>No two submissions share code "
             "beyond the released code.</p>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{esc(title)}</h1><p class=\"note\"><b>{esc(DISCLAIMER)}</b></p>"
        f"<p>{compared} submissions of <code>{esc(assignment.module)}</code> compared "
        f"(the closest {len(shown)} pairs that share code are shown). Ignored as "
        f"handed out: {ignored}. Method: copydetect (winnowing, k = {NOISE_THRESHOLD} "
        "tokens).</p>"
        f"<h2>Closest pairs</h2>{table}{''.join(details)}"
        f"<h2>Not compared ({len(skipped)})</h2>"
        + (f"<table><tbody>{skipped_rows}</tbody></table>" if skipped else "<p>none</p>")
        + "</body></html>\n"
    )


def write_similarity_report(out: Path, assignment: Assignment, roster: dict[str, Path],
                            root: Path, course_title: str) -> tuple[Path, list[Pair]]:
    """OUT/similarity-<slug>.html; returns its path and the pairs, closest first."""
    boilerplate = boilerplate_files(root, assignment)
    pairs, skipped = compare_class(assignment, roster, boilerplate)
    title = f"Similarity: {assignment.slug} — {course_title}"
    page = render(assignment, pairs, skipped, len(roster) - len(skipped),
                  [p.relative_to(root).as_posix() for p in boilerplate], title)
    path = out / f"similarity-{assignment.slug}.html"
    write_atomic(path, page)
    return path, pairs
