"""The grading benchmark (`python -m bench`; see bench/README.md). Not part of `make test`."""

from pathlib import Path

from autograder.course.layout import Layout

# The benchmark measures the course it ships in (or $AUTOGRADER_ROOT's), wherever it is run from.
LAYOUT = Layout.find(start=Path(__file__).resolve().parent)
