"""Intake: a submission as text, read without running any of it.

Receives: a student's folder, file or LMS archive, and the course's module names and
forbidden APIs. Gives: which file to grade (a `.py` or a notebook, and why), its source (a
notebook's code cells as one module, errors named by cell), the fingerprints of released
stubs, the forbidden APIs and missing required calls found by reading the source (forbidden),
and an LMS download unpacked into a folder per student (unpack).
May import: autograder.sanitize and the course definition (autograder.course.config); never
the worker, the plugin or anything that executes student code.
"""
