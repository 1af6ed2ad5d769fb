"""One submission's module loaded in a worker, answering the grader's requests.

Requests and replies are plain dicts (see codec.py):
  {"op": "call", "name": f, "args": [...], "kwargs": {...}}     -> the return value
  {"op": "new", "name": Class, "args": ..., "kwargs": ...}      -> a Handle
  {"op": "method", "handle": id, "name": m, "args", "kwargs"}   -> the return value
  {"op": "autograd", "name": f, "args", "kwargs", "wrt": [i]}   -> (value, grads)
Any request may carry "uses": [names]: during that call those names of the module are stubs
whose calls go back to the grader (`call_back`, a {"op": "uses"} frame answered with the
reference value; autograder/plugin/uses.py), so the function under test meets the reference
behaviour of the helpers it uses.
Every reply is {"ok": value, "args_after", "kwargs_after", "warnings"} or
{"error": {"type", "mro", "message", "traceback"}, "warnings"}.
Everything here runs next to untrusted code: it can only produce data, never points.
"""

from __future__ import annotations

import builtins
import importlib.util
import sys
import traceback
import types
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from autograder.worker import functions
from autograder.worker.wire import Handle, TrustedFunction

_BUILTIN_EXCEPTIONS = {name for name, obj in vars(builtins).items()
                       if isinstance(obj, type) and issubclass(obj, BaseException)}


class NotDifferentiable(Exception):
    """The result of an autograd request carries no grad_fn."""


def load_module(source: str, module_name: str, directory: Path) -> types.ModuleType:
    """Write the submission's source into the worker's own folder and import it."""
    path = directory / f"{module_name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def error_reply(exc: BaseException, filename: str | None = None) -> dict:
    mro = [cls.__name__ for cls in type(exc).__mro__ if cls.__name__ in _BUILTIN_EXCEPTIONS]
    frames = traceback.extract_tb(exc.__traceback__)
    if filename:  # only the student's part of the traceback
        frames = [f for f in frames if f.filename == filename] or frames[-1:]
    try:
        message = str(exc)[:2000]
    except Exception:  # noqa: BLE001 - a hostile __str__
        message = "<unprintable>"
    return {"error": {"type": type(exc).__name__[:100], "mro": mro, "message": message,
                      "traceback": "".join(traceback.format_list(frames))[-4000:]}}


class ReferenceUnavailable(RuntimeError):
    """A stub's call back to the grader could not be answered."""


def _raise_reference_error(error: Any) -> None:
    """Raise the reference's own exception type (a builtin one) in the student's code."""
    error = error if isinstance(error, dict) else {}
    name, message = str(error.get("type", "")), str(error.get("message", ""))
    cls = getattr(builtins, name, None) if name in _BUILTIN_EXCEPTIONS else None
    if cls is None or not issubclass(cls, Exception):
        cls = ReferenceUnavailable
    raise cls(f"(the reference helper) {message}")


class Session:
    """Dispatches requests against a loaded module; keeps instances behind handles.

    `call_back(frame) -> reply` sends a "uses" frame to the grader in the middle of a call and
    returns its answer; without it, "uses" is ignored and the student's own helpers run.
    """

    def __init__(self, module: types.ModuleType,
                 call_back: Callable[[dict], dict] | None = None):
        self.module = module
        self.filename = getattr(module, "__file__", None)
        self.objects: dict[int, Any] = {}
        self.call_back = call_back

    def _served(self, frame: dict) -> Any:
        reply = self.call_back({"op": "uses", **frame})
        if not isinstance(reply, dict) or "ok" not in reply:
            _raise_reference_error(reply.get("error") if isinstance(reply, dict) else None)
        return reply["ok"]

    def _stub(self, name: str, original: Any) -> Any:
        served = self._served
        if isinstance(original, type):
            class Stub:
                def __init__(self, *args: Any, **kwargs: Any):
                    object.__setattr__(self, "_reference", served(
                        {"name": name, "args": list(args), "kwargs": kwargs}))

                def __getattr__(self, method: str) -> Any:
                    if method.startswith("_"):
                        raise AttributeError(method)
                    key = object.__getattribute__(self, "_reference")
                    return lambda *args, **kwargs: served(
                        {"name": name, "object": key, "method": method, "args": list(args),
                         "kwargs": kwargs})

            Stub.__name__ = Stub.__qualname__ = name
            return Stub

        def helper(*args: Any, **kwargs: Any) -> Any:
            return served({"name": name, "args": list(args), "kwargs": kwargs})

        helper.__name__ = helper.__qualname__ = name
        return helper

    @contextmanager
    def _serving(self, uses: Any) -> Iterator[None]:
        """Only during this call: the module's `uses` names are stubs of the reference."""
        names = module_globals = None
        if self.call_back is not None and isinstance(uses, list):
            module_globals = vars(self.module)
            names = [n for n in uses if isinstance(n, str) and n in module_globals]
        if not names:
            yield
            return
        saved = {n: module_globals[n] for n in names}
        module_globals.update({n: self._stub(n, saved[n]) for n in names})
        try:
            yield
        finally:
            module_globals.update(saved)

    def handle(self, request: dict) -> dict:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                reply = self._dispatch(request)
            except BaseException as exc:  # noqa: BLE001 - SystemExit too is the student's failure
                reply = error_reply(exc, self.filename)
        reply["warnings"] = [f"{w.category.__name__}: {w.message}"[:500] for w in caught[:20]]
        return reply

    def _dispatch(self, request: dict) -> dict:
        op = request["op"]
        args = [self._resolve(a) for a in request.get("args", [])]
        kwargs = {k: self._resolve(v) for k, v in request.get("kwargs", {}).items()}
        if op == "autograd":
            function = self._attr(self.module, request["name"])
            with self._serving(request.get("uses")):
                value = self._autograd(request["name"], function, args, kwargs, request["wrt"])
        elif op in ("call", "new", "method"):
            owner = self.objects[request["handle"]] if op == "method" else self.module
            function = self._attr(owner, request["name"])  # the student's own, before stubbing
            with self._serving(request.get("uses")):
                value = function(*args, **kwargs)
            if op == "new":
                handle = Handle(len(self.objects) + 1, type(value).__name__)
                self.objects[handle.id] = value
                value = handle
        else:
            raise ValueError(f"unknown op {op!r}")
        return {"ok": value, "args_after": tuple(args), "kwargs_after": kwargs}

    @staticmethod
    def _attr(owner: Any, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(f"{name!r} is private")
        try:
            return getattr(owner, name)
        except AttributeError:
            raise AttributeError(f"the submission has no {name!r}") from None

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, TrustedFunction):
            return functions.build(value.name, value.params)
        if isinstance(value, Handle):
            return self.objects[value.id]
        return value

    @staticmethod
    def _autograd(name: str, function: Callable, args: list, kwargs: dict,
                  wrt: list[int]) -> tuple:
        import torch

        leaves = {}
        for i in wrt:
            leaves[i] = torch.as_tensor(args[i], dtype=torch.float64).clone().requires_grad_(True)
            args[i] = leaves[i]
        result = function(*args, **kwargs)
        if not isinstance(result, torch.Tensor) or result.grad_fn is None:
            raise NotDifferentiable(f"{name} returned a value without a grad_fn "
                                    f"({type(result).__name__}); autograd cannot differentiate it")
        result.sum().backward()
        grads = [leaves[i].grad for i in wrt]
        return result.detach(), grads
