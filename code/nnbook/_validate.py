"""Input checks shared by the public functions of :mod:`nnbook`.

Each helper takes the value and the *name of the argument* it came from, so
that every error message tells the reader which argument was wrong and why.
"""

import math
import numbers
import os
from pathlib import Path

import numpy as np


def as_float_array(x, name):
    """Return ``x`` as a real floating-point ndarray.

    float32 and float64 arrays are returned unchanged (no copy); integer and
    boolean input is promoted to float64, float16 to float32.

    Raises
    ------
    TypeError
        If ``x`` is complex, non-numeric (strings, objects) or ragged.
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


def as_labels(y, name, n_classes=None):
    """Return integer class labels as a 1-D int64 array.

    Floats that are whole numbers (such as ``3.0``) are accepted; anything else
    that is not an integer raises.

    Raises
    ------
    TypeError
        If ``y`` is not numeric or holds non-integer values.
    ValueError
        If ``y`` is not 1-D, is empty, holds a value too large for int64
        (such as ``1e20``, beyond about ±9.2e18), or (with ``n_classes``)
        holds a label outside ``0 .. n_classes - 1``.
    """
    arr = np.asarray(y)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per example), got shape {arr.shape}")
    check_nonempty(arr, name)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise TypeError(f"{name} must hold integer class labels, got non-integer values")
        # float(2**63) is the first whole float that int64 cannot hold; -2**63 fits.
        too_big = (arr >= 2.0**63) | (arr < -(2.0**63))
    elif arr.dtype.kind == "u":
        too_big = arr > np.iinfo(np.int64).max
    else:
        too_big = np.zeros(arr.shape, dtype=bool)
    if too_big.any():
        raise ValueError(f"{name} holds a label too large for an int64, "
                         f"{arr[too_big][0]:.6g}; class labels are 0 .. K-1")
    labels = arr.astype(np.int64)
    if n_classes is not None:
        bad = (labels < 0) | (labels >= n_classes)
        if bad.any():
            raise ValueError(
                f"{name} must be in 0..{n_classes - 1}, got {labels[bad][0]} "
                f"({int(bad.sum())} label(s) out of range)"
            )
    return labels


def check_positive_int(value, name):
    """Return ``value`` as an int, raising unless it is a positive integer."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")
    return int(value)


def check_path(path, suffix):
    """Return ``path`` as a ``Path``, raising unless it is a path ending in ``suffix``."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or a path, got {type(path).__name__}")
    path = Path(path)
    if path.suffix != suffix:
        raise ValueError(f"path must end in {suffix}, got {str(path)!r}")
    return path


def check_int_sequence(values, name, min_len=0):
    """Return ``values`` as a tuple of positive ints, such as layer sizes.

    Each entry is checked with :func:`check_positive_int` under the name
    ``name[i]``, so the message points at the bad entry.

    Raises
    ------
    TypeError
        If ``values`` is not a sequence (a str is not accepted) or an entry is
        not an int.
    ValueError
        If it has fewer than ``min_len`` entries or an entry is not positive.
    """
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of positive ints, got {type(values).__name__}")
    try:
        values = tuple(values)
    except TypeError:
        raise TypeError(
            f"{name} must be a sequence of positive ints, got {type(values).__name__}"
        ) from None
    if len(values) < min_len:
        raise ValueError(f"{name} needs at least {min_len} sizes, got {values}")
    return tuple(check_positive_int(v, f"{name}[{i}]") for i, v in enumerate(values))


def _real(value, name):
    """``value`` as a float; ``TypeError`` unless it is a real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    return float(value)


def check_real(value, name):
    """Return ``value`` as a float, raising unless it is a finite real number.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (bools, strings and complex numbers
        are refused).
    ValueError
        If it is NaN or infinite.
    """
    value = _real(value, name)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_positive_number(value, name):
    """Return ``value`` as a float, raising unless it is a positive finite number.

    Raises ``TypeError`` as :func:`check_real`, ``ValueError`` if it is not
    positive or not finite.
    """
    value = _real(value, name)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return value


def check_fraction(value, name):
    """Return ``value`` as a float, raising unless it is in ``[0, 1)``.

    For a dropout rate or a decay such as Adam's betas. Raises ``TypeError``
    as :func:`check_real`, ``ValueError`` if it is outside ``[0, 1)`` or NaN.
    """
    value = _real(value, name)
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value}")
    return value


def check_number(value, name, positive=False):
    """Return ``value`` as a float, raising unless it is a finite real number (and > 0 if ``positive``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value) or (positive and value <= 0):
        raise ValueError(f"{name} must be a {'positive ' if positive else ''}finite number, "
                         f"got {value}")
    return value


def check_finite(arr, name):
    """Raise ``ValueError`` if the array ``arr`` holds NaN or an infinity."""
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} holds NaN or infinite values")


def check_seed(seed):
    """Return ``seed`` as an int, raising unless it is an int >= 0."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return int(seed)


def check_X_y(X, y=None, *, n_features=None, n_classes=None, names=("X", "y")):
    """Return ``X`` as a 2-D float array (and ``y`` as int64 labels), or raise.

    The one check of a data set, for every function a reader passes data to
    (the scikit-learn pattern). ``X`` must be 2-D with one example per row,
    non-empty and finite, with ``n_features`` columns if given; ``y``, if
    given, one label per row, in ``0 .. n_classes - 1`` if given. ``names``
    are the argument names the messages use, such as ``("logits", "labels")``.

    Returns
    -------
    X, or (X, y)
        ``X`` keeps a float32 or float64 dtype (ints become float64).
    """
    x_name, y_name = names
    X = as_float_array(X, x_name)
    if X.ndim != 2:
        hint = f" (for one example use {x_name}[None, :])" if X.ndim == 1 else ""
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
