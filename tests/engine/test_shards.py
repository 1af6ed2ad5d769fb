"""`autograder grade --shard K/N` and `autograder merge`: parts of a class, one gradebook."""

import json
import shutil

import pytest

from autograder.batch import shards
from tests.engine.conftest import TOY_SOLUTION, run_autograder

WRONG_ADD = TOY_SOLUTION.read_text().replace(
    "return np.asarray(a, dtype=float) + np.asarray(b, dtype=float)",
    "return np.asarray(a, dtype=float) * np.asarray(b, dtype=float)")
SOURCES = {"amy": TOY_SOLUTION.read_text(), "ben": WRONG_ADD, "cho": "def add(:\n",
           "dev": TOY_SOLUTION.read_text(), "eli": WRONG_ADD}
SHARDS = 3


# -- shard selection ---------------------------------------------------------------------

def test_parse_accepts_k_of_n_and_refuses_the_rest():
    assert shards.parse("2/4") == shards.Shard(2, 4)
    assert str(shards.parse(" 1 / 1 ")) == "1/1"
    for bad in ("0/3", "4/3", "3", "a/b", "1/0", "-1/2", ""):
        with pytest.raises(shards.ShardError):
            shards.parse(bad)


@pytest.mark.parametrize("count", [1, 2, 3, 7, 40])
def test_shards_are_disjoint_cover_the_class_and_differ_by_at_most_one(count):
    students = [f"s{i:03d}" for i in range(37)]
    parts = [shards.select(students, shards.Shard(k, count)) for k in range(1, count + 1)]
    flat = [s for part in parts for s in part]
    assert sorted(flat) == students and len(flat) == len(set(flat))
    sizes = [len(part) for part in parts]
    assert max(sizes) - min(sizes) <= 1


def test_selection_does_not_depend_on_the_order_the_folders_are_given_in(tmp_path):
    folders = [tmp_path / name for name in ("zoe", "amy", "kim", "bob", "lee")]
    shard = shards.Shard(2, 2)
    chosen = {f.name for f in shards.select_submissions(folders, shard)}
    assert chosen == {f.name for f in shards.select_submissions(folders[::-1], shard)}
    assert chosen == {"bob", "lee"}  # sorted: amy bob kim lee zoe -> 2nd, 4th


# -- grading in shards, then merging -------------------------------------------------------

@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("sharded")
    folders = []
    for name, source in SOURCES.items():
        (base / "class" / name).mkdir(parents=True)
        (base / "class" / name / "toy.py").write_text(source)
        folders.append(str(base / "class" / name))
    single = run_autograder("grade", *folders, "-o", str(base / "single"))
    assert single.returncode == 0, single.stdout + single.stderr
    outs = []
    for k in range(1, SHARDS + 1):
        out = base / f"shard-{k}"
        result = run_autograder("grade", *folders[::-1], "--shard", f"{k}/{SHARDS}", "-o", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
        outs.append(out)
    return base, outs


def merge(*args):
    return run_autograder("merge", *map(str, args))


def test_each_shard_grades_only_its_part(graded):
    base, outs = graded
    for k, out in enumerate(outs, start=1):
        graded_here = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
        assert graded_here == shards.select(list(SOURCES), shards.Shard(k, SHARDS))
        meta = json.loads((out / shards.SHARD_FILE).read_text())
        assert meta == {"shard": f"{k}/{SHARDS}", "class": sorted(SOURCES), "assignments": ["toy"]}


def test_merged_gradebook_is_byte_identical_to_a_single_run(graded):
    base, outs = graded
    merged = base / "merged"
    result = merge(*outs, "-o", merged)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (merged / "gradebook.csv").read_bytes() == (base / "single" / "gradebook.csv").read_bytes()
    for student in SOURCES:
        mine, theirs = (json.loads((folder / student / "toy.json").read_text())
                        for folder in (merged, base / "single"))
        assert mine["score"] == theirs["score"]
        assert ([(t["name"], t["score"], t["status"]) for t in mine["tests"]]
                == [(t["name"], t["score"], t["status"]) for t in theirs["tests"]])
        assert (merged / student / "feedback.md").is_file()


def test_merge_refuses_a_missing_shard(graded, tmp_path):
    _, outs = graded
    result = merge(*outs[:-1], "-o", tmp_path / "m")
    assert result.returncode == 2 and "missing" in result.stdout
    assert not (tmp_path / "m" / "gradebook.csv").exists()


def test_merge_refuses_overlapping_shards(graded, tmp_path):
    _, outs = graded
    copy = tmp_path / "again"
    shutil.copytree(outs[0], copy)
    result = merge(*outs, copy, "-o", tmp_path / "m")
    assert result.returncode == 2 and "two shards" in result.stdout


def test_merge_refuses_shards_of_different_assignments(graded, tmp_path):
    _, outs = graded
    changed = tmp_path / "changed"
    shutil.copytree(outs[1], changed)
    gradebook = changed / "gradebook.csv"
    gradebook.write_text(gradebook.read_text().replace("student,toy,total", "student,other,total"))
    result = merge(outs[0], changed, outs[2], "-o", tmp_path / "m")
    assert result.returncode == 2


def test_a_shard_with_no_student_still_merges(tmp_path):
    folder = tmp_path / "class" / "solo"
    folder.mkdir(parents=True)
    shutil.copy(TOY_SOLUTION, folder / "toy.py")
    outs = [tmp_path / f"s{k}" for k in (1, 2)]
    for k, out in enumerate(outs, start=1):
        result = run_autograder("grade", str(folder), "--shard", f"{k}/2", "-o", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
    assert (outs[1] / "gradebook.csv").read_text() == "student,toy,total\n"
    result = merge(*outs, "-o", tmp_path / "m")
    assert result.returncode == 0, result.stdout
    assert (tmp_path / "m" / "gradebook.csv").read_text() == "student,toy,total\nsolo,6,6\n"


def test_a_bad_shard_spec_is_a_usage_error(tmp_path):
    result = run_autograder("grade", str(tmp_path), "--shard", "3/2")
    assert result.returncode == 2 and "between 1 and N" in result.stderr
