# Two entry points for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never

.PHONY: install demo test lint typecheck pytest java bench clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv

$(VENV)/.installed: requirements.lock pyproject.toml $(BIN)/uv
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/orglens demo --out demo-output

lint: install
	$(BIN)/ruff check orglens tests bench examples
	$(BIN)/ruff format --check orglens tests bench examples

typecheck: install
	$(BIN)/mypy

# PySpark (the mining suite runs on Spark too) needs a Java runtime: installed when missing.
java:
	@command -v java >/dev/null 2>&1 || { \
		echo "installing a Java runtime for PySpark (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }

pytest: install java
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: install
	$(BIN)/python bench/scale.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache .mypy_cache .ruff_cache
