# The README's two commands: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
FIXTURES := tests/node_modules/.installed

.PHONY: demo test lint unit bench soak install clean screenshot team-files lock dist

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip uninstall --quiet --yes ante 2>/dev/null || true  # the old distribution name
	rm -rf scripts/*.egg-info  # setuptools' leftovers (before uv_build)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[dev]'
	touch $@

$(FIXTURES): tests/package.json tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(INSTALLED) $(FIXTURES)

demo: $(INSTALLED)
	$(BIN)/ante demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/zizmor --offline --quiet .github/workflows .github/actions .github/dependabot.yml
	$(BIN)/actionlint .github/workflows/*.yml

unit: install
	$(BIN)/pytest -q -n 2 --dist loadgroup --ignore=tests/benchmarks

# Side by side: the linters' cold start (mypy's above all) hides behind the unit tests.
test: install
	$(MAKE) --no-print-directory -j2 --output-sync=target lint unit

SEEDS ?= 5
DAYS ?= 91
JOBS ?= $(shell nproc 2>/dev/null || echo 1)

bench: install
	SEEDS=$(SEEDS) $(BIN)/pytest -q -s tests/benchmarks -p no:randomly

# Team life on the test bed's Actions: a quarter per seed (SEEDS=5, DAYS=91), JOBS seeds at a time
# (one per core); one line per seed on the way, and the last line is the figures of all seeds.
# RECORD=file keeps each seed's figures there, and a run stopped midway carries on from it.
soak: install
	PYTHONPATH=tests $(BIN)/python -m testbed.actions.soak --seeds $(SEEDS) --days $(DAYS) --jobs $(JOBS) \
	  $(if $(RECORD),--record $(RECORD))

# docs/status.png for the README: STATUS.md through cmarkgfm and headless Chromium (a dev tool).
screenshot: install
	$(BIN)/python scripts/screenshot.py

# The team files ship in the package: copy this repository's workflows (that a team runs too) there.
team-files:
	for f in scripts/ante/team/workflows/*.yml; do cp .github/workflows/$$(basename $$f) $$f; done
	cp .github/ISSUE_TEMPLATE/*.yml scripts/ante/team/ISSUE_TEMPLATE/
	cp .github/dependabot.yml scripts/ante/team/dependabot.yml

# The hash-checked runtime lockfile the setup-ante action installs.
# Left out: cryptography, which PyGithub needs only to sign a GitHub App's JWT (ante is handed
# a minted token) and PyJWT imports when present: the largest wheel, 50 ms of every start-up.
# setup.sh installs the lock with --no-deps. Versions already locked are kept (-o reads them).
LOCK_LEFT_OUT := cryptography
lock: install
	cp requirements.lock requirements.lock.new
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 --no-header --quiet \
	  $(foreach p,$(LOCK_LEFT_OUT),--no-emit-package $(p)) -o requirements.lock.new
	{ echo '# The runtime dependencies the setup-ante action installs, pinned with hashes (make lock).'; \
	  cat requirements.lock.new; } > requirements.lock && rm requirements.lock.new

# The sdist and wheel, checked (the release workflow does the same, stamped with the commit).
dist: install
	rm -rf dist && PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python -m build --no-isolation --outdir dist . && $(BIN)/twine check --strict dist/*

clean:
	rm -rf $(VENV) tests/node_modules .pytest_cache .ruff_cache .mypy_cache
