"""The graded suites judged by the engine: no false fails, no missed bugs.

Every correct variant (tests/fixtures/variants) must earn full marks; every mutant
(tests/fixtures/mutants/<slug>.yml: one patch of the reference each) must lose points on the
functions it breaks, carry its hint, name no other hint, and keep every other function whole.
"""

import json
from pathlib import Path

import pytest
import yaml

from autograder.course.config import load_course
from autograder.course.hints import find_hints
from tests.engine.conftest import REPO, run_autograder

COURSE = load_course(REPO)
SLUGS = [a.slug for a in COURSE.assignments]
VARIANTS = REPO / "tests" / "fixtures" / "variants"
MUTANTS = REPO / "tests" / "fixtures" / "mutants"
CONVENTIONS = REPO / "tests" / "fixtures" / "conventions"


def mutants_of(slug: str) -> list[dict]:
    path = MUTANTS / f"{slug}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []


def variants_of(slug: str, root: Path = VARIANTS) -> list[Path]:
    folder = root / slug
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.exists() else []


def apply_patch(source: str, patch: list[dict], name: str) -> str:
    for change in patch:
        count = source.count(change["old"])
        assert count == 1, f"mutant {name}: {change['old']!r} occurs {count} times in the reference"
        source = source.replace(change["old"], change["new"])
    return source


@pytest.fixture(scope="module", params=SLUGS)
def graded(request, tmp_path_factory):
    """Grade the reference, the stub, every variant and every mutant of one assignment at once."""
    slug = request.param
    assignment = COURSE.assignment(slug)
    module = f"{assignment.module}.py"
    reference = (REPO / "solutions" / slug / module).read_text(encoding="utf-8")
    base = tmp_path_factory.mktemp(slug)
    folders = {"reference": REPO / "solutions" / slug, "stub": REPO / "assignments" / slug}
    for variant in variants_of(slug):
        folders[f"variant-{variant.name}"] = variant
    for convention in variants_of(slug, CONVENTIONS):
        folders[f"convention-{convention.name}"] = convention
    for mutant in mutants_of(slug):
        folder = base / f"mutant-{mutant['name']}"
        folder.mkdir()
        (folder / module).write_text(apply_patch(reference, mutant["patch"], mutant["name"]))
        folders[folder.name] = folder
    # the student id is the folder name: copy fixed folders under their role's name
    submissions = base / "class"
    submissions.mkdir()
    for name, folder in folders.items():
        (submissions / name).mkdir()
        (submissions / name / module).write_text((folder / module).read_text(encoding="utf-8"))
    out = base / "out"
    result = run_autograder("grade", *sorted(str(p) for p in submissions.iterdir()),
                            "-a", slug, "-o", str(out), "-j", "2", root=REPO)
    assert result.returncode == 0, result.stdout + result.stderr

    def results(student: str) -> dict:
        return json.loads((out / student / f"{slug}.json").read_text(encoding="utf-8"))

    return slug, results


def per_function(results: dict) -> dict[str, list[dict]]:
    functions: dict[str, list[dict]] = {}
    for test in results["tests"]:
        functions.setdefault(test["tags"][0], []).append(test)
    return functions


def failures(results: dict) -> list[str]:
    return [f"{t['name']}: {t['output'][:400]}" for t in results["tests"] if t["status"] != "passed"]


def test_reference_earns_full_marks(graded):
    _, results = graded
    data = results("reference")
    assert data["score"] == data["max_score"] > 0, failures(data)


def test_stub_earns_zero_with_the_not_implemented_hint(graded):
    _, results = graded
    data = results("stub")
    assert data["score"] == 0
    assert all("[hint:not-implemented]" in t["output"] for t in data["tests"]), failures(data)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_assignment_has_three_correct_variants(slug):
    assert len(variants_of(slug)) >= 3


def documented_losses(variant: Path) -> dict:
    """A convention's documented cost (`loses.yml`: the tests it loses and their hint)."""
    path = variant / "loses.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {"tests": []}


def check_documented_losses(data: dict, folder: Path) -> None:
    """The submission loses exactly its documented small tests (each at most 1 point)."""
    expected = documented_losses(folder)
    lost = {t["name"].split(": ", 1)[1]: t for t in data["tests"] if t["status"] != "passed"}
    assert sorted(lost) == sorted(expected["tests"]), (folder.name, failures(data))
    hints = [expected["hint"]] if expected.get("hint") else []
    for test in lost.values():
        assert find_hints(test["output"]) == hints, (folder.name, test["output"])
        assert test["max_score"] <= 1, (folder.name, test["name"])


def test_correct_variants_earn_full_marks(graded):
    """Full marks, except the exact-shape tests a convention's variant documents."""
    slug, results = graded
    for variant in variants_of(slug):
        check_documented_losses(results(f"variant-{variant.name}"), variant)


def test_conventions_cost_only_their_own_small_tests(graded):
    slug, results = graded
    for convention in variants_of(slug, CONVENTIONS):
        check_documented_losses(results(f"convention-{convention.name}"), convention)


def test_every_mutant_loses_points_where_it_breaks_with_its_hint_only(graded):
    slug, results = graded
    problems = []
    for mutant in mutants_of(slug):
        name, breaks = mutant["name"], set(mutant["breaks"])
        hints = set((mutant.get("hint") or "").split())  # a value fitting two slips names both
        data = results(f"mutant-{name}")
        functions = per_function(data)
        for function, tests in functions.items():
            lost = [t for t in tests if t["status"] != "passed"]
            if function in breaks and not lost:
                problems.append(f"{name}: {function} keeps full marks")
            if function not in breaks and lost:
                problems.append(f"{name}: {function} loses points: {failures({'tests': lost})}")
        named = {h for t in data["tests"] if t["status"] != "passed" for h in find_hints(t["output"])}
        if hints - named:
            problems.append(f"{name}: hints {sorted(hints - named)} not given (got {sorted(named)})")
        if named - hints:
            problems.append(f"{name}: unexpected hints {sorted(named - hints)}")
    assert not problems, "\n".join(problems)


def test_every_misconception_with_a_function_here_has_a_mutant():
    spec = (REPO.parent / "shared" / "spec" / "misconceptions.md")
    if not spec.exists():
        pytest.skip("shared/spec is not beside the repository")
    generic = {"not-implemented"}  # the stub test covers it
    ids = {line.split("`")[1] for line in spec.read_text(encoding="utf-8").splitlines()
           if line.startswith("| `")}
    covered = {h for slug in SLUGS for m in mutants_of(slug) for h in (m.get("hint") or "").split()}
    assert sorted(ids - generic - covered) == []
