# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
EXAMPLE := data/syria_2024

.PHONY: demo test lint bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip

$(VENV)/.installed: setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install -e .
	touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(VENV)/bin/geoconflict demo $(EXAMPLE) -o out

test: $(VENV)/.installed-test
	$(PY) -m ruff check geoconflict tests benchmarks data
	$(PY) -m pytest

lint: $(VENV)/.installed-test
	$(PY) -m ruff check geoconflict tests benchmarks data
	$(PY) -m ruff format --check geoconflict tests benchmarks data

bench: $(VENV)/.installed-test
	for f in benchmarks/bench_*.py; do $(PY) $$f || exit 1; done

clean:
	rm -rf out build *.egg-info
