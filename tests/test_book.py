"""The book builds strictly: every chapter executed, no warning, no log noise.

The whole book is built once (``built_book``, see conftest.py). Tiny books
made from the real ``_config.yml`` and build extensions show that a failing
cell, a Sphinx warning or stray stderr output each fail the build, that the
chapters are executed before Sphinx reads them, and that a change under
``code/`` makes the chapters run again.
"""

import re

import pytest
from bs4 import BeautifulSoup

from conftest import build_book, build_log, code_cell, make_tiny_book, toc_pages

pytestmark = pytest.mark.slow

# Lines that frameworks write on their own and that must never reach a reader.
LOG_NOISE = re.compile(
    r"absl::InitializeLog|oneDNN custom operations|cudart|cuda drivers|"
    r"TF_ENABLE_ONEDNN_OPTS|computation placer|Kernel is running over TCP|"
    r"\d+/\d+ ━|ms/step|[IWE]\d{4} \d\d:\d\d:\d\d"
)
# Keras's own progress lines are shown once, on purpose, in the training chapter's
# cell tagged "keras-progress" (fit with verbose=2). Its output must be those
# lines and nothing else: no bar drawn with carriage returns, no escape codes.
KERAS_PROGRESS_TAG = "keras-progress"
KERAS_PROGRESS_LINE = re.compile(
    r"Epoch \d+/\d+|(\d+)/\1 - \d+s - \d+(?:s|ms|us)/step - loss: \d+\.\d{4}")

def cell_outputs(html_file, tag=None):
    """The text of every code cell output on a built page (only cells tagged ``tag``, if given)."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    cells = soup.select(f"div.cell.tag_{tag} div.cell_output" if tag else "div.cell_output")
    return [div.get_text().strip() for div in cells]


def test_book_builds_with_every_chapter(built_book):
    assert built_book.process.returncode == 0, build_log(built_book)
    for page in toc_pages():
        assert (built_book.html / f"{page}.html").is_file(), f"{page} was not built"


def test_chapters_were_executed_without_stderr_or_log_noise(built_book):
    for page in toc_pages():
        html_file = built_book.html / f"{page}.html"
        text = html_file.read_text(encoding="utf-8")
        assert 'class="output stderr"' not in text, f"stderr output on {page}"
        assert "Traceback" not in text, f"a traceback on {page}"
        deliberate = cell_outputs(html_file, tag=KERAS_PROGRESS_TAG)
        for output in cell_outputs(html_file):
            if output in deliberate:
                lines = output.splitlines()
                assert all(KERAS_PROGRESS_LINE.fullmatch(line) for line in lines), output
                continue
            noise = LOG_NOISE.search(output)
            assert noise is None, f"log noise on {page}: {noise.group(0)!r} in {output[:300]!r}"
    # The chapters with code cells show their outputs (they were executed).
    assert cell_outputs(built_book.html / "book" / "data.html")
    # Keras's progress lines appear in exactly one cell of the book.
    assert len(cell_outputs(built_book.html / "book" / "training.html",
                            tag=KERAS_PROGRESS_TAG)) == 1


def test_tiny_book_builds_its_chapter_executed_before_sphinx_reads_it(tiny_book):
    _, build = tiny_book
    assert build.process.returncode == 0, build_log(build)
    assert cell_outputs(build.html / "book" / "page.html")[-1] == "array([0., 2.])"
    # book/_ext/parallel_execute.py ran the chapter before Sphinx read it
    assert "page.md: Using cached notebook" in build.process.stdout


@pytest.mark.parametrize(
    "body, reason",
    [
        (code_cell("raise ValueError('a cell that fails')"), "a cell that fails"),
        ("See {doc}`no-such-chapter`.\n", "no-such-chapter"),
        (code_cell("import sys\nprint('stray log line', file=sys.stderr)"), "stderr"),
    ],
    ids=["cell-error", "sphinx-warning", "stderr-output"],
)
def test_strict_build_fails(tmp_path, body, reason):
    build = build_book(make_tiny_book(tmp_path, body), tmp_path / "out")
    assert build.process.returncode != 0
    assert reason in build.process.stdout + build.process.stderr


def test_change_under_code_reruns_chapters(tmp_path):
    book = make_tiny_book(tmp_path, code_cell("import time\nprint(time.time_ns())"))
    page = tmp_path / "out" / "_build" / "html" / "book" / "page.html"

    def build_and_read():
        build = build_book(book, tmp_path / "out")
        assert build.process.returncode == 0, build_log(build)
        return cell_outputs(page)

    first = build_and_read()
    assert build_and_read() == first, "an unchanged book must reuse the cached outputs"
    (book / "code" / "module.py").write_text("VALUE = 2\n")
    assert build_and_read() != first, "a change under code/ must execute the chapter again"
