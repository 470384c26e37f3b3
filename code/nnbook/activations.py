"""Activation functions: ReLU, sigmoid, linear, and the softmax family.

Every function accepts an array of any shape (a Python list or scalar works
too) and follows the same dtype rules:

- float32 input gives float32 output, float64 gives float64;
- integer and boolean input is promoted to float64 (float16 to float32);
- complex, string or object input raises ``TypeError``;
- NaN propagates: a NaN input gives NaN in the matching output (for the
  softmax family, NaN for the whole slice along ``axis`` that holds it).

The softmax family (:func:`softmax`, :func:`log_softmax`, :func:`logsumexp`)
subtracts the maximum along ``axis`` before exponentiating, so no finite input
overflows: scores of ±1e4 give finite results, with no warning, in float32 and
float64.
"""

import numpy as np

from nnbook._validate import as_float_array, check_axis, check_nonempty

__all__ = [
    "linear",
    "relu",
    "relu_derivative",
    "sigmoid",
    "softmax",
    "log_softmax",
    "logsumexp",
]


def linear(z):
    """The identity activation, :math:`g(z) = z`.

    Parameters
    ----------
    z : array_like, any shape
        Pre-activations.

    Returns
    -------
    ndarray, same shape as ``z``
        A copy of ``z`` as a float array.
    """
    return np.array(as_float_array(z, "z"), copy=True)


def relu(z):
    """Rectified linear unit, :math:`g(z) = \\max(0, z)`, element-wise.

    Parameters
    ----------
    z : array_like, any shape
        Pre-activations.

    Returns
    -------
    ndarray, same shape and float dtype as ``z``
        ``z`` where ``z > 0``, else 0. NaN stays NaN.
    """
    z = as_float_array(z, "z")
    return np.maximum(z, z.dtype.type(0))


def relu_derivative(z):
    """Derivative of :func:`relu`: 1 where ``z > 0``, else 0.

    ReLU has no derivative at ``z = 0``; like TensorFlow's gradient of
    ``tf.nn.relu``, we use 0 there.

    Parameters
    ----------
    z : array_like, any shape
        Pre-activations.

    Returns
    -------
    ndarray, same shape and float dtype as ``z``
        1.0 where ``z > 0``, 0.0 where ``z <= 0``, NaN where ``z`` is NaN.
    """
    z = as_float_array(z, "z")
    return np.heaviside(z, z.dtype.type(0))


def sigmoid(z):
    """Logistic sigmoid, :math:`\\sigma(z) = 1 / (1 + e^{-z})`, element-wise.

    Computed as :math:`1/(1+e^{-|z|})` for ``z >= 0`` and
    :math:`e^{-|z|}/(1+e^{-|z|})` for ``z < 0``, so the exponential never
    overflows: ``sigmoid(-1e4)`` is 0 and ``sigmoid(1e4)`` is 1, with no warning.

    Parameters
    ----------
    z : array_like, any shape
        Pre-activations.

    Returns
    -------
    ndarray, same shape and float dtype as ``z``
        Values in [0, 1]. NaN stays NaN.
    """
    z = as_float_array(z, "z")
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(z.dtype, copy=False)


def _shift(z, axis):
    """Validate ``z`` and ``axis``; return ``(z, m, axis)``, ``m`` the max along ``axis``.

    ``z`` comes back at least 1-D and ``m`` with ``keepdims``. Where the
    maximum is not finite (a slice of all ``-inf``, or one with ``+inf``),
    ``m`` is 0 and the result is NaN for that slice.
    """
    z = np.atleast_1d(as_float_array(z, "z"))
    check_nonempty(z, "z")
    axis = check_axis(axis, z.ndim)
    m = np.max(z, axis=axis, keepdims=True)
    return z, np.where(np.isfinite(m), m, z.dtype.type(0)), axis


def softmax(z, axis=-1):
    """Softmax along ``axis``: :math:`p_k = e^{z_k} / \\sum_j e^{z_j}`.

    Computed as :math:`e^{z_k - \\max z} / \\sum_j e^{z_j - \\max z}`, which is
    the same number (softmax ignores a constant added to every score) but
    cannot overflow.

    Parameters
    ----------
    z : array_like, shape (K,) or (m, K) or any shape
        Scores (logits); ``K`` classes along ``axis``.
    axis : int, default -1
        The axis that holds the classes.

    Returns
    -------
    ndarray, same shape and float dtype as ``z``
        Probabilities in [0, 1] that sum to 1 along ``axis``.

    Raises
    ------
    TypeError
        If ``z`` is not a real numeric array, or ``axis`` is not an int.
    ValueError
        If ``z`` is empty or ``axis`` is out of range.
    """
    shape = np.shape(z)
    z, m, axis = _shift(z, axis)
    with np.errstate(invalid="ignore"):  # NaN slices stay NaN, by design
        e = np.exp(z - m)
        p = e / np.sum(e, axis=axis, keepdims=True)
    return p.reshape(shape)


def log_softmax(z, axis=-1):
    """Log of the softmax along ``axis``: :math:`z_k - \\log \\sum_j e^{z_j}`.

    Computed from the shifted scores, :math:`s = z - \\max z`, as
    :math:`s_k - \\log \\sum_j e^{s_j}`, so it stays finite where
    ``np.log(softmax(z))`` would give ``-inf``.

    Parameters
    ----------
    z : array_like, shape (K,) or (m, K) or any shape
        Scores (logits).
    axis : int, default -1
        The axis that holds the classes.

    Returns
    -------
    ndarray, same shape and float dtype as ``z``
        Log-probabilities, all <= 0.

    Raises
    ------
    TypeError, ValueError
        As :func:`softmax`.
    """
    shape = np.shape(z)
    z, m, axis = _shift(z, axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = z - m
        out = s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))
    return out.reshape(shape)


def logsumexp(z, axis=-1):
    """:math:`\\log \\sum_j e^{z_j}` along ``axis``, without overflow.

    Computed as :math:`\\max z + \\log \\sum_j e^{z_j - \\max z}`.

    Parameters
    ----------
    z : array_like, shape (K,) or (m, K) or any shape
        Scores.
    axis : int, default -1
        The axis to reduce.

    Returns
    -------
    ndarray or scalar of ``z``'s float dtype
        ``z``'s shape without ``axis`` (a 0-d array for a 1-D ``z``).

    Raises
    ------
    TypeError, ValueError
        As :func:`softmax`.
    """
    z, m, axis = _shift(z, axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(z - m), axis=axis))
    return out
