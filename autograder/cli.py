"""The `autograder` command line: grade, check, validate, release, late, merge, export, similarity,
report, unpack.

Every command acts on one course (autograder.course.layout: `--course DIR`, $AUTOGRADER_ROOT, or the
nearest course.yml above the current directory) and says which in its first line. Paths given
on the command line are relative to the current directory, wherever the course is.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from autograder.batch import slots
from autograder.course import catalogue
from autograder.course.layout import CourseNotFound, Layout
from autograder.course.roster import RosterError
from autograder.course.roster import build as build_roster
from autograder.outputs.gradebook import gradebook_rows
from autograder.outputs.store import read_results, record_submissions, recorded_submissions
from autograder.sanitize import clean_text

if TYPE_CHECKING:
    from autograder.batch.shards import Shard

console = Console()


def _batch_progress(batch: slots.Batch) -> None:
    with Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=not console.is_terminal) as progress:
        task = progress.add_task("grading", total=len(batch.students) * len(batch.slugs))
        slots.run(batch, lambda done, total: progress.update(task, completed=done))


def _print_gradebook(out: Path, students: list[str], slugs: list[str]) -> None:
    table = Table(title=f"Gradebook ({escape(str(out))}/gradebook.csv)")
    for column in ["student", *slugs, "total"]:
        table.add_column(column, justify="left" if column == "student" else "right")
    for row in gradebook_rows(out, students, slugs):
        table.add_row(*(Text(str(row[c])) for c in ["student", *slugs, "total"]))  # ids: no markup
    console.print(table)


def cmd_grade(args: argparse.Namespace) -> int:
    if args.regrade:
        return cmd_regrade(args)
    course = args.layout.course()
    try:
        roster = build_roster([Path(p) for p in args.submissions], course, args.after_dashes)
    except RosterError as exc:
        console.print(Text(f"autograder grade: {exc}", style="red"))
        return 2
    for line in roster.notes:
        console.print(Text(line), soft_wrap=True)
    for line in roster.warnings:
        console.print(Text(f"warning: {line}", style="yellow"), soft_wrap=True)
    submissions = list(roster.students.values())
    slugs = args.assignment or slots.slugs_present(course, submissions)
    for slug in slugs:
        course.assignment(slug)  # unknown slugs are a usage error
    if not slugs:
        console.print("[red]none of the submissions contains an assignment module[/red]")
        return 2
    whole_class = list(roster.students)
    if args.shard:  # the assignments above come from the whole class, so all shards agree
        from autograder.batch import shards

        submissions = shards.select_submissions(submissions, args.shard)
    batch = slots.Batch(submissions, slugs, Path(args.out), jobs=args.jobs,
                          backend=args.backend, require_sandbox=args.require_sandbox,
                          lang=args.lang, layout=args.layout, after_dashes=args.after_dashes)
    record_submissions(batch.out, roster.students)
    if not _record_late(args.layout, batch.out, roster.students, slugs, args.submitted_at,
                        set(whole_class)):
        return 2
    _batch_progress(batch)
    if args.shard:
        shards.write_shard_file(batch.out, args.shard, whole_class, slugs)
    _print_gradebook(batch.out, batch.students, slugs)
    _print_isolation(batch)
    if args.junit:
        from autograder.outputs.junit import write_junit

        write_junit(Path(args.junit), batch.out, batch.students, slugs)
    return 0


def cmd_regrade(args: argparse.Namespace) -> int:
    """`grade SUBMISSION... -o OUT --regrade STUDENT...`: grade these students again in OUT.

    Their results (of every assignment of OUT, or of -a ones) are deleted and graded anew from
    their folders among the SUBMISSIONs; everyone else's results stay as they are, and OUT's
    gradebook (the students and assignments it already had, plus any student new to it) and
    the regraded students' feedback are rewritten.
    """
    from autograder.batch import shards
    from autograder.outputs.gradebook import write_gradebook

    if args.shard:
        console.print("[red]autograder grade: --regrade names its students; drop --shard[/red]")
        return 2
    out = Path(args.out)
    try:
        existing = shards.read_output(out)
    except shards.ShardError as exc:
        console.print(f"[red]autograder grade --regrade: needs an earlier grading output: {exc}[/red]")
        return 2
    try:
        roster = build_roster([Path(p) for p in args.submissions], args.layout.course(),
                              args.after_dashes).students
    except RosterError as exc:
        console.print(Text(f"autograder grade: {exc}", style="red"))
        return 2
    unknown = sorted(set(args.regrade) - set(roster))
    if unknown:
        console.print(f"[red]autograder grade --regrade: no submission folder for "
                      f"{', '.join(map(repr, unknown))} among the {len(roster)} SUBMISSIONs given "
                      f"(a student id is the folder name)[/red]")
        return 2
    again = args.assignment or existing.slugs
    foreign = [slug for slug in again if slug not in existing.slugs]
    if foreign:
        console.print(f"[red]autograder grade --regrade: {out} does not grade {', '.join(foreign)} "
                      f"(it grades {', '.join(existing.slugs)})[/red]")
        return 2
    students = sorted(set(args.regrade))
    everyone = sorted(set(existing.students) | set(students))
    regraded = {s: roster[s] for s in students}
    record_submissions(out, regraded)  # their lateness is found again, from these folders
    if not _record_late(args.layout, out, regraded, existing.slugs, args.submitted_at,
                        set(everyone)):
        return 2
    for student in students:
        for name in [f"{slug}.json" for slug in again] + ["feedback.md"]:
            (out / student / name).unlink(missing_ok=True)
    batch = slots.Batch([roster[s] for s in students], existing.slugs, out, jobs=args.jobs,
                          backend=args.backend, require_sandbox=args.require_sandbox,
                          lang=args.lang, layout=args.layout, after_dashes=args.after_dashes)
    _batch_progress(batch)
    write_gradebook(out, everyone, existing.slugs)
    _print_gradebook(out, students, existing.slugs)
    _print_isolation(batch)
    console.print(f"regraded {len(students)} student(s); {out}/gradebook.csv rewritten "
                  f"({len(everyone)} students)")
    return 0


def _class_of(command: str, out: Path, submissions: list[str]) -> dict[str, Path] | None:
    """The folders named on the command line, else those `grade` recorded in OUT."""
    roster = (slots.students_of([Path(p) for p in submissions]) if submissions
              else recorded_submissions(out))
    if not roster:
        console.print(f"[red]autograder {command}: {escape(str(out))} records no submissions; "
                      "name the students' folders[/red]")
    return roster or None


def _record_late(layout: Layout, out: Path, roster: dict[str, Path], slugs: list[str],
                 submitted_at: str | None, whole_class: set[str] | None = None) -> bool:
    """OUT/late.json for the assignments with a deadline; False (after saying why) on bad input."""
    from autograder.course import deadlines

    try:
        notes = deadlines.record(layout.course(), out, roster, slugs,
                                 Path(submitted_at) if submitted_at else None,
                                 layout.root / deadlines.EXTENSIONS_FILE, whole_class)
    except deadlines.DeadlineError as exc:
        console.print(f"[red]autograder: {escape(str(exc))}[/red]")
        return False
    for note in notes:
        console.print(Text(note, style="yellow"))
    return True


def cmd_late(args: argparse.Namespace) -> int:
    """Recompute lateness (after editing extensions.csv, or with a --submitted-at CSV) and
    rewrite the gradebook and the feedback; nothing is graded again."""
    from autograder.course.deadlines import read_late

    course = args.layout.course()
    out = Path(args.out)
    if (roster := _class_of("late", out, args.submissions)) is None:
        return 2
    slugs = [a.slug for a in course.assignments
             if any((out / student / f"{a.slug}.json").is_file() for student in roster)]
    if not _record_late(args.layout, out, roster, slugs, args.submitted_at):
        return 2
    slots.write_outputs(out, sorted(roster), slugs, args.lang)
    records = [(student, slug, late) for student, per_slug in sorted(read_late(out).items())
               for slug, late in per_slug.items()]
    late_ones = [r for r in records if r[2].late]
    unknown = [r for r in records if r[2].submitted_at is None]
    # for a class of hundreds only what needs a look: the late, and those without a known time
    table = Table(title=f"Late or without a submission time ({out}/late.json)")
    for column in ("student", "assignment", "submitted", "source", "late (h)", "penalty"):
        table.add_column(column, overflow="fold")
    for student, slug, late in late_ones + unknown:
        table.add_row(Text(student), slug, (late.submitted_at or "?")[:16], late.source,
                      f"{late.late_seconds / 3600:.1f}", f"{late.penalty_percent:g}%")
    console.print(table)
    console.print(f"{len(records) - len(late_ones) - len(unknown)} on time, {len(late_ones)} "
                  f"late, {len(unknown)} without a known submission time (counted as on time)")
    console.print(f"wrote {out}/late.json, {out}/gradebook.csv and every feedback.md")
    return 0


def _print_isolation(batch: slots.Batch) -> None:
    """How student code was isolated (sandbox, cgroup or the fallback), as each slot said."""
    notes = set()
    for student in batch.students:
        for slug in batch.slugs:
            result = read_results(batch.out, student, slug)
            notes.add(result.sandbox if result else "")
    for note in sorted(notes - {""}):
        console.print(f"isolation: {note}", markup=False, highlight=False)


def cmd_merge(args: argparse.Namespace) -> int:
    from autograder.batch import shards

    try:
        students = shards.merge([Path(p) for p in args.outputs], Path(args.out))
    except shards.ShardError as exc:
        console.print(f"[red]autograder merge: {escape(str(exc))}[/red]")
        return 2
    console.print(f"merged {len(students)} students from {len(args.outputs)} outputs "
                  f"into {args.out}/gradebook.csv")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from autograder.export.files import ExportError
    from autograder.export.gradescope import write_zip

    try:
        path = write_zip(args.layout, Path(args.out) if args.out else None,
                         args.assignment or None, backend=args.backend)
    except (ExportError, KeyError) as exc:
        console.print(f"[red]autograder export: {escape(str(exc))}[/red]")
        return 2
    console.print(f"wrote {escape(str(path))}")
    return 0


def cmd_export_classroom50(args: argparse.Namespace) -> int:
    from autograder.export.classroom50 import write_bundle
    from autograder.export.files import ExportError

    try:
        path = write_bundle(args.layout, args.assignment, Path(args.out) if args.out else None,
                            backend=args.backend, hidden=args.with_hidden, lang=args.lang)
    except (ExportError, KeyError) as exc:
        console.print(f"[red]autograder export: {exc}[/red]")
        return 2
    console.print(f"wrote {path}/ (copy it to CLASSROOM/autograders/ASSIGNMENT/ of the "
                  "classroom50 repository)")
    if args.with_hidden:
        console.print("[yellow]the bundle carries the hidden suites and the reference solutions: "
                      "students can download and read them (docs/scale-out.md)[/yellow]")
    return 0


def cmd_export_lms(args: argparse.Namespace) -> int:
    """`export canvas` / `export long`: the gradebook in a form an LMS imports."""
    from autograder.export import lms
    from autograder.export.files import ExportError

    course, out = args.layout.course(), Path(args.out)
    try:
        if args.target == "long":
            path = lms.write_long(out, course, Path(args.csv or out / "grades-long.csv"))
            console.print(f"wrote {path}")
            return 0
        done = lms.write_canvas(out, course, Path(args.roster), Path(args.csv or out / "canvas.csv"))
    except ExportError as exc:
        console.print(f"[red]autograder export: {escape(str(exc))}[/red]")
        return 2
    console.print(f"wrote {done.path}: {done.rows} students")
    if done.not_graded:
        console.print(Text(f"in the roster but not graded (empty cells): {', '.join(done.not_graded)}",
                           style="yellow"))
    if done.not_in_roster:
        console.print(Text(f"graded but not in the roster, NOT in {done.path.name}: "
                           f"{', '.join(done.not_in_roster)}", style="red"))
        return 1
    return 0


def cmd_similarity(args: argparse.Namespace) -> int:
    from autograder.outputs.similarity import write_similarity_report

    course, out = args.layout.course(), Path(args.out)
    assignment = course.assignment(args.assignment)
    if (roster := _class_of("similarity", out, args.submissions)) is None:
        return 2
    path, pairs = write_similarity_report(out, assignment, roster, args.layout.root, course.title)
    table = Table(title=f"Closest pairs, {assignment.slug} (evidence for a person to read, "
                        "not a verdict)")
    for column in ("pair", "first in second", "second in first"):
        table.add_column(column)
    for pair in pairs[:10]:
        table.add_row(Text(f"{pair.first} – {pair.second}"), f"{pair.similarity[0]:.0%}",
                      f"{pair.similarity[1]:.0%}")
    console.print(table)
    console.print(f"wrote {path}")
    return 0


def _shard(spec: str) -> Shard:
    from autograder.batch import shards

    try:
        return shards.parse(spec)
    except shards.ShardError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_check(args: argparse.Namespace) -> int:
    from autograder.batch import check
    from autograder.course.messages import text
    from autograder.outputs.feedback import print_check_table

    assignment = args.layout.course().assignment(args.slug)
    backend = check.choose_backend(args.backend)
    done = check.run(args.layout, assignment, Path(args.path) if args.path else None, backend,
                     args.lang, args.function)
    say = Text.assemble
    if done.path is not None:
        # one unbroken line: a path to copy, not to wrap
        console.print(say(text("checked-file", args.lang, path=_shown(done.path))), soft_wrap=True)
    if done.chosen:
        names = {"py": f"{assignment.module}.py", "notebook": f"{assignment.module}.ipynb"}
        key = "checked-notebook" if done.chosen == "notebook" else "both-edited"
        console.print(say((text(key, args.lang, **names), "yellow")))
    console.print(say((text(f"runner-{backend}", args.lang), "dim")))
    if done.problem or done.results is None:
        if not done.problem:
            console.print(Text(done.log[-4000:]))
        console.print(say((done.problem or text("checker-failed", args.lang), "red")))
        return 2
    print_check_table(console, assignment, done.results, args.lang)
    public = [t for t in done.results.tests if not t.hidden]
    got = sum(t.points for t in public)
    out_of = sum(t.max_points for t in public)
    hidden = check.hidden_points(assignment, args.layout, args.function or None)
    key = "public-summary-functions" if args.function else "public-summary"
    console.print(say((text(key, args.lang, got=f"{got:g}", max=f"{out_of:g}", hidden=f"{hidden:g}",
                            functions=", ".join(args.function)), "bold")))
    return 0 if all(t.passed for t in done.results.tests) else 1


def _shown(path: Path) -> str:
    """A path as the student would type it: relative to where they are, when it is below."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def cmd_validate(args: argparse.Namespace) -> int:
    from autograder.release.validate import validate

    problems = validate(console, args.layout)
    for problem in problems:
        console.print(f"[red]✗[/red] {escape(problem)}")
    if problems:
        return 1
    console.print("[green]✓ the course is consistent[/green]")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from autograder.release.errors import ReleaseError
    from autograder.release.pipeline import release

    try:
        written = release(args.layout.course(), args.layout, say=console.print)
    except ReleaseError as exc:
        console.print(f"[red]autograder release: {escape(str(exc))}[/red]")
        return 1
    for path in written:
        console.print(f"wrote {args.layout.rel(path)}")
    return 0


def cmd_unpack(args: argparse.Namespace) -> int:
    from autograder.intake.unpack import UnpackError, unpack

    try:
        written = unpack(Path(args.archive), Path(args.out), args.layout.course())
    except UnpackError as exc:
        console.print(Text(f"autograder unpack: {exc}", style="red"))
        return 2
    files = sum(map(len, written.values()))
    console.print(Text(f"unpacked {files} files of {len(written)} students into {args.out}/: "
                       f"grade them with `autograder grade {args.out}`"), soft_wrap=True)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from autograder.outputs.class_report import write_class_report

    path = write_class_report(Path(args.out), Path(args.html) if args.html else None,
                              args.layout.root if args.layout else None)
    console.print(f"wrote {escape(str(path))}")
    return 0


def _default_lang() -> str:
    """AUTOGRADER_LANG, which the notebooks' check cells read too (one setting for both)."""
    lang = os.environ.get("AUTOGRADER_LANG", "en")
    return lang if lang in ("en", "ko") else "en"


COURSE_HELP = ("the course folder (holding course.yml); default: $AUTOGRADER_ROOT, else the "
               "nearest folder holding course.yml above the current directory")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="autograder", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--course", metavar="DIR", help=COURSE_HELP)
    # also after the command (`autograder grade --course DIR ...`); SUPPRESS keeps the one above
    course = argparse.ArgumentParser(add_help=False)
    course.add_argument("--course", metavar="DIR", default=argparse.SUPPRESS, help=COURSE_HELP)
    subparsers = p.add_subparsers(dest="command", required=True)

    class Commands:  # every command gets --course
        @staticmethod
        def add_parser(name: str, **kwargs: Any) -> argparse.ArgumentParser:
            return subparsers.add_parser(name, parents=[course], **kwargs)

    commands = Commands()

    def backend_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--backend", choices=["sandbox", "process"], default="sandbox",
                        help="where student code runs (default: bubblewrap sandbox)")
        sp.add_argument("--lang", choices=["en", "ko"], default="en", help="feedback language")

    g = commands.add_parser("grade", help="grade submissions (public and hidden tests)")
    g.add_argument("submissions", nargs="+", metavar="SUBMISSION",
                   help="a folder per student, or the class folder holding them (folder names "
                        "are the student ids; put names starting with '-' after `--`)")
    g.add_argument("-a", "--assignment", action="append", metavar="SLUG")
    g.add_argument("-o", "--out", default="grades", help="output folder (default: grades/)")
    g.add_argument("-j", "--jobs", type=int, default=1, help="parallel job slots")
    g.add_argument("--require-sandbox", action="store_true",
                   help="fail instead of grading without bubblewrap")
    g.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    g.add_argument("--shard", type=_shard, metavar="K/N",
                   help="grade only the K-th of N parts of the class (see `autograder merge`)")
    g.add_argument("--regrade", nargs="+", action="extend", metavar="STUDENT",
                   help="grade these students again into the existing OUT (their old results "
                        "are replaced; the gradebook is rewritten); put it after the SUBMISSIONs")


    g.add_argument("--submitted-at", metavar="CSV",
                   help="submission times (student,assignment,submitted_at) for the deadlines")
    backend_options(g)
    g.set_defaults(func=cmd_grade)

    c = commands.add_parser("check", help="run the public tests on your own work")
    c.add_argument("slug")
    c.add_argument("path", nargs="?", help="your file or folder (default: assignments/SLUG/)")
    c.add_argument("--function", action="append", default=[], metavar="NAME",
                   help="run only the public tests of this function (repeatable)")
    c.add_argument("--backend", choices=["auto", "sandbox", "process", "portable"], default="auto",
                   help="where your code runs (default: the sandbox on Linux where bubblewrap "
                        "works, else portable: a plain Python process, any OS)")
    c.add_argument("--lang", choices=["en", "ko"], default=_default_lang(),
                   help="feedback language (default: $AUTOGRADER_LANG, else en)")
    c.set_defaults(func=cmd_check)

    commands.add_parser("validate", help="check the course itself").set_defaults(func=cmd_validate)
    commands.add_parser("release", help="build stubs, notebooks and the student bundle"
                        ).set_defaults(func=cmd_release)
    lt = commands.add_parser("late", help="apply deadlines and extensions to a grading output "
                             "again (no regrading)")
    lt.add_argument("out", help="a grading output folder")
    lt.add_argument("submissions", nargs="*", metavar="SUBMISSION",
                    help="the students' folders (default: those OUT/submissions.json records)")
    lt.add_argument("--submitted-at", metavar="CSV",
                    help="submission times (student,assignment,submitted_at), preferred to "
                         "timestamp.txt and git")
    lt.add_argument("--lang", choices=["en", "ko"], default="en", help="feedback language")
    lt.set_defaults(func=cmd_late)
    m = commands.add_parser("merge", help="combine the outputs of `grade --shard` into one")
    m.add_argument("outputs", nargs="+", metavar="SHARD_OUT", help="the shards' output folders")
    m.add_argument("-o", "--out", default="grades", help="output folder (default: grades/)")
    m.set_defaults(func=cmd_merge)
    e = commands.add_parser("export", help="grades for an LMS (canvas, long) or the grader for "
                            "another platform (gradescope, classroom50)")
    targets = e.add_subparsers(dest="target", required=True)
    gs = targets.add_parser("gradescope", help="a Gradescope autograder zip", parents=[course])
    gs.add_argument("-a", "--assignment", action="append", metavar="SLUG",
                    help="assignment(s) it grades (default: all)")
    gs.add_argument("-o", "--out", metavar="ZIP",
                    help="where to write it (default: build/gradescope/<name>.zip)")
    gs.add_argument("--backend", choices=["sandbox", "process"], default="sandbox",
                    help="where student code runs on Gradescope (default: sandbox, which falls "
                         "back loudly when bubblewrap cannot run there)")
    gs.set_defaults(func=cmd_export)
    c50 = targets.add_parser("classroom50", help="a Classroom 50 autograder bundle (autograder.py)")
    c50.add_argument("-a", "--assignment", required=True, metavar="SLUG", help="the assignment it grades")
    c50.add_argument("-o", "--out", metavar="DIR",
                     help="the bundle folder to write (default: build/classroom50/SLUG/)")
    c50.add_argument("--with-hidden", action="store_true",
                     help="also ship the hidden suites and the reference solutions they need "
                          "(students can read everything in the bundle)")
    backend_options(c50)
    c50.set_defaults(func=cmd_export_classroom50)


    for target, what, default in (
            ("canvas", "Canvas's gradebook import CSV (final scores)", "canvas.csv"),
            ("long", "one row per student and assignment: raw, penalty, final, status",
             "grades-long.csv")):
        x = targets.add_parser(target, help=what)
        x.add_argument("out", help="a grading output folder")
        if target == "canvas":
            x.add_argument("--roster", required=True, metavar="CSV",
                           help="student,canvas_id,sis_user_id,sis_login_id,name,section")
        x.add_argument("-o", "--csv", metavar="CSV",
                       help=f"where to write it (default: OUT/{default})")
        x.set_defaults(func=cmd_export_lms)
    sim = commands.add_parser("similarity", help="which submissions share code (HTML evidence)")
    sim.add_argument("out", help="a grading output folder (the report is written there)")
    sim.add_argument("-a", "--assignment", required=True, metavar="SLUG")
    sim.add_argument("submissions", nargs="*", metavar="SUBMISSION",
                     help="the students' folders (default: those OUT/submissions.json records)")
    sim.set_defaults(func=cmd_similarity)
    u = commands.add_parser("unpack", help="an LMS download (Canvas, Moodle) -> a folder per student")
    u.add_argument("archive", metavar="ZIP", help='the "download all submissions" zip')
    u.add_argument("-o", "--out", default="submissions",
                   help="the class folder to write (default: submissions/)")
    u.set_defaults(func=cmd_unpack)
    r = commands.add_parser("report", help="write the class report (HTML) for a grading output")
    r.add_argument("out", help="a grading output folder")
    r.add_argument("--html", help="where to write it (default: OUT/report.html)")
    r.set_defaults(func=cmd_report)
    return p


# Commands that read a grading output only: they say which course they are in when there is one.
NO_COURSE_NEEDED = {"merge", "report"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    args.after_dashes = "--" in argv  # names after `--` may start with "-"
    try:
        args.layout = Layout.find(args.course)
    except CourseNotFound as exc:
        if args.command not in NO_COURSE_NEEDED:
            console.print(Text(f"autograder: {exc}", style="red"), soft_wrap=True)
            return 2
        args.layout = None
    if args.layout is not None:
        catalogue.use_course(args.layout)  # its hints and words, wherever a command reads them
        console.print(f"course: {args.layout.root}", markup=False, highlight=False, soft_wrap=True)
    try:
        status: int = args.func(args)
        return status
    except (slots.GradingError, KeyError, OSError) as exc:
        console.print(f"[red]autograder: {escape(clean_text(exc))}[/red]")
        return 2


if __name__ == "__main__":
    sys.exit(main())
