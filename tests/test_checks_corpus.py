"""A corpus of learner-style answers, run through every check.

Each row is ``(check, label, answer, hint)``: the check's name (``"relu"`` for
``checks.check_relu``), whether the answer is ``right``, ``wrong`` or a
``misuse`` of the check, the answer itself, and an optional regular
expression the report must contain. An answer is what the check is called
with: a function, any other object (a misuse), :func:`call` for explicit
arguments, or :class:`Build` for an argument built when the row runs (a Keras
model). The contract, for every row: the check prints a report and returns
None, no exception and no warning comes out of it; a right answer gets "all
passed", a wrong answer or a misuse a FAIL; no report prints the code of the
fix, or says that the check broke, or has a line wider than 80 characters.

``python tests/test_checks_corpus.py`` prints, per check, the wrong answers
that pass, the right answers that fail and the calls that raise.
"""

import collections
import contextlib
import io
import math
import re
import statistics
import warnings
from typing import NamedTuple

import numpy as np
import pytest
import scipy.ndimage
import scipy.special
import scipy.stats
import sklearn.metrics

from nnbook import activations, checks, data, losses, models, pad, scratch

RIGHT, WRONG, MISUSE = "right", "wrong", "misuse"


class Call(NamedTuple):
    """Explicit arguments of the check: ``check(*args, **kwargs)``."""

    args: tuple
    kwargs: dict


def call(*args, **kwargs):
    return Call(args, kwargs)


class Build(NamedTuple):
    """An argument built when the row runs (a Keras model), by ``make()``."""

    make: object


# --- ReLU ------------------------------------------------------------------------


def relu_loop(z):
    return np.array([max(0.0, v) for v in z.ravel()]).reshape(z.shape)


def relu_copy_then_set(z):
    z = z.copy()
    z[z < 0] = 0
    return z


def relu_in_place(z):
    z[z < 0] = 0
    return z


def relu_no_return(z):
    np.maximum(0, z)


def relu_python_if(z):
    return z if z > 0 else 0


def relu_raises(z):
    raise NotImplementedError("write my_relu")


def relu_with_deprecated_call(z):  # right, but through a deprecated NumPy alias
    warnings.warn("this alias is deprecated", DeprecationWarning, stacklevel=2)
    return np.maximum(0, z)


RELU = [
    ("relu", RIGHT, lambda z: np.maximum(0, z), None),
    ("relu", RIGHT, lambda z: np.where(z > 0, z, 0.0), None),
    ("relu", RIGHT, lambda z: z * (z > 0), None),
    ("relu", RIGHT, lambda z: np.clip(z, 0, None), None),
    ("relu", RIGHT, lambda z: (z + np.abs(z)) / 2, None),
    ("relu", RIGHT, relu_loop, None),
    ("relu", RIGHT, relu_copy_then_set, None),
    ("relu", RIGHT, activations.relu, None),
    ("relu", RIGHT, lambda z: np.fmax(z, 0.0), None),
    ("relu", RIGHT, relu_with_deprecated_call, r"note"),
    ("relu", WRONG, np.abs, r"as \|z\|"),
    ("relu", WRONG, lambda z: z, r"exactly 0"),
    ("relu", WRONG, lambda z: np.where(z > 0, z, 0.01 * z), r"exactly 0"),
    ("relu", WRONG, lambda z: np.clip(z, 0, 1), r"no upper limit"),
    ("relu", WRONG, lambda z: z[z >= 0], r"shape"),
    ("relu", WRONG, lambda z: (z >= 0) * 1.0, r"unchanged"),
    ("relu", WRONG, lambda z: max(0, z), r"Python's max"),
    ("relu", WRONG, lambda z: np.maximum(0, z).ravel(), r"shape"),
    ("relu", WRONG, lambda z: np.exp(z) * 0 + np.maximum(0, z), r"overflow|finite"),
    ("relu", WRONG, relu_in_place, r"changed its input"),
    ("relu", WRONG, relu_no_return, r"None|return"),
    ("relu", WRONG, relu_python_if, r"Python's|one number"),
    ("relu", WRONG, relu_raises, r"raised NotImplementedError"),
    ("relu", WRONG, lambda z: np.maximum(0, z).tolist(), r"list"),
    ("relu", WRONG, lambda z: "relu", r"str"),
    ("relu", WRONG, lambda z: np.max(0, z), r"raised"),
    ("relu", WRONG, lambda z: 1 / (1 + np.exp(-z)), None),
    ("relu", WRONG, lambda z: np.maximum(0, z).astype(int), None),
    ("relu", WRONG, lambda z: np.full_like(z, np.nan), r"NaN"),
    ("relu", WRONG, lambda z: np.maximum(0, z) + 0j, None),
    ("relu", MISUSE, np.array([0.0, 1.0]), r"function itself"),
    ("relu", MISUSE, "my_relu", r"function itself"),
    ("relu", MISUSE, None, r"function itself"),
    ("relu", MISUSE, call(), r"check_relu\(my_relu\)"),
    ("relu", MISUSE, call(lambda z: np.maximum(0, z), lambda z: z), r"check_relu\(my_relu\)"),
    ("relu", MISUSE, call(func=lambda z: np.maximum(0, z)), r"check_relu\(my_relu\)"),
    ("relu", MISUSE, np, r"function itself"),
    ("relu", RIGHT, call(fn=lambda z: np.maximum(0, z)), None),
]

# --- the ReLU units (w, b) -------------------------------------------------------------

RELU_UNITS = [
    ("relu_units", RIGHT, call([-2, 1, 2], [2, -1, -4]), None),
    ("relu_units", RIGHT, call([-2.0, 2.0, 1.0], [2.0, -4.0, -1.0]), None),
    ("relu_units", RIGHT, call(np.array([-2.0, 1.0, 2.0]), (2, -1, -4)), None),
    ("relu_units", RIGHT, call(np.array([-2, 1, 2], dtype=np.float32), np.array([2, -1, -4])),
     None),
    ("relu_units", RIGHT, call(w=[-2, 1, 2], b=[2, -1, -4]), None),
    ("relu_units", WRONG, call([-2, -1, 2], [2, 1, -4]), r"LEFT"),
    ("relu_units", WRONG, call([-2, 1, 3], [2, -1, -6]), r"slope of your sum here is 4"),
    ("relu_units", WRONG, call([-2, 1, 3], [2, -1, -5]), r"1\.67"),
    ("relu_units", WRONG, call([-2, 1, 2], [2, 1, -4]), r"already on"),
    ("relu_units", WRONG, call([-2, 2, 2], [2, -2, -4]), r"slope"),
    ("relu_units", WRONG, call([-1, 1, 2], [1, -1, -4]), r"unit 0 is given"),
    # the kink at the wrong bend: unit 2 at x = 1, or unit 1 at x = 2
    ("relu_units", WRONG, call([-2, 1, 2], [2, -1, -2]), r"unit 2.* x = 1.* x = 2"),
    ("relu_units", WRONG, call([-2, 1, 2], [2, -2, -4]), r"unit 1.* x = 2.* x = 1"),
    ("relu_units", WRONG, call([-2, 0, 2], [2, 0, -4]), r"w1 = 0"),
    ("relu_units", WRONG, call([-2, 1, 2], [2, -1, 4]), None),
    ("relu_units", WRONG, call([-2, 1, 2], [0, 0, 0]), None),
    ("relu_units", WRONG, call([-2, 1, 3], [2, -1, -4]), None),
    ("relu_units", WRONG, call([-2.0, ..., ...], [2.0, ..., ...]), r"still has \.\.\."),
    ("relu_units", WRONG, call([-2, 1, 2], [2.0, ..., -4.0]), r"b still has \.\.\."),
    ("relu_units", WRONG, call([1, 2], [-1, -4]), r"w has 2 numbers"),
    ("relu_units", WRONG, call([-2, float("nan"), 2], [2, -1, -4]), r"NaN|finite"),
    ("relu_units", WRONG, call([-2, 1, 2, 1], [2, -1, -4, 0]), r"4 numbers"),
    ("relu_units", MISUSE, call(None, [2, -1, -4]), r"w must be"),
    ("relu_units", MISUSE, call([-2, "one", 2], [2, -1, -4]), r"w must hold numbers"),
    ("relu_units", MISUSE, call(["-2", "1", "2"], ["2", "-1", "-4"]), r"must hold numbers"),
    ("relu_units", MISUSE, call(np.array([[-2.0], [1.0], [2.0]]), [2, -1, -4]), r"shape \(3, 1\)"),
    ("relu_units", MISUSE, call([[-2, 1, 2]], [[2, -1, -4]]), r"shape \(1, 3\)"),
    ("relu_units", MISUSE, call(np.array(1.0), [2, -1, -4]), r"w must be"),
    ("relu_units", MISUSE, call([-2, 1, 2]), r"check_relu_units\(my_w, my_b\)"),
    ("relu_units", MISUSE, call(), r"check_relu_units\(my_w, my_b\)"),
    ("relu_units", MISUSE, call(lambda x: x, [2, -1, -4]), r"w must be"),
    ("relu_units", MISUSE, call(weights=[-2, 1, 2], biases=[2, -1, -4]),
     r"check_relu_units\(my_w, my_b\)"),
]

# --- softmax ---------------------------------------------------------------------


def sm_good(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def sm_loop(z):
    z = np.asarray(z, dtype=float)
    if z.ndim == 2:
        return np.array([sm_loop(row) for row in z])
    top = max(z)
    e = [np.exp(v - top) for v in z]
    return np.array([v / sum(e) for v in e])


def sm_in_place(z):
    z -= np.max(z, axis=-1, keepdims=True)
    np.exp(z, out=z)
    z /= np.sum(z, axis=-1, keepdims=True)
    return z


def sm_shift(shift):
    def softmax(z):
        e = np.exp(z - shift(z))
        return e / np.sum(e, axis=-1, keepdims=True)
    return softmax


def sm_naive(z):
    return np.exp(z) / np.sum(np.exp(z), axis=-1, keepdims=True)


def sm_no_keepdims(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1)


def sm_wrong_axis(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=0)


def sm_whole_batch(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def sm_global_max(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=-1, keepdims=True)


def sm_python_max(z):
    e = np.exp(z - max(z))
    return e / np.sum(e, axis=-1, keepdims=True)


def sm_clipped(z):
    e = np.exp(np.clip(z, -700, 700))
    return e / np.sum(e, axis=-1, keepdims=True)


def sm_axis_1(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def sm_no_return(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    p = e / np.sum(e, axis=-1, keepdims=True)  # noqa: F841 (the mistake: no return)


SOFTMAX = [
    ("softmax", RIGHT, sm_good, None),
    ("softmax", RIGHT, sm_loop, None),
    ("softmax", RIGHT, sm_in_place, None),
    ("softmax", RIGHT, lambda z: scipy.special.softmax(z, axis=-1), None),
    ("softmax", RIGHT, activations.softmax, None),
    ("softmax", RIGHT, lambda z: np.exp(z - scipy.special.logsumexp(z, axis=-1, keepdims=True)),
     None),
    ("softmax", RIGHT, sm_shift(lambda z: z.max(axis=-1)[..., None]), None),
    ("softmax", WRONG, sm_naive, r"overflow"),
    ("softmax", WRONG, sm_shift(lambda z: np.min(z, axis=-1, keepdims=True)),
     r"subtract the minimum"),
    ("softmax", WRONG, sm_shift(lambda z: np.mean(z, axis=-1, keepdims=True)),
     r"subtract the mean"),
    ("softmax", WRONG, sm_shift(lambda z: z[..., :1]), r"the first score"),
    ("softmax", WRONG, sm_no_keepdims, r"keepdims|keep the summed axis"),
    ("softmax", WRONG, sm_wrong_axis, r"columns sum to 1"),
    ("softmax", WRONG, sm_whole_batch, r"whole batch"),
    ("softmax", WRONG, sm_global_max, r"each row's own maximum"),
    ("softmax", WRONG, lambda z: z / np.sum(z, axis=-1, keepdims=True), r"exponential"),
    ("softmax", WRONG, sm_python_max, r"Python's max"),
    ("softmax", WRONG, sm_clipped, None),
    ("softmax", WRONG, sm_axis_1, r"raised"),
    ("softmax", WRONG, sm_no_return, r"None"),
    ("softmax", WRONG, lambda z: sm_good(z).tolist(), r"list"),
    ("softmax", WRONG, lambda z: "softmax", r"str"),
    ("softmax", WRONG, lambda z: z - scipy.special.logsumexp(z, axis=-1, keepdims=True), None),
    ("softmax", WRONG, lambda z: 1 / (1 + np.exp(-z)), None),
    ("softmax", WRONG, lambda z: np.argmax(z, axis=-1), None),
    ("softmax", WRONG, lambda z: np.exp(z - np.max(z)) / np.sum(np.exp(z - np.max(z))),
     r"whole batch|each row"),
    ("softmax", MISUSE, sm_good(np.array([1.0, 2.0])), r"function itself"),
    ("softmax", MISUSE, "my_softmax", r"function itself"),
    ("softmax", MISUSE, call(), r"check_softmax\(my_softmax\)"),
    ("softmax", MISUSE, call(sm_good, axis=-1), r"check_softmax\(my_softmax\)"),
]

# --- cross-entropy from logits ------------------------------------------------------------


def log_softmax_rows(z):
    s = z - np.max(z, axis=1, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=1, keepdims=True))


def ce_good(labels, logits):
    return -np.mean(log_softmax_rows(logits)[np.arange(len(labels)), labels])


def ce_loop(labels, logits):
    total = 0.0
    for label, row in zip(labels, logits):
        top = max(row)
        total += -(row[label] - top - math.log(sum(math.exp(v - top) for v in row)))
    return total / len(labels)


def ce_take_along(labels, logits):
    log_p = logits - scipy.special.logsumexp(logits, axis=1, keepdims=True)
    return -np.take_along_axis(log_p, labels[:, None], axis=1).mean()


def ce_in_place(labels, logits):
    logits -= np.max(logits, axis=1, keepdims=True)
    logits -= np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    return -np.mean(logits[np.arange(len(labels)), labels])


def ce_of(log_p_fn, pick=lambda log_p, labels: log_p[np.arange(len(labels)), labels],
          reduce=lambda losses: -np.mean(losses)):
    """A cross-entropy built from its three steps, any of them wrong."""
    def cross_entropy(labels, logits):
        return reduce(pick(log_p_fn(logits), labels))
    return cross_entropy


def ce_log_of_softmax(labels, logits):
    e = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(labels)), labels]))


def ce_clipped(labels, logits):
    e = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    p = np.clip(e / np.sum(e, axis=1, keepdims=True), 1e-12, 1.0)
    return -np.mean(np.log(p[np.arange(len(labels)), labels]))


def ce_naive(labels, logits):
    p = np.exp(logits) / np.sum(np.exp(logits), axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(labels)), labels]))


def ce_swapped(logits, labels):  # the arguments in the wrong order
    return ce_good(labels, logits)


def ce_shift_forgotten(labels, logits):  # shifts inside the sum but not outside it
    s = logits - np.max(logits, axis=1, keepdims=True)
    log_p = logits - np.log(np.sum(np.exp(s), axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(len(labels)), labels])


def ce_keras(labels, logits):
    loss = models.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return float(loss(labels, logits))


CE = [
    ("cross_entropy", RIGHT, ce_good, None),
    ("cross_entropy", RIGHT, ce_loop, None),
    ("cross_entropy", RIGHT, ce_take_along, None),
    ("cross_entropy", RIGHT, ce_in_place, None),
    ("cross_entropy", RIGHT, losses.sparse_cross_entropy, None),
    ("cross_entropy", RIGHT, ce_keras, None),
    ("cross_entropy", RIGHT,
     lambda labels, logits: np.mean(scipy.special.logsumexp(logits, axis=1)
                                    - logits[np.arange(len(labels)), labels]), None),
    ("cross_entropy", WRONG, ce_of(log_softmax_rows, reduce=np.mean), r"sign"),
    ("cross_entropy", WRONG, ce_of(log_softmax_rows, reduce=lambda x: -np.sum(x)), r"sum"),
    ("cross_entropy", WRONG, ce_of(log_softmax_rows, reduce=lambda x: -x), r"mean"),
    ("cross_entropy", WRONG, ce_of(log_softmax_rows, pick=lambda lp, y: lp[:, y]),
     r"every label's column"),
    ("cross_entropy", WRONG, ce_of(log_softmax_rows, pick=lambda lp, y: lp.max(axis=1)),
     r"predicted class"),
    ("cross_entropy", WRONG,
     ce_of(log_softmax_rows, pick=lambda lp, y: lp[np.arange(len(y)), (y + 1) % lp.shape[1]]),
     r"wrong class"),
    ("cross_entropy", WRONG, ce_log_of_softmax, r"rounded to exactly 0"),
    ("cross_entropy", WRONG, ce_naive, r"overflow"),
    ("cross_entropy", WRONG, ce_of(lambda z: z), r"minus the right class's score"),
    ("cross_entropy", WRONG, ce_clipped, r"clip"),
    ("cross_entropy", WRONG,
     ce_of(lambda z: log_softmax_rows(z) / np.log(10)), r"log10|natural log"),
    ("cross_entropy", WRONG, ce_of(lambda z: z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))),
     r"overflow"),
    ("cross_entropy", WRONG,
     ce_of(lambda z: (z - z.min(axis=1, keepdims=True))
           - np.log(np.sum(np.exp(z - z.min(axis=1, keepdims=True)), axis=1, keepdims=True))),
     r"maximum|overflow"),
    ("cross_entropy", WRONG, ce_swapped, r"takes \(logits, labels\)"),
    ("cross_entropy", WRONG, ce_shift_forgotten, None),
    ("cross_entropy", WRONG,
     lambda labels, logits: -np.mean(log_softmax_rows(logits) * np.eye(logits.shape[1])[labels]),
     None),
    ("cross_entropy", WRONG, lambda labels, logits: None, r"None"),
    ("cross_entropy", WRONG, lambda labels, logits: [ce_good(labels, logits)], r"list"),
    ("cross_entropy", MISUSE, 0.417, r"function itself"),
    ("cross_entropy", MISUSE, call(), r"check_cross_entropy\(my_cross_entropy\)"),
    ("cross_entropy", MISUSE, call(ce_good, np.array([0]), np.array([[1.0, 2.0]])),
     r"check_cross_entropy\(my_cross_entropy\)"),
]

# --- unroll, fold, fix the transposed rows ---------------------------------------------------


def unroll_in_place(image):
    image.shape = (-1,)
    return image


def fold_in_place(row):
    row.shape = (28, 28)
    return row


def fix_by_rows(X):
    return np.array([row.reshape(28, 28).T.ravel() for row in X])


def fix_row_stack(X):  # right, with NumPy's deprecated alias (where this NumPy still has it)
    stack = getattr(np, "row_stack", np.vstack)
    return stack([r.reshape(28, 28).T.ravel() for r in X])


def fix_in_place(X):
    X[:] = X.reshape(-1, 28, 28).transpose(0, 2, 1).reshape(len(X), 784)
    return X


def fix_one_image(X):
    return X.reshape(28, 28).T.reshape(1, 784)


DATA = [
    ("unroll", RIGHT, lambda image: image.reshape(-1), None),
    ("unroll", RIGHT, np.ravel, None),
    ("unroll", RIGHT, lambda image: image.flatten(), None),
    ("unroll", RIGHT, lambda image: image.reshape(image.size), None),
    ("unroll", RIGHT, lambda image: np.concatenate(list(image)), None),
    ("unroll", RIGHT, lambda image: np.array([v for row in image for v in row]), None),
    ("unroll", RIGHT, lambda image: image.reshape(1, -1)[0], None),
    ("unroll", WRONG, lambda image: image.ravel(order="F"), r"column by column"),
    ("unroll", WRONG, lambda image: image.T.flatten(), r"column by column"),
    ("unroll", WRONG, lambda image: image.reshape(1, -1), r"batch of one"),
    ("unroll", WRONG, lambda image: image.reshape(-1, 1), r"column"),
    ("unroll", WRONG, lambda image: image, r"still the image"),
    ("unroll", WRONG, lambda image: image[0], r"Only \d+ of the \d+ pixels"),
    ("unroll", WRONG, unroll_in_place, r"changed its input"),
    ("unroll", WRONG, lambda image: image.reshape(-1).astype(int), r"whole numbers|int"),
    ("unroll", WRONG, lambda image: image.reshape(784), r"28 x 28"),
    ("unroll", WRONG, lambda image: image.flatten().tolist(), r"list"),
    ("unroll", WRONG, lambda image: np.sort(image.ravel()), None),
    ("unroll", WRONG, lambda image: image.sum(axis=0), None),
    ("unroll", MISUSE, np.arange(6.0), r"function itself"),
    ("unroll", MISUSE, call(), r"check_unroll\(my_unroll\)"),
    ("fold", RIGHT, lambda row: row.reshape(28, 28), None),
    ("fold", RIGHT, lambda row: np.reshape(row, (-1, 28)), None),
    ("fold", RIGHT, lambda row: row.reshape(28, -1), None),
    ("fold", RIGHT, lambda row: np.array([row[28 * r:28 * (r + 1)] for r in range(28)]), None),
    ("fold", RIGHT, data.to_image, None),
    ("fold", WRONG, lambda row: row.reshape(28, 28).T, r"transposed"),
    ("fold", WRONG, lambda row: row.reshape(28, 28, order="F"), r"transposed"),
    ("fold", WRONG, lambda row: row.reshape(784, 1), r"still the row"),
    ("fold", WRONG, lambda row: row, r"still the row"),
    ("fold", WRONG, lambda row: row.reshape(14, 56), r"14 x 56"),
    ("fold", WRONG, lambda row: row.reshape(28, 28).astype(int), r"whole numbers|int"),
    ("fold", WRONG, lambda row: row.reshape(1, 28, 28), r"batch of one"),
    ("fold", WRONG, lambda row: row.reshape(28, 28, 1), r"28, 28, 1"),
    ("fold", WRONG, fold_in_place, r"changed its input"),
    ("fold", WRONG, lambda row: row.reshape(28, 28) / 255, r"values"),
    ("fold", WRONG, lambda row: np.flipud(row.reshape(28, 28)), r"upside down"),
    ("fold", WRONG, lambda row: np.rot90(row.reshape(28, 28)), r"quarter round"),
    ("fold", WRONG, lambda row: row.reshape(28, 28).tolist(), r"list"),
    ("fold", MISUSE, np.zeros((28, 28)), r"function itself"),
    ("fold", MISUSE, call(lambda row: row.reshape(28, 28), 28), r"check_fold\(my_fold\)"),
    ("fix_transposed", RIGHT, lambda X: X.reshape(-1, 28, 28).transpose(0, 2, 1)
     .reshape(len(X), 784), None),
    ("fix_transposed", RIGHT,
     lambda X: np.swapaxes(X.reshape(len(X), 28, 28), 1, 2).reshape(len(X), -1), None),
    ("fix_transposed", RIGHT, fix_by_rows, None),
    ("fix_transposed", RIGHT, fix_row_stack, None),
    ("fix_transposed", RIGHT,
     lambda X: np.array([r.reshape(28, 28, order="F").ravel() for r in X]), None),
    ("fix_transposed", RIGHT,
     lambda X: np.einsum("ijk->ikj", X.reshape(-1, 28, 28)).reshape(len(X), 784), None),
    ("fix_transposed", WRONG, lambda X: X.T, r"X\.T turns the whole table"),
    ("fix_transposed", WRONG, lambda X: X.reshape(-1, 28, 28).T.reshape(-1, 784),
     r"reverses all three axes"),
    ("fix_transposed", WRONG, fix_one_image, r"one image only"),
    ("fix_transposed", WRONG, lambda X: X.copy(), r"rows are unchanged"),
    ("fix_transposed", WRONG, lambda X: X.reshape(-1, 28, 28).transpose(0, 2, 1),
     r"These are the images"),
    ("fix_transposed", WRONG, lambda X: fix_by_rows(X).astype(int), r"whole numbers|int"),
    ("fix_transposed", WRONG, fix_in_place, r"changed its input"),
    ("fix_transposed", WRONG, lambda X: X.reshape(-1, 28, 28).transpose(1, 0, 2)
     .reshape(len(X), 784), None),
    ("fix_transposed", WRONG, lambda X: fix_by_rows(X).tolist(), r"list"),
    ("fix_transposed", MISUSE, np.zeros((3, 784)), r"function itself"),
    ("fix_transposed", MISUSE, call(), r"check_fix_transposed\(my_fix_transposed\)"),
]

# --- the model ---------------------------------------------------------------------------


def adam(k):
    return k.optimizers.Adam(learning_rate=0.001)


def sce(k):
    return k.losses.SparseCategoricalCrossentropy(from_logits=True)


def net(*layers, inputs=(784,), optimizer=adam, loss=sce):
    """A Keras model of ``layers`` (each ``lambda L: L.Dense(...)``), compiled unless told."""
    def make():
        k = models.keras
        start = [k.Input(shape=inputs)] if inputs is not None else []
        model = k.Sequential(start + [layer(k.layers) for layer in layers])
        if optimizer is not None:
            model.compile(optimizer=optimizer(k), loss=loss(k))
        return model
    return Build(make)


def D(units, activation=None, **kwargs):  # noqa: N802 (a layer, as Keras names it)
    return lambda L: L.Dense(units, activation=activation, **kwargs)


COURSE = (D(25, "relu"), D(15, "relu"), D(10))


def functional_model():
    k = models.keras
    x = k.Input(shape=(784,))
    h = k.layers.Dense(15, activation="relu")(k.layers.Dense(25, activation="relu")(x))
    model = k.Model(x, k.layers.Dense(10)(h))
    model.compile(optimizer=adam(k), loss=sce(k))
    return model


def added_model():
    k = models.keras
    model = k.Sequential()
    model.add(k.Input(shape=(784,)))
    for units, act in ((25, "relu"), (15, "relu"), (10, "linear")):
        model.add(k.layers.Dense(units, activation=act))
    model.compile(optimizer="adam", loss=sce(k), metrics=["accuracy"])
    return model


MODEL = [
    ("model", RIGHT, Build(models.build_mlp), None),
    ("model", RIGHT, net(*COURSE), None),
    ("model", RIGHT, net(D(25, "relu"), D(15, "relu"), D(10, "linear")), None),
    ("model", RIGHT, net(*COURSE, optimizer=lambda k: k.optimizers.Adam()), None),
    ("model", RIGHT, net(*COURSE, optimizer=lambda k: "adam"), None),
    ("model", RIGHT, Build(functional_model), None),
    ("model", RIGHT, Build(added_model), None),
    ("model", RIGHT, net(D(25, models.keras.activations.relu),
                         D(15, models.keras.activations.relu), D(10)), None),
    ("model", RIGHT, net(D(25), lambda L: L.ReLU(), D(15), lambda L: L.ReLU(), D(10)),
     r"note.*activation=\"relu\""),
    ("model", RIGHT, net(D(25), lambda L: L.Activation("relu"), D(15),
                         lambda L: L.Activation("relu"), D(10)), r"note"),
    ("model", RIGHT, call(Build(models.build_mlp), hidden_units=[25, 15]), None),
    ("model", WRONG, net(D(25, "relu"), D(15, "relu"), D(10, "softmax")), r"second softmax"),
    ("model", WRONG, net(*COURSE, lambda L: L.Softmax()), r"second softmax"),
    ("model", WRONG, net(*COURSE, lambda L: L.Activation("softmax")), r"second softmax"),
    ("model", WRONG, net(D(25, "relu"), D(15, "relu"), D(10, "softmax"),
                         loss=lambda k: k.losses.SparseCategoricalCrossentropy()), r"logits"),
    ("model", WRONG, net(*COURSE, lambda L: L.ReLU()), r"after the last Dense"),
    ("model", WRONG, net(*COURSE, lambda L: L.Dropout(0.2)), r"after the last Dense"),
    ("model", WRONG, net(D(25, "sigmoid"), D(15, "relu"), D(10)), r"uses sigmoid"),
    ("model", WRONG, net(D(25, "tanh"), D(15, "tanh"), D(10)), r"uses tanh"),
    ("model", WRONG, net(D(25), D(15), D(10)), r"linear"),
    ("model", WRONG, net(D(25, "relu"), D(15, "relu"), D(10, "relu")), r"relu"),
    ("model", WRONG, net(D(25, "relu"), D(16, "relu"), D(10)), r"has 16 units"),
    ("model", WRONG, net(*COURSE, inputs=(400,)), r"got 400"),
    ("model", WRONG, net(D(25, "relu"), D(10)), r"expected 3 Dense layers, found 2"),
    ("model", WRONG, net(D(25, "relu"), D(15, "relu"), D(15, "relu"), D(10)),
     r"expected 3 Dense layers, found 4"),
    ("model", WRONG, net(*COURSE, inputs=None), r"keras\.Input"),
    ("model", WRONG, net(lambda L: L.Flatten(), *COURSE, inputs=(28, 28)), r"784"),
    ("model", WRONG, net(*COURSE, loss=lambda k: k.losses.SparseCategoricalCrossentropy()),
     r"from_logits is False"),
    ("model", WRONG, net(*COURSE, loss=lambda k: "sparse_categorical_crossentropy"),
     r"from_logits"),
    ("model", WRONG, net(*COURSE, optimizer=lambda k: k.optimizers.SGD()), r"got SGD"),
    ("model", WRONG, net(*COURSE, optimizer=lambda k: k.optimizers.Adam(learning_rate=0.01)),
     r"learning rate is 0\.01"),
    ("model", WRONG, net(*COURSE, optimizer=lambda k: k.optimizers.AdamW(learning_rate=0.001)),
     r"AdamW"),
    ("model", WRONG,
     net(*COURSE, loss=lambda k: k.losses.CategoricalCrossentropy(from_logits=True)),
     r"one-hot"),
    ("model", WRONG, net(*COURSE, loss=lambda k: "mse"), r"got mse"),
    ("model", WRONG, net(*COURSE, optimizer=None), r"not compiled yet"),
    ("model", WRONG, net(D(25, "relu", use_bias=False), D(15, "relu"), D(10)), r"bias"),
    ("model", WRONG, net(D(25, "relu"), D(15, "relu"), D(10), lambda L: L.Softmax(),
                         loss=lambda k: k.losses.SparseCategoricalCrossentropy()),
     r"softmax"),
    ("model", WRONG, ..., r"still the stub"),
    ("model", MISUSE, models.build_mlp, r"the model itself|model, not"),
    ("model", MISUSE, "my model", r"got str"),
    ("model", MISUSE, None, r"got None|NoneType"),
    ("model", MISUSE, Build(lambda: scratch.MLP((784, 25, 15, 10))), r"got MLP"),
    ("model", MISUSE, call(Build(models.build_mlp), hidden_units=25), r"hidden_units"),
    ("model", MISUSE, call(Build(models.build_mlp), 25, 15), r"hidden_units"),
    ("model", MISUSE, call(Build(models.build_mlp), n_classes=None), r"n_classes"),
    ("model", MISUSE, call(), r"check_model\(my_model\)"),
    ("model", MISUSE, call(Build(models.build_mlp), units=(25, 15)), r"check_model\(my_model\)"),
]

# --- the training chapter ---------------------------------------------------------------------


def rate_sorting_in_place(runs):  # right rule, but sorts the lists in place
    for h in runs.values():
        h["val_accuracy"].sort()
    return max(runs, key=lambda r: runs[r]["val_accuracy"][-1])


def rate_deleting_the_test(runs):  # deletes the test numbers, then the right rule
    for h in runs.values():
        del h["test_accuracy"]
    return max(runs, key=lambda r: max(runs[r]["val_accuracy"]))


def rate_emptying(runs):  # right rule, then empties runs
    best = max(runs, key=lambda r: max(runs[r]["val_accuracy"]))
    runs.clear()
    return best


def rate_loop(runs):
    best_rate, best = None, -1.0
    for rate, history in runs.items():
        for accuracy in history["val_accuracy"]:
            if accuracy > best:
                best_rate, best = rate, accuracy
    return best_rate


def by(key, over=max, pick=max):
    """The rate whose ``runs[rate][key]``, reduced over the epochs by ``over``, ``pick`` picks."""
    return lambda runs: pick(runs, key=lambda r: over(runs[r][key]))


def last(values):
    return values[-1]


STEPS = [
    ("steps_per_epoch", RIGHT, lambda m, batch_size: math.ceil(m / batch_size), None),
    ("steps_per_epoch", RIGHT, lambda m, batch_size: (m + batch_size - 1) // batch_size, None),
    ("steps_per_epoch", RIGHT, lambda m, batch_size: -(-m // batch_size), None),
    ("steps_per_epoch", RIGHT, lambda m, batch_size: int(np.ceil(m / batch_size)), None),
    ("steps_per_epoch", RIGHT, lambda m, batch_size: len(range(0, m, batch_size)), None),
    ("steps_per_epoch", RIGHT, lambda m, batch_size: m // batch_size + (m % batch_size > 0), None),
    ("steps_per_epoch", RIGHT, lambda m, batch_size: np.ceil(m / batch_size), None),
    ("steps_per_epoch", WRONG, lambda m, batch_size: m // batch_size, r"leave the last"),
    ("steps_per_epoch", WRONG, lambda m, batch_size: round(m / batch_size), r"leave the last"),
    ("steps_per_epoch", WRONG, lambda m, batch_size: m // batch_size + 1, r"no partial batch"),
    ("steps_per_epoch", WRONG, lambda m, batch_size: m / batch_size, r"not a number of steps"),
    ("steps_per_epoch", WRONG, lambda m, batch_size: int(m / batch_size), r"leave the last"),
    ("steps_per_epoch", WRONG, lambda m, batch_size: math.ceil(batch_size / m), None),
    ("steps_per_epoch", WRONG, lambda m, batch_size: m * batch_size, None),
    ("steps_per_epoch", WRONG, lambda m, batch_size: float("nan"), r"NaN"),
    ("steps_per_epoch", WRONG, lambda m, batch_size: float("inf"), r"inf"),
    ("steps_per_epoch", WRONG, lambda m, batch_size: str(math.ceil(m / batch_size)), r"str"),
    ("steps_per_epoch", WRONG, lambda m, batch_size: None, r"None"),
    ("steps_per_epoch", WRONG, lambda m, batch_size: (m // batch_size, m % batch_size),
     r"one number|tuple"),
    ("steps_per_epoch", WRONG, lambda m, batch_size: [math.ceil(m / batch_size)], r"list"),
    ("steps_per_epoch", WRONG, lambda m: math.ceil(m / 32), r"raised TypeError"),
    ("steps_per_epoch", MISUSE, 157, r"function itself"),
    ("steps_per_epoch", MISUSE, call(lambda m, batch_size: math.ceil(m / batch_size), 5000, 32),
     r"check_steps_per_epoch\(my_steps_per_epoch\)"),
    ("steps_per_epoch", MISUSE, call(), r"check_steps_per_epoch\(my_steps_per_epoch\)"),
]

RATE = [
    ("choose_learning_rate", RIGHT, by("val_accuracy"), None),
    ("choose_learning_rate", RIGHT, by("val_loss", over=min, pick=min), None),
    ("choose_learning_rate", RIGHT, rate_loop, None),
    ("choose_learning_rate", RIGHT,
     lambda runs: sorted(runs, key=lambda r: max(runs[r]["val_accuracy"]))[-1], None),
    ("choose_learning_rate", RIGHT,
     lambda runs: max(runs.items(), key=lambda kv: max(kv[1]["val_accuracy"]))[0], None),
    ("choose_learning_rate", RIGHT,
     lambda runs: list(runs)[int(np.argmax([max(h["val_accuracy"]) for h in runs.values()]))],
     None),
    ("choose_learning_rate", RIGHT, rate_sorting_in_place, None),
    ("choose_learning_rate", RIGHT, rate_deleting_the_test, None),
    ("choose_learning_rate", RIGHT, rate_emptying, None),
    # after the three that change runs: the check's cases must be as before
    ("choose_learning_rate", WRONG, by("val_accuracy", over=last), r"last epoch"),
    ("choose_learning_rate", WRONG, by("test_accuracy"), r"test"),
    ("choose_learning_rate", WRONG, by("test_accuracy", over=last), r"test"),
    ("choose_learning_rate", WRONG, by("loss", over=last, pick=min), r"training set"),
    ("choose_learning_rate", WRONG, by("loss", over=min, pick=min), r"training set"),
    ("choose_learning_rate", WRONG, by("accuracy"), r"training set"),
    ("choose_learning_rate", WRONG, by("val_accuracy", over=np.mean), r"best epoch|average"),
    ("choose_learning_rate", WRONG, by("val_accuracy", over=np.median), r"best epoch|average"),
    ("choose_learning_rate", WRONG, by("val_accuracy", over=sum), r"best epoch|average"),
    ("choose_learning_rate", WRONG, by("val_loss", over=np.mean, pick=min), r"best epoch|average"),
    ("choose_learning_rate", WRONG,
     lambda runs: max(runs, key=lambda r: max(runs[r]["val_accuracy"])
                      + max(runs[r]["test_accuracy"])), r"test"),
    ("choose_learning_rate", WRONG,
     lambda runs: max(runs, key=lambda r: max((v + t) / 2 for v, t in zip(
         runs[r]["val_accuracy"], runs[r]["test_accuracy"]))), r"test"),
    ("choose_learning_rate", WRONG, by("val_accuracy", pick=min), r"lowest|smallest|max"),
    ("choose_learning_rate", WRONG,
     lambda runs: int(np.argmax([max(h["val_accuracy"]) for h in runs.values()])),
     r"position|index"),
    ("choose_learning_rate", WRONG, max, r"the rates themselves|largest rate"),
    ("choose_learning_rate", WRONG, min, r"the rates themselves|smallest rate"),
    ("choose_learning_rate", WRONG, lambda runs: runs[max(runs)], r"one learning rate|dict"),
    ("choose_learning_rate", WRONG, lambda runs: str(by("val_accuracy")(runs)), r"str"),
    ("choose_learning_rate", WRONG, lambda runs: 0.5, r"one of the rates tried"),
    ("choose_learning_rate", WRONG, lambda runs: None, r"None"),
    ("choose_learning_rate", WRONG,
     lambda runs: {r: max(h["val_accuracy"]) for r, h in runs.items()}, r"one learning rate"),
    ("choose_learning_rate", MISUSE, 0.01, r"function itself"),
    ("choose_learning_rate", MISUSE, call(), r"check_choose_learning_rate"),
]

# --- the classifier chapter -------------------------------------------------------------------


def pd_good(model, image):
    p = activations.softmax(model.predict(image.reshape(1, 784), verbose=0))
    digit = int(np.argmax(p, axis=1)[0])
    return digit, float(p[0, digit])


def pd_call(model, image):
    p = activations.softmax(np.asarray(model(np.reshape(image, (1, -1)))))
    return int(p.argmax(axis=-1)[0]), float(p.max())


def pd_predict_proba(model, image):
    p = models.predict_proba(model, np.reshape(image, (1, 784)))[0]
    return int(np.argmax(p)), float(p.max())


def pd_assert(model, image):
    assert np.size(image) == 784, "one image at a time"
    return pd_good(model, np.asarray(image))


def pd_raising(kind):
    def predict_digit(model, image):
        if np.size(image) != 784:
            raise kind("one image at a time")
        return pd_good(model, np.asarray(image))
    return predict_digit


def pd_no_verbose(model, image):
    p = scipy.special.softmax(model.predict(image.reshape(1, 784))[0])
    return int(p.argmax()), float(p.max())


def pd_no_reshape(model, image):
    p = activations.softmax(model.predict(image, verbose=0))
    digit = int(np.argmax(p))
    return digit, float(p.ravel()[digit])


def pd_probabilities(model, image):
    return activations.softmax(model.predict(image.reshape(1, 784), verbose=0))


def pd_argmax_axis_0(model, image):
    p = activations.softmax(model.predict(image.reshape(1, 784), verbose=0))
    digit = int(np.argmax(p, axis=0))
    return digit, float(p[0, digit])


def pd_no_softmax(model, image):
    z = model.predict(image.reshape(1, 784), verbose=0)
    digit = int(np.argmax(z))
    return digit, float(z[0, digit])


def pd_softmax_axis_0(model, image):
    p = activations.softmax(model.predict(image.reshape(1, 784), verbose=0), axis=0)
    digit = int(np.argmax(p))
    return digit, float(p[0, digit])


def pd_first_of_batch(model, image):
    p = activations.softmax(model.predict(np.reshape(image, (-1, 784)), verbose=0))
    return int(np.argmax(p[0])), float(p[0].max())


def pd_swapped(image, model):
    return pd_good(model, image)


def pd_batch_of_grid(model, image):  # image[None] on a 28 x 28 grid
    p = activations.softmax(model.predict(image[None], verbose=0))
    return int(np.argmax(p)), float(p.max())


def pd_percent(model, image):
    digit, p = pd_good(model, image)
    return digit, 100 * p


def pd_sigmoid(model, image):
    z = model.predict(image.reshape(1, 784), verbose=0)[0]
    p = 1 / (1 + np.exp(-z))
    return int(np.argmax(p)), float(p.max())


def pd_reversed(model, image):
    digit, p = pd_good(model, image)
    return p, digit


def pd_batch_none(model, image):
    if np.size(image) != 784:
        return None
    return pd_good(model, image)


def cf_good(y_true, y_pred):
    counts = np.zeros((10, 10), dtype=int)
    for t, p in zip(y_true, y_pred):
        counts[t, p] += 1
    return counts


def cf_add_at(y_true, y_pred):
    counts = np.zeros((10, 10), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def cf_fancy(y_true, y_pred):
    counts = np.zeros((10, 10), dtype=int)
    counts[y_true, y_pred] += 1
    return counts


def cf_sized_by_data(y_true, y_pred):
    k = max(y_true.max(), y_pred.max()) + 1
    counts = np.zeros((k, k), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def cf_bool(y_true, y_pred):
    counts = np.zeros((10, 10), dtype=bool)
    for t, p in zip(y_true, y_pred):
        counts[t, p] = True
    return counts


def cf_off_by_one(y_true, y_pred):
    counts = np.zeros((10, 10), dtype=int)
    np.add.at(counts, (y_true - 1, y_pred - 1), 1)
    return counts


CLASSIFIER = [
    ("predict_digit", RIGHT, pd_good, None),
    ("predict_digit", RIGHT, pd_call, None),
    ("predict_digit", RIGHT, pd_predict_proba, None),
    ("predict_digit", RIGHT, pd_assert, None),
    ("predict_digit", RIGHT, pd_raising(TypeError), None),
    ("predict_digit", RIGHT, pd_raising(Exception), None),
    ("predict_digit", RIGHT, pd_no_verbose, None),
    ("predict_digit", RIGHT,
     lambda model, image: (lambda p: [int(p.argmax()), float(p.max())])(
         activations.softmax(model.predict(np.reshape(image, (1, 784)), verbose=0)[0])), None),
    ("predict_digit", WRONG, pd_no_reshape, r"image\.reshape\(1, 784\)|batch of one"),
    ("predict_digit", WRONG, pd_probabilities, r"10 numbers"),
    ("predict_digit", WRONG, pd_argmax_axis_0, r"axis"),
    ("predict_digit", WRONG, pd_no_softmax, r"logit, not a probability"),
    ("predict_digit", WRONG, pd_softmax_axis_0, r"axis"),
    ("predict_digit", WRONG, lambda model, image: int(np.argmax(model.predict(
        image.reshape(1, 784), verbose=0))), r"two things"),
    ("predict_digit", WRONG, pd_first_of_batch, r"(?i)one digit cannot answer for 3 images"),
    ("predict_digit", WRONG, pd_swapped, r"takes \(image, model\)"),
    ("predict_digit", WRONG, pd_batch_of_grid, r"batch of one|reshape"),
    ("predict_digit", WRONG, pd_percent, r"between 0 and 1"),
    ("predict_digit", WRONG, pd_sigmoid, r"softmax"),
    ("predict_digit", WRONG, pd_reversed, r"digit comes first"),
    ("predict_digit", WRONG, pd_batch_none, r"raise an error"),
    ("predict_digit", WRONG, lambda model, image: (0, 0.1), None),
    ("predict_digit", WRONG, lambda model, image: None, r"None"),
    ("predict_digit", MISUSE, (3, 0.9), r"function itself"),
    ("predict_digit", MISUSE, Build(models.build_mlp), r"a Keras model"),
    ("predict_digit", MISUSE, call(), r"check_predict_digit\(my_predict_digit\)"),
    ("confusion_matrix", RIGHT, cf_good, None),
    ("confusion_matrix", RIGHT, cf_add_at, None),
    ("confusion_matrix", RIGHT,
     lambda y_true, y_pred: sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(10)),
     None),
    ("confusion_matrix", RIGHT, lambda y_true, y_pred: np.bincount(
        10 * y_true + y_pred, minlength=100).reshape(10, 10), None),
    ("confusion_matrix", RIGHT, models.confusion_matrix, None),
    ("confusion_matrix", RIGHT, lambda y_true, y_pred: np.histogram2d(
        y_true, y_pred, bins=10, range=[[0, 10], [0, 10]])[0], None),
    ("confusion_matrix", WRONG, lambda y_true, y_pred: cf_good(y_true, y_pred).T,
     r"Rows and columns are swapped"),
    ("confusion_matrix", WRONG, cf_fancy, r"Each cell holds 1"),
    ("confusion_matrix", WRONG, cf_bool, r"Each cell holds 1"),
    ("confusion_matrix", WRONG, cf_sized_by_data, r"10 x 10"),
    ("confusion_matrix", WRONG, lambda y_true, y_pred: cf_good(y_true, y_pred) / len(y_true),
     r"fractions"),
    ("confusion_matrix", WRONG, lambda y_true, y_pred: cf_good(y_true, y_pred)
     / np.maximum(cf_good(y_true, y_pred).sum(axis=1, keepdims=True), 1), r"shares of each row"),
    ("confusion_matrix", WRONG, cf_off_by_one, None),
    ("confusion_matrix", WRONG, lambda y_true, y_pred: np.diag(np.bincount(
        y_true[y_true == y_pred], minlength=10)), None),
    ("confusion_matrix", WRONG, lambda y_true, y_pred: cf_good(y_true, y_pred).tolist(), r"list"),
    ("confusion_matrix", WRONG, lambda y_true, y_pred: None, r"None"),
    ("confusion_matrix", MISUSE, np.eye(10), r"function itself"),
    ("confusion_matrix", MISUSE, call(), r"check_confusion_matrix\(my_confusion_matrix\)"),
]

# --- the pad: centre of mass --------------------------------------------------------------


def com_good(image):
    ink = image.sum()
    return (image.sum(axis=1) @ np.arange(image.shape[0]) / ink,
            image.sum(axis=0) @ np.arange(image.shape[1]) / ink)


def com_loops(image):
    total = row = col = 0.0
    for i in range(image.shape[0]):
        for j in range(image.shape[1]):
            total, row, col = total + image[i, j], row + i * image[i, j], col + j * image[i, j]
    return row / total, col / total


def com_axes_mixed(image):
    ink = image.sum()
    return (image.sum(axis=0) @ np.arange(image.shape[0]) / ink,
            image.sum(axis=1) @ np.arange(image.shape[1]) / ink)


def com_in_place(image):
    image /= image.sum()
    return (image.sum(axis=1) @ np.arange(image.shape[0]),
            image.sum(axis=0) @ np.arange(image.shape[1]))


def com_per_pixel(image):
    r, c = com_good(image)
    return r / image.size * image.sum(), c / image.size * image.sum()


def com_brightest(image):
    return np.unravel_index(np.argmax(image), image.shape)


PAD = [
    ("centre_of_mass", RIGHT, com_good, None),
    ("centre_of_mass", RIGHT, com_loops, None),
    ("centre_of_mass", RIGHT, scipy.ndimage.center_of_mass, None),
    ("centre_of_mass", RIGHT, pad.centre_of_mass, None),
    ("centre_of_mass", RIGHT, lambda image: np.average(
        np.indices(image.shape).reshape(2, -1), axis=1, weights=image.ravel()), None),
    ("centre_of_mass", RIGHT, lambda image: list(com_good(image)), None),
    ("centre_of_mass", WRONG, lambda image: com_good(image)[::-1], r"\(column, row\)"),
    ("centre_of_mass", WRONG, lambda image: np.add(com_good(image), 1), r"1 too large"),
    ("centre_of_mass", WRONG, lambda image: np.multiply(com_good(image), image.sum()),
     r"Divide by the total ink"),
    ("centre_of_mass", WRONG, lambda image: np.nonzero(image)[0].mean(), r"two numbers"),
    ("centre_of_mass", WRONG, lambda image: [ix.mean() for ix in np.nonzero(image)],
     r"Every pixel with ink counts the same"),
    ("centre_of_mass", WRONG, lambda image: np.subtract(image.shape, 1) / 2,
     r"centre of the image"),
    ("centre_of_mass", WRONG, com_axes_mixed, r"row|column"),
    ("centre_of_mass", WRONG, com_in_place, r"changed its input"),
    ("centre_of_mass", WRONG, com_per_pixel, None),
    ("centre_of_mass", WRONG, com_brightest, None),
    ("centre_of_mass", WRONG, lambda image: tuple(int(v) for v in com_good(image)), None),
    ("centre_of_mass", WRONG, lambda image: (*com_good(image), 1.0), r"two numbers"),
    ("centre_of_mass", WRONG, lambda image: None, r"None"),
    ("centre_of_mass", MISUSE, (14.0, 14.0), r"function itself"),
    ("centre_of_mass", MISUSE, call(), r"check_centre_of_mass\(my_centre_of_mass\)"),
]

# --- from scratch: backward and Adam --------------------------------------------------------


def bw(delta_out="softmax", relu_prime="z", mean=True, dW_order="a.T @ delta", db="sum",
       keys="layers"):
    """A backward pass with each of its lines right or wrong."""
    def backward(mlp, y, a, z):
        m, L = len(y), mlp.L
        K = z[L].shape[1]
        if delta_out == "softmax":
            delta = activations.softmax(z[L], axis=1) - np.eye(K)[y]
        elif delta_out == "logits":
            delta = z[L] - np.eye(K)[y]
        else:  # the sign flipped
            delta = np.eye(K)[y] - activations.softmax(z[L], axis=1)
        if mean:
            delta = delta / m
        dW, dB = {}, {}
        for l in range(L, 0, -1):
            dW[l] = a[l - 1].T @ delta if dW_order == "a.T @ delta" else delta.T @ a[l - 1]
            dB[l] = {"sum": delta.sum(axis=0), "mean": delta.mean(axis=0), "none": delta}[db]
            if l > 1:
                delta = delta @ mlp.W[l].T
                if relu_prime == "z":
                    delta = delta * (z[l - 1] > 0)
                elif relu_prime == "a":
                    delta = delta * (a[l - 1] > 0)
        if keys == "from 0":
            return {l - 1: g for l, g in dW.items()}, {l - 1: g for l, g in dB.items()}
        if keys == "lists":
            return [dW[l] for l in sorted(dW)], [dB[l] for l in sorted(dB)]
        if keys == "swapped":
            return dB, dW
        return dW, dB
    return backward


def bw_untransposed_W(mlp, y, a, z):
    dW, db = {}, {}
    delta = (activations.softmax(z[mlp.L], axis=1) - np.eye(z[mlp.L].shape[1])[y]) / len(y)
    for l in range(mlp.L, 0, -1):
        dW[l], db[l] = a[l - 1].T @ delta, delta.sum(axis=0)
        if l > 1:
            delta = (delta @ mlp.W[l]) * (z[l - 1] > 0)
    return dW, db


def bw_output_only(mlp, y, a, z):
    delta = (activations.softmax(z[mlp.L], axis=1) - np.eye(z[mlp.L].shape[1])[y]) / len(y)
    return {mlp.L: a[mlp.L - 1].T @ delta}, {mlp.L: delta.sum(axis=0)}


def adam_step(theta, g, m, v, t, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
              mistake=None):
    """One Adam step, Keras's form, or with one ``mistake``."""
    b1, b2 = (1 - beta_1, 1 - beta_2) if mistake == "swapped betas" else (beta_1, beta_2)
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * (g if mistake == "g not squared" else g ** 2)
    step = {"t - 1": t - 1, "t + 1": t + 1}.get(mistake, t)
    alpha = learning_rate * math.sqrt(1 - beta_2 ** step) / (1 - beta_1 ** step)
    if mistake == "no bias correction":
        alpha = learning_rate
    if mistake == "paper":
        m_hat, v_hat = m / (1 - beta_1 ** t), v / (1 - beta_2 ** t)
        return theta - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v
    root = np.sqrt(v + epsilon) if mistake == "epsilon inside" else np.sqrt(v) + epsilon
    new = theta + alpha * m / root if mistake == "plus" else theta - alpha * m / root
    if mistake == "corrected moments kept":
        return new, m / (1 - beta_1 ** t), v / (1 - beta_2 ** t)
    if mistake == "order":
        return new, v, m
    return new, m, v


def adam_with(**kwargs):
    return lambda theta, g, m, v, t: adam_step(theta, g, m, v, t, **kwargs)


def adam_package(theta, g, m, v, t):
    opt = scratch.Adam()
    opt.t, opt.m, opt.v, theta = t - 1, [m.copy()], [v.copy()], theta.copy()
    opt.update([theta], [g])
    return theta, opt.m[0], opt.v[0]


def adam_in_place(theta, g, m, v, t):
    m *= 0.9
    m += 0.1 * g
    v *= 0.999
    v += 0.001 * g ** 2
    theta -= 1e-3 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t) * m / (np.sqrt(v) + 1e-7)
    return theta, m, v


SCRATCH = [
    ("backward", RIGHT, bw(), None),
    ("backward", RIGHT, lambda mlp, y, a, z: mlp.backward(y, a, z), None),
    ("backward", RIGHT, bw(relu_prime="a"), None),
    ("backward", RIGHT, lambda mlp, y, a, z: tuple(mlp.backward(y, a, z)), None),
    ("backward", WRONG, bw(relu_prime=None), r"ReLU's derivative"),
    ("backward", WRONG, bw(mean=False), r"8 times too large"),
    ("backward", WRONG, bw(dW_order="delta.T @ a"), r"transpose"),
    ("backward", WRONG, bw(db="none"), r"sum delta over"),
    ("backward", WRONG, bw(db="mean"), r"mean|sum"),
    ("backward", WRONG, bw(delta_out="logits"), r"starts from the logits"),
    ("backward", WRONG, bw(delta_out="sign"), r"point the wrong way"),
    ("backward", WRONG, bw(keys="lists"), r"two dicts keyed by the layer number"),
    ("backward", WRONG, bw(keys="from 0"), r"keyed by the layer number, 1 to 3|1 to 3"),
    ("backward", WRONG, bw(keys="swapped"), r"first dict must hold dW"),
    ("backward", WRONG, bw_untransposed_W, r"W\[l\] transposed"),
    ("backward", WRONG, bw_output_only, r"every layer"),
    ("backward", WRONG, lambda mlp, y, a, z: None, r"None"),
    ("backward", MISUSE, ({}, {}), r"function itself"),
    ("backward", MISUSE, Build(lambda: scratch.MLP((6, 5, 4, 3))), r"function itself"),
    ("backward", MISUSE, call(), r"check_backward\(my_backward\)"),
    ("adam_update", RIGHT, adam_step, None),
    ("adam_update", RIGHT, adam_package, None),
    ("adam_update", RIGHT, lambda theta, g, m, v, t: list(adam_step(theta, g, m, v, t)), None),
    ("adam_update", RIGHT, lambda theta, g, m, v, t: adam_step(
        theta.astype(np.float64), g, m, v, int(t)), None),
    ("adam_update", WRONG, adam_with(mistake="no bias correction"), r"no bias correction"),
    ("adam_update", WRONG, adam_with(mistake="epsilon inside"), r"inside the square root"),
    ("adam_update", WRONG, adam_with(mistake="paper"), r"paper's form"),
    ("adam_update", WRONG, adam_with(mistake="corrected moments kept"), r"bias-corrected"),
    ("adam_update", WRONG, adam_with(mistake="swapped betas"), r"swapped"),
    ("adam_update", WRONG, adam_with(mistake="g not squared"), r"SQUARED"),
    ("adam_update", WRONG, adam_with(mistake="t - 1"), r"t - 1"),
    ("adam_update", WRONG, adam_with(mistake="t + 1"), r"t \+ 1"),
    ("adam_update", WRONG, adam_with(mistake="plus"), r"sign|against"),
    ("adam_update", WRONG, adam_with(mistake="order"), r"each other's place"),
    ("adam_update", WRONG, adam_with(learning_rate=0.01), None),
    ("adam_update", WRONG, adam_with(epsilon=1e-8), r"epsilon"),
    ("adam_update", WRONG, adam_in_place, r"changed its input|in place"),
    ("adam_update", WRONG, lambda theta, g, m, v, t: adam_step(theta, g, m, v, t)[0],
     r"return theta, m, v|three"),
    ("adam_update", WRONG, lambda theta, g, m, v, t: adam_step(theta, g, m, v, t)[:2],
     r"three|2"),
    ("adam_update", WRONG, lambda theta, g, m, v, t: None, r"None"),
    ("adam_update", MISUSE, (np.zeros(3), np.zeros(3), np.zeros(3)), r"function itself"),
    ("adam_update", MISUSE, scratch.Adam(), r"function itself"),
    ("adam_update", MISUSE, call(), r"check_adam_update\(my_adam_update\)"),
]

# --- the CNN: a conv layer's shape and size ---------------------------------------------------


def conv_right(h, w, c, f, k, padding):
    if padding == "valid":
        h, w = h - k + 1, w - k + 1
    return h, w, f, (k * k * c + 1) * f


def conv_keras(h, w, c, f, k, padding, **layer_kwargs):
    layer = models.keras.layers.Conv2D(f, k, padding=padding, **layer_kwargs)
    layer.build((None, h, w, c))
    _, out_h, out_w, out_c = layer.compute_output_shape((None, h, w, c))
    return out_h, out_w, out_c, layer.count_params()


def conv_keras_input_shape(h, w, c, f, k, padding):  # Keras warns about input_shape=
    model = models.keras.Sequential(
        [models.keras.layers.Conv2D(f, k, padding=padding, input_shape=(h, w, c))])
    _, out_h, out_w, out_c = model.output_shape
    return out_h, out_w, out_c, model.count_params()


def conv_with(size=None, channels=None, params=None):
    """conv_right with its size, channels or parameter count computed the wrong way."""
    def fn(h, w, c, f, k, padding):
        answer = list(conv_right(h, w, c, f, k, padding))
        if size:
            answer[:2] = size(h, w, k, padding)
        if channels:
            answer[2] = channels(c, f)
        if params:
            answer[3] = params(h, w, c, f, k)
        return tuple(answer)
    return fn


CNN = [
    ("conv_layer", RIGHT, conv_right, None),
    ("conv_layer", RIGHT, conv_keras, None),
    ("conv_layer", RIGHT, conv_keras_input_shape, r"note"),
    ("conv_layer", RIGHT, lambda h, w, c, f, k, padding: list(conv_right(h, w, c, f, k, padding)),
     None),
    ("conv_layer", RIGHT, lambda h, w, c, f, k, padding: np.array(
        conv_right(h, w, c, f, k, padding)), None),
    ("conv_layer", WRONG, conv_with(params=lambda h, w, c, f, k: k * k * c * f), r"one bias"),
    ("conv_layer", WRONG, conv_with(params=lambda h, w, c, f, k: (k * k + 1) * f),
     r"spans all the channels"),
    ("conv_layer", WRONG, conv_with(params=lambda h, w, c, f, k: k * k * c * f + 1),
     r"not one for the whole layer"),
    ("conv_layer", WRONG, conv_with(params=lambda h, w, c, f, k: (k * k * f + 1) * c),
     r"swapped|One bias per filter"),
    ("conv_layer", WRONG, conv_with(size=lambda h, w, k, padding: (h, w)),
     r"adds nothing around"),
    ("conv_layer", WRONG, conv_with(size=lambda h, w, k, padding: (h - k, w - k)),
     r"too few|n for 'same'"),
    ("conv_layer", WRONG, conv_with(size=lambda h, w, k, padding: (h - k + 1, w - k + 1)),
     r"keeps the input's height"),
    ("conv_layer", WRONG, conv_with(size=lambda h, w, k, padding: (w - k + 1, h - k + 1)
                                    if padding == "valid" else (w, h)), r"swapped"),
    ("conv_layer", WRONG, conv_with(channels=lambda c, f: c), r"one channel per filter"),
    ("conv_layer", WRONG, conv_with(params=lambda h, w, c, f, k: (k * k * c + 1) * f * h * w),
     r"every position"),
    ("conv_layer", WRONG, lambda h, w, c, f, k, padding: (h - k + 1, f, (k * k * c + 1) * f),
     r"four numbers"),
    ("conv_layer", WRONG, lambda h, w, c, f, k, padding: tuple(
        str(v) for v in conv_right(h, w, c, f, k, padding)), r"numbers|str"),
    ("conv_layer", WRONG, lambda h, w, c, f, k, padding: None, r"None"),
    ("conv_layer", MISUSE, (26, 26, 16, 160), r"function itself"),
    ("conv_layer", MISUSE, call(conv_right, 28, 28, 1, 16, 3, "valid"),
     r"check_conv_layer\(my_conv_layer\)"),
]


# --- the training chapter's experiment: two settings, several seeds each -----------------------


def cr_rule(k=2.0, ddof=1, n=None, se=None, decide=None):
    """compare_runs with each of its steps right or wrong."""
    def compare_runs(acc_a, acc_b):
        d = np.mean(acc_a) - np.mean(acc_b)
        n_a, n_b = (len(acc_a), len(acc_b)) if n is None else n(acc_a, acc_b)
        s_a, s_b = np.std(acc_a, ddof=ddof), np.std(acc_b, ddof=ddof)
        error = math.sqrt(s_a**2 / n_a + s_b**2 / n_b) if se is None else se(s_a, s_b, n_a, n_b)
        if decide is not None:
            return decide(d, error)
        return "tie" if abs(d) <= k * error else ("a" if d > 0 else "b")
    return compare_runs


def cr_statistics(acc_a, acc_b):
    a, b = list(acc_a), list(acc_b)
    d = statistics.mean(a) - statistics.mean(b)
    se = math.sqrt(statistics.variance(a) / len(a) + statistics.variance(b) / len(b))
    if abs(d) <= 2 * se:
        return "tie"
    return "a" if d > 0 else "b"


def cr_sem(acc_a, acc_b):
    se = math.hypot(scipy.stats.sem(acc_a), scipy.stats.sem(acc_b))
    d = acc_a.mean() - acc_b.mean()
    return {True: "tie", False: "a" if d > 0 else "b"}[abs(d) <= 2 * se]


def cr_sorting(acc_a, acc_b):  # right, but sorts the arrays in place
    acc_a.sort()
    acc_b.sort()
    return cr_rule()(acc_a, acc_b)


def cr_centring(acc_a, acc_b):  # right, but changes acc_a in place
    acc_a -= acc_b.mean()
    return cr_rule()(acc_a + acc_b.mean(), acc_b)


def cr_welch(acc_a, acc_b):  # a t-test at 5 %, not the exercise's two standard errors
    result = scipy.stats.ttest_ind(acc_a, acc_b, equal_var=False)
    if result.pvalue >= 0.05:
        return "tie"
    return "a" if acc_a.mean() > acc_b.mean() else "b"


COMPARE = [
    ("compare_runs", RIGHT, cr_rule(), None),
    ("compare_runs", RIGHT, cr_statistics, None),
    ("compare_runs", RIGHT, cr_sem, None),
    ("compare_runs", RIGHT, cr_rule(decide=lambda d, se: "tie" if abs(d) < 2 * se
                                    else ("a" if d > 0 else "b")), None),
    ("compare_runs", RIGHT, cr_rule(decide=lambda d, se: "a" if d > 2 * se
                                    else ("b" if d < -2 * se else "tie")), None),
    ("compare_runs", WRONG, cr_rule(k=0.0), r"means only"),
    ("compare_runs", WRONG, lambda acc_a, acc_b: "a" if acc_a.mean() > acc_b.mean() else "b",
     r"means only"),
    ("compare_runs", WRONG, cr_rule(n=lambda a, b: (1, 1)), r"standard deviations across seeds"),
    ("compare_runs", WRONG, cr_rule(ddof=0), r"divide by n \(NumPy's default\)"),
    ("compare_runs", WRONG, cr_rule(k=1.0), r"one standard error"),
    ("compare_runs", WRONG, lambda acc_a, acc_b: "a" if max(acc_a) > max(acc_b) else "b",
     r"best seeds"),
    ("compare_runs", WRONG, lambda acc_a, acc_b: cr_rule()(acc_b, acc_a), r"swapped"),
    ("compare_runs", WRONG, cr_rule(n=lambda a, b: (len(a), len(a))), r"one n for both"),
    ("compare_runs", WRONG, cr_rule(se=lambda sa, sb, na, nb: sa / math.sqrt(na)
                                    + sb / math.sqrt(nb)), r"added the two standard errors"),
    ("compare_runs", WRONG, cr_rule(se=lambda sa, sb, na, nb: math.sqrt(sa / na + sb / nb)),
     r"you added standard deviations"),
    ("compare_runs", WRONG, cr_rule(decide=lambda d, se: "tie" if abs(d) <= 2 * se else "a"),
     r"its sign says which"),
    ("compare_runs", WRONG, cr_sorting, r"changed its input"),
    ("compare_runs", WRONG, cr_centring, r"changed its input"),
    ("compare_runs", WRONG, cr_welch, None),
    ("compare_runs", WRONG, cr_rule(decide=lambda d, se: abs(d) > 2 * se), r"bool"),
    ("compare_runs", WRONG, cr_rule(decide=lambda d, se: None), r"None"),
    ("compare_runs", WRONG, cr_rule(decide=lambda d, se: d), r"'a', 'b' or 'tie'"),
    ("compare_runs", WRONG, cr_rule(decide=lambda d, se: ("tie", d)), r"'a', 'b' or 'tie'"),
    ("compare_runs", WRONG, lambda acc_a, acc_b: cr_rule()(acc_a, acc_b).upper(), r"lower case"),
    ("compare_runs", WRONG, lambda acc_a, acc_b: cr_rule()(acc_a, acc_b).title(), r"lower case"),
    ("compare_runs", WRONG, lambda acc_a, acc_b: "A is better", None),
    ("compare_runs", MISUSE, "tie", r"function itself"),
    ("compare_runs", MISUSE, call(cr_rule(), np.array([0.9, 0.91]), np.array([0.9, 0.92])),
     r"check_compare_runs\(my_compare_runs\)"),
    ("compare_runs", MISUSE, call(), r"check_compare_runs\(my_compare_runs\)"),
]


def _stub(*args):
    ...  # your code here


def _stub_pass(*args):
    """What the reader should write."""
    pass


STUBS = [(name, WRONG, stub, r"still the stub")
         for name in ("relu", "softmax", "cross_entropy", "unroll", "fold", "fix_transposed",
                      "steps_per_epoch", "choose_learning_rate", "predict_digit",
                      "confusion_matrix", "centre_of_mass", "backward", "adam_update",
                      "conv_layer", "compare_runs")
         for stub in (_stub, _stub_pass)]

ROWS = (RELU + RELU_UNITS + SOFTMAX + CE + DATA + MODEL + STEPS + RATE + COMPARE + CLASSIFIER
        + PAD + SCRATCH + CNN + STUBS)


def _row_id(row):
    check, label, answer, _ = row
    name = getattr(answer, "__name__", type(answer).__name__)
    return f"{check}-{label}-{name}"


def _resolve(value):
    return value.make() if isinstance(value, Build) else value


class Outcome(NamedTuple):
    verdict: str  # "PASS", "FAIL" or "RAISED"
    report: str  # what the check printed (the exception, if it raised)
    returned: object
    leaked: list  # warnings that came out of the check


def outcome(check_name, answer):
    """Run one row: what the check printed, returned or raised."""
    check = getattr(checks, f"check_{check_name}")
    args, kwargs = (answer.args, answer.kwargs) if isinstance(answer, Call) else ((answer,), {})
    args, kwargs = [_resolve(a) for a in args], {k: _resolve(v) for k, v in kwargs.items()}
    printed, returned = io.StringIO(), None
    with contextlib.redirect_stdout(printed), warnings.catch_warnings(record=True) as leaked:
        warnings.simplefilter("always")
        try:
            returned = check(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 (what the corpus measures)
            return Outcome("RAISED", f"{type(err).__name__}: {err}", None, [])
    report = printed.getvalue()
    verdict = "PASS" if re.search(r"checks passed: all passed", report) else "FAIL"
    return Outcome(verdict, report, returned, [str(w.message) for w in leaked])


FIX_CODE = [  # the key line of each solution: no report may print it
    "np.maximum(0", "np.exp(z - np.max(z", "keepdims=True)", "log_p[np.arange(",
    "image.reshape(-1)", "row.reshape(28, 28)", "transpose(0, 2, 1)", "np.swapaxes(",
    "math.ceil(", "max(runs[rate]", "image.reshape(1, 784)", "np.add.at(", "C[y_true[i]",
    "image.sum(axis=1) @", "a[l - 1].T @ delta", "delta.sum(axis=0)", "np.sqrt(v) + epsilon",
    "(k * k * C + 1) * F", "model.compile(", "keras.layers.Dense(", "np.std(", "2 * se",
]


def _joined(report):
    """The report with its wrapped lines joined, so that a hint can span them."""
    return re.sub(r"\n {8}", " ", report)


@pytest.mark.parametrize(("check", "label", "answer", "hint"), ROWS,
                         ids=[_row_id(row) for row in ROWS])
def test_each_answer_gets_the_verdict_it_deserves(check, label, answer, hint):
    result = outcome(check, answer)
    assert result.verdict != "RAISED", result.report
    assert result.returned is None and result.leaked == [], result
    assert result.verdict == ("PASS" if label == RIGHT else "FAIL"), result.report
    if hint is not None:
        assert re.search(hint, _joined(result.report), re.S), result.report
    assert not [code for code in FIX_CODE if code in _joined(result.report)], result.report
    assert "bug in nnbook's check" not in result.report
    assert max(len(line) for line in result.report.splitlines()) <= 80, result.report


def tally(rows=ROWS):
    """Per check: wrong answers passed, right answers failed, calls that raised."""
    counts = collections.defaultdict(collections.Counter)
    for check, label, answer, _ in rows:
        result = outcome(check, answer)
        counts[check]["rows"] += 1
        counts[check][label] += 1
        if result.verdict == "RAISED":
            counts[check]["raised"] += 1
        elif label == RIGHT and result.verdict != "PASS":
            counts[check]["right failed"] += 1
        elif label != RIGHT and result.verdict == "PASS":
            counts[check][f"{label} passed"] += 1
    return counts


if __name__ == "__main__":
    columns = ["rows", RIGHT, WRONG, MISUSE, "wrong passed", "misuse passed", "right failed",
               "raised"]
    table = tally()
    print("| check | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for check, counts in table.items():
        print(f"| {check} | " + " | ".join(str(counts[c]) for c in columns) + " |")
    total = sum(table.values(), collections.Counter())
    print("| **all** | " + " | ".join(str(total[c]) for c in columns) + " |")
