# Two entry points for a newcomer: `make demo` and `make test`; `make check` is the fast loop.
# requirements.lock is the runtime lock (what `pip install orglens` needs): `make demo` uses it.
# requirements-dev.lock adds the `dev`, `spark` and `web` extras (pytest, ruff, mypy, PM4Py, PySpark, the web server):
# `make test`, `make check`, `make bench` use it. Both are URL-free; `make lock` rewrites them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never

.PHONY: install install-dev demo serve test check lint typecheck pytest pytest-fast java chromium postgresql bench lock clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv

# Each install syncs the venv to one lock exactly and leaves one stamp saying which.
$(VENV)/.installed-runtime: requirements.lock pyproject.toml | $(BIN)/uv
	rm -f $(VENV)/.installed-dev $(VENV)/.installed
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock pyproject.toml | $(BIN)/uv
	rm -f $(VENV)/.installed-runtime $(VENV)/.installed
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements-dev.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

# `make demo` needs the runtime set only, but leaves a development venv one: a venv that has
# the dev set (.installed-dev, or .installed from before the locks were split) stays on it.
ifneq ($(wildcard $(VENV)/.installed-dev $(VENV)/.installed),)
install: $(VENV)/.installed-dev
else
install: $(VENV)/.installed-runtime
endif

install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/orglens demo --out demo-output

lint: install-dev
	$(BIN)/ruff check orglens tests bench examples
	$(BIN)/ruff format --check orglens tests bench examples

typecheck: install-dev
	$(BIN)/mypy

# PySpark (the mining suite runs on Spark too) needs a Java runtime: installed when missing.
java:
	@command -v java >/dev/null 2>&1 || { \
		echo "installing a Java runtime for PySpark (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }

# The report's browser tests (tests/report) drive Debian's chromium through Playwright, never a
# browser of Playwright's own (`playwright install` downloads one): installed when missing, with
# the Liberation fonts named, so that screenshots look alike wherever recommends are off.
chromium:
	@test -x /usr/bin/chromium || { \
		echo "installing Chromium for the report's browser tests (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq chromium fonts-liberation; }

# The web workspace's database tests start a throwaway PostgreSQL server on loopback
# (tests/web/pgserver.py) from Debian's binaries, which are not on PATH: installed when missing.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		echo "installing PostgreSQL for the web workspace's database tests (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

pytest: install-dev java chromium postgresql
	$(BIN)/pytest -q

# Every test but the Spark and real-data ones: no Java needed.
pytest-fast: install-dev
	$(BIN)/pytest -q -m "not spark and not realdata"

# The full suite, what CI runs (.ci/run).
test: lint typecheck pytest

# The fast loop while developing: lint, types, and the tests without Spark or real data.
check: lint typecheck pytest-fast

# The web workspace on http://127.0.0.1:8000 (the development lock holds the web extra).
serve: install-dev
	$(BIN)/orglens serve

bench: install-dev
	$(BIN)/python bench/scale.py

# Rewrites both locks from pyproject.toml, keeping every pin they already have (uv reads the
# output file as preferences): the runtime lock is resolved within the dev lock's versions.
lock: | $(BIN)/uv
	$(BIN)/uv pip compile --quiet --python-version 3.11 --no-header --no-annotate \
		pyproject.toml --extra dev --extra spark --extra web -o requirements-dev.lock
	$(BIN)/uv pip compile --quiet --python-version 3.11 --no-header --no-annotate \
		pyproject.toml -c requirements-dev.lock -o requirements.lock
	! grep -n "https\?://\|^--" requirements*.lock

clean:
	rm -rf $(VENV) demo-output .pytest_cache .mypy_cache .ruff_cache
