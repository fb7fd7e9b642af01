# Two commands do everything: `make build` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# the accessibility engine the browser tests load into Chromium, pinned in tests/browser/package-lock.json
AXE    := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: build test check-system check-test-system system-packages lint bench golden fuzz clean

# cardsmith's own modules byte-compiled, as an installed package's are (an editable install writes
# them on first import, unless PYTHONDONTWRITEBYTECODE is set: then every run compiles them again)
build: $(STAMP) check-system
	$(PY) -m compileall -q src
	$(PY) build.py

# the fifteen slowest tests are listed at the end, to see which ones slow the suite
test: $(STAMP) $(AXE) check-test-system
	$(PY) -m pytest -q --durations=15

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench build.py hatch_build.py
	$(VENV)/bin/ruff format --check src tests bench build.py hatch_build.py

# Rewrite the golden files in tests/golden/ from the current code (review the diff!).
golden: $(STAMP)
	CARDSMITH_UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/test_golden.py

# The long hypothesis profile: thousands of generated documents through the parser and every exporter
# (as long as it takes: no per-test timeout).
fuzz: $(STAMP) check-system
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -m slow --timeout=0 tests/test_properties.py

bench: $(STAMP) check-system
	$(PY) bench/run.py

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || { echo "error: the browser tests need npm (for axe-core). On Debian/Ubuntu: sudo apt-get install -y nodejs npm" >&2; exit 1; }
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $(AXE)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

# Debian packages, in one place (`.ci/run` installs what is missing of both lists):
# BUILD: WeasyPrint needs Pango and fontconfig, the PDF templates the DejaVu fonts.
# TEST: the tests print every script (Noto fonts), check PDFs' pages (poppler-utils), load every card and
# the study page in a real browser (chromium) with an accessibility engine from npm (nodejs).
BUILD_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-dejavu-core fonts-dejavu-extra
TEST_PACKAGES  := fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji poppler-utils chromium nodejs

system-packages:
	@echo $(BUILD_PACKAGES) $(TEST_PACKAGES)

# Say exactly what to install when something is missing: what a build needs is an error, the fonts for
# other scripts are recommended (without them those scripts print as boxes, and cardsmith says so).
# The checks ask the libraries themselves (any distribution); the names are Debian's.
NOTO_FONTS := fc-list | grep -q "Noto Sans CJK" && fc-list | grep -q "Noto Sans Thai" && fc-list | grep -q "Noto Color Emoji"
check-system:
	@$(PYTHON) -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('pango-1.0') and ctypes.util.find_library('pangoft2-1.0') else 1)" \
	  || { echo "error: WeasyPrint needs Pango. On Debian/Ubuntu: sudo apt-get install -y $(BUILD_PACKAGES)" >&2; exit 1; }
	@fc-list 2>/dev/null | grep -q DejaVuSansCondensed \
	  || { echo "error: the PDF templates use the DejaVu fonts. On Debian/Ubuntu: sudo apt-get install -y $(BUILD_PACKAGES)" >&2; exit 1; }
	@$(NOTO_FONTS) || echo "note: to print Chinese, Japanese, Korean, Arabic, Hindi, Thai and other scripts and emoji: sudo apt-get install -y fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji" >&2

check-test-system: check-system
	@$(NOTO_FONTS) && command -v pdftoppm >/dev/null && command -v chromium >/dev/null \
	  || { echo "error: the tests print every script, read PDF pages and run Chromium. On Debian/Ubuntu: sudo apt-get install -y $(TEST_PACKAGES)" >&2; exit 1; }

clean:
	rm -rf $(VENV) output/*.apkg output/*.pdf output/*.csv output/*.json
