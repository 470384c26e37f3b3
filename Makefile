# Two commands do all of the set-up:
#   make book   build the HTML book into _build/html
#   make test   run every test (unit tests, the book build, the browser check)
# and an optional third, which needs TeX:
#   make pdf    the PDF edition, _build/pdf/nnbook.pdf (after make book)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB_FLAGS := --warningiserror --nitpick --keep-going

.PHONY: book pdf test test-fast lab clean

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

# The PDF edition: the LaTeX builder on the same chapters and the executed outputs
# that make book keeps (nothing runs again after it), typeset by xelatex, and a
# copy in the HTML book, whose intro page links to it. PATH_OUTPUT: where the
# _build folder is (the tests build into a temporary one).
PATH_OUTPUT ?= .
TEX_PACKAGES := texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended texlive-xetex latexmk xindy fonts-freefont-otf
pdf: $(STAMP)
	@command -v xelatex >/dev/null && command -v latexmk >/dev/null && command -v xindy >/dev/null \
	  || { echo "make pdf needs TeX (xelatex, latexmk, xindy); on Debian or Ubuntu: apt-get install --no-install-recommends $(TEX_PACKAGES)"; exit 1; }
	$(BIN)/jupyter-book build . --builder latex --path-output $(PATH_OUTPUT) $(JB_FLAGS)
	$(MAKE) -C $(PATH_OUTPUT)/_build/latex all-pdf LATEXMKOPTS="-g -interaction=nonstopmode -halt-on-error" \
	  XINDYOPTS="-L english -C utf8 -M sphinx.xdy -M nnbook.xdy" >$(PATH_OUTPUT)/_build/latex/make.log 2>&1 \
	  || { tail -n 30 $(PATH_OUTPUT)/_build/latex/nnbook.log; exit 1; }
	mkdir -p $(PATH_OUTPUT)/_build/pdf
	cp $(PATH_OUTPUT)/_build/latex/nnbook.pdf $(PATH_OUTPUT)/_build/pdf/nnbook.pdf
	if [ -d $(PATH_OUTPUT)/_build/html ]; then cp $(PATH_OUTPUT)/_build/pdf/nnbook.pdf $(PATH_OUTPUT)/_build/html/; fi
	@echo "The PDF is built: $(abspath $(PATH_OUTPUT))/_build/pdf/nnbook.pdf"

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
