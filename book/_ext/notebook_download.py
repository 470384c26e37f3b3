"""Sphinx extension: offer each executed chapter as a Jupyter notebook download.

sphinx-book-theme adds ``.ipynb`` to a page's download menu when the page
context has ``ipynb_source``, a file under ``_sources/``; it sets it itself
only when a launch service (Binder, Colab, ...) is configured, which this
offline book does not use. For each page that myst-nb executed, this
extension writes ``_sources/<page>.ipynb`` and sets ``ipynb_source``, so the
theme's own menu offers it beside ``.md``.

The notebook is the one myst-nb wrote to ``_build/jupyter_execute/`` (the
chapter as read, cell tags and metadata kept) with:

- the executed outputs: in a ``cache`` build myst-nb writes that notebook
  before merging the cached outputs into it, so they are merged here from the
  same jupyter-cache record;
- every ``{glue:text}`` / ``{glue:md}`` / ``{glue}`` role of the Markdown
  cells replaced by its value (from ``<page>.glue.json``), since no notebook
  front end can render a glued number, and the glue records themselves
  dropped from the outputs (a front end has no renderer for them);
- every ``{numref}`` replaced by the number the page shows ("Fig. 5.1",
  "Table 5.2"): jupyterlab-myst cannot number figures that myst-nb names in
  cell metadata;
- no ``jupytext`` or myst-nb ``source_map`` metadata (so the download is a
  plain notebook, not paired with a Markdown file);
- no cell tagged ``pdf-only`` (the PDF's still figures of the explorers and
  the pad, see ``pdf_edition.py``; no later cell uses what they compute).

The chapter's stubs and collapsed solutions (``jupyter.source_hidden``) are
kept as they are: see "Exercises and their checks" in ``CONTRIBUTING.md``.
"""

import json
import re
from pathlib import Path

import nbformat
from myst_nb.core.variables import format_plain_text

GLUE_ROLE = re.compile(r"\{glue(?::(text|md|any))?\}`([^`]+)`")
NUMREF_ROLE = re.compile(r"\{numref\}`(?:([^`<]*?)\s*<)?([^`<>]+)>?`")
GLUE_MIME = "application/papermill.record/"
PDF_ONLY = "pdf-only"


def _glued_value(data, kind, content):
    """The text a glue role shows, or None when it cannot be shown as text."""
    if "::" in content:  # glued from another chapter: keep the role
        return None
    key, _, spec = content.rpartition(":") if kind in ("text", "md") and ":" in content else (
        content, "", "")
    output = data.get(key)
    if output is None:
        return None
    bundle = output.get("data", {})
    if kind == "md":
        return bundle.get("text/markdown")
    if "text/plain" not in bundle:
        return None
    try:
        return format_plain_text(bundle["text/plain"], spec or ("s" if kind == "text" else ""))
    except (TypeError, ValueError):  # the build itself would have failed on it
        return None


def substitute_glue(source, data):
    """``source`` with each glue role that has a text value replaced by that value."""

    def replace(match):
        value = _glued_value(data, match.group(1), match.group(2))
        return match.group(0) if value is None else value

    return GLUE_ROLE.sub(replace, source)


def substitute_numref(source, number_of):
    """``source`` with each ``{numref}`` whose label ``number_of`` knows replaced by its text.

    ``number_of(label)`` gives ``(format, number)`` as the page shows them
    (``("Fig. %s", "5.1")``, ``("Table %s", "5.2")``), or None to keep the
    role. An explicit title, ``{numref}`Figure %s <fig-x>```, has its ``%s``
    filled in; otherwise the text is the format's.
    """

    def replace(match):
        title, label = match.group(1), match.group(2).strip()
        found = number_of(label)
        if found is None:
            return match.group(0)
        fmt, number = found
        return (title or fmt).replace("%s", number)

    return NUMREF_ROLE.sub(replace, source)


def _figure_numbers(app):
    """``number_of(label)`` for :func:`substitute_numref`, from Sphinx's numbers."""
    labels = app.env.get_domain("std").labels
    formats = {"figure": "Fig. %s", "table": "Table %s", "code-block": "Listing %s",
               **app.config.numfig_format}

    def number_of(label):
        docname, labelid, _ = labels.get(label, (None, None, None))
        for figtype, numbers in app.env.toc_fignumbers.get(docname, {}).items():
            if labelid in numbers:
                return formats.get(figtype, "%s"), ".".join(map(str, numbers[labelid]))
        return None

    return number_of


def _with_outputs(app, notebook):
    """``notebook`` with its outputs from the execution cache (unchanged if none match)."""
    if app.config.nb_execution_mode != "cache" or not app.config.nb_execution_cache_path:
        return notebook
    from jupyter_cache import get_cache

    try:
        _, merged = get_cache(app.config.nb_execution_cache_path).merge_match_into_notebook(notebook)
    except KeyError:  # not executed (e.g. a page without code cells)
        return notebook
    return merged


def downloadable_notebook(app, executed_path):
    """The notebook a reader downloads, from myst-nb's ``jupyter_execute`` copy."""
    notebook = _with_outputs(app, nbformat.read(str(executed_path), as_version=4))
    glue_file = executed_path.with_suffix(".glue.json")
    glued = json.loads(glue_file.read_text(encoding="utf-8")) if glue_file.is_file() else {}
    number_of = _figure_numbers(app)
    notebook.cells = [cell for cell in notebook.cells
                      if PDF_ONLY not in cell.get("metadata", {}).get("tags", [])]
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = substitute_numref(substitute_glue(cell.source, glued), number_of)
        elif cell.cell_type == "code":
            cell.outputs = [out for out in cell.get("outputs", [])
                            if not any(m.startswith(GLUE_MIME) for m in out.get("data", {}))]
    for key in ("jupytext", "source_map"):
        notebook.metadata.pop(key, None)
    nbformat.validate(notebook)
    return notebook


def _add_notebook_download(app, pagename, templatename, context, doctree):
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if doctree is None or not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(downloadable_notebook(app, executed), str(target))
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    # before sphinx-book-theme's add_header_buttons (priority 501) reads ipynb_source
    app.connect("html-page-context", _add_notebook_download, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
