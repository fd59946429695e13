# The two commands a newcomer needs: `make run` and `make test` (and `make serve` for production mode).
# Everything installs into .venv from pyproject.toml; nothing is needed by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# pytest-xdist: one worker per core, each with its own test database and live
# server; loadscope keeps a module's (or a class's) tests, and its fixtures, on one worker.
PYTEST_PARALLEL ?= -n auto --dist loadscope

.PHONY: run serve loadtest test test-fast install migrate seed lint format bench bench-peer clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "aiwatch needs Python 3.12 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --no-input

# The seeded story, and a snapshot of it at /data/ (a new version only when the data changed).
seed: migrate
	$(BIN)/python manage.py seed
	$(BIN)/python manage.py export_snapshot

run: seed
	@echo ""
	@echo "  aiwatch is at http://127.0.0.1:$(PORT)/"
	@echo "  Editor login: run '$(BIN)/python manage.py createsuperuser' in another terminal,"
	@echo "  then sign in at http://127.0.0.1:$(PORT)/admin/"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production mode on this machine: gunicorn with aiwatch/gunicorn.conf.py, DEBUG off,
# static files collected. Anything already in the environment wins; otherwise the
# embedded PostgreSQL, the checkout's secret key in .data/, and plain HTTP on loopback
# (no HTTPS redirect, HSTS or secure cookies, as in docker-compose.yml).
PRODUCTION_ENV = AIWATCH_ENV=production \
	DATABASE_URL="$${DATABASE_URL:-$$($(BIN)/python -m aiwatch.embedded_db)}" \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .data/secret_key)}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-false}" \
	DJANGO_SECURE_HSTS_SECONDS="$${DJANGO_SECURE_HSTS_SECONDS:-0}" \
	DJANGO_SESSION_COOKIE_SECURE="$${DJANGO_SESSION_COOKIE_SECURE:-false}" \
	DJANGO_CSRF_COOKIE_SECURE="$${DJANGO_CSRF_COOKIE_SECURE:-false}"

serve: seed
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "  aiwatch (production mode, gunicorn) is at http://127.0.0.1:$(PORT)/"
	@echo ""
	$(PRODUCTION_ENV) PORT=$(PORT) exec $(BIN)/gunicorn -c aiwatch/gunicorn.conf.py aiwatch.wsgi

# The readers' mix, a database outage and two web nodes, measured with locust against
# gunicorn in the environment `make serve` gives it (bench/loadtest.py; about 8 minutes).
loadtest: seed
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(PRODUCTION_ENV) $(BIN)/python bench/loadtest.py

test: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest $(PYTEST_PARALLEL)

# For local iteration: the suite without the tests marked slow (browser, fuzz, corpus).
test-fast: install
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not slow"

# Generates synthetic corpora of 10k and 100k articles into their own databases
# (never the dev one) and prints latency and SQL figures per query class.
bench: install
	bash bench/run.sh

# aiwatch beside Datasette on the same corpus, over HTTP (bench/peer.py; about 10 minutes
# once the 100k corpus exists). Datasette gets a virtualenv of its own, from pyproject's
# `peer` extra, so it never changes a version the app depends on.
PEER_VENV := .venv-peer
PEER_STAMP := $(PEER_VENV)/.installed
$(PEER_STAMP): pyproject.toml | $(STAMP)
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PEER_VENV)/bin/python -m pip install --quiet $$($(BIN)/python -c 'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["peer"]))')
	@touch $(PEER_STAMP)

bench-peer: install $(PEER_STAMP)
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(PRODUCTION_ENV) $(BIN)/python bench/peer.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
