"""Every built page, opened in headless Chromium as a reader would, offline.

Each page must load with no console error, show every image, typeset its
math with the MathJax served from the build, and ask for nothing from any host
but the local server; pass an axe-core audit; fit a phone. The explorers and
the draw-a-digit pad must show nnbook's numbers. The ``chromium`` and ``site``
fixtures are in conftest.py.
"""

import base64
import json
import re
from urllib.parse import urlparse

import numpy as np
import pytest

from conftest import PHONE, ROOT, open_page, weights_from_export

pytestmark = pytest.mark.slow


def page_paths(html):
    """Every HTML page of the site, skipping Sphinx's asset folders."""
    return sorted(
        path.relative_to(html).as_posix()
        for path in html.rglob("*.html")
        if not any(part.startswith("_") for part in path.relative_to(html).parts)
    )


FILE_NAME = re.compile(r"\.(png|jpe?g|gif|svg|webp)$|^[0-9a-f]{20,}$|^_?images?/", re.I)


def offline_problems(page):
    """What a reader offline would miss on ``page``: errors, requests out, images, math."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    problems = list(page.problems)
    broken = page.eval_on_selector_all(
        "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    problems += [f"image not loaded: {src}" for src in broken]
    n_math = page.locator(".math").count()
    if n_math:
        try:
            page.wait_for_function(
                "n => document.querySelectorAll('mjx-container').length >= n", arg=n_math,
                timeout=20_000)
        except Exception:
            typeset = page.locator("mjx-container").count()
            problems.append(f"math not typeset: {typeset} of {n_math} formulas")
        if page.locator("mjx-merror").count():
            problems.append("MathJax reported an error in a formula")
    return problems


def phone_problems(page):
    """At a phone's width: a page wider than the screen, an image without words for alt text."""
    page.set_viewport_size(PHONE)
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        found.append(f"{width} px wide at a {PHONE['width']}-px viewport")
    # the figures and cell outputs of the article; the theme's logo is not in it
    for src, alt in page.eval_on_selector_all(
            "article img", "imgs => imgs.map(i => [i.getAttribute('src'), i.getAttribute('alt')])"):
        if not alt or not alt.strip() or FILE_NAME.search(alt.strip()) or len(alt.split()) < 3:
            found.append(f"image {src.rsplit('/', 1)[-1]} has alt text {alt!r}")
    return found


@pytest.fixture(scope="module")
def every_page(chromium, site, built_book):
    """Each page, opened once: ``{check: {page: [problems]}}`` for the three checks below."""
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), {"offline": {}, "axe": {}, "phone": {}}
    for path in page_paths(built_book.html):
        page = open_page(chromium, f"{site}/{path}", urlparse(site).netloc)
        found["offline"][path] = offline_problems(page)
        violations = axe.run(page).response["violations"]
        found["axe"][path] = [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])}x: {v['nodes'][0]['target']})"
            for v in violations]
        found["phone"][path] = phone_problems(page)
        page.context.close()
    return found


def report(problems):
    return "\n".join(f"{page}: {'; '.join(found)}" for page, found in problems.items() if found)


def test_every_page_works_offline(every_page):
    assert {"book/data.html", "book/intro.html"} <= set(every_page["offline"])
    assert not report(every_page["offline"]), report(every_page["offline"])


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


def test_axe_finds_no_accessibility_problem_on_any_page(every_page):
    assert not report(every_page["axe"]), report(every_page["axe"])


def test_every_page_fits_a_phone_and_every_figure_says_what_it_shows(every_page):
    assert not report(every_page["phone"]), report(every_page["phone"])


# --------------------------------------------------------------------------
# The explorers: their numbers equal nnbook's
# --------------------------------------------------------------------------

TOLERANCE = 1e-6


def page_with(html, kind):
    """The built page that holds an explorer of ``kind`` (``data-explorer="kind"``)."""
    for path in page_paths(html):
        if f'data-explorer="{kind}"' in (html / path).read_text(encoding="utf-8"):
            return path
    raise AssertionError(f"no built page holds an explorer {kind!r}")


def part(kind, role):
    """The selector of the element of the explorer ``kind`` with ``data-role="role"``."""
    return f'[data-explorer="{kind}"] [data-role="{role}"]'


def slider(kind, name):
    """The selector of the range input of the explorer ``kind`` named ``name``."""
    return f'[data-explorer="{kind}"] [data-slider="{name}"] input'


def set_slider(page, kind, name, value):
    page.fill(slider(kind, name), str(value))  # sets the value and fires input, as a drag does


def shown(page, selector):
    """(the full number in data-value, the rounded text) of every element ``selector`` matches."""
    return page.eval_on_selector_all(
        selector, "els => els.map(e => [e.dataset.value, e.textContent])")


def as_number(text):
    return float(text.replace("\u2212", "-"))


def test_relu_explorer_equals_nnbook(chromium, site, built_book):
    from nnbook import losses, relu_units

    path = page_with(built_book.html, "relu")
    page = open_page(chromium, f"{site}/{path}", urlparse(site).netloc)
    cfg = json.loads(page.get_attribute('[data-explorer="relu"]', "data-config"))
    x, target = np.array(cfg["x"]), np.array(cfg["target"])
    cases = [
        ({"w": [-1.5, 0.7, 2.2], "b": [1.0, -0.3, -4.4], "v": [1.2, -0.8, 0.5]}),
        ({"w": [3.9, -4.0, 0.1], "b": [-6.0, 5.9, 0.0], "v": [-2.0, 2.0, 0.3]}),
    ]
    worst = 0.0
    for case in cases:
        for name, values in case.items():
            for j, value in enumerate(values):
                set_slider(page, "relu", f"{name}{j}", value)
        [(value, text)] = shown(page, part("relu", "mse"))
        expected = losses.mse(target, relu_units.relu_sum(x, case["w"], case["b"], case["v"]))
        worst = max(worst, abs(float(value) - expected))
        assert abs(as_number(text) - expected) <= 5e-5 + 1e-9 * expected
    assert worst <= TOLERANCE
    print(f"\nReLU explorer: largest |JS - nnbook| of the MSE: {worst:.1e}")
    assert not page.is_visible(".nnbook-static-note")  # the script runs, so it hides its note
    # the worked solution: the chapter's units, and the sum lies on the target
    page.click(part("relu", "solution"))
    values = {n: [float(page.input_value(slider("relu", f"{n}{j}"))) for j in range(3)]
              for n in "wbv"}
    assert values == {"w": [-2.0, 1.0, 2.0], "b": [2.0, -1.0, -4.0], "v": [1.0, 1.0, 1.0]}
    assert float(shown(page, part("relu", "mse"))[0][0]) <= 1e-20
    # the keyboard moves a slider one step; its label names it
    page.focus(slider("relu", "w0"))
    page.keyboard.press("ArrowRight")
    assert page.input_value(slider("relu", "w0")) == "-1.9"
    assert page.inner_text('[data-explorer="relu"] [data-slider="w0"] output') == "\u22121.9"
    assert page.get_by_label("w0", exact=True).input_value() == "-1.9"
    page.click(part("relu", "reset"))
    assert page.input_value(slider("relu", "w0")) == str(cfg["start"]["w"][0]).removesuffix(".0")
    assert not page.problems, page.problems
    page.context.close()


def test_softmax_explorer_equals_nnbook_and_the_naive_formula_overflows(chromium, site,
                                                                         built_book):
    from nnbook.activations import softmax

    path = page_with(built_book.html, "softmax")
    page = open_page(chromium, f"{site}/{path}", urlparse(site).netloc)
    z, T = np.array([2.5, -1.0, 0.3, 4.1, -5.2, 1.7]), 0.7
    set_slider(page, "softmax", "K", len(z))
    for k, value in enumerate(z):
        set_slider(page, "softmax", f"z{k}", value)
    set_slider(page, "softmax", "T", T)
    rows = part("softmax", "table") + " tbody tr"
    assert page.locator(rows + ":visible").count() == len(z)
    worst = 0.0
    for shift in (0.0, 1000.0):
        if shift:
            page.check(part("softmax", "shift"))
        stable = shown(page, rows + ":not([hidden]) .softmax-p")
        naive = shown(page, rows + ":not([hidden]) .softmax-naive")
        expected = softmax((z + shift) / T)
        got = np.array([float(v) for v, _ in stable])
        worst = max(worst, np.abs(got - expected).max())
        np.testing.assert_allclose([as_number(t) for _, t in stable], expected, atol=5e-5)
        if shift:
            assert all(v == "NaN" and t == "NaN" for v, t in naive)
            assert "overflows" in page.inner_text(part("softmax", "note"))
        else:
            np.testing.assert_allclose([float(v) for v, _ in naive], expected, atol=TOLERANCE)
    assert worst <= TOLERANCE
    print(f"\nsoftmax explorer: largest |JS - nnbook| of p: {worst:.1e}")
    assert not page.problems, page.problems
    page.context.close()


def test_cross_entropy_explorer_equals_nnbook(chromium, site, built_book):
    from nnbook import losses

    path = page_with(built_book.html, "cross-entropy")
    page = open_page(chromium, f"{site}/{path}", urlparse(site).netloc)
    K = page.locator(part("cross-entropy", "table") + " tbody tr").count()
    rng = np.random.default_rng(3)
    worst = 0.0
    for label in (0, K - 1, 4):
        z = np.round(rng.uniform(-6, 6, size=K), 1)
        z[label] = -6.0 if label == 4 else z[label]  # a confident mistake too
        page.select_option(part("cross-entropy", "label"), str(label))
        for k, value in enumerate(z):
            set_slider(page, "cross-entropy", f"z{k}", value)
        [(loss, loss_text)] = shown(page, part("cross-entropy", "loss"))
        grads = shown(page, part("cross-entropy", "table") + " .ce-grad")
        expected_loss = losses.sparse_cross_entropy([label], z[None])
        expected_grad = losses.sparse_cross_entropy_grad([label], z[None])[0]
        worst = max(worst, abs(float(loss) - expected_loss),
                    np.abs(np.array([float(v) for v, _ in grads]) - expected_grad).max())
        assert abs(as_number(loss_text) - expected_loss) <= 5e-5
        np.testing.assert_allclose([as_number(t) for _, t in grads], expected_grad, atol=5e-5)
    assert worst <= TOLERANCE
    print(f"\ncross-entropy explorer: largest |JS - nnbook| of the loss and p - y: {worst:.1e}")
    assert not page.problems, page.problems
    page.context.close()


# --------------------------------------------------------------------------
# The draw-a-digit pad
# --------------------------------------------------------------------------

PAD = "digit-pad"
CANVAS = part(PAD, "pad")


def in_pad(role):
    """JavaScript for the pad's element with ``data-role="role"``."""
    return f"document.querySelector('{part(PAD, role)}')"


@pytest.fixture(scope="module")
def pad(chromium, site, built_book):
    path = page_with(built_book.html, PAD)
    page = open_page(chromium, f"{site}/{path}", urlparse(site).netloc)
    page.locator(CANVAS).scroll_into_view_if_needed()
    yield page
    assert not page.problems, page.problems
    page.context.close()


@pytest.fixture(scope="module")
def held_out():
    """The classifier chapter's 1,000 held-out images and labels."""
    from nnbook import data

    X, y = data.load_mnist_subset()
    _, X_test, _, y_test = data.train_test_split(X, y, test_size=1000, seed=0)
    return X_test, y_test


def predict_in_page(page, X):
    """window.nnbookDigit.predict on each row of ``X`` (sent as float32 bytes: exact, and fast)."""
    payload = base64.b64encode(np.ascontiguousarray(X, dtype="<f4").tobytes()).decode("ascii")
    return np.array(page.evaluate("""b64 => {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const X = new Float32Array(bytes.buffer), rows = [];
        for (let i = 0; i < X.length; i += 784) rows.push(window.nnbookDigit.predict(Array.from(X.subarray(i, i + 784))));
        return rows; }""", payload))


def draw(page, strokes, kind="mouse"):
    """Draw ``strokes`` (lists of (x, y) in [0, 1] of the pad) with the mouse, or as touch or pen."""
    box = page.locator(CANVAS).bounding_box()
    for stroke in strokes:
        points = [(box["x"] + u * box["width"], box["y"] + v * box["height"]) for u, v in stroke]
        if kind == "mouse":
            page.mouse.move(*points[0])
            page.mouse.down()
            for point in points[1:]:
                page.mouse.move(*point, steps=3)
            page.mouse.up()
        else:
            page.evaluate("""([points, kind]) => {
                const pad = """ + in_pad("pad") + """;
                const fire = (type, [x, y]) => pad.dispatchEvent(new PointerEvent(type, {
                    pointerType: kind, pointerId: 7, isPrimary: true, bubbles: true,
                    cancelable: true, clientX: x, clientY: y, buttons: type === 'pointerup' ? 0 : 1}));
                fire('pointerdown', points[0]);
                for (let i = 1; i < points.length; i++) {
                    const [x0, y0] = points[i - 1], [x1, y1] = points[i];
                    for (let s = 1; s <= 4; s++) fire('pointermove', [x0 + (x1 - x0) * s / 4, y0 + (y1 - y0) * s / 4]);
                }
                fire('pointerup', points[points.length - 1]);
            }""", [points, kind])
    page.wait_for_function(in_pad("prediction") + ".textContent !== ''")
    return page.inner_text(part(PAD, "prediction"))


def test_pad_forward_pass_equals_predict_proba(pad, held_out):
    from nnbook import models

    export = json.loads(pad.inner_text(part(PAD, "data")))["model"]
    model = models.build_mlp(seed=0)
    model.set_weights([a for W, b, _ in weights_from_export(export) for a in (W, b)])
    X = held_out[0][:200]
    diff = np.abs(predict_in_page(pad, X) - models.predict_proba(model, X)).max()
    print(f"\npad: largest |JS - predict_proba| on 200 test images: {diff:.1e}")
    assert diff <= 1e-5


def test_pad_reads_the_held_out_images_as_the_classifier_chapter_does(pad, held_out,
                                                                      built_book):
    X, y = held_out
    accuracy = 100 * np.mean(predict_in_page(pad, X).argmax(axis=1) == y)
    glue = built_book.html.parent / "jupyter_execute" / "book"
    chapter = json.loads((glue / "classifier.glue.json").read_text())["test_acc"]
    page_glue = json.loads((glue / "pad.glue.json").read_text())["pad_test_acc"]
    print(f"\npad: {accuracy:.1f} % of the 1,000 test images through window.nnbookDigit.predict")
    assert accuracy == pytest.approx(float(chapter["data"]["text/plain"]), abs=1e-9)
    assert accuracy == pytest.approx(float(page_glue["data"]["text/plain"]), abs=1e-9)


ONE = [[(0.5, 0.15), (0.5, 0.85)]]
ZERO = [[(0.5 + 0.22 * np.sin(t * np.pi / 20), 0.5 - 0.33 * np.cos(t * np.pi / 20))
         for t in range(41)]]


@pytest.mark.parametrize("kind", ["mouse", "touch", "pen"])
def test_pad_reads_a_vertical_stroke_as_a_1(pad, kind):
    pad.click(part(PAD, "clear"))
    assert draw(pad, ONE, kind) == "1"


def test_pad_reads_a_drawn_0_and_preprocesses_as_nnbook_does(pad):
    from nnbook.pad import mnist_preprocess

    pad.click(part(PAD, "clear"))
    assert draw(pad, ZERO) == "0"
    ink = np.array(pad.evaluate("window.nnbookDigit.ink()")).reshape(280, 280)
    in_page = np.array(pad.evaluate("window.nnbookDigit.preprocess(window.nnbookDigit.ink(), 280, 280)"))
    np.testing.assert_allclose(in_page, mnist_preprocess(ink), atol=1e-12)
    seen = np.array(pad.evaluate("""() => {
        const d = """ + in_pad("input") + """.getContext('2d').getImageData(0, 0, 28, 28).data;
        return Array.from({length: 784}, (_, i) => d[4 * i + 3] / 255); }"""))
    np.testing.assert_allclose(seen, in_page, atol=1 / 255)  # the image shown is the input


def test_pad_clear_resets_everything(pad):
    pad.click(part(PAD, "clear"))
    draw(pad, ONE)
    pad.click(part(PAD, "clear"))
    assert pad.inner_text(part(PAD, "prediction")) == ""
    assert not any(pad.evaluate("window.nnbookDigit.ink()"))
    assert pad.evaluate("() => " + in_pad("input") + """.getContext('2d')
        .getImageData(0, 0, 28, 28).data.every((v, i) => i % 4 !== 3 || v === 0)""")
    labels = pad.locator(part(PAD, "bars") + " text.nnbook-svg-small").all_text_contents()
    assert sorted(labels) == ["0.0", "0.5", "1.0"]  # the axis, and no bar or value
    assert "no drawing" in pad.inner_text(part(PAD, "probabilities"))


def test_pad_shows_test_images_for_readers_without_a_pointer(pad):
    pad.click(part(PAD, "clear"))
    labels = json.loads(pad.inner_text(part(PAD, "data")))["examples"]["y"]
    for label in labels[:3]:
        pad.click(part(PAD, "example"))
        assert pad.inner_text(part(PAD, "prediction")) == str(label)


def test_explorers_and_pad_work_from_file_urls(chromium, built_book):
    """Opened from the disk, with no server: nothing fetched, no error, the numbers move."""
    for kind in ("relu", PAD):
        path = built_book.html / page_with(built_book.html, kind)
        page = open_page(chromium, path.as_uri(), local_host="")
        if kind == "relu":
            before = page.get_attribute(part("relu", "mse"), "data-value")
            set_slider(page, "relu", "b2", -4.0)
            assert page.get_attribute(part("relu", "mse"), "data-value") != before
        else:
            page.locator(CANVAS).scroll_into_view_if_needed()
            assert draw(page, ONE) == "1"
        assert not page.problems, page.problems
        page.context.close()


def test_two_explorers_of_one_kind_share_a_page(chromium, tmp_path):
    """Each explorer's script finds its own parts: moving one leaves the other as it was."""
    from nnbook import explorers, losses, relu_units

    static = ROOT / "book" / "_static"
    x = np.linspace(0.0, 3.0, 31)
    target = relu_units.piecewise_target(x)
    first, second = (explorers.relu_explorer(x, target, [1.0, -1.0], [0.0, 1.0])
                     for _ in range(2))
    (tmp_path / "page.html").write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>two</title>'
        f'<link rel="stylesheet" href="{(static / "nnbook-explorers.css").as_uri()}">'
        f'<script defer src="{(static / "nnbook-explorers.js").as_uri()}"></script></head>'
        f"<body>{first.html}{second.html}</body></html>", encoding="utf-8")
    page = open_page(chromium, (tmp_path / "page.html").as_uri(), local_host="")
    mse = page.locator(part("relu", "mse"))
    before = [mse.nth(i).get_attribute("data-value") for i in range(2)]
    assert before[0] == before[1]
    page.locator(slider("relu", "b1")).nth(1).fill("-2.5")
    after = [mse.nth(i).get_attribute("data-value") for i in range(2)]
    assert after[0] == before[0] and after[1] != before[1]
    expected = losses.mse(target, relu_units.relu_sum(x, [1.0, -1.0], [0.0, -2.5]))
    assert abs(float(after[1]) - expected) <= TOLERANCE
    assert page.locator('[data-explorer="relu"] [data-slider="b1"] output').nth(1).inner_text() \
        == "\u22122.5"
    clip_ids = page.eval_on_selector_all("clipPath", "cs => cs.map(c => c.id)")
    assert len(clip_ids) == 6 and len(set(clip_ids)) == 6  # one per panel, none shared
    assert not page.problems, page.problems
    page.context.close()
