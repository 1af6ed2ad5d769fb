"""The isolation client: the grader's side of the process boundary (student code never runs here).

Receives a submission's source and the calls a test makes (through the `sub` proxy, proxy.py);
gives back the worker's replies, decoded with their text made safe (pipes.py), as values,
StudentErrors and call records (remote.py), under per-call deadlines and a time budget
(budget.py). Modules by side of the boundary they face:
  connection.py     the Connection protocol every backend implements
  worker_handle.py  WorkerHandle: the grader's handle to a worker process (not the worker)
  launchers.py      how that process starts: ForkingLauncher (Linux), PortableLauncher (any OS)
  pipes.py          reading its frames with a deadline, before they are parsed
  sandbox.py        bubblewrap's argv and mounts, the rlimits; cgroups.py the slot's cgroup
  in_process.py     InProcessBackend: the worker's Session in this process, trusted code only

May import the worker's folder (its codec wire.py, proc.py, the option names of main.py and
limits.py, session.py for the in-process backend) and autograder.sanitize; never the plugin,
scoring, outputs, course or release stages, which use it (the course's helpers file comes
as a path, from the caller's Layout).
"""
