# Cổng Chính quyền điện tử tỉnh Quảng Ninh. Every target sets up .venv by itself.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
# Plain log lines keep `file:line: message` whole, so editors and IDEs can follow them.
PELICANOPTS ?= --log-handler plain
HOST ?= 127.0.0.1
PORT ?= 8000

INPUTDIR := content
OUTPUTDIR := output
PUBLISHDIR := output-publish
READY := $(VENV)/.ready
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help html clean regenerate serve devserver publish test lint system-deps

help:
	@echo "make devserver  build, watch and serve on http://$(HOST):$(PORT)"
	@echo "make html       build the site into $(OUTPUTDIR)/"
	@echo "make regenerate rebuild on every change"
	@echo "make serve      serve $(OUTPUTDIR)/ on http://$(HOST):$(PORT)"
	@echo "make publish    production build into $(PUBLISHDIR)/"
	@echo "make clean      remove generated files"
	@echo "make test       lint and the whole test suite"

$(READY): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

html: $(READY)
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s pelicanconf.py $(PELICANOPTS)

clean:
	rm -rf $(OUTPUTDIR) $(PUBLISHDIR) cache .pytest_cache

regenerate: $(READY)
	$(PELICAN) -r $(INPUTDIR) -o $(OUTPUTDIR) -s pelicanconf.py $(PELICANOPTS)

serve: $(READY)
	$(PELICAN) -l $(INPUTDIR) -o $(OUTPUTDIR) -s pelicanconf.py -b $(HOST) -p $(PORT)

devserver: $(READY)
	$(PELICAN) -lr $(INPUTDIR) -o $(OUTPUTDIR) -s pelicanconf.py -b $(HOST) -p $(PORT) $(PELICANOPTS)

publish: $(READY)
	$(PELICAN) $(INPUTDIR) -o $(PUBLISHDIR) -s publishconf.py $(PELICANOPTS)

# Debian's chromium runs the browser tests; it is installed once, never downloaded by a tool.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

lint: $(READY)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(READY) system-deps lint
	$(BIN)/pytest
