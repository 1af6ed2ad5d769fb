"""`autograder validate`: the course checks itself.

Every reference solution earns full marks, every stub earns 0, stubs, student notebooks and
the student bundle (if built) are in sync with solutions/, notebooks/ and the tests, every
graded test has points in course.yml (and every listed test exists), the functions tests
grade, forbid and require calls of exist in the reference (a required call's test grades
that function, its hint is known, and the reference makes the call), and the totals add up.
"""

from __future__ import annotations

import ast
import tempfile
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console

from autograder.batch import slots
from autograder.course.config import Assignment, Course
from autograder.course.hints import hint_ids
from autograder.course.layout import Layout
from autograder.outputs.store import read_results
from autograder.release.errors import ReleaseError
from autograder.release.pipeline import stale_release
from autograder.release.stubs import stale_stubs


def _public_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")}


def check_required(a: Assignment, names: set[str], hints: frozenset[str]) -> list[str]:
    """course.yml `required`: known functions, calls, a hint of `hints`, and a test with points."""
    problems = []
    for function, rule in a.required.items():
        where = f"{a.slug}: course.yml requires calls in {function!r}"
        if function not in names:
            problems.append(f"{where}, which the reference does not define")
        problems += [f"{where} to {call!r}, which is neither in the reference nor a dotted API"
                     for call in rule.calls if call not in names and "." not in call]
        if rule.hint not in hints:
            problems.append(f"{where} with the unknown hint {rule.hint!r}")
        if rule.test not in a.tests:
            problems.append(f"{where} checked by {rule.test}, which has no points")
    return problems


def uses_problems(assignment: Assignment, names: set[str]) -> list[str]:
    """course.yml `uses:`: each function and what it uses is defined by the reference (`names`)."""
    return [f"{assignment.slug}: course.yml says {f!r} uses {u!r}, which the reference does "
            "not define" for f, used in assignment.uses.items() for u in [f, *used]
            if u not in names]


def check_layout(course: Course, layout: Layout) -> list[str]:
    problems = []
    hints = hint_ids(layout)
    for a in course.assignments:
        solution = layout.solution(a)
        if not solution.is_file():
            problems.append(f"{a.slug}: missing {layout.rel(solution)}")
            continue
        names = _public_names(solution)
        problems += [f"{a.slug}: course.yml forbids APIs in {f!r}, which the reference does not define"
                     for f in a.forbidden if f not in names]
        problems += check_required(a, names, hints)
        problems += uses_problems(a, names)
        for kind in ("public", "hidden"):
            if not layout.suite(a.slug, kind).is_file():
                problems.append(f"{a.slug}: missing tests/{a.slug}/test_{kind}.py")
        if not a.tests:
            problems.append(f"{a.slug}: course.yml gives no test any points")
    problems += [f"{layout.rel(p)} is stale: run `autograder release`"
                 for p in stale_stubs(course, layout)]
    if all(layout.solution(a).is_file() for a in course.assignments):
        try:  # the student notebooks (regenerated with nbgrader) and the bundle, if built
            problems += stale_release(course, layout)
        except ReleaseError as exc:
            problems.append(f"autograder release would fail: {exc}")
    return problems


def check_grades(course: Course, layout: Layout, out: Path) -> list[str]:
    """Grade the reference and the stubs, then compare with course.yml."""
    problems = []
    reference, stubs = layout.solutions, layout.assignments
    slugs = [a.slug for a in course.assignments]
    slots.run(slots.Batch([reference, stubs], slugs, out, jobs=2, layout=layout))
    for a in course.assignments:
        ref = read_results(out, reference.name, a.slug)
        stub = read_results(out, stubs.name, a.slug)
        if ref is None or stub is None:
            problems.append(f"{a.slug}: the reference or the stub has no results")
            continue
        names = _public_names(layout.solution(a))
        ran = {t.test: t for t in ref.tests}
        problems += [f"{a.slug}: test {name} has no points in course.yml"
                     for name in ran if name not in a.tests]
        problems += [f"{a.slug}: course.yml lists {name}, which is not a test"
                     for name in a.tests if name not in ran]
        problems += [f"{a.slug}: {name} grades {t.function!r}, not in the reference module"
                     for name, t in ran.items() if t.function not in names]
        problems += [f"{a.slug}: course.yml checks the calls of {f!r} in {r.test}, which grades "
                     f"{ran[r.test].function!r}"
                     for f, r in a.required.items() if r.test in ran and ran[r.test].function != f]
        problems += [f"{a.slug}: the reference fails {t.name}: {t.output[:300]}"
                     for t in ref.tests if not t.passed]
        if ref.max_score != a.max_score:
            problems.append(f"{a.slug}: tests are worth {ref.max_score}, course.yml {a.max_score}")
        if stub.score != 0:
            passed = [t.name for t in stub.tests if t.passed]
            problems.append(f"{a.slug}: the stub earns {stub.score} points ({', '.join(passed)})")
    return problems


def validate(console: Console, layout: Layout) -> list[str]:
    try:
        course = layout.course()
    except (OSError, ValidationError, ValueError) as exc:
        return [f"course.yml: {exc}"]
    problems = check_layout(course, layout)
    if problems:
        return problems  # grading a broken layout would only repeat these
    console.print("grading the reference solutions and the stubs ...")
    with tempfile.TemporaryDirectory(prefix="autograder-validate-") as out:
        return check_grades(course, layout, Path(out))
