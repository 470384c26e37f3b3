# Two commands do all of the set-up:
#   make book   build the HTML book into _build/html
#   make test   run every test (unit tests, the book build, the browser check)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB_FLAGS := --warningiserror --nitpick --keep-going

.PHONY: book test test-fast lab clean

# JupyterLab's settings for this venv only (lab/overrides.json): a chapter's
# .md opens as a notebook on a double click (jupytext), no news or update checks.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
# JupyterLab refuses to start as root (common in containers) without --allow-root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# Create .venv if it is missing, install requirements.txt into it,
# register the book's Jupyter kernel (book/_kernel) inside the venv and
# install the JupyterLab settings.
$(STAMP): requirements.txt pyproject.toml book/_kernel/kernel.json lab/overrides.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/jupyter kernelspec install --sys-prefix --replace --name nnbook book/_kernel >/dev/null
	mkdir -p $(LAB_SETTINGS)
	cp lab/overrides.json $(LAB_SETTINGS)/overrides.json
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

# Only the unit tests of the nnbook package (about a minute).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

# Open the chapters as notebooks in JupyterLab (double-click a chapter; the
# nnbook kernel starts by itself).
lab: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) book/

clean:
	rm -rf _build
