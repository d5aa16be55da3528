# The two commands of the README, and what CI runs. Everything else is a convenience.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: run test install lint typecheck validate unit bench bench-resolver bench-http clean

## make run: install into .venv and start the bot (offline console without Slack credentials)
run: install
	$(BIN)/lingo serve

## make test: install, then lint, type-check, validate the glossary and run the tests
test: install lint typecheck validate unit

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "LLM Lingo needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

lint: install
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench

typecheck: install
	$(BIN)/mypy

validate: install
	$(BIN)/lingo validate glossary

unit: install
	$(BIN)/pytest

bench: bench-resolver bench-http

bench-resolver: install
	$(BIN)/python -m bench.resolver

bench-http: install
	$(BIN)/python -m bench.http_load

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
