"""Scoring (채점): from the outcomes of the graded tests to one typed result per student and
assignment.

Receives: the plugin's `Outcome`s (one per test case: passed, message, hint ids, why it failed),
the assignment of course.yml (points, required calls) and what intake found (forbidden APIs,
missing calls, not submitted / not loadable).
Gives: `results.AssignmentResult` / `TestResult` (frozen dataclasses; the only shape results
take inside the engine, serialised to Gradescope JSON at the edge), `score.score_of` (status,
raw points, late penalty, final points) and `score.format_points` (the one way points are
written for people).
May import: autograder.course (config, hints, messages), autograder.intake.forbidden,
autograder.sanitize. Never the plugin, the isolation client, the worker or outputs.
"""
