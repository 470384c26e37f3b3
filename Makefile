# Two commands do all of the set-up:
#   make book   build the HTML book into _build/html
#   make test   run every test (unit tests, the book build, the browser check)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB_FLAGS := --warningiserror --nitpick --keep-going

.PHONY: book test test-fast lab clean

# Create .venv if it is missing, install requirements.txt into it and
# register the book's Jupyter kernel (book/_kernel) inside the venv.
$(STAMP): requirements.txt pyproject.toml book/_kernel/kernel.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/jupyter kernelspec install --sys-prefix --replace --name nnbook book/_kernel >/dev/null
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

# Only the unit tests of the nnbook package (about a minute).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

# Open the chapters as notebooks in JupyterLab.
lab: $(STAMP)
	$(BIN)/jupyter lab book/

clean:
	rm -rf _build
