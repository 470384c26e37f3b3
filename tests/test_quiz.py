"""The self-check questions: the bank in the chapters, the extension, the page, the notebook.

A question is a ``quiz`` admonition in a chapter's MyST (the format is in
``book/_ext/quiz.py``). The bank is read here from the sources by a parser of
its own, so the tests check the extension against a second reading:

- every chapter from ReLU to the CNN has a "Check yourself" section just
  before its summary, with at least four questions, each with options A, B,
  ..., one explanation per option and exactly one right option;
- every glued number of a question is computed in the chapter, and equals a
  reference computed here (Keras, TensorFlow, SciPy) from the build's glue;
- the extension turns a question into its nodes and refuses a malformed one;
- in Chromium, on every chapter page, each question answered wrong and then
  right by keyboard shows the state and the chosen option's explanation, a
  reset clears it, with no console error, no request off the machine, no
  axe-core finding, and nothing wider than a 390-px phone;
- a downloaded notebook shows the questions with their answers folded, in
  its Markdown and in JupyterLab (jupyterlab-myst).
"""

import json
import math
import re
from urllib.parse import urlparse

import nbformat
import numpy as np
import pytest
from docutils import nodes

from conftest import PHONE, ROOT, open_page

import quiz  # a Sphinx extension of the book (conftest.py puts book/_ext on sys.path)

CHAPTERS = ["relu", "softmax", "losses", "data", "model", "training", "classifier", "pad",
            "scratch", "cnn"]
MIN_QUESTIONS = 4

QUESTION = re.compile(r"^````\{admonition\} (?P<title>[^\n]+)\n:class: quiz\n\n(?P<body>.*?)^````$",
                      re.M | re.S)
OPTION = re.compile(r"^- \*\*([A-Z])\.\*\* (.+?)(?=^- \*\*|^\n|\Z)", re.M | re.S)
EXPLANATION = re.compile(r"^- \*\*([A-Z])\. (Right|Wrong)\.\*\* (.+?)(?=^- \*\*|^```|\Z)",
                         re.M | re.S)
GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`:]+)")


def questions_in(source):
    """The questions of a chapter's MyST: [{title, stem, options, explanations}, ...]."""
    found = []
    for match in QUESTION.finditer(source):
        body = match.group("body")
        head, _, answer = body.partition("```{dropdown} Answer\n")
        stem, _, _ = head.partition("\n- **A.**")
        found.append({
            "title": match.group("title"),
            "stem": stem.strip(),
            "options": [(letter, text.strip()) for letter, text in OPTION.findall(head)],
            "explanations": [(letter, verdict, text.strip())
                             for letter, verdict, text in EXPLANATION.findall(answer)],
            "text": body,
        })
    return found


def chapter_source(name):
    return (ROOT / "book" / f"{name}.md").read_text(encoding="utf-8")


def right_letter(question):
    (letter,) = [letter for letter, verdict, _ in question["explanations"] if verdict == "Right"]
    return letter


# --- the bank --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CHAPTERS)
def test_each_chapter_checks_itself_just_before_its_summary(name):
    source = chapter_source(name)
    headings = re.findall(r"^## (.+)$", source, re.M)
    assert headings[-2:] == ["Check yourself", "Summary"], headings
    section = source.split("\n## Check yourself\n")[1].split("\n## Summary\n")[0]
    questions = questions_in(source)
    assert len(questions) >= MIN_QUESTIONS
    assert len(questions_in(section)) == len(questions), "a question outside Check yourself"
    assert [q["title"] for q in questions] == [f"Question {i}" for i in
                                                range(1, len(questions) + 1)]


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_question_has_one_right_option_and_an_explanation_for_each(name):
    for question in questions_in(chapter_source(name)):
        title = f"{name}, {question['title']}"
        letters = [letter for letter, _ in question["options"]]
        assert len(letters) >= 3, f"{title}: {letters}"
        assert letters == [chr(ord("A") + i) for i in range(len(letters))], title
        assert [letter for letter, _, _ in question["explanations"]] == letters, title
        assert [v for _, v, _ in question["explanations"]].count("Right") == 1, title
        assert question["stem"].rstrip().endswith(("?", "...", ".")), title
        for letter, _, text in question["explanations"]:
            assert len(text.split()) >= 8, f"{title}, {letter}: {text!r} explains too little"
        assert len({text for _, text in question["options"]}) == len(letters), title


def test_the_answers_are_spread_over_the_letters():
    """The right option is not always in the same place."""
    letters = [right_letter(q) for name in CHAPTERS for q in questions_in(chapter_source(name))]
    assert len(set(letters)) >= 3 and max(map(letters.count, set(letters))) <= len(letters) / 2


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_glued_number_of_a_question_is_computed_in_the_chapter(name):
    source = chapter_source(name)
    # glue("key", ...) or glue(f"key{i}", ...): a name, or a pattern of names
    names = [re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(name))
             for name in re.findall(r"\bglue\(\s*f?\"([^\"]+)\"", source)]
    for question in questions_in(source):
        missing = {key for key in GLUE_ROLE.findall(question["text"])
                   if not any(re.fullmatch(name, key) for name in names)}
        assert not missing, f"{name}, {question['title']}: {missing} not glued in the chapter"


def test_the_bank_holds_at_least_forty_questions():
    counts = {name: len(questions_in(chapter_source(name))) for name in CHAPTERS}
    print("\nquestions per chapter:", counts, "in all", sum(counts.values()))
    assert sum(counts.values()) >= 40


# --- the extension, on hand-made doctrees --------------------------------------------------


def _item(lead, text):
    return nodes.list_item("", nodes.paragraph("", "", nodes.Text(""), nodes.strong("", lead),
                                               nodes.Text(" " + text)))


def _admonition(options=("A.", "B."), verdicts=("A. Wrong.", "B. Right."), extra=()):
    dropdown = nodes.container("", nodes.rubric("", "Answer"),
                               nodes.bullet_list("", *(_item(v, "because.") for v in verdicts)),
                               design_component="dropdown")
    return nodes.admonition("", nodes.title("", "Question 1"), nodes.paragraph("", "Which?"),
                            *extra, nodes.bullet_list("", *(_item(o, "x") for o in options)),
                            dropdown, classes=["quiz"])


def test_a_question_becomes_its_nodes():
    question = quiz.question_from_admonition(_admonition(), "quiz-page-1")
    assert question["ids"] == ["quiz-page-1"] and question["title"] == "Question 1"
    assert question[0].astext() == "Which?"
    options = list(question.findall(quiz.quiz_option))
    assert [o["letter"] for o in options] == ["A", "B"]
    assert [o.astext() for o in options] == ["x", "x"]  # the bold letter is gone
    explanations = list(question.findall(quiz.quiz_explanation))
    assert [(e["letter"], e["right"]) for e in explanations] == [("A", False), ("B", True)]
    assert [e.astext() for e in explanations] == ["because.", "because."]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"verdicts": ("A. Right.", "B. Right.")}, "exactly one option must be Right, not 2"),
     ({"verdicts": ("A. Wrong.", "B. Wrong.")}, "exactly one option must be Right, not 0"),
     ({"verdicts": ("A. Wrong.",)}, "must follow the options' letters"),
     ({"options": ("A.", "C."), "verdicts": ("A. Wrong.", "C. Right.")}, "lettered A, B"),
     ({"options": ("A:", "B:")}, "should read like A."),
     ({"verdicts": ("A. wrong", "B. Right.")}, "A. Right. or A. Wrong."),
     ({"extra": (nodes.bullet_list("", _item("A.", "x")),)}, "one bullet list of options")],
    ids=["two-right", "none-right", "explanation-missing", "letters-skip", "bad-option-lead",
         "bad-verdict", "two-option-lists"],
)
def test_a_malformed_question_is_refused_with_a_reason(kwargs, message):
    with pytest.raises(quiz.QuizFormatError, match=re.escape(message)):
        quiz.question_from_admonition(_admonition(**kwargs), "quiz-page-1")


def test_the_answer_of_a_question_is_its_right_letter_and_every_explanation():
    entry, explanations = quiz.answer_of(quiz.question_from_admonition(_admonition(),
                                                                       "quiz-page-1"))
    assert entry.astext() == "Question 1: B."
    assert [item.astext() for item in explanations.children] == [
        "A. Wrong. because.", "B. Right. because."]


# --- the numbers, against references (from the full build's glue) ------------------------------


def _keras_params(layer_name, input_shape, *args):
    import keras

    layer = getattr(keras.layers, layer_name)(*args)
    layer.build(input_shape)
    return layer.count_params()


def _softmax(z):
    from scipy.special import softmax

    return softmax(z)


def _sigmoid(x):
    from scipy.special import expit

    return expit(x)


def _sevens_sd():
    from scipy.stats import hypergeom

    return hypergeom(5000, 500, 1000).std()  # 1,000 of 5,000 images, 500 of them sevens


def _sevens_in_a_random_split():
    from nnbook import data

    _, y = data.load_mnist_subset()
    return int(np.sum(y[np.random.default_rng(0).permutation(len(y))[:1000]] == 7))


def _course_network_params():
    from nnbook import models

    return models.build_mlp(seed=0).count_params()


def _keras_adam_first_step(i):
    import keras

    weights = keras.Variable(np.zeros(2, dtype="float32"))
    keras.optimizers.Adam(learning_rate=1e-3).apply_gradients(
        [(np.array([50.0, -0.02], dtype="float32"), weights)])
    return float(np.asarray(weights)[i])


def _pooled_size():
    from nnbook import conv

    image = conv.conv2d(np.ones((28, 28)), np.ones((3, 3)))
    return conv.max_pool2d(image[:, :, None], 2).shape[0]


# chapter -> glue key -> the value computed here another way (None: no number is claimed)
REFERENCES = {
    "relu": {"quiz_kink": lambda: 6.0 / 3.0, "quiz_softmax_one": lambda: _softmax([-3.7])[0]},
    "softmax": {"quiz_p1": lambda: _sigmoid(2.0), "quiz_p0": lambda: _sigmoid(-2.0),
                "quiz_e2": lambda: math.exp(2.0), "quiz_batch_sum": None},
    "losses": {"quiz_ln10": lambda: math.log(10), "quiz_log10_01": lambda: 1.0},
    "data": {"quiz_index": lambda: np.ravel_multi_index((3, 5), (28, 28)),
             "quiz_index_f": lambda: np.ravel_multi_index((3, 5), (28, 28), order="F"),
             "quiz_sevens": lambda: 100, "quiz_sevens_random": _sevens_in_a_random_split,
             "quiz_sevens_sd": _sevens_sd},
    "model": {"quiz_dense_params": lambda: _keras_params("Dense", (None, 25), 15)},
    "training": {"quiz_steps_256": lambda: math.ceil(3200 / 256), "quiz_m_fit": lambda: 3200},
    "classifier": {"quiz_ratio": lambda: math.exp(3.0), "quiz_params": _course_network_params},
    "pad": {},
    "scratch": {"quiz_adam_step0": lambda: _keras_adam_first_step(0),
                "quiz_adam_step1": lambda: _keras_adam_first_step(1)},
    "cnn": {"quiz_conv_params": lambda: _keras_params("Conv2D", (None, 12, 12, 16), 32, 3),
            "quiz_pooled": _pooled_size},
}


@pytest.mark.slow
@pytest.mark.parametrize("name", CHAPTERS)
def test_the_questions_numbers_equal_the_references(built_book, name):
    assert built_book.process.returncode == 0, "the book did not build; see test_book.py"
    glue_file = built_book.html.parent / "jupyter_execute" / "book" / f"{name}.glue.json"
    glued = json.loads(glue_file.read_text(encoding="utf-8"))
    quiz_keys = {key for key in glued if key.startswith("quiz_")}
    assert quiz_keys == set(REFERENCES[name]), "every quiz number needs a reference here"
    for key, reference in REFERENCES[name].items():
        value = float(glued[key]["data"]["text/plain"])
        if reference is not None:
            assert value == pytest.approx(float(reference()), rel=1e-5), key  # Keras: float32


# --- the pages, in Chromium --------------------------------------------------------------------


def answer(page, question, letter, key):
    """Pick option ``letter`` of ``question`` by keyboard; return (state, feedback text)."""
    question.locator(f'[data-quiz-option="{letter}"]').focus()
    page.keyboard.press(key)
    return question.get_attribute("data-quiz-state"), question.locator(
        "[data-quiz-feedback]").inner_text()


@pytest.mark.slow
@pytest.mark.parametrize("name", CHAPTERS)
def test_every_question_answers_by_keyboard_on_a_phone(chromium, site, name):
    from axe_playwright_python.sync_playwright import Axe

    bank = questions_in(chapter_source(name))
    page = open_page(chromium, f"{site}/book/{name}.html", urlparse(site).netloc, viewport=PHONE)
    page.wait_for_function("() => [...document.querySelectorAll('[data-quiz-question] .math')]"
                           ".every(m => m.querySelector('mjx-container'))", timeout=20_000)
    questions = page.locator("[data-quiz-question]")
    assert questions.count() == len(bank)
    for i, expected in enumerate(bank):
        question = questions.nth(i)
        question.scroll_into_view_if_needed()
        letters = [letter for letter, _ in expected["options"]]
        assert question.locator("[data-quiz-option]").evaluate_all(
            "els => els.map(e => e.dataset.quizOption)") == letters
        right = right_letter(expected)
        wrong = next(letter for letter in letters if letter != right)
        for letter, key, state in [(wrong, "Enter", "wrong"), (right, "Space", "right")]:
            got_state, feedback = answer(page, question, letter, key)
            shown = question.locator("[data-quiz-explains]:visible")
            assert got_state == state, f"{name}, {expected['title']}, {letter}"
            assert shown.count() == 1 and shown.get_attribute("data-quiz-explains") == letter
            assert shown.inner_text().strip() and shown.inner_text().strip() in feedback
            assert (" is right." if state == "right" else " is not right.") in feedback
            pressed = question.locator('[aria-pressed="true"]')
            assert pressed.get_attribute("data-quiz-option") == letter
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        if i == 0:
            before_axe = len(page.problems)
            # the questions, answered, at a phone's width (test_browser.py audits whole pages)
            violations = Axe().run(page, context="[data-quiz-question]").response["violations"]
            # axe-core fetches the stylesheets itself, relative to the wrong folder (a 404
            # for basic.css, which the theme's CSS imports): not the page's doing
            del page.problems[before_axe:]
            assert not violations, [(v["id"], v["nodes"][0]["target"]) for v in violations]
            question.locator(".nnbook-quiz-reset").focus()
            page.keyboard.press("Enter")
            assert question.get_attribute("data-quiz-state") is None
            assert question.locator("[data-quiz-explains]:visible").count() == 0
            assert page.evaluate("document.activeElement.dataset.quizOption") == "A"
            answer(page, question, right, "Enter")
    assert not page.problems, page.problems
    page.context.close()


@pytest.mark.slow
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_a_question_answers_by_mouse_and_touch_and_passes_axe(chromium, site, color_scheme):
    from axe_playwright_python.sync_playwright import Axe

    (first, *_) = questions_in(chapter_source("model"))
    context = chromium.new_context(has_touch=True, color_scheme=color_scheme)
    page = context.new_page()
    page.goto(f"{site}/book/model.html", wait_until="networkidle")
    if color_scheme == "dark":  # the theme's own switch, as its button sets it
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
    question = page.locator("[data-quiz-question]").first
    question.locator('[data-quiz-option="A"]').click()
    assert question.get_attribute("data-quiz-state") == ("right" if right_letter(first) == "A"
                                                         else "wrong")
    question.locator(f'[data-quiz-option="{right_letter(first)}"]').tap()
    assert question.get_attribute("data-quiz-state") == "right"
    violations = Axe().run(page).response["violations"]
    assert not violations, [(v["id"], v["nodes"][0]["target"]) for v in violations]
    context.close()


# --- the downloaded notebooks ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", CHAPTERS)
def test_a_downloaded_notebook_shows_the_questions_with_the_answers_folded(built_book, name):
    nb = nbformat.read(built_book.html / "_sources" / "book" / f"{name}.ipynb", as_version=4)
    markdown = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    bank = questions_in(markdown)
    assert len(bank) == len(questions_in(chapter_source(name)))
    for question in bank:
        assert "{glue" not in question["text"], "a glued number was not filled in"
        head, _, answer = question["text"].partition("```{dropdown} Answer\n")
        assert all(f"**{letter}.**" in head for letter, _ in question["options"])
        assert "Right." not in head and "Wrong." not in head, "an answer outside the fold"
        assert answer.count(". Right.**") == 1


@pytest.mark.slow
def test_jupyterlab_shows_a_downloaded_notebooks_questions_folded(chromium, lab, built_book):
    """The relu download, saved into JupyterLab (jupyterlab-myst) and opened there."""
    notebook = json.loads((built_book.html / "_sources" / "book" / "relu.ipynb").read_text(
        encoding="utf-8"))
    bank = questions_in(chapter_source("relu"))
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    local, outside = urlparse(lab).netloc, []
    context.route("**/*", lambda route: route.continue_()
                  if urlparse(route.request.url).netloc == local
                  else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto(f"{lab}/lab?reset", wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp?.serviceManager", timeout=60_000)
    page.evaluate("""async nb => {
        const contents = window.jupyterapp.serviceManager.contents;
        await contents.save('relu_download.ipynb', {type: 'notebook', format: 'json', content: nb});
        }""", notebook)
    page.goto(f"{lab}/lab/tree/relu_download.ipynb", wait_until="domcontentloaded")
    page.locator(".jp-NotebookPanel:visible").wait_for(timeout=60_000)
    # every cell is rendered (lab/overrides.json turns JupyterLab's windowing off)
    page.locator(".jp-MarkdownCell", has_text=bank[-1]["title"]).last.scroll_into_view_if_needed()
    page.wait_for_function("n => document.querySelectorAll('.jp-MarkdownCell details').length >= n",
                           arg=len(bank), timeout=30_000)
    assert not any(page.evaluate("[...document.querySelectorAll('.jp-MarkdownCell details')]"
                                 ".map(d => d.open)")), "an answer is not folded"
    shown = " ".join(page.locator(".jp-MarkdownCell").all_inner_texts())
    for question in bank:
        assert question["title"] in shown
        plain = [text for _, text in question["options"] if not re.search(r"[`${]", text)]
        assert all(text in shown for text in plain), plain
        assert "Right." not in shown and "Wrong." not in shown, "an explanation is in view"
    assert not outside, outside
    context.close()
