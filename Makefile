# Wulian — the two commands: `make run` and `make test`.
PY ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run serve test test-cluster install lint format e2e-deps screenshots bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

## make run — install, migrate, load the Quzhou demo, serve on http://127.0.0.1:$(PORT) with the
## background worker (notifications, reminders, escalation) running beside the web server
run: install
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py load_demo
	$(PYTHON) manage.py worker & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

## make serve — production mode: gunicorn + whitenoise, DEBUG off, settings from the environment
## (SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL required; see .env.example and docs/deploy.md)
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
serve: install
	DEBUG=off $(PYTHON) manage.py check --deploy --fail-level WARNING
	DEBUG=off $(PYTHON) manage.py migrate --noinput
	DEBUG=off $(PYTHON) manage.py collectstatic --noinput --verbosity 0
	DEBUG=off $(VENV)/bin/gunicorn wulian.wsgi --workers $(WORKERS) --bind 127.0.0.1:$(PORT) \
		--access-logfile - --timeout 60

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PYTHON) manage.py makemigrations --check --dry-run
	$(PYTHON) manage.py spectacular --validate --fail-on-warn --file /dev/null

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

e2e-deps:
	sh scripts/ensure-browser
	sh scripts/ensure-redis
	sh scripts/ensure-gettext

## make test — install what tests need, lint, run the whole suite
test: install e2e-deps lint
	$(PYTHON) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

## make test-cluster — two gunicorn servers and two workers against one PostgreSQL (the server
## in DATABASE_URL, on a database of their own) and a Redis started by the test
## (tests/cluster; .ci/run calls it after the PostgreSQL pass)
test-cluster: install
	$(PYTHON) -m pytest --cluster -m cluster tests/cluster -v $(PYTEST_ARGS)

## make screenshots — the main pages as PNGs in docs/screenshots/ (shown in the README)
screenshots: install e2e-deps
	$(PYTHON) scripts/screenshots.py

bench: install
	$(PYTHON) bench/import_enterprises.py
	$(PYTHON) bench/service.py

clean:
	rm -rf $(VENV) node_modules staticfiles var
