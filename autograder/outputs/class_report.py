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
import html
import io
import os
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from autograder.course.config import load_course
from autograder.course.deadlines import read_late
from autograder.course.hints import explain
from autograder.outputs.gradebook import NotAGradebook, read_gradebook
from autograder.outputs.store import UnreadableResults, class_in, load_result, write_atomic
from autograder.scoring.results import AssignmentResult
from autograder.scoring.score import Score, format_points, score_of

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
    # (student, slug) -> the score (status, raw, penalty, final); every student × slug
    marks: dict[tuple[str, str], Score] = field(default_factory=dict)
    max_scores: dict[str, float] = field(default_factory=dict)
    results: dict[tuple[str, str], AssignmentResult] = field(default_factory=dict)
    # (student, slug) -> why the grading failed (found, but could not be graded)
    failures: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    # (student, slug) -> the tests that timed out (the rest of the submission was graded)
    timeouts: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    similarity: list[str] = field(default_factory=list)  # OUT/similarity-*.html file names

    def graded(self, slug: str) -> dict[str, float]:
        """student -> final score, over the submissions that were graded (the statistics)."""
        return {student: mark.final for (student, s), mark in self.marks.items()
                if s == slug and mark.status == "graded" and mark.final is not None}

    def total(self, student: str) -> float | None:
        finals = [self.marks[student, slug].final for slug in self.slugs]
        present = [f for f in finals if f is not None]
        return sum(present) if present else None

    def totals(self) -> dict[str, float]:
        """student -> total final score, for the statistics: students with at least one graded
        submission and none that failed to grade (a not-submitted assignment adds nothing)."""
        totals: dict[str, float] = {}
        for student in self.students:
            statuses = {self.marks[student, slug].status for slug in self.slugs}
            if "graded" in statuses and "error" not in statuses:
                totals[student] = self.total(student) or 0.0
        return totals

    def with_status(self, status: str) -> list[tuple[str, str]]:
        return sorted(key for key, mark in self.marks.items() if mark.status == status)


def load_results(out_dir: Path, slug_order: list[str] | None = None) -> ClassResults:
    """Read every results file of ``out_dir`` (and its late.json) into scores and reasons."""
    data = ClassResults()
    students, data.slugs = class_in(out_dir, slug_order)
    try:  # a student in the gradebook with no results file is still a student
        students = sorted({*students, *read_gradebook(out_dir).students})
    except (OSError, NotAGradebook):
        pass
    data.students = students
    late = read_late(out_dir)
    for student in data.students:
        for slug in data.slugs:
            try:
                result = load_result(out_dir / student / f"{slug}.json", slug)
            except UnreadableResults as exc:  # not "not submitted": that is a results file
                data.failures[student, slug].append(str(exc))
                data.marks[student, slug] = Score("error", None, None, 0.0, None)
                continue
            data.results[student, slug] = result
            mark = score_of(result, late.get(student, {}).get(slug))
            data.marks[student, slug] = mark
            _note_result(data, student, slug, result, mark)
    if data.slugs and all(s in data.max_scores for s in data.slugs):
        data.max_scores["total"] = sum(data.max_scores[s] for s in data.slugs)
    data.similarity = sorted(p.name for p in out_dir.glob("similarity-*.html"))
    return data


def _note_result(data: ClassResults, student: str, slug: str, result: AssignmentResult,
                 mark: Score) -> None:
    if result.max_score is not None:
        data.max_scores[slug] = max(result.max_score, data.max_scores.get(slug, 0.0))
    if mark.status == "error" and result.error:
        data.failures[student, slug].append(result.error)
    for test in result.tests:
        if test.reason == "timeout":
            data.timeouts[student, slug].append(f"{test.name}: {test.output}")


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
    return Raw(f'<div class="scroll"><table><colgroup>{cols}</colgroup><thead><tr>{head}</tr>'
               f"</thead><tbody>{body}</tbody></table></div>")


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
    ax.hist(np.clip(values, 0, top), bins=list(np.linspace(0, top, 11)), color="#4c72b0",
            edgecolor="white")
    label = title
    if values:
        mean = statistics.fmean(values)
        ax.axvline(mean, color="#dd8452", linestyle="--")
        label = f"{title}  (n={len(values)}, mean {mean:.1f} – dashed)"
    ax.set_title(label, parse_math=False, fontsize=10)
    ax.set_xlabel(f"score (max {format_points(top, decimals=True)})")
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


def _column(data: ClassResults, column: str) -> dict[str, float]:
    return data.totals() if column == "total" else data.graded(column)


def _summary(data: ClassResults) -> Raw:
    rows: list[list[object]] = []
    for column in [*data.slugs, "total"]:
        values = list(_column(data, column).values())
        top = data.max_scores.get(column)
        missing = ("" if column == "total" else
                   sum(data.marks[s, column].status == "not_submitted" for s in data.students))
        failed = ("" if column == "total" else
                  sum(data.marks[s, column].status == "error" for s in data.students))
        name = Raw(f"<b>{_esc(column)}</b>") if column == "total" else column
        if not values:
            rows.append([name, 0, missing, failed, "", "", "", ""])
            continue
        rows.append([
            name, len(values), missing, failed,
            format_points(statistics.fmean(values), decimals=True),
            format_points(statistics.median(values), decimals=True),
            format_points(top, decimals=True) if top is not None else "?",
            sum(v >= top for v in values) if top else "",
        ])
    charts = "".join(
        _histogram(c, list(_column(data, c).values()), data.max_scores.get(c))
        for c in [*data.slugs, "total"]
        if _column(data, c)
    )
    table = _table(["assignment", "graded", "not submitted", "could not grade", "mean", "median",
                    "max score", "full marks"], rows, numeric={1, 2, 3, 4, 5, 6, 7})
    return Raw(f'<p class="meta">Final scores (late penalties applied) of the graded submissions;'
               f" not submitted and could-not-grade are counted apart, outside the statistics."
               f' The total: students with no submission that failed to grade.</p>'
               f'{table}<div class="charts">{charts}</div>')


def _href(target: Path, page_dir: Path) -> str:
    """A relative link from the report's folder, URL-quoted (student ids are any text)."""
    return html.escape(quote(Path(os.path.relpath(target, page_dir)).as_posix()), quote=True)


STATUS_TEXT = {"not_submitted": "not submitted", "error": "could not grade"}


def _students(data: ClassResults, out_dir: Path, page_dir: Path) -> Raw:
    """Every student: total and each assignment's final score with its status, sortable and
    filterable by the inline script; links to feedback.md and the results files."""
    head = "".join(f'<th scope="col">{_esc(h)}</th>'
                   for h in ["student", "total", *data.slugs, "feedback"])
    body = []
    for student in data.students:
        flags: set[str] = set()
        cells = []
        for slug in data.slugs:
            mark = data.marks[student, slug]
            flags.add(mark.status)
            text = "" if mark.final is None else format_points(mark.final, decimals=True)
            notes = []
            if mark.status != "graded":
                notes.append(STATUS_TEXT[mark.status])
            if (student, slug) in data.timeouts:
                flags.add("timed_out")
                notes.append("timed out")
            if mark.late is not None and mark.late.late:
                flags.add("late")
                notes.append(f"late −{mark.late.penalty_percent:g}%")
            content = _esc(text) + "".join(f'<span class="tag">{_esc(n)}</span>' for n in notes)
            if (student, slug) in data.results:  # the score (or the reason) links its results
                link = _href(out_dir / student / f"{slug}.json", page_dir)
                content = f'<a href="{link}">{content}</a>'
            sort = "" if mark.final is None else f"{mark.final:g}"
            cells.append(f'<td class="num" data-sort="{sort}">{content}</td>')
        total = data.total(student)
        if total is not None and all(data.marks[student, s].final is not None for s in data.slugs) \
                and sum(data.max_scores.get(s, 0) for s in data.slugs) == total:
            flags.add("full")
        feedback = out_dir / student / "feedback.md"
        feedback_link = (f'<a href="{_href(feedback, page_dir)}">feedback.md</a>'
                         if feedback.is_file() else "")
        body.append(
            f'<tr data-student="{html.escape(student.lower(), quote=True)}" '
            f'data-flags="{" ".join(sorted(flags))}"><th scope="row">{_esc(student)}</th>'
            f'<td class="num" data-sort="{"" if total is None else f"{total:g}"}">'
            f'{"" if total is None else format_points(total, decimals=True)}</td>'
            f'{"".join(cells)}<td>{feedback_link}</td></tr>')
    options = "".join(f'<option value="{v}">{_esc(t)}</option>' for v, t in [
        ("", "every student"), ("not_submitted", "a submission missing"),
        ("error", "could not grade"), ("timed_out", "a test timed out"), ("late", "late"),
        ("full", "full marks")])
    return Raw(
        '<div class="controls"><label>Find <input id="find" type="search" '
        'placeholder="student id" autocomplete="off"></label> <label>Show <select id="show">'
        f'{options}</select></label> <span id="shown" class="meta"></span></div>'
        '<p class="meta">Click a column header to sort. Scores are final (after any late '
        'penalty) and link to the results file; an empty cell is not submitted. A view as a '
        'link: <code>report.html#find=kim&amp;show=late&amp;sort=total&amp;desc</code>.</p>'
        f'<div class="scroll"><table id="students" class="students"><thead><tr>{head}</tr>'
        f'</thead><tbody>{"".join(body)}</tbody></table></div>')


# The page's only script: sorts and filters the student table. It reads the table, never
# student text as code, and loads nothing.
SCRIPT = """
(function () {
  var table = document.getElementById("students");
  if (!table) return;
  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var find = document.getElementById("find"), show = document.getElementById("show");
  var shown = document.getElementById("shown");
  function filter() {
    var text = find.value.trim().toLowerCase(), flag = show.value, n = 0;
    rows.forEach(function (row) {
      var ok = (!text || row.dataset.student.indexOf(text) >= 0) &&
               (!flag || row.dataset.flags.split(" ").indexOf(flag) >= 0);
      row.hidden = !ok; n += ok ? 1 : 0;
    });
    shown.textContent = n + " of " + rows.length + " students";
  }
  function key(row, i) {
    var cell = row.cells[i], v = cell.getAttribute("data-sort");
    if (v === null) return cell.textContent.toLowerCase();
    return v === "" ? null : parseFloat(v);
  }
  function sort(th, i) {
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = key(a, i), y = key(b, i);
      if (x === y) return 0;
      if (x === null) return 1;  // empty (not submitted) last, either way
      if (y === null) return -1;
      return (x < y ? -1 : 1) * dir;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    th.tabIndex = 0;
    th.addEventListener("click", function () { sort(th, i); });
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(th, i); });
  });
  // a view can be shared as a link: report.html#find=kim&show=late&sort=total&desc
  var params = new URLSearchParams(location.hash.slice(1));
  find.value = params.get("find") || "";
  if (params.get("show")) show.value = params.get("show");
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    if (th.textContent !== params.get("sort")) return;
    sort(th, i);
    if (params.has("desc")) sort(th, i);
  });
  find.addEventListener("input", filter);
  show.addEventListener("change", filter);
  filter();
})();
"""


def _pass_rates(data: ClassResults) -> Raw:
    runs: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # passed, run, timed out
    hints: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for (student, slug), result in data.results.items():
        if data.marks[student, slug].status != "graded":
            continue
        for test in result.tests:
            key = (slug, test.function)
            if test.reason == "timeout":
                runs[key][2] += 1
                continue
            runs[key][0] += test.passed
            runs[key][1] += 1
            if not test.passed:
                hints[key].update(test.hints)
    order = {slug: i for i, slug in enumerate(data.slugs)}
    rows: list[list[object]] = []
    for key in sorted(runs, key=lambda k: order.get(k[0], len(order))):  # stable: test order
        passed, total, timed_out = runs[key]
        common = ", ".join(f"{h} ×{n}" for h, n in hints[key].most_common(3))
        rows.append([key[0], key[1], f"{passed} / {total}", _bar(passed / total) if total else "",
                     timed_out or "", common])
    if not rows:
        return Raw("<p>No graded tests found.</p>")
    table = _table(["assignment", "function", "tests passed", "pass rate", "timed out",
                    "most common hints"], rows, numeric={2, 4})
    return Raw(f'<p class="meta">Over the tests of the graded submissions (not submitted and '
               f"could-not-grade are left out); a test that timed out counts apart, neither "
               f'passed nor failed.</p>{table}')


def _names(names: list[str], shown: int = 10) -> Raw:
    """A comma-separated list; past ``shown`` names the rest folds away (no script needed)."""
    text = _esc(", ".join(names[:shown]))
    if len(names) > shown:
        rest = _esc(", ".join(names[shown:]))
        text += f"<details><summary>+{len(names) - shown} more</summary>{rest}</details>"
    return Raw(text)


# Not a misconception: the student has not started that function (it leads every ranking).
NOT_MISCONCEPTIONS = {"not-implemented"}


def _misconceptions(data: ClassResults) -> Raw:
    counts: Counter[str] = Counter()
    students: dict[str, set[str]] = defaultdict(set)
    functions: dict[str, dict[str, None]] = defaultdict(dict)  # hint -> "slug: function"
    for (student, slug), result in data.results.items():
        for test in result.tests:
            if test.passed:
                continue
            for hint_id in test.hints:
                if hint_id in NOT_MISCONCEPTIONS:
                    continue
                counts[hint_id] += 1
                students[hint_id].add(student)
                functions[hint_id][f"{slug}: {test.function}"] = None
    if not counts:
        return Raw("<p>No misconception hints in failed tests.</p>")
    rows: list[list[object]] = []
    for hint_id in sorted(counts, key=lambda h: (-len(students[h]), -counts[h], h)):
        try:
            text = explain(hint_id)
        except KeyError:
            text = "(unknown hint id: not in autograder/course/hints.yml)"
        rows.append([
            Raw(f"<code>{_esc(hint_id)}</code>"),
            len(students[hint_id]),
            counts[hint_id],
            text,
            "; ".join(functions[hint_id]),
            _names(sorted(students[hint_id])),
        ])
    table = _table(["hint", "students", "failed tests", "explanation", "where", "who"],
                   rows, numeric={1, 2}, widths=[13, 7, 7, 36, 14, 23])
    return Raw('<p class="meta">Ranked by the number of students affected; '
               f'<code>not-implemented</code> (not started) is left out.</p>{table}')


def _reason(reasons: list[str]) -> Raw:
    reason = "\n".join(reasons)
    if len(reason) > MAX_REASON:
        reason = reason[:MAX_REASON] + " …"
    return Raw(f"<pre>{_esc(reason)}</pre>")


def _not_submitted(data: ClassResults) -> Raw:
    rows: list[list[object]] = []
    for slug in data.slugs:
        names = [s for s in data.students if data.marks[s, slug].status == "not_submitted"]
        if names:
            rows.append([slug, len(names), _names(names)])
    if not rows:
        return Raw("<p>Every student submitted every assignment.</p>")
    return _table(["assignment", "students", "who"], rows, numeric={1})


def _failures(data: ClassResults) -> Raw:
    if not data.failures:
        return Raw("<p>Every submission that was found was graded.</p>")
    rows: list[list[object]] = [[student, slug, _reason(reasons)]
                                for (student, slug), reasons in sorted(data.failures.items())]
    return Raw(f'{_table(["student", "assignment", "reason"], rows)}')


def _timeouts(data: ClassResults) -> Raw:
    if not data.timeouts:
        return Raw("<p>No test timed out.</p>")
    rows: list[list[object]] = [[student, slug, _reason(reasons)]
                                for (student, slug), reasons in sorted(data.timeouts.items())]
    return Raw('<p class="meta">These submissions were graded; the tests below ran out of time '
               f'and earned nothing.</p>{_table(["student", "assignment", "tests"], rows)}')


def _similarity(data: ClassResults, out_dir: Path, page_dir: Path) -> Raw:
    if not data.similarity:
        return Raw("<p>No similarity report yet: <code>autograder similarity OUT -a SLUG</code> "
                   "writes one.</p>")
    links = "".join(f'<li><a href="{_href(out_dir / name, page_dir)}">{_esc(name)}</a></li>'
                    for name in data.similarity)
    return Raw(f"<p>Which submissions share code, as evidence for a person to read (not a "
               f"verdict):</p><ul>{links}</ul>")


def _slowest(data: ClassResults) -> Raw:
    runs: list[tuple[float, str, str, str, str, str]] = []
    for (student, slug), result in data.results.items():
        runs += [(test.seconds, student, slug, test.test, test.function,
                  "passed" if test.passed else "failed") for test in result.tests]
    if not runs:
        return Raw("<p>The results hold no per-test execution times.</p>")
    runs.sort(key=lambda run: run[0], reverse=True)
    rows: list[list[object]] = [
        [f"{s:.2f}", student, slug, name, function, status]
        for s, student, slug, name, function, status in runs[:SLOWEST]
    ]
    table = _table(["seconds", "student", "assignment", "test", "function", "status"],
                   rows, numeric={0})
    return Raw(f'{table}')


CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 1150px; padding: 0 1rem; color: #1f2328; line-height: 1.4; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #d0d7de; }
.meta { color: #656d76; margin-top: 0; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: .6rem 1rem; min-width: 9rem; }
.card b { display: block; font-size: 1.6rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: .35rem .5rem; text-align: left;
         vertical-align: top; overflow-wrap: break-word; }
th { background: #f6f8fa; } td.num, th.num { text-align: right; white-space: nowrap; }
table.students thead th { cursor: pointer; position: sticky; top: 0; white-space: nowrap; }
table.students th[aria-sort=ascending]::after { content: " ▲"; }
table.students th[aria-sort=descending]::after { content: " ▼"; }
table.students tbody th { background: #fff; font-weight: 600; white-space: nowrap;
                          position: sticky; left: 0; }  /* the name stays while scrolling */
.tag { display: inline-block; margin-left: .3rem; padding: 0 .3rem; border-radius: 3px;
       font-size: .75rem; background: #fff1e5; color: #953800; }
.controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin: .5rem 0; }
.controls input, .controls select { font: inherit; padding: .2rem .4rem; }
.bar { display: inline-block; width: 6rem; height: .7rem; background: #eaeef2;
       border-radius: 3px; vertical-align: middle; }
.bar span { display: block; height: 100%; background: #2da44e; border-radius: 3px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(340px, 100%), 1fr));
          gap: .5rem; }
figure { margin: 0; } img { max-width: 100%; height: auto; }
pre { margin: 0; white-space: pre-wrap; max-height: 12rem; overflow: auto; font-size: .8rem; }
summary { cursor: pointer; color: #0969da; }
code { background: #f6f8fa; padding: 0 .2rem; border-radius: 3px; }
@media (max-width: 600px) {
  body { margin: .8rem auto; padding: 0 .5rem; } h1 { font-size: 1.5rem; }
  .card { min-width: 6rem; padding: .4rem .6rem; } .card b { font-size: 1.2rem; }
  table { font-size: .8rem; } th, td { padding: .25rem .3rem; }
}
"""


def render_html(data: ClassResults, title: str, out_dir: Path, page_dir: Path | None = None) -> str:
    """The report page for ``data``; links are relative to ``page_dir`` (default ``out_dir``)."""
    page_dir = page_dir or out_dir
    totals = data.totals()
    cards: list[tuple[str, object]] = [
        ("students", len(data.students)),
        ("assignments", len(data.slugs)),
        ("not submitted", len(data.with_status("not_submitted"))),
        ("could not grade", len(data.with_status("error"))),
        ("timed out", len(data.timeouts)),
    ]
    if totals:
        cards.append(("mean total", format_points(statistics.fmean(totals.values()), decimals=True)))
    card_html = "".join(f'<div class="card"><b>{_esc(v)}</b>{_esc(k)}</div>' for k, v in cards)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        ("Students", _students(data, out_dir, page_dir)),
        ("Scores", _summary(data)),
        ("Pass rate per function", _pass_rates(data)),
        ("Most frequent misconceptions", _misconceptions(data)),
        ("Not submitted", _not_submitted(data)),
        ("Could not grade", _failures(data)),
        ("Timed out", _timeouts(data)),
        ("Similarity", _similarity(data, out_dir, page_dir)),
        (f"Slowest tests (top {SLOWEST})", _slowest(data)),
    ]
    body = "".join(f"<h2>{_esc(name)}</h2>{content}" for name, content in sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{_esc(title)}</h1>"
        f'<p class="meta">Generated {generated} from {_esc(out_dir)}</p>'
        f'<div class="cards">{card_html}</div>{body}<script>{SCRIPT}</script></body></html>\n'
    )


def _course_title(root: Path | None) -> tuple[str | None, list[str] | None]:
    if root is None:  # run outside any course: the report still renders, untitled
        return None, None
    try:
        course = load_course(root)
    except (OSError, ValueError):  # no or an invalid course.yml: the report still renders
        return None, None
    return course.title, [a.slug for a in course.assignments]


def write_class_report(out_dir: Path, html_path: Path | None = None, root: Path | None = None) -> Path:
    """Write the class report of grading folder ``out_dir`` (default ``out_dir/report.html``),
    titled with the course of ``root``'s course.yml."""
    out_dir = Path(out_dir)
    html_path = Path(html_path) if html_path is not None else out_dir / "report.html"
    title, order = _course_title(root)
    page = render_html(load_results(out_dir, order),
                       f"Class report: {title or out_dir.resolve().name}", out_dir.resolve(),
                       html_path.parent.resolve())
    write_atomic(html_path, page)
    return html_path
