# Noturība: `make run` starts the platform, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format messages translations install install-dev benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-deps: requirements.txt constraints.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt -c constraints.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt $(VENV)/.run-deps
	$(BIN)/pip install -q -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(VENV)/.run-deps
install-dev: $(VENV)/.dev-deps

# Compile the committed .po catalogues into .mo files (Babel: no system gettext needed).
translations: $(VENV)/.run-deps
	$(BIN)/python -m noturiba.lib.compile_messages

run: install translations
	$(BIN)/noturiba setup
	$(BIN)/noturiba collectstatic --no-input -v0
	PORT=$(PORT) $(BIN)/noturiba serve

lint: install-dev
	$(BIN)/ruff check noturiba benchmarks
	$(BIN)/ruff format --check noturiba benchmarks
	$(BIN)/mypy noturiba

# Two test processes (pytest-xdist), each with its own test database; PYTEST_ARGS="-n 0" for one.
PYTEST_ARGS ?= -n 2

test: install-dev translations lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

format: install-dev
	$(BIN)/ruff format noturiba benchmarks
	$(BIN)/ruff check --fix noturiba benchmarks

# Extract translatable strings (needs GNU gettext; only developers run this) into
# noturiba/locale/{lv,en}/LC_MESSAGES/django.po. JavaScript has no catalogue of its own: its
# text comes from the page, already translated, in data- attributes (see network/map.js).
messages: install
	cd noturiba && ../$(BIN)/noturiba makemessages -l lv -l en --no-obsolete --add-location file --ignore '*/tests/*'

benchmark: install-dev
	$(BIN)/python -m benchmarks.run_all

clean:
	rm -rf $(VENV) var
