"""How long the forbidden-API scan takes on large sources: `python -m bench.forbidden_scan`.

Sources of 0.5, 1 and 2 MB in three shapes (long attribute chains, many short lines, many
small functions); a linear scan takes about twice as long for twice the size. CPU seconds
(process time, so that other processes on a shared machine count less), with `ast.parse`
alone beside it: the part of the scan that is Python's own parser. Not a test: timings
belong here, not in the suite (the test suite counts visited nodes instead).
"""

from __future__ import annotations

import ast
import time

from autograder.intake.forbidden import forbidden_uses

FORBIDDEN = {"mse": ["torch.nn.functional.mse_loss", "torch.nn.MSELoss"],
             "mae": ["torch.nn.functional.l1_loss"]}


def chains(size: int) -> str:
    line = "x = torch" + ".a" * 2000 + "\n"
    return "import torch\n" + line * (size // len(line)) + "def mse(a, b):\n    return x\n"


def chains_in_a_function(size: int) -> str:
    line = "    x = torch" + ".a" * 2000 + "\n"
    return "import torch\ndef mse(a, b):\n" + line * (size // len(line)) + "    return x\n"


def short_lines(size: int) -> str:
    line = "y = F.mse_loss(a, b) + np.mean(a - b) * 2\n"
    return "import torch.nn.functional as F\n" + line * (size // len(line)) + \
        "def mse(a, b):\n    return y\n"


def functions(size: int) -> str:
    block = "def f{i}(a, b):\n    return f{j}(a, b) + torch.nn.functional.l1_loss(a, b)\n"
    parts, total, i = ["import torch\n"], 0, 0
    while total < size:
        text = block.format(i=i, j=max(i - 1, 0))
        parts.append(text)
        total, i = total + len(text), i + 1
    parts.append(f"def mse(a, b):\n    return f{i - 1}(a, b)\n")
    return "".join(parts)


def main() -> None:
    forbidden_uses("def mse(a, b):\n    return 0\n", FORBIDDEN)  # API equivalents: imports once
    print(f"{'shape':12} {'MB':>5} {'parse s':>8} {'scan s':>8} {'scan / half':>12}")
    for shape in (chains, chains_in_a_function, short_lines, functions):
        previous = None
        for size in (512 * 1024, 1024 * 1024, 2 * 1024 * 1024):
            source = shape(size)
            started = time.process_time()
            ast.parse(source)
            parse = time.process_time() - started
            started = time.process_time()
            forbidden_uses(source, FORBIDDEN)
            seconds = time.process_time() - started
            ratio = f"{seconds / previous:.2f}" if previous else ""
            print(f"{shape.__name__:12} {len(source) / 2**20:5.2f} {parse:8.3f} {seconds:8.3f} "
                  f"{ratio:>12}")
            previous = seconds


if __name__ == "__main__":
    main()
