# Two commands matter: `make run` (set up and serve the demo) and `make test` (set up and test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-sqlite test-postgres setup setup-dev db seed lint format bench clean

run: setup db seed
	$(FLASK) run --host $(HOST) --port $(PORT)

# The whole suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set (CI sets it).
test: setup-dev
	$(BIN)/ruff check .
	$(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$TEST_DATABASE_URL) =="; \
		$(BIN)/pytest; \
	else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped (CI runs it)"; fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

db: setup
	$(FLASK) db upgrade

seed: setup
	$(FLASK) seed-demo

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup-dev
	@for b in bench/*.py; do $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) instance .pytest_cache
