"""`autograder export canvas` and `export long` on the fake class (tests/engine/fake_class.py).

The Canvas CSV is read back the way Canvas's gradebook importer reads it (its
GradebookImporter: header `Student, ID[, SIS User ID, SIS Login ID], Section, <assignment>...`,
an assignment column `Title (id)` matched by id, a row whose first cell matches
/Points Possible/, students matched by ID, then SIS User ID, then SIS Login ID; an empty
cell changes nothing), and compared field by field.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import yaml

from autograder import cli
from autograder.course.config import Assignment, Course
from autograder.export.files import ExportError
from autograder.export.lms import read_roster, write_canvas, write_long
from tests.engine.fake_class import make_fake_out

COURSE = Course(title="t", assignments=[
    Assignment(slug="a1_losses", title="Losses (손실 함수)", module="losses",
               tests={"t": 10.0}, canvas_id=4101),
    Assignment(slug="a4_logistic_regression", title="Logistic regression",
               module="logistic_regression", tests={"t": 10.0}),
])
# Canvas's Assignment.title_and_id: a trailing " (digits)" is the id
TITLE_AND_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z", re.DOTALL)

def course_folder(folder: Path) -> str:
    """A course folder holding COURSE as course.yml, for `--course`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.yml").write_text(yaml.safe_dump(COURSE.model_dump(mode="json"), allow_unicode=True),
                                       encoding="utf-8")
    return str(folder)



def canvas_import(text: str) -> tuple[list[tuple[str, int | None, str]], list[dict]]:
    """What Canvas's importer takes from the file: assignments (title, id, points possible)
    and students (identity and a grade per assignment, '' = no change)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    assert len(header) > 3 and re.search("Student", header[0]) and re.search("ID", header[1])
    student_columns = 3
    if re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        student_columns += 2
    assert re.search("Section", header[student_columns - 1]), "Canvas: couldn't find header row"
    names = header[student_columns:]
    points: list[str] = []
    students: list[dict] = []
    for row in rows[1:]:
        if re.search("Points Possible", row[0]):
            points = row[student_columns:]
            continue
        students.append({"name": row[0], "id": row[1], "sis_user_id": row[2],
                         "sis_login_id": row[3], "section": row[4],
                         "grades": row[student_columns:]})
    assignments: list[tuple[str, int | None, str]] = []
    for name, possible in zip(names, points, strict=True):
        match = TITLE_AND_ID.match(name)
        assignments.append((match[1], int(match[2]), possible) if match else (name, None, possible))
    return assignments, students


def _roster(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["student", "canvas_id", "sis_user_id", "sis_login_id", "name",
                                  "section"], *rows])
    return path


ROSTER = [["alice", "9001", "S1", "alice@u.kr", "Kim, Alice", "A"],
          ["bob", "9002", "S2", "bob@u.kr", "=HYPERLINK(\"x\")", "A"],
          ["carol", "9003", "", "", "Lee, Carol", "B"],
          ["dave", "", "S4", "", "Park, Dave", "B"],
          ["erin", "9005", "", "", "Choi, Erin", "B"]]  # in the roster, never graded


def test_canvas_csv_in_the_documented_format(tmp_path: Path) -> None:
    out = make_fake_out(tmp_path / "grades")
    done = write_canvas(out, COURSE, _roster(tmp_path / "roster.csv", ROSTER), out / "canvas.csv")
    text = done.path.read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assignments, students = canvas_import(text)
    assert assignments == [("Losses (손실 함수)", 4101, "10"), ("Logistic regression", None, "10")]
    assert text.splitlines()[1] == "Points Possible,,,,,10,10"
    by_name = {s["name"]: s for s in students}
    assert by_name["Kim, Alice"] == {"name": "Kim, Alice", "id": "9001", "sis_user_id": "S1",
                                     "sis_login_id": "alice@u.kr", "section": "A",
                                     "grades": ["10", "7"]}
    assert by_name["Park, Dave"]["grades"] == ["0", ""]  # not submitted: empty, never 0
    assert by_name["Lee, Carol"]["grades"] == ["5", "0"]  # could not grade: its 0 stands
    assert by_name["Choi, Erin"]["grades"] == ["", ""]
    assert "'=HYPERLINK" in by_name["'=HYPERLINK(\"x\")"]["name"]  # no formula in a spreadsheet
    assert (done.not_graded, done.not_in_roster) == (["erin"], [])
    assert done.path.read_bytes().endswith(b",,\r\n")  # RFC 4180 line ends, as Canvas writes


def test_students_missing_from_the_roster_are_reported(tmp_path: Path, monkeypatch) -> None:
    out = make_fake_out(tmp_path / "grades")
    roster = _roster(tmp_path / "roster.csv", ROSTER[:2])
    done = write_canvas(out, COURSE, roster, tmp_path / "c.csv")
    assert done.not_in_roster == ["carol", "dave"]
    # the file is written, and the command fails so that a script notices
    assert cli.main(["--course", course_folder(tmp_path / "course"), "export", "canvas", str(out),
                     "--roster", str(roster)]) == 1
    assert (out / "canvas.csv").is_file()


@pytest.mark.parametrize(("rows", "why"), [
    ([["alice", "", "", "", "Kim", "A"]], "needs a student and a Canvas id"),
    ([["alice", "1", "", "", "", ""], ["alice", "2", "", "", "", ""]], "listed twice"),
])
def test_bad_rosters_are_refused(tmp_path: Path, rows: list[list[str]], why: str) -> None:
    with pytest.raises(ExportError, match=why):
        read_roster(_roster(tmp_path / "roster.csv", rows))
    (tmp_path / "ids.csv").write_text("student,email\nalice,a@u.kr\n", encoding="utf-8")
    with pytest.raises(ExportError, match="one of canvas_id"):
        read_roster(tmp_path / "ids.csv")


def test_long_csv(tmp_path: Path, monkeypatch) -> None:
    out = make_fake_out(tmp_path / "grades")
    assert cli.main(["--course", course_folder(tmp_path / "course"), "export", "long", str(out)]) == 0
    assert (out / "grades-long.csv").read_text(encoding="utf-8") == write_long(
        out, COURSE, tmp_path / "again.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(write_long(out, COURSE, out / "long.csv")
                                           .read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["student", "assignment", "raw", "penalty", "final", "max_score",
                             "status", "submitted_at", "time_source", "late_hours"]
    cells = {(r["student"], r["assignment"]): r for r in rows}
    assert len(cells) == 8
    dave = cells["dave", "a4_logistic_regression"]
    assert (dave["raw"], dave["penalty"], dave["final"], dave["status"]) == ("", "", "", "not_submitted")
    carol = cells["carol", "a4_logistic_regression"]
    assert (carol["raw"], carol["final"], carol["status"]) == ("0", "0", "error")
    alice = cells["alice", "a1_losses"]
    assert (alice["raw"], alice["penalty"], alice["final"], alice["status"]) == ("10", "0", "10", "graded")
