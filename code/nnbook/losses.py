"""Loss functions: cross-entropy from probabilities and from logits, and MSE.

Notation (as in the book): ``m`` examples, ``K`` classes, ``labels`` integers
in ``0 .. K-1``, ``Y`` their one-hot rows, ``logits`` the raw scores ``z``,
``probs`` the probabilities ``p``. A *loss* is the number for one example; the
*cost* these functions return by default is the mean loss over the examples.

float32 in gives float32 out, float64 gives float64 (the wider where two
arrays meet); integer input becomes float64. NaN or infinite logits or
probabilities raise ``ValueError``: a loss that silently becomes NaN is much
harder to debug than an error that says where it came from. The module is
pure NumPy.
"""

import numpy as np

from nnbook._validate import as_float_array, as_labels, check_finite, check_nonempty
from nnbook._validate import check_number, check_positive_int, check_X_y, check_y
from nnbook.activations import log_softmax, softmax

__all__ = ["EPSILON", "one_hot", "cross_entropy", "sparse_cross_entropy",
           "sparse_cross_entropy_grad", "mse", "softmax_mse_grad"]

#: Smallest probability :func:`cross_entropy` takes the log of, Keras's
#: ``keras.config.epsilon()``. ``-log(EPSILON)`` is about 16.12.
EPSILON = 1e-7

#: How far a row of probabilities may be from summing to 1 (float32 softmax
#: outputs sum to 1 only to within a few 1e-7 per class).
SUM_TOLERANCE = 1e-4

_REDUCTIONS = ("mean", "sum", "none")


def one_hot(labels, n_classes):
    """One-hot rows: ``Y[i, k] = 1`` if ``labels[i] == k``, else 0.

    Parameters
    ----------
    labels : array_like of int, shape (m,)
        Class labels in ``0 .. n_classes - 1``.
    n_classes : int
        ``K``, the number of columns.

    Returns
    -------
    ndarray of float64, shape (m, K)

    Raises
    ------
    TypeError, ValueError
        If ``n_classes`` is not a positive int, or ``labels`` are not 1-D
        integers in range.

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


def _logits_and_labels(labels, logits):
    """``logits`` checked as (m, K) and ``labels`` as m integers in ``0 .. K-1``."""
    if np.ndim(logits) == 1 and np.ndim(labels) == 2:
        raise ValueError(f"logits must be 2-D, one row per example, got shape "
                         f"{np.shape(logits)}, and labels is 2-D, {np.shape(labels)}: are the "
                         "arguments swapped? The labels come first, then the logits")
    z = check_X_y(logits, names=("logits", "labels"))
    return z, check_y(labels, len(z), n_classes=z.shape[1], names=("logits", "labels"))


def _check_distribution(p, name):
    """Raise unless every row of ``p`` lies in [0, 1] and sums to 1."""
    if p.min() < 0 or p.max() > 1:
        raise ValueError(f"{name} must lie in [0, 1], got values from {p.min():.4g} to "
                         f"{p.max():.4g}")
    sums = p.sum(axis=1)
    bad = np.abs(sums - 1) > SUM_TOLERANCE
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"each row of {name} must sum to 1, but row {i} sums to "
                         f"{sums[i]:.6g} ({int(bad.sum())} row(s) off)")


def cross_entropy(y_onehot, probs, eps=EPSILON):
    r"""Mean cross-entropy between one-hot labels and predicted probabilities.

    .. math::

        J = -\frac{1}{m} \sum_{i=1}^{m} \sum_{k=1}^{K} Y_{ik} \log \max(p_{ik}, \epsilon)

    With one-hot rows only the right class counts: each loss is
    :math:`-\log p_{i, y_i}`. A probability of 0 for the right class would
    make the loss infinite, so, like Keras, probabilities are clipped from
    below at ``eps``: the largest loss is :math:`-\log \epsilon \approx
    16.12`. Unlike Keras (which clips to :math:`[\epsilon, 1 - \epsilon]`),
    there is no clip from above, so a right class of probability 1 has loss
    exactly 0. ``eps=0`` gives the exact formula (``inf`` for a 0).

    Parameters
    ----------
    y_onehot : array_like, shape (m, K)
        One-hot rows (soft labels, rows that are distributions, work too).
    probs : array_like, shape (m, K)
        Predicted probabilities, rows in [0, 1] summing to 1.
    eps : float, default 1e-7
        The smallest probability whose log is taken, in ``[0, 0.5)``.

    Returns
    -------
    numpy float scalar
        The cost, >= 0.

    Raises
    ------
    TypeError, ValueError
        If an array is not 2-D, finite and numeric, the rows are not
        distributions, the shapes differ, or ``eps`` is outside ``[0, 0.5)``.

    Examples
    --------
    >>> float(cross_entropy([[0, 1, 0]], [[0.2, 0.7, 0.1]]))  # -log 0.7
    0.35667494393873245
    """
    if np.ndim(y_onehot) == 1:
        raise ValueError(f"y_onehot must be one-hot rows, shape (m, K), got shape "
                         f"{np.shape(y_onehot)}: for integer labels, use "
                         "sparse_cross_entropy(labels, logits), or make the rows with "
                         "one_hot(labels, K)")
    y = check_X_y(y_onehot, names=("y_onehot", "y"))
    p = check_X_y(probs, names=("probs", "y"))
    if y.shape != p.shape:
        raise ValueError(f"y_onehot and probs must have the same shape, got {y.shape} "
                         f"and {p.shape}")
    _check_distribution(y, "y_onehot")
    _check_distribution(p, "probs")
    eps = check_number(eps, "eps")
    if not 0 <= eps < 0.5:
        raise ValueError(f"eps must be in [0, 0.5), got {eps}")
    dtype = np.result_type(y.dtype, p.dtype)
    y, p = y.astype(dtype, copy=False), p.astype(dtype, copy=False)
    # eps=0 and p=0 give log 0 = -inf on purpose; only classes with y > 0
    # count, which throws away the NaN of 0 * -inf.
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.log(np.maximum(p, dtype.type(eps)))
        terms = np.where(y > 0, y * log_p, dtype.type(0))
    losses = -terms.sum(axis=1)
    return np.maximum(losses, dtype.type(0)).mean(dtype=dtype)[()]


def sparse_cross_entropy(labels, logits, reduction="mean"):
    r"""Cross-entropy from integer labels and logits (raw scores).

    .. math::

        L_i = -\log \operatorname{softmax}(z_i)_{y_i}
            = -z_{i, y_i} + \log \sum_{k=1}^{K} e^{z_{ik}}

    computed with :func:`nnbook.activations.log_softmax`, so it stays finite
    for any finite logits where ``-log(softmax(z))`` would give ``inf``. This
    is Keras's ``SparseCategoricalCrossentropy(from_logits=True)``. "Sparse"
    means integer labels rather than one-hot rows; the number equals
    :func:`cross_entropy` of ``one_hot(labels, K)`` and ``softmax(logits)``.

    Parameters
    ----------
    labels : array_like of int, shape (m,)
        The right class of each example, in ``0 .. K-1``.
    logits : array_like, shape (m, K)
        Scores, one row per example.
    reduction : {"mean", "sum", "none"}, default "mean"
        The mean over the examples (the cost :math:`J`), their sum, or the
        ``m`` losses :math:`L_i` themselves.

    Returns
    -------
    numpy float scalar, or ndarray of shape (m,) for "none"
        In the float dtype of ``logits``; every loss is >= 0.

    Raises
    ------
    TypeError, ValueError
        If ``logits`` is not a finite 2-D numeric array, ``labels`` are not
        one integer in ``0 .. K-1`` per row, or ``reduction`` is unknown.

    Examples
    --------
    >>> float(sparse_cross_entropy([0], [[30.0, 0.0, -30.0]]))  # about e^-30
    9.348077867343381e-14
    """
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    z, labels = _logits_and_labels(labels, logits)
    losses = -log_softmax(z, axis=1)[np.arange(len(z)), labels]
    losses = np.maximum(losses, z.dtype.type(0))  # rounding could give -0.0
    if reduction == "none":
        return losses
    return (losses.mean if reduction == "mean" else losses.sum)(dtype=losses.dtype)[()]


def sparse_cross_entropy_grad(labels, logits):
    r"""Gradient of the mean :func:`sparse_cross_entropy` with respect to the logits.

    .. math::

        \frac{\partial J}{\partial z_{ik}} = \frac{1}{m}
        \left(\operatorname{softmax}(z_i)_k - Y_{ik}\right)

    Predicted probability minus target, over ``m``. Each row sums to 0.
    Same arguments and errors as :func:`sparse_cross_entropy`; returns an
    ndarray of shape (m, K) in the dtype of ``logits``.
    """
    z, labels = _logits_and_labels(labels, logits)
    g = softmax(z, axis=1)
    g[np.arange(len(z)), labels] -= 1
    return g / z.dtype.type(len(z))


def mse(y, y_hat):
    r"""Mean squared error over every entry, :math:`\frac1N \sum_j (\hat y_j - y_j)^2`.

    For arrays of shape (m, K), ``N = m K``: Keras's ``MeanSquaredError``.

    Parameters
    ----------
    y, y_hat : array_like, the same shape
        Targets and predictions. No broadcasting: a silently broadcast (m,)
        against (m, 1) is a classic bug.

    Returns
    -------
    numpy float scalar

    Raises
    ------
    TypeError, ValueError
        If the arrays are not numeric, empty, not finite, or differ in shape.
    """
    y, y_hat = as_float_array(y, "y"), as_float_array(y_hat, "y_hat")
    if y.shape != y_hat.shape:
        raise ValueError(f"y and y_hat must have the same shape, got {y.shape} and "
                         f"{y_hat.shape}")
    check_nonempty(y, "y")
    check_finite(y, "y")
    check_finite(y_hat, "y_hat")
    dtype = np.result_type(y.dtype, y_hat.dtype)
    return np.mean(np.square(y_hat - y), dtype=dtype)[()]


def softmax_mse_grad(labels, logits):
    r"""Gradient, with respect to the logits, of the MSE between softmax outputs and one-hot labels.

    With :math:`p_i = \operatorname{softmax}(z_i)`, whose Jacobian is
    :math:`\partial p_k / \partial z_j = p_k(\delta_{kj} - p_j)`, and
    :math:`g_{ik} = \frac{2}{mK}(p_{ik} - Y_{ik})`:

    .. math::

        \frac{\partial J}{\partial z_{ik}} = p_{ik}
        \Big(g_{ik} - \sum_{j} p_{ij}\, g_{ij}\Big).

    Every term carries a factor :math:`p_{ik}`, so a confidently wrong
    network gets almost no gradient. Same arguments and errors as
    :func:`sparse_cross_entropy`; returns shape (m, K).
    """
    z, labels = _logits_and_labels(labels, logits)
    p = softmax(z, axis=1)
    Y = one_hot(labels, z.shape[1]).astype(z.dtype, copy=False)
    g = z.dtype.type(2 / z.size) * (p - Y)
    return p * (g - np.sum(p * g, axis=1, keepdims=True))
