"""Sphinx extension: self-check questions, answered in the page.

A question is written in a chapter as plain MyST that any MyST reader shows
(jupyterlab-myst in ``make lab`` and in a downloaded notebook): an admonition
of class ``quiz`` with the question, its options as a bullet list, each
starting with a bold letter, and a folded dropdown that explains every
option, the right one first marked ``Right.``, the others ``Wrong.``::

    ````{admonition} Question 1
    :class: quiz

    How many parameters has `Dense(15)` on 25 inputs?

    - **A.** {glue:text}`q_no_bias`
    - **B.** {glue:text}`q_params`

    ```{dropdown} Answer
    - **A. Wrong.** That counts the weights and forgets the 15 biases.
    - **B. Right.** 25 × 15 weights and one bias per unit.
    ```
    ````

When Sphinx reads a page, each such admonition becomes a ``quiz_question``
node (a malformed one fails the strict build with a warning that says what
is wrong). The HTML is a group of buttons, one per option, and a live region
that shows the chosen option's explanation (``book/_static/nnbook-quiz.js``
and ``.css``, loaded only by the pages with questions). The interface the
tests use: ``data-quiz-question`` on each question, ``data-quiz-option`` on
each option button, ``data-quiz-state`` ("right" or "wrong") on the question
after a choice, and ``data-quiz-feedback`` on the element that shows the
explanation.

LaTeX and text print the question with its options, A, B, C, ..., and no
answer; :func:`answer_of` gives a question's answer and explanations as
nodes, which the PDF edition (``pdf_edition.py``) gathers into an appendix.
"""

import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC = HERE.parent / "_static"
SCRIPT, STYLE = "nnbook-quiz.js", "nnbook-quiz.css"
OPTION = re.compile(r"([A-Z])\.")
EXPLANATION = re.compile(r"([A-Z])\. (Right|Wrong)\.")


class quiz_question(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes so)
    """A question: its title, stem, options and feedback."""


class quiz_options(nodes.General, nodes.Element):  # noqa: N801
    """The options of a question, in order."""


class quiz_option(nodes.General, nodes.Element):  # noqa: N801
    """One option; ``letter`` is A, B, ...; its children are inline nodes."""


class quiz_feedback(nodes.General, nodes.Element):  # noqa: N801
    """The explanations of a question's options (shown one at a time in HTML)."""


class quiz_explanation(nodes.General, nodes.Element):  # noqa: N801
    """Why option ``letter`` is right (``right`` True) or wrong."""


class QuizFormatError(ValueError):
    """A ``quiz`` admonition that does not follow the format in the module docstring."""


# --- reading: admonition -> quiz_question ------------------------------------------------


def _lead(item, pattern):
    """The match of ``pattern`` on the bold text that opens list item ``item``, and its paragraph."""
    paragraph = item.children[0] if item.children else None
    if isinstance(paragraph, nodes.paragraph):  # MyST may open a paragraph with an empty text
        for empty in [c for c in paragraph.children if isinstance(c, nodes.Text) and not c.astext()]:
            paragraph.remove(empty)
    if not isinstance(paragraph, nodes.paragraph) or not paragraph.children \
            or not isinstance(paragraph[0], nodes.strong):
        raise QuizFormatError(f"a list item does not start with bold text: {item.astext()[:60]!r}")
    match = pattern.fullmatch(paragraph[0].astext().strip())
    if match is None:
        raise QuizFormatError(f"{paragraph[0].astext()!r} should read like "
                              f"{'A.' if pattern is OPTION else 'A. Right. or A. Wrong.'}")
    return match, paragraph


def _strip_lead(paragraph):
    """Remove the bold lead and the space after it from ``paragraph``."""
    paragraph.remove(paragraph[0])
    if paragraph.children and isinstance(paragraph[0], nodes.Text):
        text = paragraph[0].astext().lstrip()
        paragraph.replace(paragraph[0], nodes.Text(text))


def question_from_admonition(admonition, qid):
    """The ``quiz_question`` node for a ``quiz`` admonition; raises QuizFormatError."""
    title = admonition.next_node(nodes.title)
    lists = [c for c in admonition.children if isinstance(c, nodes.bullet_list)]
    dropdowns = [c for c in admonition.children
                 if isinstance(c, nodes.container) and c.get("design_component") == "dropdown"]
    if title is None or len(lists) != 1 or len(dropdowns) != 1:
        raise QuizFormatError("a question needs a title, one bullet list of options and one "
                              "{dropdown} of explanations")
    (options_list,), (dropdown,) = lists, dropdowns
    if admonition.index(dropdown) != len(admonition) - 1 \
            or admonition.index(options_list) != admonition.index(dropdown) - 1:
        raise QuizFormatError("the options must come just before the dropdown, which ends "
                              "the question")
    explanation_lists = [c for c in dropdown.children if isinstance(c, nodes.bullet_list)]
    if len(explanation_lists) != 1 or len(dropdown.children) != 2:
        raise QuizFormatError("the dropdown must hold one bullet list, an explanation per option")

    question = quiz_question(ids=[qid], title=title.astext())
    for child in admonition.children[1:admonition.index(options_list)]:
        question += child.deepcopy()  # the stem: what comes between the title and the options

    options = quiz_options()
    letters = []
    for item in options_list.children:
        match, paragraph = _lead(item, OPTION)
        if len(item.children) != 1:
            raise QuizFormatError(f"option {match.group(1)} must be a single paragraph")
        _strip_lead(paragraph)
        letters.append(match.group(1))
        options += quiz_option("", *paragraph.deepcopy().children, letter=match.group(1))
    question += options

    feedback = quiz_feedback()
    verdicts = {}
    for item in explanation_lists[0].children:
        match, paragraph = _lead(item, EXPLANATION)
        letter, verdict = match.groups()
        _strip_lead(paragraph)
        verdicts[letter] = verdict == "Right"
        feedback += quiz_explanation("", *(c.deepcopy() for c in item.children),
                                     letter=letter, right=verdict == "Right")
    expected = [chr(ord("A") + i) for i in range(len(letters))]
    if letters != expected or len(letters) < 2:
        raise QuizFormatError(f"the options must be lettered {', '.join(expected) or 'A, B'} "
                              f"in order, not {', '.join(letters)}")
    if [e["letter"] for e in feedback.children] != letters:
        raise QuizFormatError("the explanations must follow the options' letters, in order")
    if sum(verdicts.values()) != 1:
        raise QuizFormatError(f"exactly one option must be Right, not {sum(verdicts.values())}")
    question += feedback
    question.source, question.line = admonition.source, admonition.line
    return question


def _read_questions(app, doctree):
    docname = app.env.docname
    found = []
    for admonition in list(doctree.findall(nodes.admonition)):
        if "quiz" not in admonition["classes"]:
            continue
        qid = f"quiz-{docname.rsplit('/', 1)[-1]}-{len(found) + 1}"
        try:
            question = question_from_admonition(admonition, qid)
        except QuizFormatError as error:
            logger.warning("malformed question: %s", error, location=admonition)
            continue
        admonition.replace_self(question)
        found.append(question)


# --- the answer, for the PDF's appendix -----------------------------------------------------


def answer_of(question):
    """``question``'s answer as nodes: a paragraph "Question 1: B." and every option's explanation.

    The explanations are copies of the question's own nodes, each led by its
    letter and verdict ("A. Wrong."), as a bullet list.
    """
    right = next(e["letter"] for e in question.findall(quiz_explanation) if e["right"])
    entry = nodes.paragraph("", "", nodes.strong("", question["title"]), nodes.Text(f": {right}."))
    explanations = nodes.bullet_list()
    for explanation in question.findall(quiz_explanation):
        item = nodes.list_item("", *(c.deepcopy() for c in explanation.children))
        verdict = "Right" if explanation["right"] else "Wrong"
        lead = nodes.strong("", f"{explanation['letter']}. {verdict}. ")
        if item.children and isinstance(item[0], nodes.paragraph):
            item[0].insert(0, lead)
        else:
            item.insert(0, nodes.paragraph("", "", lead))
        explanations += item
    return entry, explanations


# --- HTML ------------------------------------------------------------------------------------


def visit_question_html(self, node):
    self.body.append(self.starttag(node, "div", CLASS="nnbook-quiz admonition",
                                   **{"data-quiz-question": ""}))
    title_id = f"{node['ids'][0]}-title"
    self.body.append(f'<p class="admonition-title" id="{title_id}">'
                     f"{self.encode(node['title'])}</p>")


def depart_question_html(self, node):
    self.body.append(f'<button type="button" class="nnbook-quiz-reset" '
                     f'aria-label="Reset {self.attval(node["title"])}" hidden>Reset</button>'
                     "</div>\n")


def visit_options_html(self, node):
    title_id = f"{node.parent['ids'][0]}-title"
    self.body.append(f'<div class="nnbook-quiz-options" role="group" '
                     f'aria-labelledby="{title_id}">')


def depart_options_html(self, node):
    self.body.append("</div>")


def visit_option_html(self, node):
    self.body.append(f'<button type="button" class="nnbook-quiz-option" '
                     f'data-quiz-option="{node["letter"]}" aria-pressed="false">'
                     f'<span class="nnbook-quiz-letter">{node["letter"]}.</span> '
                     '<span class="nnbook-quiz-text">')


def depart_option_html(self, node):
    self.body.append("</span></button>")


def visit_feedback_html(self, node):
    self.body.append('<div class="nnbook-quiz-feedback" data-quiz-feedback role="status" '
                     'aria-live="polite"><p class="nnbook-quiz-verdict"></p>')


def depart_feedback_html(self, node):
    self.body.append("</div>")


def visit_explanation_html(self, node):
    self.body.append(f'<div class="nnbook-quiz-explanation" data-quiz-explains='
                     f'"{node["letter"]}" data-quiz-right="{str(node["right"]).lower()}" '
                     "hidden>")


def depart_explanation_html(self, node):
    self.body.append("</div>")


# --- LaTeX -----------------------------------------------------------------------------------


def visit_question_latex(self, node):
    self.body.append("\n" + r"\begin{sphinxadmonition}{note}{"
                     + self.encode(node["title"]) + "}" + self.hypertarget_to(node) + "\n")


def depart_question_latex(self, node):
    self.body.append("\n" + r"\end{sphinxadmonition}" + "\n")


def visit_options_latex(self, node):
    self.body.append("\n" + r"\begin{enumerate}" + "\n"
                     + r"\sphinxsetlistlabels{\Alph}{enumi}{enumii}{}{.}%" + "\n")


def depart_options_latex(self, node):
    self.body.append(r"\end{enumerate}" + "\n")


def visit_option_latex(self, node):
    self.body.append(r"\item {} ")


def depart_option_latex(self, node):
    self.body.append("\n")


# --- text ------------------------------------------------------------------------------------


def visit_question_text(self, node):
    self.new_state(0)
    self.add_text(node["title"])
    self.end_state()


def visit_option_text(self, node):
    self.new_state(3)
    self.add_text(f"{node['letter']}. ")


def depart_option_text(self, node):
    self.end_state(first="")


def skip(self, node):
    raise nodes.SkipNode


def visit_passthrough(self, node):
    pass


def depart_passthrough(self, node):
    pass


# --- setup -----------------------------------------------------------------------------------


def _configure(app, config):
    config.html_static_path.extend(str(STATIC / name) for name in (SCRIPT, STYLE))


def _page_assets(app, pagename, templatename, context, doctree):
    if doctree is not None and next(doctree.findall(quiz_question), None) is not None:
        app.add_css_file(STYLE)
        app.add_js_file(SCRIPT, loading_method="defer")


def setup(app):
    passthrough = (visit_passthrough, depart_passthrough)
    app.add_node(quiz_question, html=(visit_question_html, depart_question_html),
                 latex=(visit_question_latex, depart_question_latex),
                 text=(visit_question_text, depart_passthrough))
    app.add_node(quiz_options, html=(visit_options_html, depart_options_html),
                 latex=(visit_options_latex, depart_options_latex), text=passthrough)
    app.add_node(quiz_option, html=(visit_option_html, depart_option_html),
                 latex=(visit_option_latex, depart_option_latex),
                 text=(visit_option_text, depart_option_text))
    app.add_node(quiz_feedback, html=(visit_feedback_html, depart_feedback_html),
                 latex=(skip, None), text=(skip, None))
    app.add_node(quiz_explanation, html=(visit_explanation_html, depart_explanation_html),
                 latex=(skip, None), text=(skip, None))
    app.connect("config-inited", _configure)
    app.connect("doctree-read", _read_questions)
    app.connect("html-page-context", _page_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
