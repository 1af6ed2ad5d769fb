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


def forbidden_uses(source: str, forbidden: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each function in `forbidden`, the forbidden APIs its code reaches (empty: none)."""
    tree = ast.parse(source)
    aliases = _aliases(tree)
    defs = {node.name: node for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    used = {name: _names_used(node, aliases) for name, node in defs.items()}
    found = {}
    for function, apis in forbidden.items():
        reach, todo = set(), [function]
        while todo:  # follow calls into other module-level functions and classes
            name = todo.pop()
            if name in reach or name not in defs:
                continue
            reach.add(name)
            todo.extend(u for u in used[name] if u in defs)
        names = set().union(*(used[n] for n in reach)) if reach else set()
        found[function] = sorted({api for api in apis for n in names if _matches(n, api)})
    return found
