"""The PDF edition: ``make pdf`` on the test build, read back with poppler's tools.

The PDF is typeset from the executed notebooks of the test's own HTML build
(``built_book``), with nothing executed again. TeX (xelatex, latexmk, xindy)
and poppler-utils are Debian packages: without them the test is skipped on a
reader's machine, naming the packages, and fails in CI (``CI=true``).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from docutils import nodes

from conftest import (ROOT, SOLUTION_LINE, TINY_CHAPTER, build_book, build_log,
                      make_tiny_book)

import pdf_edition  # a Sphinx extension of the book (conftest.py puts book/_ext on sys.path)

TOOLS = {"xelatex": "TeX", "latexmk": "TeX", "xindy": "TeX", "pdftotext": "poppler-utils",
         "pdfinfo": "poppler-utils", "pdfimages": "poppler-utils", "pdffonts": "poppler-utils"}
TOO_WIDE = re.compile(r"^Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)", re.M)
TOO_HIGH = re.compile(r"^Overfull \\vbox \((\d+(?:\.\d+)?)pt too high\)", re.M)


def tex_packages():
    """The Debian packages that ``make pdf`` asks for (the Makefile's list)."""
    return re.search(r"^TEX_PACKAGES := (.+)$", (ROOT / "Makefile").read_text(), re.M).group(1)


def run(*command):
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


# --- the extension's pieces, without a build --------------------------------------------


def test_a_long_output_keeps_its_first_and_last_lines_and_says_how_many_were_cut():
    text = "\n".join(f"line {i}" for i in range(100))
    block = nodes.literal_block(text, text)
    pdf_edition.cut_long_output(block, max_lines=40, head=30, tail=5)
    lines = block.astext().split("\n")
    assert lines[:30] == [f"line {i}" for i in range(30)]
    assert lines[-5:] == [f"line {i}" for i in range(95, 100)]
    assert lines[30] == "[... 65 lines cut here; the HTML book shows the whole output ...]"
    assert len(lines) == 36


def test_a_short_output_is_left_whole():
    text = "\n".join(f"line {i}" for i in range(40))
    block = nodes.literal_block(text, text)
    pdf_edition.cut_long_output(block, max_lines=40)
    assert block.astext() == text


def test_the_explorers_and_the_pad_are_recognised_as_interactive():
    from nnbook import explorers, models, pad

    x = np.linspace(0, 3, 7)
    fragments = [explorers.relu_explorer(x, x, [1.0], [0.0]),
                 explorers.softmax_explorer([1.0, 2.0, 3.0, 4.0]),
                 explorers.cross_entropy_explorer([1.0, 0.5, -1.0], 2),
                 pad.digit_pad(models.build_mlp(hidden_units=(2,), seed=0))]
    assert all(pdf_edition.INTERACTIVE.match(fragment.html) for fragment in fragments)
    assert not pdf_edition.INTERACTIVE.match("<div><table class='dataframe'></table></div>")


# --- the PDF, built once ----------------------------------------------------------------


class PdfBuild:
    def __init__(self, output, process):
        self.output = output
        self.process = process
        self.pdf = output / "_build" / "pdf" / "nnbook.pdf"
        self.log = output / "_build" / "latex" / "nnbook.log"

    def pages(self, layout=False):
        """The text of each page (pdftotext), page 1 first."""
        text = run("pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []),
                   str(self.pdf), "-")
        return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def pdf_build(built_book):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        message = (f"{', '.join(missing)} not found: to test the PDF, install TeX and "
                   f"poppler-utils (apt-get install --no-install-recommends "
                   f"{tex_packages()} poppler-utils)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert built_book.process.returncode == 0, "the book did not build; see test_book.py"
    output = built_book.html.parents[1]
    cache = output / "_build" / ".jupyter_cache"
    before = {path: path.stat().st_mtime_ns for path in cache.rglob("*.ipynb")}
    process = subprocess.run(["make", "-C", str(ROOT), "pdf", f"PATH_OUTPUT={output}"],
                             capture_output=True, text=True)
    build = PdfBuild(output, process)
    build.cache_unchanged = before == {path: path.stat().st_mtime_ns
                                       for path in cache.rglob("*.ipynb")}
    return build


pdf_test = pytest.mark.slow  # the tests of the built PDF; the ones above are fast


@pdf_test
def test_make_pdf_builds_the_pdf_without_executing_again(pdf_build):
    log = pdf_build.process.stdout + pdf_build.process.stderr
    assert pdf_build.process.returncode == 0, log[-3000:]
    # no kernel started (each start logs this line), no notebook added to the cache
    assert "Kernel is running" not in log and pdf_build.cache_unchanged
    assert pdf_build.pdf.exists()
    # a copy in the HTML book, where its intro page and running appendix link to it
    html = pdf_build.output / "_build" / "html"
    assert (html / "nnbook.pdf").read_bytes() == pdf_build.pdf.read_bytes()
    for page in ("book/intro.html", "book/running.html"):
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        links = [a["href"] for a in soup.select("article a[href$='nnbook.pdf']")]
        assert links and all((html / page).parent.joinpath(link).resolve() == html / "nnbook.pdf"
                             for link in links), page


@pdf_test
def test_the_pdf_is_an_a4_book_with_a_title(pdf_build):
    info = run("pdfinfo", str(pdf_build.pdf))
    assert re.search(r"^Title:\s+Neural networks for handwritten digits$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info, re.M)
    title_page = " ".join(pdf_build.pages()[0].split())
    assert ("Neural networks for handwritten digits ReLU, softmax and cross-entropy: "
            "a Keras classifier, then the same network in NumPy") in title_page, title_page
    assert "nnbook Warning" not in pdf_build.log.read_text(encoding="utf-8", errors="replace")


def chapter_titles():
    """Each chapter's title, from the first heading of each file in _toc.yml but the root."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    titles = {}
    for name in files:
        heading = re.search(r"^# (.+)$", (ROOT / f"{name}.md").read_text(), re.M).group(1)
        titles[name] = heading.replace("`", "")
    return titles


def squash(text):
    """``text`` with its white space squashed and typographic quotes made plain."""
    return " ".join(text.split()).replace("\u2019", "'").replace("\u201c", '"').replace(
        "\u201d", '"')


# A chapter's line in the contents: its number or appendix letter (if any), title and page.
CONTENTS_LINE = re.compile(r"^[ \t]*(?:(?:\d+|[A-Z])[ \t]+)?(\S.*?)[ \t]{2,}(\d+)[ \t]*$", re.M)


@pdf_test
def test_every_chapter_title_is_in_the_contents_and_opens_its_page(pdf_build):
    contents = {title: int(page) for title, page in
                CONTENTS_LINE.findall("".join(pdf_build.pages(layout=True)[:10]))}
    pages = [squash(page) for page in pdf_build.pages()]
    for name, title in chapter_titles().items():
        if name == "book/references":  # the bibliography takes the page's place and title
            assert "References" in pages[contents["References"] - 1]
            continue
        assert title in contents, f"{title!r} is not in the contents"
        opening = pages[contents[title] - 1]
        assert re.match(rf"(Chapter \d+|Appendix [A-Z]) {re.escape(title)}", opening), title


@pdf_test
def test_no_reference_is_left_unresolved(pdf_build):
    assert "??" not in "".join(pdf_build.pages())
    log = pdf_build.log.read_text(errors="replace")
    assert "undefined" not in log.lower()


def html_pages(html):
    return {path: BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for path in sorted((html / "book").glob("*.html"))}


@pdf_test
def test_every_figure_of_the_html_book_is_in_the_pdf_and_each_stand_in(pdf_build, built_book):
    in_html = sum(len(soup.select("article img")) for soup in html_pages(built_book.html).values())
    stand_ins = sum(path.read_text().count("pdf-only]") for path in (ROOT / "book").glob("*.md"))
    listing = run("pdfimages", "-list", str(pdf_build.pdf)).splitlines()[2:]
    images = [line for line in listing if line.split()[2] == "image"]  # not their alpha masks
    assert stand_ins == 4  # the three explorers and the pad
    assert len(images) == in_html + stand_ins


@pdf_test
def test_figures_and_tables_have_the_html_books_numbers(pdf_build, built_book):
    in_html = []
    for name in chapter_titles():
        soup = BeautifulSoup((built_book.html / f"{name}.html").read_text(encoding="utf-8"),
                             "html.parser")
        in_html += [squash(span.get_text()) for span in soup.select("article span.caption-number")
                    if not span.get_text().startswith("Exercise")]
    captions = re.findall(r"((?:Fig\.|Table) \d+\.\d+): ", " ".join(pdf_build.pages()))
    assert len(in_html) > 40 and captions == in_html


@pdf_test
def test_each_stand_in_says_where_its_interactive_page_is(pdf_build):
    text = squash(" ".join(pdf_build.pages()))
    for page in ("relu", "softmax", "losses", "pad"):
        assert f"this chapter's page (book/{page}.html)" in text
    assert not re.search(r"<[\w -]{0,20}(explorer|pad)\b", text)  # no repr of their HTML


@pdf_test
def test_every_glued_number_that_the_html_shows_is_in_the_pdf(pdf_build, built_book):
    text = squash(" ".join(pdf_build.pages())).replace("−", "-")
    numbers = set()
    for soup in html_pages(built_book.html).values():
        for span in soup.select("article span.pasted-text"):
            value = span.get_text().strip().replace("−", "-")
            if re.fullmatch(r"-?[\d,]*\d(\.\d+)?", value):
                numbers.add(value)
    assert len(numbers) > 100
    missing = [n for n in numbers if not re.search(rf"(?<![\d.]){re.escape(n)}(?!\d)", text)]
    assert not missing


@pdf_test
def test_every_font_is_embedded(pdf_build):
    rows = run("pdffonts", str(pdf_build.pdf)).splitlines()[2:]
    assert rows
    emb = [line.split()[-5] for line in rows]  # columns: ... emb sub uni object ID
    assert set(emb) == {"yes"}, rows


@pdf_test
def test_the_solutions_appendix_has_one_entry_per_exercise(pdf_build, built_book):
    exercises = []
    for soup in html_pages(built_book.html).values():
        for title in soup.select("div.exercise p.admonition-title span.caption-number"):
            exercises.append(title.get_text().strip())  # "Exercise 1.1 "
    assert len(exercises) >= 15
    pages = pdf_build.pages()
    start = next(i for i, page in enumerate(pages) if re.match(r"\s*Appendix A\s+Solutions", page))
    appendix = squash(" ".join(pages[start:]))
    chapters = squash(" ".join(pages[:start]))
    for number in exercises:
        solution = "Solution to " + squash(number)
        assert appendix.count(solution + " ") == 1, solution
        assert solution not in chapters, solution
    assert chapters.count("The solution is on page") == len(exercises)


@pdf_test
def test_the_questions_print_without_answers_which_go_to_an_appendix(pdf_build, built_book):
    n_questions = sum(len(soup.select("[data-quiz-question]"))
                      for soup in html_pages(built_book.html).values())
    assert n_questions >= 40
    pages = pdf_build.pages()
    start = next(i for i, page in enumerate(pages)
                 if re.match(r"\s*Appendix B\s+Answers to the self-check questions", page))
    chapters = squash(" ".join(pages[:start]))
    appendix = squash(" ".join(pages[start:]))
    assert chapters.count("The answer is on page") == n_questions
    assert len(re.findall(r"Question \d+: [A-D]\. \(page \d+\)", appendix)) == n_questions
    verdict = re.compile(r"\b[A-D]\. (Right|Wrong)\. ")
    assert len(re.findall(verdict, appendix)) > 3 * n_questions  # every option explained
    assert not verdict.search(chapters.split("Appendix A Solutions")[0])


@pdf_test
def test_no_overfull_box_wider_than_1pt_and_no_missing_character(pdf_build):
    log = pdf_build.log.read_text(errors="replace")
    assert [float(width) for width in TOO_WIDE.findall(log) if float(width) > 1.0] == []
    # A code block split across two pages can end a page a point or two into its
    # bottom margin, which no reader sees; a line past the side margin they would.
    assert [float(height) for height in TOO_HIGH.findall(log) if float(height) > 2.0] == []
    assert "Missing character" not in log


@pdf_test
def test_the_only_blank_pages_come_before_a_part(pdf_build):
    pages = pdf_build.pages()
    for number, page in enumerate(pages, start=1):
        if not page.strip():
            assert re.match(r"\s*Part [IVX]+\b", pages[number]), f"page {number} is blank"
            assert number % 2 == 0  # so that the part starts on a right-hand page


@pdf_test
def test_the_student_edition_leaves_the_solutions_out(tmp_path):
    """hide_solutions: true, on a tiny book with one exercise (its HTML and its LaTeX)."""
    source = make_tiny_book(tmp_path, TINY_CHAPTER)
    shutil.copytree(ROOT / "book" / "_latex", source / "book" / "_latex")
    config = source / "_config.yml"
    config.write_text(config.read_text().replace("hide_solutions: false", "hide_solutions: true"))
    html = build_book(source, tmp_path / "out")
    assert html.process.returncode == 0, build_log(html)
    page = (html.html / "book" / "page.html").read_text(encoding="utf-8")
    assert "Exercise 1" in page and SOLUTION_LINE not in page and "Solution to" not in page
    latex = subprocess.run([str(Path(sys.executable).with_name("jupyter-book")), "build",
                            str(source), "--path-output", str(tmp_path / "out"), "--builder",
                            "latex", "--warningiserror", "--nitpick"],
                           capture_output=True, text=True)
    assert latex.returncode == 0, latex.stdout[-3000:]
    tex = (tmp_path / "out" / "_build" / "latex" / "nnbook.tex").read_text()
    assert "\\nnbookstudenttrue" in tex  # the back of the title page says so
    assert SOLUTION_LINE not in tex and "Solution to" not in tex and "solution is on" not in tex
