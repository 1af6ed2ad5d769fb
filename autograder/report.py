"""A class report for instructors: one self-contained HTML file from a grading folder.

``write_class_report(OUT)`` reads ``OUT/gradebook.csv`` and the Gradescope-style
``OUT/<student>/<slug>.json`` files that ``autograder grade`` writes and shows score
histograms, pass rates per graded function, the most frequent misconception hints,
the submissions whose grading failed or timed out, and the slowest tests.

The file opens offline: no external CSS, scripts or fonts; the charts are PNGs
(matplotlib, Agg) embedded as base64. Everything that comes from a submission (test
output, error text, even names) is escaped: it is untrusted.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import os
import statistics
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from autograder.hints import explain, find_hints

SLOWEST = 15  # rows in the "slowest tests" table
MAX_REASON = 2000  # characters of a failure reason shown


class Raw(str):
    """HTML that the report built itself; every other cell text is escaped."""

    __slots__ = ()


@dataclass
class ClassResults:
    """What the report needs from OUT."""

    students: list[str] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    # "total" or a slug -> student -> score
    scores: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))
    max_scores: dict[str, float] = field(default_factory=dict)
    results: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # (student, slug) -> reasons the grading failed or timed out
    failures: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))


def _num(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def load_results(out_dir: Path) -> ClassResults:
    """Read the gradebook and every results file of ``out_dir``."""
    data = ClassResults()
    gradebook = out_dir / "gradebook.csv"
    if gradebook.is_file():
        with gradebook.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            data.slugs = [c for c in header[1:] if c != "total"]
            for row in reader:
                if not row:
                    continue
                data.students.append(row[0])
                for column, cell in zip(header[1:], row[1:], strict=False):
                    if (score := _num(cell)) is not None:
                        data.scores[column][row[0]] = score

    for path in sorted(out_dir.glob("*/*.json")):
        if path.name.startswith(".") or path.parent.name.startswith("."):
            continue  # a temporary file of an atomic write
        student, slug = path.parent.name, path.stem
        if student not in data.students:
            data.students.append(student)
        if slug not in data.slugs:
            data.slugs.append(slug)
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(result, dict):
                raise TypeError("not a JSON object")
        except (OSError, ValueError, TypeError) as exc:
            data.failures[student, slug].append(f"unreadable results file: {exc}")
            continue
        data.results[student, slug] = result
        _note_result(data, student, slug, result)

    for student in data.students:  # a gradebook without totals: add them up
        if student not in data.scores["total"]:
            parts = [data.scores[s][student] for s in data.slugs if student in data.scores[s]]
            if parts:
                data.scores["total"][student] = sum(parts)
    if data.slugs and all(s in data.max_scores for s in data.slugs):
        data.max_scores["total"] = sum(data.max_scores[s] for s in data.slugs)
    return data


def _note_result(data: ClassResults, student: str, slug: str, result: dict[str, Any]) -> None:
    if (score := _num(result.get("score"))) is not None:
        data.scores[slug].setdefault(student, score)
    if (max_score := _num(result.get("max_score"))) is not None:
        data.max_scores[slug] = max(max_score, data.max_scores.get(slug, 0.0))
    extra = result.get("extra_data")
    if isinstance(extra, dict) and extra.get("error"):
        data.failures[student, slug].append(str(extra["error"]))
    top_output = str(result.get("output") or "")
    if "timed out" in top_output.lower():
        data.failures[student, slug].append(top_output)
    for test in _tests(result):
        output = str(test.get("output") or "")
        if "timed out" in output.lower():
            data.failures[student, slug].append(f"{test.get('name', '?')}: {output}")


def _tests(result: dict[str, Any]) -> list[dict[str, Any]]:
    tests = result.get("tests")
    return [t for t in tests if isinstance(t, dict)] if isinstance(tests, list) else []


def _function(test: dict[str, Any]) -> str:
    tags = test.get("tags")
    return str(tags[0]) if isinstance(tags, list) and tags else "(untagged)"


# ---------------------------------------------------------------- HTML helpers


def _esc(value: object) -> str:
    return value if isinstance(value, Raw) else html.escape(str(value))


def _table(headers: list[str], rows: list[list[object]], numeric: set[int] | None = None,
           widths: list[int] | None = None) -> Raw:
    """A table; ``numeric`` columns are right-aligned, ``widths`` are percentages."""
    numeric = numeric or set()
    cols = "".join(f'<col style="width:{w}%">' for w in widths or [])
    head = "".join(
        f'<th{" class=num" if i in numeric else ""}>{_esc(h)}</th>' for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td{" class=num" if i in numeric else ""}>{_esc(c)}</td>' for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return Raw(f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
               f"<tbody>{body}</tbody></table>")


def _fmt(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}"


def _bar(fraction: float) -> Raw:
    pct = 100 * fraction
    return Raw(
        f'<span class="bar"><span style="width:{pct:.0f}%"></span></span> {pct:.0f}%'
    )


def _histogram(title: str, values: list[float], max_score: float | None) -> Raw:
    """A score histogram as an embedded PNG."""
    top = max_score or max(values, default=0.0) or 1.0
    fig = Figure(figsize=(4.6, 2.8), dpi=100)
    ax = fig.add_subplot()
    ax.hist(np.clip(values, 0, top), bins=np.linspace(0, top, 11), color="#4c72b0",
            edgecolor="white")
    label = title
    if values:
        mean = statistics.fmean(values)
        ax.axvline(mean, color="#dd8452", linestyle="--")
        label = f"{title}  (n={len(values)}, mean {mean:.1f} – dashed)"
    ax.set_title(label, parse_math=False, fontsize=10)
    ax.set_xlabel(f"score (max {_fmt(top)})")
    ax.set_ylabel("students")
    ax.set_xlim(0, top)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(y=0.12)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Raw(
        f'<figure><img alt="{_esc(title)} score histogram" src="data:image/png;base64,'
        f'{encoded}"></figure>'
    )


# ---------------------------------------------------------------- sections


def _summary(data: ClassResults) -> Raw:
    rows: list[list[object]] = []
    for column in [*data.slugs, "total"]:
        values = list(data.scores[column].values())
        top = data.max_scores.get(column)
        if not values:
            rows.append([column, 0, "", "", "", ""])
            continue
        full = sum(v >= top for v in values) if top else ""
        rows.append([
            Raw(f"<b>{_esc(column)}</b>") if column == "total" else column,
            len(values),
            _fmt(statistics.fmean(values)),
            _fmt(statistics.median(values)),
            _fmt(top) if top is not None else "?",
            full,
        ])
    charts = "".join(
        _histogram(c, list(data.scores[c].values()), data.max_scores.get(c))
        for c in [*data.slugs, "total"]
        if data.scores[c]
    )
    table = _table(["assignment", "graded", "mean", "median", "max score", "full marks"],
                   rows, numeric={1, 2, 3, 4, 5})
    return Raw(f'{table}<div class="charts">{charts}</div>')


def _pass_rates(data: ClassResults) -> Raw:
    runs: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # passed, total
    hints: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for (_, slug), result in data.results.items():
        for test in _tests(result):
            key = (slug, _function(test))
            passed = test.get("status") == "passed"
            runs[key][0] += passed
            runs[key][1] += 1
            if not passed:
                hints[key].update(find_hints(str(test.get("output") or "")))
    order = {slug: i for i, slug in enumerate(data.slugs)}
    rows: list[list[object]] = []
    for key in sorted(runs, key=lambda k: order.get(k[0], len(order))):  # stable: test order
        passed, total = runs[key]
        common = ", ".join(f"{h} ×{n}" for h, n in hints[key].most_common(3))
        rows.append([key[0], key[1], f"{passed} / {total}", _bar(passed / total), common])
    if not rows:
        return Raw("<p>No graded tests found.</p>")
    table = _table(["assignment", "function", "tests passed", "pass rate", "most common hints"],
                   rows, numeric={2})
    return Raw(f'<p class="meta">Over the graded tests of every student; a submission whose'
               f" grading failed has no tests here.</p>{table}")


def _names(names: list[str], shown: int = 10) -> Raw:
    """A comma-separated list; past ``shown`` names the rest folds away (no script needed)."""
    text = _esc(", ".join(names[:shown]))
    if len(names) > shown:
        rest = _esc(", ".join(names[shown:]))
        text += f"<details><summary>+{len(names) - shown} more</summary>{rest}</details>"
    return Raw(text)


def _misconceptions(data: ClassResults) -> Raw:
    counts: Counter[str] = Counter()
    students: dict[str, set[str]] = defaultdict(set)
    functions: dict[str, dict[str, None]] = defaultdict(dict)  # hint -> "slug: function"
    for (student, slug), result in data.results.items():
        for test in _tests(result):
            if test.get("status") == "passed":
                continue
            for hint_id in find_hints(str(test.get("output") or "")):
                counts[hint_id] += 1
                students[hint_id].add(student)
                functions[hint_id][f"{slug}: {_function(test)}"] = None
    if not counts:
        return Raw("<p>No misconception hints in failed tests.</p>")
    rows: list[list[object]] = []
    for hint_id, count in counts.most_common():
        try:
            text = explain(hint_id)
        except KeyError:
            text = "(unknown hint id: not in autograder/hints.yml)"
        rows.append([
            Raw(f"<code>{_esc(hint_id)}</code>"),
            count,
            len(students[hint_id]),
            text,
            "; ".join(functions[hint_id]),
            _names(sorted(students[hint_id])),
        ])
    return _table(["hint", "failed tests", "students", "explanation", "where", "who"],
                  rows, numeric={1, 2}, widths=[13, 7, 7, 36, 14, 23])


def _failures(data: ClassResults) -> Raw:
    if not data.failures:
        return Raw("<p>Every submission was graded; no test timed out.</p>")
    rows: list[list[object]] = []
    for (student, slug), reasons in sorted(data.failures.items()):
        reason = "\n".join(reasons)
        if len(reason) > MAX_REASON:
            reason = reason[:MAX_REASON] + " …"
        rows.append([student, slug, Raw(f"<pre>{_esc(reason)}</pre>")])
    return _table(["student", "assignment", "reason"], rows)


def _slowest(data: ClassResults) -> Raw:
    runs: list[tuple[float, str, str, str, str, str]] = []
    for (student, slug), result in data.results.items():
        for test in _tests(result):
            if (seconds := _num(test.get("execution_time"))) is not None:
                runs.append((seconds, student, slug, str(test.get("name", "?")),
                             _function(test), str(test.get("status", "?"))))
    if not runs:
        return Raw("<p>The results hold no per-test execution times.</p>")
    runs.sort(key=lambda run: run[0], reverse=True)
    rows: list[list[object]] = [
        [f"{s:.2f}", student, slug, name, function, status]
        for s, student, slug, name, function, status in runs[:SLOWEST]
    ]
    return _table(["seconds", "student", "assignment", "test", "function", "status"],
                  rows, numeric={0})


CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 1150px; padding: 0 1rem; color: #1f2328; line-height: 1.4; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #d0d7de; }
.meta { color: #656d76; margin-top: 0; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: .6rem 1rem; min-width: 9rem; }
.card b { display: block; font-size: 1.6rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: .35rem .5rem; text-align: left;
         vertical-align: top; overflow-wrap: break-word; }
th { background: #f6f8fa; } td.num, th.num { text-align: right; white-space: nowrap; }
.bar { display: inline-block; width: 6rem; height: .7rem; background: #eaeef2;
       border-radius: 3px; vertical-align: middle; }
.bar span { display: block; height: 100%; background: #2da44e; border-radius: 3px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr));
          gap: .5rem; }
figure { margin: 0; } img { max-width: 100%; height: auto; }
pre { margin: 0; white-space: pre-wrap; max-height: 12rem; overflow: auto; font-size: .8rem; }
summary { cursor: pointer; color: #0969da; }
code { background: #f6f8fa; padding: 0 .2rem; border-radius: 3px; white-space: nowrap; }
"""


def render_html(data: ClassResults, title: str, out_dir: Path) -> str:
    """The report page for ``data``."""
    cards = [
        ("students", len(data.students)),
        ("assignments", len(data.slugs)),
        ("gradings failed / timed out", len(data.failures)),
    ]
    if data.scores["total"]:
        cards.append(("mean total", _fmt(statistics.fmean(data.scores["total"].values()))))
    card_html = "".join(f'<div class="card"><b>{_esc(v)}</b>{_esc(k)}</div>' for k, v in cards)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        ("Scores", _summary(data)),
        ("Pass rate per function", _pass_rates(data)),
        ("Most frequent misconceptions", _misconceptions(data)),
        ("Grading failed or timed out", _failures(data)),
        (f"Slowest tests (top {SLOWEST})", _slowest(data)),
    ]
    body = "".join(f"<h2>{_esc(name)}</h2>{content}" for name, content in sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{_esc(title)}</h1>"
        f'<p class="meta">Generated {generated} from {_esc(out_dir)}</p>'
        f'<div class="cards">{card_html}</div>{body}</body></html>\n'
    )


def write_class_report(out_dir: Path, html_path: Path | None = None) -> Path:
    """Write the class report of grading folder ``out_dir`` (default ``out_dir/report.html``)."""
    out_dir = Path(out_dir)
    html_path = Path(html_path) if html_path is not None else out_dir / "report.html"
    page = render_html(load_results(out_dir), f"Class report: {out_dir.resolve().name}", out_dir)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=html_path.parent, prefix=f".{html_path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        Path(tmp).replace(html_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return html_path
