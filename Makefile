# Each target bootstraps the virtualenv when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test serve clean bench-photos

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/phucdong-site build

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf build .cache

# Photo benchmark against Hugo (not a test): make bench-photos [N=500]
N ?= 500
bench-photos: $(STAMP)
	command -v hugo >/dev/null 2>&1 || { apt-get update && apt-get install -y hugo; }
	$(BIN)/python bench/photos/run.py --count $(N)
