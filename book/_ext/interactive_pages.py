"""Sphinx extension: the explorers' script on the pages that use it, and accessible pages.

1. ``book/_static/nnbook-explorers.js`` and ``.css`` draw the explorers and the
   draw-a-digit pad whose HTML a chapter cell emits (``nnbook.explorers``).
   They are copied into the build and loaded only by the pages whose body
   holds such HTML (``data-explorer=`` or the pad's ``id="digit-app"``).
2. ``book/_static/nnbook-page.css``, on every page, lets long inline code
   break on a phone instead of widening the page.
3. A pandas table's top-left corner is an empty header cell, ``<th></th>``,
   which axe-core reports ("empty-table-header": a header that names
   nothing). It is not a header, so it becomes an empty data cell, ``<td></td>``,
   in every cell output's HTML.
4. The theme puts its logo link outside any landmark (axe-core's "region"
   rule, one finding a page); ``templates/navbar-logo.html`` wraps it in a
   ``<nav>``.
5. Docutils writes a bibliography as ``<div role="list">`` of entries with
   ``role="doc-biblioentry"``, a role ARIA 1.3 deprecates, so the list has no
   list items (axe-core: "aria-required-children", critical). The entries
   become ``role="listitem"``, what the deprecation note recommends.
"""

import re
from pathlib import Path

from docutils import nodes

HERE = Path(__file__).resolve().parent
STATIC = HERE.parent / "_static"
SCRIPT, STYLE, PAGE_STYLE = "nnbook-explorers.js", "nnbook-explorers.css", "nnbook-page.css"
MARKERS = ("data-explorer=", 'id="digit-app"')
EMPTY_HEADER = re.compile(r"<th(\s[^>]*)?>(\s|&nbsp;)*</th>")


def uses_explorers(body):
    """True if a page's HTML body holds an explorer or the pad."""
    return any(marker in body for marker in MARKERS)


def empty_headers_to_cells(html):
    """``html`` with each empty ``<th>`` (attributes kept) turned into an empty ``<td>``."""
    return EMPTY_HEADER.sub(lambda m: f"<td{m.group(1) or ''}></td>", html)


def accessible_body(body):
    """A page body with the bibliography entries as list items (see 5. above)."""
    return body.replace('role="doc-biblioentry"', 'role="listitem"')


def _configure(app, config):
    config.html_static_path.extend(str(STATIC / name) for name in (SCRIPT, STYLE, PAGE_STYLE))
    config.templates_path.insert(0, str(HERE / "templates"))


def _fix_tables(app, doctree, docname):
    for node in doctree.findall(nodes.raw):
        if "html" in node.get("format", "").split() and "<th" in node.astext():
            fixed = empty_headers_to_cells(node.astext())
            if fixed != node.astext():
                node.children = [nodes.Text(fixed)]


def _page_assets(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = accessible_body(context["body"])
    if uses_explorers(context.get("body", "")):
        app.add_css_file(STYLE)
        app.add_js_file(SCRIPT, loading_method="defer")


def setup(app):
    app.connect("config-inited", _configure)
    app.connect("doctree-resolved", _fix_tables)
    app.connect("html-page-context", _page_assets)
    app.add_css_file(PAGE_STYLE)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
