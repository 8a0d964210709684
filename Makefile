# Cổng Chính quyền điện tử tỉnh Quảng Ninh. Every target sets up .venv by itself.
# The interpreter .venv is made from: Debian's python3 where it is 3.11 or newer and can make
# one (built with profile-guided optimisation, libpython linked into the program), else
# python3 on PATH. A source build without those options, as pyenv makes by default, took
# 3–8 % more CPU for the same builds (README, "Build speed").
DEBIAN_PY := /usr/bin/python3
PY ?= $(shell $(DEBIAN_PY) -c 'import ensurepip, sys, venv; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && echo $(DEBIAN_PY) || echo python3)
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

.PHONY: help bytecode html clean regenerate serve devserver counter check hooks publish deploy rollback \
	test lint audit \
	system-deps \
	bench bench-build bench-search bench-counter

help:
	@echo "make devserver  build, watch and serve on http://$(HOST):$(PORT), counter beside it"
	@echo "make counter    run only the visitor counter on http://$(HOST):$(COUNTER_PORT)"
	@echo "make html       build the site into $(OUTPUTDIR)/"
	@echo "make regenerate rebuild on every change"
	@echo "make serve      serve $(OUTPUTDIR)/ on http://$(HOST):$(PORT)"
	@echo "make check      check all content and data, write nothing"
	@echo "make hooks      run make check before every commit (pre-commit)"
	@echo "make publish    checks, then the production build into $(PUBLISHDIR)/"
	@echo "make deploy     publish, then copy to DEPLOY_TARGET and switch (keeps 5 releases)"
	@echo "make rollback   serve the previous release of DEPLOY_TARGET again"
	@echo "make clean      remove generated files"
	@echo "make test       lint and the whole test suite"
	@echo "make audit      Lighthouse and axe-core on each page type, report in audit/results/"
	@echo "make bench      benchmarks: bench-build (build speed, BENCH_SIZES=1000,10000,20000)"
	@echo "                and bench-counter (the counting service under load)"

$(READY): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

# Our plugins' and settings' bytecode, made before a build. Where PYTHONDONTWRITEBYTECODE
# is set (containers often set it, these machines among them), Python never keeps it and
# compiled every module of ours again at each build: 0,02 s of a build with nothing to do,
# some 0,05 s of a full build's start, with one core at work (up to date: 0,02 s here).
# The vanilla Pelican of the benchmark gets its settings compiled alike.
bytecode: $(READY)
	@$(BIN)/python -m compileall -q plugins pelicanconf.py publishconf.py bench/vanillaconf.py

# fast_build.build: Pelican's command line, with a body-only edit patched in place first.
html: bytecode
	PYTHONPATH=plugins $(BIN)/python -m fast_build.build $(INPUTDIR) -o $(OUTPUTDIR) \
		-s pelicanconf.py $(PELICANOPTS)

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

devserver: bytecode
	@mkdir -p cache
	@$(COUNTER_ENV) $(BIN)/python -m counter serve & counter=$$!; \
	trap 'kill $$counter 2>/dev/null' EXIT INT TERM; \
	PYTHONPATH=plugins $(BIN)/python -m fast_build.devserver $(INPUTDIR) -o $(OUTPUTDIR) \
		-s pelicanconf.py -b $(HOST) -p $(PORT) $(PELICANOPTS)

counter: $(READY)
	@mkdir -p cache
	$(COUNTER_ENV) $(BIN)/python -m counter serve

# Editors' check: every problem at once as file:line: message; nothing is written.
check: $(READY)
	@PYTHONPATH=plugins $(BIN)/python -m content_checks -s pelicanconf.py --path $(INPUTDIR)

hooks: $(READY)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pre-commit==4.7.0
	$(BIN)/pre-commit install

publish: check bytecode
	$(PELICAN) $(INPUTDIR) -o $(PUBLISHDIR) -s publishconf.py $(PELICANOPTS)

# A local folder (/srv/portal) or host:folder over SSH (deploy@web1:/srv/portal).
DEPLOY_TARGET ?= /srv/portal
deploy: publish
	$(BIN)/python deploy/deploy.py deploy $(PUBLISHDIR) $(DEPLOY_TARGET)

rollback: $(READY)
	$(BIN)/python deploy/deploy.py rollback $(DEPLOY_TARGET)

# Debian's chromium runs the browser tests, redis-server the Redis store's tests, nginx
# (with its brotli_static module) and rsync the deploy test; all installed once from
# Debian, never downloaded by a tool.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v rsync >/dev/null 2>&1 || missing="$$missing rsync"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || \
	  missing="$$missing nginx libnginx-mod-http-brotli-static"; \
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

# Lighthouse (mobile) and axe-core on each page type of the production build behind nginx;
# the report goes to audit/results/report.md. Lighthouse comes from npm, pinned in audit/.
AUDIT_READY := audit/node_modules/.ready
$(AUDIT_READY): audit/package.json audit/package-lock.json
	npm ci --prefix audit --no-audit --no-fund
	@touch $@

audit: $(READY) system-deps $(AUDIT_READY)
	$(BIN)/python audit/run_audit.py

# Benchmarks report figures measured side by side in one run; results go to bench/results/.
BENCH_SECONDS ?= 10
BENCH_SIZES ?= 1000,10000,20000
BENCH_REPEAT ?= 3
BENCH_READY := $(VENV)/.bench-ready
bench: bench-build bench-search bench-counter

$(BENCH_READY): pyproject.toml $(READY)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	@touch $@

# Our site (full, warm, one edit, one addition), vanilla Pelican and Hugo, side by side;
# the short steps run BENCH_REPEAT times each, and the median is shown.
bench-build: $(BENCH_READY) bytecode
	$(BIN)/python bench/build_bench.py --sizes $(BENCH_SIZES) --repeat $(BENCH_REPEAT)

# Search on a generated portal: indexing time, index size, bytes and time per query.
BENCH_SEARCH_ARTICLES ?= 20000
bench-search: $(BENCH_READY) system-deps
	$(BIN)/python bench/search_bench.py --articles $(BENCH_SEARCH_ARTICLES)

bench-counter: $(READY) system-deps
	$(BIN)/python bench/counter_load.py --seconds $(BENCH_SECONDS) --connections 32
