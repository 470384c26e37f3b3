"""Tests of nnbook.pad: the draw-a-digit pad's preprocessing, weights and HTML.

The pad's JavaScript is driven in Chromium by tests/test_browser.py, which
compares its preprocessing and its forward pass with these functions' and
with :func:`nnbook.models.predict_proba`.
"""

import base64
import json
import re

import numpy as np
import pytest
import scipy.ndimage

from conftest import weights_from_export
from nnbook import data, pad

@pytest.fixture(scope="module")
def images():
    X, y = data.load_mnist_subset()
    return X[:300].astype(np.float64), y[:300]


def centre_of_mass(image):
    return pad.centre_of_mass(image.reshape(28, 28) if image.ndim == 1 else image)


def test_centre_of_mass_equals_scipys():
    rng = np.random.default_rng(0)
    for shape in [(28, 28), (3, 7), (1, 1)]:
        image = rng.random(shape) * (rng.random(shape) < 0.5) + (np.arange(shape[1]) == 0)
        np.testing.assert_allclose(pad.centre_of_mass(image),
                                   scipy.ndimage.center_of_mass(image), rtol=1e-12)


def test_the_training_images_are_centred_where_the_pad_centres(images):
    centres = np.array([centre_of_mass(x) for x in images[0]])
    np.testing.assert_allclose(centres.mean(axis=0), [pad.CENTRE] * 2, atol=0.1)
    boxes = [np.ptp(np.nonzero(x.reshape(28, 28))[0]) + 1 for x in images[0]]
    assert max(boxes) == pad.BOX


def test_a_vertical_stroke_becomes_a_centred_20_pixel_bar():
    ink = np.zeros((280, 280))
    ink[30:250, 60:80] = 1.0  # 220 x 20, off to the left
    out = pad.mnist_preprocess(ink).reshape(28, 28)
    rows, cols = np.nonzero(out)
    assert np.ptp(rows) + 1 == 20 and out.max() == 1.0
    assert abs(centre_of_mass(out)[0] - 14) <= 0.5 and abs(centre_of_mass(out)[1] - 14) <= 0.5


def test_preprocessing_ignores_where_a_digit_is(images):
    X = images[0][:50]
    for x, moved in zip(X, pad.move_to_corner(X)):
        np.testing.assert_array_equal(pad.mnist_preprocess(moved.reshape(28, 28)),
                                      pad.mnist_preprocess(x.reshape(28, 28)))


def test_preprocessing_ignores_how_large_a_digit_is(images):
    for x in images[0][:20]:
        small = x.reshape(28, 28)
        large = np.kron(small, np.ones((10, 10)))  # as drawn on the 280-pixel pad
        np.testing.assert_allclose(pad.mnist_preprocess(large),
                                   pad.mnist_preprocess(small), atol=1e-12)


def test_preprocessing_keeps_a_centred_mnist_digit_almost_unchanged(images):
    # the 20-pixel-tall digits are not rescaled, only moved to the nearest whole pixel
    diffs = [np.abs(pad.mnist_preprocess(x.reshape(28, 28)) - x / x.max()).max()
             for x in images[0] if np.ptp(np.nonzero(x.reshape(28, 28))[0]) + 1 == 20]
    assert np.mean(np.array(diffs) < 1e-6) > 0.8


def test_preprocessing_an_empty_pad_and_without_centring():
    assert not pad.mnist_preprocess(np.zeros((280, 280))).any()
    ink = np.zeros((280, 280))
    ink[0:100, 0:100] = 0.5
    out = pad.mnist_preprocess(ink, centre=False).reshape(28, 28)
    assert out[:10, :10].min() == 1.0 and out[10:, :].max() == 0  # the corner stays a corner


@pytest.mark.parametrize("ink, error, match", [
    (np.full((5, 5), 2.0), ValueError, r"ink must lie in \[0, 1\]"),
    (np.array([["a"]]), TypeError, "ink must be a numeric array"),
    (np.full((5, 5), np.nan), ValueError, "ink holds NaN"),
    (np.zeros((0, 5)), ValueError, "ink is empty"),
    (np.ones(10), ValueError, r"ink must be one 2-D image \(h, w\), got shape \(10,\)$"),
])
def test_preprocessing_names_the_bad_argument(ink, error, match):
    with pytest.raises(error, match=match):
        pad.mnist_preprocess(ink)


def test_a_row_of_X_is_refused_with_advice_that_works(images):
    x = images[0][7]
    with pytest.raises(ValueError, match=r"x\.reshape\(28, 28\)") as refused:
        pad.mnist_preprocess(x)
    assert "got a flat row of 784 pixels" in str(refused.value)
    assert "[None" not in str(refused.value)  # x[None, :] would be read as a 1-pixel-tall image
    out = pad.mnist_preprocess(x.reshape(28, 28))  # the advice, followed
    assert np.ptp(np.nonzero(out.reshape(28, 28))[0]) + 1 == pad.BOX  # a whole digit


@pytest.mark.parametrize("shape", [(1, 784), (5, 784), (5, 28, 28)])
def test_a_batch_is_refused_not_read_as_one_drawing(images, shape):
    X = images[0][:shape[0]]
    with pytest.raises(ValueError, match="one image at a time") as refused:
        pad.mnist_preprocess(X.reshape(shape))
    assert "one 2-D image" in str(refused.value)


def test_area_resize_averages_areas():
    image = np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(pad.area_resize(image, 4, 4), image)
    np.testing.assert_allclose(pad.area_resize(image, 2, 2), [[2.5, 4.5], [10.5, 12.5]])
    odd = np.random.default_rng(0).random((7, 5))
    out = pad.area_resize(odd, 3, 4)
    assert out.shape == (3, 4)
    np.testing.assert_allclose(out.mean(), odd.mean())  # averages keep the mean


def test_move_to_corner_keeps_the_ink(images):
    X = images[0][:30]
    moved = pad.move_to_corner(X).reshape(-1, 28, 28)
    assert all(m[0].any() and m[:, 0].any() for m in moved)
    np.testing.assert_array_equal(np.sort(moved.reshape(30, -1), axis=1), np.sort(X, axis=1))


# --------------------------------------------------------------------------
# the pad: weights and its HTML
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_model():
    pytest.importorskip("tensorflow")
    from nnbook import models

    return models.build_mlp(hidden_units=(6, 5), seed=3, dropout=0.2)  # Dropout: no weights


def test_export_weights_round_trips_the_float32_weights(small_model):
    from nnbook import models

    export = pad.export_weights(small_model)
    json.dumps(export)  # JSON-ready
    layers = weights_from_export(export)
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
        pad.export_weights(softmax_out)


def test_digit_pad_has_the_interface_the_tests_use():
    pytest.importorskip("tensorflow")
    import keras

    from nnbook import models

    model = models.build_mlp(seed=0)
    X = np.zeros((2, 784))
    X[0, 400] = 1.0
    page = pad.digit_pad(model, examples=(X, [1, 7]))
    assert 'data-explorer="digit-pad"' in page.html
    for role in ("pad", "clear", "prediction", "input", "example", "centre", "bars",
                 "probabilities"):
        assert f'data-role="{role}"' in page.html
    payload = re.search(r'<script type="application/json" data-role="data">(.*?)</script>',
                        page.html).group(1)
    content = json.loads(payload)
    assert content["box"] == 20 and content["centre"] == 14.0 and content["size"] == 280
    assert content["examples"]["y"] == [1, 7] and content["examples"]["X"][0][400] == 1.0
    assert [layer["shape"] for layer in content["model"]["layers"]] == [[784, 25], [25, 15],
                                                                        [15, 10]]
    keras.backend.clear_session()
