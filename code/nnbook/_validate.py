"""Argument checks for the functions a reader calls.

Each helper takes the value and the *name of the argument* it came from, so
that every error message tells the reader which argument was wrong and why.
Internal calls trust their callers and do not use these.
"""

import math
import numbers

import numpy as np


def as_float_array(x, name):
    """Return ``x`` as a real float ndarray: float32/float64 unchanged, ints and bools as float64.

    Raises ``TypeError`` if ``x`` is complex, non-numeric or ragged.
    """
    try:
        arr = np.asarray(x)
    except ValueError as err:  # ragged nested lists
        raise TypeError(f"{name} must be a rectangular numeric array: {err}") from None
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError(f"{name} must be real, got complex dtype {arr.dtype}")
    if kind in "iub":
        return arr.astype(np.float64)
    if kind == "f":
        return arr.astype(np.float32) if arr.dtype == np.float16 else arr
    raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}")


def check_axis(axis, ndim, name="axis"):
    """Return ``axis`` as a non-negative int valid for an array of ``ndim`` dims."""
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}={axis} is out of range for an array with {ndim} dimension(s)")
    return int(axis) % ndim


def check_nonempty(arr, name):
    """Raise ``ValueError`` if ``arr`` has no elements."""
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); it needs at least one value")


def check_finite(arr, name):
    """Raise ``ValueError`` if the array ``arr`` holds NaN or an infinity."""
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} holds NaN or infinite values")


def as_labels(y, name, n_classes=None):
    """Return class labels as a 1-D int64 array, in ``0 .. n_classes - 1`` if given.

    Whole floats such as ``3.0`` are accepted. Raises ``TypeError`` for
    non-integer values, ``ValueError`` if ``y`` is not 1-D, is empty or holds
    a label out of range.
    """
    arr = np.asarray(y)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per example), got shape {arr.shape}")
    check_nonempty(arr, name)
    with np.errstate(invalid="ignore"):  # NaN and inf give NaN here, and fail
        whole = arr.dtype.kind != "f" or np.all(np.mod(arr, 1) == 0)
    if not whole:
        raise TypeError(f"{name} must hold integer class labels, got non-integer values")
    labels = arr.astype(np.int64)
    if n_classes is not None:
        bad = (labels < 0) | (labels >= n_classes)
        if bad.any():
            raise ValueError(f"{name} must be in 0..{n_classes - 1}, got {labels[bad][0]} "
                             f"({int(bad.sum())} label(s) out of range)")
    return labels


def check_X_y(X, y=None, *, n_features=None, n_classes=None, names=("X", "y")):
    """Return ``X`` as a 2-D float array (and ``y`` as int64 labels), or raise.

    The one check of a data set, for every function a reader passes data to
    (the scikit-learn pattern). ``X`` must be 2-D with one example per row,
    non-empty and finite, with ``n_features`` columns if given; ``y``, if
    given, one label per row (see :func:`check_y`). ``names`` are the
    argument names the messages use, such as ``("logits", "labels")``.

    Returns
    -------
    X, or (X, y)
        ``X`` keeps a float32 or float64 dtype (ints become float64).
    """
    x_name = names[0]
    X = as_float_array(X, x_name)
    if X.ndim != 2:
        hint = f" (for one example use {x_name}[None, :])" if X.ndim == 1 else ""
        if X.ndim == 1 and np.ndim(y) == 2:
            hint = (f", and {names[1]} is 2-D, {np.shape(y)}: are {x_name} and {names[1]} "
                    f"swapped? {x_name} comes first")
        raise ValueError(f"{x_name} must be 2-D, one row per example{hint}; got shape {X.shape}")
    check_nonempty(X, x_name)
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{x_name} has {X.shape[1]} columns but {n_features} are needed"
                         + (" (did you flatten the 28 x 28 images to rows of 784?)"
                            if n_features == 784 else ""))
    check_finite(X, x_name)
    if y is None:
        return X
    return X, check_y(y, len(X), n_classes, names)


def check_y(y, m, n_classes=None, names=("X", "y")):
    """Return ``y`` as ``m`` int64 labels (in ``0 .. n_classes - 1`` if given), one per row of ``names[0]``."""
    x_name, y_name = names
    y = as_labels(y, y_name, n_classes)
    if len(y) != m:
        raise ValueError(f"{y_name} has {len(y)} labels but {x_name} has {m} rows; "
                         f"they need one label per row")
    return y


def check_positive_int(value, name):
    """Return ``value`` as an int, raising unless it is a positive integer."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")
    return int(value)


def check_int_sequence(values, name):
    """Return ``values`` as a tuple of positive ints, such as layer sizes; messages name ``name[i]``."""
    try:
        values = tuple(values)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of positive ints, "
                        f"got {type(values).__name__}") from None
    return tuple(check_positive_int(v, f"{name}[{i}]") for i, v in enumerate(values))


def check_seed(seed):
    """Return ``seed`` as an int, raising unless it is an int >= 0."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return int(seed)


def check_number(value, name, positive=False):
    """Return ``value`` as a float, raising unless it is a finite real number (and > 0 if ``positive``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value) or (positive and value <= 0):
        raise ValueError(f"{name} must be a {'positive ' if positive else ''}finite number, "
                         f"got {value}")
    return value
