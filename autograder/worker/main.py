"""The warm worker: imports NumPy and PyTorch once, then forks a fresh child per submission.

Runs inside the sandbox (or as a plain process in the fallback). Protocol, on fds:
  0  requests from the grader (frames, codec.py)      1  replies to the grader
  CTL  (argv[1]) worker -> grader only: {"op": "ready"} at start and
       {"op": "exited", "status": n} after each submission's child is gone.
The child closes CTL before it loads any student code, so only this process can say
"exited", and it says so only after every process the submission started is killed.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sys
from pathlib import Path

from autograder import codec, proc
from autograder.worker.session import Session, error_reply, load_module

SCRATCH = Path(os.environ.get("AUTOGRADER_SCRATCH", "/tmp"))
OUTPUT_TAIL = 2000


def preload() -> None:
    import numpy  # noqa: F401
    import torch

    torch.set_num_threads(1)


def set_limits(limits: dict) -> None:
    for name, value in limits.items():
        resource.setrlimit(getattr(resource, name), (value, value))


def public_names(module) -> dict[str, str]:
    return {name: ("class" if isinstance(obj, type) else "function" if callable(obj) else "other")
            for name, obj in vars(module).items() if not name.startswith("_")}


def output_tail(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - OUTPUT_TAIL))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def run_child(request: dict, ctl_fd: int, scratch: Path) -> None:
    """One submission: load its module, then answer calls until told to end. Never returns."""
    os.close(ctl_fd)
    replies = os.fdopen(os.dup(1), "wb")
    requests = os.fdopen(os.dup(0), "rb")
    scratch.mkdir(mode=0o700)
    os.chdir(scratch)
    out_path = scratch / "output.txt"
    out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over the output cap, print() fails instead
    set_limits(request.get("limits", {}))
    sys.path.insert(0, str(scratch))

    def reply(message: dict) -> None:
        message["id"] = current_id
        try:
            codec.write_frame(replies, message)
        except codec.CodecError as exc:
            codec.write_frame(replies, {"id": current_id, **error_reply(exc), "warnings": []})

    current_id = request["id"]
    module_name = request["module"]
    try:
        module = load_module(request["source"], module_name, scratch)
    except BaseException as exc:  # noqa: BLE001 - a broken submission is reported, not raised
        reply({**error_reply(exc, str(scratch / f"{module_name}.py")),
               "stdout": output_tail(out_path)})
        os._exit(0)
    session = Session(module)
    reply({"ok": public_names(module)})
    while True:
        try:
            request = codec.read_frame(requests)
        except EOFError:
            os._exit(0)
        current_id = request.get("id")
        if request.get("op") == "end":
            os._exit(0)
        answer = session.handle(request)
        if "error" in answer:
            answer["stdout"] = output_tail(out_path)
        reply(answer)


def main() -> None:
    ctl_fd = int(sys.argv[1])
    proc.become_subreaper()
    preload()
    ctl = os.fdopen(ctl_fd, "wb", closefd=False)
    requests = os.fdopen(0, "rb", closefd=False)
    codec.write_frame(ctl, {"op": "ready", "pid": os.getpid()})
    count = 0
    while True:
        try:
            request = codec.read_frame(requests)
        except EOFError:
            return
        if request.get("op") != "load":
            continue
        count += 1
        scratch = SCRATCH / f"submission-{count}"
        pid = os.fork()
        if pid == 0:
            try:
                run_child(request, ctl_fd, scratch)
            finally:
                os._exit(70)
        _, status = os.waitpid(pid, 0)
        proc.kill_descendants()
        shutil.rmtree(scratch, ignore_errors=True)
        codec.write_frame(ctl, {"op": "exited", "status": status})


if __name__ == "__main__":
    main()
