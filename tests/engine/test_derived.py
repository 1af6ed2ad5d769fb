"""Derived files: `release` rewrites only their generated block; `validate` names stale ones."""

from __future__ import annotations

import shutil

import pytest
import yaml

from autograder.course.layout import Layout
from autograder.release.derived import (
    BEGIN,
    END,
    DerivedError,
    block,
    stale_derived,
    write_block,
    write_derived,
)
from tests.engine.conftest import REPO


def test_the_block_is_rewritten_and_everything_around_it_kept(tmp_path):
    path = tmp_path / "nbgrader_config.py"
    mine = "c = get_config()\nc.Exchange.root = '/srv/x'\n"
    old, new = block("old = 1\n"), block("new = 2\n")
    path.write_text(f"{mine}{old}# mine\n")
    assert write_block(path, "new = 2\n")
    assert path.read_text() == f"{mine}{new}# mine\n"
    assert not write_block(path, "new = 2\n")  # nothing changed: not written again


def test_a_missing_file_is_written_fresh_and_a_file_without_markers_refused(tmp_path):
    fresh = tmp_path / "build" / "config.py"
    assert write_block(fresh, "x = 1\n", fresh=f"# top\n# {BEGIN}\n# {END}\n")
    assert fresh.read_text() == "# top\n" + block("x = 1\n")
    assert not write_block(tmp_path / "absent.yml", "x\n")  # no fresh form: not created
    adopted = tmp_path / "nbgrader_config.py"  # written before the markers, or by hand
    adopted.write_text("c = get_config()\nc.Exchange.root = '/srv/x'\n")
    assert write_block(adopted, "x = 1\n", fresh="unused")
    assert adopted.read_text() == "c = get_config()\nc.Exchange.root = '/srv/x'\n\n" + block("x = 1\n")
    broken = tmp_path / "broken.py"
    broken.write_text("c.Exchange.root = '/srv/x'\n")
    with pytest.raises(DerivedError, match="broken.py has no"):
        write_block(broken, "x = 1\n")


def test_changed_points_make_the_class_workflow_stale_until_release(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(REPO / "course.yml", course / "course.yml")
    shutil.copytree(REPO / "ci-templates", course / "ci-templates")
    layout = Layout(course)
    assert stale_derived(layout, layout.course()) == []
    data = yaml.safe_load((course / "course.yml").read_text())
    data["assignments"][0]["tests"][next(iter(data["assignments"][0]["tests"]))] += 5
    (course / "course.yml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    problems = stale_derived(layout, layout.course())
    assert problems == ["ci-templates/grade-class.yml is stale (its generated block differs from "
                        "course.yml): run `autograder release`"]
    before = (course / "ci-templates" / "grade-class.yml").read_text()
    written = write_derived(layout, layout.course())
    assert course / "ci-templates" / "grade-class.yml" in written
    after = (course / "ci-templates" / "grade-class.yml").read_text()
    assert stale_derived(layout, layout.course()) == []
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and "description:" in changed[0][1]  # only the generated line
    assert (course / "build" / "nbgrader" / "nbgrader_config.py").is_file()  # written fresh


def test_the_committed_class_workflow_is_up_to_date():
    layout = Layout(REPO)  # (build/ is not committed: it is checked after a release)
    assert [p for p in stale_derived(layout, layout.course()) if "build/" not in p] == []
