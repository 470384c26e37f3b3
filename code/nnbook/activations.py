"""Activation functions: ReLU, sigmoid, linear, and the softmax family.

Every function takes an array of any shape (a list or a scalar works too):
float32 in gives float32 out, float64 gives float64, and integers and bools
become float64. NaN propagates (for the softmax family, to the whole slice
along ``axis`` that holds it). Complex, string or object input raises
``TypeError``.

The softmax family subtracts the maximum along ``axis`` before taking
exponentials, so nothing overflows: scores of ±1e4 give finite results, with
no warning, in float32 and float64.
"""

import numpy as np

from nnbook._validate import as_float_array, check_axis, check_nonempty

__all__ = ["linear", "relu", "relu_derivative", "sigmoid", "softmax", "softmax_jacobian",
           "log_softmax", "logsumexp"]


def linear(z):
    """The identity activation, :math:`g(z) = z`: a float copy of ``z``, same shape."""
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
        ``z`` where ``z > 0``, else 0.

    Raises
    ------
    TypeError
        If ``z`` is not a real numeric array.
    """
    z = as_float_array(z, "z")
    return np.asarray(np.maximum(z, z.dtype.type(0)))


def relu_derivative(z):
    """Derivative of :func:`relu`: 1 where ``z > 0``, else 0 (0 at ``z = 0``, like TensorFlow).

    Returns an ndarray of ``z``'s shape and float dtype; raises ``TypeError``
    as :func:`relu`.
    """
    z = as_float_array(z, "z")
    return np.asarray(np.heaviside(z, z.dtype.type(0)))


def sigmoid(z):
    """Logistic sigmoid, :math:`\\sigma(z) = 1 / (1 + e^{-z})`, element-wise.

    Computed from :math:`e^{-|z|}`, which never overflows: ``sigmoid(-1e4)``
    is 0 and ``sigmoid(1e4)`` is 1, with no warning. Returns an ndarray of
    ``z``'s shape and float dtype; raises ``TypeError`` as :func:`relu`.
    """
    z = as_float_array(z, "z")
    with np.errstate(under="ignore"):  # exp(-1e4) is 0 on purpose
        e = np.exp(-np.abs(z))
        out = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return np.asarray(out.astype(z.dtype, copy=False))


# A slice with NaN or +inf (or only -inf) has a NaN answer by definition, and a
# spread beyond the dtype's range rounds z - max z to -inf (whose exp is 0, the
# right answer rounded): neither deserves a warning.
_QUIET = dict(invalid="ignore", divide="ignore", over="ignore")


def _scores(z, axis):
    """``(z, axis, shape)``: ``z`` checked and at least 1-D, ``axis`` checked, the input shape."""
    z = as_float_array(z, "z")
    shape = z.shape
    z = np.atleast_1d(z)
    check_nonempty(z, "z")
    return z, check_axis(axis, z.ndim), shape


def _max(z, axis):
    """The max along ``axis`` (kept), with 0 for an all ``-inf`` slice so that it is not NaN."""
    m = np.max(z, axis=axis, keepdims=True)
    m[m == -np.inf] = 0
    return m


def softmax(z, axis=-1):
    """Softmax along ``axis``: :math:`p_k = e^{z_k} / \\sum_j e^{z_j}`.

    Computed as :math:`e^{z_k - \\max z} / \\sum_j e^{z_j - \\max z}`: the
    same number, since softmax ignores a constant added to every score, but
    every exponent is at most 0, so nothing overflows.

    Parameters
    ----------
    z : array_like, shape (K,) or (m, K) or any shape
        Scores (logits), the classes along ``axis``.
    axis : int, default -1
        The axis that holds the classes.

    Returns
    -------
    ndarray, same shape and float dtype as ``z``
        Probabilities in [0, 1] that sum to 1 along ``axis``. A slice with
        NaN or ``+inf``, or only ``-inf``, gives NaN for that slice only.

    Raises
    ------
    TypeError
        If ``z`` is not a real numeric array or ``axis`` is not an int.
    ValueError
        If ``z`` is empty or ``axis`` is out of range.
    """
    z, axis, shape = _scores(z, axis)
    return _softmax(z, axis).reshape(shape)


def _softmax(z, axis):
    """:func:`softmax` of a checked, at least 1-D ``z`` along a checked ``axis``."""
    with np.errstate(**_QUIET):
        e = np.exp(z - _max(z, axis))
        return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(z):
    """The derivatives of the softmax, :math:`\\partial p_k / \\partial z_j = p_k(\\delta_{kj} - p_j)`.

    Unlike ReLU or the sigmoid, which act on each score alone (their Jacobian
    is diagonal), softmax couples all the scores: every :math:`p_k` depends on
    every :math:`z_j`. The matrix is :math:`\\operatorname{diag}(\\mathbf{p}) -
    \\mathbf{p}^\\top \\mathbf{p}` for a row :math:`\\mathbf{p}`: symmetric, positive on
    the diagonal, negative off it, and each column sums to 0 (the
    probabilities keep summing to 1).

    Parameters
    ----------
    z : array_like, shape (K,) or (m, K)
        Scores (logits), the classes along the last axis.

    Returns
    -------
    ndarray, shape (K, K) or (m, K, K), float dtype of ``z``
        ``J[..., k, j]`` is :math:`\\partial p_k / \\partial z_j`, one matrix per row of ``z``.

    Raises
    ------
    TypeError
        If ``z`` is not a real numeric array.
    ValueError
        If ``z`` is empty or has more than two dimensions.
    """
    z, axis, _ = _scores(z, -1)
    if z.ndim > 2:
        raise ValueError(f"z must be one row of scores (K,) or a batch (m, K), got shape {z.shape}")
    p = _softmax(z, axis)
    return p[..., :, None] * (np.eye(p.shape[-1], dtype=p.dtype) - p[..., None, :])


def log_softmax(z, axis=-1):
    """Log of the softmax along ``axis``: :math:`z_k - \\log \\sum_j e^{z_j}`.

    Computed from :math:`s = z - \\max z` as :math:`s_k - \\log \\sum_j
    e^{s_j}`, so it stays finite where ``np.log(softmax(z))`` gives ``-inf``.
    Same arguments, shapes and errors as :func:`softmax`; every value is <= 0.
    """
    z, axis, shape = _scores(z, axis)
    with np.errstate(**_QUIET):
        s = z - _max(z, axis)
        s = s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))
    return s.reshape(shape)


def logsumexp(z, axis=-1):
    """:math:`\\log \\sum_j e^{z_j}` along ``axis``, computed as :math:`\\max z + \\log \\sum_j e^{z_j - \\max z}`.

    Returns ``z``'s shape without ``axis`` (a NumPy scalar for 1-D ``z``); a
    slice with NaN gives NaN, with ``+inf`` gives ``+inf``. Errors as
    :func:`softmax`.
    """
    z, axis, _ = _scores(z, axis)
    m = _max(z, axis)
    with np.errstate(**_QUIET):
        out = np.log(np.sum(np.exp(z - m), axis=axis))
    m = np.squeeze(m, axis=axis)
    return np.where(m == np.inf, m, m + out)[()]  # a +inf slice: the shift made it NaN
