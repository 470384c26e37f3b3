"""Sphinx extension: the PDF edition, made by the LaTeX builder from the HTML book's sources.

``make pdf`` runs Sphinx's LaTeX builder (through ``jupyter-book build --builder
latex``) on the same chapters and the same executed outputs (jupyter-cache) as
``make book``, then xelatex. This extension turns what the builder makes of a
web book into a printed one, and keeps the HTML pages as they were:

- **Stand-ins.** A cell tagged ``pdf-only`` is shown in the PDF only: the still
  figures of the explorers and of the draw-a-digit pad (``nnbook.stills``). Its
  figure has no number, and its caption is printed as a legend, so that the
  PDF's figure numbers are the HTML book's. An output that is an explorer or the pad
  (HTML made by ``nnbook.explorers`` or ``nnbook.pad``, which paper cannot show) is left out of
  the PDF.
- **Solutions.** Each exercise's solution moves to an appendix, "Solutions", one
  section per chapter; under the exercise, a line gives the solution's page,
  and each solution gives its exercise's.
- **Answers.** The self-check questions (``quiz.py``) print with their options
  only; the next appendix, "Answers to the self-check questions", lists each
  one's right option and every option's explanation, and under each question
  a line gives the page of its answer.
- **Student edition.** With sphinx-exercise's ``hide_solutions: true`` the HTML
  pages and the PDF have no solutions (and the PDF no appendix of them).
  sphinx-exercise 1.2 cannot hide the gated ``{solution-start}`` /
  ``{solution-end}`` solutions that the chapters use (it drops the start and
  keeps the rest, which no builder can write), so this extension takes the
  setting over: sphinx-exercise builds every solution, and they are removed
  from every page as it is written.
- **Book structure.** The root page becomes an unnumbered chapter,
  "Introduction"; the last part's chapters are appendices (A, B, ...); the page
  that holds the bibliography gives way to the bibliography itself,
  "References", at the end; each ``{term}`` reference adds its page to the
  index, whose entries are the glossary's terms (the glossary's own page in bold).
- **Long outputs** are cut to their first and last lines, with a line that says
  how many were cut.

The LaTeX side (page numbers, headings, the back of the title page) is
``book/_latex/nnbook.sty``, and the index's xindy rules ``nnbook.xdy``;
``book/_latex/bbm.sty`` stands in for the package of that name, which the
jupyterBook LaTeX class loads but the book does not use.
"""

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.texescape import escape as tex_escape
from sphinx_exercise.nodes import solution_node

from quiz import answer_of, quiz_question  # the book's own extension, in book/_ext

PDF_ONLY = "tag_pdf-only"  # the class myst-nb gives a cell tagged pdf-only
# The outer element of the HTML that nnbook.explorers and nnbook.pad make.
INTERACTIVE = re.compile(r'^\s*<div class="nnbook-(explorer|pad)"')
# An output longer than MAX_LINES keeps its first HEAD_LINES and last TAIL_LINES.
MAX_LINES, HEAD_LINES, TAIL_LINES = 40, 30, 5
LATEX_FILES = ["book/_latex/nnbook.sty", "book/_latex/nnbook.xdy", "book/_latex/bbm.sty"]


def _is_latex(app):
    return app.builder.format == "latex"


def _cells(document):
    return [node for node in document.findall(nodes.container) if "cell" in node["classes"]]


def _raw(latex):
    return nodes.raw("", latex, format="latex")


class HideSolutions(SphinxPostTransform):
    """In the student edition, drop every solution."""

    default_priority = 3  # before sphinx-exercise's post-transforms title them

    def run(self, **kwargs):
        if self.config.nnbook_student_edition:
            for solution in list(self.document.findall(solution_node)):
                solution.parent.remove(solution)


class UnnumberedStandIns(SphinxTransform):
    """Give a ``pdf-only`` cell's figure no id, so that no figure number goes to it.

    myst-nb gives every figure an id, and Sphinx numbers every figure with
    one; a stand-in numbered in the HTML book too would leave a gap there.
    """

    default_priority = 500

    def apply(self, **kwargs):
        for cell in _cells(self.document):
            if PDF_ONLY in cell["classes"]:
                for figure in cell.findall(nodes.figure):
                    figure["ids"] = []


class RemovePdfOnlyCells(SphinxPostTransform):
    """Outside the PDF, drop the cells tagged ``pdf-only``."""

    default_priority = 3

    def run(self, **kwargs):
        if _is_latex(self.app):
            return
        for cell in _cells(self.document):
            if PDF_ONLY in cell["classes"]:
                cell.parent.remove(cell)


class PrintableOutputs(SphinxPostTransform):
    """In the PDF: no explorer or pad HTML, stand-in captions as legends, long outputs cut.

    Runs before myst-nb picks one output format per builder (priority 4),
    while an output still holds its HTML.
    """

    default_priority = 3
    formats = ("latex",)

    def run(self, **kwargs):
        for cell in _cells(self.document):
            if any(INTERACTIVE.match(node.astext())
                   for node in cell.findall(nodes.raw) if node.get("format") == "html"):
                cell.parent.remove(cell)
            elif PDF_ONLY in cell["classes"]:
                for figure in cell.findall(nodes.figure):
                    for caption in list(figure.findall(nodes.caption)):
                        legend = nodes.legend("", nodes.paragraph("", "", *caption.children))
                        caption.replace_self(legend)
        for block in self.document.findall(nodes.literal_block):
            if "output" in block["classes"]:
                cut_long_output(block)


def cut_long_output(block, max_lines=MAX_LINES, head=HEAD_LINES, tail=TAIL_LINES):
    """Keep the first ``head`` and last ``tail`` lines of a literal block longer than ``max_lines``."""
    lines = block.astext().split("\n")
    if len(lines) <= max_lines:
        return
    cut = len(lines) - head - tail
    note = f"[... {cut} lines cut here; the HTML book shows the whole output ...]"
    block.children = [nodes.Text("\n".join(lines[:head] + [note] + lines[-tail:]))]


class BookStructure(SphinxPostTransform):
    """Solutions appendix, introduction, appendices, bibliography and index of terms.

    Runs on the whole book, assembled into one doctree by the LaTeX builder,
    after sphinx-jupyterbook-latex has made its parts (priority 700).
    """

    default_priority = 750
    formats = ("latex",)

    def run(self, **kwargs):
        if self.app.project.path2doc(self.document["source"]) != self.config.root_doc:
            return
        appendices = self._last_part()  # the last part's chapters are appendices
        new = [node for node in (self._solutions_appendix(), self._answers_appendix()) if node]
        if appendices is None:  # a book without parts: the new appendices go at its end
            appendices = self.document
            appendices += [_raw("\n\\appendix\n"), *new]
        else:
            appendices[0:0] = [_raw("\n\\appendix\n"), *new]
        self._introduction()
        self._bibliography()
        self._index_terms()
        self._run_in_hints()

    def _files(self):
        return {node["docname"]: node for node in self.document.findall(addnodes.start_of_file)}

    def _last_part(self):
        """The toctree wrapper that holds the chapters of the book's last part, if any."""
        if not getattr(self.env, "jblatex_captions_to_parts", False):
            return None
        parts = [node for node in self.document.children
                 if isinstance(node, nodes.compound) and "toctree-wrapper" in node["classes"]]
        return next(parts[-1].findall(
            lambda node: isinstance(node, nodes.compound) and node is not parts[-1]
            and "toctree-wrapper" in node["classes"]))

    def _solutions_appendix(self):
        """Move every solution into a new chapter, "Solutions", grouped by chapter."""
        by_chapter = {}
        parents = _parents(self.document)
        for solution in list(self.document.findall(solution_node)):
            chapter = _enclosing_file(solution, parents)
            label = _solution_label(self.env, solution)
            exercise = "exercise:" + solution["target_label"]
            parents[solution].replace(solution, _raw(
                f"\n\\par\\noindent\\hyperref[{label}]{{\\sphinxstyleemphasis{{The solution is "
                f"on page~\\pageref*{{{label}}}.}}}}\\par\n"))
            title = solution.next_node(nodes.title)
            title.append(nodes.Text(" "))
            title.append(_raw(f"\\hyperref[{exercise}]{{(page~\\pageref*{{{exercise}}})}}"))
            by_chapter.setdefault(chapter, []).append(solution)
        if not by_chapter:
            return None
        chapter = nodes.section("", nodes.title("", "Solutions"), ids=["solutions"],
                                names=["solutions"])
        chapter += nodes.paragraph("", "Each exercise's solution, by chapter, as the HTML "
                                       "book shows it when the solution is opened.")
        for docname, solutions in by_chapter.items():
            number = ".".join(map(str, self.env.toc_secnumbers[docname][""]))
            heading = tex_escape(f"{number} {self.env.titles[docname].astext()}")
            chapter += _raw(f"\n\\section*{{{heading}}}\n")
            boxed = []
            for solution in solutions:  # each on one page: a box split across pages reads badly
                boxed += [_raw("\n\\par\\noindent\\begin{minipage}{\\linewidth}\n"), solution,
                          _raw("\n\\end{minipage}\\par\\medskip\n")]
            chapter += addnodes.start_of_file("", *boxed, docname=docname)
        return addnodes.start_of_file("", chapter, docname="solutions")

    def _answers_appendix(self):
        """A chapter, "Answers to the self-check questions"; under each question, its page."""
        by_chapter = {}
        parents = _parents(self.document)
        for question in list(self.document.findall(quiz_question)):
            docname = _enclosing_file(question, parents)
            target, answer = f"{docname}:{question['ids'][0]}", f"quizanswer:{question['ids'][0]}"
            parent = parents[question]
            parent.insert(parent.index(question) + 1, _raw(
                f"\n\\par\\noindent\\hyperref[{answer}]{{\\sphinxstyleemphasis{{The answer is "
                f"on page~\\pageref*{{{answer}}}.}}}}\\par\\medskip\n"))
            entry, explanations = answer_of(question)
            entry.insert(0, _raw(f"\\label{{{answer}}}"))
            entry += _raw(f" \\hyperref[{target}]{{(page~\\pageref*{{{target}}})}}")
            by_chapter.setdefault(docname, []).extend([entry, explanations])
        if not by_chapter:
            return None
        chapter = nodes.section("", nodes.title("", "Answers to the self-check questions"),
                                ids=["quiz-answers"], names=["answers to the self-check questions"])
        chapter += nodes.paragraph("", "Each question's right option and why every option is "
                                       "right or wrong, by chapter, as the HTML book explains "
                                       "them when an option is chosen.")
        for docname, content in by_chapter.items():
            number = ".".join(map(str, self.env.toc_secnumbers[docname][""]))
            heading = tex_escape(f"{number} {self.env.titles[docname].astext()}")
            chapter += _raw(f"\n\\section*{{{heading}}}\n")
            chapter += addnodes.start_of_file("", *content, docname=docname)
        return addnodes.start_of_file("", chapter, docname="quiz-answers")

    def _introduction(self):
        """Give the root page's text a heading: an unnumbered chapter, "Introduction"."""
        root = self.document.next_node(nodes.section)
        root.insert(1, _raw("\n\\chapter*{Introduction}\\addcontentsline{toc}{chapter}"
                            "{Introduction}\\markboth{Introduction}{Introduction}\n"))
        for header in list(root.findall(lambda node: type(node).__name__ == "RootHeader")):
            header.replace_self(_raw(f"\n\\section*{{{tex_escape(header.astext())}}}\n"))

    def _bibliography(self):
        """Drop the page that held the bibliography; the bibliography takes its labels."""
        domain = self.env.get_domain("cite")
        for docname in {key.docname for key in domain.bibliographies}:
            page = self._files()[docname]
            labels = dict.fromkeys([f"{docname}::doc"] + [
                f"{docname}:{ident}" for ident in page.next_node(nodes.section)["ids"]])
            _parents(self.document)[page].remove(page)
            self.document += _raw("\n\\def\\nnbookbibliographylabels{"
                                  + "".join(f"\\label{{\\detokenize{{{label}}}}}"
                                            for label in labels) + "}\n")
            bibliography = self.document.next_node(
                lambda node: type(node).__name__ == "thebibliography")
            _parents(self.document)[bibliography].remove(bibliography)
            self.document += bibliography

    def _run_in_hints(self):
        """A folded dropdown's title (an exercise's hint) as a bold run-in heading, not a section."""
        for dropdown in self.document.findall(
                lambda node: isinstance(node, nodes.container)
                and node.get("design_component") == "dropdown"):
            title = dropdown.children[0]
            if isinstance(title, nodes.rubric):
                heading = nodes.strong("", "", *title.children)
                dropdown.remove(title)
                if dropdown.children and isinstance(dropdown.children[0], nodes.paragraph):
                    dropdown.children[0].insert(0, heading)
                    heading.insert(len(heading.children), nodes.Text(". "))
                else:
                    dropdown.insert(0, nodes.paragraph("", "", heading))

    def _index_terms(self):
        """Index each ``{term}`` reference under its glossary term."""
        terms = {}
        for term in self.document.findall(nodes.term):
            for ident in term["ids"]:
                terms[ident] = term.astext()
        parents = _parents(self.document)
        for reference in list(self.document.findall(nodes.reference)):
            if not reference.next_node(
                    lambda node: isinstance(node, nodes.Element) and "std-term" in node["classes"]):
                continue
            target = reference.get("refid") or reference.get("refuri", "").rpartition("#")[2]
            if target in terms:
                index = addnodes.index(entries=[("single", terms[target], target, "", None)],
                                       inline=True)
                parent = parents[reference]
                parent.insert(parent.index(reference), index)


def _parents(document):
    """Each node's parent, found from the top down.

    sphinx-jupyterbook-latex moves nodes by copying children lists, which leaves
    their ``parent`` attributes pointing at nodes no longer in the tree.
    """
    return {child: node for node in document.findall(nodes.Element) for child in node.children}


def _enclosing_file(node, parents):
    while not isinstance(node, addnodes.start_of_file):
        node = parents[node]
    return node["docname"]


def _solution_label(env, solution):
    """The LaTeX label that sphinx-exercise gives a solution."""
    docname = env.sphinx_exercise_registry[solution["label"]]["docname"]
    return f"{docname}:{solution['label']}"


def _setup(app, config):
    config.nnbook_student_edition, config.hide_solutions = config.hide_solutions, False
    config.latex_additional_files = list(config.latex_additional_files) + LATEX_FILES
    elements = config.latex_elements
    student = "\\nnbookstudenttrue" if config.nnbook_student_edition else ""
    elements["preamble"] = elements.get("preamble", "") + f"\n\\usepackage{{nnbook}}{student}\n"


def _chapter_numbers(app):
    """Number figures, exercises and equations by chapter, as the HTML book does.

    With parts, sphinx-jupyterbook-latex sets ``numfig_secnum_depth`` to 2, so
    that the LaTeX writer resets LaTeX's counters at each chapter; but Sphinx
    then numbers the exercises by section (Exercise 1.4.1, where the HTML book
    has Exercise 1.1). Depth 1 numbers them as the HTML book does, and
    ``nnbook.sty`` resets the LaTeX counters at each chapter itself.
    """
    if _is_latex(app):
        app.config.numfig_secnum_depth = 1


def setup(app):
    # set from hide_solutions (see HideSolutions); "env": a change re-reads the chapters
    app.add_config_value("nnbook_student_edition", False, "env")
    app.connect("config-inited", _setup)
    app.connect("builder-inited", _chapter_numbers, priority=600)  # after sphinx-jupyterbook-latex
    app.add_transform(UnnumberedStandIns)
    app.add_post_transform(HideSolutions)
    app.add_post_transform(RemovePdfOnlyCells)
    app.add_post_transform(PrintableOutputs)
    app.add_post_transform(BookStructure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
