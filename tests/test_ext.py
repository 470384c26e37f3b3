"""Fast tests of the book's Sphinx extensions (book/_ext), one section each, without a build.

The builds themselves (tests/test_book.py, tests/test_notebooks.py) show the
extensions at work: the cache keyed on ``code/``, the parallel execution, the
downloads; tests/test_browser.py checks the pages they make.
"""

from types import SimpleNamespace

import pytest

import accessible_pages
import code_cache
import dedupe_scripts
import explorer_assets
import notebook_download

# --- code_cache ---------------------------------------------------------------------


def test_code_hash_follows_python_files_only(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "module.py").write_text("VALUE = 1\n")
    first = code_cache.code_hash(tmp_path)
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"\0\1")
    (tmp_path / "notes.txt").write_text("an editor's file")
    assert code_cache.code_hash(tmp_path) == first
    (tmp_path / "pkg" / "module.py").write_text("VALUE = 2\n")
    assert code_cache.code_hash(tmp_path) != first


# --- dedupe_scripts -----------------------------------------------------------------


def test_dedupe_keeps_one_copy_of_an_inline_script():
    def script(filename, body):
        return SimpleNamespace(filename=filename, attributes={"body": body})

    thebe = "const THEBE_JS_URL = '...'"
    scripts = [script("a.js", ""), script(None, thebe), script("", thebe), script(None, "other")]
    context = {"script_files": scripts}
    dedupe_scripts._dedupe(None, "page", "page.html", context, None)
    assert [s.attributes["body"] for s in context["script_files"]] == ["", thebe, "other"]


# --- explorer_assets ----------------------------------------------------------------


def test_the_explorers_script_goes_to_the_pages_with_an_explorer_or_the_pad():
    assert explorer_assets.uses_explorers('<div class="x" data-explorer="relu">')
    assert explorer_assets.uses_explorers('<div class="nnbook-pad" data-explorer="digit-pad">')
    assert not explorer_assets.uses_explorers("<p>data explorer</p>")


# --- accessible_pages ---------------------------------------------------------------


def test_bibliography_entries_become_list_items():
    body = '<div role="list" class="citation-list"><div class="citation" role="doc-biblioentry">'
    assert accessible_pages.accessible_body(body) == (
        '<div role="list" class="citation-list"><div class="citation" role="listitem">')


# --- notebook_download --------------------------------------------------------------


def test_a_download_numbers_the_figures_and_tables():
    number_of = {"fig-a": ("Fig. %s", "5.1"), "fig-b": ("Fig. %s", "2.3"),
                 "tab-a": ("Table %s", "5.2")}.get
    assert notebook_download.substitute_numref(
        "See {numref}`fig-a`, {numref}`Figure %s <fig-b>`, {numref}`tab-a` and {numref}`fig-c`.",
        number_of) == "See Fig. 5.1, Figure 2.3, Table 5.2 and {numref}`fig-c`."


GLUED = {"p0": {"data": {"text/plain": "0.03205860328008499"}},
         "n": {"data": {"text/plain": "5000"}},
         "md": {"data": {"text/markdown": "*five*", "text/plain": "'five'"}},
         "img": {"data": {"image/png": "..."}}}


@pytest.mark.parametrize(
    ("source", "expected"),
    [("p = {glue:text}`p0:.3f`.", "p = 0.032."),
     ("{glue:text}`n:,d` images", "5,000 images"),
     ("{glue}`n` and {glue:text}`n`", "5000 and 5000"),
     ("a {glue:md}`md` word", "a *five* word"),
     ("kept: {glue:text}`other::p0:.2f`, {glue:text}`missing`, {glue}`img`",
      "kept: {glue:text}`other::p0:.2f`, {glue:text}`missing`, {glue}`img`")],
    ids=["format", "thousands", "plain", "markdown", "kept"],
)
def test_a_download_fills_in_the_glued_values(source, expected):
    assert notebook_download.substitute_glue(source, GLUED) == expected
