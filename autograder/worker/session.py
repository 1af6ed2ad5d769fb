"""One submission's module loaded in a worker, answering the grader's requests.

Requests and replies are plain dicts (see codec.py):
  {"op": "call", "name": f, "args": [...], "kwargs": {...}}     -> the return value
  {"op": "new", "name": Class, "args": ..., "kwargs": ...}      -> a Handle
  {"op": "method", "handle": id, "name": m, "args", "kwargs"}   -> the return value
  {"op": "autograd", "name": f, "args", "kwargs", "wrt": [i]}   -> (value, grads)
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
from pathlib import Path
from typing import Any

from autograder.codec import Handle, TrustedFunction
from autograder.worker import functions

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


class Session:
    """Dispatches requests against a loaded module; keeps instances behind handles."""

    def __init__(self, module: types.ModuleType):
        self.module = module
        self.filename = getattr(module, "__file__", None)
        self.objects: dict[int, Any] = {}

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
        if op == "call":
            value = self._attr(self.module, request["name"])(*args, **kwargs)
        elif op == "new":
            instance = self._attr(self.module, request["name"])(*args, **kwargs)
            handle = Handle(len(self.objects) + 1, type(instance).__name__)
            self.objects[handle.id] = instance
            value = handle
        elif op == "method":
            target = self.objects[request["handle"]]
            value = self._attr(target, request["name"])(*args, **kwargs)
        elif op == "autograd":
            value = self._autograd(request["name"], args, kwargs, request["wrt"])
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

    def _autograd(self, name: str, args: list, kwargs: dict, wrt: list[int]) -> tuple:
        import torch

        leaves = {}
        for i in wrt:
            leaves[i] = torch.as_tensor(args[i], dtype=torch.float64).clone().requires_grad_(True)
            args[i] = leaves[i]
        result = self._attr(self.module, name)(*args, **kwargs)
        if not isinstance(result, torch.Tensor) or result.grad_fn is None:
            raise NotDifferentiable(f"{name} returned a value without a grad_fn "
                                    f"({type(result).__name__}); autograd cannot differentiate it")
        result.sum().backward()
        grads = [leaves[i].grad for i in wrt]
        return result.detach(), grads
