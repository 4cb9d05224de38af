# The portal's commands. `make run` and `make test` do all set-up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
# The lock: requirements/{run,test,browser}.txt, compiled from pyproject.toml by `make lock` with
# hashes. `make run` installs the run set, `make test` the browser set (test + Playwright), the
# other targets the test set; `make install SET=run` chooses by hand.
SET ?= test
UV_VERSION := 0.13.8
LOCK_FLAGS ?=
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --annotation-style line --custom-compile-command "make lock" -q $(LOCK_FLAGS)
HOST ?= 127.0.0.1
PORT ?= 8000
# the development courier (approvals/proactive/couriers/devserver.py) `make run` starts
COURIER_PORT ?= 8025
export DJANGO_ALLOW_ASYNC_UNSAFE ?= true

.PHONY: help install lock typecheck system-deps system-deps-browser oidc-provider messages compilemessages migrate demo run \
	test fuzz lint format schema diagrams bench bench-city bench-web clean cluster cluster-down drill

help:
	@echo "make run    set up (venv, packages, database, demo data) and serve on http://$(HOST):$(PORT)"
	@echo "make test   set up and run lint, the type checker and the whole test suite"
	@echo "make lock   refresh the lock files in requirements/ after a change to pyproject.toml"
	@echo "make bench  print the benchmark figures"

$(PYTHON):
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed ($(PY) is $$($(PY) -V 2>&1)); try: make PY=python3.12 ..." >&2; exit 1; }
	rm -rf $(VENV)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip

# Exactly the locked versions, every one checked against its hash.
$(VENV)/.installed-%: requirements/%.txt | $(PYTHON)
	$(BIN)/pip install -q --require-hashes -r $<
	touch $@

install:
	@$(MAKE) --no-print-directory $(VENV)/.installed-$(SET)

run: SET = run
# Links in messages and QR codes point at the server make run starts, unless set (issue 14).
run: export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
test: SET = browser

# Refresh the lock after a change to pyproject.toml's dependencies; pinned versions stay unless
# asked: `make lock LOCK_FLAGS=--upgrade` (everything) or
# `make lock LOCK_FLAGS="--upgrade-package drf-spectacular"` (one package).
lock: | $(PYTHON)
	$(BIN)/pip install -q "uv==$(UV_VERSION)"
	$(UV_COMPILE) --extra test --extra browser -o requirements/browser.txt
	$(UV_COMPILE) --extra test -c requirements/browser.txt -o requirements/test.txt
	$(UV_COMPILE) -c requirements/browser.txt -o requirements/run.txt

system-deps:
	@scripts/system-deps.sh pdf

system-deps-browser:
	@scripts/system-deps.sh browser

# Translations: sources are English, zh-hans is the default language. The portal core and the
# shared templates write to locale/; each domain app keeps its own <app>/locale/.
messages: install
	scripts/messages.sh $(BIN)/django-admin

compilemessages: install system-deps
	$(PYTHON) manage.py compilemessages --ignore='.venv' -v 0

migrate: install
	$(PYTHON) scripts/ensure_database.py
	$(PYTHON) manage.py migrate --noinput -v 0
	$(PYTHON) manage.py createcachetable

demo: migrate
	$(PYTHON) manage.py load_demo --if-empty
	$(PYTHON) manage.py make_dev_ca  # development seal keys (idempotent; ADR 0097)

run: install system-deps compilemessages demo
	@echo "Serving on http://$(HOST):$(PORT) with a django-q2 worker and the development courier on $(COURIER_PORT) (Ctrl-C stops all)."
	@PYTHON=$(PYTHON) scripts/serve.sh $(HOST) $(PORT) $(COURIER_PORT)

# The portal as a city runs it, on this machine (README "Several nodes: make cluster"): HAProxy
# in front of two gunicorn nodes, PgBouncer, a PostgreSQL primary and a streaming replica, Redis,
# two django-q2 clusters, an S3 API server and a stand-in SMS gateway. `make cluster-down` stops
# it (`CLUSTER_WIPE=1` removes its data too); `make drill` runs the failure drills against it.
cluster: install system-deps compilemessages
	$(PYTHON) scripts/cluster.py up

cluster-down:
	$(PYTHON) scripts/cluster.py down $(if $(CLUSTER_WIPE),--wipe)

drill: cluster
	$(PYTHON) scripts/drills.py $(DRILLS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# mypy's cache outside the checkout (MYPY_CACHE_DIR), so that a fresh checkout on this machine
# (CI's) checks only what changed: 19 s cold, 2 s warm. Entries are keyed on each file's hash.
MYPY_CACHE_DIR ?= $(HOME)/.cache/portal/mypy
typecheck: install
	$(BIN)/mypy --cache-dir "$(MYPY_CACHE_DIR)"

schema: install
	$(PYTHON) manage.py spectacular --validate --fail-on-warn --file openapi.yaml

# docs/workflows/<name>.md: a Mermaid diagram of each workflow table (tests/workflow checks them).
diagrams: install
	$(PYTHON) manage.py workflow_diagrams

test: install system-deps-browser oidc-provider compilemessages lint typecheck
	$(PYTHON) scripts/ensure_database.py
	$(PYTHON) manage.py makemigrations --check --dry-run -v 0
	$(PYTHON) scripts/run_suite.py

# The test OpenID Connect provider (the province's unified identity platform for the tests):
# the npm package oidc-provider, pinned by tests/servers/oidc/package-lock.json (ADR 0110).
oidc-provider:
	scripts/oidc-provider.sh

# The API fuzz at full depth (60 examples per operation and pass; CI runs 15: .ci/run).
fuzz: SET = test
fuzz: install compilemessages
	$(PYTHON) -m pytest -m fuzz tests/fuzz

bench: install system-deps compilemessages
	$(PYTHON) -m tests.bench

bench-city: install
	@test -n "$$DATABASE_URL" || { echo "bench-city needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench make bench-city" >&2; exit 1; }
	$(PYTHON) -m tests.bench.city

# The web tier under load (PostgreSQL, Redis, gunicorn with the production profile, wrk): one line
# per page or API list, next to a bare view. SCALE=10 for ten times the data, STRICT=1 to fail on
# a missed goal, BENCH_SECONDS per URL (5). README: "make bench-web".
bench-web: install compilemessages
	@scripts/system-deps.sh bench
	$(PYTHON) -m tests.bench.web

clean:
	rm -rf staticfiles .pytest_cache
	find . -name '*.mo' -not -path './.venv/*' -delete
