"""Sphinx extension: drop repeated inline ``<script>`` blocks from every page.

Sphinx 7 writes an inline script twice when an extension registers it with
``app.add_js_file(None, body=...)``: the registry keeps the file name ``None``,
``prepare_writing`` adds it again as ``''``, and the two do not compare equal.
sphinx-thebe (which Jupyter Book 1 always loads, even with thebe off) does
exactly that with ``const THEBE_JS_URL = ...``, and the browser then reports
"Identifier 'THEBE_JS_URL' has already been declared". Keeping the first copy
of each script fixes it. Fixed upstream in sphinx-doc/sphinx PR #13402
(Sphinx 8): delete this extension when Jupyter Book allows Sphinx 8.
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
