"""The training chapter's checks: steps per epoch, choosing a learning rate, comparing two runs."""

import math

import numpy as np

from nnbook.checks._runner import checker, run

STEPS_CASES = [
    ("the lab's 5,000 images in batches of 32", 5000, 32),
    ("4,000 images in batches of 32 (no partial batch)", 4000, 32),
    ("1,000 images in batches of 64", 1000, 64),
    ("50 images, fewer than one batch of 64", 50, 64),
    ("64 images in batches of 64", 64, 64),
]
STEPS_WRONG = [
    ("m // batch_size", lambda m, batch_size: m // batch_size,
     "the full batches leave the last images out; Keras takes one more step on that partial "
     "batch (Hint 1)"),
    ("one more, always", lambda m, batch_size: m // batch_size + 1,
     "the batches fit exactly here, so there is no partial batch and no extra step (Hint 2)"),
    ("the arguments swapped", lambda m, batch_size: math.ceil(batch_size / m),
     "this is batch_size / m: the check calls your function with m first, then batch_size"),
    ("m times batch_size", lambda m, batch_size: m * batch_size,
     "an epoch shows each example once, batch_size at a time: the steps are about m divided "
     "by batch_size"),
]


def _steps_values(attempt):
    """A hint for a number of steps that is not a whole number, or 0."""
    (m, batch_size), got = attempt.args, attempt.got
    if got is None or got.shape != () or not np.isfinite(got):
        return None
    if got != round(float(got)):
        return (f"{m} / {batch_size} = {m / batch_size:g} is not a number of steps: a step takes "
                "a whole batch, and the last batch may be smaller (Hint 2)")
    if got == 0:
        return "even fewer images than a batch make one (smaller) batch: one step"
    return None


@checker("check_steps_per_epoch(my_steps_per_epoch)", STEPS_WRONG)
def check_steps_per_epoch(fn):
    """Check the reader's ``steps_per_epoch(m, batch_size)``: gradient steps in one epoch.

    ``fn`` takes two ints, ``m`` and ``batch_size``, and returns the number of
    steps, a whole number (an int, or a float such as 157.0). Prints the
    report and returns None.
    """
    run("check_steps_per_epoch: your steps_per_epoch", fn, STEPS_CASES,
        lambda m, batch_size: -(-m // batch_size), [_steps_values, STEPS_WRONG], atol=0,
        answer="one whole number, the steps of an epoch")


class _History(dict):
    """A Keras-like history that records each read of its ``"test_accuracy"``."""

    def __init__(self, reads, **lists):
        super().__init__(**lists)
        self.reads = reads

    def __getitem__(self, key):
        if key == "test_accuracy":
            self.reads.append(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        return self[key] if key in self else default


class _Runs(dict):
    """``{rate: history}``; ``reads`` lists the reads of the test accuracies, even once emptied."""

    def __init__(self, runs):
        self.reads = []
        super().__init__({rate: _History(self.reads, **h) for rate, h in runs.items()})


_VAL = {  # validation accuracy per epoch; the right rate peaks highest, at epoch 7
    "right": [0.80, 0.86, 0.89, 0.91, 0.925, 0.932, 0.935, 0.928, 0.92, 0.912],
    "test": [0.84, 0.87, 0.885, 0.895, 0.902, 0.908, 0.912, 0.915, 0.918, 0.915],
    "train": [0.85, 0.89, 0.9, 0.898, 0.895, 0.89, 0.885, 0.88, 0.878, 0.875],
    "last": [0.70, 0.78, 0.83, 0.86, 0.88, 0.895, 0.905, 0.913, 0.92, 0.925],
    "mean": [0.91, 0.92, 0.922, 0.923, 0.922, 0.921, 0.92, 0.919, 0.918, 0.917],
    "worst": [0.5, 0.6, 0.68, 0.74, 0.78, 0.81, 0.83, 0.84, 0.845, 0.85],
}
_TEST_OFFSET = {"test": 0.035}  # only the rate that the test set would choose does best there
_LOSS_END = {"right": 0.2, "test": 0.15, "train": 0.02, "last": 0.3, "mean": 0.25, "worst": 0.6}


def _runs(roles):
    """Made-up runs: each rate of ``roles`` ({rate: role}) gets its role's history."""
    runs = {}
    for rate, role in sorted(roles.items()):
        val = np.array(_VAL[role])
        loss = _LOSS_END[role] + (2.3 - _LOSS_END[role]) * np.exp(-np.arange(10) / 2.0)
        runs[rate] = {"loss": np.round(loss, 4).tolist(),
                      "accuracy": np.round(np.minimum(1.0, 1.02 - loss / 2.5), 4).tolist(),
                      "val_loss": np.round(1.25 - val, 4).tolist(),
                      "val_accuracy": val.tolist(),
                      "test_accuracy": np.round(val - 0.01 + _TEST_OFFSET.get(role, 0),
                                                4).tolist()}
    return _Runs(runs)


RATE_CASES = [  # each careless rule picks another rate, and not always the largest or smallest
    ("six rates: the best validation accuracy wins", _runs(
        {1e-4: "worst", 3e-4: "last", 1e-3: "right", 3e-3: "mean", 1e-2: "test", 3e-2: "train"})),
    ("the same curves, given to other rates", _runs(
        {3e-4: "last", 1e-3: "test", 3e-3: "worst", 0.01: "train", 0.03: "right", 0.1: "mean"})),
    ("and to others again", _runs(
        {1e-5: "test", 1e-4: "train", 1e-3: "right", 0.01: "mean", 0.1: "last", 1.0: "worst"})),
]


def _by(key, over=max, pick=max):
    """The rule "the rate whose ``runs[rate][key]``, reduced by ``over``, ``pick`` chooses"."""
    return lambda runs: pick(runs, key=lambda rate: over(dict.__getitem__(runs[rate], key)))


_TEST = ("the test set is kept for one final, honest estimate of how the chosen model does on "
         "new digits; choosing with it makes that estimate optimistic. Choose on the "
         "validation set (Hint 1)")
_TRAIN = ("you chose by the training set. The rate that fits the training images best can do "
          "worse on images it has not seen (it overfits): compare the rates on the validation "
          "set (Hint 1)")
_AVERAGE = ("you compared the validation accuracy over all the epochs (a mean, median or "
            "sum); early stopping keeps the best epoch's weights, so judge each run at its "
            "best epoch (Hint 2)")
_KEYS = ("max or min of runs compares the rates themselves, the keys of the dict: give it a "
         "key function that looks up each rate's validation accuracy (Hint 2)")
RATE_WRONG = [
    ("the test accuracy", _by("test_accuracy"), "you chose by the test accuracy. " + _TEST),
    ("the last test accuracy", _by("test_accuracy", over=lambda v: v[-1]),
     "you chose by the test accuracy. " + _TEST),
    ("the training loss", _by("loss", over=lambda v: v[-1], pick=min), _TRAIN),
    ("the lowest training loss", _by("loss", over=min, pick=min), _TRAIN),
    ("the training accuracy", _by("accuracy"), _TRAIN),
    ("the last epoch", _by("val_accuracy", over=lambda v: v[-1]),
     "you compared the validation accuracy at the last epoch. The right rate peaked earlier "
     "and then overfitted: compare each rate at its best epoch (Hint 2)"),
    ("the mean", _by("val_accuracy", over=np.mean), _AVERAGE),
    ("the median", _by("val_accuracy", over=np.median), _AVERAGE),
    ("the mean validation loss", _by("val_loss", over=np.mean, pick=min), _AVERAGE),
    ("the lowest", _by("val_accuracy", pick=min),
     "this is the rate with the lowest best validation accuracy: you want the highest"),
    ("the largest rate", max, _KEYS),
    ("the smallest rate", min, _KEYS),
]


def _peeked(attempt):
    """A FAIL text when the function read the test accuracy, whatever it returned."""
    if getattr(attempt.given[0], "reads", None):
        return ("your function read runs[rate]['test_accuracy']: " + _TEST)
    return None


def _not_a_rate(attempt):
    """A hint for a number that is not one of the rates: the position of the right rate, say."""
    (runs,), got = attempt.args, attempt.got
    if got is None or got.shape != () or any(np.isclose(float(got), r) for r in runs):
        return None
    rates = list(runs)
    if float(got).is_integer() and 0 <= got < len(rates) and rates[int(got)] == attempt.expected:
        return "this is the position of the right rate in runs: return the rate itself, its key"
    return f"return one of the rates tried, a key of runs: {rates}"


@checker("check_choose_learning_rate(my_choose_learning_rate)", RATE_WRONG)
def check_choose_learning_rate(fn):
    """Check the reader's ``choose_learning_rate(runs)``: the rate to keep, chosen honestly.

    ``runs`` maps each learning rate tried to its Keras-like history, lists
    with one number per epoch under ``"loss"``, ``"accuracy"``, ``"val_loss"``,
    ``"val_accuracy"`` and ``"test_accuracy"``. ``fn`` returns one of the
    rates, without reading the test accuracies. Prints the report and returns
    None.
    """
    run("check_choose_learning_rate: your choose_learning_rate", fn, RATE_CASES,
        _by("val_accuracy"), [_peeked, _not_a_rate, RATE_WRONG], atol=0, rule=_peeked,
        answer="one learning rate, a key of runs")


def compare(acc_a, acc_b, n_a=None, n_b=None, ddof=1, k=2.0, se=None):
    """The right answer, "a", "b" or "tie": the difference of the means against two standard
    errors. Other arguments give typical mistakes (ddof=0, one standard error, ...)."""
    d = np.mean(acc_a) - np.mean(acc_b)
    n_a, n_b = n_a or len(acc_a), n_b or len(acc_b)
    if se is None:
        se = math.sqrt(np.var(acc_a, ddof=ddof) / n_a + np.var(acc_b, ddof=ddof) / n_b)
    return "tie" if abs(d) <= k * se else ("a" if d > 0 else "b")


COMPARE_CASES = [  # (case, acc_a, acc_b): |d| / se is 3.0, 0.6, 1.3, 1.8, 1.8, 6.6 and 2.5
    ("A is better by 3 standard errors, 3 seeds each",
     np.array([0.916, 0.927, 0.923]), np.array([0.912, 0.912, 0.913])),
    ("a small difference, and B has the best single seed",
     np.array([0.912, 0.916, 0.916, 0.913]), np.array([0.909, 0.917, 0.914, 0.912])),
    ("A is ahead by 1.3 standard errors",
     np.array([0.915, 0.923, 0.919]), np.array([0.916, 0.908, 0.918])),
    ("A is ahead by 1.8 standard errors",
     np.array([0.926, 0.92, 0.92]), np.array([0.91, 0.909, 0.922])),
    ("6 seeds of A, 3 of B, A ahead by 1.8 standard errors",
     np.array([0.914, 0.917, 0.916, 0.916, 0.915, 0.915]), np.array([0.908, 0.9, 0.915])),
    ("B is better, 4 seeds each",
     np.array([0.902, 0.896, 0.897, 0.905]), np.array([0.92, 0.923, 0.926, 0.915])),
    ("A is better by 2.5 standard errors",
     np.array([0.921, 0.93, 0.918]), np.array([0.913, 0.908, 0.916])),
]


COMPARE_WRONG = [
    ("the means only", lambda a, b: "a" if np.mean(a) > np.mean(b) else "b",
     "you compare the means only: a difference smaller than the seed-to-seed noise, two "
     "standard errors of the difference, is a tie"),
    ("the standard deviations", lambda a, b: compare(a, b, n_a=1, n_b=1),
     "your threshold uses the standard deviations across seeds, not the standard error of the "
     "difference: divide each variance by its number of seeds before adding them"),
    ("ddof=0", lambda a, b: compare(a, b, ddof=0),
     "your standard deviations divide by n (NumPy's default); the sample standard deviation "
     "across seeds divides by n - 1 (ddof=1), which is larger for a few seeds"),
    ("one standard error", lambda a, b: compare(a, b, k=1.0),
     "you call a difference of more than one standard error a win; the rule is two standard "
     "errors"),
    ("the best seeds", lambda a, b: "a" if np.max(a) > np.max(b) else "b",
     "you compare the best seeds; one lucky seed says little: compare the means, against "
     "their noise"),
    ("A and B swapped", lambda a, b: compare(b, a),
     "A and B are swapped: 'a' means that A, the first argument, is better, d = mean(acc_a) "
     "- mean(acc_b) > 0"),
    ("one n for both", lambda a, b: compare(a, b, n_b=len(a)),
     "with 6 seeds of A and 3 of B, each variance is divided by its own number of seeds: you "
     "used one n for both"),
    ("the standard errors added", lambda a, b: compare(
        a, b, se=np.std(a, ddof=1) / math.sqrt(len(a)) + np.std(b, ddof=1) / math.sqrt(len(b))),
     "you added the two standard errors; the standard error of a difference is the square root "
     "of the sum of their squares, which is smaller"),
    ("standard deviations for variances", lambda a, b: compare(
        a, b, se=math.sqrt(np.std(a, ddof=1) / len(a) + np.std(b, ddof=1) / len(b))),
     "the standard error adds the variances (the squared standard deviations), each divided by "
     "its n, then takes the square root: you added standard deviations"),
    ("always a", lambda a, b: "tie" if compare(a, b) == "tie" else "a",
     "when the difference is larger than the noise, its sign says which setting wins: 'b' when "
     "B's mean is the higher"),
]


def _spelling(attempt):
    """A hint for "A", "Tie", " a": the right word, written another way."""
    got = attempt.raw
    if isinstance(got, str) and got.strip().lower() == attempt.expected:
        return "return exactly 'a', 'b' or 'tie': lower case, no spaces"
    return None


@checker("check_compare_runs(my_compare_runs)", COMPARE_WRONG)
def check_compare_runs(fn):
    """Check the reader's ``compare_runs(acc_a, acc_b)``: a difference, or the seeds' noise?

    ``acc_a`` and ``acc_b`` are 1-D float arrays of accuracies, one per seed
    of settings A and B (2 or more each; their lengths may differ). ``fn``
    returns ``"a"`` or ``"b"``, the better setting, when the difference of the
    means is more than two standard errors, ``"tie"`` otherwise; it leaves
    the arrays as they were. Prints the report and returns None.
    """
    run("check_compare_runs: your compare_runs", fn, COMPARE_CASES, compare,
        [_spelling, COMPARE_WRONG], unchanged=(
            "the accuracies are left unchanged", [np.array([0.916, 0.927, 0.923]),
                                                  np.array([0.912, 0.909, 0.913])]),
        answer="one of the strings 'a', 'b' or 'tie'")
