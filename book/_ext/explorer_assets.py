"""Sphinx extension: the explorers' script and style, on the pages that hold an explorer.

``book/_static/nnbook-explorers.js`` and ``.css`` draw the explorers and the
draw-a-digit pad whose HTML a chapter cell emits (``nnbook.explorers``,
``nnbook.pad``). They are copied into the build and loaded only by the pages
whose body holds such HTML: an element with a ``data-explorer`` attribute.
"""

from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "_static"
SCRIPT, STYLE = "nnbook-explorers.js", "nnbook-explorers.css"


def uses_explorers(body):
    """True if a page's HTML body holds an explorer or the pad."""
    return "data-explorer=" in body


def _copy_assets(app, config):
    config.html_static_path.extend(str(STATIC / name) for name in (SCRIPT, STYLE))


def _load_assets(app, pagename, templatename, context, doctree):
    if uses_explorers(context.get("body", "")):
        app.add_css_file(STYLE)
        app.add_js_file(SCRIPT, loading_method="defer")


def setup(app):
    app.connect("config-inited", _copy_assets)
    app.connect("html-page-context", _load_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
