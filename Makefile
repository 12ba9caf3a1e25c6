# Two commands do everything: `make run` (embedded mode, no services) and `make test` (PostgreSQL + Redis).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/marketplace
REDIS_URL ?= redis://127.0.0.1:6379/0

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/marketplace_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/3

.PHONY: run test lint bench install services-check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## run: embedded mode (SQLite, broker in .celery/), demo data, site on http://127.0.0.1:8000 with its clock
## (a Celery worker and beat in the background, stopped with the site)
run: $(STAMP)
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python manage.py migrate --noinput
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python manage.py seed_demo
	env -u DATABASE_URL -u REDIS_URL BIN=$(BIN) bash scripts/run_embedded.sh 127.0.0.1:8000

## test: every test, on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)
test: $(STAMP) services-check
	@bash scripts/ensure_chromium.sh
	@bash scripts/ensure_pgbouncer.sh
	DATABASE_URL=$(DATABASE_URL) REDIS_URL=$(REDIS_URL) DJANGO_CONN_MAX_AGE=0 DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

services-check: $(STAMP)
	@DATABASE_URL=$(DATABASE_URL) REDIS_URL=$(REDIS_URL) $(BIN)/python scripts/check_services.py

## bench: seeds the marketplace scale afresh and times it (100k consumers, 10k vendors x 20 products, 2M
## memberships; BENCH_RESEED=0 reuses it), then the statistics pipeline against plain-SQL floors, then every
## page and API list under gunicorn against a minimal view (EXPLAIN, memory); all into docs/benchmarks.md
bench: $(STAMP)
	@bash scripts/ensure_bench_tools.sh
	@DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python scripts/check_services.py
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/seed_bench.py
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/stats_bench.py
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/pages_bench.py

lint: $(STAMP)
	$(BIN)/ruff check .
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
