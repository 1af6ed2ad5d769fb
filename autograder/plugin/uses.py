"""The trusted side of "Uses:": reference values for the helpers a graded function calls.

assignments.md (revision 2): a function that uses another one of its assignment is graded
with the reference behaviour of what it uses, so one mistake costs points once. While a test
of `fit_logistic` runs, the worker replaces `sigmoid`, `logistic_grad` and
`binary_cross_entropy` in the student's module with stubs (worker/session.py); a stub sends
a `{"op": "uses", "name", "args", "kwargs"}` frame in the middle of the call, and this module
answers it with the reference solution's value, computed here on the codec-decoded
arguments. The reference code never enters the sandbox: only values cross, as for any call.
Classes are served too: `new` keeps a reference instance here and answers its number; a
method frame names that number (`"object"`) and the `"method"`.
"""

from __future__ import annotations

import importlib.util
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

MAX_OBJECTS = 10_000  # reference instances kept per submission (a loop creating nodes is fine)


def _error(type_name: str, message: str) -> dict[str, Any]:
    return {"error": {"type": type_name, "message": message[:500]}}


class ReferenceHelpers:
    """The reference module of one assignment, answering the worker's "uses" frames."""

    def __init__(self, path: Path, slug: str):
        spec = importlib.util.spec_from_file_location(f"autograder_reference_{slug}", path)
        assert spec is not None and spec.loader is not None  # a path to a .py file has both
        self.module: types.ModuleType = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.module)
        self.objects: dict[int, Any] = {}

    def reset(self) -> None:
        """A new submission: drop the previous one's reference instances."""
        self.objects.clear()

    def server(self, allowed: Sequence[str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
        """The answer function for one test: only the names of `allowed` are served."""
        names = frozenset(allowed)
        return lambda frame: self.answer(frame, names)

    def answer(self, frame: dict[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
        name = frame.get("name")
        if name not in allowed:  # only the uses of the function under test, only now
            return _error("NameError", f"the grader serves no reference {name!r} in this test")
        args, kwargs = frame.get("args", []), frame.get("kwargs", {})
        if not isinstance(args, list) or not isinstance(kwargs, dict) \
                or not all(isinstance(k, str) for k in kwargs):
            return _error("TypeError", "malformed arguments")
        try:
            if "object" in frame:
                method = frame.get("method")
                if not isinstance(method, str) or method.startswith("_"):
                    return _error("AttributeError", f"no method {method!r}")
                target = getattr(self.objects[frame["object"]], method)
            else:
                target = getattr(self.module, name)
            value = target(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the reference rejects these inputs: say so there
            return _error(type(exc).__name__, str(exc))
        if isinstance(target, type):
            if len(self.objects) >= MAX_OBJECTS:
                return _error("MemoryError", "too many reference objects")
            key = len(self.objects) + 1
            self.objects[key] = value
            value = key
        return {"ok": value}


def load_helpers(solutions: Path, slug: str, module: str) -> ReferenceHelpers | None:
    """The reference helpers of an assignment; None where there is no reference (a student's
    copy of the course): then the student's own helpers run, as written."""
    path = solutions / slug / f"{module}.py"
    return ReferenceHelpers(path, slug) if path.is_file() else None
