"""Hostile submissions against the isolation promises (shared/spec/grader.md, "Isolation").

One batch, graded with the real CLI (`autograder grade ... -j 2`) on the toy course: every
attack in tests/fixtures/hostile/ (one folder each, see its README) next to honest students.
The batch must finish with exit 0; honest students get full marks with their folders untouched;
no attack earns a point it did not earn honestly (EXPECTED); nothing is written to the host;
no process of a worker uid is left; the repository is unchanged.

Slots take every other student of the command line (grading.py: `todo[i::jobs]`), so ORDER
puts the attacks that aim at the *next* submission of their worker right before a victim
whose score is known (an honest student, or an attack whose add and total are honest).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.course.config import load_course
from autograder.course.hints import find_hints
from autograder.isolation.sandbox import WORKER_UID_BASE
from autograder.worker.proc import descendants
from tests.engine.conftest import REPO, TOY, TOY_SOLUTION

HOSTILE = REPO / "tests" / "fixtures" / "hostile"
WORKER_UIDS = {WORKER_UID_BASE, WORKER_UID_BASE + 1}
JOBS = 2
BATCH_TIMEOUT = 600

# The defaults in the fixtures' toy.py files, rewritten to this run's paths (see the README).
MARKERS_DEFAULT = "/tmp/autograder-hostile/markers"
CLASS_DEFAULT = "/tmp/autograder-hostile/class"
OUT_DEFAULT = "/tmp/autograder-hostile/out"
REPO_DEFAULT = "/work/main"
PORT_DEFAULT = "47321"

# (slot 0, slot 1) per row: a victim sits one row below its attacker, in the same column.
ORDER = [
    ("honest2", "honest"),  # graded first: fake_results and overwrite_victim aim at them later
    ("worker_memory", "tamper_worker"),  # aim at the next submission forked by their worker
    ("honest3", "honest4"),
    ("pipe_poison", "scratch_squat"),  # aim at the next submission of their worker too
    ("exit_in_call", "os_exit_in_call"),
    ("kill_parent_in_call", "killpg_in_call"),
    ("kill_all_in_call", "hang_ignoring_signals"),
    ("memory_bomb", "fork_sleepers"),
    ("setsid_daemons", "output_flood"),
    ("deep_recursion", "network"),
    ("exit_at_import", "os_exit_at_import"),
    ("kill_parent_at_import", "killpg_at_import"),
    ("kill_all_at_import", "monkeypatch_checks"),
    ("equals_anything", "frame_walk"),
    ("disk_search", "shadow_modules"),
    ("fake_results", "fake_frames"),
    ("hint_injection", "overwrite_victim"),
    ("write_host", "symlink_solution"),
    ("shm_leftover", "memory_fanout"),
    ("shm_probe", "nested_userns"),  # shm_probe looks for what shm_leftover left
    ("slow_import_crash", "hang_in_add"),
    ("symlink_folder", "crash_after_call"),
]
STUDENTS = [name for row in ORDER for name in row if name]
HONEST = ["honest", "honest2", "honest3", "honest4"]
ATTACKS = sorted(set(STUDENTS) - set(HONEST))

# The toy suite: add 3 points (2 public + 1 hidden), total 1, scale 2; 6 in all. An attack in
# scale with honest add and total earns exactly 4; every other attack is wrong everywhere.
HONEST_PART = {"exit_in_call", "os_exit_in_call", "kill_parent_in_call", "killpg_in_call",
               "kill_all_in_call", "hang_ignoring_signals", "memory_bomb", "fork_sleepers",
               "setsid_daemons", "output_flood", "deep_recursion", "memory_fanout",
               "nested_userns", "shm_leftover", "shm_probe"}
EXPECTED = {name: 6.0 for name in HONEST} | {name: 4.0 if name in HONEST_PART else 0.0
                                            for name in ATTACKS} | {
    "hang_in_add": 3.0,  # only add is lost (it hangs): total and scale are honest
    "crash_after_call": 6.0,  # everything is right; the crash it causes lands on the next call
}
LOAD_FAILS = {"exit_at_import", "os_exit_at_import", "symlink_solution", "symlink_folder"}

# Files the attacks try to create outside their sandbox (write_host, shadow_modules, ...).
REPO_MARKERS = [REPO / "hostile-marker.txt", REPO / "autograder" / "hostile-marker.txt",
                TOY / "tests" / "toy" / "hostile-marker.txt", Path.home() / "hostile-marker.txt"]


def test_every_attack_folder_is_in_the_batch():
    from tests.engine.test_hostile_text import TEXT_ATTACKS  # graded in a batch of their own

    assert sorted(p.name for p in HOSTILE.iterdir()
                  if p.is_dir() and p.name not in TEXT_ATTACKS) == ATTACKS


def _copy_submission(source: Path, dest: Path, rewrite: dict[str, str]) -> None:
    """Copy an attack folder; links become absolute (to what they point at in the repo)."""
    dest.mkdir(parents=True)
    for item in source.iterdir():
        target = dest / item.name
        if item.is_symlink():
            target.symlink_to(item.resolve())
        elif item.is_file():
            text = item.read_text()
            for old, new in rewrite.items():
                text = text.replace(old, new)
            target.write_text(text)


def _tree_digest(folder: Path) -> dict[str, tuple]:
    """Every entry under folder: its kind, mode and content hash (byte for byte)."""
    digest = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        content = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) \
            else os.readlink(path) if path.is_symlink() else ""
        digest[str(path.relative_to(folder))] = (stat.S_IFMT(info.st_mode),
                                                 stat.S_IMODE(info.st_mode), content)
    return digest


def _worker_processes() -> dict[int, str]:
    """pid -> command line of every process whose real or effective uid is a worker's."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        uids = next(line.split()[1:] for line in status.splitlines() if line.startswith("Uid:"))
        if WORKER_UIDS & {int(u) for u in uids}:
            found[int(entry)] = cmdline.decode(errors="replace")[:200]
    return found


def _identity(pid: int) -> tuple[int, int] | None:
    """(pid, start time): a pid that is reused later is another process."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    return pid, int(stat_line[stat_line.rfind(b")") + 2:].split()[19])


def _parent(pid: int) -> int | None:
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    return int(stat_line[stat_line.rfind(b")") + 2:].split()[1])


def _batch_sandboxes(root: int) -> set[tuple[int, int]]:
    """The worker-uid processes below root, and their parents: a worker's parent is the init
    of its PID namespace, alive as long as anything lives in that sandbox."""
    workers = _worker_processes()
    found = set()
    for pid in descendants(root):
        if pid in workers:
            found |= {i for i in (_identity(pid), _identity(_parent(pid) or 0)) if i}
    return found


def _git_status() -> set[str]:
    result = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain",
                             "--untracked-files=all"], capture_output=True, text=True)
    return set(result.stdout.splitlines()) if result.returncode == 0 else set()


def _repo_files_owned_by_workers() -> list[str]:
    owned = []
    for root, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in dirs + files:
            path = os.path.join(root, name)
            try:
                if os.lstat(path).st_uid in WORKER_UIDS:
                    owned.append(path)
            except OSError:
                pass
    return owned


class Batch:
    """The graded batch and everything observed around it."""

    def __init__(self, base: Path, backend: str = "sandbox", engine: Path | None = None):
        """engine: a folder holding another copy of the autograder package to run instead
        (to see which attacks succeed against a weakened engine); default: this repository."""
        self.base = base
        self.engine = engine
        self.markers = base / "markers"
        self.klass = base / "class"
        self.out = base / "out"
        self.backend = backend
        self.markers.mkdir()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.udp.setblocking(False)
        rewrite = {MARKERS_DEFAULT: str(self.markers), CLASS_DEFAULT: str(self.klass),
                   OUT_DEFAULT: str(self.out), REPO_DEFAULT: str(REPO), PORT_DEFAULT: str(self.port)}
        for name in HONEST:
            (self.klass / name).mkdir(parents=True)
            shutil.copy(TOY_SOLUTION, self.klass / name / "toy.py")
        for name in ATTACKS:
            _copy_submission(HOSTILE / name, self.klass / name, rewrite)
        self.honest_before = {name: _tree_digest(self.klass / name) for name in HONEST}

    def run(self) -> None:
        self.workers_before = _worker_processes()
        self.git_before = _git_status()
        started = time.monotonic()
        env = {**os.environ, "AUTOGRADER_ROOT": str(TOY)}
        cwd = REPO
        if self.engine is not None:  # found first on the path, also by the grading slots
            env["PYTHONPATH"] = str(self.engine)
            cwd = self.base
        argv = [sys.executable, "-m", "autograder", "grade",
                *(str(self.klass / name) for name in STUDENTS),
                "-a", "toy", "-o", str(self.out), "-j", str(JOBS), "--backend", self.backend]
        # a session of its own: even a process-group kill that escaped cannot reach this test
        cli = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.sandboxes: set[tuple[int, int]] = set()  # this batch's workers and their inits
        while cli.poll() is None and time.monotonic() - started < BATCH_TIMEOUT:
            self.sandboxes |= _batch_sandboxes(cli.pid)
            time.sleep(0.2)
        if cli.poll() is None:
            cli.kill()
        stdout, stderr = cli.communicate()
        self.result = subprocess.CompletedProcess(argv, cli.returncode, stdout, stderr)
        self.seconds = time.monotonic() - started
        time.sleep(1.0)  # a daemon that escaped would write its "outlived" marker by now
        self.workers_after = _worker_processes()
        self.alive = sorted(i for i in self.sandboxes if _identity(i[0]) == i)
        self.git_after = _git_status()
        self.connections = []
        while True:
            try:
                conn, _ = self.listener.accept()
            except BlockingIOError:
                break
            self.connections.append(conn.recv(100))
            conn.close()
        try:
            self.datagrams = [self.udp.recv(100)]
        except BlockingIOError:
            self.datagrams = []
        self.listener.close()
        self.udp.close()

    def results(self, student: str) -> dict:
        return json.loads((self.out / student / "toy.json").read_text())

    def tests(self, student: str) -> dict[str, dict]:
        return {t["name"].split(": ", 1)[1]: t for t in self.results(student)["tests"]}

    def output(self, student: str, test: str) -> str:
        """What the grader recorded of a test: its output and, for a hidden test, the full
        story kept for the course staff (a hidden output holds the grader's words only)."""
        record = self.tests(student)[test]
        return f"{record['output']}\n{record.get('extra_data', {}).get('detail', '')}"


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Batch:
    for path in REPO_MARKERS:
        assert not path.exists(), f"remove {path} (left by an earlier run) first"
    graded = Batch(tmp_path_factory.mktemp("hostile"))
    graded.run()
    return graded


def _explain(batch: Batch) -> str:
    logs = batch.out / ".logs"
    tails = [f"{p.name}: {p.read_text()[-1500:]}" for p in sorted(logs.glob("slot-*.log"))] \
        if logs.is_dir() else []
    return f"exit {batch.result.returncode}\n{batch.result.stdout[-2000:]}\n" \
           f"{batch.result.stderr[-2000:]}\n" + "\n".join(tails)


def test_the_batch_finishes_with_exit_zero_and_a_row_per_student(batch):
    assert batch.result.returncode == 0, _explain(batch)
    assert batch.seconds < BATCH_TIMEOUT
    rows = list(csv.DictReader((batch.out / "gradebook.csv").open()))
    assert sorted(r["student"] for r in rows) == sorted(STUDENTS)
    for student in STUDENTS:  # hint_injection must not stop any feedback file being written
        assert (batch.out / student / "feedback.md").is_file(), student


def test_honest_students_get_full_marks_and_their_folders_are_untouched(batch):
    for name in HONEST:
        data = batch.results(name)
        assert data["score"] == data["max_score"] == 6, (name, data["output"], data["tests"])
        if batch.backend == "sandbox":
            assert data["extra_data"]["sandbox"].startswith("bubblewrap sandbox")
        assert _tree_digest(batch.klass / name) == batch.honest_before[name], name


@pytest.mark.parametrize("attack", ATTACKS)
def test_no_attack_earns_a_point_it_did_not_earn_honestly(batch, attack):
    data = batch.results(attack)
    assert data["max_score"] == 6
    assert data["score"] == EXPECTED[attack], (attack, data["output"], [
        (t["name"], t["score"], t["output"][:300]) for t in data["tests"]])
    if attack in HONEST_PART:  # exactly scale is lost, the functions graded after it still pass
        tests = batch.tests(attack)
        assert tests["test_scale_does_not_modify_input"]["score"] == 0
        assert tests["test_add_small_numbers"]["status"] == "passed"
        assert tests["test_total_of_list"]["status"] == "passed"
    if attack in LOAD_FAILS:
        assert data["extra_data"]["error"], data


def test_the_gradebook_shows_the_graded_scores_not_forged_ones(batch):
    rows = {r["student"]: r for r in csv.DictReader((batch.out / "gradebook.csv").open())}
    for student in STUDENTS:
        assert float(rows[student]["toy"]) == EXPECTED[student], student


def test_each_attack_met_the_wall_it_was_aimed_at(batch):
    scale = "test_scale_does_not_modify_input"
    hidden_add = "test_add_arrays"
    limit = load_course(TOY).time_limit_of("toy")
    assert batch.tests("hang_ignoring_signals")[scale]["output"] == f"timed out after {limit:g} s"
    assert "MemoryError" in batch.output("memory_bomb", scale)
    forks = batch.output("fork_sleepers", scale)
    assert "FORKS:" in forks
    assert int(forks.split("FORKS:")[1].split(":")[0]) < 100, forks  # RLIMIT_NPROC per slot uid
    assert "FOUND:0:" in batch.output("disk_search", hidden_add)
    assert "FRAMES:" in batch.output("frame_walk", hidden_add)
    assert ":nothing" in batch.output("frame_walk", hidden_add)
    net = batch.output("network", hidden_add)
    assert "NET:tcp-" in net and "tcp-connected" not in net, net
    assert "WROTE:0" in batch.output("overwrite_victim", hidden_add)
    # what worker_memory and tamper_worker managed in their first call (its victim is next)
    assert "MEM:PermissionError" in batch.output("worker_memory", "test_add_small_numbers")
    assert "TAMPER:" in batch.output("tamper_worker", "test_add_small_numbers")
    for name in ("symlink_solution", "symlink_folder"):
        assert "points outside the submission" in batch.results(name)["extra_data"]["error"]
    assert "SystemExit" in batch.results("exit_at_import")["extra_data"]["error"]


def test_resource_attacks_met_the_slot_limits(batch):
    scale = "test_scale_does_not_modify_input"
    fanout = batch.output("memory_fanout", scale)
    assert "FANOUT:" in fanout, fanout
    if "cgroup" in batch.results("memory_fanout")["extra_data"]["sandbox"]:
        # 1 GiB for the slot (toy course.yml): four children of 500 MB cannot all finish
        assert int(fanout.split("filled=")[1].split(":")[0]) <= 2, fanout
    assert "USERNS:call=Operation not permitted:command=1" in batch.output("nested_userns", scale)
    assert "LEFT:shm,mq,sysv,dev-OSError" in batch.output("shm_leftover", scale)
    assert "LEFTOVER:none" in batch.output("shm_probe", scale)


def test_slow_and_crashing_calls_fail_fast(batch):
    crash = batch.tests("slow_import_crash")
    assert "ended the submission's process in an earlier test" in \
        crash["test_add_arrays"]["output"] + crash["test_add_small_numbers"]["output"]
    hang = batch.tests("hang_in_add")
    add_outputs = [hang[t]["output"] for t in ("test_add_arrays", "test_add_small_numbers")]
    assert any("timed out after" in o for o in add_outputs), add_outputs
    assert any("timed out in an earlier test" in o for o in add_outputs), add_outputs


def test_a_crash_is_charged_to_the_call_that_caused_it(batch):
    # scale's leftover process kills the submission as it reads the next request: that call
    # is retried in a fresh worker and passes (crash_after_call keeps all 6 points, above)
    assert all(t["status"] == "passed" for t in batch.results("crash_after_call")["tests"])


def test_student_text_cannot_name_a_hint(batch):
    for test in batch.results("hint_injection")["tests"]:
        assert find_hints(test["output"]) == [], test
    assert "[hint:" not in (batch.out / "hint_injection" / "feedback.md").read_text()


def test_nothing_reached_the_network(batch):
    assert batch.connections == [] and batch.datagrams == []


def test_nothing_was_written_to_the_host(batch):
    assert sorted(p.name for p in batch.markers.iterdir()) == []
    for path in REPO_MARKERS:
        assert not path.exists(), path
    write_host = batch.output("write_host", "test_add_arrays")
    assert str(REPO) not in write_host and str(batch.markers) not in write_host, write_host
    assert not (batch.klass / "honest" / "numpy.py").exists()


def test_no_process_of_a_worker_uid_survives(batch):
    if batch.backend == "sandbox":
        assert batch.sandboxes, "no sandboxed worker was seen during the batch"
    assert batch.alive == []  # no worker of this batch, and no init of one of its sandboxes
    if os.environ.get("CI"):  # on a shared machine others may be grading meanwhile
        left = {pid: cmd for pid, cmd in batch.workers_after.items()
                if pid not in batch.workers_before}
        assert left == {}


def test_the_repository_is_unchanged(batch):
    assert _repo_files_owned_by_workers() == []
    changed = batch.git_before ^ batch.git_after
    if not os.environ.get("CI"):
        # on a shared working copy people edit files meanwhile; a submission's file would be
        # owned by a worker uid (checked above) or be one of the attacks' markers
        changed = {line for line in changed if "hostile-marker" in line}
    assert changed == set()
