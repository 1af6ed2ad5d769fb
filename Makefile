# `make demo`: set up, then grade the bundled example class. `make test`: set up, then test.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
OUT    ?= grades

.PHONY: setup sandbox demo test lint release validate bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

# bubblewrap isolates student code; without it grading falls back (loudly) to rlimits only.
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
	  else echo "note: install bubblewrap (apt-get install bubblewrap) to sandbox student code"; fi; }

setup: $(STAMP) sandbox

demo: setup
	rm -rf $(OUT)
	$(VENV)/bin/autograder grade examples/submissions -o $(OUT) -j 2
	$(VENV)/bin/autograder report $(OUT)

test: setup
	$(VENV)/bin/pytest

# mypy: the [tool.mypy] of pyproject.toml (strict on autograder/, --check-untyped-defs elsewhere)
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

release: setup
	$(VENV)/bin/autograder release

validate: setup
	$(VENV)/bin/autograder validate

# not part of `make test`: about 12 minutes on 2 cores (docs/benchmark.md)
bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) $(OUT) build
