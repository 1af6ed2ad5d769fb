"""The workflow templates in ci-templates/: valid YAML, valid commands, shards then a merge."""

import re
import shlex

import pytest
import yaml

from autograder.cli import parser
from tests.engine.conftest import REPO

TEMPLATES = REPO / "ci-templates"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")
SAMPLE = {"matrix.shard": "2", "strategy.job-total": "4"}


def load(name: str) -> dict:
    data = yaml.safe_load((TEMPLATES / name).read_text())
    assert isinstance(data, dict) and "on" in data, f"{name}: quote the `on` key"
    return data


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def autograder_commands(step: dict) -> list[list[str]]:
    """argv (after `autograder`) of each autograder command in a run step, expressions filled."""
    text = EXPRESSION.sub(lambda m: SAMPLE.get(m[1], "X"), step.get("run", ""))
    commands = []
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        for i, word in enumerate(words):
            if word.endswith("bin/autograder") or word == "autograder":
                commands.append([w for w in words[i + 1:] if w != '"${args[@]}"'
                                 and not w.startswith("${args")])
    return commands


@pytest.mark.parametrize("name", ["grade-class.yml"])
def test_templates_are_workflows_with_pinned_actions(name):
    workflow = load(name)
    assert workflow["name"] and workflow["jobs"]
    for job_id, job in workflow["jobs"].items():
        assert job["runs-on"].startswith("ubuntu"), job_id
        assert job["steps"], job_id
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]


@pytest.mark.parametrize("name", ["grade-class.yml"])
def test_templates_follow_github_workflow_schema(name):
    validator = pytest.importorskip("check_jsonschema", reason="check-jsonschema not installed")
    import json
    from importlib.resources import files

    import jsonschema  # type: ignore[import-untyped]  # no stubs installed

    schema = json.loads(files(validator).joinpath(
        "builtin_schemas/vendor/github-workflows.json").read_text())
    jsonschema.validate(yaml.safe_load((TEMPLATES / name).read_text()), schema)


def test_class_workflow_grades_each_shard_of_a_matrix_then_merges():
    workflow = load("grade-class.yml")
    grade, merge = workflow["jobs"]["grade"], workflow["jobs"]["merge"]
    shard_list = grade["strategy"]["matrix"]["shard"]
    assert shard_list == list(range(1, len(shard_list) + 1)) and len(shard_list) > 1
    assert grade["strategy"]["fail-fast"] is False
    grading = [cmd for step in grade["steps"] for cmd in autograder_commands(step)]
    assert len(grading) == 1 and grading[0][0] == "grade"
    args = parser().parse_args(grading[0])
    assert str(args.shard) == "2/4" and args.out == "grades-2" and args.jobs == 2
    upload = next(s for s in grade["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["name"] == "grades-shard-${{ matrix.shard }}"
    assert upload["with"]["path"] == "grades-${{ matrix.shard }}"
    assert upload["with"]["include-hidden-files"] is True  # .shard.json

    assert merge["needs"] == "grade"
    download = next(s for s in merge["steps"] if s.get("uses", "").startswith("actions/download-artifact"))
    assert download["with"]["pattern"] == "grades-shard-*"
    commands = [cmd for step in merge["steps"] for cmd in autograder_commands(step)]
    assert [c[0] for c in commands] == ["merge", "report"]
    merged = parser().parse_args(commands[0])
    assert merged.outputs == [f"{download['with']['path']}/*"] and merged.out == "grades"
    final = merge["steps"][-1]
    assert final["uses"].startswith("actions/upload-artifact") and final["with"]["path"] == merged.out


def test_class_workflow_passes_inputs_through_env_not_into_the_script():
    workflow = load("grade-class.yml")
    for step in steps(workflow, "grade"):
        assert "inputs." not in step.get("run", ""), "inputs must reach scripts via env"
