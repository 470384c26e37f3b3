"""The losses chapter's check: ``check_cross_entropy``."""

import numpy as np

from nnbook.activations import log_softmax
from nnbook.checks._runner import checker, run, same
from nnbook.losses import sparse_cross_entropy

CASES = [
    ("one example, z = [2, 1, 0.1], label 0", np.array([0]), np.array([[2.0, 1.0, 0.1]])),
    ("four equal scores, label 3: loss log 4", np.array([3]), np.array([[0.5, 0.5, 0.5, 0.5]])),
    ("a batch of 3 examples: the mean of their losses",
     np.array([0, 2, 1]), np.array([[5.0, 1.0, -1.0], [0.0, 1.0, 1.5], [2.0, -1.0, 0.5]])),
    ("confident and right: z = [1000, 0, -1000], label 0",
     np.array([0]), np.array([[1000.0, 0.0, -1000.0]])),
    ("confident and wrong: the same z, label 2",
     np.array([2]), np.array([[1000.0, 0.0, -1000.0]])),
]


def _losses(labels, z):
    """The loss of each example, ``-log softmax(z_i)[labels_i]``."""
    return sparse_cross_entropy(labels, z, reduction="none")


def _picked(labels, z, shift):
    """The mean loss of class ``labels + shift``: the log-probability of the wrong class."""
    return _losses((labels + shift) % z.shape[1], z).mean()


_LOG_SOFTMAX = ("compute the log-probabilities directly, as each shifted score minus the log "
                "of the sum of the exponentials (the log-softmax, Hint 1), instead of the log "
                "of a softmax")
WRONG = [
    ("the sign", lambda labels, z: -_losses(labels, z).mean(),
     "the sign is wrong: log p is 0 or less, so the loss is MINUS the log-probability"),
    ("the sum", lambda labels, z: _losses(labels, z).sum(),
     "this is the sum of the losses: the cost is their mean, over the examples"),
    ("no mean", _losses,
     "these are the losses of the examples: return one number, their mean"),
    ("every label's column", lambda labels, z: -log_softmax(z, axis=1)[:, labels].mean(),
     "indexing with [:, labels] picks every label's column for every example; pick one entry "
     "per row, the one in that example's label's column (Hint 2)"),
    ("the predicted class", lambda labels, z: -log_softmax(z, axis=1).max(axis=1).mean(),
     "this is the loss of the predicted class (the largest score), not of the right class: "
     "use the labels"),
    ("the score only", lambda labels, z: -z[np.arange(len(labels)), labels].mean(),
     "this is minus the right class's score: the log-softmax also subtracts the log of the "
     "sum of the exponentials"),
    ("the next class", lambda labels, z: _picked(labels, z, 1),
     "this is the log-probability of the wrong class: use each example's own label's column"),
    ("the previous class", lambda labels, z: _picked(labels, z, -1),
     "this is the log-probability of the wrong class: use each example's own label's column"),
    ("log10", lambda labels, z: _losses(labels, z).mean() / np.log(10),
     "this is the log to base 10: the cross-entropy uses the natural log, np.log"),
    ("the mean over every entry",
     lambda labels, z: _losses(labels, z).mean() / z.shape[1],
     "this is the mean over every entry of the (m, K) array, K times too small: only the "
     "right class counts, so average the m losses"),
]


def _swapped(attempt):
    """A hint for a function that takes (logits, labels)."""
    labels, z = attempt.args
    if same(attempt.call(z, labels), np.asarray(attempt.expected, dtype=float), 1e-6):
        return ("your function takes (logits, labels): the exercise, and the check, give it "
                "the labels first, then the logits")
    return None


def _not_finite(attempt):
    """A hint for NaN or inf: an overflow, or the log of a probability rounded to 0."""
    got = attempt.got
    if got is None or got.shape != () or np.isfinite(got):
        return None
    said = " (NumPy: " + "; ".join(attempt.warnings) + ")" if attempt.warnings else ""
    if any("overflow" in w for w in attempt.warnings):
        return (f"np.exp of a large score overflowed to inf{said}: shift each row by its "
                f"maximum before the exponential (Hint 1); or {_LOG_SOFTMAX}")
    return f"a probability rounded to exactly 0, and its log is -inf{said}: {_LOG_SOFTMAX}"


def _clipped(attempt):
    """A hint for probabilities clipped away from 0: a confident mistake capped at -log(eps)."""
    got, expected = attempt.got, float(attempt.expected)
    if got is None or got.shape != () or not 5 < float(got) < 50 or expected < 100:
        return None
    return (f"a confident mistake costs {expected:g} here, and you give {float(got):.4g}: "
            "clipping the probability away from 0 caps the loss at -log of the clip, so a "
            f"confident mistake is not punished as it should be: {_LOG_SOFTMAX}")


@checker("check_cross_entropy(my_cross_entropy)", WRONG)
def check_cross_entropy(fn):
    r"""Check the reader's cross-entropy from logits, ``fn(labels, logits) -> J``.

    ``fn`` takes ``labels``, an int64 array of shape (m,), and ``logits``, a
    float64 array of shape (m, K), and returns one number: the mean over the
    examples of :math:`-\log \operatorname{softmax}(z_i)_{y_i}`, finite for
    logits as large as 1000. It may change its arguments. Prints the report
    and returns None.
    """
    run("check_cross_entropy: your cross-entropy from logits", fn, CASES,
        lambda labels, z: _losses(labels, z).mean(),
        [_swapped, _not_finite, _clipped, WRONG], answer="one number, the mean loss")
