# Gõ Cửa: `make run` starts the app, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
TS := $(wildcard resources/i18n/*.ts)
QM := $(TS:.ts=.qm)
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test test-fast bench server screenshots lint format translations build clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[desktop,server,dev]'
	@touch $(STAMP)

setup: $(STAMP) translations

translations: $(STAMP) $(QM)

resources/i18n/%.qm: resources/i18n/%.ts
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

run: setup
	@$(PY) -m desktop.qt_libs  # on Linux: the system libraries Qt's window needs, or the apt-get line
	QT_QPA_PLATFORM= $(VENV)/bin/gocua

test: setup
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not slow and not postgres"

bench: setup
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) -m bench

server: setup
	$(VENV)/bin/gocua-server demo && $(VENV)/bin/gocua-server serve

screenshots: setup
	$(PY) -m desktop.ui.screenshots docs/screenshots

build: setup
	$(PY) -m pip install --quiet 'pyinstaller>=6.5'
	$(PY) build_scripts/build.py

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) build dist .pytest_cache
