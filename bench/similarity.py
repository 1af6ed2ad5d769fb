"""`python -m bench.similarity [N]`: time `autograder similarity`'s comparison on N students.

The worst case: every module derives from the example class or the reference solution (one
name renamed per student), so every pair shares code. Prints the seconds taken.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

from autograder.outputs.similarity import boilerplate_files, compare_class
from bench import LAYOUT


def main(students: int = 200) -> int:
    assignment = LAYOUT.course().assignment("a1_losses")
    sources = [p.read_text(encoding="utf-8")
               for p in sorted((LAYOUT.examples / "submissions").glob("*/losses.py"))]
    sources.append((LAYOUT.solutions / "a1_losses" / "losses.py").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="bench-similarity-") as tmp:
        roster = {}
        for i in range(students):
            folder = Path(tmp) / f"s{i:04d}"
            folder.mkdir()
            renamed = re.sub(r"\by_true\b", f"target_{i}", sources[i % len(sources)])
            (folder / "losses.py").write_text(renamed, encoding="utf-8")
            roster[folder.name] = folder
        start = time.perf_counter()
        pairs, _ = compare_class(assignment, roster, boilerplate_files(LAYOUT.root, assignment))
        seconds = time.perf_counter() - start
    print(f"{students} students: {seconds:.1f} s ({len(pairs)} pairs compared token by token)")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
