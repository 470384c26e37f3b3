"""Shared fixtures: one build of the whole book, reused by the build and browser tests,
the system Chromium driven by Playwright, and the built pages served on loopback."""

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import NamedTuple

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before any test module imports TensorFlow

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


class BookBuild(NamedTuple):
    process: subprocess.CompletedProcess
    html: Path  # the folder of built pages


def build_book(source, output):
    """Build the book in ``source`` into ``output`` with the strict flags of ``make book``."""
    process = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(source), "--path-output", str(output),
         "--warningiserror", "--nitpick", "--keep-going"],
        capture_output=True,
        text=True,
    )
    return BookBuild(process, Path(output) / "_build" / "html")


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The whole book, built from scratch (empty cache) into a temporary folder."""
    if not JUPYTER_BOOK.exists():
        pytest.fail(f"jupyter-book not found at {JUPYTER_BOOK}; run the tests with `make test`")
    return build_book(ROOT, tmp_path_factory.mktemp("book"))


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Chromium not found: install it (e.g. `apt-get install chromium`) to run the browser test"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built_book):
    """Serve the built pages on a free loopback port; yield the base URL."""
    assert built_book.process.returncode == 0, "the book did not build; see test_book.py"
    handler = functools.partial(QuietHandler, directory=str(built_book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()
