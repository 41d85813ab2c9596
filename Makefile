# Two entry points for a fresh machine (Debian, Python 3.11): `make demo` and `make test`.
# Each creates .venv if needed and installs the project into it.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
OUT    ?= out

.PHONY: demo test lint venv clean system-deps

$(BIN)/nianbao: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/nianbao

venv: $(BIN)/nianbao

# The main job on the bundled examples (text, HTML, text-layer PDFs, scans, images): one JSON
# record per document in $(OUT)/. About 2-3 minutes on 2 quiet cores (27 records), most of it OCR.
EXAMPLES = $(sort $(wildcard sample_scans/text/* sample_scans/pdf/*.pdf sample_scans/scans/*.pdf \
           sample_scans/real/*.pdf sample_scans/images/*.png sample_scans/images/*.jpg \
           sample_scans/images/*.tiff))
demo: venv
	$(BIN)/nianbao extract $(EXAMPLES) --out-dir $(OUT)
	@echo "records written to $(OUT)/; compare them with the truth files: $(BIN)/nianbao eval sample_scans"

lint: venv
	$(BIN)/ruff check pipeline tests benchmarks sample_scans scripts
	$(BIN)/ruff format --check pipeline tests benchmarks sample_scans scripts
	$(BIN)/mypy

# Debian packages the tests need (CJK fonts, Tesseract); installs only what is missing.
system-deps:
	bash scripts/system-deps.sh

# System packages, lint, types, then every test (fast and slow).
test: system-deps lint
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
