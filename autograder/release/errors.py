"""The one error type of `autograder release`: the course cannot be released as it is."""


class ReleaseError(Exception):
    """The message says which file to fix and how."""
