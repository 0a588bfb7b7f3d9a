# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
EXAMPLE := geoconflict/_data/syria_2024

.PHONY: demo test test-min lint bench clean test-wheel docs pictures licences

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip

$(VENV)/.installed: setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[plot]'
	touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-release: setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[test,release]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

$(VENV)/.installed-docs: setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[test,docs]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

DEMO_DATE := 2024-12-06
GC := $(VENV)/bin/geoconflict

demo: $(VENV)/.installed
	$(GC) map $(EXAMPLE) --date $(DEMO_DATE) --tiles 'OpenStreetMap Mapnik' -o out/syria_2024.html
	$(GC) export $(EXAMPLE) --format geojson --date $(DEMO_DATE) -o out/syria_2024_geojson
	$(GC) export $(EXAMPLE) --format gpkg -o out/syria_2024.gpkg
	$(GC) plot $(EXAMPLE) --date $(DEMO_DATE) -o out/syria_2024_$(DEMO_DATE).png
	@echo
	@echo "Done. Open these:"
	@echo "  out/syria_2024.html                interactive map (opens offline; tiles need a network)"
	@echo "  out/syria_2024_geojson/            one GeoJSON file per layer, on $(DEMO_DATE) (QGIS)"
	@echo "  out/syria_2024.gpkg                every table and layer in one GeoPackage"
	@echo "  out/syria_2024_$(DEMO_DATE).png      static map for papers (300 dpi)"

# The suite in one process per core (pytest-xdist; each process starts one Chromium, one
# browser context, and hands its pages from test to test; the command's tests call its main
# in-process); `.venv/bin/python -m pytest tests/test_x.py` runs a part in one process.
test: $(VENV)/.installed-test
	$(PY) -m ruff check geoconflict tests benchmarks data
	$(PY) -m pytest -n auto --dist worksteal --durations=10

# The map's JavaScript is linted by ESLint, installed from the npm registry at the versions
# package-lock.json pins (node_modules/ stays out of git; the page itself needs none of it).
NPM ?= npm
node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $@

lint: $(VENV)/.installed-test node_modules/.installed
	$(PY) -m ruff check geoconflict tests benchmarks data
	$(PY) -m mypy
	$(PY) -m ruff format --check geoconflict tests benchmarks data
	node_modules/.bin/eslint --max-warnings 0 geoconflict/maps/static

# The oldest versions setup.cfg allows (.ci/minimum-versions.txt), in a separate environment,
# then the whole suite: the lower bounds stay the versions the code is known to work with.
MIN_VENV := .venv-min
test-min:
	rm -rf $(MIN_VENV)
	$(PYTHON) -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install --upgrade pip
	$(MIN_VENV)/bin/python -m pip install -c .ci/minimum-versions.txt -e '.[test]'
	# numpy < 2.4 warns when pyproj's scalar fast path meets a one-element array, as geopandas'
	# to_crs of one geometry does (the library avoids it, geoconflict/_proj.py; some tests call
	# to_crs themselves); the main run, on current numpy, keeps every warning an error
	$(MIN_VENV)/bin/python -m pytest -n auto --dist worksteal \
	  -W "ignore:Conversion of an array with ndim > 0:DeprecationWarning"

bench: $(VENV)/.installed-test
	$(PY) -m pip install -e '.[test,bench]'
	for f in benchmarks/bench_*.py; do $(PY) $$f || exit 1; done

# Build sdist + wheel from the tracked files, `twine check` them, install the wheel in a fresh
# virtual environment outside the tree and run every README snippet and `geoconflict map`.
test-wheel: $(VENV)/.installed-release
	GEOCONFLICT_TEST_WHEEL=1 $(PY) -m pytest tests/test_wheel.py

# The documentation site (Sphinx + numpydoc + MyST-NB), offline, warnings as errors; the
# notebooks run during the build. Open build/docs/html/index.html.
docs: $(VENV)/.installed-docs
	$(PY) -m sphinx -W --keep-going -q -b html -d build/docs/doctrees docs/site build/docs/html

# The pictures of the README and the documentation, drawn from the bundled example
# (figures with matplotlib, the interactive map as a Chromium screenshot, the GeoPackage as
# QGIS draws it): needs Debian's chromium and python3-qgis.
pictures: $(VENV)/.installed-test
	$(PY) docs/make_pictures.py

# The copy of the data licences that ships inside the package.
licences:
	cp data/LICENSES.md geoconflict/_data/LICENSES.md

clean:
	rm -rf out build dist *.egg-info
