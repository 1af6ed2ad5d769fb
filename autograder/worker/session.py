"""One submission's module loaded in a worker, answering the grader's requests.

Requests and replies are plain dicts (see wire.py):
  {"op": "call", "name": f, "args": [...], "kwargs": {...}}     -> the return value
  {"op": "new", "name": Class, "args": ..., "kwargs": ...}      -> a Handle
  {"op": "method", "handle": id, "name": m, "args", "kwargs"}   -> the return value
  {"op": "autograd", "name": f, "args", "kwargs", "wrt": [i]}   -> (value, grads)
Any request may carry "uses": [names]: during that call those names of the module are stubs
whose calls go back to the grader (`call_back`, a {"op": "uses"} frame answered with the
reference value; autograder/plugin/uses.py), so the function under test meets the reference
behaviour of the helpers it uses.
A TrustedFunction argument is built by the course's helpers file (course/functions.py, its
`build`), which the worker loads as trusted code before it loads any submission.
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

from autograder.worker.wire import Handle, Message, TrustedFunction

# course/functions.py's `build(name, params)`: the callable a test named, from plain data
Build = Callable[[str, dict[str, Any]], Callable[..., Any]]

_BUILTIN_EXCEPTIONS = {name for name, obj in vars(builtins).items()
                       if isinstance(obj, type) and issubclass(obj, BaseException)}


class NotDifferentiable(Exception):
    """The result of an autograd request carries no grad_fn."""


def _import_file(module_name: str, path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def load_module(source: str, module_name: str, directory: Path) -> types.ModuleType:
    """Write the submission's source into the worker's own folder and import it."""
    path = directory / f"{module_name}.py"
    path.write_text(source, encoding="utf-8")
    return _import_file(module_name, path)


TRUSTED_MODULE = "course_functions"


def load_trusted_functions(path: Path) -> Build:
    """The course's helpers file, imported by path: its `build` (trusted code, loaded before
    any submission so that none can change it first)."""
    build: Build = _import_file(TRUSTED_MODULE, path).build
    return build


def no_trusted_functions(name: str, params: dict[str, Any]) -> Callable[..., Any]:
    """The `build` of a course without a helpers file."""
    raise KeyError(f"no function {name!r}: the course has no trusted helpers (course/functions.py)")


def public_names(module: types.ModuleType) -> dict[str, str]:
    """What the load reply tells the grader: each public name and whether it is a class."""
    return {name: ("class" if isinstance(obj, type) else "function" if callable(obj) else "other")
            for name, obj in vars(module).items() if not name.startswith("_")}


def error_reply(exc: BaseException, filename: str | None = None) -> Message:
    mro = [cls.__name__ for cls in type(exc).__mro__ if cls.__name__ in _BUILTIN_EXCEPTIONS]
    frames: list[traceback.FrameSummary] = list(traceback.extract_tb(exc.__traceback__))
    if filename:  # only the student's part of the traceback
        frames = [f for f in frames if f.filename == filename] or frames[-1:]
    try:
        message = str(exc)[:2000]
    except Exception:  # noqa: BLE001 - a hostile __str__
        message = "<unprintable>"
    return {"error": {"type": type(exc).__name__[:100], "mro": mro, "message": message,
                      "traceback": "".join(traceback.format_list(frames))[-4000:]}}


CallBack = Callable[[Message], Any]  # a "uses" frame -> the grader's answer (a decoded frame)


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
    `build` makes the callables that tests name (TrustedFunction arguments).
    """

    def __init__(self, module: types.ModuleType, call_back: CallBack | None = None,
                 build: Build = no_trusted_functions):
        self.module = module
        self.filename: str | None = getattr(module, "__file__", None)
        self.objects: dict[int, Any] = {}
        self.call_back = call_back
        self.build = build

    def _served(self, frame: Message) -> Any:
        if self.call_back is None:  # stubs are made only with a call_back (see _serving)
            raise ReferenceUnavailable("no way back to the grader")
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
        module_globals = vars(self.module)
        names: list[str] = []
        if self.call_back is not None and isinstance(uses, list):
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

    def handle(self, request: Message) -> Message:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                reply = self._dispatch(request)
            except BaseException as exc:  # noqa: BLE001 - SystemExit too is the student's failure
                reply = error_reply(exc, self.filename)
        reply["warnings"] = [f"{w.category.__name__}: {w.message}"[:500] for w in caught[:20]]
        return reply

    def _dispatch(self, request: Message) -> Message:
        op = request["op"]
        value: Any
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
            return self.build(value.name, value.params)
        if isinstance(value, Handle):
            return self.objects[value.id]
        return value

    @staticmethod
    def _autograd(name: str, function: Callable[..., Any], args: list[Any],
                  kwargs: dict[str, Any], wrt: list[int]) -> tuple[Any, list[Any]]:
        import torch

        leaves = {}
        for i in wrt:
            leaves[i] = torch.as_tensor(args[i], dtype=torch.float64).clone().requires_grad_(True)
            args[i] = leaves[i]
        result = function(*args, **kwargs)
        if not isinstance(result, torch.Tensor) or result.grad_fn is None:
            raise NotDifferentiable(f"{name} returned a value without a grad_fn "
                                    f"({type(result).__name__}); autograd cannot differentiate it")
        result.sum().backward()  # type: ignore[no-untyped-call]  # torch leaves it untyped
        grads = [leaves[i].grad for i in wrt]
        return result.detach(), grads
