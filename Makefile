# Prism: `make run` serves the demo, `make test` runs the suite, `make bench` the benchmarks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
DEMO_USER ?= admin
DEMO_PASSWORD ?= prism-demo

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev,s3,scale]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/prism db upgrade
	$(BIN)/prism demo --if-empty
	$(BIN)/prism users create --username $(DEMO_USER) --role admin \
		--password $(DEMO_PASSWORD) --if-missing
	@echo ""
	@echo "  Prism: http://$(HOST):$(PORT)/   log in as $(DEMO_USER) / $(DEMO_PASSWORD)"
	@echo "  API:   http://$(HOST):$(PORT)/api/docs"
	@echo ""
	$(BIN)/prism serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/prism bench run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
