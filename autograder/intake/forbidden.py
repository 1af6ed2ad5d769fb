"""Finding forbidden library calls in a submission by reading its source (AST), not running it.

A function "uses" an API when its code, or the code of a module-level name it refers to,
names it through any binding a student writes:
- import aliases (`import torch.nn.functional as F; F.mse_loss`, `from torch import nn`,
  `from torch.nn.functional import *`) and other import paths of the same object
  (`torch.nn.modules.loss.MSELoss` is `torch.nn.MSELoss`);
- module-level bindings of any kind: aliases and objects (`loss = nn.MSELoss()`), lambdas,
  definitions inside `if`/`try`/`with`, rebinding after a definition (every binding of a name
  counts), assignments through `global` in a helper;
- everything a definition carries: default arguments, decorators, methods, nested functions.
Dynamic access whose target cannot be read from the source (`getattr` with a computed name,
`__import__`/`importlib.import_module` of a computed module, `eval`/`exec`, `globals()`,
`sys.modules`, `__dict__`) counts as a use: the scan cannot verify it, so it says why.
A constant name is resolved instead (`getattr(F, "mse_loss")` is `F.mse_loss`).

The scan is one iterative pass over the tree (each node visited once, attribute chains read
once from their outermost node), so its cost is linear in the source size.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

# Items of forbidden_uses() that are not an API but code the scan cannot verify start so.
DYNAMIC = "dynamic access"

_GETATTR = {"getattr", "builtins.getattr"}
_SETATTR = {"setattr", "delattr", "builtins.setattr", "builtins.delattr"}
_IMPORTERS = {"__import__", "builtins.__import__", "importlib.import_module",
              "importlib.__import__"}
_CODE_RUNNERS = {"eval", "exec", "compile", "builtins.eval", "builtins.exec", "builtins.compile"}
_NAMESPACES = {"globals", "locals", "vars", "builtins.globals", "builtins.locals", "builtins.vars"}
_ALWAYS_DYNAMIC = ("sys.modules", "operator.attrgetter", "operator.methodcaller")


@dataclass
class _Binding:
    """What the code behind one module-level name refers to (all its bindings together)."""

    heads: set[str] = field(default_factory=set)    # bare names it refers to (other bindings)
    used: set[str] = field(default_factory=set)     # dotted names, import aliases resolved
    dynamic: list[str] = field(default_factory=list)


@dataclass
class _Facts:
    """One module-level statement as read in a single pass: what is left to resolve."""

    chains: list[tuple[ast.expr, ast.expr, bool]] = field(default_factory=list)  # (top, base, called)
    calls: list[ast.Call] = field(default_factory=list)
    dict_access: list[int] = field(default_factory=list)  # lines of `x.__dict__`
    targets: set[str] = field(default_factory=set)        # plain names it binds
    other_stores: bool = False                            # `x[k] = v`, `x.a = v`
    imports: list[ast.Import | ast.ImportFrom] = field(default_factory=list)


def _constant_str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _collect(statement: ast.AST) -> _Facts:
    """Read a statement in one iterative pass: each node once, each attribute chain once
    (from its outermost node, never again from its inner links)."""
    facts, stack, callees, declared = _Facts(), [statement], set(), set()
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Attribute, ast.Name)):
            base: ast.expr = node
            while isinstance(base, ast.Attribute):
                if base.attr in ("__dict__", "__getattribute__"):
                    facts.dict_access.append(node.lineno)
                base = base.value
            facts.chains.append((node, base, id(node) in callees))
            if isinstance(node.ctx, ast.Store):
                if isinstance(node, ast.Name):
                    facts.targets.add(node.id)
                else:
                    facts.other_stores = True
            if not isinstance(base, ast.Name):
                stack.append(base)  # `f(x).attr`: the call's own parts
            continue
        if isinstance(node, ast.Call):
            facts.calls.append(node)
            callees.add(id(node.func))
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            facts.other_stores = True
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            facts.imports.append(node)
        elif isinstance(node, ast.Global):
            declared.update(node.names)
        for name in node._fields:
            if name == "ctx":
                continue
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        # it binds its own name, and `global mse; mse = ...` in a helper rebinds
        facts.targets = {statement.name} | declared  # (names stored inside are its locals)
        facts.other_stores = False
    return facts


class _Scan:
    """Every module-level binding of a source, and what a function reaches through them."""

    def __init__(self, source: str):
        tree = ast.parse(source)
        self.aliases: dict[str, str] = {}
        self.star: list[str] = []  # modules imported with `from M import *`
        self.bindings: dict[str, _Binding] = defaultdict(_Binding)
        self.effects = _Binding()  # module-level code that binds no plain name
        # a `__main__` guard is skipped only when `__name__` is written nowhere else (a module
        # that sets `__name__ = "__main__"` first would run the block when imported)
        guards = [s for s in tree.body if _is_main_guard(s)]
        skip = {id(s) for s in guards} if source.count("__name__") == len(guards) else set()
        statements = [(s, _collect(s)) for s in _module_level(tree.body, skip)]
        for _, facts in statements:  # imports anywhere (a function's own import counts too)
            for node in facts.imports:
                self._import(node)
        for statement, _ in statements:  # module-level `nnf = torch.nn.functional`
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                    and isinstance(statement.targets[0], ast.Name):
                target = self._dotted(statement.value)
                if target:
                    self.aliases[statement.targets[0].id] = target
        for statement, facts in statements:
            if not isinstance(statement, (ast.Import, ast.ImportFrom)):
                self._bind(facts)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    self.aliases.setdefault(head, head)
        elif node.module and not node.level:
            for alias in node.names:
                if alias.name == "*":
                    self.star.append(node.module)
                else:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    # -- reading names -----------------------------------------------------------------

    def _dotted(self, node: ast.AST) -> str | None:
        """`a.b.c` as a dotted name, its head resolved through the aliases (None if not a name).

        Walks the chain without recursion: its cost is the chain's length.
        """
        parts = []
        while True:
            if isinstance(node, ast.Attribute):
                parts.append(node.attr)
                node = node.value
            elif isinstance(node, ast.Call) and self._call_name(node.func) in _GETATTR \
                    and len(node.args) >= 2 and (attr := _constant_str(node.args[1])) is not None:
                parts.append(attr)  # getattr(F, "mse_loss")
                node = node.args[0]
            else:
                break
        if isinstance(node, ast.Name):
            head = self.aliases.get(node.id, node.id)
        elif isinstance(node, ast.Call) and self._call_name(node.func) in _IMPORTERS \
                and node.args and (module := _constant_str(node.args[0])) is not None:
            # __import__("a.b") is `a`, import_module is `a.b`
            from_list = len(node.args) > 3 or any(k.arg == "fromlist" for k in node.keywords)
            plain = self._call_name(node.func) in ("__import__", "builtins.__import__")
            head = module.split(".")[0] if plain and not from_list else module
        else:
            return None
        return ".".join([head, *reversed(parts)])

    def _call_name(self, func: ast.AST) -> str | None:
        if isinstance(func, ast.Name):
            return self.aliases.get(func.id, func.id)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            return f"{self.aliases.get(func.value.id, func.value.id)}.{func.attr}"
        return None

    def _dynamic(self, node: ast.Call) -> str | None:
        """Why this call is access the scan cannot verify (None: it can)."""
        name, line = self._call_name(node.func), f"(line {node.lineno})"
        if name in _GETATTR | _SETATTR and (len(node.args) < 2 or _constant_str(node.args[1]) is None):
            return f"{DYNAMIC}: {name} with a computed name {line}"
        if name in _IMPORTERS and (not node.args or _constant_str(node.args[0]) is None):
            return f"{DYNAMIC}: {name} of a computed module {line}"
        if name in _CODE_RUNNERS:
            return f"{DYNAMIC}: {name} runs code from a string {line}"
        if name in _NAMESPACES:
            return f"{DYNAMIC}: {name}() reaches names by string {line}"
        return None

    def _read(self, facts: _Facts) -> _Binding:
        into = _Binding()
        into.dynamic += [f"{DYNAMIC}: __dict__ reaches names by string (line {line})"
                         for line in facts.dict_access]
        for call in facts.calls:
            why = self._dynamic(call)
            if why:
                into.dynamic.append(why)
            elif self._call_name(call.func) in _GETATTR:
                self._record(call, call, False, into)  # getattr(F, "mse_loss")
        for node, base, called in facts.chains:
            self._record(node, base, called, into)
        return into

    def _record(self, node: ast.expr, base: ast.expr, called: bool, into: _Binding) -> None:
        dotted = self._dotted(node)
        if not dotted:
            return
        into.used.add(dotted)
        if isinstance(base, ast.Name):
            into.heads.add(base.id)
            if base.id not in self.aliases:  # perhaps a name from `from M import *`
                into.used.update(f"{module}.{dotted}" for module in self.star)
        line = f"(line {node.lineno})"
        if dotted.startswith(_ALWAYS_DYNAMIC) and any(_matches(dotted, d) for d in _ALWAYS_DYNAMIC):
            into.dynamic.append(f"{DYNAMIC}: {dotted} reaches names by string {line}")
        elif not called and dotted in _GETATTR | _SETATTR | _IMPORTERS | _CODE_RUNNERS | _NAMESPACES:
            into.dynamic.append(f"{DYNAMIC}: {dotted} passed as a value {line}")

    # -- module-level bindings ---------------------------------------------------------

    def _bind(self, facts: _Facts) -> None:
        read = self._read(facts)
        if not facts.targets or facts.other_stores:
            self._merge(self.effects, read)  # it may rebind any name: `globals()["f"] = g`
        for name in facts.targets:
            self._merge(self.bindings[name], read)

    @staticmethod
    def _merge(binding: _Binding, read: _Binding) -> None:
        binding.heads |= read.heads
        binding.used |= read.used
        binding.dynamic += read.dynamic

    def reach(self, function: str) -> set[str]:
        """The module-level names `function` runs: itself and every binding it refers to."""
        reach, todo = set(), [function]
        while todo:
            name = todo.pop()
            if name in reach or name not in self.bindings:
                continue
            reach.add(name)
            todo.extend(self.bindings[name].heads)
        return reach

    def names_reached(self, function: str) -> set[str]:
        return set().union(*(self.bindings[n].used for n in self.reach(function)))

    def dynamic_reached(self, function: str) -> list[str]:
        """The dynamic access `function` reaches, and what module-level code does dynamically
        (a defined function can be rebound by it)."""
        if function not in self.bindings:
            return []
        found = [why for n in sorted(self.reach(function)) for why in self.bindings[n].dynamic]
        found += self.effects.dynamic
        found += [why for head in sorted(self.effects.heads) for n in sorted(self.reach(head))
                  for why in self.bindings[n].dynamic]
        return list(dict.fromkeys(found))


def _module_level(body: list[ast.stmt], skip: set[int]) -> Iterator[ast.stmt]:
    """The statements that run at import: into if/try/with/for/while, not into definitions,
    nor into the `if __name__ == "__main__":` blocks in `skip` (a student's own demo)."""
    for statement in body:
        if id(statement) in skip:
            continue
        nested = [getattr(statement, part, []) for part in ("body", "orelse", "finalbody")] \
            + [handler.body for handler in getattr(statement, "handlers", [])] \
            + [case.body for case in getattr(statement, "cases", [])]
        if isinstance(statement, (ast.If, ast.Try, ast.With, ast.AsyncWith, ast.For,
                                  ast.AsyncFor, ast.While)) or type(statement).__name__ in (
                                      "TryStar", "Match"):
            header = _Header(statement)
            if header.nodes:
                yield header
            for block in nested:
                yield from _module_level(block, skip)
        else:
            yield statement


def _is_main_guard(statement: ast.stmt) -> bool:
    test = getattr(statement, "test", None)
    return isinstance(statement, ast.If) and not statement.orelse \
        and isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) \
        and test.left.id == "__name__" and len(test.comparators) == 1 \
        and _constant_str(test.comparators[0]) == "__main__"


class _Header(ast.stmt):
    """The non-block parts of a compound statement (`if cond`, `with x as y`), read as one."""

    _fields = ("nodes",)

    def __init__(self, statement: ast.stmt):
        super().__init__()
        skip = {id(s) for part in ("body", "orelse", "finalbody") for s in getattr(statement, part, [])}
        skip |= {id(h) for h in getattr(statement, "handlers", [])}
        skip |= {id(c) for c in getattr(statement, "cases", [])}
        self.nodes = [n for n in ast.iter_child_nodes(statement) if id(n) not in skip]
        self.lineno = getattr(statement, "lineno", 0)


@cache
def equivalents(api: str) -> frozenset[str]:
    """`api` and the other import paths of the same object (`torch.nn.modules.loss.MSELoss`
    for `torch.nn.MSELoss`), found by importing the API named in course.yml (trusted code,
    never the submission's): its defining module and every package on the way re-exporting it."""
    names = {api}
    obj = _resolve(api)
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if obj is None or not isinstance(module, str) or not isinstance(qualname, str) \
            or "." in qualname or "<" in qualname:
        return frozenset(names)
    names.add(f"{module}.{qualname}")
    for path in (module, api.rsplit(".", 1)[0]):
        parts = path.split(".")
        for i in range(1, len(parts) + 1):
            package = sys.modules.get(".".join(parts[:i]))
            if package is not None and getattr(package, qualname, None) is obj:
                names.add(f"{package.__name__}.{qualname}")
    return frozenset(names)


def _resolve(api: str) -> object | None:
    parts = api.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:i]))
        except Exception:  # noqa: BLE001 - not installed, or not a module at this depth
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr, None)
        return obj
    return None


def _matches(name: str, api: str) -> bool:
    return name == api or name.startswith(api + ".")


def forbidden_uses(source: str, forbidden: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each function in `forbidden`, the forbidden APIs its code reaches (empty: none),
    then the dynamic access it reaches that the scan cannot verify (items starting DYNAMIC)."""
    scan = _Scan(source)
    result: dict[str, list[str]] = {}
    for function, apis in forbidden.items():
        if not apis:
            result[function] = []
            continue
        reached = scan.names_reached(function)
        found = sorted({api for api in apis for n in reached
                        if any(_matches(n, eq) for eq in equivalents(api))})
        result[function] = found + scan.dynamic_reached(function)
    return result


def missing_calls(source: str, required: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each function in `required`, the required names it never calls (empty: all called).

    "Calls X" means X is named in the function or in a module-level helper it calls; X is a
    name of the same module (`perceptron`) or a dotted API (`torch.optim.SGD`).
    """
    scan = _Scan(source)
    result = {}
    for function, names in required.items():
        reached = scan.names_reached(function)  # empty when the function is not defined
        result[function] = [name for name in names if not any(_matches(r, name) for r in reached)]
    return result
