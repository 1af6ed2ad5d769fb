"""Finding forbidden library calls in a submission by reading its source (AST), not running it.

A function "uses" an API when its body (or the body of a module-level function or class it
refers to) names it, through any import alias: `import torch.nn.functional as F; F.mse_loss`,
`from sklearn.metrics import mean_squared_error as m`, or a module-level `loss = F.mse_loss`.
"""

from __future__ import annotations

import ast


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    head = aliases.get(node.id, node.id)
    return ".".join([head, *reversed(parts)])


def _aliases(tree: ast.Module) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    aliases.setdefault(alias.name.split(".")[0], alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in tree.body:  # module-level `loss = F.mse_loss`
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            target = _dotted(node.value, aliases)
            if target:
                aliases[node.targets[0].id] = target
    return aliases


def _names_used(node: ast.AST, aliases: dict[str, str]) -> set[str]:
    used = set()
    for child in ast.walk(node):
        if isinstance(child, (ast.Attribute, ast.Name)):
            dotted = _dotted(child, aliases)
            if dotted:
                used.add(dotted)
    return used


def _matches(name: str, api: str) -> bool:
    return name == api or name.startswith(api + ".")


class _Scan:
    """What each module-level function or class of a source names, and what a function reaches."""

    def __init__(self, source: str):
        tree = ast.parse(source)
        self.aliases = _aliases(tree)
        self.defs = {node.name: node for node in tree.body
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        self.used = {name: _names_used(node, self.aliases) for name, node in self.defs.items()}

    def reach(self, function: str) -> set[str]:
        """The module-level definitions `function` runs: itself and every helper it calls."""
        reach, todo = set(), [function]
        while todo:
            name = todo.pop()
            if name in reach or name not in self.defs:
                continue
            reach.add(name)
            todo.extend(u for u in self.used[name] if u in self.defs)
        return reach

    def names_reached(self, function: str) -> set[str]:
        return set().union(*(self.used[n] for n in self.reach(function)))


def forbidden_uses(source: str, forbidden: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each function in `forbidden`, the forbidden APIs its code reaches (empty: none)."""
    scan = _Scan(source)
    return {function: sorted({api for api in apis for n in scan.names_reached(function)
                              if _matches(n, api)})
            for function, apis in forbidden.items()}


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
