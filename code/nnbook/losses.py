"""Loss functions: cross-entropy from probabilities and from logits, and MSE.

Notation (as in the book): ``m`` examples, ``K`` classes, ``y`` integer labels
in ``0 .. K-1``, ``Y`` their one-hot rows, ``z`` logits (raw scores), ``p``
probabilities. A *loss* is the number for one example; the *cost* the
functions return by default is the mean of the losses over the ``m`` examples.

Dtype rules, shared by every function here:

- float32 input gives float32 results and float64 gives float64; integer and
  boolean input is promoted to float64 (float16 to float32). Where two float
  arrays meet, the result has the wider of their dtypes.
- Labels may be any integer dtype, or floats holding whole numbers (``3.0``).
- complex, string or object input raises ``TypeError``; NaN or infinite
  logits or probabilities raise ``ValueError`` (a loss that silently becomes
  NaN is much harder to debug than an error that says where it came from).

The module is pure NumPy: it never imports TensorFlow.
"""

import numpy as np

from nnbook._validate import (
    as_float_array,
    as_labels,
    check_finite,
    check_nonempty,
    check_positive_int,
    check_real,
)
from nnbook.activations import log_softmax, softmax

__all__ = [
    "EPSILON",
    "one_hot",
    "cross_entropy",
    "sparse_cross_entropy",
    "sparse_cross_entropy_grad",
    "mse",
    "softmax_mse_grad",
]

#: Smallest probability :func:`cross_entropy` takes the log of, the same as
#: Keras's ``keras.config.epsilon()``. ``-log(EPSILON)`` is about 16.12.
EPSILON = 1e-7

#: How far a row of probabilities may be from summing to 1 (float32 softmax
#: outputs sum to 1 only to within a few 1e-7 per class).
SUM_TOLERANCE = 1e-4

_REDUCTIONS = ("mean", "sum", "none")


def one_hot(labels, n_classes):
    """One-hot rows for integer labels: ``Y[i, k] = 1`` if ``labels[i] == k``, else 0.

    Parameters
    ----------
    labels : array_like of int, shape (m,)
        Class labels in ``0 .. n_classes - 1``.
    n_classes : int
        The number of classes ``K`` (the number of columns).

    Returns
    -------
    ndarray of float64, shape (m, K)
        Each row holds a single 1, in the column of its label.

    Raises
    ------
    TypeError
        If ``labels`` holds non-integer values or ``n_classes`` is not an int.
    ValueError
        If ``labels`` is not 1-D or empty, ``n_classes`` is not positive, or a
        label is outside ``0 .. n_classes - 1``.

    Examples
    --------
    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    n_classes = check_positive_int(n_classes, "n_classes")
    labels = as_labels(labels, "labels", n_classes)
    Y = np.zeros((len(labels), n_classes))
    Y[np.arange(len(labels)), labels] = 1.0
    return Y


def _as_matrix(x, name, what):
    """``x`` as a finite, non-empty 2-D float array (m, K)."""
    arr = as_float_array(x, name)
    if arr.ndim != 2:
        hint = f" (for one example use {name}[None, :])" if arr.ndim == 1 else ""
        raise ValueError(f"{name} must be 2-D, one row of {what} per example{hint}; "
                         f"got shape {arr.shape}")
    check_nonempty(arr, name)
    check_finite(arr, name)
    return arr


def _check_distribution(arr, name):
    """Raise unless every row of ``arr`` lies in [0, 1] and sums to 1."""
    if arr.min() < 0 or arr.max() > 1:
        raise ValueError(f"{name} must lie in [0, 1], got values from {arr.min():.4g} "
                         f"to {arr.max():.4g}")
    sums = arr.sum(axis=1)
    bad = np.abs(sums - 1) > SUM_TOLERANCE
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"each row of {name} must sum to 1, but row {i} sums to "
                         f"{sums[i]:.6g} ({int(bad.sum())} row(s) off)")


def _labels_for(labels, logits, name="labels"):
    """Validate ``labels`` against ``logits`` (m, K); return int64 labels."""
    labels = as_labels(labels, name, logits.shape[1])
    if len(labels) != len(logits):
        raise ValueError(f"{name} has {len(labels)} entries but logits has "
                         f"{len(logits)} rows; they need one label per example")
    return labels


def _reduce(losses, reduction):
    if reduction == "mean":
        return losses.mean(dtype=losses.dtype)[()]
    if reduction == "sum":
        return losses.sum(dtype=losses.dtype)[()]
    return losses


def _check_reduction(reduction):
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def cross_entropy(y_onehot, probs, eps=EPSILON):
    r"""Mean cross-entropy between one-hot labels and predicted probabilities.

    .. math::

        J = -\frac{1}{m} \sum_{i=1}^{m} \sum_{k=1}^{K} Y_{ik} \log \max(p_{ik}, \epsilon)

    With one-hot rows only the true class counts, so each example's loss is
    :math:`-\log p_{i, y_i}`, minus the log of the probability it gave the
    right class.

    **A probability of 0 for the right class.** Its log is :math:`-\infty`,
    and one such example would make the whole cost infinite. Like Keras, the
    probabilities are clipped from below at ``eps`` (default ``1e-7``), so the
    largest loss one example can have is :math:`-\log \epsilon \approx 16.12`.
    Unlike Keras, they are not clipped from above, so a row that gives the
    right class probability exactly 1 has loss exactly 0 (Keras gives
    :math:`-\log(1 - 10^{-7}) \approx 10^{-7}`). Pass ``eps=0`` for the exact
    formula: it then returns ``inf`` (with no warning) when a right class has
    probability 0. :func:`sparse_cross_entropy`, which starts from logits,
    needs no clipping at all.

    Parameters
    ----------
    y_onehot : array_like, shape (m, K)
        The labels as one-hot rows. Any rows that are probability
        distributions (soft labels) are accepted too.
    probs : array_like, shape (m, K)
        Predicted probabilities, for example a softmax output: values in
        [0, 1], each row summing to 1 (within ``SUM_TOLERANCE`` = 1e-4).
    eps : float, default 1e-7
        The smallest probability whose log is taken, in ``[0, 0.5)``.

    Returns
    -------
    numpy float scalar
        The cost, of the wider float dtype of ``y_onehot``
        and ``probs``; it is >= 0.

    Raises
    ------
    TypeError
        If an argument is not a real numeric array (or ``eps`` not a real
        number).
    ValueError
        If ``y_onehot`` or ``probs`` is not 2-D, is empty, holds NaN or inf, has
        values outside [0, 1] or rows that do not sum to 1; if their shapes
        differ; or if ``eps`` is NaN or outside [0, 0.5).

    Examples
    --------
    >>> float(cross_entropy([[0, 1, 0]], [[0.2, 0.7, 0.1]]))  # -log 0.7
    0.35667494393873245
    """
    y = _as_matrix(y_onehot, "y_onehot", "labels")
    p = _as_matrix(probs, "probs", "probabilities")
    if y.shape != p.shape:
        raise ValueError(f"y_onehot and probs must have the same shape, got {y.shape} "
                         f"and {p.shape}")
    _check_distribution(y, "y_onehot")
    _check_distribution(p, "probs")
    eps = check_real(eps, "eps")
    if not 0 <= eps < 0.5:
        raise ValueError(f"eps must be in [0, 0.5), got {eps}")
    dtype = np.result_type(y.dtype, p.dtype)
    y, p = y.astype(dtype, copy=False), p.astype(dtype, copy=False)
    # eps=0 and p=0: the log is -inf, on purpose. Only the classes with y > 0
    # count, so the NaN of 0 * -inf (for a wrong class) is thrown away.
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.log(np.maximum(p, dtype.type(eps)))
        terms = np.where(y > 0, y * log_p, dtype.type(0))
    losses = -terms.sum(axis=1)
    return np.maximum(losses, dtype.type(0)).mean(dtype=dtype)[()]


def sparse_cross_entropy(labels, logits, reduction="mean"):
    r"""Cross-entropy from integer labels and logits (raw scores).

    The loss of example :math:`i` is minus the log-softmax of its right class:

    .. math::

        L_i = -\log \operatorname{softmax}(z_i)_{y_i}
            = -z_{i, y_i} + \log \sum_{k=1}^{K} e^{z_{ik}}

    computed with :func:`nnbook.activations.log_softmax`, which subtracts the
    row maximum first. So it is finite for any finite logits whose spread
    fits in the dtype (up to ±1e4 and far beyond, in float32 and float64),
    where ``-log(softmax(z))`` gives ``inf`` once the right class's
    probability rounds to 0. Only a right class whose score is more than the
    dtype's largest value (about 3.4e38 in float32, 1.8e308 in float64) below
    the row's maximum gets a loss of ``inf``, without a warning. This is what Keras's
    ``SparseCategoricalCrossentropy(from_logits=True)`` computes.

    "Sparse" means the labels are integers (``y = [3, 0, ...]``) rather than
    one-hot rows; the number is the same as :func:`cross_entropy` of
    ``one_hot(labels, K)`` and ``softmax(logits)``.

    Parameters
    ----------
    labels : array_like of int, shape (m,)
        The right class of each example, in ``0 .. K-1``.
    logits : array_like, shape (m, K)
        Scores, one row per example (the output of a linear last layer).
    reduction : {"mean", "sum", "none"}, default "mean"
        Return the mean over the examples (the cost :math:`J`), their sum, or
        the ``m`` losses :math:`L_i` themselves.

    Returns
    -------
    numpy float scalar or ndarray of shape (m,)
        A scalar for "mean" and "sum", an array of shape (m,) for "none";
        in the float dtype of ``logits``. Every loss is >= 0.

    Raises
    ------
    TypeError
        If ``labels`` holds non-integer values or ``logits`` is not a real
        numeric array.
    ValueError
        If ``logits`` is not 2-D, is empty or holds NaN or inf; if ``labels``
        is not 1-D, has a different length from ``logits`` or holds a label
        outside ``0 .. K-1``; or if ``reduction`` is not one of the three.

    Examples
    --------
    >>> float(sparse_cross_entropy([0], [[30.0, 0.0, -30.0]]))  # about e^-30
    9.348077867343381e-14
    """
    _check_reduction(reduction)
    z = _as_matrix(logits, "logits", "scores")
    labels = _labels_for(labels, z)
    losses = -log_softmax(z, axis=1)[np.arange(len(z)), labels]
    # The true loss is >= 0; rounding could give -0.0 or a tiny negative.
    losses = np.maximum(losses, z.dtype.type(0))
    return _reduce(losses, reduction)


def sparse_cross_entropy_grad(labels, logits):
    r"""Gradient of the mean :func:`sparse_cross_entropy` with respect to the logits.

    .. math::

        \frac{\partial J}{\partial z_{ik}} = \frac{1}{m}
        \left(\operatorname{softmax}(z_i)_k - Y_{ik}\right)

    with :math:`Y` the one-hot labels: predicted probability minus target,
    divided by the number of examples. Each row sums to 0: the right class's
    score is pushed up by as much as all the other scores together are
    pushed down.

    Parameters
    ----------
    labels : array_like of int, shape (m,)
        The right class of each example, in ``0 .. K-1``.
    logits : array_like, shape (m, K)
        Scores, one row per example.

    Returns
    -------
    ndarray, shape (m, K), float dtype of ``logits``
        Entries in [-1/m, 1/m]; finite for any finite logits.

    Raises
    ------
    TypeError, ValueError
        As :func:`sparse_cross_entropy`.
    """
    z = _as_matrix(logits, "logits", "scores")
    labels = _labels_for(labels, z)
    g = softmax(z, axis=1)
    g[np.arange(len(z)), labels] -= 1
    return g / z.dtype.type(len(z))


def _same_shape_pair(y, y_hat):
    y = as_float_array(y, "y")
    y_hat = as_float_array(y_hat, "y_hat")
    if y.shape != y_hat.shape:
        raise ValueError(f"y and y_hat must have the same shape, got {y.shape} and "
                         f"{y_hat.shape}")
    check_nonempty(y, "y")
    check_finite(y, "y")
    check_finite(y_hat, "y_hat")
    dtype = np.result_type(y.dtype, y_hat.dtype)
    return y.astype(dtype, copy=False), y_hat.astype(dtype, copy=False)


def mse(y, y_hat):
    r"""Mean squared error: the mean of :math:`(\hat y - y)^2` over every entry.

    .. math::

        \mathrm{MSE} = \frac{1}{N} \sum_{j=1}^{N} (\hat y_j - y_j)^2

    with :math:`N` the number of entries (``m * K`` for arrays of shape
    (m, K)). For 2-D input this is what Keras's ``MeanSquaredError`` gives.

    Parameters
    ----------
    y : array_like, any shape
        Targets (for classification, one-hot rows).
    y_hat : array_like, same shape as ``y``
        Predictions. The shapes must match exactly: no broadcasting, since a
        silently broadcast (m,) against (m, 1) is a classic bug.

    Returns
    -------
    numpy float scalar
        The mean, >= 0, of the wider float dtype of ``y`` and ``y_hat``.

    Raises
    ------
    TypeError
        If ``y`` or ``y_hat`` is not a real numeric array.
    ValueError
        If the shapes differ, the arrays are empty, or they hold NaN or inf.
    """
    y, y_hat = _same_shape_pair(y, y_hat)
    return np.mean(np.square(y_hat - y), dtype=y.dtype)[()]


def softmax_mse_grad(labels, logits):
    r"""Gradient, with respect to the logits, of MSE between softmax outputs and one-hot labels.

    The cost is :math:`J = \mathrm{MSE}(Y, p)` with :math:`p_i =
    \operatorname{softmax}(z_i)`, averaged over all :math:`mK` entries. By the
    chain rule through the softmax (whose Jacobian is
    :math:`\partial p_k / \partial z_j = p_k(\delta_{kj} - p_j)`),

    .. math::

        g_{ik} = \frac{2}{mK}(p_{ik} - Y_{ik}), \qquad
        \frac{\partial J}{\partial z_{ik}} = p_{ik}
        \Big(g_{ik} - \sum_{j} p_{ij}\, g_{ij}\Big).

    Every term carries a factor :math:`p_{ik}`, so when the network is
    confidently wrong (the right class's :math:`p` near 0 and one wrong
    class's near 1) the gradient nearly vanishes. Compare
    :func:`sparse_cross_entropy_grad`, which stays near :math:`\pm 1/m`.

    Parameters
    ----------
    labels : array_like of int, shape (m,)
        The right class of each example, in ``0 .. K-1``.
    logits : array_like, shape (m, K)
        Scores, one row per example.

    Returns
    -------
    ndarray, shape (m, K), float dtype of ``logits``

    Raises
    ------
    TypeError, ValueError
        As :func:`sparse_cross_entropy`.
    """
    z = _as_matrix(logits, "logits", "scores")
    labels = _labels_for(labels, z)
    p = softmax(z, axis=1)
    Y = one_hot(labels, z.shape[1]).astype(z.dtype, copy=False)
    g = z.dtype.type(2 / z.size) * (p - Y)
    return p * (g - np.sum(p * g, axis=1, keepdims=True))
