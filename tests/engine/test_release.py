"""`autograder release`: lecture notebooks with nbgrader metadata, and a student bundle that leaks
nothing (no line of a solution body, no hidden test's name or code).

The release itself runs once, on a fresh copy of the repository (as on a fresh clone).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.nbgraderformat import SCHEMA_VERSION, MetadataValidator

from autograder.course.config import load_course
from autograder.course.layout import Layout
from autograder.release.bundle import NAME, bundle_dir, bundle_zip, public_test_files, read_folder, read_zip
from autograder.release.notebooks import (
    CHECK_TAG,
    HIDDEN,
    NotebookSourceError,
    dumps,
    source_notebook,
    split_module,
)
from autograder.release.pipeline import stale_release
from autograder.release.points import function_points, graded_tests, grades_target, names_in_suite
from autograder.release.stubs import REGION, make_stub
from autograder.release.validate import check_layout, uses_problems

REPO = Path(__file__).resolve().parents[2]
COURSE = load_course(REPO)
SLUGS = [a.slug for a in COURSE.assignments]
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "grades", "__pycache__",
                                     ".pytest_cache", ".ruff_cache", "*.egg-info", "*.ipynb")


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


# -- the nbgrader source notebooks (no nbgrader run needed) --------------------------------------

@pytest.fixture(scope="module")
def sources():
    return {a.slug: source_notebook(a, Layout(REPO)) for a in COURSE.assignments}


@pytest.mark.parametrize("slug", SLUGS)
def test_every_public_function_is_a_solution_cell_with_its_reference_source(sources, slug):
    a = COURSE.assignment(slug)
    pieces = split_module((REPO / "solutions" / slug / f"{a.module}.py").read_text())
    cells = {nbgrader_meta(c)["grade_id"]: c for c in sources[slug].cells
             if nbgrader_meta(c).get("solution")}
    assert list(cells) == list(pieces.public)
    for name, cell in cells.items():
        assert cell.source == pieces.public[name]
        assert REGION.search(cell.source + "\n"), f"{name} has no solution region"
    setup = next(c for c in sources[slug].cells if c.id == "setup")
    assert setup.source == pieces.setup and nbgrader_meta(setup)["locked"]


@pytest.mark.parametrize("slug", SLUGS)
def test_graded_cells_carry_the_points_of_course_yml_per_function(sources, slug):
    a = COURSE.assignment(slug)
    expected = function_points(a, Layout(REPO))
    graded = [nbgrader_meta(c) for c in sources[slug].cells if nbgrader_meta(c).get("grade")]
    for meta in graded:
        found = re.fullmatch(r"(\w+?)(_hidden)?_tests", meta["grade_id"])
        assert found, meta
        name, hidden = found.groups()
        assert meta["points"] == expected[name].of("hidden" if hidden else "public"), meta
    assert sum(meta["points"] for meta in graded) == a.max_score > 0
    assert len(graded) == sum((p.public > 0) + (p.hidden > 0) for p in expected.values())


@pytest.mark.parametrize("slug", SLUGS)
def test_cells_follow_nbgrader_metadata_schema_3(sources, slug):
    notebook = sources[slug]
    MetadataValidator().validate_nb(notebook)  # raises on a bad or duplicate cell
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code":
            assert meta["schema_version"] == SCHEMA_VERSION == 3 and meta["grade_id"] == cell.id
        if meta.get("grade"):
            assert meta["locked"] and not meta["solution"] and CHECK_TAG in cell.metadata.tags
        if cell.id.endswith("_hidden_tests"):
            assert HIDDEN.search(cell.source)
        elif cell.cell_type == "code" and not meta.get("solution"):
            assert "BEGIN HIDDEN TESTS" not in cell.source and "BEGIN SOLUTION" not in cell.source


@pytest.mark.parametrize("slug", SLUGS)
def test_every_test_cell_holds_exactly_the_suites_tests_of_its_function(sources, slug):
    """One dialect: the cells run the pytest suites' own tests, so a test added to a suite is in
    the notebook (and nbgrader cannot award points for a test the notebook does not hold)."""
    graded = [c for c in sources[slug].cells if nbgrader_meta(c).get("grade")]
    assert graded
    for cell in graded:
        found = re.fullmatch(r"(\w+?)(_hidden)?_tests", cell.id)
        assert found, cell.id
        name, hidden = found.groups()
        kind = "hidden" if hidden else "public"
        magic, code = cell.source.split("\n", 1)
        assert magic == f"%%autograder {slug} {kind}"
        tree = ast.parse(code)
        in_cell = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
                   and any(grades_target(d) == name for d in node.decorator_list)}
        suite = {test for test, function in graded_tests(REPO / "tests" / slug / f"test_{kind}.py").items()
                 if function == name}
        assert in_cell == suite and suite, cell.id
        assert "expect_close" not in cell.source and "from ." not in code


def test_source_notebooks_are_reproducible_and_never_paired_with_jupytext(sources):
    for a in COURSE.assignments:
        again = source_notebook(a, Layout(REPO))
        assert dumps(again) == dumps(sources[a.slug])
        assert "jupytext" not in again.metadata
        assert again.metadata.kernelspec.name == "python3"


def _run(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True).execute()
    return notebook


def _failed(cell) -> bool:
    return any(o.output_type == "error" for o in cell.get("outputs", []))


def _points(cell) -> float | None:
    """The cell's value: what nbgrader takes as its partial credit."""
    values = [o.data["text/plain"] for o in cell.get("outputs", []) if o.output_type == "execute_result"]
    return float(values[0]) if values else None


def test_the_reference_earns_every_test_cells_points_and_the_stub_none(sources):
    stubs = {}
    for slug, source in sources.items():
        stub = nbformat.from_dict(source)
        for cell in stub.cells:
            if nbgrader_meta(cell).get("solution"):
                cell.source = make_stub(cell.source + "\n")
        stubs[slug] = stub
    runs = [nbformat.from_dict(nb) for nb in [*sources.values(), *stubs.values()]]
    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(_run, runs))
    for slug, reference, stub in zip(SLUGS, done[:len(SLUGS)], done[len(SLUGS):], strict=True):
        failing = [c.id for c in reference.cells if c.cell_type == "code" and _failed(c)]
        assert failing == [], f"{slug}: the reference fails {failing}"
        short = [(c.id, _points(c)) for c in reference.cells if nbgrader_meta(c).get("grade")
                 and _points(c) != nbgrader_meta(c)["points"]]
        assert short == [], f"{slug}: the reference does not earn the points of {short}"
        earning = [(c.id, _points(c)) for c in stub.cells if nbgrader_meta(c).get("grade")
                   and (_failed(c) or _points(c) != 0)]
        assert earning == [], f"{slug}: the stub earns {earning}"


def test_split_module_keeps_trailing_markers_with_their_function():
    source = ('"""Doc."""\n\nimport numpy as np\n\n\ndef f(x):\n    ### BEGIN SOLUTION\n'
              '    return x\n    ### END SOLUTION\n\n\n# a helper\ndef _g():\n    return 1\n\n\n'
              'class C:\n    pass\n')
    pieces = split_module(source)
    assert pieces.public == {"f": "def f(x):\n    ### BEGIN SOLUTION\n    return x\n"
                                  "    ### END SOLUTION", "C": "class C:\n    pass"}
    assert pieces.setup == "import numpy as np\n\n\n# a helper\ndef _g():\n    return 1"


LECTURE = '''\
# %% [markdown]
# # Toy

# %% ag="setup"

# %% ag="checks"

# %% ag="solution add"

# %% ag="tests add"

# %% ag="hidden add"
'''


@pytest.fixture
def toy(tmp_path):
    toy = REPO / "tests" / "fixtures" / "toy_course"
    shutil.copytree(toy, tmp_path / "toy", ignore=COPY_IGNORE)
    return tmp_path / "toy"


@pytest.mark.parametrize("change, message", [
    (lambda s: s.replace('# %% ag="solution add"\n', ""), "no .* cell for add"),
    (lambda s: s.replace('# %% ag="tests add"', '# %% ag="tests nothing"'), "not a public function"),
    (lambda s: s + "\n# %%\nprint('hi')\n", "no ag= role"),
    (lambda s: s.replace('# %% ag="hidden add"\n', '# %% ag="hidden add"\nassert add(1, 1) == 2\n'),
     "must be empty: its tests are cut from tests/toy/test_hidden.py"),
])
def test_a_lecture_notebook_that_does_not_fit_is_refused_with_the_reason(toy, change, message):
    course = load_course(toy)
    a = course.assignments[0]
    Layout(toy).lecture(a.slug).parent.mkdir()
    Layout(toy).lecture(a.slug).write_text(change(LECTURE))
    with pytest.raises(NotebookSourceError, match=message):
        source_notebook(a, Layout(toy))


# -- the full release on a fresh copy of the repository -----------------------------------------

@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    root = tmp_path_factory.mktemp("clone") / "course"
    shutil.copytree(REPO, root, ignore=COPY_IGNORE)
    for folder in (root / "assignments").iterdir():
        shutil.rmtree(folder)
    original = {p: p.stat().st_mtime_ns for p in (REPO / "assignments").rglob("*")}
    # run from a folder inside the copy, without AUTOGRADER_ROOT: the copy is found, and written
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_ROOT"}
    result = subprocess.run([sys.executable, "-m", "autograder", "release"], cwd=root / "notebooks",
                            env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == f"course: {root}"
    assert {p: p.stat().st_mtime_ns for p in (REPO / "assignments").rglob("*")} == original
    return root


def test_release_on_a_fresh_clone_writes_stubs_notebooks_the_nbgrader_release_and_the_bundle(fresh):
    for a in COURSE.assignments:
        for suffix in (".py", ".ipynb"):
            assert (fresh / "assignments" / a.slug / f"{a.module}{suffix}").is_file()
        released = fresh / "build" / "nbgrader" / "release" / a.slug / f"{a.module}.ipynb"
        assert released.read_bytes() == (fresh / "assignments" / a.slug
                                         / f"{a.module}.ipynb").read_bytes()
        assert sorted(p.name for p in (fresh / "build" / "nbgrader" / "source" / a.slug).iterdir()) \
            == [f"{a.module}.ipynb"]
    assert (fresh / "build" / "nbgrader" / "nbgrader_config.py").is_file()
    assert bundle_dir(Layout(fresh)).is_dir() and bundle_zip(Layout(fresh)).is_file()


def test_the_committed_student_files_are_up_to_date(fresh):
    """CI fails when a stub or notebook in assignments/ is stale: run `autograder release`."""
    stale = [f"{a.slug}/{a.module}{suffix}" for a in COURSE.assignments for suffix in (".py", ".ipynb")
             if not (REPO / "assignments" / a.slug / f"{a.module}{suffix}").is_file()
             or (REPO / "assignments" / a.slug / f"{a.module}{suffix}").read_bytes()
             != (fresh / "assignments" / a.slug / f"{a.module}{suffix}").read_bytes()]
    assert stale == [], "stale in assignments/: run `autograder release`"


def test_the_zip_holds_exactly_the_bundle_folder(fresh):
    assert read_zip(bundle_zip(Layout(fresh))) == read_folder(bundle_dir(Layout(fresh)))


def test_the_bundle_holds_stubs_notebooks_public_tests_checker_and_readme(fresh):
    files = read_folder(bundle_dir(Layout(fresh)))
    for a in COURSE.assignments:
        assert f"assignments/{a.slug}/{a.module}.py" in files
        assert f"assignments/{a.slug}/{a.module}.ipynb" in files
        assert f"tests/{a.slug}/test_public.py" in files
        assert f"tests/{a.slug}/test_hidden.py" not in files
    assert not [f for f in files if f.startswith(("solutions/", "notebooks/", "build/"))]
    assert {"README.md", "course.yml", "conftest.py", "pyproject.toml",
            "autograder/cli.py", "autograder/plugin/hooks.py"} <= files.keys()
    readme = files["README.md"].decode()
    assert "autograder check a1_losses" in readme and "hidden" in readme
    public_course = load_course(bundle_dir(Layout(fresh)))
    for a, full in zip(public_course.assignments, COURSE.assignments, strict=True):
        assert set(a.tests) == set(names_in_suite(Layout(REPO), a.slug, "public")) <= set(full.tests)


# -- the leak test ---------------------------------------------------------------------------------

TRIVIAL = re.compile(r'^([\W_]*|(import|from) \S.*|@.*|#.*|""".*|r?""".*)$')


def significant(lines) -> set[str]:
    return {s for s in (line.strip() for line in lines) if s and not TRIVIAL.match(s)}


def public_lines(root: Path) -> set[str]:
    """Lines of what students get on purpose: the stubs (minus nothing: their solution regions
    are already stubs), the public suites with their helpers, the checker. A solution line that
    also appears there was made public by the course's authors, not by the release."""
    texts = [p.read_text() for p in (root / "autograder").rglob("*.py")]
    for a in COURSE.assignments:
        texts.append(make_stub((root / "solutions" / a.slug / f"{a.module}.py").read_text()))
        texts += [p.read_text() for p in public_test_files(Layout(root), a.slug)]
    return significant(line for text in texts for line in text.splitlines())


def public_names(root: Path) -> set[str]:
    return {n for a in COURSE.assignments for n in names_in_suite(Layout(root), a.slug, "public")}


def secrets(root: Path) -> tuple[dict[str, set[str]], set[str]]:
    """kind -> secret lines (solution bodies, hidden test code), and the hidden tests' names."""
    public = public_lines(root)
    solution, hidden, names = set(), set(), set()
    for a in COURSE.assignments:
        reference = (root / "solutions" / a.slug / f"{a.module}.py").read_text()
        for region in REGION.finditer(reference):
            solution |= significant(region.group(0).splitlines())
        suite = (root / "tests" / a.slug / "test_hidden.py").read_text()
        lecture = Layout(root).lecture(a.slug).read_text()
        hidden_regions = re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", lecture, re.S)
        lecture_public = significant(HIDDEN.sub("", lecture).splitlines())
        hidden |= significant(suite.splitlines()) - lecture_public
        hidden |= significant("\n".join(hidden_regions).splitlines()) - lecture_public
        names |= set(names_in_suite(Layout(root), a.slug, "hidden"))
    # a name that some public suite uses too (a2's hidden and a4's public shape tests) is no secret
    names -= public_names(root)
    return {"solution": solution - public, "hidden test": hidden - public}, names


def bundle_texts(files: dict[str, bytes]) -> dict[str, str]:
    """Each file as text; a notebook as its cells' sources and outputs, and its raw JSON."""
    texts = {}
    for rel, content in files.items():
        text = content.decode("utf-8", "replace")
        if rel.endswith(".ipynb"):
            notebook = nbformat.reads(text, as_version=4)
            parts = [cell.source for cell in notebook.cells]
            parts += [str(o.get("text", "")) + str(o.get("data", ""))
                      for cell in notebook.cells for o in cell.get("outputs", [])]
            text = "\n".join(parts) + "\n" + text
        texts[rel] = text
    return texts


def leaks(files: dict[str, bytes], lines: dict[str, set[str]], names: set[str]) -> list[str]:
    found = []
    for rel, text in bundle_texts(files).items():
        present = {line.strip() for line in text.splitlines()}
        for kind, secret in lines.items():
            found += [f"{rel}: {kind} line {line!r}" for line in sorted(secret & present)]
        found += [f"{rel}: hidden test name {name}" for name in sorted(names)
                  if name in text or name in rel]
    return found


@pytest.fixture(scope="module")
def secret(fresh):
    lines, names = secrets(fresh)
    for a in COURSE.assignments:  # the exemptions must leave most of every solution secret
        reference = (fresh / "solutions" / a.slug / f"{a.module}.py").read_text()
        body = significant("\n".join(m.group(0) for m in REGION.finditer(reference)).splitlines())
        assert len(body & lines["solution"]) >= 0.8 * len(body), a.slug
        assert set(names_in_suite(Layout(fresh), a.slug, "hidden")) - public_names(fresh) <= names
    assert len(lines["hidden test"]) > 100
    return lines, names


def test_no_solution_line_and_no_hidden_test_appears_in_the_bundle(fresh, secret):
    for files in (read_folder(bundle_dir(Layout(fresh))), read_zip(bundle_zip(Layout(fresh)))):
        assert leaks(files, *secret) == []


def test_the_leak_check_finds_planted_leaks(fresh, secret):
    lines, names = secret
    files = read_folder(bundle_dir(Layout(fresh)))
    solution_line = sorted(lines["solution"])[0]
    hidden_line = sorted(lines["hidden test"])[0]
    name = sorted(names)[0]
    notebook = nbformat.reads(files["assignments/a1_losses/losses.ipynb"].decode(), as_version=4)
    notebook.cells[-1].source += f"\n    {solution_line}"
    planted = {**files, "assignments/a1_losses/losses.ipynb": nbformat.writes(notebook).encode(),
               "tests/a1_losses/test_public.py": files["tests/a1_losses/test_public.py"]
               + f"\n{hidden_line}\n".encode(),
               "course.yml": files["course.yml"] + f"\n# {name}: 2\n".encode()}
    found = "\n".join(leaks(planted, lines, names))
    assert "solution line" in found and "hidden test line" in found and name in found


def test_the_public_checker_runs_inside_the_bundle(fresh, tmp_path):
    bundle = tmp_path / NAME
    shutil.copytree(bundle_dir(Layout(fresh)), bundle)
    work = tmp_path / "my_work"
    work.mkdir()
    shutil.copy(REPO / "solutions" / "a1_losses" / "losses.py", work / "losses.py")
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_ROOT"}
    result = subprocess.run([sys.executable, "-m", "autograder", "check", "a1_losses", str(work)],
                            cwd=bundle, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_mse_is_mean_of_squared_errors" in result.stdout


# -- staleness (`autograder validate`) --------------------------------------------------------------

def test_validate_reports_a_stale_notebook_and_bundle(fresh, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(fresh, root, ignore=shutil.ignore_patterns("nbgrader", "__pycache__"))
    assert stale_release(COURSE, Layout(root)) == []
    lecture = Layout(root).lecture("a1_losses")
    lecture.write_text(lecture.read_text().replace("## 2. Mean absolute error", "## 2. MAE"))
    template = root / "ci-templates" / "grade-class.yml"  # a maximum changed by hand
    text, changed = re.subn(r"a1_losses \(\d+ points\)", "a1_losses (1 points)", template.read_text())
    assert changed == 1
    template.write_text(text)
    problems = "\n".join(check_layout(COURSE, Layout(root)))
    assert "ci-templates/grade-class.yml is stale" in problems
    assert "assignments/a1_losses/losses.ipynb is stale" in problems
    assert f"build/{NAME} is stale" in problems and f"build/{NAME}.zip is stale" in problems
    assert "losses.py" not in problems  # the stub is still fine


def test_validate_reports_a_uses_entry_the_reference_does_not_define():
    assignment = COURSE.assignment("a4_logistic_regression").model_copy(deep=True)
    names = {"sigmoid", "predict", "predict_proba"}
    assert uses_problems(assignment, names | {"logistic_grad", "fit_logistic", "softmax",
                                              "binary_cross_entropy", "one_hot",
                                              "cross_entropy_error", "fit_softmax"}) == []
    assignment.uses["predict"] = ["predict_probability"]
    problems = "\n".join(uses_problems(assignment, names))
    assert "'predict' uses 'predict_probability', which the reference does not define" in problems
