"""The class: a class folder, student id rules, and not submitted is not 0 (grader.md, Revision 2)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import unicodedata

import pytest

from autograder.course.config import load_course
from autograder.course.roster import RosterError, build, identify, lookalikes
from autograder.isolation.remote import student_traceback
from tests.engine.conftest import TOY, TOY_SOLUTION, run_autograder

COURSE = load_course(TOY)


def student(parent, name, source: str | None = None):
    folder = parent / name
    folder.mkdir(parents=True)
    if source is not None:
        (folder / "toy.py").write_text(source)
    return folder


def test_a_folder_of_student_folders_is_the_class_and_says_so(tmp_path):
    klass = tmp_path / "submissions"
    for name in ("alice", "bob"):
        student(klass, name, TOY_SOLUTION.read_text())
    student(klass, "carol")  # submitted nothing: still a student
    for other in (".git", "__MACOSX"):
        (klass / other).mkdir()
    roster = build([klass], COURSE)
    assert list(roster.students) == ["alice", "bob", "carol"]
    assert roster.notes == [f"{klass} holds no assignment module but 3 subfolders: taken as the "
                            "class folder, one student per subfolder"]
    alone = build([klass / "carol"], COURSE)  # a student folder with nothing in it
    assert list(alone.students) == ["carol"] and alone.notes == []


def test_ids_are_nfc_and_two_spellings_of_one_name_are_refused(tmp_path):
    decomposed = unicodedata.normalize("NFD", "정다은")
    roster = identify([student(tmp_path, decomposed)])
    assert list(roster) == [unicodedata.normalize("NFC", "정다은")]
    composed = student(tmp_path, unicodedata.normalize("NFC", "정다은"))
    with pytest.raises(RosterError, match="the same name after Unicode normalisation"):
        identify([tmp_path / decomposed, composed])


def test_undecodable_folder_names_become_escaped_ids(tmp_path):
    os.mkdir(os.fsencode(tmp_path) + b"/caf\xe9")
    (folder,) = tmp_path.iterdir()
    assert list(identify([folder])) == ["caf\\xe9"]


@pytest.mark.parametrize("name", ["gradebook.csv", "Report.HTML", ".logs", "feedback.md", ".shard.json"])
def test_ids_that_are_output_names_are_refused(tmp_path, name):
    with pytest.raises(RosterError, match="is a name the grader writes in the output folder"):
        identify([student(tmp_path, name)])


def test_ids_starting_with_a_dash_need_double_dash(tmp_path):
    folder = student(tmp_path, "-rf")
    with pytest.raises(RosterError, match=r"starts with '-' \(put such names after `--`"):
        identify([folder])
    assert list(identify([folder], after_dashes=True)) == ["-rf"]


def test_look_alike_ids_are_warned_about_and_graded_separately(tmp_path):
    assert lookalikes(["kim_minji", "kim_minjі", "Kim_Minji", "lee"]) == [
        ["Kim_Minji", "kim_minji", "kim_minjі"]]  # the second has a Cyrillic і
    assert lookalikes(["ｐark", "park", "park2"]) == [["park", "ｐark"]]  # fullwidth p (NFKC)
    klass = tmp_path / "class"
    student(klass, "kim_minji", "")
    student(klass, "kim_minjі", "")
    roster = build([klass], COURSE)
    assert len(roster.students) == 2
    assert roster.warnings == ["student ids that look alike (graded as different students): "
                               "'kim_minji', 'kim_minjі'"]


def test_engine_frames_are_dropped_from_tracebacks_students_read():
    trace = ('  File "/opt/autograder/autograder/worker/session.py", line 40, in load_module\n'
             '    spec.loader.exec_module(module)\n'
             '  File "<frozen importlib._bootstrap_external>", line 999, in exec_module\n'
             '  File "/scratch/sub/toy.py", line 3, in <module>\n'
             '    raise RuntimeError("boom")\n')
    assert student_traceback(trace) == ('  File "/scratch/sub/toy.py", line 3, in <module>\n'
                                        '    raise RuntimeError("boom")')


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    base = tmp_path_factory.mktemp("class-folder")
    klass = base / "class"
    student(klass, "alice", TOY_SOLUTION.read_text())
    student(klass, "-dash", TOY_SOLUTION.read_text())
    student(klass, "bob")  # nothing submitted
    student(klass, "carol", 'raise RuntimeError("boom at import")\n')
    result = run_autograder("grade", "-o", "out", "--", "class", root=TOY, cwd=base)
    return result, base / "out"


def test_the_class_folder_is_graded_and_said_in_one_line(graded_class):
    result, out = graded_class
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"course: {TOY}"
    assert any(line.endswith("taken as the class folder, one student per subfolder") for line in lines)
    assert sorted(p.name for p in out.iterdir() if p.is_dir() and p.name != ".logs") == [
        "-dash", "alice", "bob", "carol"]


def test_not_submitted_is_an_empty_cell_and_the_total_is_what_was_graded(graded_class):
    _, out = graded_class
    with open(out / "gradebook.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert (rows["bob"]["toy"], rows["bob"]["total"]) == ("", "")
    assert (rows["carol"]["toy"], rows["carol"]["total"]) == ("0", "0")  # found, could not grade
    assert (rows["alice"]["toy"], rows["alice"]["total"]) == ("6", "6")


def test_students_read_not_submitted_and_never_engine_internals(graded_class):
    _, out = graded_class
    bob = json.loads((out / "bob" / "toy.json").read_text())
    assert bob["extra_data"]["status"] == "not_submitted" and bob["output"].startswith("not submitted")
    assert "## toy: not submitted" in (out / "bob" / "feedback.md").read_text()
    carol = json.loads((out / "carol" / "toy.json").read_text())
    assert carol["extra_data"]["status"] == "error"
    assert "RuntimeError: boom at import" in carol["output"] and "toy.py" in carol["output"]
    for path in out.glob("*/*"):
        if path.suffix in (".json", ".md"):
            text = path.read_text()
            assert "SubmissionUnavailable" not in text and "/opt/autograder" not in text, path
            assert "autograder/worker" not in text, path


def test_the_class_report_leaves_not_submitted_out_of_the_scores(graded_class):
    _, out = graded_class
    from autograder.outputs.class_report import load_results

    data = load_results(out)
    assert data.marks["bob", "toy"].status == "not_submitted" and data.marks["bob", "toy"].final is None
    assert data.marks["alice", "toy"].final == 6
    assert run_autograder("report", str(out), root=TOY).returncode == 0


def test_a_folder_with_a_dash_is_refused_without_double_dash(tmp_path):
    shutil.copytree(TOY / "solutions" / "toy", tmp_path / "-dash")
    result = run_autograder("grade", "-o", "out", "./-dash", root=TOY, cwd=tmp_path)
    assert result.returncode == 2 and "starts with '-'" in result.stdout


def test_an_lms_download_unpacks_into_a_class_folder(tmp_path):
    import zipfile

    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("kimminji_1201_5501_toy.py", TOY_SOLUTION.read_text())        # Canvas
        z.writestr("leejunho_LATE_1202_5502_toy-1.py", TOY_SOLUTION.read_text())  # late, resubmitted
        z.writestr("Park Seoyeon_77_assignsubmission_file_/toy.py", "x = 1\n")   # Moodle
        z.writestr("../escape_1_2_toy.py", "")                                    # never outside
        z.writestr("__MACOSX/._kimminji_1201_5501_toy.py", "")
    result = run_autograder("unpack", str(archive), "-o", "class", root=TOY, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    files = sorted(str(p.relative_to(tmp_path / "class")) for p in (tmp_path / "class").rglob("*.py"))
    assert files == ["Park_Seoyeon/toy.py", "kimminji/toy.py", "leejunho/toy.py"]
    assert not (tmp_path / "escape_1_2_toy.py").exists()
    assert list(build([tmp_path / "class"], COURSE).students) == ["Park_Seoyeon", "kimminji", "leejunho"]
