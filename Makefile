# Two commands for a newcomer: `make run` and `make test`. Both create .venv on first use
# and reuse it afterwards, re-installing only when a lock file changes. What gets installed
# is the lock (every transitive dependency pinned, with the hashes of its PyPI files), never
# the human-edited requirements*.txt directly: `make lock` turns those into the locks.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# e.g. LOCK_FLAGS=--upgrade to move every unpinned transitive dependency to its newest release.
LOCK_FLAGS ?=
# One lock for every Python the project supports (3.11 here and in CI, 3.13 in the image).
UV_COMPILE = $(abspath $(VENV))/bin/uv pip compile --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" $(LOCK_FLAGS)

.PHONY: run test lint lock lock-check bench worker clean

$(VENV)/.run-installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.test-installed: $(VENV)/.run-installed requirements-dev.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

run: $(VENV)/.run-installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py signing_key
	@echo ""
	@echo "  ML Design Registry is starting at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password: demo): alice and erin (product owners), bob and carol"
	@echo "  (architects), dave (viewer), admin (superuser). Another port: make run PORT=8001"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.test-installed
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed lock-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

# The dev lock is constrained by the runtime lock: both install the same runtime versions.
lock: $(VENV)/.test-installed
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) requirements-dev.txt --constraint requirements.lock -o requirements-dev.lock

# Fails when a lock is not what `make lock` would write from the inputs as they are now
# (an input edited without `make lock`). Compiles copies, so the locks here are untouched.
lock-check: $(VENV)/.test-installed
	@scratch=$$(mktemp -d) \
	&& cp requirements.txt requirements-dev.txt requirements.lock requirements-dev.lock $$scratch/ \
	&& cd $$scratch \
	&& $(UV_COMPILE) requirements.txt -o requirements.lock \
	&& $(UV_COMPILE) requirements-dev.txt --constraint requirements.lock -o requirements-dev.lock \
	&& cd $(CURDIR) \
	&& diff -u requirements.lock $$scratch/requirements.lock \
	&& diff -u requirements-dev.lock $$scratch/requirements-dev.lock \
	&& rm -rf $$scratch && echo "locks are up to date with requirements*.txt" \
	|| { echo "A lock is out of date with its input: run 'make lock' and commit both locks."; exit 1; }

worker: $(VENV)/.run-installed
	$(VENV)/bin/celery -A registry worker --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
