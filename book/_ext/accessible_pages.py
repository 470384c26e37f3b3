"""Sphinx extension: what the theme's pages need to pass axe-core and fit a phone.

1. ``book/_static/nnbook-page.css``, on every page, lets long inline code
   break on a phone instead of widening the page.
2. The theme puts its logo link outside any landmark (axe-core's "region"
   rule, one finding a page); ``templates/navbar-logo.html`` wraps it in a
   ``<nav>``.
3. Docutils writes a bibliography as ``<div role="list">`` of entries with
   ``role="doc-biblioentry"``, a role ARIA 1.3 deprecates, so the list has no
   list items (axe-core: "aria-required-children", critical). The entries
   become ``role="listitem"``, what the deprecation note recommends.

(A pandas table's empty top-left header cell, which axe-core also reports,
is avoided where the table is made: the chapter names the columns' axis,
``DataFrame.rename_axis(columns=...)``, which pandas writes in that cell.)
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE_STYLE = HERE.parent / "_static" / "nnbook-page.css"


def accessible_body(body):
    """A page body with the bibliography entries as list items (see 3. above)."""
    return body.replace('role="doc-biblioentry"', 'role="listitem"')


def _configure(app, config):
    config.html_static_path.append(str(PAGE_STYLE))
    config.templates_path.insert(0, str(HERE / "templates"))


def _fix_body(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = accessible_body(context["body"])


def setup(app):
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _fix_body)
    app.add_css_file(PAGE_STYLE.name)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
