"""The worker: the sandbox side of the process boundary, where student code runs.

Receives, on its pipes, frames from the grader (wire.py): "load" (a submission's source, its
module name and the rlimits to set), then calls, constructor and method calls and autograd
requests against that module (session.py), and the answers to its "uses" call-backs. Gives
back data only: plain values, arrays, tensors, handles, opaque stand-ins, errors as text, and
on CTL "ready" and "exited" (main.py). Kills every process a submission started (proc.py).

May import only the standard library, NumPy, torch (and pyseccomp) and its own folder: the
sandbox mounts this folder alone, read-only (tests/engine/test_worker_imports.py enforces it).
The course's trusted helpers (course/functions.py) are not imported but loaded by path,
before any submission. Nothing here decides a point; the grader imports wire.py (the one
frame codec) and proc.py from here, never the other way round.
"""
