"""Friendly checks for the exercises.

Each ``check_*`` function runs the reader's answer on named cases and prints a
report: one line per case, ``PASS`` or ``FAIL``, where a failure says what was
expected, what came back and, where it can tell, why and how to fix it; then
the verdict, "n of N checks passed". They are the friendly version of a graded
lab's tests: they explain, they do not just fail. They print and return None,
so that a check cell shows the report only; :func:`passes` gives the verdict as
a bool, for a hidden cell of the book or a test.

Writing a check
---------------
A check of a function is its cases, the right answer and a ``diagnose``
function that turns a wrong answer into a hint; :func:`_run` does the rest
(copies of the inputs, warnings, exceptions, comparing, the report)::

    _SQUARE_CASES = [("a vector", np.array([1.0, -2.0])), ("a batch", np.ones((2, 3)))]

    def _square_diagnose(attempt, wrong):
        (z,) = attempt.args
        if attempt.got is not None and np.allclose(attempt.got, 2 * z):
            return wrong + ". It looks like 2 z: the square is z * z"
        return None  # no hint: `wrong` says what was expected and what came back

    def check_square(fn):
        _run("check_square: your square", fn, _SQUARE_CASES, np.square, _square_diagnose)

:func:`check_model`, which checks a Keras model, hands its ``(case, problem)``
pairs (:func:`_model_problems`, then :func:`_compile_problems`) straight to
:func:`_report`.
"""

import contextlib
import io
import re
import textwrap
import warnings
from typing import NamedTuple

import numpy as np

from nnbook.activations import log_softmax, softmax

__all__ = ["check_relu", "check_softmax", "check_cross_entropy", "check_model", "passes"]

_ALL_PASSED = "all passed, well done!"


# --------------------------------------------------------------------------
# the runner and the report
# --------------------------------------------------------------------------


class _Attempt(NamedTuple):
    """One call of the reader's function on one case, as ``diagnose`` sees it."""

    args: tuple  # the case's inputs (the function was given copies)
    expected: object  # the right answer, reference(*args)
    got: object  # the answer as a float array; None if it raised or is not numbers
    error: object  # "your function raised ...", or None
    warnings: list  # each distinct warning it gave, e.g. "overflow encountered in exp"


def _call(fn, args):
    """Call ``fn`` on ``args``, arrays copied: ``(result, error, warnings, copies)``.

    Warnings (such as NumPy's "overflow encountered in exp") are recorded, to be
    reported in the FAIL line, never printed.
    """
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", invalid="warn", divide="warn"):
            try:
                result, error = fn(*copies), None
            except Exception as err:  # the reader's code may raise anything
                result, error = None, f"your function raised {type(err).__name__}: {err}"
    return result, error, list(dict.fromkeys(str(w.message) for w in caught)), copies


def _floats(got):
    """``got`` as a float array, or None if it is not numbers."""
    if got is None:
        return None
    try:
        return np.asarray(got, dtype=float)
    except (TypeError, ValueError):  # a string, a ragged list
        return None


def _compare(got, expected, atol):
    """Return ``None`` if ``got`` matches ``expected``, else a short explanation."""
    if got is None:
        return "your function returned None: did you forget the return statement?"
    values = _floats(got)
    if values is None:
        return f"expected numbers like {np.round(expected, 4).tolist()}, got {got!r}"
    if values.shape != expected.shape:
        return f"expected shape {expected.shape}, got shape {values.shape}"
    if not np.all(np.isfinite(values)) and np.all(np.isfinite(expected)):
        return f"got non-finite values {np.round(values, 4).tolist()} (NaN or inf)"
    if not np.allclose(values, expected, rtol=0, atol=atol):
        return f"expected {np.round(expected, 4).tolist()}, got {np.round(values, 4).tolist()}"
    return None


def _run(title, fn, cases, reference, diagnose, atol=1e-6, unchanged=None):
    """Run the reader's ``fn`` on each case and print the report.

    Parameters
    ----------
    title : str
        The report's first line; " on N cases" is added to it.
    fn : callable
        The reader's function, called on each case's arguments (arrays copied).
    cases : list of tuple
        ``(name, *args)``: the name its PASS/FAIL line shows, and ``fn``'s arguments.
    reference : callable
        ``reference(*args)`` is the right answer. A case passes when ``fn``
        returns it (same shape, within ``atol``) and gives no warning.
    diagnose : callable
        ``diagnose(attempt, wrong)``, for a case that raised or came back
        wrong, gets the :class:`_Attempt` and what the runner found
        (``wrong``: "expected ..., got ..." or "your function raised ...").
        It returns the FAIL text, usually ``wrong`` and a hint, or None to
        keep ``wrong``.
    atol : float, default 1e-6
        Absolute tolerance of the comparison.
    unchanged : tuple, optional
        ``(name, args, fix)``: one more case, which fails, saying ``fix``,
        when ``fn`` changes the arrays it is given; its answer is not checked.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    if not callable(fn):
        raise TypeError(f"fn must be a function, got {type(fn).__name__}")
    results = []
    for name, *args in cases:
        got, error, warned, _ = _call(fn, args)
        expected = np.asarray(reference(*args))
        wrong = error or _compare(got, expected, atol)
        if wrong is not None:
            attempt = _Attempt(args, expected, None if error else _floats(got), error, warned)
            wrong = diagnose(attempt, wrong) or wrong
        elif warned:
            wrong = "right answer, but your function warned: " + "; ".join(warned)
        results.append((name, wrong))
    if unchanged is not None:
        name, args, fix = unchanged
        _, problem, _, copies = _call(fn, args)  # its warnings were reported above
        for before, after in zip(args, copies):
            if isinstance(before, np.ndarray) and not np.array_equal(before, after):
                problem = problem or (f"your function changed its input from {before.tolist()} "
                                      f"to {after.tolist()}; {fix}")
        results.append((name, problem))
    _report(f"{title} on {len(results)} cases", results)


def _wrap(text, width=68, indent=8):
    """``text`` wrapped to ``width`` columns, indented; a NumPy call is never split."""
    keep = re.sub(r"np\.\w+\((?:[^()]|\([^()]*\))*\)", lambda m: m[0].replace(" ", "\0"), text)
    wrapped = textwrap.fill(keep, width=width, initial_indent=" " * indent,
                            subsequent_indent=" " * indent, break_long_words=False,
                            break_on_hyphens=False)
    return wrapped.replace("\0", " ")


def _report(title, results):
    """Print ``title``, one line per ``(case, problem)`` and the verdict.

    ``problem`` is None for a case that passed; otherwise it follows the FAIL
    line on indented lines of its own, short enough to read in a notebook.
    """
    print(title)
    for case, problem in results:
        print(f"  PASS  {case}" if problem is None else f"  FAIL  {case}:\n{_wrap(problem)}")
    n_passed = sum(problem is None for _, problem in results)
    verdict = _ALL_PASSED if n_passed == len(results) else "fix the failures above and run again."
    print(f"{n_passed} of {len(results)} checks passed: {verdict}")


def passes(check, *args, **kwargs):
    """True when ``check(*args, **kwargs)`` passes every case; prints nothing.

    For a hidden cell of the book that asserts that a solution passes its
    check, ``assert checks.passes(checks.check_softmax, my_softmax)``.
    """
    with contextlib.redirect_stdout(io.StringIO()) as out:
        check(*args, **kwargs)
    return out.getvalue().rstrip().endswith(_ALL_PASSED)


# --------------------------------------------------------------------------
# check_relu (the ReLU chapter's exercise)
# --------------------------------------------------------------------------

_RELU_CASES = [
    ("positive inputs pass through unchanged", np.array([0.5, 1.0, 2.0, 3.5])),
    ("negative inputs become 0", np.array([-0.5, -1.0, -2.0, -3.5])),
    ("zero (and -0.0) gives 0", np.array([0.0, -0.0])),
    ("a mix of signs, as in a layer's z", np.array([-2.0, -0.5, 0.0, 0.5, 2.0])),
    ("large inputs: no upper limit, no overflow", np.array([-1e4, 37.5, 1e4])),
    ("a batch of shape (2, 3) keeps its shape", np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, 6.0]])),
]


def _relu_diagnose(attempt, wrong):
    """``wrong`` with a hint for a wrong ReLU (or None when there is none)."""
    (z,), got = attempt.args, attempt.got
    if attempt.error and "truth value" in attempt.error:
        return (wrong + "; hint: Python's max(0, z) compares one number; "
                "np.maximum(0, z) works element by element")
    if got is None:  # it raised, or returned something that is not numbers
        return None
    if got.shape != z.shape:
        hint = ("ReLU works element by element, so the output has z's shape; "
                "z[z > 0] or z[z >= 0] keeps only some entries, np.maximum(0, z) keeps them all")
    elif not np.all(np.isfinite(got)):
        hint = "a finite z must give a finite output; ReLU needs no exp, only max(0, z)"
    elif np.any(got[z < 0] != 0):
        hint = "every negative input must give exactly 0 (ReLU is max(0, z), not |z| nor 0.01 z)"
    elif np.any(got[z > 0] != z[z > 0]):
        hint = "every positive input must come back unchanged (ReLU has no upper limit)"
    else:
        return None
    return f"{wrong}; hint: {hint}"


def check_relu(fn):
    """Check the reader's ReLU, ``fn(z) -> max(0, z)`` element by element.

    Runs ``fn`` on copies of positive, negative, zero and large inputs, a mix
    of signs and a 2-D batch, and prints one PASS/FAIL line per case (a
    failure says what was expected, what came back and, where it can tell,
    why). A seventh case checks that ``fn`` leaves its input alone: an
    in-place ``z[z < 0] = 0`` would destroy the ``z`` that backpropagation
    needs. Warnings that ``fn`` gives are reported in the FAIL line. Prints
    the report and returns None; see :func:`passes`.

    Parameters
    ----------
    fn : callable
        Takes a float64 array ``z`` of any shape and returns ``relu(z)``.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    unchanged = ("the input array is left unchanged", [np.array([-2.0, -0.5, 0.5, 2.0])],
                 "build a new array (np.maximum(0, z)) instead of setting z[z < 0] = 0")
    _run("check_relu: your ReLU", fn, _RELU_CASES, lambda z: np.maximum(z, 0.0), _relu_diagnose,
         atol=1e-9, unchanged=unchanged)


# --------------------------------------------------------------------------
# check_softmax (the softmax chapter's exercise)
# --------------------------------------------------------------------------

_SOFTMAX_CASES = [
    ("z = [1, 2, 3, 4]", np.array([1.0, 2.0, 3.0, 4.0])),
    ("ten equal scores (each p = 0.1)", np.full(10, 3.0)),
    ("large scores z = [1000, 1001, 1002, 1003]", np.array([1000.0, 1001.0, 1002.0, 1003.0])),
    ("a batch, shape (3, 4), one softmax per row",
     np.array([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.0, 0.5, 2.0], [1000.0, 1003.0, 1001.0, 1002.0]])),
]

_OVERFLOW_HINT = (
    "e^1000 is too big for a float: it becomes inf, and inf / inf is NaN. "
    "Fix: subtract the largest score first, "
    "np.exp(z - np.max(z, axis=-1, keepdims=True)); "
    "softmax is unchanged when every score moves by the same amount"
)


def _softmax_diagnose(attempt, wrong):
    """``wrong`` with a hint for a wrong softmax: overflow, axis, global max, no exp."""
    (z,), got, warned = attempt.args, attempt.got, attempt.warnings
    if any("overflow" in w for w in warned) or "overflow" in (attempt.error or ""):
        said = "; ".join(warned or [attempt.error])
        return f"your function overflows (NumPy: {said}). {_OVERFLOW_HINT}"
    if attempt.error and "broadcast" in attempt.error:
        return wrong.rstrip() + (
            " (for a batch, keep the summed axis: np.sum(e, axis=-1, keepdims=True))")
    if got is None or got.shape != z.shape:  # `wrong` says it raised, or what came back
        return None
    row_max = z.max(axis=-1, keepdims=True)
    with np.errstate(all="ignore"):
        linear = [z / z.sum(axis=-1, keepdims=True),
                  (z - row_max) / (z - row_max).sum(axis=-1, keepdims=True)]
    if any(np.allclose(got, guess, atol=1e-6, equal_nan=True) for guess in linear):
        return wrong + ". It looks like the scores divided by their sum: did you forget the exponential?"
    if not np.all(np.isfinite(got)):
        nan_rows = ~np.all(np.isfinite(got), axis=-1) if z.ndim == 2 else None
        if nan_rows is not None and np.all(row_max[nan_rows] < z.max() - 700):
            return (wrong + ". Every exponential of those rows became 0, and 0 / 0 is NaN: "
                    "subtract each row's own maximum, np.max(z, axis=-1, keepdims=True), not "
                    "the maximum of the whole batch")
        return wrong + (" (NumPy warned: " + "; ".join(warned) + ")" if warned else "")
    if z.ndim == 2 and np.allclose(got.sum(axis=0), 1, atol=1e-6):
        return wrong + (". Your columns sum to 1, not your rows: normalise along the last "
                        "axis, np.sum(e, axis=-1, keepdims=True)")
    if z.ndim == 2 and np.isclose(got.sum(), 1, atol=1e-6):
        return wrong + (". The whole batch sums to 1, not each row: normalise each row on "
                        "its own, np.sum(e, axis=-1, keepdims=True)")
    return None


def check_softmax(fn):
    """Check the reader's softmax, ``fn(z) -> p``, on four cases.

    Each case prints one PASS/FAIL line; a failure says what was expected,
    what came back and, where it can tell, why (an overflow, the wrong axis, a
    missing exponential) and how to fix it. Warnings that ``fn`` gives (such
    as NumPy's "overflow encountered in exp") are caught and reported in the
    FAIL line, never printed as warnings. Prints the report and returns None;
    see :func:`passes`.

    The cases:

    1. ``z = [1, 2, 3, 4]`` (about ``[0.03, 0.09, 0.24, 0.64]``);
    2. ten equal scores (ten probabilities of 0.1);
    3. large scores ``z = [1000, 1001, 1002, 1003]``, where the naive
       ``exp(z) / sum(exp(z))`` overflows (same answer as case 1);
    4. a batch of three rows, shape (3, 4), one of them large: softmax of each
       row on its own (the classes are along the last axis).

    Parameters
    ----------
    fn : callable
        Takes a float64 array ``z`` of shape (K,) or (m, K) and returns the
        probabilities, same shape, along the last axis. It may change ``z``.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    _run("check_softmax: your softmax", fn, _SOFTMAX_CASES, softmax, _softmax_diagnose)


# --------------------------------------------------------------------------
# check_cross_entropy (the losses chapter's exercise)
# --------------------------------------------------------------------------

_CROSS_ENTROPY_CASES = [
    ("one example, z = [2, 1, 0.1], label 0", np.array([0]), np.array([[2.0, 1.0, 0.1]])),
    ("four equal scores, label 3: loss log 4", np.array([3]), np.array([[0.5, 0.5, 0.5, 0.5]])),
    ("a batch of 3 examples: the mean of their losses",
     np.array([0, 2, 1]), np.array([[5.0, 1.0, -1.0], [0.0, 1.0, 1.5], [2.0, -1.0, 0.5]])),
    ("confident and right: z = [1000, 0, -1000], label 0",
     np.array([0]), np.array([[1000.0, 0.0, -1000.0]])),
    ("confident and wrong: the same z, label 2", np.array([2]), np.array([[1000.0, 0.0, -1000.0]])),
]

_LOG_SOFTMAX_HINT = (
    "compute the log-probabilities directly, log_p = s - log(sum(exp(s))) with "
    "s = z - max(z) along each row, instead of taking np.log of a softmax"
)


def _cross_entropy_losses(labels, z):
    """The loss of each example, ``-log softmax(z_i)[labels_i]``."""
    return -log_softmax(z, axis=1)[np.arange(len(labels)), labels]


def _cross_entropy_diagnose(attempt, wrong):
    """``wrong`` with a hint: sign, sum, no mean, the wrong class, overflow, log of 0."""
    (labels, z), got, warned = attempt.args, attempt.got, attempt.warnings
    if got is None:  # it raised, or returned something that is not numbers
        return None
    m, expected = len(labels), attempt.expected
    log_p, losses = log_softmax(z, axis=1), _cross_entropy_losses(labels, z)
    if got.shape == (m,) and m > 1 and np.allclose(got, losses, atol=1e-6):
        return wrong + ". These are the losses of the examples: return one number, their mean"
    if got.shape != ():
        return wrong + ". Return one number, the mean loss over the examples"
    said = " (NumPy warned: " + "; ".join(warned) + ")" if warned else ""
    if np.isnan(got):
        if any("overflow" in w for w in warned):
            return (wrong + ". np.exp of a large score overflowed to inf, and inf / inf is NaN"
                    + said + ". Subtract each row's maximum before np.exp; or " + _LOG_SOFTMAX_HINT)
        return wrong + said
    if np.isinf(got):
        return (wrong + ". A probability rounded to exactly 0 and its log is -inf" + said
                + ". Fix: " + _LOG_SOFTMAX_HINT)
    guesses = [
        (-expected, "the sign is wrong: log p is <= 0, so the loss is MINUS the log-probability"),
        (losses.sum(), "this is the sum of the losses: divide by the number of examples (the mean)"),
        (-log_p[:, labels].mean(),
         "log_p[:, labels] picks every label's column for every example; pick one entry per "
         "row with log_p[np.arange(m), labels]"),
        (-log_p.max(axis=1).mean(),
         "this is the loss of the predicted class (the largest score), not of the right class: "
         "use the labels"),
        (-z[np.arange(m), labels].mean(),
         "this is minus the right class's score: the log-softmax also subtracts "
         "log(sum(exp(z))) from it"),
    ]
    for value, hint in guesses:
        if abs(got - value) < 1e-6 and abs(value - expected) > 1e-6:
            return wrong + ". It looks like " + hint
    for k in range(1, z.shape[1]):
        if abs(got - _cross_entropy_losses((labels + k) % z.shape[1], z).mean()) < 1e-6:
            return (wrong + ". It looks like the log-probability of the wrong class: "
                    "use log_p[i, labels[i]], the column of each example's label")
    return wrong + said


def check_cross_entropy(fn):
    r"""Check the reader's sparse cross-entropy from logits, ``fn(labels, logits) -> J``.

    The function to check computes the mean over the examples of
    :math:`-\log \operatorname{softmax}(z_i)_{y_i}`, from integer labels and
    raw scores (the number Keras's
    ``SparseCategoricalCrossentropy(from_logits=True)`` gives). Each case
    prints one PASS/FAIL line; a failure says what was expected, what came
    back and, where it can tell, why (a missing minus sign, a sum instead of
    a mean, the wrong class, an overflow or a log of 0) and how to fix it.
    Warnings that ``fn`` gives are caught and reported in the FAIL line.
    Prints the report and returns None; see :func:`passes`.

    The cases:

    1. one example, ``z = [2, 1, 0.1]``, label 0 (loss about 0.417);
    2. four equal scores, label 3 (loss :math:`\log 4 \approx 1.386`);
    3. a batch of three examples with different labels: the mean of their
       three losses (about 0.02, 0.60 and 3.24, mean 1.289);
    4. confident and right, ``z = [1000, 0, -1000]``, label 0: loss 0 (a naive
       ``np.exp(1000)`` overflows);
    5. confident and wrong, the same scores, label 2: loss 2000 (``np.log`` of
       a softmax gives ``inf``).

    Parameters
    ----------
    fn : callable
        Takes ``labels``, an int64 array of shape (m,), and ``logits``, a
        float64 array of shape (m, K), and returns the mean loss as one
        number. It may change its arguments.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    _run("check_cross_entropy: your cross-entropy from logits", fn, _CROSS_ENTROPY_CASES,
         lambda labels, z: _cross_entropy_losses(labels, z).mean(), _cross_entropy_diagnose)


# --------------------------------------------------------------------------
# check_model (the model chapter's exercise)
# --------------------------------------------------------------------------


def _model_problems(model, units, input_dim):
    """Yield ``(case, problem)`` for each check of ``model``; ``problem`` None when it passed."""
    from nnbook import models  # imports Keras (and TensorFlow), only when a model is checked

    if not isinstance(model, models.keras.Model):
        yield ("model is a Keras model",
               f"got {type(model).__name__}; build it with keras.Sequential")
        return
    yield "model is a Keras model", None

    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        shape = None
    if not isinstance(shape, tuple) or len(shape) != 2:
        problem = (f"the model has no input size of the form (None, n) (got {shape}); "
                   f"start it with keras.Input(shape=({input_dim},))")
    elif shape[1] != input_dim:
        problem = f"expected {input_dim} inputs (one per pixel), got {shape[1]}"
    else:
        problem = None
    yield f"input size is {input_dim}", problem

    dense = models.dense_layers(model)
    found = ", ".join(f"{layer.name} ({layer.units})" for layer in dense) or "none"
    yield (f"{len(units)} Dense layers",
           None if len(dense) == len(units) else
           f"expected {len(units)} Dense layers, found {len(dense)}: {found}")

    for i, n_units in enumerate(units, start=1):
        role, act = ("output layer", "linear") if i == len(units) else ("hidden layer", "relu")
        case_units = f"layer {i} ({role}) has {n_units} units"
        case_act = f"layer {i} ({role}) uses {act} activation"
        if i > len(dense):
            yield case_units, f"the model has no Dense layer {i}"
            yield case_act, f"the model has no Dense layer {i}"
            continue
        layer = dense[i - 1]
        yield case_units, (None if layer.units == n_units
                           else f"{layer.name} has {layer.units} units")
        got = getattr(layer.activation, "__name__", str(layer.activation))
        if got == act:
            problem = None
        elif act == "linear" and got == "softmax":
            problem = ("got softmax. It must give the logits (activation=\"linear\"); the "
                       "softmax goes in the loss, SparseCategoricalCrossentropy(from_logits=True). "
                       "With both, Keras warns, and predict returns probabilities that a second "
                       "softmax would squash.")
        else:
            problem = f"{layer.name} uses {got}"
        yield case_act, problem

    yield from _compile_problems(model)


_USE_LOSS = "use keras.losses.SparseCategoricalCrossentropy(from_logits=True)"


def _compile_problems(model):
    """Yield ``(case, problem)`` for how ``model`` is compiled: optimizer, learning rate, loss."""
    from nnbook.models import keras

    if not model.compiled:
        yield "model is compiled", (
            "the model is not compiled yet: compile it with "
            "model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), "
            "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))")
        return
    yield "model is compiled", None

    optimizer = model.optimizer
    name = type(optimizer).__name__
    yield "optimizer is Adam", (
        None if isinstance(optimizer, keras.optimizers.Adam) else
        f"got {name}; use optimizer=keras.optimizers.Adam(learning_rate=0.001)")
    rate = float(np.asarray(optimizer.learning_rate))
    yield "learning rate is 0.001", (
        None if np.isclose(rate, 1e-3, rtol=1e-6, atol=0) else
        f"{name}'s learning rate is {rate:g}; use keras.optimizers.Adam(learning_rate=0.001)")

    loss = model.loss  # what compile got: a Loss object, or a name or function (no from_logits)
    if isinstance(loss, keras.losses.Loss):
        loss_name, from_logits = type(loss).__name__, loss.get_config().get("from_logits", False)
    else:
        loss_name, from_logits = getattr(loss, "__name__", str(loss)), False
    kind = loss_name.replace("_", "").lower()  # the class and the function name alike
    if kind == "sparsecategoricalcrossentropy":
        problem = None
    elif kind == "categoricalcrossentropy":
        problem = ("got CategoricalCrossentropy, which wants one-hot labels; the digits' "
                   f"labels are integers 0-9: {_USE_LOSS}")
    else:
        problem = f"got {loss_name}; {_USE_LOSS}"
    yield "loss is SparseCategoricalCrossentropy", problem
    if from_logits:
        problem = None
    elif kind.endswith("categoricalcrossentropy"):
        problem = ("from_logits is False (the default), so the loss reads the outputs as "
                   "probabilities. A linear output gives logits: training then stalls with "
                   f"the loss stuck near ln 10 = 2.30. Fix: {_USE_LOSS}")
    else:
        problem = f"{loss_name} does not take logits; {_USE_LOSS}"
    yield "the loss takes logits (from_logits=True)", problem


def check_model(model, hidden_units=(25, 15), n_classes=10, input_dim=784):
    """Check a Keras model against the course network, 784 -> 25 -> 15 -> 10, and its compile.

    The friendly version of a graded lab's model test. It checks, and prints
    one PASS/FAIL line for each: that ``model`` is a Keras model, its input
    size, the number of ``Dense`` layers, and each layer's units and
    activation (ReLU for the hidden layers, *linear* for the output layer,
    whose outputs are the logits; the softmax belongs in the loss). Then how
    it is compiled: that it is, with the Adam optimizer at learning rate
    0.001 and the loss ``SparseCategoricalCrossentropy(from_logits=True)``.
    An uncompiled model fails one case that says how to compile it. Prints
    the report and returns None; see :func:`passes`.

    Parameters
    ----------
    model : keras.Model
        The reader's model.
    hidden_units : sequence of int, default (25, 15)
        Expected units of the hidden ReLU layers.
    n_classes : int, default 10
        Expected units of the linear output layer.
    input_dim : int, default 784
        Expected input size.
    """
    units = [int(u) for u in hidden_units] + [int(n_classes)]
    title = (f"check_model: the {input_dim} -> " + " -> ".join(map(str, units))
             + " network and how it is compiled")
    _report(title, list(_model_problems(model, units, input_dim)))
