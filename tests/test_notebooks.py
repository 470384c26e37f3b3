"""Exercises in their three views, and the chapters as downloadable notebooks.

An exercise (the recipe in CONTRIBUTING.md, "Exercises and their checks";
conftest.py's ``TINY_CHAPTER`` follows it) must show:

- in the HTML book: the numbered exercise with its hints folded, and the
  executed solution once, inside a closed sphinx-exercise dropdown, with no
  second "Show code cell source" fold and no stub;
- in notebook mode (the chapter's ``.md`` opened through jupytext, as ``make
  lab`` does, or the ``.ipynb`` from the download menu): the stub the reader
  edits, and the solution's code cells collapsed (``jupyter.source_hidden``),
  never in plain view.

The tiny book built with the project's real configuration shows the mechanism;
the chapters are checked against the same rules (:func:`recipe_problems`), and
the full build's downloads are checked for being valid notebooks with outputs,
one of them executed end to end with the nnbook kernel.
"""

import re

import jupytext
import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from nbclient import NotebookClient

from conftest import ROOT, SOLUTION_LINE, build_log, toc_pages



# --- the rules, on any notebook ----------------------------------------------


def solution_cells(nb):
    """The code cells between a ``{solution-start}`` and its ``{solution-end}``."""
    inside, cells = False, []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if re.search(r"\{solution-start\}", cell.source):
                inside = True
            if re.search(r"\{solution-end\}", cell.source):
                inside = False
        elif inside and cell.cell_type == "code":
            cells.append(cell)
    return cells


def hidden(cell):
    return cell.metadata.get("jupyter", {}).get("source_hidden") is True


def recipe_problems(nb):
    """What breaks the exercise recipe in ``nb`` (a notebook as JupyterLab or a reader gets it).

    In an executed notebook (a download), the report of each solution's check
    must say "all passed": this is what keeps a solution right as the checks
    and chapters change (no assert cell, which a reader who skips the solution
    would trip over).
    """
    problems = []
    solutions = solution_cells(nb)
    for cell in solutions:
        first = cell.source.splitlines()[0] if cell.source else ""
        if not hidden(cell):
            problems.append(f"solution cell not collapsed (jupyter.source_hidden): {first!r}")
        if first.strip() != "# Solution":
            problems.append(f"solution cell's first line, shown when collapsed, is {first!r}")
        if "hide-input" in cell.metadata.get("tags", []):
            problems.append(f"solution cell tagged hide-input (a second fold in HTML): {first!r}")
    answer_lines = {line.strip() for cell in solutions for line in cell.source.splitlines()
                    if line.strip() and not line.strip().startswith(("#", "def ", "checks."))}
    for cell in nb.cells:
        if cell.cell_type == "code" and not hidden(cell):
            shown = answer_lines & {line.strip() for line in cell.source.splitlines()}
            if shown:
                problems.append(f"solution code in plain view: {sorted(shown)[0]!r}")
        if cell.cell_type == "code" and "hide-input" in cell.metadata.get("tags", []) \
                and re.search(r"^def my_", cell.source, re.M):
            problems.append("an exercise answer in a hide-input cell (the old mechanism)")
    n_exercises = sum(len(re.findall(r"\{exercise\}", c.source))
                      for c in nb.cells if c.cell_type == "markdown")
    n_stubs = sum(1 for c in nb.cells if c.cell_type == "code" and "# your code here" in c.source)
    if n_stubs < n_exercises:
        problems.append(f"{n_exercises} exercises but {n_stubs} stub cells ('# your code here')")
    if n_exercises and len(solutions) < n_exercises:
        problems.append(f"{n_exercises} exercises but {len(solutions)} solution code cells")
    for cell in solutions:  # executed: each check report of a solution passes
        for out in cell.get("outputs", []):
            text = "".join(out.get("text", ""))
            if "checks passed" in text and "all passed" not in text:
                problems.append(f"a solution fails its check: {text.splitlines()[-1]!r}")
        if cell.get("outputs") is not None and re.search(r"checks\.\w+\(", cell.source) \
                and cell.get("execution_count") and not cell.outputs:
            problems.append("a solution's check printed nothing")
    return problems


def _notebook(solution_source="# Solution\ndef f(z):\n    return z + 1\n\n\nchecks.check_f(f)",
              hidden_solution=True, stub="def f(z):\n    ...  # your code here",
              report="check_f: your f on 2 cases\n2 of 2 checks passed: all passed, well done!\n",
              extra=None):
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    solution = code(solution_source, metadata={"jupyter": {"source_hidden": hidden_solution}},
                    execution_count=2, outputs=[nbformat.v4.new_output(
                        "stream", name="stdout", text=report)])
    cells = [md("```{exercise} F\n:label: ex-f\nWrite f.\n```"), code(stub),
             md("```{solution-start} ex-f\n:class: dropdown\n```"), solution,
             md("```{solution-end}\n```")] + ([extra] if extra else [])
    return nbformat.v4.new_notebook(cells=cells)


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [({}, None),
     ({"hidden_solution": False}, "solution cell not collapsed"),
     ({"solution_source": "def f(z):\n    return z + 1"}, "first line, shown when collapsed"),
     ({"stub": "def f(z):\n    return z + 1"}, "solution code in plain view"),
     ({"stub": "x = 1"}, "1 exercises but 0 stub cells"),
     ({"report": "check_f: your f\n1 of 2 checks passed: fix the failures above and run again."},
      "a solution fails its check"),
     ({"extra": nbformat.v4.new_code_cell("def my_f(z):\n    return z",
                                          metadata={"tags": ["hide-input"]})},
      "the old mechanism")],
    ids=["follows", "not-collapsed", "answer-on-first-line", "answer-in-plain-view", "no-stub",
         "solution-fails", "hide-input-answer"],
)
def test_the_recipe_rules_catch_each_mistake(kwargs, problem):
    problems = recipe_problems(_notebook(**kwargs))
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


# --- the mechanism, on the tiny book --------------------------------------------


@pytest.fixture(scope="module")
def tiny(tiny_book):
    """The tiny book: (source folder, html folder)."""
    source, build = tiny_book
    assert build.process.returncode == 0, build_log(build)
    return source, build.html


def _article(html_file):
    return BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser").select_one(
        "article")


@pytest.mark.slow
def test_html_shows_the_solution_once_in_a_closed_dropdown(tiny):
    _, html = tiny
    article = _article(html / "book" / "page.html")
    exercise = article.select_one("div.exercise#ex-tiny-relu")
    assert "Exercise 1" in exercise.select_one(".admonition-title").get_text()
    assert exercise.select_one("details.sd-dropdown"), "the hint is folded inside the box"
    (solution,) = article.select("div.solution")
    assert "dropdown" in solution["class"], "sphinx-togglebutton closes .dropdown admonitions"
    assert "Solution to" in solution.get_text() and "Exercise 1" in solution.get_text()
    assert SOLUTION_LINE in solution.get_text()
    assert article.get_text().count(SOLUTION_LINE) == 1, "the solution appears once"
    assert "Show code cell" not in str(solution) and "tag_hide-input" not in str(solution)
    assert "your code here" not in article.get_text(), "the stub is for notebooks only"
    (report,) = [div.get_text().strip() for div in solution.select("div.cell_output")]
    assert report.endswith("7 of 7 checks passed: all passed, well done!"), report  # no True


@pytest.mark.slow
def test_jupyterlab_meets_the_stub_and_a_collapsed_solution(tiny):
    source, _ = tiny
    nb = jupytext.read(source / "book" / "page.md")  # what jupytext gives JupyterLab
    assert recipe_problems(nb) == []
    (stub,) = [c for c in nb.cells if "# your code here" in c.source]
    assert not hidden(stub) and "checks.check_relu(my_relu)" in stub.source
    (solution,) = solution_cells(nb)
    assert hidden(solution) and SOLUTION_LINE in solution.source


@pytest.mark.slow
def test_the_download_is_the_executed_notebook_with_the_stub(tiny):
    _, html = tiny
    page = (html / "book" / "page.html").read_text(encoding="utf-8")
    assert 'href="../_sources/book/page.ipynb"' in page, "the download menu offers .ipynb"
    nb = nbformat.read(html / "_sources" / "book" / "page.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4 and nb.metadata.kernelspec.name == "nnbook"
    assert "jupytext" not in nb.metadata and "source_map" not in nb.metadata
    assert recipe_problems(nb) == []
    (stub,) = [c for c in nb.cells if "# your code here" in c.source]
    assert "my_relu is still the stub" in stub.outputs[0].text  # executed, one line
    (solution,) = solution_cells(nb)
    assert "7 of 7 checks passed" in solution.outputs[0].text
    markdown = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "The answer is 42," in markdown and "{glue" not in markdown
    assert "Fig. 1 is a line" in markdown and "{numref}" not in markdown
    assert not any(out.get("data", {}).keys() & {"application/papermill.record/text/plain"}
                   for c in nb.cells if c.cell_type == "code" for out in c.outputs)


@pytest.mark.slow
def test_the_downloaded_notebook_runs_top_to_bottom_with_its_stub(tiny, tmp_path):
    _, html = tiny
    nb = nbformat.read(html / "_sources" / "book" / "page.ipynb", as_version=4)
    NotebookClient(nb, kernel_name="nnbook", timeout=300,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert not [out for c in nb.cells if c.cell_type == "code" for out in c.outputs
                if out.output_type == "error"]


# --- the chapters ------------------------------------------------------------------


def chapters():
    """The chapters that are notebooks (they have a kernelspec), in the order of the toc."""
    pages = [ROOT / f"{page}.md" for page in toc_pages()]
    return [p for p in pages if p.is_file() and "kernelspec:" in p.read_text(encoding="utf-8")]


def numbered_chapters():
    """The notebooks of the toc's numbered parts: the chapters that teach, each with exercises.

    The Reference part's pages (the running page, the questions from the labs, the
    glossary) are not numbered; a notebook among them has no exercise.
    """
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    numbered = {entry["file"] for part in toc["parts"] if part.get("numbered")
                for entry in part["chapters"]}
    return [p for p in chapters() if p.relative_to(ROOT).with_suffix("").as_posix() in numbered]


def test_only_the_reference_pages_skip_the_exercise_recipe():
    assert {p.stem for p in chapters()} - {p.stem for p in numbered_chapters()} == {"lab_questions"}


@pytest.mark.parametrize("chapter", numbered_chapters(), ids=lambda p: p.stem)
def test_each_chapter_follows_the_exercise_recipe(chapter):
    nb = jupytext.read(chapter)
    assert any("{exercise}" in c.source for c in nb.cells if c.cell_type == "markdown"), \
        "every chapter ends with at least one exercise"
    assert recipe_problems(nb) == []


# --- the downloads of the full build ---------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("chapter", chapters(), ids=lambda p: p.stem)
def test_each_chapter_downloads_as_an_executed_notebook(built_book, chapter):
    assert built_book.process.returncode == 0, "the book did not build; see test_book.py"
    name = chapter.relative_to(ROOT).with_suffix("").as_posix()  # book/relu
    page = (built_book.html / f"{name}.html").read_text(encoding="utf-8")
    assert f'href="../_sources/{name}.ipynb"' in page, "no .ipynb in the download menu"
    nb = nbformat.read(built_book.html / "_sources" / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4 and nb.metadata.kernelspec.name == "nnbook"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert sum(bool(c.outputs) for c in code) >= len(code) // 3, "the outputs are missing"
    markdown = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert not re.search(r"\{glue(:\w+)?\}`(?![^`]*::)", markdown), "a glue role was left"
    assert "{numref}" not in markdown, "a figure or table reference was left unnumbered"
    assert not any("pdf-only" in c.metadata.get("tags", []) for c in nb.cells), \
        "the PDF's still figures belong in the PDF only"
    if any("{exercise}" in c.source for c in nb.cells if c.cell_type == "markdown"):
        assert recipe_problems(nb) == []


@pytest.mark.slow
def test_a_downloaded_chapter_runs_end_to_end_with_the_nnbook_kernel(built_book, tmp_path):
    """The data chapter (the shortest), run from a folder with nothing but the notebook."""
    nb = nbformat.read(built_book.html / "_sources" / "book" / "data.ipynb", as_version=4)
    NotebookClient(nb, kernel_name="nnbook", timeout=600,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [out for c in nb.cells if c.cell_type == "code" for out in c.outputs
              if out.output_type == "error"]
    assert not errors, errors[0]


@pytest.mark.slow
def test_the_running_page_tables_every_chapters_execution(built_book):
    soup = BeautifulSoup((built_book.html / "book" / "running.html").read_text(encoding="utf-8"),
                         "html.parser")
    (table,) = soup.select("article table")
    rows = {tr.select("td")[0].get_text(strip=True): [td.get_text(strip=True)
                                                      for td in tr.select("td")]
            for tr in table.select("tbody tr")}
    for chapter in chapters():
        name = chapter.relative_to(ROOT).with_suffix("").as_posix()
        assert name in rows, f"{name} is not in the execution table"
        assert float(rows[name][3]) > 0 and rows[name][4] == "✅", rows[name]
    for way in ("make lab", ".ipynb"):
        assert way in soup.select_one("article").get_text()
