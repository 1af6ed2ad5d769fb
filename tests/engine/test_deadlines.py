"""Deadlines and late penalties: times, lateness, extensions, scoring, gradebook, feedback.

Every time is fixed in the test (no clock is read, nothing sleeps).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from autograder import cli
from autograder.course import deadlines
from autograder.course.config import Assignment, Course, Deadline
from autograder.course.deadlines import (
    DeadlineError,
    Extension,
    SubmittedAt,
    git_commit_time,
    lateness,
    parse_time,
    read_extensions,
    submission_time,
)
from autograder.course.layout import Layout
from autograder.outputs.feedback import render_markdown
from autograder.outputs.gradebook import write_gradebook
from autograder.outputs.store import write_json
from autograder.scoring.results import AssignmentResult
from autograder.scoring.score import score_of

KST = "+09:00"
DUE = datetime.fromisoformat(f"2026-10-05T23:59:00{KST}")


def at(hours_after_due: float) -> SubmittedAt:
    return SubmittedAt(DUE + timedelta(hours=hours_after_due), "submitted-at CSV")


def policy(**kw) -> Deadline:
    return Deadline(**{"due": DUE, "penalty": 10, **kw})


# ---------------------------------------------------------------- parsing times


def test_parse_time_iso_and_nbgrader_formats() -> None:
    assert parse_time("2026-10-05T23:59:00+09:00") == DUE
    assert parse_time("2026-10-05T14:59:00Z") == DUE
    # nbgrader's default timestamp_format "%Y-%m-%d %H:%M:%S.%f %Z" with timezone UTC
    assert parse_time("2026-10-05 14:59:00.000000 UTC\n") == DUE
    assert parse_time("2026-10-05 23:59:00.000000 +0900") == DUE  # a format with %z


@pytest.mark.parametrize(("text", "why"), [
    ("2026-10-05 23:59:00", "no time zone"),
    ("2026-10-05 23:59:00.000000 KST", "ambiguous"),  # KST, CST, IST: a guess moves hours
    ("next monday", "not an ISO 8601 time"),
])
def test_parse_time_refuses_what_it_would_have_to_guess(text: str, why: str) -> None:
    with pytest.raises(DeadlineError, match=why):
        parse_time(text)


def test_course_yml_deadline_needs_a_time_zone() -> None:
    with pytest.raises(ValueError, match="timezone"):
        Deadline(due=datetime(2026, 10, 5, 23, 59), penalty=10)  # noqa: DTZ001 - the point
    deadline = Deadline.model_validate({"due": "2026-10-05T23:59:00+09:00", "penalty": 10,
                                        "grace": "PT15M", "per": "hour"})
    assert deadline.grace == timedelta(minutes=15)


# ---------------------------------------------------------------- lateness


def test_on_time_and_just_before_the_deadline_cost_nothing() -> None:
    for hours in (-48, 0):
        late = lateness(policy(), at(hours), None)
        assert (late.late, late.penalty_percent) == (False, 0)


def test_every_started_day_counts() -> None:
    assert lateness(policy(), at(0.01), None).penalty_percent == 10
    assert lateness(policy(), at(24), None).penalty_percent == 10
    assert lateness(policy(), at(25), None).penalty_percent == 20
    assert lateness(policy(), at(25), None).late_seconds == 25 * 3600


def test_per_hour_and_cap() -> None:
    assert lateness(policy(per="hour", penalty=5), at(2.5), None).penalty_percent == 15
    assert lateness(policy(cap=30), at(24 * 7), None).penalty_percent == 30
    assert lateness(policy(), at(24 * 30), None).penalty_percent == 100


def test_grace_period_forgives_but_does_not_shift_the_deadline() -> None:
    grace = policy(grace=timedelta(minutes=15))
    assert lateness(grace, at(0.2), None).penalty_percent == 0
    late = lateness(grace, at(0.5), None)
    assert (late.late_seconds, late.penalty_percent) == (1800, 10)  # counted from the due time


def test_extensions_extra_days_or_new_deadline() -> None:
    extra = lateness(policy(), at(30), Extension(extra_days=2))
    assert (extra.late, extra.extension) == (False, "2 extra day(s)")
    assert extra.due == (DUE + timedelta(days=2)).isoformat()
    moved = lateness(policy(), at(30), Extension(due=DUE + timedelta(hours=29)))
    assert (moved.late_seconds, moved.penalty_percent) == (3600, 10)


def test_no_known_time_counts_as_on_time_and_says_so() -> None:
    late = lateness(policy(), SubmittedAt(None, "none", "no submission time found"), None)
    assert (late.late, late.source, late.submitted_at) == (False, "none", None)


# ---------------------------------------------------------------- where the time comes from


def _git(repo: Path, *args: str, date: str = "2026-10-06T10:00:00+09:00") -> str:
    env = {"PATH": os.environ["PATH"], "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "s", "GIT_AUTHOR_EMAIL": "s@example.org",
           "GIT_COMMITTER_NAME": "s", "GIT_COMMITTER_EMAIL": "s@example.org",
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout


def _repo(folder: Path, date: str = "2026-10-06T10:00:00+09:00") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _git(folder, "init", "-q")
    (folder / "losses.py").write_text("def mse(a, b):\n    return 0\n", encoding="utf-8")
    _git(folder, "add", "losses.py")
    _git(folder, "commit", "-q", "-m", "work", date=date)
    return folder


def test_sources_in_order_csv_then_timestamp_then_git(tmp_path: Path) -> None:
    folder = _repo(tmp_path / "kim")
    from_git = submission_time(folder, "kim", "a1_losses", {})
    assert (from_git.source, from_git.when) == ("git last commit",
                                                parse_time("2026-10-06T10:00:00+09:00"))
    (folder / "a1_losses").mkdir()
    (folder / "a1_losses" / "timestamp.txt").write_text("2026-10-05 12:00:00.000000 UTC",
                                                        encoding="utf-8")
    stamped = submission_time(folder, "kim", "a1_losses", {})
    assert (stamped.source, stamped.detail) == ("nbgrader timestamp.txt", "a1_losses/timestamp.txt")
    listed = submission_time(folder, "kim", "a1_losses", {("kim", "a1_losses"): DUE})
    assert (listed.source, listed.when) == ("submitted-at CSV", DUE)


def test_an_unreadable_timestamp_is_reported_not_guessed(tmp_path: Path) -> None:
    (tmp_path / "lee").mkdir()
    (tmp_path / "lee" / "timestamp.txt").write_text("2026-10-05 12:00:00 KST", encoding="utf-8")
    found = submission_time(tmp_path / "lee", "lee", "a1_losses", {})
    assert found.source == "none" and "ambiguous" in found.detail


def test_git_of_an_enclosing_repository_is_not_the_students(tmp_path: Path) -> None:
    outer = _repo(tmp_path / "course")
    (outer / "submissions" / "park").mkdir(parents=True)
    found = submission_time(outer / "submissions" / "park", "park", "a1_losses", {})
    assert found.source == "none"


def test_git_runs_nothing_from_the_students_repository(tmp_path: Path) -> None:
    """A repository can name programs in its own .git/config; with a signed-looking commit,
    `log.showSignature` makes a plain `git log` run `gpg.program`."""
    repo = _repo(tmp_path / "choi")
    marker = tmp_path / "ran"
    evil = tmp_path / "evil.sh"
    evil.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n", encoding="utf-8")
    evil.chmod(0o755)
    tree = _git(repo, "rev-parse", "HEAD^{tree}").strip()
    commit = (f"tree {tree}\nauthor s <s@example.org> 1790000000 +0900\n"
              "committer s <s@example.org> 1790000000 +0900\n"
              "gpgsig -----BEGIN PGP SIGNATURE-----\n \n AAAA\n -----END PGP SIGNATURE-----\n\nsigned\n")
    sha = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=repo,
                         input=commit, capture_output=True, text=True, check=True).stdout.strip()
    _git(repo, "update-ref", "HEAD", sha)
    with (repo / ".git" / "config").open("a", encoding="utf-8") as f:
        f.write(f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {evil}\n"
                f"[core]\n\tfsmonitor = {evil}\n\tpager = {evil}\n")
    subprocess.run(["git", "log", "-1"], cwd=repo, capture_output=True, check=False)
    assert marker.exists(), "the test's attack does not work: it proves nothing"
    marker.unlink()
    assert git_commit_time(repo / ".git") == datetime.fromtimestamp(1790000000, UTC)
    assert not marker.exists()


# ---------------------------------------------------------------- extensions file


def _course(**deadline) -> Course:
    return Course(title="t", assignments=[Assignment(
        slug="a1_losses", title="Losses", module="losses", tests={"t1": 30.0, "t2": 20.0},
        deadline=Deadline(due=DUE, penalty=10, **deadline))])


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def test_extensions_file_is_checked(tmp_path: Path) -> None:
    course = _course()
    good = _write_csv(tmp_path / "ok.csv", [["student", "assignment", "due", "extra_days"],
                                            ["kim", "a1_losses", "", "1.5"],
                                            ["lee", "a1_losses", "2026-10-09T12:00:00+09:00", ""]])
    assert read_extensions(good, course) == {
        ("kim", "a1_losses"): Extension(extra_days=1.5),
        ("lee", "a1_losses"): Extension(due=parse_time("2026-10-09T12:00:00+09:00"))}
    for rows, why in [([["kim", "a9", "", "1"]], "no assignment 'a9'"),
                      ([["kim", "a1_losses", "2026-10-09T12:00:00+09:00", "1"]], "either"),
                      ([["kim", "a1_losses", "2026-10-09", ""]], "no time zone")]:
        bad = _write_csv(tmp_path / "bad.csv", [["student", "assignment", "due", "extra_days"], *rows])
        with pytest.raises(DeadlineError, match=why):
            read_extensions(bad, course)


def test_an_extension_for_someone_not_in_the_class_is_an_error(tmp_path: Path) -> None:
    extensions = _write_csv(tmp_path / "extensions.csv", [["student", "assignment", "extra_days"],
                                                         ["kim_minij", "a1_losses", "2"]])
    (tmp_path / "kim_minji").mkdir()
    with pytest.raises(DeadlineError, match="not in the class: kim_minij"):
        deadlines.record(_course(), tmp_path / "out", {"kim_minji": tmp_path / "kim_minji"},
                         ["a1_losses"], None, extensions)


def test_submitted_at_rows_for_others_are_said_not_fatal(tmp_path: Path) -> None:
    times = _write_csv(tmp_path / "times.csv", [["student", "assignment", "submitted_at"],
                                                ["kim_minji", "a1_losses", DUE.isoformat()],
                                                ["dropped", "a1_losses", DUE.isoformat()]])
    (tmp_path / "kim_minji").mkdir()
    (tmp_path / "kim_minji" / "losses.py").write_text("def mse(a, b):\n    return 0\n")
    notes = deadlines.record(_course(), tmp_path / "out", {"kim_minji": tmp_path / "kim_minji"},
                             ["a1_losses"], times, tmp_path / "none.csv")
    assert notes == [f"{times} lists students who are not in the class (ignored): dropped"]
    late = deadlines.read_late(tmp_path / "out")["kim_minji"]["a1_losses"]
    assert (late.source, late.late) == ("submitted-at CSV", False)


# ---------------------------------------------------------------- scoring


def _late(percent: float) -> deadlines.Lateness:
    return deadlines.Lateness(due=DUE.isoformat(), submitted_at=DUE.isoformat(),
                              source="submitted-at CSV", detail="", extension="",
                              late_seconds=3600.0 if percent else 0.0, penalty_percent=percent)


def _read(data: dict) -> AssignmentResult:
    return AssignmentResult.from_gradescope(data)


def status_of(data: dict) -> str:
    return _read(data).status


def test_penalty_is_a_percent_of_max_score_and_never_below_zero() -> None:
    result = _read({"score": 40.0, "max_score": 50.0, "tests": []})
    scored = score_of(result, _late(20))
    assert (scored.raw, scored.penalty, scored.final) == (40.0, 10.0, 30.0)
    low = score_of(_read({"score": 5.0, "max_score": 50.0}), _late(20))
    assert (low.penalty, low.final) == (5.0, 0.0)
    assert score_of(result, None).final == 40.0


def test_not_submitted_has_no_score_at_all() -> None:
    missing = {"score": 0.0, "max_score": 50.0,
               "extra_data": {"error": "no losses.py or losses.ipynb found (looked for losses.py)"}}
    for result in (None, _read(missing), _read({"score": 0, "extra_data": {"status": "not_submitted"}})):
        scored = score_of(result, _late(20))
        assert (scored.status, scored.raw, scored.final) == ("not_submitted", None, None)
    assert status_of({"score": 0, "extra_data": {"error": "losses.py has a syntax error"}}) == "error"
    assert status_of({"score": 3, "extra_data": {"error": None}}) == "graded"


# ---------------------------------------------------------------- gradebook and feedback


def _out(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    write_json(out / "kim" / "a1_losses.json", {"score": 40.0, "max_score": 50.0, "tests": []})
    write_json(out / "=lee" / "a1_losses.json", {"score": 50.0, "max_score": 50.0, "tests": []})
    (out / "park").mkdir()
    return out


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8").splitlines()))


def test_gradebook_without_deadlines_keeps_its_columns(tmp_path: Path) -> None:
    out = _out(tmp_path)
    rows = _rows(write_gradebook(out, ["kim", "=lee", "park"], ["a1_losses"]))
    assert rows == [["student", "a1_losses", "total"], ["'=lee", "50", "50"], ["kim", "40", "40"],
                    ["park", "", ""]]


def test_gradebook_with_a_deadline_adds_raw_and_penalty(tmp_path: Path) -> None:
    out = _out(tmp_path)
    deadlines.write_late(out, {"kim": {"a1_losses": _late(20)}, "=lee": {"a1_losses": _late(0)},
                               "park": {"a1_losses": _late(0)}})
    rows = _rows(write_gradebook(out, ["kim", "=lee", "park"], ["a1_losses"]))
    assert rows[0] == ["student", "a1_losses", "total", "a1_losses_raw", "a1_losses_penalty"]
    assert rows[1:] == [["'=lee", "50", "50", "50", "0"], ["kim", "30", "30", "40", "10"],
                        ["park", "", "", "", ""]]


def test_feedback_says_when_which_source_and_what_it_cost() -> None:
    late = deadlines.Lateness(due=DUE.isoformat(), submitted_at="2026-10-07T02:00:00+09:00",
                              source="nbgrader timestamp.txt", detail="a1_losses/timestamp.txt",
                              extension="1 extra day(s)", late_seconds=7500.0, penalty_percent=10)
    text = render_markdown("kim", {"a1_losses": _read({"score": 40.0, "max_score": 50.0, "tests": []})},
                           late={"a1_losses": late})
    assert "## a1_losses: 35 / 50" in text
    assert "**Late penalty: −10% (−5)**" in text
    assert "nbgrader timestamp.txt" in text and "1 extra day(s)" in text
    assert "**Total: 35 / 50**" in text
    ko = render_markdown("kim", {"a1_losses": _read({"score": 40.0, "max_score": 50.0, "tests": []})},
                         lang="ko", late={"a1_losses": late})
    assert "지각 감점" in ko and "2.1시간 지각" in ko


# ---------------------------------------------------------------- the `late` command


def test_late_command_rewrites_gradebook_and_feedback(tmp_path: Path, monkeypatch) -> None:
    course = _course(per="day")
    out = tmp_path / "out"
    folders = {}
    for student, stamp in (("kim", "2026-10-05 14:00:00.000000 UTC"),
                           ("lee", "2026-10-07 03:00:00.000000 UTC"), ("park", None)):
        folders[student] = tmp_path / "class" / student
        folders[student].mkdir(parents=True)
        (folders[student] / "losses.py").write_text("def mse(a, b):\n    return 0\n")
        if stamp:
            (folders[student] / "timestamp.txt").write_text(stamp, encoding="utf-8")
        write_json(out / student / "a1_losses.json", {"score": 50.0, "max_score": 50.0, "tests": []})
    folders["choi"] = tmp_path / "class" / "choi"  # handed in nothing: needs no time
    (folders["choi"] / "a1_losses").mkdir(parents=True)
    (folders["choi"] / "a1_losses" / "timestamp.txt").write_text("2026-10-09 03:00:00 UTC")
    write_json(out / "choi" / "a1_losses.json", {"score": 0.0, "max_score": 50.0, "extra_data": {
        "error": "no losses.py or losses.ipynb found (looked for losses.py)"}})
    _write_csv(tmp_path / "extensions.csv", [["student", "assignment", "extra_days"],
                                             ["park", "a1_losses", "3"]])
    submitted = _write_csv(tmp_path / "times.csv", [["student", "assignment", "submitted_at"],
                                                    ["park", "a1_losses", "2026-10-08T10:00:00+09:00"]])
    (tmp_path / "course.yml").write_text("# the course is `course`, below\n")
    monkeypatch.setattr(Layout, "course", lambda self: course)
    assert cli.main(["--course", str(tmp_path), "late", str(out), *map(str, folders.values()),
                     "--submitted-at", str(submitted)]) == 0
    rows = {r[0]: r for r in _rows(out / "gradebook.csv")}
    assert rows["kim"][1:] == ["50", "50", "50", "0"]  # on time
    assert rows["lee"][1:] == ["40", "40", "50", "10"]  # 27 h late: two started days, 20%
    assert rows["park"][1:] == ["50", "50", "50", "0"]  # within the 3-day extension
    assert rows["choi"][1:] == ["", "", "", ""]
    record = json.loads((out / "late.json").read_text(encoding="utf-8"))
    assert record["lee"]["a1_losses"]["source"] == "nbgrader timestamp.txt"
    assert record["park"]["a1_losses"]["source"] == "submitted-at CSV"
    result = json.loads((out / "lee" / "a1_losses.json").read_text(encoding="utf-8"))
    assert result["extra_data"]["late"] == record["lee"]["a1_losses"]  # said in the results too
    assert result["score"] == 50.0  # the tests' raw score
    assert record["choi"] == {}  # nothing handed in: no lateness
    assert "Late penalty: −20% (−10)" in (out / "lee" / "feedback.md").read_text(encoding="utf-8")
    # OUT/submissions.json was not written here (no grade run): the folders must be named
    assert cli.main(["late", str(out)]) == 2


def test_merge_joins_the_shards_lateness(tmp_path: Path) -> None:
    from autograder.batch import shards

    parts = []
    for student, percent in (("kim", 20), ("lee", 0)):
        part = tmp_path / f"shard-{student}"
        write_json(part / student / "a1_losses.json", {"score": 40.0, "max_score": 50.0})
        deadlines.write_late(part, {student: {"a1_losses": _late(percent)}})
        write_gradebook(part, [student], ["a1_losses"])
        parts.append(part)
    assert _rows(parts[0] / "gradebook.csv")[0][-1] == "a1_losses_penalty"  # read by merge
    shards.merge(parts, tmp_path / "out")
    assert _rows(tmp_path / "out" / "gradebook.csv") == [
        ["student", "a1_losses", "total", "a1_losses_raw", "a1_losses_penalty"],
        ["kim", "30", "30", "40", "10"], ["lee", "40", "40", "40", "0"]]
