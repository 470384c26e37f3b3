"""Friendly checks for the exercises.

Each ``check_*`` function runs the reader's code on named cases, prints one
line per case (``PASS`` or ``FAIL`` with what was expected and what came back)
and returns ``True`` only when every case passes. They are the friendly
version of a graded lab's tests: they explain, they do not just fail.
"""

import re
import textwrap
import warnings

import numpy as np

__all__ = ["check_model", "check_softmax", "check_cross_entropy", "check_relu"]


def _call(fn, *args):
    """Call the reader's ``fn``; return ``(result, None)`` or ``(None, problem)``."""
    try:
        return fn(*args), None
    except Exception as err:  # the reader's code may raise anything
        return None, f"your function raised {type(err).__name__}: {err}"


def _compare(got, expected, atol=1e-6):
    """Return ``None`` if ``got`` matches ``expected``, else a short explanation."""
    expected = np.asarray(expected)
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"expected numbers like {expected.round(4).tolist()}, got {got!r}"
    if got.shape != expected.shape:
        return f"expected shape {expected.shape}, got shape {got.shape}"
    if not np.all(np.isfinite(got)) and np.all(np.isfinite(expected)):
        return f"got non-finite values {np.round(got, 4).tolist()} (NaN or inf)"
    if not np.allclose(got, expected, rtol=0, atol=atol):
        return f"expected {np.round(expected, 4).tolist()}, got {np.round(got, 4).tolist()}"
    return None


def _report(title, results):
    """Print one line per ``(case, problem)`` (``problem`` None when it passed).

    Returns ``True`` when every case passed.
    """
    print(title)
    for case, problem in results:
        print(f"  PASS  {case}" if problem is None else f"  FAIL  {case}: {problem}")
    n_passed = sum(problem is None for _, problem in results)
    all_passed = n_passed == len(results)
    verdict = "all passed, well done!" if all_passed else "fix the failures above and run again."
    print(f"{n_passed} of {len(results)} checks passed: {verdict}")
    return all_passed


def _call_recording_warnings(fn, *args):
    """Call ``fn`` on copies of ``args``, catching any warning it gives.

    Returns ``(result, problem, messages)``: ``problem`` as from :func:`_call`,
    ``messages`` the text of each distinct warning (such as NumPy's "overflow
    encountered in exp"), which are kept here and reported in the FAIL line
    rather than printed.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", invalid="warn", divide="warn"):
            result, problem = _call(fn, *[np.array(a, copy=True) for a in args])
    return result, problem, list(dict.fromkeys(str(w.message) for w in caught))


def _wrap(text, width=68, indent=8):
    """``text`` wrapped to ``width`` columns, indented; a NumPy call is never split."""
    keep = re.sub(r"np\.\w+\((?:[^()]|\([^()]*\))*\)", lambda m: m[0].replace(" ", "\0"), text)
    wrapped = textwrap.fill(keep, width=width, initial_indent=" " * indent,
                            subsequent_indent=" " * indent, break_long_words=False,
                            break_on_hyphens=False)
    return wrapped.replace("\0", " ")


def _wrap_problem(problem):
    """``problem`` on indented lines of its own, short enough to read in a notebook."""
    if problem is None:
        return None
    return "\n" + _wrap(problem)


# --------------------------------------------------------------------------
# check_model (the model chapter's exercise)
# --------------------------------------------------------------------------


def check_model(model, hidden_units=(25, 15), n_classes=10, input_dim=784):
    """Check a Keras model against the course network, 784 -> 25 -> 15 -> 10.

    The friendly version of a graded lab's model test. It checks, and prints
    one PASS/FAIL line for each: that ``model`` is a Keras model, its input
    size, the number of ``Dense`` layers, and each layer's units and
    activation (ReLU for the hidden layers, *linear* for the output layer,
    whose outputs are the logits; the softmax belongs in the loss).

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

    Returns
    -------
    bool
        True when every check passes.
    """
    from nnbook import models as _models  # imports Keras (and TensorFlow) quietly

    keras = _models.keras
    expected_units = [int(u) for u in hidden_units] + [int(n_classes)]
    expected_acts = ["relu"] * len(hidden_units) + ["linear"]
    title = (
        f"check_model: {input_dim} -> "
        + " -> ".join(str(u) for u in expected_units)
        + " (ReLU hidden layers, linear output)"
    )
    if not isinstance(model, keras.Model):
        return _report(
            title,
            [("model is a Keras model", f"got {type(model).__name__}; build it with keras.Sequential")],
        )
    results = [("model is a Keras model", None)]

    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        shape = None
    if not isinstance(shape, tuple) or len(shape) != 2:
        problem = (
            f"the model has no input size of the form (None, n) (got {shape}); "
            f"start it with keras.Input(shape=({input_dim},))"
        )
    elif shape[1] != input_dim:
        problem = f"expected {input_dim} inputs (one per pixel), got {shape[1]}"
    else:
        problem = None
    results.append((f"input size is {input_dim}", problem))

    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    n_expected = len(expected_units)
    problem = None
    if len(dense) != n_expected:
        found = ", ".join(f"{layer.name} ({layer.units})" for layer in dense) or "none"
        problem = f"expected {n_expected} Dense layers, found {len(dense)}: {found}"
    results.append((f"{n_expected} Dense layers", problem))

    for i, (units, act) in enumerate(zip(expected_units, expected_acts), start=1):
        role = "output layer" if i == n_expected else "hidden layer"
        case_units = f"layer {i} ({role}) has {units} units"
        case_act = f"layer {i} ({role}) uses {act} activation"
        if i > len(dense):
            results.append((case_units, f"the model has no Dense layer {i}"))
            results.append((case_act, f"the model has no Dense layer {i}"))
            continue
        layer = dense[i - 1]
        results.append(
            (case_units, None if layer.units == units else f"{layer.name} has {layer.units} units")
        )
        got = getattr(layer.activation, "__name__", str(layer.activation))
        if got == act:
            problem = None
        elif act == "linear" and got == "softmax":
            problem = (
                "got softmax.\n        The output layer gives logits; the softmax goes in "
                "the loss:\n        "
                "SparseCategoricalCrossentropy(from_logits=True)."
            )
        else:
            problem = f"{layer.name} uses {got}"
        results.append((case_act, problem))
    return _report(title, results)


# --------------------------------------------------------------------------
# check_softmax (the softmax chapter's exercise)
# --------------------------------------------------------------------------

_OVERFLOW_HINT = (
    "e^1000 is too big for a float: it becomes inf, and inf / inf is NaN. "
    "Fix: subtract the largest score first, "
    "np.exp(z - np.max(z, axis=-1, keepdims=True)); "
    "softmax is unchanged when every score moves by the same amount"
)


def _softmax_problem(z, got, problem, messages):
    """Return ``None`` if ``got`` is the softmax of ``z`` along the last axis, else why not."""
    overflowed = any("overflow" in m for m in messages) or (
        problem is not None and "overflow" in problem
    )
    if overflowed:
        said = "; ".join(messages or [problem])
        return f"your function overflows (NumPy: {said}). {_OVERFLOW_HINT}"
    if problem is not None:
        if "broadcast" in problem:
            problem = problem.rstrip() + (
                " (for a batch, keep the summed axis: np.sum(e, axis=-1, keepdims=True))"
            )
        return problem
    expected = _softmax_reference(z)
    wrong = _compare(got, expected)
    if wrong is None:
        if messages:
            return "right values, but NumPy warned: " + "; ".join(messages)
        return None
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):  # a string, None, a ragged list: _compare said so
        return wrong
    if got.shape != expected.shape:
        return wrong
    row_max = z.max(axis=-1, keepdims=True)
    with np.errstate(all="ignore"):
        linear = [z / z.sum(axis=-1, keepdims=True), (z - row_max) / (z - row_max).sum(axis=-1, keepdims=True)]
    if any(np.allclose(got, guess, atol=1e-6, equal_nan=True) for guess in linear):
        return wrong + ". It looks like the scores divided by their sum: did you forget the exponential?"
    if not np.all(np.isfinite(got)):
        nan_rows = ~np.all(np.isfinite(got), axis=-1) if z.ndim == 2 else None
        if nan_rows is not None and np.all(row_max[nan_rows] < z.max() - 700):
            return (
                wrong + ". Every exponential of those rows became 0, and 0 / 0 is NaN: subtract "
                "each row's own maximum, np.max(z, axis=-1, keepdims=True), not the maximum of "
                "the whole batch"
            )
        return wrong + (" (NumPy warned: " + "; ".join(messages) + ")" if messages else "")
    if z.ndim == 2:
        if np.allclose(got.sum(axis=0), 1, atol=1e-6):
            return wrong + (
                ". Your columns sum to 1, not your rows: normalise along the last axis, "
                "np.sum(e, axis=-1, keepdims=True)"
            )
        if np.isclose(got.sum(), 1, atol=1e-6):
            return wrong + (
                ". The whole batch sums to 1, not each row: normalise each row on its own, "
                "np.sum(e, axis=-1, keepdims=True)"
            )
    return wrong


def _softmax_reference(z):
    from nnbook.activations import softmax  # here, so that importing checks stays light

    return softmax(z, axis=-1)


def check_softmax(fn):
    """Check the reader's softmax, ``fn(z) -> p``, on four cases.

    Each case prints one PASS/FAIL line; a failure says what was expected,
    what came back and, where it can tell, why (an overflow, the wrong axis, a
    missing exponential) and how to fix it. Warnings that ``fn`` gives (such
    as NumPy's "overflow encountered in exp") are caught and reported in the
    FAIL line, never printed as warnings.

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
        probabilities, same shape, along the last axis.

    Returns
    -------
    bool
        True when every case passes.
    """
    cases = [
        ("z = [1, 2, 3, 4]", np.array([1.0, 2.0, 3.0, 4.0])),
        ("ten equal scores (each p = 0.1)", np.full(10, 3.0)),
        ("large scores z = [1000, 1001, 1002, 1003]", np.array([1000.0, 1001.0, 1002.0, 1003.0])),
        ("a batch, shape (3, 4), one softmax per row",
         np.array([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.0, 0.5, 2.0], [1000.0, 1003.0, 1001.0, 1002.0]])),
    ]
    results = []
    for name, z in cases:
        got, problem, messages = _call_recording_warnings(fn, z)
        problem = _softmax_problem(z, got, problem, messages)
        results.append((name, _wrap_problem(problem)))
    return _report("check_softmax: your softmax on 4 cases", results)


# --------------------------------------------------------------------------
# check_cross_entropy (the losses chapter's exercise)
# --------------------------------------------------------------------------

_LOG_SOFTMAX_HINT = (
    "compute the log-probabilities directly, log_p = s - log(sum(exp(s))) with "
    "s = z - max(z) along each row, instead of taking np.log of a softmax"
)


def _cross_entropy_problem(labels, z, got, problem, messages):
    """Return ``None`` if ``got`` is the mean sparse cross-entropy, else why not."""
    from nnbook.activations import log_softmax  # here, so that importing checks stays light

    if problem is not None:
        return problem
    m = len(labels)
    log_p = log_softmax(z, axis=1)
    losses = -log_p[np.arange(m), labels]
    expected = losses.mean()
    wrong = _compare(got, expected)
    if wrong is None:
        if messages:
            return "right value, but NumPy warned: " + "; ".join(messages)
        return None
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return wrong
    if got.shape == (m,) and m > 1:
        if np.allclose(got, losses, atol=1e-6):
            return wrong + ". These are the losses of the examples: return one number, their mean"
        return wrong + ". Return one number, the mean loss over the examples"
    if got.shape != ():
        return wrong + ". Return one number, the mean loss over the examples"
    warned = " (NumPy warned: " + "; ".join(messages) + ")" if messages else ""
    if np.isnan(got):
        if any("overflow" in msg for msg in messages):
            return (wrong + ". np.exp of a large score overflowed to inf, and inf / inf is NaN"
                    + warned + ". Subtract each row's maximum before np.exp; or " + _LOG_SOFTMAX_HINT)
        return wrong + warned
    if np.isinf(got):
        return (wrong + ". A probability rounded to exactly 0 and its log is -inf" + warned
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
        other = -log_p[np.arange(m), (labels + k) % z.shape[1]].mean()
        if abs(got - other) < 1e-6:
            return (wrong + ". It looks like the log-probability of the wrong class: "
                    "use log_p[i, labels[i]], the column of each example's label")
    return wrong + warned


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
        float64 array of shape (m, K), and returns the mean loss as one number.

    Returns
    -------
    bool
        True when every case passes.
    """
    cases = [
        ("one example, z = [2, 1, 0.1], label 0", [0], [[2.0, 1.0, 0.1]]),
        ("four equal scores, label 3: loss log 4", [3], [[0.5, 0.5, 0.5, 0.5]]),
        ("a batch of 3 examples: the mean of their losses",
         [0, 2, 1], [[5.0, 1.0, -1.0], [0.0, 1.0, 1.5], [2.0, -1.0, 0.5]]),
        ("confident and right: z = [1000, 0, -1000], label 0",
         [0], [[1000.0, 0.0, -1000.0]]),
        ("confident and wrong: the same z, label 2",
         [2], [[1000.0, 0.0, -1000.0]]),
    ]
    results = []
    for name, labels, z in cases:
        labels, z = np.array(labels, dtype=np.int64), np.array(z, dtype=np.float64)
        got, problem, messages = _call_recording_warnings(fn, labels, z)
        results.append((name, _wrap_problem(_cross_entropy_problem(labels, z, got, problem, messages))))
    return _report("check_cross_entropy: your cross-entropy from logits on 5 cases", results)


# --------------------------------------------------------------------------
# check_relu (the ReLU chapter's exercise)
# --------------------------------------------------------------------------

_RELU_CASES = [
    ("positive inputs pass through unchanged", [0.5, 1.0, 2.0, 3.5]),
    ("negative inputs become 0", [-0.5, -1.0, -2.0, -3.5]),
    ("zero (and -0.0) gives 0", [0.0, -0.0]),
    ("a mix of signs, as in a layer's z", [-2.0, -0.5, 0.0, 0.5, 2.0]),
    ("large inputs: no upper limit, no overflow", [-1e4, 37.5, 1e4]),
    ("a batch of shape (2, 3) keeps its shape", [[-1.0, 2.0, -3.0], [4.0, -5.0, 6.0]]),
]


def _relu_hint(z, got):
    """A one-line hint for a wrong ReLU output ``got`` on input ``z`` (or None)."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None
    if got.shape != z.shape:
        return ("ReLU works element by element, so the output has z's shape; "
                "z[z > 0] or z[z >= 0] keeps only some entries, np.maximum(0, z) keeps them all")
    if not np.all(np.isfinite(got)):
        return "a finite z must give a finite output; ReLU needs no exp, only max(0, z)"
    neg, pos = z < 0, z > 0
    if neg.any() and np.any(got[neg] != 0):
        return "every negative input must give exactly 0 (ReLU is max(0, z), not |z| nor 0.01 z)"
    if pos.any() and np.any(got[pos] != z[pos]):
        return "every positive input must come back unchanged (ReLU has no upper limit)"
    return None


def check_relu(fn):
    """Check the reader's ReLU, ``fn(z) -> max(0, z)`` element by element.

    Runs ``fn`` on a copy of the input in each of seven named cases, prints
    one PASS/FAIL line per case (a failure says what was expected, what came
    back and, where it can tell, why) and returns True only when all pass.
    Warnings that ``fn`` gives are caught and reported in the FAIL line.

    The cases:

    1. positive inputs pass through unchanged;
    2. negative inputs become 0;
    3. ``0.0`` and ``-0.0`` give 0;
    4. a mix of signs;
    5. large inputs (``±1e4``): no clipping, no overflow;
    6. a 2-D batch, shape (2, 3): the output has the input's shape;
    7. ``fn`` does not change the array it is given (an in-place
       ``z[z < 0] = 0`` would destroy the ``z`` that backpropagation needs).

    Parameters
    ----------
    fn : callable
        Takes a float64 array ``z`` of any shape and returns ``relu(z)``.

    Returns
    -------
    bool
        True when every case passes.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    if not callable(fn):
        raise TypeError(f"fn must be a function that takes z, got {type(fn).__name__}")
    results = []
    for name, values in _RELU_CASES:
        z = np.array(values, dtype=np.float64)
        got, problem, messages = _call_recording_warnings(fn, z)
        if problem is not None and "truth value" in problem:
            problem += ("; hint: Python's max(0, z) compares one number; "
                        "np.maximum(0, z) works element by element")
        elif problem is None:
            problem = _compare(got, np.maximum(z, 0.0), atol=1e-9)
            if problem is not None:
                hint = _relu_hint(z, got)
                problem = problem if hint is None else f"{problem}; hint: {hint}"
        if problem is None and messages:
            problem = f"it gave the warning {messages[0]!r}"
        results.append((name, _wrap_problem(problem)))

    z = np.array([-2.0, -0.5, 0.5, 2.0])
    given = z.copy()
    with warnings.catch_warnings(record=True):  # already reported in the cases above
        warnings.simplefilter("always")
        got, problem = _call(fn, given)
    if problem is None and not np.array_equal(given, z):
        problem = (f"your function changed its input from {z.tolist()} to {given.tolist()}; "
                   "build a new array (np.maximum(0, z)) instead of setting z[z < 0] = 0")
    results.append(("the input array is left unchanged", _wrap_problem(problem)))
    return _report(f"check_relu: your ReLU on {len(results)} cases", results)
