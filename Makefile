# Two commands do everything: `make build` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: build test check-system lint bench golden fuzz clean

build: $(STAMP) check-system
	$(PY) build.py

test: $(STAMP) check-system
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench build.py
	$(VENV)/bin/ruff format --check src tests bench build.py

# Rewrite the golden files in tests/golden/ from the current code (review the diff!).
golden: $(STAMP)
	CARDSMITH_UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/test_golden.py

# The long hypothesis profile: thousands of generated documents through the parser and every exporter.
fuzz: $(STAMP) check-system
	$(PY) -m pytest -q -m slow tests/test_properties.py

bench: $(STAMP) check-system
	$(PY) bench/run.py

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

# WeasyPrint needs Pango (>= 1.44) and a font; say exactly what to install when they are missing.
check-system:
	@$(PYTHON) -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('pango-1.0') and ctypes.util.find_library('pangoft2-1.0') else 1)" \
	  || { echo "error: WeasyPrint needs the Pango library. On Debian/Ubuntu: sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0" >&2; exit 1; }
	@fc-list 2>/dev/null | grep -q DejaVuSansCondensed \
	  || { echo "error: the PDF templates use DejaVu fonts. On Debian/Ubuntu: sudo apt-get install -y fonts-dejavu-core fonts-dejavu-extra" >&2; exit 1; }

clean:
	rm -rf $(VENV) output/*.apkg output/*.pdf output/*.csv output/*.json
