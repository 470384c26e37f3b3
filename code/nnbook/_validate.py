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
        If ``y`` is not 1-D, is empty, or (with ``n_classes``) holds a label
        outside ``0 .. n_classes - 1``.
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


def check_positive_number(value, name):
    """Return ``value`` as a float, raising unless it is a positive finite number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return float(value)


def check_seed(seed):
    """Return ``seed`` as an int, raising unless it is an int >= 0."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return int(seed)
