"""Sphinx extension: drop repeated inline ``<script>`` blocks from every page.

sphinx-thebe (loaded by Jupyter Book even with thebe off) adds its inline
``const THEBE_JS_URL = ...`` script once per read of the environment, so a
page can carry it twice and the browser reports "Identifier 'THEBE_JS_URL'
has already been declared". Keeping the first copy of each script fixes that.
"""


def _dedupe(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        attributes = getattr(script, "attributes", {})
        filename = getattr(script, "filename", script) or ""  # inline: None or ""
        key = (str(filename), tuple(sorted(attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    if "script_files" in context:
        context["script_files"][:] = unique


def setup(app):
    app.connect("html-page-context", _dedupe, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
