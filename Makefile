# The one entry point for routine tasks. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Exact releases with their hashes: the app's with the test and e2e groups (make), and the app's
# alone (the image). `make lock` writes both from pyproject.toml; README, "Upgrades".
LOCK := requirements-dev.lock
IMAGE_LOCK := requirements.lock
UV := $(VENV)/uv/bin/uv
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock"
export DJANGO_SETTINGS_MODULE := wnwa.settings

.PHONY: run test lint format migrate seed e2e screenshots icons ci clean install backup-check lock

$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.3"
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## make lock: pin pyproject.toml's dependencies again, keeping current pins where they still fit;
## `make lock LOCK_ARGS=--upgrade` (or `--upgrade-package django`) moves to newer releases
$(UV):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --target $(VENV)/uv "uv>=0.9,<1"

lock: $(UV)
	$(UV) pip compile pyproject.toml --group test --group e2e $(LOCK_FLAGS) $(LOCK_ARGS) -o $(LOCK)
	$(UV) pip compile pyproject.toml $(LOCK_FLAGS) --constraint $(LOCK) -o $(IMAGE_LOCK)

## make run: a demo network on SQLite at http://localhost:8000 (passkeys refuse an IP address),
## with the worker that sends its emails
run: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	@# The worker sends the queued emails (printed here: the console backend) and stops with
	@# the server.
	DJANGO_DEBUG=1 $(PY) manage.py worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DJANGO_DEBUG=1 $(PY) manage.py runserver localhost:8000

## make test: lint, migrations check and the test suite (PostgreSQL when DATABASE_URL is set)
test: $(STAMP) lint
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djhtml --check templates
	@# Template lines stay readable: 120 characters, as for Python (a template tag cannot wrap, so a
	@# long condition becomes {% if %} blocks or a property of the object).
	@awk 'length > 120 { print FILENAME ":" FNR ": longer than 120 characters"; bad = 1 } END { exit bad }' \
		$$(find templates -name '*.html')

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml templates

## make e2e: browser tests in Debian's Chromium against a live server
VNU := node_modules/vnu-jar/build/dist/vnu.jar
# The Nu Html Checker from npm, run with the machine's Java (its own Java download is skipped).
$(VNU): package.json
	npm install --no-audit --no-fund --ignore-scripts
	touch $(VNU)

e2e: $(STAMP) $(VNU)
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

## make backup-check: pg_dump a seed_demo database, pg_restore it fresh, compare every table
backup-check: $(STAMP)
	$(PY) bench/backup_check.py

## make screenshots: the phone screenshots in docs/screenshots, taken by the every-page browser pass
screenshots: $(STAMP) $(VNU)
	WNWA_SCREENSHOTS=docs/screenshots DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m pytest -m e2e tests/e2e/test_every_page.py $(PYTEST_ARGS)

## make icons: the home-screen PNGs drawn again from their SVG (static/icons), in Chromium
icons: $(STAMP)
	$(PY) tools/icons.py

ci:
	.ci/run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
