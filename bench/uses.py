"""The cost of the reference call-back ("Uses:"): time per helper call, with and without it.

    .venv/bin/python -m bench.uses [CALLS]

A student function calls its `sigmoid` CALLS times (default 2000) in the warm worker
(sandboxed where bubblewrap runs); served, each call is a round trip to the trusted grader,
which answers with the reference sigmoid (autograder/plugin/uses.py).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from autograder.isolation.sandbox import bwrap_available
from autograder.isolation.worker_handle import WorkerHandle
from autograder.plugin.uses import load_helpers
from bench import LAYOUT

STUDENT = '''
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def calls(n, z):
    for _ in range(n):
        sigmoid(z)
    return n
'''


def main(argv: list[str]) -> int:
    calls = int(argv[0]) if argv else 2000
    helpers = load_helpers(LAYOUT.solutions, "a4_logistic_regression", "logistic_regression")
    if helpers is None:
        print("no reference solution of a4_logistic_regression here")
        return 2
    serve = helpers.server(["sigmoid"])
    worker = WorkerHandle(sandboxed=bwrap_available() is None)
    try:
        worker.open("logistic_regression", STUDENT)
        for size in (3, 1000):
            z = np.linspace(-3.0, 3.0, size)
            for uses in ([], ["sigmoid"]):
                message = {"op": "call", "name": "calls", "args": [calls, z], "kwargs": {},
                           "uses": uses}
                worker.request(message, 120, serve=serve)  # warm up
                start = time.perf_counter()
                worker.request(message, 120, serve=serve)
                per_call = (time.perf_counter() - start) / calls * 1e6
                print(f"sigmoid of {size:4d} values, {'served by the grader' if uses else 'own'}: "
                      f"{per_call:8.1f} µs per call")
    finally:
        worker.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
