# Each target bootstraps the virtualenv when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium

.PHONY: build test serve clean bench-search

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/phucdong-site build

# The browser tests drive Debian's Chromium; installed only when missing (CI runs as root).
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest

# Search compared with Pagefind on a generated Vietnamese site (writes bench/search/RESULTS.md);
# ARTICLES=2000 for a quick run (written to bench/search/.work/RESULTS-2000.md).
bench-search: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	$(BIN)/python bench/search/run.py --articles $${ARTICLES:-10000}

clean:
	rm -rf build .cache
