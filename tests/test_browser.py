"""Every built page, opened in headless Chromium as a reader would, offline.

Each page must load with no console error, show every image, typeset its
math with the MathJax served from the build, and ask for nothing from any host
but the local server. Chromium is the system package (``apt-get install
chromium``); Playwright drives it. Without Chromium the test is skipped on a
reader's machine and fails in CI (``CI=true``).
"""

import functools
import http.server
import os
import shutil
import threading
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.slow

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


def page_paths(html):
    """Every HTML page of the site, skipping Sphinx's asset folders."""
    return sorted(
        path.relative_to(html).as_posix()
        for path in html.rglob("*.html")
        if not any(part.startswith("_") for part in path.relative_to(html).parts)
    )


def check_page(browser, url, local_host):
    """Open ``url``; return a list of the problems found on the page."""
    problems, requests = [], []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    page.on("request", lambda r: requests.append(r.url))
    # Nothing may leave the machine: abort any request to another host.
    context.route(
        "**/*",
        lambda route: route.continue_()
        if urlparse(route.request.url).netloc == local_host
        else route.abort(),
    )
    page.goto(url, wait_until="networkidle")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")

    for request in requests:
        parsed = urlparse(request)
        if parsed.scheme not in ("data", "blob") and parsed.netloc != local_host:
            problems.append(f"request to another host: {request}")

    broken = page.eval_on_selector_all(
        "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
    )
    problems += [f"image not loaded: {src}" for src in broken]

    n_math = page.locator(".math").count()
    if n_math:
        try:
            page.wait_for_function(
                "n => document.querySelectorAll('mjx-container').length >= n", arg=n_math,
                timeout=20_000,
            )
        except Exception:
            typeset = page.locator("mjx-container").count()
            problems.append(f"math not typeset: {typeset} of {n_math} formulas")
        if page.locator("mjx-merror").count():
            problems.append("MathJax reported an error in a formula")
    context.close()
    return problems


def test_every_page_works_offline(chromium, site, built_book):
    paths = page_paths(built_book.html)
    assert "book/data.html" in paths and "book/intro.html" in paths
    local_host = urlparse(site).netloc
    failures = {}
    for path in paths:
        problems = check_page(chromium, f"{site}/{path}", local_host)
        if problems:
            failures[path] = problems
    assert not failures, "\n".join(f"{p}: {'; '.join(v)}" for p, v in failures.items())


def test_math_is_typeset_from_the_build(chromium, site):
    """The intro's notation table is real typeset math, not raw TeX."""
    page = chromium.new_page()
    page.goto(f"{site}/book/intro.html", wait_until="networkidle")
    page.wait_for_selector("mjx-container", timeout=20_000)
    assert page.locator("mjx-container").count() >= 10
    assert "\\(" not in page.inner_text("article")
    scripts = page.eval_on_selector_all("script[src]", "s => s.map(x => x.src)")
    assert any("_static/mathjax/" in src for src in scripts)
    page.close()
