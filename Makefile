# kimson-ds — two commands for users (make report, make test), a few for maintainers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kimson-installed
REPORT_DIR ?= reports/tong-quan

.PHONY: setup report test test-fast lint app pack bench sample clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	# A Jupyter kernel that points at this venv, so "No such kernel" cannot happen.
	$(BIN)/python -m ipykernel install --sys-prefix --name kimson-ds --display-name "Python (kimson-ds)" >/dev/null
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (kimson-ds)" >/dev/null
	touch $(STAMP)

setup: $(STAMP)

report: setup
	$(BIN)/kimson-ds report notebooks/00-tong-quan.ipynb --out $(REPORT_DIR)

test: setup
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

lint: setup
	$(BIN)/ruff check kimson_ds tests benchmarks data

app: setup
	$(BIN)/kimson-ds app

pack: setup
	$(BIN)/kimson-ds pack data/kimson --scenarios data/scenarios/hop-btv --out reports/hop-btv

bench: setup
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

sample: setup
	$(BIN)/python data/generate_kimson.py --out data/kimson

clean:
	rm -rf $(VENV) reports .pytest_cache
