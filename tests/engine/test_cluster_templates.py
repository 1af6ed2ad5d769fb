"""ci-templates/kubernetes and ci-templates/slurm: valid, and their tasks make a single run's gradebook.

The Kubernetes manifests are checked against the Kubernetes API schemas (the pinned
kubernetes-validate ships them, so this runs offline). Then every task's own command runs
here with the variables its scheduler sets (JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID/COUNT),
followed by the merge step, and the merged gradebook must equal a single run's byte for byte.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.engine.conftest import REPO, TOY, TOY_SOLUTION, run_autograder

TEMPLATES = REPO / "ci-templates"
KUBERNETES = TEMPLATES / "kubernetes"
SLURM = TEMPLATES / "slurm"
# the oldest Kubernetes the manifests claim (appArmorProfile is 1.30+) and the newest schema
KUBERNETES_VERSIONS = ["1.30.0", "1.37.0"]
WRONG_ADD = TOY_SOLUTION.read_text().replace(
    "return np.asarray(a, dtype=float) + np.asarray(b, dtype=float)",
    "return np.asarray(a, dtype=float) * np.asarray(b, dtype=float)")
SOURCES = {"amy": TOY_SOLUTION.read_text(), "ben": WRONG_ADD, "cho": "def add(:\n",
           "dev": TOY_SOLUTION.read_text(), "eli": WRONG_ADD, "fay": TOY_SOLUTION.read_text()}


def manifests() -> dict[str, dict]:
    return {path.name: yaml.safe_load(path.read_text()) for path in sorted(KUBERNETES.glob("*.yaml"))}


def container(name: str) -> dict:
    return manifests()[name]["spec"]["template"]["spec"]["containers"][0]


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """The class, and its gradebook graded in one run."""
    base = tmp_path_factory.mktemp("cluster")
    for name, source in SOURCES.items():
        (base / "class" / name).mkdir(parents=True)
        (base / "class" / name / "toy.py").write_text(source)
    folders = sorted(map(str, (base / "class").iterdir()))
    result = run_autograder("grade", *folders, "-o", str(base / "single"))
    assert result.returncode == 0, result.stdout + result.stderr
    return base, (base / "single" / "gradebook.csv").read_bytes()


def task_env(**variables: str) -> dict[str, str]:
    """What a task sees here: this checkout's autograder on PATH, the toy course as the course."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLURM_", "JOB_COMPLETION"))}
    env.update(variables)
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               AUTOGRADER_ROOT=str(TOY))  # the image's /course
    return env


def run_task(argv: list[str], env: dict[str, str], cwd: Path = REPO) -> None:
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


# -- Kubernetes ------------------------------------------------------------------------------

@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_kubernetes_manifests_follow_the_kubernetes_schema(version):
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    found = manifests()
    assert set(found) == {"storage.yaml", "grade-class.yaml", "merge.yaml"}
    for manifest in found.values():
        kubernetes_validate.validate(manifest, version, strict=True)  # raises on any error


@pytest.mark.parametrize("mistake", [{"completions": "4"}, {"completionsMode": "Indexed"}])
def test_kubernetes_schema_check_would_catch_a_mistake(mistake):
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    job = manifests()["grade-class.yaml"]
    job["spec"].update(mistake)  # a string count; a misspelt field (strict: unknown fields fail)
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(job, KUBERNETES_VERSIONS[-1], strict=True)


def test_grading_job_is_indexed_with_one_pod_per_shard_on_the_shared_volume():
    job = manifests()["grade-class.yaml"]
    spec = job["spec"]
    env = {e["name"]: e["value"] for e in container("grade-class.yaml")["env"]}
    assert spec["completionMode"] == "Indexed"
    assert spec["completions"] == spec["parallelism"] == int(env["SHARDS"]) > 1
    claims = {v["persistentVolumeClaim"]["claimName"] for name in ("grade-class.yaml", "merge.yaml")
              for v in manifests()[name]["spec"]["template"]["spec"]["volumes"]}
    assert claims == {manifests()["storage.yaml"]["metadata"]["name"]}
    assert "ReadWriteMany" in manifests()["storage.yaml"]["spec"]["accessModes"]


def test_kubernetes_tasks_then_merge_give_the_single_run_gradebook(single, tmp_path):
    base, expected = single
    grade, merge = container("grade-class.yaml"), container("merge.yaml")
    env = {e["name"]: e["value"] for e in grade["env"]}
    paths = {"CLASS": str(base / "class"), "GRADES": str(tmp_path / "grades")}
    for index in range(int(env["SHARDS"])):
        run_task([*grade["command"], *grade["args"]],
                 task_env(**{**env, **paths, "JOB_COMPLETION_INDEX": str(index)}))
    shard_outputs = sorted(p.name for p in (tmp_path / "grades").iterdir())
    assert shard_outputs == [f"shard-{k}" for k in range(1, int(env["SHARDS"]) + 1)]
    run_task([*merge["command"], *merge["args"]], task_env(GRADES=paths["GRADES"]))
    assert (tmp_path / "grades" / "merged" / "gradebook.csv").read_bytes() == expected
    assert (tmp_path / "grades" / "merged" / "report.html").is_file()


# -- Slurm -----------------------------------------------------------------------------------

def array_size() -> int:
    directive = re.search(r"^#SBATCH --array=1-(\d+)\s*$", (SLURM / "grade-class.sbatch").read_text(),
                          re.MULTILINE)
    assert directive, "grade-class.sbatch: #SBATCH --array=1-N (Slurm counts like --shard: from 1)"
    return int(directive[1])


def test_slurm_scripts_are_valid_bash():
    for script in SLURM.glob("*.sbatch"):
        check = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        assert os.access(script, os.X_OK)


def test_slurm_array_tasks_then_merge_give_the_single_run_gradebook(single, tmp_path):
    base, expected = single
    paths = {"COURSE": str(REPO), "SUBMISSIONS": str(base / "class"), "GRADES": str(tmp_path / "grades")}
    count = array_size()
    assert count > 1
    for task in range(1, count + 1):
        run_task(["bash", str(SLURM / "grade-class.sbatch")],
                 task_env(**paths, SLURM_ARRAY_TASK_ID=str(task), SLURM_ARRAY_TASK_COUNT=str(count),
                          SLURM_CPUS_PER_TASK="1"), cwd=tmp_path)
    run_task(["bash", str(SLURM / "merge.sbatch")], task_env(**paths), cwd=tmp_path)
    assert (tmp_path / "grades" / "merged" / "gradebook.csv").read_bytes() == expected


def test_a_slurm_array_counted_from_0_is_refused_not_misgraded(single, tmp_path):
    base, _ = single
    done = subprocess.run(["bash", str(SLURM / "grade-class.sbatch")], cwd=tmp_path,
                          env=task_env(COURSE=str(REPO), SUBMISSIONS=str(base / "class"),
                                       GRADES=str(tmp_path / "g"), SLURM_ARRAY_TASK_ID="0",
                                       SLURM_ARRAY_TASK_COUNT="4"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "between 1 and N" in done.stderr
    assert not (tmp_path / "g").exists()
