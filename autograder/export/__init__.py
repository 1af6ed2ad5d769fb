"""Packaging the grader for other platforms (`autograder export ...`)."""
