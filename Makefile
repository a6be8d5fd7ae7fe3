# Each target bootstraps the virtualenv when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test serve clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/phucdong-site build

# The browser tests drive Debian's Chromium through Playwright (never `playwright install`):
# install it when it is missing (CI runs as root; elsewhere through sudo).
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	$$( [ "$$(id -u)" -eq 0 ] || echo sudo ) apt-get update
	$$( [ "$$(id -u)" -eq 0 ] || echo sudo ) apt-get install -y --no-install-recommends chromium

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest

# Preview while writing: rebuilds and reloads the browser on every save.
# `make serve PORT=0` picks a free port.
PORT ?= 8000
serve: $(STAMP)
	$(BIN)/phucdong-site serve --port $(PORT)

clean:
	rm -rf build .cache
