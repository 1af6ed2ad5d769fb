"""A student's feedback: per function, points earned and missing, the hint, the failing input.

Hidden tests show their hint but not their inputs (Gradescope's `after_published`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from autograder.course.deadlines import Lateness
from autograder.course.messages import text
from autograder.sanitize import fence, markdown_text
from autograder.scoring.results import AssignmentResult, TestResult
from autograder.scoring.score import format_points, score_of

if TYPE_CHECKING:
    from rich.console import Console

    from autograder.course.config import Assignment

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


def by_function(result: AssignmentResult) -> dict[str, list[TestResult]]:
    grouped: dict[str, list[TestResult]] = defaultdict(list)
    for test in result.tests:
        grouped[test.function].append(test)
    return grouped


def failure_text(test: TestResult, lang: str) -> str:
    """What a student sees of a failed test: its output. A hidden test's output holds only the
    grader's words (exception type, hint, what kind of failure; plugin.describe_failure), and
    it says that its inputs are shown later."""
    if not test.hidden:
        return test.output
    return f"{TEXT[lang]['hidden']}\n{test.output}".strip()


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
    return (f"**{t['late']}: −{late.penalty_percent:g}% (−{format_points(penalty)})**: {said}, "
            + t["hours_late"].format(hours=late.late_seconds / 3600))


def render_markdown(student: str, results_by_slug: Mapping[str, AssignmentResult | None],
                    lang: str = "en", late: Mapping[str, Lateness] | None = None) -> str:
    t = TEXT[lang]
    late = late or {}
    lines = [f"# {t['title'].format(student=markdown_text(student))}", "", t["intro"], ""]
    score = max_score = 0.0
    for slug, result in results_by_slug.items():
        scored = score_of(result, late.get(slug))
        if result is None or scored.status == "not_submitted":  # not a 0: out of the total
            lines += [f"## {slug}: {t['missing']}", ""]
            if result and result.output:
                lines += [result.output, ""]
            continue
        out_of = result.max_score or 0.0
        score += scored.final or 0.0
        max_score += out_of
        lines += [f"## {slug}: {format_points(scored.final or 0.0)} / {format_points(out_of)}", ""]
        if scored.late is not None:
            lines += [late_line(scored.late, scored.penalty, lang), ""]
        if result.error:
            lines += [f"**{t['error']}:**", "", fence(result.error), ""]
            continue
        lines += [f"| {t['function']} | {t['points']} | |", "|---|---|---|"]
        details = []
        for function, tests in by_function(result).items():
            got = sum(x.points for x in tests)
            worth = sum(x.max_points for x in tests)
            failed = [x for x in tests if not x.passed]
            lines.append(f"| `{function}` | {format_points(got)} / {format_points(worth)} | "
                         f"{t['ok'] if not failed else '✗'} |")
            for test in failed:
                details += [f"### `{function}`: {test.test}", "",
                            fence(failure_text(test, lang).strip()), ""]
        lines += ["", *details]
    lines += [f"**{t['total']}: {format_points(score)} / {format_points(max_score)}**", ""]
    return "\n".join(lines)


def print_check_table(console: Console, assignment: Assignment, result: AssignmentResult,
                      lang: str = "en") -> None:
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

    if result.error:
        console.print(Text(f"{text('error', lang)}: ", style="red")
                      + Text(result.error, overflow="fold"))
    table = Table(title=Text(f"{assignment.title}: {format_points(result.score)} / "
                             f"{format_points(result.max_score or 0.0)}", overflow="fold"))
    for column in (text("test", lang), text("points", lang), ""):
        table.add_column(column, overflow="fold")
    failed = []
    for test in result.tests:
        table.add_row(Text(test.name),
                      f"{format_points(test.points)}/{format_points(test.max_points)}",
                      Text("✓", style="green") if test.passed else Text("✗", style="red"))
        if not test.passed:
            failed.append(test)
    console.print(table)
    for test in failed:
        console.print(Text(f"✗ {test.name}", style="bold red", overflow="fold"))
        console.print(Padding(Text(test.output, overflow="fold"), (0, 0, 1, 2)))
