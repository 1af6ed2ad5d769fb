"""The grading benchmark (`python -m bench`; see bench/README.md). Not part of `make test`."""
