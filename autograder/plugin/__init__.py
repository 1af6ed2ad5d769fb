"""Stage: the pytest grading plugin (채점 플러그인), in the trusted process.

    hooks.py           the plugin: options, the `sub` fixture (one warm worker per slot,
                       student by student), the `grades` marker, outcomes -> results
    uses.py            "Uses:": reference values for the helpers a graded function calls
    notebook_cells.py  the `%%autograder` cell magic: suite tests run in a notebook kernel

Receives: the course (course/), a roster of submission folders (intake/ reads each module),
the suites tests/<slug>/test_*.py, and a worker handle (isolation/) to run student code.
Gives: each test's `Outcome` per student, written as results by scoring/ and outputs/; to a
suite, `sub` (the proxy) followed by autograder.testing, which names its last call.
May import: course/, intake/, isolation/, scoring/, outputs/, testing/, sanitize, and the
worker's wire types; never student code (it runs behind the worker handle only).
"""
