"""The `sub` object that tests call: attribute access becomes a request to the worker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograder.isolation.connection import Connection, Serve
from autograder.isolation.remote import (
    CallRecord,
    StudentError,
    SubmissionUnavailable,
    call_record,
    error_from_reply,
)
from autograder.worker.wire import Handle, Message


class Submission:
    """A student's module as seen from the trusted process: functions and classes by name."""

    def __init__(self, connection: Connection, names: dict[str, str], time_limit: float):
        self._connection = connection
        self._names = names
        self._time_limit = time_limit
        self.last_call = CallRecord()
        self._uses: list[str] = []
        self._serve: Serve | None = None

    def serve_uses(self, names: Sequence[str], serve: Serve | None) -> None:
        """From now on (the plugin sets it per test): calls meet the reference `names`."""
        self._uses, self._serve = (list(names), serve) if serve is not None else ([], None)

    def _request(self, message: Message, label: str = "") -> Any:
        """`label`: how the test names the call in feedback (`LinearNode.forward`)."""
        label = label or str(message.get("name", ""))
        if self._uses:
            message = {**message, "uses": self._uses}
        reply = self._connection.request(message, self._time_limit, serve=self._serve)
        self.last_call = call_record(reply, label, tuple(message.get("args", ())),
                                     message.get("kwargs", {}))
        if "error" in reply:
            raise error_from_reply(reply["error"] if isinstance(reply["error"], dict) else {})
        value = reply.get("ok")
        return RemoteObject(self, value, label) if isinstance(value, Handle) else value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        kind = self._names.get(name)
        if kind is None:
            raise StudentError("AttributeError", f"the submission defines no {name!r}")
        op = "new" if kind == "class" else "call"

        def remote(*args: Any, **kwargs: Any) -> Any:
            return self._request({"op": op, "name": name, "args": list(args), "kwargs": kwargs})

        remote.__name__ = name
        return remote

    def autograd(self, name: str, *args: Any, wrt: tuple[int, ...] = (0,),
                 **kwargs: Any) -> tuple[Any, list[Any]]:
        """Differentiate the student's function in the worker: returns (value, grads)."""
        value, grads = self._request({"op": "autograd", "name": name, "args": list(args),
                                      "kwargs": kwargs, "wrt": list(wrt)})
        return value, list(grads)


class RemoteObject:
    """An instance living in the worker; its methods are called through the submission."""

    def __init__(self, submission: Submission, handle: Handle, origin: str = ""):
        self._submission = submission
        self._handle = handle
        self._origin = origin  # the test's name for it (the class called), never the student's

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        def method(*args: Any, **kwargs: Any) -> Any:
            return self._submission._request({"op": "method", "handle": self._handle.id,
                                              "name": name, "args": list(args), "kwargs": kwargs},
                                             f"{self._origin}.{name}" if self._origin else name)

        method.__name__ = name
        return method

    def __repr__(self) -> str:
        return f"<remote {self._handle.type_name}>"


class UnavailableSubmission:
    """Stands in when the module could not be found or loaded: every use fails with the reason."""

    def __init__(self, reason: str):
        self._reason = reason
        self.last_call = CallRecord()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise SubmissionUnavailable(self._reason)

    def autograd(self, *args: Any, **kwargs: Any) -> Any:
        raise SubmissionUnavailable(self._reason)
