"""Notebook mode as a learner meets it: ``make lab``'s JupyterLab, driven in Chromium.

JupyterLab is started on a copy of ``book/`` (so nothing it saves touches the
chapters) on a free loopback port, with no token and with settings and
workspaces in a temporary folder; only the venv's settings overrides (which
the Makefile installs from ``lab/overrides.json``) apply. A chapter is opened
by a double click in the file browser: it must open as a notebook (jupytext)
with the nnbook kernel started and no "Select Kernel" dialog, show its MyST
rendered (jupyterlab-myst), run every cell without an error output, and ask
nothing from any other host. Chromium is conftest.py's ``chromium``: without
it the test is skipped on a reader's machine and fails in CI.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest


pytestmark = pytest.mark.slow

CHAPTER = "data.md"  # the shortest chapter to run
# jupyterlab-myst cannot resolve what only the Sphinx build knows: figures named in
# myst-nb cell metadata, other chapters' labels, citations (CONTRIBUTING.md lists them).
KNOWN_CONSOLE_ERRORS = ("Cross reference target was not found",)




# The open notebook's cells, from JupyterLab's model (the page renders only the
# cells in view): [{cell_type, source, execution_count, outputs}, ...].
CELLS = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    return Array.from(panel.content.model.cells, cell => cell.toJSON());
}"""


def test_a_chapter_opens_as_a_notebook_and_runs_without_errors(chromium, lab):
    problems, requests = [], []
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.on("console", lambda m: m.type == "error"
            and not any(known in m.text for known in KNOWN_CONSOLE_ERRORS)
            and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    local = urlparse(lab).netloc
    page.on("request", lambda r: requests.append(r.url))
    context.route("**/*", lambda route: route.continue_()
                  if urlparse(route.request.url).netloc == local else route.abort())

    page.goto(f"{lab}/lab?reset", wait_until="domcontentloaded")
    item = page.locator(".jp-DirListing-itemText", has_text=CHAPTER)
    item.first.wait_for(timeout=60_000)
    item.first.dblclick()

    # A notebook, not the Markdown editor, with the nnbook kernel started and no dialog.
    notebook = page.locator(".jp-NotebookPanel:visible")
    notebook.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => { const s = window.jupyterapp.shell.currentWidget?.sessionContext;"
        " return s?.session?.kernel?.status === 'idle'; }", timeout=90_000)
    kernel = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.name")
    assert kernel == "nnbook", kernel
    assert page.locator(".jp-Dialog").count() == 0, "a dialog asked something"
    cells = page.evaluate(CELLS)
    assert sum(c["cell_type"] == "code" for c in cells) > 3, "not opened as a notebook"

    # MyST rendered by jupyterlab-myst: math typeset, no raw directive fences.
    rendered = notebook.locator(".jp-MarkdownCell .jp-RenderedMarkdown, .jp-MarkdownCell .myst")
    assert rendered.count() > 0
    text = " ".join(rendered.all_inner_texts())
    assert "```{" not in text and ":::{" not in text, "a directive shows raw"
    assert notebook.locator("mjx-container, .katex").count() > 0, "no typeset math"

    # Run every cell, as Run > Run All Cells does; wait for the last one (or an error).
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "() => { const cells = (" + CELLS + ")().filter(c => c.cell_type === 'code');"
        " return cells.every(c => c.execution_count !== null)"
        " || cells.some(c => c.outputs.some(o => o.output_type === 'error')); }",
        timeout=240_000, polling=500)
    code = [c for c in page.evaluate(CELLS) if c["cell_type"] == "code"]
    errors = [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{errors[0]['ename']}: {errors[0]['evalue']}"
    stderr = [o for c in code for o in c["outputs"] if o.get("name") == "stderr"]
    assert not stderr, "".join(stderr[0]["text"])[:2000]
    shown = " ".join(notebook.locator(".jp-OutputArea-output").all_inner_texts())
    assert "No renderer could be found" not in shown

    page.screenshot(path=str(Path(os.environ.get("NNBOOK_SCREENSHOTS", "/tmp")) / "lab.png"))
    context.close()
    outside = [r for r in requests if urlparse(r).scheme not in ("data", "blob")
               and urlparse(r).netloc != local]
    assert not outside, f"requests to other hosts: {outside[:5]}"
    assert not problems, "\n".join(problems)
