# Caravan: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
PORT ?= 8000
export PORT

# Settings for the embedded default; override with DJANGO_SETTINGS_MODULE=...
export DJANGO_SETTINGS_MODULE ?= caravan.settings.base

.DEFAULT_GOAL := help
.PHONY: help run dev test test-postgres lint format admin-password demo lock prepare clean-venv backup restore check-pdf screenshots

# The suite runs in PYTEST_WORKERS processes (pytest-xdist), one test file per process at
# a time; PYTEST_WORKERS=0 runs it in this process. Extra pytest arguments: PYTEST_ARGS.
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)
PYTEST_ARGS ?=
# The suite on PostgreSQL and Redis (`make test-postgres`); pytest creates and drops the
# database test_<name>, and the run's cache keys carry a prefix of their own.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_CACHE_URL ?= redis://127.0.0.1:6379/1

help:
	@echo "make run             install, migrate, load the demo, serve on http://127.0.0.1:$(PORT)"
	@echo "make test            install the dev dependencies and run the whole test suite"
	@echo "make test-postgres   the whole test suite again on PostgreSQL and Redis (TEST_DATABASE_URL, TEST_CACHE_URL)"
	@echo "make dev             like run, but Django's autoreloading development server with DEBUG on"
	@echo "make screenshots     refresh the screenshot baselines after an intended change of look"
	@echo "make backup          write database and media into var/backups/caravan-backup-<time>.tar.gz"
	@echo "make restore FILE=…  restore such an archive into an empty installation"
	@echo "make admin-password  set a new generated password for the admin account and print it"
	@echo "make lint            ruff check, ruff format --check and lint-imports"
	@echo "make lock            re-resolve requirements/*.txt from pyproject.toml (needs the registry)"

# The virtual environment and its packages are rebuilt only when a lock file changes,
# so a second `make run` skips straight to serving.
$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-base: requirements/base.txt | $(BIN)/activate
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	@rm -f $(VENV)/.installed-dev
	@touch $@

$(VENV)/.installed-dev: requirements/dev.txt | $(BIN)/activate
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	@touch $(VENV)/.installed-base $@

# Quotation PDFs (WeasyPrint) need Debian's Pango and the Noto fonts for every script; say
# which are missing and how to install them (the tests that need them skip meanwhile).
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-noto-cjk
check-pdf:
	@command -v dpkg-query >/dev/null 2>&1 || exit 0; missing=""; \
	for p in $(PDF_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Quotation PDFs need Debian packages that are missing:$$missing" >&2; \
		echo "  install them with: apt-get install -y$$missing" >&2; \
	fi

prepare: $(VENV)/.installed-base
	$(MANAGE) prepare

run: $(VENV)/.installed-base check-pdf
	$(MANAGE) runsite --prepare --port $(PORT)

dev: $(VENV)/.installed-base check-pdf
	DJANGO_SETTINGS_MODULE=caravan.settings.dev $(MANAGE) runsite --prepare --port $(PORT) --dev

# The Nu HTML Checker the suite runs on every page type (npm package vnu-jar, pinned in
# package-lock.json; Java runs it). Without npm the HTML check is skipped, saying so.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --ignore-scripts && touch $@; \
	else echo "npm not found: the HTML validity test (Nu HTML Checker) will be skipped"; fi

test: $(VENV)/.installed-dev node_modules/.installed check-pdf
	DJANGO_SETTINGS_MODULE=caravan.settings.test $(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev node_modules/.installed check-pdf
	DJANGO_SETTINGS_MODULE=caravan.settings.test DATABASE_URL=$(TEST_DATABASE_URL) \
		CACHE_URL=$(TEST_CACHE_URL) $(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# Rewrite the screenshot baselines (caravan/browser_tests/screenshots/) from this machine's
# Chromium after an intended change of look; review them with `git diff --stat` and look.
screenshots: $(VENV)/.installed-dev
	CARAVAN_UPDATE_SCREENSHOTS=1 CARAVAN_REQUIRE_BROWSER=1 CARAVAN_STATIC_PUBLISH=0 DJANGO_SETTINGS_MODULE=caravan.settings.test \
		$(BIN)/pytest -n 0 -q -p no:randomly caravan/browser_tests/test_screenshots.py -k first_screen

backup: $(VENV)/.installed-base
	$(MANAGE) backup

restore: $(VENV)/.installed-base
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/caravan-backup-….tar.gz"; exit 2; }
	$(MANAGE) restore "$(FILE)"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

admin-password: $(VENV)/.installed-base
	$(MANAGE) ensure_admin --reset-password

demo: $(VENV)/.installed-base
	$(MANAGE) load_demo

lock: $(VENV)/.installed-dev
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/base.txt pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev -o requirements/dev.txt pyproject.toml

clean-venv:
	rm -rf $(VENV)
