"""Tests of nnbook.explorers (the explorers' HTML, the pad's weights and preprocessing) and of
the build extension that loads their script (book/_ext/interactive_pages.py).

The JavaScript itself is driven in Chromium by tests/test_browser.py, which
compares the numbers the pages show with nnbook's.
"""

import base64
import html
import json
import re
import sys

import numpy as np
import pytest
import scipy.ndimage

from conftest import ROOT
from nnbook import activations, data, explorers, losses
from nnbook import relu_units as ru

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import interactive_pages  # noqa: E402  (book/_ext is not a package)

X_GRID = np.linspace(0.0, 3.0, 301)
LOGITS = np.array([1.0, 0.5, -1.0, 2.0, 0.0, -0.5, 1.5, 0.2, -2.0, 0.8])


def config_of(fragment):
    match = re.search(r'data-config="([^"]*)"', fragment.html)
    return json.loads(html.unescape(match.group(1)))


def data_value(fragment, ident):
    return float(re.search(rf'id="{ident}" data-value="([^"]*)"', fragment.html).group(1))


def column_values(fragment, cls):
    return [float(v) for v in re.findall(rf'class="{cls}" data-value="([^"]+)"', fragment.html)]


# --------------------------------------------------------------------------
# the explorers' HTML
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def relu_page():
    return explorers.relu_explorer(X_GRID, ru.piecewise_target(X_GRID), [-2.0, 1.0, 3.0],
                                   [2.0, -1.0, -5.0],
                                   solution=([-2.0, 1.0, 2.0], [2.0, -1.0, -4.0], None))


def test_relu_explorer_has_a_labelled_slider_per_parameter(relu_page):
    for name in ("w", "b", "v"):
        for j in range(3):
            ident = f"relu-{name}{j}"
            assert f'<label for="{ident}">' in relu_page.html
            assert f'<input type="range" id="{ident}"' in relu_page.html
    assert 'id="relu-solution"' in relu_page.html and 'id="relu-reset"' in relu_page.html
    assert relu_page._repr_html_() == relu_page.html
    assert 'class="nnbook-static-note"' in relu_page.html  # for a notebook, where no script runs
    assert "ReLU explorer" in repr(relu_page)


def test_relu_explorer_starts_from_the_chapters_numbers(relu_page):
    cfg = config_of(relu_page)
    np.testing.assert_array_equal(cfg["x"], X_GRID)
    np.testing.assert_array_equal(cfg["target"], ru.piecewise_target(X_GRID))
    assert cfg["start"] == {"w": [-2.0, 1.0, 3.0], "b": [2.0, -1.0, -5.0], "v": [1.0, 1.0, 1.0]}
    assert cfg["solution"] == {"w": [-2.0, 1.0, 2.0], "b": [2.0, -1.0, -4.0], "v": [1.0] * 3}
    expected = losses.mse(ru.piecewise_target(X_GRID),
                          ru.relu_sum(X_GRID, [-2.0, 1.0, 3.0], [2.0, -1.0, -5.0]))
    assert data_value(relu_page, "relu-mse") == expected


def test_relu_explorer_without_a_solution_has_no_button():
    page = explorers.relu_explorer(X_GRID, X_GRID, [1.0], [0.0])
    assert "relu-solution" not in page.html and config_of(page)["solution"] is None


def test_softmax_explorer_shows_nnbooks_softmax_and_hides_unused_scores():
    z = np.array([1.0, 2.0, 3.0, 4.0, -1.5])
    page = explorers.softmax_explorer(z, temperature=2.0)
    np.testing.assert_array_equal(column_values(page, "softmax-p"), activations.softmax(z / 2.0))
    np.testing.assert_allclose(column_values(page, "softmax-naive"),
                               np.exp(z / 2) / np.exp(z / 2).sum(), rtol=1e-15)
    assert page.html.count('<div class="nnbook-slider" hidden>') == 5  # z5 .. z9
    assert page.html.count("<tr hidden>") == 5
    assert 'role="switch" id="softmax-shift"' in page.html and "add 1,000" in page.html
    assert config_of(page) == {"z": z.tolist(), "temperature": 2.0, "shift": 1000.0}


def test_cross_entropy_explorer_shows_the_loss_and_p_minus_y():
    page = explorers.cross_entropy_explorer(LOGITS, 3)
    assert data_value(page, "ce-loss") == losses.sparse_cross_entropy([3], LOGITS[None])
    grad = losses.sparse_cross_entropy_grad([3], LOGITS[None])[0]
    np.testing.assert_array_equal(column_values(page, "ce-grad"), grad)
    np.testing.assert_allclose(column_values(page, "ce-p"), activations.softmax(LOGITS),
                               atol=1e-16)
    assert '<option value="3" selected>' in page.html
    assert all(f'<label for="ce-z{k}">' in page.html for k in range(10))


def test_numbers_are_written_as_the_page_writes_them():
    assert explorers._fmt(-0.00001) == "0.0000"
    assert explorers._fmt(-1.5, 1) == "\u22121.5"
    assert explorers._fmt(float("nan")) == "NaN" and explorers._num(float("nan")) == "NaN"
    assert float(explorers._num(0.1 + 0.2)) == 0.1 + 0.2


# --------------------------------------------------------------------------
# the pad: preprocessing
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def images():
    X, y = data.load_mnist_subset()
    return X[:300].astype(np.float64), y[:300]


def centre_of_mass(image):
    return explorers.centre_of_mass(image.reshape(28, 28) if image.ndim == 1 else image)


def test_centre_of_mass_equals_scipys():
    rng = np.random.default_rng(0)
    for shape in [(28, 28), (3, 7), (1, 1)]:
        image = rng.random(shape) * (rng.random(shape) < 0.5) + (np.arange(shape[1]) == 0)
        np.testing.assert_allclose(explorers.centre_of_mass(image),
                                   scipy.ndimage.center_of_mass(image), rtol=1e-12)


def test_the_training_images_are_centred_where_the_pad_centres(images):
    centres = np.array([centre_of_mass(x) for x in images[0]])
    np.testing.assert_allclose(centres.mean(axis=0), [explorers.CENTRE] * 2, atol=0.1)
    boxes = [np.ptp(np.nonzero(x.reshape(28, 28))[0]) + 1 for x in images[0]]
    assert max(boxes) == explorers.BOX


def test_a_vertical_stroke_becomes_a_centred_20_pixel_bar():
    ink = np.zeros((280, 280))
    ink[30:250, 60:80] = 1.0  # 220 x 20, off to the left
    out = explorers.mnist_preprocess(ink).reshape(28, 28)
    rows, cols = np.nonzero(out)
    assert np.ptp(rows) + 1 == 20 and out.max() == 1.0
    assert abs(centre_of_mass(out)[0] - 14) <= 0.5 and abs(centre_of_mass(out)[1] - 14) <= 0.5


def test_preprocessing_ignores_where_a_digit_is(images):
    X = images[0][:50]
    for x, moved in zip(X, explorers.move_to_corner(X)):
        np.testing.assert_array_equal(explorers.mnist_preprocess(moved.reshape(28, 28)),
                                      explorers.mnist_preprocess(x.reshape(28, 28)))


def test_preprocessing_ignores_how_large_a_digit_is(images):
    for x in images[0][:20]:
        small = x.reshape(28, 28)
        large = np.kron(small, np.ones((10, 10)))  # as drawn on the 280-pixel pad
        np.testing.assert_allclose(explorers.mnist_preprocess(large),
                                   explorers.mnist_preprocess(small), atol=1e-12)


def test_preprocessing_keeps_a_centred_mnist_digit_almost_unchanged(images):
    # the 20-pixel-tall digits are not rescaled, only moved to the nearest whole pixel
    diffs = [np.abs(explorers.mnist_preprocess(x.reshape(28, 28)) - x / x.max()).max()
             for x in images[0] if np.ptp(np.nonzero(x.reshape(28, 28))[0]) + 1 == 20]
    assert np.mean(np.array(diffs) < 1e-6) > 0.8


def test_preprocessing_an_empty_pad_and_without_centring():
    assert not explorers.mnist_preprocess(np.zeros((280, 280))).any()
    ink = np.zeros((280, 280))
    ink[0:100, 0:100] = 0.5
    out = explorers.mnist_preprocess(ink, centre=False).reshape(28, 28)
    assert out[:10, :10].min() == 1.0 and out[10:, :].max() == 0  # the corner stays a corner


@pytest.mark.parametrize("ink, error, match", [
    (np.ones(784), ValueError, "ink must be 2-D"),
    (np.full((5, 5), 2.0), ValueError, r"ink must lie in \[0, 1\]"),
    (np.array([["a"]]), TypeError, "ink must be a numeric array"),
    (np.full((5, 5), np.nan), ValueError, "ink holds NaN"),
])
def test_preprocessing_names_the_bad_argument(ink, error, match):
    with pytest.raises(error, match=match):
        explorers.mnist_preprocess(ink)


def test_area_resize_averages_areas():
    image = np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(explorers.area_resize(image, 4, 4), image)
    np.testing.assert_allclose(explorers.area_resize(image, 2, 2), [[2.5, 4.5], [10.5, 12.5]])
    odd = np.random.default_rng(0).random((7, 5))
    out = explorers.area_resize(odd, 3, 4)
    assert out.shape == (3, 4)
    np.testing.assert_allclose(out.mean(), odd.mean())  # averages keep the mean


def test_move_to_corner_keeps_the_ink(images):
    X = images[0][:30]
    moved = explorers.move_to_corner(X).reshape(-1, 28, 28)
    assert all(m[0].any() and m[:, 0].any() for m in moved)
    np.testing.assert_array_equal(np.sort(moved.reshape(30, -1), axis=1), np.sort(X, axis=1))


# --------------------------------------------------------------------------
# the pad: weights and its HTML
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_model():
    pytest.importorskip("tensorflow")
    from nnbook import models

    return models.build_mlp(hidden_units=(6, 5), seed=3)


def test_export_weights_round_trips_the_float32_weights(small_model):
    from nnbook import models

    export = explorers.export_weights(small_model)
    json.dumps(export)  # JSON-ready
    layers = explorers.weights_from_export(export)
    assert [a for *_, a in layers] == ["relu", "relu", "linear"]
    for (W, b, _), layer in zip(layers, models.dense_layers(small_model)):
        W0, b0 = layer.get_weights()
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    W = np.frombuffer(base64.b64decode(export["layers"][0]["W"]), dtype="<f4")
    assert W[1] == layers[0][0][0, 1]  # row-major: W[0, 1] is the second number


def test_export_weights_rejects_an_activation_the_page_does_not_know():
    import keras

    softmax_out = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    with pytest.raises(ValueError, match="activation softmax"):
        explorers.export_weights(softmax_out)


def test_digit_pad_has_the_interface_the_tests_use():
    pytest.importorskip("tensorflow")
    import keras

    from nnbook import models

    model = models.build_mlp(seed=0)
    X = np.zeros((2, 784))
    X[0, 400] = 1.0
    page = explorers.digit_pad(model, examples=(X, [1, 7]))
    for ident in ("digit-pad", "digit-clear", "digit-prediction", "digit-input", "digit-example"):
        assert f'id="{ident}"' in page.html
    payload = re.search(r'<script type="application/json" id="digit-data">(.*?)</script>',
                        page.html).group(1)
    content = json.loads(payload)
    assert content["box"] == 20 and content["centre"] == 14.0 and content["size"] == 280
    assert content["examples"]["y"] == [1, 7] and content["examples"]["X"][0][400] == 1.0
    assert [layer["shape"] for layer in content["model"]["layers"]] == [[784, 25], [25, 15],
                                                                        [15, 10]]
    keras.backend.clear_session()


# --------------------------------------------------------------------------
# the build extension
# --------------------------------------------------------------------------


def test_extension_finds_the_pages_with_explorers():
    assert interactive_pages.uses_explorers('<div class="x" data-explorer="relu">')
    assert interactive_pages.uses_explorers('<div id="digit-app">')
    assert not interactive_pages.uses_explorers("<p>data explorer</p>")


def test_extension_turns_empty_header_cells_into_data_cells():
    pandas_head = ('<thead><tr style="text-align: right;"><th></th><th>a</th></tr>'
                   '<tr><th class="blank"> </th><th>b</th></tr></thead>')
    fixed = interactive_pages.empty_headers_to_cells(pandas_head)
    assert fixed == ('<thead><tr style="text-align: right;"><td></td><th>a</th></tr>'
                     '<tr><td class="blank"></td><th>b</th></tr></thead>')
    assert interactive_pages.empty_headers_to_cells("<th>x</th><thead>") == "<th>x</th><thead>"


def test_extension_makes_bibliography_entries_list_items():
    body = '<div role="list" class="citation-list"><div class="citation" role="doc-biblioentry">'
    assert interactive_pages.accessible_body(body) == (
        '<div role="list" class="citation-list"><div class="citation" role="listitem">')
