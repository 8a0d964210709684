# Cổng Chính quyền điện tử tỉnh Quảng Ninh. Every target sets up .venv by itself.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
# Plain log lines keep `file:line: message` whole, so editors and IDEs can follow them.
PELICANOPTS ?= --log-handler plain
HOST ?= 127.0.0.1
PORT ?= 8000
COUNTER_PORT ?= 8001

INPUTDIR := content
OUTPUTDIR := output
PUBLISHDIR := output-publish
READY := $(VENV)/.ready
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help html clean regenerate serve devserver counter publish test lint system-deps \
	bench bench-counter

help:
	@echo "make devserver  build, watch and serve on http://$(HOST):$(PORT), counter beside it"
	@echo "make counter    run only the visitor counter on http://$(HOST):$(COUNTER_PORT)"
	@echo "make html       build the site into $(OUTPUTDIR)/"
	@echo "make regenerate rebuild on every change"
	@echo "make serve      serve $(OUTPUTDIR)/ on http://$(HOST):$(PORT)"
	@echo "make publish    production build into $(PUBLISHDIR)/"
	@echo "make clean      remove generated files"
	@echo "make test       lint and the whole test suite"
	@echo "make bench      benchmarks (bench-counter: the counting service under load)"

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

# The dev counter keeps its counts in cache/counter.sqlite3 and answers the site's origin.
COUNTER_ENV = COUNTER_STORE=sqlite:///cache/counter.sqlite3 COUNTER_HOST=$(HOST) \
	COUNTER_PORT=$(COUNTER_PORT) COUNTER_ORIGINS=http://$(HOST):$(PORT)
devserver: export PORTAL_COUNTER_ENDPOINT = http://$(HOST):$(COUNTER_PORT)

devserver: $(READY)
	@mkdir -p cache
	@$(COUNTER_ENV) $(BIN)/python -m counter serve & counter=$$!; \
	trap 'kill $$counter 2>/dev/null' EXIT INT TERM; \
	$(PELICAN) -lr $(INPUTDIR) -o $(OUTPUTDIR) -s pelicanconf.py -b $(HOST) -p $(PORT) $(PELICANOPTS)

counter: $(READY)
	@mkdir -p cache
	$(COUNTER_ENV) $(BIN)/python -m counter serve

publish: $(READY)
	$(PELICAN) $(INPUTDIR) -o $(PUBLISHDIR) -s publishconf.py $(PELICANOPTS)

# Debian's chromium runs the browser tests and redis-server the Redis store's tests; both
# are installed once from Debian, never downloaded by a tool.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing from Debian:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: $(READY)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(READY) system-deps lint
	$(BIN)/pytest

# Benchmarks report figures measured side by side in one run; results go to bench/results/.
BENCH_SECONDS ?= 10
bench: bench-counter

bench-counter: $(READY) system-deps
	$(BIN)/python bench/counter_load.py --seconds $(BENCH_SECONDS) --connections 32
