"""The softmax chapter's check: ``check_softmax``."""

import numpy as np

from nnbook.activations import log_softmax, softmax
from nnbook.checks._runner import checker, run

CASES = [
    ("z = [1, 2, 3, 4]", np.array([1.0, 2.0, 3.0, 4.0])),
    ("ten equal scores (each p = 0.1)", np.full(10, 3.0)),
    ("large scores z = [1000, 1001, 1002, 1003]", np.array([1000.0, 1001.0, 1002.0, 1003.0])),
    ("a large spread z = [-1000, 0, 1000]", np.array([-1000.0, 0.0, 1000.0])),
    ("a batch, shape (3, 4), one softmax per row",
     np.array([[1.0, 2.0, 3.0, 4.0], [-1000.0, 0.0, 500.0, 1000.0],
               [1000.0, 1003.0, 1001.0, 1002.0]])),
]


def _rows(e, axis=-1):
    return e / np.sum(e, axis=axis, keepdims=True)


WRONG = [
    ("no exponential", lambda z: _rows(z),
     "these are the scores divided by their sum: the exponential is missing"),
    ("no exponential, shifted", lambda z: _rows(z - np.max(z, axis=-1, keepdims=True)),
     "these are the shifted scores divided by their sum: the exponential is missing"),
    ("columns", lambda z: _rows(np.exp(z - np.max(z, axis=-1, keepdims=True)), axis=0),
     "your columns sum to 1, not your rows: each row of a batch is one example, and its "
     "classes lie along the last axis (Hint 2)"),
    ("whole batch", lambda z: softmax(z.ravel()).reshape(z.shape),
     "the whole batch sums to 1, not each row: each row is one example and gets its own "
     "softmax (Hint 2)"),
    ("log-softmax", log_softmax,
     "these are the logs of the probabilities (the log-softmax); softmax is their exponential"),
    ("sigmoid", lambda z: 1 / (1 + np.exp(-z)),
     "this is the sigmoid of each score on its own; softmax divides each exponential by the "
     "sum of its row's, so that the row sums to 1"),
]


def _errors(attempt):
    """A hint from what the function raised: Python's max, keepdims, axis 1 of a vector."""
    error = attempt.error
    if "truth value" in error:
        return ("Python's max works on one vector (it compares numbers one by one); on a batch "
                "it compares whole rows, which has no answer: take each row's largest score "
                "with NumPy, along the last axis (Hint 2)")
    if "broadcast" in error:
        return ("for a batch, the sum of each row must keep its axis, so that it lines up "
                "with the rows when you divide (Hint 2, keepdims)")
    if "axis 1 is out of bounds" in error:
        return ("one vector of scores has only axis 0: the classes are along the LAST axis, "
                "for a vector and a batch alike (Hint 2)")
    return None


def _overflow(attempt):
    """A hint for NaN or an overflow: no shift, the wrong shift, or the whole batch's maximum."""
    (z,), got = attempt.args, attempt.got
    overflowed = any("overflow" in w for w in attempt.warnings)
    if not overflowed and (got is None or np.all(np.isfinite(got))):
        return None
    if not overflowed and z.ndim == 2 and got.shape == z.shape:
        bad = ~np.all(np.isfinite(got), axis=-1)
        if np.all(z.max(axis=-1)[bad] < z.max() - 700):
            return ("every exponential of those rows became 0, and 0 / 0 is NaN: subtract each "
                    "row's own maximum, not the maximum of the whole batch")
    said = " (NumPy: " + "; ".join(attempt.warnings) + ")" if attempt.warnings else ""
    why = (f"the exponential e^1000 is too big for a float: it becomes inf, and inf / inf is "
           f"NaN{said}. "
           "Softmax is unchanged when every score of a row moves by the same amount, so "
           "subtract the row's largest score first: every exponent is then 0 or less")
    near = attempt.call(np.array([1000.0, 1001.0]))
    if near is None or not np.all(np.isfinite(near)):
        return why
    apart = attempt.call(np.array([0.0, 1000.0]))
    if apart is not None and np.all(np.isfinite(apart)):
        shift = "the mean (or another middle value)"
    else:
        shift = "the minimum (or the first score)"
    return (f"{why}. You subtract {shift}, not the maximum: that works while the scores are "
            "close together, but not when they are 1000 or more apart")


@checker("check_softmax(my_softmax)", WRONG)
def check_softmax(fn):
    """Check the reader's softmax: ``fn(z)`` returns the probabilities along the last axis.

    ``fn`` takes a float64 array ``z`` of scores, shape (K,) or (m, K), and
    returns an array of its shape whose rows sum to 1, finite for any finite
    scores. It may change ``z``. Prints the report and returns None.
    """
    run("check_softmax: your softmax", fn, CASES, softmax, [_errors, _overflow, WRONG],
        answer="an array of z's shape")
