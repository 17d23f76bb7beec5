# Wulian — the two commands: `make run` and `make test`.
PY ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install lint format e2e-deps screenshots bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

## make run — install, migrate, load the Quzhou demo, serve on http://127.0.0.1:$(PORT)
run: install
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py load_demo
	$(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PYTHON) manage.py makemigrations --check --dry-run
	$(PYTHON) manage.py spectacular --validate --fail-on-warn --file /dev/null

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

e2e-deps:
	sh scripts/ensure-browser

## make test — install what tests need, lint, run the whole suite
test: install e2e-deps lint
	$(PYTHON) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

bench: install
	$(PYTHON) bench/import_enterprises.py

clean:
	rm -rf $(VENV) node_modules staticfiles var
