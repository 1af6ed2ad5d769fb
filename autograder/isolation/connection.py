"""What the grader's side talks to: a `Connection` to one submission's loaded module.

Implemented by a handle to a worker process (worker_handle.WorkerHandle) and, for trusted code
only, by the in-process backend (in_process.InProcessBackend); wrapped by budget.py and used
by the proxy (proxy.py). Requests and replies are worker/session.py's dicts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from autograder.worker.wire import Message

# Answers a worker's "uses" frame with the reference's value (autograder/plugin/uses.py):
# {"ok": value} or {"error": ...}, sent back to the worker
Serve = Callable[[Message], Message]


class Connection(Protocol):
    start_seconds: float  # time spent starting workers so far (not the submission's)

    def open(self, module: str, source: str) -> Message: ...
    def request(self, message: Message, timeout: float, *,
                serve: Serve | None = None) -> Message: ...
    def close_submission(self) -> None: ...
    def shutdown(self) -> None: ...
