# TIC Academy — two commands:
#   make run    install, migrate, load curriculum + demo accounts, serve on http://127.0.0.1:5000
#   make test   install and run the whole test suite
#   make prod-check  start the production stack on loopback and drive a trainee's journey through it
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app wsgi
PYTEST_ARGS ?=
HOST    ?= 127.0.0.1
PORT    ?= 5000

.PHONY: run test setup system venv assets translations db demo curriculum validate clean prod-check mutate

run: setup db curriculum demo
	@echo "TIC Academy on http://$(HOST):$(PORT)  (demo password: see README)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup validate
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

setup: system venv assets translations

system:
	@scripts/check-system.sh

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing Python packages (log: $(VENV)/pip.log)"
	@$(PY) -m pip install --quiet --upgrade pip > $(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@$(PY) -m pip install --quiet -r requirements.txt >> $(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@# The project itself, editable: its `flask.commands` entry point gives `flask grade` without loading the app.
	@$(PY) -m pip install --quiet --no-deps -e . >> $(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.installed
	npm run --silent build

translations: venv
	$(VENV)/bin/pybabel compile --use-fuzzy -d tic_academy/translations >/dev/null

db: venv
	@mkdir -p instance
	$(FLASK) db upgrade

curriculum: venv
	$(FLASK) curriculum sync

# Proving every exercise takes minutes: it runs again only when a track, a notebook, a sidecar or the
# grading code changed since the last proof (CI's second `make test`, on PostgreSQL, skips it).
VALIDATE_INPUTS := $(shell find curricula notebooks tic_academy/grading tic_academy/curriculum -type f \
                     -not -name '*.pyc' 2>/dev/null)

validate: .stamp-validate

.stamp-validate: $(VALIDATE_INPUTS) $(VENV)/.installed
	$(FLASK) curriculum validate
	@touch $@

demo: venv
	$(FLASK) demo

# The production stack on loopback (PostgreSQL, Redis, gunicorn, Celery worker and beat) and a trainee's
# journey over HTTP; see scripts/prod-check.sh (PROD_CHECK_PG_URL / PROD_CHECK_REDIS_URL reuse servers).
prod-check: setup
	VENV=$(VENV) scripts/prod-check.sh

# Mutation testing of the rule modules (slow, not part of `make test`); see docs/contributing.md.
mutate: venv
	$(PY) scripts/mutate.py $(MODULES)

clean:
	rm -rf $(VENV) node_modules tic_academy/static/dist instance/*.sqlite .stamp-validate
