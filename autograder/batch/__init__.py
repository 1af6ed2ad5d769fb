"""Batch: a class graded by pytest runs, one per job slot.

Receives: a roster (student -> folder), the assignments to grade and a Layout. Gives: results
and feedback per student and assignment in OUT, the gradebook (slots: the slots, each one
`python -m pytest` with the grading plugin), one of N disjoint shards and their merge
(shards), and a student's `autograder check` of the public tests in its own process (check).
May import: course/, intake/, outputs/ (the store and the feedback files it writes after a
slot), and, in check only, the plugin and isolation/ to start the worker early; it never loads
student code itself (the plugin's worker does).
"""
