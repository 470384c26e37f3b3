"""Activation functions: ReLU, sigmoid, linear, and the softmax family.

Every function accepts an array of any shape (a Python list or scalar works
too) and follows the same dtype rules:

- float32 input gives float32 output, float64 gives float64;
- integer and boolean input is promoted to float64 (float16 to float32);
- complex, string or object input raises ``TypeError``;
- NaN propagates: a NaN input gives NaN in the matching output (for the
  softmax family, NaN for the whole slice along ``axis`` that holds it).

The softmax family (:func:`softmax`, :func:`log_softmax`, :func:`logsumexp`)
subtracts the maximum along ``axis`` before exponentiating, so the exponential
never overflows: scores of ±1e4 give finite results, with no warning, in
float32 and float64. This holds for scores whose spread (largest minus
smallest along ``axis``) fits in the dtype, below about 3.4e38 in float32 and
1.8e308 in float64. Beyond that the difference ``z - max z`` itself rounds to
``-inf``: the softmax of such a score is 0 (the right answer, rounded) and its
log-softmax ``-inf``, still with no warning.
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
    ndarray, same shape and float dtype as ``z``
        A copy of ``z`` as a float array (0-d for a scalar). NaN stays NaN.

    Raises
    ------
    TypeError
        If ``z`` is complex, non-numeric (strings, objects) or ragged.
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
        ``z`` where ``z > 0``, else 0 (0-d for a scalar). NaN stays NaN;
        ``relu(inf)`` is ``inf`` and ``relu(-inf)`` is 0.

    Raises
    ------
    TypeError
        If ``z`` is complex, non-numeric (strings, objects) or ragged.
    """
    z = as_float_array(z, "z")
    return np.asarray(np.maximum(z, z.dtype.type(0)))


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
        1.0 where ``z > 0``, 0.0 where ``z <= 0`` (including ``-0.0``), NaN
        where ``z`` is NaN; 0-d for a scalar.

    Raises
    ------
    TypeError
        If ``z`` is complex, non-numeric (strings, objects) or ragged.
    """
    z = as_float_array(z, "z")
    return np.asarray(np.heaviside(z, z.dtype.type(0)))


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
        Values in [0, 1] (0-d for a scalar). NaN stays NaN.

    Raises
    ------
    TypeError
        If ``z`` is complex, non-numeric (strings, objects) or ragged.
    """
    z = as_float_array(z, "z")
    with np.errstate(under="ignore"):  # exp(-1e4) is 0 by design, even under np.seterr(all="raise")
        e = np.exp(-np.abs(z))
        out = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return np.asarray(out.astype(z.dtype, copy=False))


# After the shift every exponent is <= 0 (or NaN), so exp never overflows.
# "invalid" (inf - inf, 0 / 0) and "divide" (log 0) can only happen in a slice
# that holds NaN or +inf, or only -inf; its answer is NaN (or +-inf for
# logsumexp) by definition, so the warning would tell the reader nothing.
# "over" can only come from the shift z - max z of finite scores whose spread
# exceeds the dtype's range (float32 [3e38, -3e38]): it rounds to -inf, whose
# exponential is 0, the correctly rounded answer.
_NONFINITE_SLICE = dict(invalid="ignore", divide="ignore", over="ignore")


def _shift(z, axis):
    """Validate ``z`` and ``axis``; return ``(z, m, axis, shape)``.

    ``z`` comes back at least 1-D, ``m`` is its max along ``axis`` (with
    ``keepdims``) and ``shape`` is the shape of the input (``()`` for a
    scalar). ``m`` is NaN for a slice with NaN (so the whole slice becomes
    NaN, and nothing is exponentiated that could overflow), ``+inf`` for a
    slice with ``+inf`` (``inf - inf`` is NaN: the slice becomes NaN), and 0
    for a slice of all ``-inf`` (its exponentials are all 0).
    """
    z = as_float_array(z, "z")
    shape = z.shape
    z = np.atleast_1d(z)
    check_nonempty(z, "z")
    axis = check_axis(axis, z.ndim)
    m = np.max(z, axis=axis, keepdims=True)  # a new array: safe to edit in place
    m[m == -np.inf] = 0
    return z, m, axis, shape


def softmax(z, axis=-1):
    """Softmax along ``axis``: :math:`p_k = e^{z_k} / \\sum_j e^{z_j}`.

    Computed as :math:`e^{z_k - \\max z} / \\sum_j e^{z_j - \\max z}`, which is
    the same number (softmax ignores a constant added to every score) but
    cannot overflow: every exponent is at most 0, so every :math:`e^{\\cdot}`
    is in [0, 1] and the sum is in [1, K]. That holds for scores whose spread
    fits in the dtype; when it does not (float32 ``[3e38, -3e38]``), the
    shift of the far-below score rounds to ``-inf`` and its probability is 0,
    the correctly rounded answer, again without a warning.

    Parameters
    ----------
    z : array_like, shape (K,) or (m, K) or any shape
        Scores (logits); ``K`` classes along ``axis``.
    axis : int, default -1
        The axis that holds the classes.

    Returns
    -------
    ndarray, same shape and float dtype as ``z``
        Probabilities in [0, 1] that sum to 1 along ``axis`` (within 1e-6 in
        float32, 1e-12 in float64). A slice that holds NaN or ``+inf``, or
        only ``-inf``, gives NaN for that slice only. A scalar ``z`` gives a
        0-d array equal to 1.

    Raises
    ------
    TypeError
        If ``z`` is not a real numeric array (complex, strings, objects,
        ragged lists), or ``axis`` is not an int.
    ValueError
        If ``z`` is empty or ``axis`` is out of range.

    Notes
    -----
    No warning is emitted for any input, finite or not.
    """
    z, m, axis, shape = _shift(z, axis)
    with np.errstate(**_NONFINITE_SLICE):
        p = np.subtract(z, m)  # the only full-size array allocated
        np.exp(p, out=p)
        p /= np.sum(p, axis=axis, keepdims=True)
    return p.reshape(shape)


def log_softmax(z, axis=-1):
    """Log of the softmax along ``axis``: :math:`z_k - \\log \\sum_j e^{z_j}`.

    Computed from the shifted scores, :math:`s = z - \\max z`, as
    :math:`s_k - \\log \\sum_j e^{s_j}`, so it stays finite where
    ``np.log(softmax(z))`` would give ``-inf``, for scores whose spread fits
    in the dtype. A score more than the dtype's largest value below the
    maximum (float64 ``[1e308, -1e308]``) gets ``-inf``, without a warning:
    its true log-probability is not representable.

    Parameters
    ----------
    z : array_like, shape (K,) or (m, K) or any shape
        Scores (logits).
    axis : int, default -1
        The axis that holds the classes.

    Returns
    -------
    ndarray, same shape and float dtype as ``z``
        Log-probabilities, all <= 0. A slice that holds NaN or ``+inf``, or
        only ``-inf``, gives NaN for that slice only, as :func:`softmax`.
        No warning is emitted for any input.

    Raises
    ------
    TypeError, ValueError
        As :func:`softmax`.
    """
    z, m, axis, shape = _shift(z, axis)
    with np.errstate(**_NONFINITE_SLICE):
        s = np.subtract(z, m)
        s -= np.log(np.sum(np.exp(s), axis=axis, keepdims=True))
    return s.reshape(shape)


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
    ndarray or NumPy scalar of ``z``'s float dtype
        ``z``'s shape without ``axis`` (a NumPy scalar for a 1-D or scalar
        ``z``). A slice with NaN gives NaN, one with ``+inf`` gives ``+inf``,
        one of all ``-inf`` gives ``-inf``.

    Raises
    ------
    TypeError, ValueError
        As :func:`softmax`.
    """
    z, m, axis, _ = _shift(z, axis)
    with np.errstate(**_NONFINITE_SLICE):
        out = np.log(np.sum(np.exp(z - m), axis=axis))
    m = np.squeeze(m, axis=axis)
    # A slice with +inf (and no NaN) sums to +inf; the shift made it NaN.
    out = np.where(m == np.inf, m, m + out)
    return out[()]
