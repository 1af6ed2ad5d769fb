"""The sandbox and the warm worker, driven directly (autograder.isolation.worker_handle.WorkerHandle).

Each test loads small submissions (module `probe`) into a real worker and asks them what they
can see or do. Tests of what bubblewrap provides are skipped where it cannot run; the ones about
the worker itself (deadlines, cleanup, limits) also run without the sandbox.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from autograder.course.layout import Layout
from autograder.isolation import sandbox
from autograder.isolation.remote import CallTimeout
from autograder.isolation.worker_handle import WorkerHandle
from tests.engine.conftest import REPO, TOY, TOY_SOLUTION, run_autograder

NO_BWRAP = sandbox.bwrap_available()
needs_bwrap = pytest.mark.skipif(NO_BWRAP is not None, reason=f"no sandbox here: {NO_BWRAP}")
BACKENDS = [pytest.param(True, id="sandbox", marks=needs_bwrap), pytest.param(False, id="process")]
FUNCTIONS = Layout(REPO).functions_file  # the course's helpers, mounted as in grading


@pytest.fixture(scope="module")
def workers():
    """Warm workers shared by the tests of this module (a cold start takes seconds)."""
    started: dict[tuple[bool, int], WorkerHandle] = {}
    yield started
    for worker in started.values():
        worker.shutdown()


@pytest.fixture
def make_worker(workers):
    """The shared worker for (sandboxed, slot); this test's submission is closed after it."""
    used = []

    def make(sandboxed: bool = True, slot: int = 0) -> WorkerHandle:
        worker = workers.setdefault((sandboxed, slot), WorkerHandle(sandboxed=sandboxed, slot=slot,
                                                                    functions=FUNCTIONS))
        used.append(worker)
        return worker

    yield make
    for worker in used:
        worker.close_submission()


def load(worker: WorkerHandle, source: str) -> None:
    reply = worker.open("probe", textwrap.dedent(source))
    assert "error" not in reply, reply


def call(worker: WorkerHandle, name: str, *args, timeout: float = 20):
    reply = worker.request({"op": "call", "name": name, "args": list(args), "kwargs": {}},
                           timeout)
    assert "error" not in reply, reply["error"]
    return reply["ok"]


@needs_bwrap
def test_the_worker_sees_no_repository_course_solutions_or_tests(make_worker, tmp_path):
    worker = make_worker()
    load(worker, """
        import os

        def look(paths, repo):
            listing = os.listdir(repo) if os.path.isdir(repo) else []
            return [p for p in paths if os.path.exists(p)], listing
    """)
    secret = tmp_path / "other-student"
    secret.mkdir()
    paths = [str(p) for p in (REPO / "course.yml", REPO / "solutions", REPO / "tests",
                              REPO / "autograder", TOY, TOY / "solutions", secret)]
    visible, listing = call(worker, "look", paths, str(REPO))
    assert visible == []
    assert set(listing) <= {".venv"}  # only a read-only virtualenv may live inside the repo


@needs_bwrap
def test_of_the_engine_the_worker_sees_only_its_own_folder_and_the_course_helpers(make_worker):
    worker = make_worker()
    load(worker, """
        import importlib.util
        import os
        import sys

        def look(root, helpers):
            found = [name for name in ("autograder.plugin", "autograder.release", "autograder.export",
                                       "autograder.sanitize", "autograder.isolation")
                     if importlib.util.find_spec(name) is not None]
            try:
                open(helpers, "a").close()
                wrote = True
            except OSError:
                wrote = False
            loaded = [m for m in sys.modules if m.split(".")[0] == "autograder"]
            return (sorted(os.listdir(root)), sorted(os.listdir(f"{root}/autograder")),
                    sorted(os.listdir(f"{root}/course")), found, wrote, loaded)
    """)
    top, engine, course, found, wrote, loaded = call(
        worker, "look", sandbox.SANDBOX_PACKAGE_ROOT, sandbox.SANDBOX_FUNCTIONS)
    assert (top, engine, course) == (["autograder", "course"], ["worker"], ["functions.py"])
    assert found == [] and not wrote  # nothing else of the engine, and the helpers read-only
    assert {m.split(".")[1] for m in loaded if "." in m} == {"worker"}


@needs_bwrap
def test_the_worker_cannot_write_outside_its_scratch_space(make_worker):
    worker = make_worker()
    load(worker, """
        import os

        def try_write(paths):
            wrote = []
            for path in paths:
                try:
                    with open(path, "x") as f:
                        f.write("x")
                    wrote.append(path)
                except OSError:
                    pass
            return wrote, os.getcwd()
    """)
    package = "/opt/autograder/autograder/probe-marker"
    wrote, cwd = call(worker, "try_write", ["/usr/probe-marker", package, "/probe-marker",
                                            "/etc/probe-marker", "/dev/probe-marker",
                                            "/tmp/probe-marker"])
    assert wrote == []
    assert cwd.startswith("/scratch/submission-")


@needs_bwrap
def test_the_worker_has_no_network(make_worker):
    worker = make_worker()
    load(worker, """
        import socket

        def reach(port):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                tcp = "connected"
            except OSError as exc:
                tcp = type(exc).__name__
            return tcp, [name for _, name in socket.if_nameindex()]
    """)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        tcp, interfaces = call(worker, "reach", listener.getsockname()[1])
        with pytest.raises(BlockingIOError):
            listener.accept()
    assert tcp != "connected"
    assert interfaces == ["lo"]


@needs_bwrap
@pytest.mark.skipif(os.geteuid() != 0, reason="the worker drops to its own uid only as root")
@pytest.mark.parametrize("slot", [0, 1])
def test_as_root_the_worker_runs_as_its_slot_uid_without_capabilities(make_worker, slot):
    worker = make_worker(slot=slot)
    load(worker, """
        import os

        def who():
            status = dict(line.split(":", 1) for line in open("/proc/self/status"))
            return (os.getuid(), os.geteuid(), os.getgid(), os.getgroups(),
                    status["CapEff"].strip(), status["CapBnd"].strip(), status["NoNewPrivs"].strip())
    """)
    uid, euid, gid, groups, cap_eff, cap_bnd, no_new_privs = call(worker, "who")
    expected = sandbox.WORKER_UID_BASE + slot
    assert (uid, euid, gid, groups) == (expected, expected, expected, [])
    assert int(cap_eff, 16) == 0 and int(cap_bnd, 16) == 0
    assert no_new_privs == "1"


@pytest.mark.parametrize("sandboxed", BACKENDS)
def test_a_hanging_call_is_killed_at_its_deadline_and_the_next_runs_in_a_fresh_worker(
        make_worker, sandboxed):
    worker = make_worker(sandboxed)
    load(worker, """
        import os
        import signal
        import time

        def hang():
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            end = time.monotonic() + 60
            while time.monotonic() < end:
                pass

        def pid():
            return os.getpid(), os.getppid()
    """)
    before = worker.process.pid
    started = time.monotonic()
    with pytest.raises(CallTimeout):
        call(worker, "hang", timeout=1.0)
    assert time.monotonic() - started < 5
    assert worker.process is None  # the whole worker was killed with the call
    call(worker, "pid")  # reloads the submission in a new worker
    assert worker.process is not None
    assert worker.process.pid != before


DAEMON = """
    import os
    import time

    def start_daemon():
        with open("/scratch/left-behind", "w") as f:  # the scratch space is emptied after each one
            f.write("x")
        read, write = os.pipe()
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.write(write, str(os.getpid()).encode())
                time.sleep(30)
            os._exit(0)
        os.close(write)
        return int(os.read(read, 20))
"""

LOOK_FOR_DAEMON = """
    import os

    def alive(pid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().split()[2] != "Z"
        except OSError:
            return False

    def check(pid):
        return alive(pid), os.path.exists("/scratch/left-behind"), os.listdir(os.path.dirname(os.getcwd()))
"""


@needs_bwrap
def test_a_daemon_started_by_one_submission_is_gone_before_the_next_loads(make_worker):
    worker = make_worker()
    load(worker, DAEMON)
    daemon = call(worker, "start_daemon")
    worker.close_submission()
    load(worker, LOOK_FOR_DAEMON)  # same worker, same PID namespace: the pid would be visible
    alive, left_behind, scratch = call(worker, "check", daemon)
    assert not alive
    assert not left_behind
    assert len(scratch) == 1  # only this submission's own folder


def test_a_daemon_is_killed_without_the_sandbox_too(make_worker):
    worker = make_worker(sandboxed=False)
    load(worker, DAEMON.replace("/scratch/left-behind", "left-behind"))
    daemon = call(worker, "start_daemon")
    assert os.path.exists(f"/proc/{daemon}")
    worker.close_submission()
    assert not os.path.exists(f"/proc/{daemon}") or \
        open(f"/proc/{daemon}/stat").read().split()[2] == "Z"


@pytest.mark.parametrize("sandboxed", BACKENDS)
def test_the_rlimits_are_in_place(make_worker, sandboxed):
    worker = make_worker(sandboxed)
    load(worker, """
        def limits():
            rows = {}
            for line in open("/proc/self/limits").read().splitlines()[1:]:
                name, soft, hard = line[:26].strip(), line[26:47].strip(), line[47:68].strip()
                rows[name] = [soft, hard]
            return rows
    """)
    rows = call(worker, "limits")
    expected = sandbox.Limits()
    for name, value in (("Max address space", expected.memory_bytes),
                        ("Max cpu time", expected.cpu_seconds),
                        ("Max file size", expected.file_bytes),
                        ("Max open files", expected.open_files),
                        ("Max core file size", 0)):
        assert rows[name] == [str(value), str(value)], name
    if sandboxed:
        assert rows["Max processes"] == [str(expected.processes)] * 2


@needs_bwrap
def test_a_submission_cannot_read_or_write_the_workers_memory(make_worker):
    worker = make_worker()
    load(worker, """
        import ctypes
        import os

        def attack():
            parent = os.getppid()
            results = []
            for mode in ("rb", "r+b"):
                try:
                    open(f"/proc/{parent}/mem", mode).close()
                    results.append("opened")
                except OSError as exc:
                    results.append(type(exc).__name__)
            libc = ctypes.CDLL(None, use_errno=True)
            results.append(libc.ptrace(16, parent, 0, 0))  # PTRACE_ATTACH
            try:
                results.append(len(os.listdir(f"/proc/{parent}/fd")))
            except OSError as exc:
                results.append(type(exc).__name__)
            results.append(len(os.listdir("/proc/self/fd")) > 0)  # its own: still readable
            return results
    """)
    assert call(worker, "attack") == ["PermissionError", "PermissionError", -1,
                                      "PermissionError", True]


@pytest.mark.parametrize("sandboxed", BACKENDS)
def test_a_worker_whose_limits_were_lowered_is_replaced(make_worker, sandboxed):
    worker = make_worker(sandboxed)
    load(worker, """
        import os
        import resource

        def tamper():
            parent = os.getppid()
            resource.prlimit(parent, resource.RLIMIT_NOFILE, (64, 64))
            os.setpriority(os.PRIO_PROCESS, parent, 19)
            return parent
    """)
    first = worker.process.pid
    call(worker, "tamper")
    worker.close_submission()
    load(worker, """
        import os
        import resource

        def state():
            return resource.getrlimit(resource.RLIMIT_NOFILE), os.getpriority(os.PRIO_PROCESS, 0)
    """)
    assert worker.process.pid != first
    nofile, nice = call(worker, "state")
    assert list(nofile) == [sandbox.Limits().open_files] * 2 and nice == 0


@pytest.mark.parametrize("sandboxed", BACKENDS)
def test_bytes_left_in_the_reply_pipe_do_not_reach_the_next_submission(make_worker, sandboxed):
    worker = make_worker(sandboxed)
    load(worker, """
        import os
        import struct
        import sys

        def poison():
            frame = sys._getframe(1)
            while "replies" not in frame.f_locals:
                frame = frame.f_back
            fd = frame.f_locals["replies"].fileno()
            pid = os.fork()  # writes after the grader has read this call's reply
            if pid == 0:
                import time
                time.sleep(0.5)
                os.write(fd, struct.pack(">I", 9) + b"{not json" + struct.pack(">I", 999))
                time.sleep(30)
                os._exit(0)
            return pid
    """)
    call(worker, "poison")
    time.sleep(1.0)
    worker.close_submission()
    load(worker, "def ok():\n    return 42\n")
    assert call(worker, "ok") == 42


SHARED_MEMORY = """
    import ctypes

    def make_segment():
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.shmget(0, 1 << 20, 0o1600)  # IPC_PRIVATE, IPC_CREAT | 0600

    def segments():
        with open("/proc/sysvipc/shm") as f:
            return len(f.read().splitlines()) - 1
"""


@needs_bwrap
def test_shared_memory_made_by_one_submission_is_gone_before_the_next_loads(make_worker):
    worker = make_worker()
    load(worker, SHARED_MEMORY)
    assert call(worker, "make_segment") >= 0
    assert call(worker, "segments") == 1
    worker.close_submission()
    load(worker, SHARED_MEMORY)
    assert call(worker, "segments") == 0


# the toy solution with its scale replaced by one that reads files it must not see
READ_SECRETS = """

def scale(x, k):
    import os

    seen = []
    for path in {secrets!r}:
        try:
            with open(path) as f:
                seen.append(f"read:{{len(f.read())}}")
        except OSError as exc:
            seen.append(type(exc).__name__)
    with open({leftover!r}, "w") as f:  # the host's /dev/shm: removed after the submission
        f.write("x")
    return f"UID:{{os.getuid()}}:" + ",".join(seen)
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="the uid drop without bubblewrap is for root")
def test_as_root_without_bubblewrap_the_worker_cannot_read_solutions_or_hidden_tests(
        toy_student, tmp_path):
    # not below tmp_path: pytest makes its folders 0700, which alone would keep the uid out
    place = tempfile.TemporaryDirectory(prefix="autograder-course-")
    course = Path(place.name) / "course"
    shutil.copytree(TOY, course)
    for folder in (Path(place.name), course, course / "solutions", course / "tests"):
        folder.chmod(0o755)  # as a checkout leaves them: readable by everyone
    secrets = [course / "solutions" / "toy" / "toy.py", course / "tests" / "toy" / "test_hidden.py"]
    leftover = Path(f"/dev/shm/autograder-test-{os.getpid()}")
    reader = toy_student("reader", TOY_SOLUTION.read_text() + READ_SECRETS.format(
        secrets=[str(p) for p in secrets], leftover=str(leftover)))
    honest = toy_student("honest")
    result = run_autograder("grade", str(reader), str(honest), "-a", "toy", "-o",
                            str(tmp_path / "out"), "--backend", "process", root=course)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "worker runs as uid" in result.stdout and "unreadable to it" in result.stdout
    data = json.loads((tmp_path / "out" / "reader" / "toy.json").read_text())
    # a hidden test: what the submission returned is in the staff's detail, not the output
    output = next(t["extra_data"]["detail"] for t in data["tests"] if "scale" in t["name"])
    assert f"UID:{sandbox.WORKER_UID_BASE}:PermissionError,PermissionError" in output, output
    assert not leftover.exists()
    assert json.loads((tmp_path / "out" / "honest" / "toy.json").read_text())["score"] == 6
    place.cleanup()
