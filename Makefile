# The quick start: `make demo` and `make test`. Everything else is a convenience over them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
SERVE ?= 1
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DIR ?= build/demo

.PHONY: install demo test bench lint clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/digimeter demo --out $(DEMO_DIR) $(if $(filter 0,$(SERVE)),--no-serve,--serve --host $(HOST) --port $(PORT))

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/progress.py
	$(BIN)/python benchmarks/index.py $(INDEX_BENCH_ARGS)
	$(BIN)/python benchmarks/extract.py $(EXTRACT_BENCH_ARGS)
	$(BIN)/python benchmarks/web.py $(WEB_BENCH_ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache digimeter.db digimeter.db-*
