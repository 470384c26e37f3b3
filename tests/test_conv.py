"""Tests of nnbook.conv against Keras's layers and SciPy's 2-D correlation."""

import numpy as np
import pytest
from scipy import signal

from nnbook import conv, data
from nnbook.models import keras


@pytest.fixture(scope="module")
def digit():
    X, y = data.load_mnist_subset()
    return data.to_image(X[0]).astype(np.float64)


def _keras_conv(x, kernel, bias, padding):
    """Keras's Conv2D output for one (H, W, C) image, with the given weights."""
    layer = keras.layers.Conv2D(kernel.shape[-1], kernel.shape[:2], padding=padding)
    layer.build((1, *x.shape))
    layer.set_weights([kernel.astype(np.float32), bias.astype(np.float32)])
    return np.asarray(layer(x[None].astype(np.float32)))[0]


# ---------------------------------------------------------------- conv2d


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_conv2d_equals_scipy_correlate2d(digit, padding, k):
    kernel = np.random.default_rng(k).normal(size=(k, k))
    expected = signal.correlate2d(digit, kernel, mode=padding)
    got = conv.conv2d(digit, kernel, padding=padding)
    assert got.shape == expected.shape == ((28, 28) if padding == "same" else (29 - k, 29 - k))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_conv2d_is_a_cross_correlation_not_a_flipped_convolution(digit):
    kernel = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
    got = conv.conv2d(digit, kernel)
    np.testing.assert_allclose(got, signal.convolve2d(digit, kernel[::-1, ::-1], mode="valid"),
                               atol=1e-12)
    assert not np.allclose(got, signal.convolve2d(digit, kernel, mode="valid"))


def test_conv2d_by_hand_on_a_small_image():
    image = np.arange(16.0).reshape(4, 4)
    kernel = np.array([[1.0, 0.0], [0.0, -1.0]])
    # each output is image[i, j] - image[i + 1, j + 1] = -5
    np.testing.assert_array_equal(conv.conv2d(image, kernel), np.full((3, 3), -5.0))
    np.testing.assert_array_equal(conv.conv2d(image, kernel, bias=5.0), np.zeros((3, 3)))


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("shape", [(3, 3, 1, 4), (3, 3, 2, 3), (2, 2, 3, 2), (4, 3, 2, 2),
                                   (5, 5, 1, 1)])
def test_conv2d_equals_keras_conv2d(padding, shape):
    rng = np.random.default_rng(sum(shape))
    x = rng.normal(size=(11, 9, shape[2]))
    kernel, bias = rng.normal(size=shape), rng.normal(size=shape[-1])
    got = conv.conv2d(x, kernel, bias, padding=padding)
    expected = _keras_conv(x, kernel, bias, padding)
    assert got.shape == expected.shape
    # Keras computes in float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)


def test_conv2d_2d_image_with_4d_kernel_is_one_channel(digit):
    kernel = np.random.default_rng(0).normal(size=(3, 3, 1, 2))
    got = conv.conv2d(digit, kernel)
    assert got.shape == (26, 26, 2)
    np.testing.assert_allclose(got[:, :, 1], conv.conv2d(digit, kernel[:, :, 0, 1]), atol=1e-12)


# ---------------------------------------------------------------- max pooling


@pytest.mark.parametrize("shape, pool", [((28, 28, 3), 2), ((13, 13, 2), 2), ((9, 7, 1), 3)])
def test_max_pool2d_equals_keras(shape, pool):
    x = np.random.default_rng(0).normal(size=shape)
    expected = np.asarray(keras.layers.MaxPooling2D(pool)(x[None].astype(np.float32)))[0]
    got = conv.max_pool2d(x, pool)
    assert got.shape == expected.shape == (shape[0] // pool, shape[1] // pool, shape[2])
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_max_pool2d_by_hand():
    image = np.array([[1.0, 2.0, 0.0, 0.0, 9.0],
                      [3.0, 4.0, 5.0, -1.0, 9.0],
                      [9.0, 9.0, 9.0, 9.0, 9.0]])
    # 2 x 2 blocks; the last row and column are dropped
    np.testing.assert_array_equal(conv.max_pool2d(image), [[4.0, 5.0]])


# ---------------------------------------------------------------- sizes and parameters


@pytest.mark.parametrize("n, k, padding, filters, channels", [
    (28, 3, "valid", 32, 1), (26, 3, "valid", 32, 32), (12, 3, "same", 64, 32),
    (28, 5, "valid", 8, 1), (7, 2, "same", 3, 5), (10, 1, "valid", 4, 6)])
def test_output_size_and_parameter_count_match_keras(n, k, padding, filters, channels):
    layer = keras.layers.Conv2D(filters, k, padding=padding)
    out = layer.compute_output_shape((None, n, n, channels))
    layer.build((None, n, n, channels))
    size = conv.conv_output_size(n, k, padding)
    assert out == (None, size, size, filters)
    assert layer.count_params() == conv.conv_parameter_count(k, channels, filters)
    assert conv.conv_parameter_count(k, channels, filters) == (k * k * channels + 1) * filters


# ---------------------------------------------------------------- shifting


def test_shift_images_moves_the_picture_and_fills_with_zeros():
    X = np.arange(2 * 784, dtype=np.float32).reshape(2, 784)
    images = X.reshape(2, 28, 28)
    moved = conv.shift_images(X, rows=2, cols=-3).reshape(2, 28, 28)
    np.testing.assert_array_equal(moved[:, 2:, :25], images[:, :26, 3:])
    assert np.all(moved[:, :2, :] == 0) and np.all(moved[:, :, 25:] == 0)
    assert moved.dtype == np.float32
    np.testing.assert_array_equal(conv.shift_images(X), X)


def test_shift_images_there_and_back_keeps_a_digit_with_a_margin():
    X, _ = data.load_mnist_subset()
    x = X[:20]
    # rows and columns 0-1 and 26-27 are empty in these images
    assert np.all(x.reshape(-1, 28, 28)[:, [0, 1, 26, 27], :] == 0)
    back = conv.shift_images(conv.shift_images(x, rows=2), rows=-2)
    np.testing.assert_array_equal(back, x)


# ---------------------------------------------------------------- "same" padding with a stride


@pytest.mark.parametrize("n", [7, 8, 28])
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("s", [1, 2, 3])
def test_same_padding_is_where_keras_puts_its_zeros(n, k, s):
    rng = np.random.default_rng(n * 100 + k * 10 + s)
    image, kernel = rng.normal(size=(n, n)), rng.normal(size=(k, k))
    layer = keras.layers.Conv2D(1, k, strides=s, padding="same", use_bias=False)
    layer.build((1, n, n, 1))
    layer.set_weights([kernel.reshape(k, k, 1, 1).astype(np.float32)])
    theirs = np.asarray(layer(image.reshape(1, n, n, 1).astype(np.float32)))[0, :, :, 0]
    before, after = conv.same_padding(n, k, s)
    padded = np.pad(image, [(before, after), (before, after)])
    mine = signal.correlate2d(padded, kernel, mode="valid")[::s, ::s]
    assert theirs.shape == mine.shape == (-(-n // s),) * 2
    np.testing.assert_allclose(theirs, mine, atol=1e-4)


def test_same_padding_with_stride_2_is_one_zero_after_not_one_on_each_side():
    assert conv.same_padding(28, 3, 1) == (1, 1)
    assert conv.same_padding(28, 3, 2) == (0, 1)
    assert conv.same_padding(28, 3, 3) == (1, 1)
    assert conv.same_padding(5, 1, 1) == (0, 0)
