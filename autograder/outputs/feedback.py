"""A student's feedback: per function, points earned and missing, the hint, the failing input.

Hidden tests show their hint but not their inputs (Gradescope's `after_published`).
"""

from __future__ import annotations

from collections import defaultdict

from autograder.course.deadlines import Lateness
from autograder.course.messages import text
from autograder.sanitize import fence, markdown_text
from autograder.scoring.score import score_of

TEXT = {
    "en": {"title": "Feedback for {student}", "total": "Total", "function": "Function",
           "points": "Points", "ok": "all tests pass", "hidden": "(a hidden test: its inputs are "
           "shown after the due date)", "error": "Could not grade", "missing": "not submitted",
           "hint": "Likely mistake", "late": "Late penalty", "on_time": "Submitted on time",
           "submitted": "submitted {when} ({source}), due {due}", "no_time": "no submission time "
           "found ({detail}): counted as on time", "hours_late": "{hours:.1f} h late",
           "intro": "Each failing function below says what went wrong "
           "and, where we recognise it, the likely mistake. You can do it!"},
    "ko": {"title": "{student} 학생 피드백", "total": "합계", "function": "함수", "points": "점수",
           "ok": "모든 테스트 통과", "hidden": "(숨겨진 테스트: 입력값은 마감 후에 공개됩니다)",
           "error": "채점할 수 없음", "missing": "제출되지 않음", "hint": "예상되는 실수",
           "late": "지각 감점", "on_time": "기한 내 제출", "submitted": "제출 {when} ({source}), "
           "마감 {due}", "no_time": "제출 시각을 찾지 못함 ({detail}): 기한 내 제출로 처리",
           "hours_late": "{hours:.1f}시간 지각",
           "intro": "아래에서 통과하지 못한 함수마다 무엇이 잘못되었는지, 그리고 알려진 실수라면 "
                    "그 원인을 설명합니다. 힘내세요!"},
}


def _fmt(x: float) -> str:
    return f"{x:g}"


def by_function(results: dict) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for test in results.get("tests", []):
        grouped[test["tags"][0]].append(test)
    return grouped


def failure_text(test: dict, lang: str) -> str:
    """What a student sees of a failed test: its output. A hidden test's output holds only the
    grader's words (exception type, hint, what kind of failure; plugin.describe_failure), and
    it says that its inputs are shown later."""
    output = test.get("output", "")
    if test.get("visibility", "visible") == "visible":
        return output
    return f"{TEXT[lang]['hidden']}\n{output}".strip()


def late_line(late: Lateness, penalty: float, lang: str) -> str:
    """One line on the deadline: when and how (which source) the submission time was found."""
    t = TEXT[lang]
    if late.submitted_at is None:
        return t["no_time"].format(detail=late.detail)
    said = t["submitted"].format(when=late.submitted_at, source=late.source, due=late.due)
    if late.extension:
        said += f", {late.extension}"
    if not late.late:
        return f"{t['on_time']}: {said}"
    return (f"**{t['late']}: −{late.penalty_percent:g}% (−{_fmt(penalty)})**: {said}, "
            + t["hours_late"].format(hours=late.late_seconds / 3600))


def render_markdown(student: str, results_by_slug: dict[str, dict | None], lang: str = "en",
                    late: dict[str, Lateness] | None = None) -> str:
    t = TEXT[lang]
    late = late or {}
    lines = [f"# {t['title'].format(student=markdown_text(student))}", "", t["intro"], ""]
    score = max_score = 0.0
    for slug, results in results_by_slug.items():
        scored = score_of(results, late.get(slug))
        if results is None or scored.status == "not_submitted":  # not a 0: out of the total
            lines += [f"## {slug}: {t['missing']}", ""]
            if results and results.get("output"):
                lines += [results["output"], ""]
            continue
        score += scored.final or 0.0
        max_score += results["max_score"]
        lines += [f"## {slug}: {_fmt(scored.final or 0.0)} / {_fmt(results['max_score'])}", ""]
        if scored.late is not None:
            lines += [late_line(scored.late, scored.penalty, lang), ""]
        error = results.get("extra_data", {}).get("error")
        if error:
            lines += [f"**{t['error']}:**", "", fence(error), ""]
            continue
        lines += [f"| {t['function']} | {t['points']} | |", "|---|---|---|"]
        details = []
        for function, tests in by_function(results).items():
            got = sum(x["score"] for x in tests)
            out_of = sum(x["max_score"] for x in tests)
            failed = [x for x in tests if x["status"] == "failed"]
            lines.append(f"| `{function}` | {_fmt(got)} / {_fmt(out_of)} | "
                         f"{t['ok'] if not failed else '✗'} |")
            for test in failed:
                text = failure_text(test, lang).strip()
                details += [f"### `{function}`: {test['name'].split(': ', 1)[-1]}", "",
                            fence(text), ""]
        lines += ["", *details]
    lines += [f"**{t['total']}: {_fmt(score)} / {_fmt(max_score)}**", ""]
    return "\n".join(lines)


def print_check_table(console, assignment, results: dict, lang: str = "en") -> None:
    """What `autograder check` prints: a table of the public tests (points, ✓/✗), then the
    feedback of each failed test as a paragraph at the console's full width.

    Paragraphs, not a table column: a column a third of the screen wide was hard to read,
    and rich's default overflow there (an ellipsis) cut Korean words at a wrap (`평균`
    became `평 …`). Everything folds instead: no character is ever dropped. The feedback is
    plain Text, never markup: it quotes code.
    """
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    error = results.get("extra_data", {}).get("error")
    if error:
        console.print(Text(f"{text('error', lang)}: ", style="red") + Text(error, overflow="fold"))
    table = Table(title=Text(f"{assignment.title}: {_fmt(results['score'])} / "
                             f"{_fmt(results['max_score'])}", overflow="fold"))
    for column in (text("test", lang), text("points", lang), ""):
        table.add_column(column, overflow="fold")
    failed = []
    for test in results["tests"]:
        ok = test["status"] == "passed"
        table.add_row(Text(test["name"]), f"{_fmt(test['score'])}/{_fmt(test['max_score'])}",
                      Text("✓", style="green") if ok else Text("✗", style="red"))
        if not ok:
            failed.append(test)
    console.print(table)
    for test in failed:
        console.print(Text(f"✗ {test['name']}", style="bold red", overflow="fold"))
        console.print(Padding(Text(test.get("output", ""), overflow="fold"), (0, 0, 1, 2)))
