"""What the tests share: the book's builds, a browser, and the build extensions' folder.

- ``built_book``: the whole book, built once per session with the strict flags
  of ``make book`` into a temporary folder. The chapters' execution is reused
  from ``make book`` (see :func:`built_book`); ``NNBOOK_FRESH_BUILD=1`` runs
  every chapter again, as CI does.
- :func:`make_tiny_book`: a one-chapter book with the project's real
  configuration and extensions, for tests of the build itself;
  ``tiny_book``: the one with an exercise (:data:`TINY_CHAPTER`), built once.
- ``chromium``: headless Chromium (the system package, driven by Playwright),
  skipped on a reader's machine without it and failing in CI (``CI=true``);
  ``site``: the built book served on a loopback port; :func:`open_page` opens
  a page that records console errors and refuses requests off the machine,
  at a desktop width or at :data:`PHONE`'s.
- ``lab``: JupyterLab serving a copy of ``book/`` on a loopback port.
- ``book/_ext`` is put on ``sys.path``, so a test can import an extension.
- :func:`weights_from_export` reads the pad's weights back from its page.
"""

import base64
import functools
import http.server
import json
import os
import shutil
import subprocess
import socket
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlparse

import numpy as np
import pytest
import yaml

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before any test module imports TensorFlow

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
sys.path.insert(0, str(ROOT / "book" / "_ext"))  # the extensions are modules, not a package

import code_cache  # noqa: E402

FRESH_BUILD = "NNBOOK_FRESH_BUILD"

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# --------------------------------------------------------------------------
# building books
# --------------------------------------------------------------------------


class BookBuild(NamedTuple):
    process: subprocess.CompletedProcess
    html: Path  # the folder of built pages


def build_book(source, output):
    """Build the book in ``source`` into ``output`` with the strict flags of ``make book``."""
    if not JUPYTER_BOOK.exists():
        pytest.fail(f"jupyter-book not found at {JUPYTER_BOOK}; run the tests with `make test`")
    process = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(source), "--path-output", str(output),
         "--warningiserror", "--nitpick", "--keep-going"],
        capture_output=True,
        text=True,
    )
    return BookBuild(process, Path(output) / "_build" / "html")


def build_log(build):
    """The end of a build's output, for an assertion's message."""
    return (build.process.stdout + build.process.stderr)[-5000:]


def toc_pages():
    """Every chapter listed in _toc.yml, as a path relative to the root without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The whole book, built strictly from the current sources into a temporary folder.

    Only the execution of the chapters is reused: if ``make book`` cached the
    chapters for the current code (``_build/.jupyter_cache/<hash of code/>``),
    that cache is copied into the temporary build, where jupyter-cache finds
    the unchanged chapters executed; a chapter edited since then runs again.
    Every page is still read, checked and written by a strict Sphinx build.
    With ``NNBOOK_FRESH_BUILD=1`` (CI sets it) every chapter runs from scratch.
    """
    output = tmp_path_factory.mktemp("book")
    cache = ROOT / "_build" / ".jupyter_cache" / code_cache.code_hash(ROOT / "code")
    if cache.is_dir() and os.environ.get(FRESH_BUILD, "") in ("", "0"):
        shutil.copytree(cache, output / "_build" / ".jupyter_cache" / cache.name)
    return build_book(ROOT, output)


HEADER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3 (nnbook), language: python, name: nnbook}
---
"""


def make_tiny_book(folder, chapter_body):
    """A one-chapter book with the project's real configuration and extensions."""
    folder = folder / "book_src"
    folder.mkdir()
    shutil.copy(ROOT / "_config.yml", folder / "_config.yml")
    shutil.copy(ROOT / "references.bib", folder / "references.bib")  # _config.yml's bibtex_bibfiles
    shutil.copytree(ROOT / "book" / "_ext", folder / "book" / "_ext")
    shutil.copytree(ROOT / "book" / "_static", folder / "book" / "_static")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: book/page\n")
    (folder / "book" / "page.md").write_text(HEADER + "\n# A page\n\n" + chapter_body)
    (folder / "code").mkdir()
    (folder / "code" / "module.py").write_text("VALUE = 1\n")
    return folder


def code_cell(source):
    """A MyST code cell."""
    return f"```{{code-cell}} ipython3\n{source}\n```\n\n"


#: The tiny book's chapter: a glued number, a numbered figure and one exercise
#: written by the recipe of CONTRIBUTING.md (stub, check, collapsed solution).
TINY_CHAPTER = '''
```{code-cell} ipython3
import numpy as np
from myst_nb import glue
from nnbook import checks

glue("answer", 41.987, display=False)
```

The answer is {glue:text}`answer:.0f`, and {numref}`fig-tiny-line` is a line.

```{code-cell} ipython3
---
mystnb:
  image:
    alt: A straight line rising from left to right.
  figure:
    caption: A line.
    name: fig-tiny-line
---
import matplotlib.pyplot as plt
plt.plot([0, 1], [0, 1]);
```

## Exercises

````{exercise} Your own ReLU
:label: ex-tiny-relu

Write `my_relu(z)`, which returns $\\max(0, z)$ element by element. Then run
`checks.check_relu(my_relu)`.

```{dropdown} Hint 1: element by element
`np.maximum(0, z)` compares each entry of `z` with 0.
```
````

```{code-cell} ipython3
:tags: [remove-cell]

# Your turn: write my_relu, then run this cell.
def my_relu(z):
    ...  # your code here


checks.check_relu(my_relu)
```

```{solution-start} ex-tiny-relu
:class: dropdown
```

`np.maximum` compares element by element and returns a new array.

```{code-cell} ipython3
---
jupyter:
  source_hidden: true
---
# Solution
def my_relu(z):
    return np.maximum(0, z)


checks.check_relu(my_relu)
```

```{solution-end}
```

After {ref}`ex-tiny-relu`, a later cell uses nnbook, not the reader's answer:

```{code-cell} ipython3
from nnbook.activations import relu
relu(np.array([-1.0, 2.0]))
```
'''


#: The line of :data:`TINY_CHAPTER`'s solution that only the solution holds.
SOLUTION_LINE = "return np.maximum(0, z)"


@pytest.fixture(scope="session")
def tiny_book(tmp_path_factory):
    """The tiny book of :data:`TINY_CHAPTER`, built; yields (source folder, build)."""
    folder = tmp_path_factory.mktemp("tiny")
    source = make_tiny_book(folder, TINY_CHAPTER)
    return source, build_book(source, folder / "out")


def weights_from_export(export):
    """The ``(W, b, activation)`` of each layer of a ``nnbook.pad.export_weights`` dict."""
    layers = []
    for layer in export["layers"]:
        n_in, n_out = layer["shape"]
        W = np.frombuffer(base64.b64decode(layer["W"]), dtype="<f4").reshape(n_in, n_out)
        b = np.frombuffer(base64.b64decode(layer["b"]), dtype="<f4")
        layers.append((W.astype(np.float32), b.astype(np.float32), layer["activation"]))
    return layers


# --------------------------------------------------------------------------
# the browser
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = ("Chromium not found: install it (e.g. `apt-get install chromium`) to run "
                   "the browser tests")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(built_book):
    """Serve the built pages on a free loopback port; yield the base URL."""
    assert built_book.process.returncode == 0, "the book did not build; see test_book.py"
    handler = functools.partial(_QuietHandler, directory=str(built_book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


PHONE = {"width": 390, "height": 844}


def open_page(browser, url, local_host, viewport=None, color_scheme="light"):
    """A new page at ``url`` that records console errors and aborts requests off the machine."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900},
                                  color_scheme=color_scheme)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda err: page.problems.append(f"page error: {err}"))

    def route(r):
        parsed = urlparse(r.request.url)
        if parsed.scheme in ("file", "data", "blob") or parsed.netloc == local_host:
            return r.continue_()
        page.problems.append(f"request to another host: {r.request.url}")
        return r.abort()

    context.route("**/*", route)
    page.goto(url, wait_until="networkidle")
    return page


# --------------------------------------------------------------------------
# JupyterLab
# --------------------------------------------------------------------------

JUPYTER = Path(sys.executable).with_name("jupyter")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of book/; yields its base URL."""
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    if not overrides.is_file() or json.loads(overrides.read_text()) != json.loads(
            (ROOT / "lab" / "overrides.json").read_text()):
        pytest.fail(f"{overrides} is not lab/overrides.json: run `make lab` or `make test`, "
                    "which install it")
    tmp = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "book", tmp / "book")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"))
    port = _free_port()
    command = [str(JUPYTER), "lab", "--no-browser", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
               "--IdentityProvider.token=", "--ServerApp.password=",
               "--LabApp.expose_app_in_browser=True", str(tmp / "book")]
    if os.geteuid() == 0:
        command.insert(2, "--allow-root")  # as `make lab` does
    log = open(tmp / "lab.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start in 60 s")
        assert server.poll() is None, (tmp / "lab.log").read_text()[-3000:]
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
