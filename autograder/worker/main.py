"""The warm worker: imports NumPy and PyTorch once, then forks a fresh child per submission.

Runs inside the sandbox (or as a plain process in the fallback). With `--portable` (a
student's own computer: macOS, Windows, Colab) it forks nothing: the process itself loads one
submission and exits after it, and the grader starts a fresh one for the next; nothing
Linux-only (fork, prctl, resource, SIGXFSZ) is imported or used on that path.

Protocol, on fds:
  0  requests from the grader (frames, wire.py)      1  replies to the grader
     (in the middle of a call, a {"op": "uses"} frame on 1 is answered by one frame on 0)
  CTL  (argv[1]) worker -> grader only: {"op": "ready"} at start and
       {"op": "exited", "status": n} after each submission's child is gone.
The child closes CTL before it loads any student code, so only this process can say
"exited", and it says so only after every process the submission started is killed and
every file it left in the scratch space is removed. Submissions run under the worker's own
uid, so the worker is not dumpable (no ptrace, no /proc/PID/mem) and checks after each one that
its own limits, priority and CPU set are unchanged; if not, "exited" says "restart" and the
worker quits, so that no later submission is forked from a tampered process.
Portable mode has no CTL: "ready" comes on fd 1 before any student code runs, and the
process's own exit says "exited".
`--functions=PATH` names the course's helpers file (course/functions.py; in the sandbox, its
read-only mount): loaded before "ready", so before any submission.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, NoReturn

from autograder.worker import proc, wire
from autograder.worker.limits import own_state, set_limits
from autograder.worker.session import (
    Build,
    Session,
    error_reply,
    load_module,
    load_trusted_functions,
    no_trusted_functions,
    public_names,
)
from autograder.worker.wire import Message

PORTABLE = "--portable"
ONE_SUBMISSION = "--one-submission"  # `check`: warm the optimizer only if the code needs it
FUNCTIONS = "--functions="

OUTPUT_TAIL = 2000


def scratch_root() -> Path:
    """A folder for this worker alone (emptied after each submission): the sandbox's private
    /tmp, or the folder the grader made for a worker without sandbox; never a shared /tmp."""
    given = os.environ.get("AUTOGRADER_SCRATCH")
    return Path(given) if given else Path(tempfile.mkdtemp(prefix="autograder-worker-"))


def wipe(folder: Path) -> None:
    """Remove everything inside folder, whatever modes the submission gave its files."""
    for root, dirs, _ in os.walk(folder):  # make every folder enterable before it is entered
        for name in dirs:
            path = os.path.join(root, name)
            try:
                if not os.path.islink(path):
                    os.chmod(path, 0o700)
            except OSError:
                pass
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def preload(optimizer: bool = True) -> None:
    import numpy  # noqa: F401
    import torch

    torch.set_num_threads(1)
    if optimizer:
        warm_optimizer()
    gc.freeze()  # what is loaded now stays: the children's gc never walks (and copies) it


def warm_optimizer() -> None:
    """torch.optim imports torch._dynamo (with sympy) on its first step: ~2 s, which must never
    count against a call's time limit. A grading worker takes one step before it forks (every
    child inherits it); a worker for one submission (`check`: portable, or ONE_SUBMISSION)
    only when that submission's code names torch.optim, while it loads (a check of a1_losses
    need not wait for it)."""
    import torch

    weight = torch.zeros(1, requires_grad=True)
    torch.optim.SGD([weight], lr=0.1).step()


def trusted_functions(options: list[str]) -> Build:
    """The `build` of the helpers file named by --functions=PATH (none named: no helpers)."""
    path = next((o.removeprefix(FUNCTIONS) for o in options if o.startswith(FUNCTIONS)), None)
    return load_trusted_functions(Path(path)) if path else no_trusted_functions


def read_request(stream: IO[bytes]) -> Any:
    """One frame from the grader (trusted: its text is kept as sent)."""
    return wire.read_frame(stream, clean=wire.as_sent)


def clear_ipc() -> None:
    """What a submission could leave for the next one outside its processes and its scratch:
    System V objects, POSIX shared memory and message queues (all the worker's own, see below)."""
    if os.environ.get("AUTOGRADER_SANDBOXED"):  # its own IPC namespace, /dev/shm and /dev/mqueue
        proc.remove_ipc_objects()
        wipe(Path("/dev/shm"))
        wipe(Path("/dev/mqueue"))
        return
    # root without bwrap (sandbox.worker_command): the slot's uid, maybe its own IPC namespace
    if os.environ.get("AUTOGRADER_OWN_IPC"):
        proc.remove_ipc_objects()
    if os.environ.get("AUTOGRADER_OWN_UID"):  # the host's /dev/shm: only what this uid made
        proc.remove_owned_files(Path("/dev/shm"), os.getuid())


def output_tail(path: Path, start: int = 0) -> str:
    """The end of what was printed since offset `start` (one call's output, not earlier ones')."""
    try:
        with open(path, "rb") as f:
            f.seek(max(start, os.path.getsize(path) - OUTPUT_TAIL))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _prefer_as_oom_victim() -> None:
    """At the slot's memory limit the kernel kills the submission's processes, not the worker.
    (A submission may set it back to the worker's 0, no lower: then size decides.)"""
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass


def _offset(fd: int) -> int:
    try:
        return os.lseek(fd, 0, os.SEEK_END)
    except OSError:
        return 0


def run_child(request: Message, ctl_fd: int, scratch: Path, build: Build,
              warm_lazily: bool) -> NoReturn:
    """One submission in a forked child: no way back to CTL, dumpable, then serve. Never returns."""
    os.close(ctl_fd)
    proc.set_dumpable(True)  # student code may inspect itself; the worker stays closed to it
    _prefer_as_oom_victim()
    serve(request, scratch, build, warm_lazily)


def serve(request: Message, scratch: Path, build: Build, warm_lazily: bool = False) -> NoReturn:
    """Load the submission's module, then answer calls until told to end. Never returns."""
    if warm_lazily and "optim" in str(request.get("source", "")):
        warm_optimizer()
    replies = os.fdopen(os.dup(1), "wb")
    requests = os.fdopen(os.dup(0), "rb")
    os.chdir(scratch)
    out_path = scratch / "output.txt"
    out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    if hasattr(signal, "SIGXFSZ"):  # over the output cap, print() fails instead
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    set_limits(request.get("limits", {}))
    sys.path.insert(0, str(scratch))

    def reply(message: Message) -> None:
        message["id"] = current_id
        try:
            wire.write_frame(replies, message)
        except wire.CodecError as exc:
            wire.write_frame(replies, {"id": current_id, **error_reply(exc), "warnings": []})

    current_id = request["id"]
    module_name = request["module"]
    try:
        module = load_module(request["source"], module_name, scratch)
    except BaseException as exc:  # noqa: BLE001 - a broken submission is reported, not raised
        reply({**error_reply(exc, str(scratch / f"{module_name}.py")),
               "stdout": output_tail(out_path)})
        os._exit(0)
    def call_back(frame: Message) -> Any:
        """A "uses" frame in the middle of the current call; the grader's answer is the next
        frame on the request pipe (it sends nothing else while a call runs)."""
        try:
            wire.write_frame(replies, {**frame, "id": current_id})
        except wire.CodecError as exc:  # nothing was written: the call goes on without it
            return {"error": {"type": "TypeError", "message": f"arguments not sendable: {exc}"}}
        try:
            return read_request(requests)
        except EOFError:
            os._exit(0)

    session = Session(module, call_back, build)
    reply({"ok": public_names(module)})
    while True:
        try:
            request = read_request(requests)
        except EOFError:
            os._exit(0)
        current_id = request.get("id")
        if request.get("op") == "end":
            os._exit(0)
        start = _offset(out)
        answer = session.handle(request)
        if "error" in answer:
            answer["stdout"] = output_tail(out_path, start)
        reply(answer)


def main_portable(options: list[str]) -> None:
    """One submission in this very process (spawned, not forked): see the module docstring."""
    if sys.platform == "win32":  # frames are bytes: no newline translation on the pipes
        import msvcrt

        for fd in (0, 1):
            msvcrt.setmode(fd, os.O_BINARY)
    preload(optimizer=False)
    build = trusted_functions(options)
    root = scratch_root()
    stdout = os.fdopen(os.dup(1), "wb")
    wire.write_frame(stdout, {"op": "ready", "pid": os.getpid()})
    stdout.close()
    requests = os.fdopen(os.dup(0), "rb")
    while True:
        try:
            request = read_request(requests)
        except EOFError:
            return
        if request.get("op") == "load":
            requests.close()
            serve(request, Path(tempfile.mkdtemp(prefix="submission-", dir=root)), build,
                  warm_lazily=True)


def main() -> None:
    first, options = sys.argv[1], sys.argv[2:]
    if first == PORTABLE:
        main_portable(options)
        return
    ctl_fd = int(first)
    one_submission = ONE_SUBMISSION in options
    proc.become_subreaper()
    proc.set_dumpable(False)
    userns = proc.block_user_namespaces()  # before preload starts any thread
    preload(optimizer=not one_submission)
    build = trusted_functions(options)
    root = scratch_root()
    ctl = os.fdopen(ctl_fd, "wb", closefd=False)
    requests = os.fdopen(0, "rb", closefd=False)
    state = own_state()
    wire.write_frame(ctl, {"op": "ready", "pid": os.getpid(), "userns": userns})
    while True:
        try:
            request = read_request(requests)
        except EOFError:
            return
        if request.get("op") != "load":
            continue
        scratch = Path(tempfile.mkdtemp(prefix="submission-", dir=root))  # a name not to guess
        pid = os.fork()
        if pid == 0:
            try:
                run_child(request, ctl_fd, scratch, build, warm_lazily=one_submission)
            finally:
                os._exit(70)
        _, status = os.waitpid(pid, 0)
        proc.kill_descendants()
        clear_ipc()
        wipe(root)
        tampered = own_state() != state
        wire.write_frame(ctl, {"op": "exited", "status": status, "restart": tampered})
        if tampered:
            return


if __name__ == "__main__":
    main()
