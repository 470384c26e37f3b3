"""Friendly checks for the exercises.

Each ``check_*`` function runs the reader's answer on named cases and prints a
report: one line per case, ``PASS`` or ``FAIL``, where a failure says what was
expected, what came back and, where it can tell, why and how to fix it; then
the verdict, "n of N checks passed". They are the friendly version of a graded
lab's tests: they explain, they do not just fail. They print and return None,
so that a check cell shows the report only.

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

The runner also handles, for every check:

- the stub a notebook gives the reader (``def my_square(z): ...``): one line
  saying it is still the stub, not a FAIL per case;
- a case whose right answer is an error: ``reference`` returns the exception
  class (``ValueError``), and the case passes when ``fn`` raises it (see
  :func:`check_predict_digit`, given a batch by mistake);
- answers that are not arrays: ``diagnose`` sees what came back as it is in
  ``attempt.raw``; a check of numbers rather than of a function wraps them
  into one (:func:`check_relu_units` runs the reader's units as a function
  of ``x``; :func:`check_backward` runs one layer's gradients per case).

The wrong answers each check recognises are listed in its docstring and tested,
one by one, in ``tests/test_checks.py``. :func:`check_model`, which checks a
Keras model, hands its ``(case, problem)`` pairs (:func:`_model_problems`, then
:func:`_compile_problems`) straight to :func:`_report`.
"""

import dis
import re
import textwrap
import warnings
from typing import NamedTuple

import numpy as np

from nnbook.activations import log_softmax, softmax
from nnbook.pad import centre_of_mass

__all__ = [
    "check_relu", "check_relu_units", "check_softmax", "check_cross_entropy",
    "check_unroll", "check_fold", "check_fix_transposed", "check_model",
    "check_steps_per_epoch", "check_choose_learning_rate", "check_predict_digit",
    "check_confusion_matrix", "check_centre_of_mass", "check_backward", "check_adam_update", "check_conv_layer",
]


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
    raw: object = None  # what the function returned, as it is (a tuple, a dict, ...)


def _call(fn, args):
    """Call ``fn`` on ``args``, arrays copied: ``(result, error, warnings, copies, raised)``.

    ``error`` says what it raised ("your function raised ..."), ``raised`` is
    that exception (both None when it returned). Warnings (such as NumPy's
    "overflow encountered in exp") are recorded, to be reported in the FAIL
    line, never printed.
    """
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    result, error, raised = None, None, None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", invalid="warn", divide="warn"):
            try:
                result = fn(*copies)
            except Exception as err:  # the reader's code may raise anything
                error, raised = f"your function raised {type(err).__name__}: {err}", err
    return result, error, list(dict.fromkeys(str(w.message) for w in caught)), copies, raised


def _is_stub(fn):
    """True for a function whose body does nothing (``...``, ``pass``): an exercise's stub."""
    try:
        steps = list(dis.get_instructions(fn))
    except TypeError:  # a builtin or a callable object
        return False
    return all(step.opname in ("RESUME", "NOP", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST")
               and (step.opname not in ("LOAD_CONST", "RETURN_CONST") or step.argval is None)
               for step in steps)


def _stub_report(title, name):
    """The report for an untouched stub: one line, not a FAIL per case."""
    _report(title, [(f"{name} is written",
                     f"{name} is still the stub (its body is ...): write it, then run this "
                     "cell again")])


def _expects_error(expected):
    """True when a case's right answer is to raise: ``reference`` returned an exception class."""
    return isinstance(expected, type) and issubclass(expected, Exception)


def _floats(got):
    """``got`` as a float array, or None if it is not numbers."""
    if got is None:
        return None
    try:
        return np.asarray(got, dtype=float)
    except (TypeError, ValueError):  # a string, a ragged list
        return None


def _rounded(values):
    """``values`` as a list, to 4 decimals (4 significant digits below 0.001)."""
    values = np.asarray(values, dtype=float)

    def one(x):
        x = float(x)
        return float(f"{x:.4g}") if 0 < abs(x) < 1e-3 else round(x, 4)

    return [_rounded(row) for row in values] if values.ndim else one(values)


def _short(values, limit=12):
    """``values`` rounded as a list, or its shape when it has more than ``limit`` entries."""
    values = np.asarray(values)
    if values.size > limit:
        return f"an array of shape {values.shape}"
    return str(_rounded(values))


def _compare(got, expected, atol):
    """Return ``None`` if ``got`` matches ``expected``, else a short explanation.

    Up to 12 numbers are shown in full; for larger arrays the first entry that
    differs is named.
    """
    if got is None:
        return "your function returned None: did you forget the return statement?"
    values = _floats(got)
    if values is None:
        shown = repr(got) if len(repr(got)) <= 80 else f"a {type(got).__name__}"
        return f"expected numbers like {_short(expected)}, got {shown}"
    if values.shape != expected.shape:
        return f"expected shape {expected.shape}, got shape {values.shape}"
    if not np.all(np.isfinite(values)) and np.all(np.isfinite(expected)):
        return f"got non-finite values {_short(values)} (NaN or inf)"
    close = np.isclose(values, expected, rtol=0, atol=atol)
    if np.all(close):
        return None
    if expected.size <= 12:
        return f"expected {_rounded(expected)}, got {_rounded(values)}"
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    n_wrong = int(np.sum(~close))
    return (f"{n_wrong} of the {expected.size} entries {'is' if n_wrong == 1 else 'are'} wrong; "
            f"the first, at index {list(first)}, should be {expected[first]:.6g}, not "
            f"{values[first]:.6g}")


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
        returns it (same shape, within ``atol``) and gives no warning. When it
        returns an exception class, such as ``ValueError``, the case passes
        when ``fn`` raises that exception (a batch given to a function of one
        image, say).
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

    A function whose body is only ``...`` (the stub a notebook gives the
    reader) gets one line saying so instead of a FAIL per case.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    if not callable(fn):
        raise TypeError(f"fn must be a function, got {type(fn).__name__}")
    if _is_stub(fn):
        _stub_report(title, getattr(fn, "__name__", "your function"))
        return
    results = []
    for name, *args in cases:
        got, error, warned, _, raised = _call(fn, args)
        expected = reference(*args)
        if _expects_error(expected):
            wrong = None if isinstance(raised, expected) else (
                error or f"expected an error ({expected.__name__}), got {got!r}")
        else:
            expected = np.asarray(expected)
            wrong = error or _compare(got, expected, atol)
        if wrong is not None:
            attempt = _Attempt(args, expected, None if error else _floats(got), error, warned,
                               got)
            wrong = diagnose(attempt, wrong) or wrong
        elif warned:
            wrong = "right answer, but your function warned: " + "; ".join(warned)
        results.append((name, wrong))
    if unchanged is not None:
        name, args, fix = unchanged
        _, problem, _, copies, _ = _call(fn, args)  # its warnings were reported above
        for before, after in zip(args, copies):
            if isinstance(before, np.ndarray) and not np.array_equal(before, after):
                change = (f"from {before.tolist()} to {after.tolist()}" if before.size <= 12
                          else f"(shape {before.shape})")
                problem = problem or f"your function changed its input {change}; {fix}"
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
    verdict = ("all passed, well done!" if n_passed == len(results)
               else "fix the failures above and run again.")
    print(f"{n_passed} of {len(results)} checks passed: {verdict}")


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
    the report and returns None.

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
# check_relu_units (the ReLU chapter's stitching exercise)
# --------------------------------------------------------------------------

_RELU_UNIT_0 = (-2.0, 2.0)  # given: relu(-2x + 2), the target's first piece
_RELU_PIECES = [  # (case, start, end, slope of the target there)
    ("on [0, 1] the target is -2x + 2 (slope -2)", 0.0, 1.0, -2.0),
    ("on [1, 2] it is x - 1 (slope 1)", 1.0, 2.0, 1.0),
    ("on [2, 3] it is 3x - 5 (slope 3)", 2.0, 3.0, 3.0),
]


def _relu_units_arrays(w, b):
    """``(w, b)`` as three floats each, or a string saying what is wrong with them."""
    arrays = []
    for name, value in (("w", w), ("b", b)):
        entries = list(value) if isinstance(value, (list, tuple, np.ndarray)) else None
        if entries is None:
            return f"{name} must be a list of three numbers, one per unit, got {value!r}"
        if any(e is Ellipsis or e is None for e in entries):
            return (f"{name} still has ... in it: put in the numbers of units 1 and 2 "
                    f"(unit 0 is given: w = [-2, w1, w2], b = [2, b1, b2])")
        try:
            values = np.asarray(entries, dtype=float)
        except (TypeError, ValueError):
            return f"{name} must hold numbers, got {value!r}"
        if values.shape != (3,):
            return (f"{name} has {values.size} numbers: give all three units, unit 0 first "
                    f"({name} = [{_RELU_UNIT_0[name == 'b']:g}, {name}1, {name}2])")
        arrays.append(values)
    return tuple(arrays)


def _relu_units_diagnose(w, b, attempt, wrong):
    """Which piece is wrong and why: a kink in the wrong place, the wrong side, the slope."""
    (x,), got, expected = attempt.args, attempt.got, attempt.expected
    if got is None or got.shape != expected.shape:
        return None
    start, end = float(x[0]), float(x[-1])
    slope = next(s for _, lo, hi, s in _RELU_PIECES if (lo, hi) == (start, end))
    with np.errstate(divide="ignore", invalid="ignore"):
        kinks = -b / w
    hints = []
    if (w[0], b[0]) != _RELU_UNIT_0:
        hints.append(f"unit 0 is given, w0 = -2 and b0 = 2; you have w0 = {w[0]:g}, "
                     f"b0 = {b[0]:g}")
    for j in (1, 2):
        if w[j] == 0:
            hints.append(f"unit {j} has w{j} = 0: it is flat and never bends the sum")
        elif w[j] < 0:
            hints.append(
                f"unit {j} has w{j} = {w[j]:g} < 0, so it is on to the LEFT of its kink "
                f"(x < {kinks[j]:.3g}) and off to its right; units 1 and 2 must switch on to "
                f"the right: make w{j} positive (flip the signs of w{j} and b{j})")
        elif kinks[j] < end and not np.any(np.isclose(kinks[j], [1.0, 2.0])):
            where = (f"inside [{start:g}, {end:g}]" if kinks[j] > start
                     else f"so it is already on at x = {start:g}")
            hints.append(
                f"unit {j}'s kink is at x = -b{j}/w{j} = {kinks[j]:.3g}, {where}; the target "
                f"bends only at x = 1 and x = 2: for a kink at x = k, take b{j} = -k w{j}")
    if not hints:
        on = [j for j in range(3) if w[j] * (start + end) / 2 + b[j] > 0]
        got_slope = float(sum(w[j] for j in on))
        names = " and ".join(f"unit {j}" for j in on) or "no unit"
        hints.append(f"the slope of your sum here is {got_slope:g}, not {slope:g}: on a piece, "
                     f"the slopes of the units that are on add up ({names} on here)")
        other = [j for j in on if j > 0 and w[j] == 1.0]
        if start >= 2 and other:
            hints.append(f"unit {other[0]} (slope 1) is still on here, so the other unit adds "
                         "only 3 - 1 = 2")
    gap = np.abs(got - expected)
    i = int(np.argmax(gap))
    said = (f"your sum is off the target by up to {gap[i]:.3g} here (at x = {x[i]:.3g} it is "
            f"{got[i]:.3g}, the target {expected[i]:.3g})")
    return "; ".join([said, *hints])


def check_relu_units(w, b):
    """Check the reader's units for the ReLU chapter's stitching, one piece of the target at a time.

    The target is -2x + 2 on [0, 1], x - 1 on [1, 2] and 3x - 5 on [2, 3]
    (:func:`nnbook.relu_units.piecewise_target`). Unit 0, ``relu(-2x + 2)``,
    is given; the reader chooses the weights and biases of units 1 and 2 so
    that the plain sum ``relu(w0 x + b0) + relu(w1 x + b1) + relu(w2 x + b2)``
    is the target. Each piece prints one PASS/FAIL line; a failure says why
    where it can tell: a kink in the wrong place (the kink of unit j is at
    ``-b_j / w_j``), a unit switched on on the wrong side of its kink (a
    negative ``w``), or the wrong slope (the slopes of the units that are on
    add up). Units 1 and 2 may come in either order. Prints the report and
    returns None.

    Parameters
    ----------
    w, b : list of 3 numbers
        The weights and biases of units 0, 1 and 2 (unit 0 first: -2 and 2).
        An entry left as ``...`` (the notebook's stub) is reported as such.
    """
    from nnbook.relu_units import piecewise_target, relu_sum

    title = "check_relu_units: your units against the target, piece by piece"
    units = _relu_units_arrays(w, b)
    if isinstance(units, str):
        _report(title, [("w and b are three numbers each", units)])
        return
    w, b = units

    def your_sum(x):
        return relu_sum(x, w, b)

    cases = [(name, np.linspace(lo, hi, 61)) for name, lo, hi, _ in _RELU_PIECES]
    _run(title, your_sum, cases, piecewise_target,
         lambda attempt, wrong: _relu_units_diagnose(w, b, attempt, wrong), atol=1e-9)


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
    FAIL line, never printed as warnings. Prints the report and returns None.

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
    Prints the report and returns None.

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
# check_unroll, check_fold, check_fix_transposed (the data chapter's exercises)
# --------------------------------------------------------------------------

_PIXELS = np.arange(784.0)  # pixel k of an image holds the number k: easy to read
_UNROLL_CASES = [
    ("a 2 x 3 image [[1, 2, 3], [4, 5, 6]] gives [1, 2, 3, 4, 5, 6]",
     np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])),
    ("a 3 x 2 image [[1, 2], [3, 4], [5, 6]] gives [1, 2, 3, 4, 5, 6]",
     np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])),
    ("a 28 x 28 image gives a row of 784, row after row", _PIXELS.reshape(28, 28)),
]
_ROW_ORDER = "the data's rows hold an image row after row (NumPy's order), image.reshape(-1)"


def _shape_hint(got_shape, want, fix):
    """A hint for a result of the wrong shape, or None."""
    if got_shape == (1, *want) or got_shape == (*want, 1):
        kind = "a batch of one" if got_shape[0] == 1 else "a column"
        return f"shape {got_shape} is {kind}, not shape {want}: {fix}"
    return None


def _unroll_diagnose(attempt, wrong):
    """``wrong`` with a hint: column by column, a batch of one, a column, not unrolled."""
    (image,), got = attempt.args, attempt.got
    if got is None:
        return None
    if got.shape == image.shape:
        return wrong + f". This is still the image, not a row: {_ROW_ORDER}"
    hint = _shape_hint(got.shape, (image.size,), "return a 1-D row, image.reshape(-1)")
    if hint:
        return f"{wrong}; {hint}"
    if got.shape == (image.size,) and np.array_equal(got, image.T.reshape(-1)):
        return (wrong + ". Your row reads the image column by column (order='F', or image.T): "
                + _ROW_ORDER)
    if got.size < image.size:
        return wrong + f". Only {got.size} of the {image.size} pixels: {_ROW_ORDER}"
    return None


def check_unroll(fn):
    """Check the reader's ``unroll(image)``: a 2-D image as one row, row after row.

    The rows of the data's ``X`` hold each 28 x 28 image as 784 numbers, the
    image's first row, then its second, and so on (NumPy's default order,
    ``image.reshape(-1)``). Runs ``fn`` on a 2 x 3, a 3 x 2 and a 28 x 28
    image and prints one PASS/FAIL line each; a failure says why where it can
    tell (the image read column by column, a batch of one of shape (1, n) or
    a column (n, 1) instead of a 1-D row, an image left 2-D). A fourth case
    checks that ``fn`` leaves the image alone. Prints the report and returns
    None.

    Parameters
    ----------
    fn : callable
        Takes a float64 image of shape (h, w) and returns its pixels, shape (h * w,).

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    unchanged = ("the image is left unchanged", [_PIXELS.reshape(28, 28)],
                 "return a new row and leave the image as it was")
    _run("check_unroll: your unroll", fn, _UNROLL_CASES, lambda image: image.reshape(-1),
         _unroll_diagnose, atol=0, unchanged=unchanged)


_FOLD_CASES = [
    ("the row 0, 1, ..., 783 folds into rows 0-27, 28-55, ...", _PIXELS),
    ("a row of a digit folds back into the digit",
     np.where((np.arange(784) // 28 - 14) ** 2 + (np.arange(784) % 28 - 10) ** 2 < 40, 1.0, 0.0)),
]


def _fold_diagnose(attempt, wrong):
    """``wrong`` with a hint: transposed, still a row, a batch, the wrong grid."""
    (row,), got = attempt.args, attempt.got
    if got is None:
        return None
    if got.shape == (28, 28) and np.array_equal(got, row.reshape(28, 28).T):
        return (wrong + ". Your image is transposed (order='F', or .T): the row holds the "
                "image row after row, so fold it the same way, row.reshape(28, 28)")
    if got.size == row.size and sorted(got.shape) in ([784], [1, 784]):
        return (wrong + f". Shape {got.shape} is still the row of pixels: fold it into 28 rows "
                "of 28, row.reshape(28, 28)")
    hint = _shape_hint(got.shape, (28, 28), "row.reshape(28, 28)")
    if hint or got.ndim != 2:
        return f"{wrong}; " + (hint or "an image is 2-D, 28 rows of 28 pixels: row.reshape(28, 28)")
    if got.size == 784:
        return wrong + f". A grid of {got.shape[0]} x {got.shape[1]}: an image is 28 x 28"
    return None


def check_fold(fn):
    """Check the reader's ``fold(row)``: 784 pixels back into a 28 x 28 image.

    The inverse of the unroll: the first 28 numbers of the row are the
    image's first row, and so on (``row.reshape(28, 28)``). Runs ``fn`` on the
    row 0, 1, ..., 783 (pixel k holds k, so a mistake is easy to read) and on
    the row of a round blot, and prints one PASS/FAIL line each; a failure
    says why where it can tell (a transposed image, a result still 1-D or of
    shape (1, 784) or (784, 1), a grid other than 28 x 28). A third case
    checks that ``fn`` leaves the row alone. Prints the report and returns
    None.

    Parameters
    ----------
    fn : callable
        Takes a float64 row of shape (784,) and returns the image, shape (28, 28).

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    unchanged = ("the row is left unchanged", [_PIXELS.copy()],
                 "return a new image and leave the row as it was")
    _run("check_fold: your fold", fn, _FOLD_CASES, lambda row: row.reshape(28, 28),
         _fold_diagnose, atol=0, unchanged=unchanged)


def _column_major(images):
    """Rows of ``images`` (m, 28, 28) stored column by column, as the lab's data is: (m, 784)."""
    return images.transpose(0, 2, 1).reshape(len(images), 784)


_BAR = np.zeros((28, 28))
_BAR[4:8, 6:22] = 1.0  # a horizontal bar at the top: stored column by column it stands upright
_TRANSPOSED_CASES = [
    ("one image, a bar along the top", _column_major(_BAR[None])),
    ("three images, pixel k of image i holding 1000 i + k",
     _column_major((np.arange(3)[:, None] * 1000.0 + _PIXELS).reshape(3, 28, 28))),
]


def _untransposed(X):
    return X.reshape(-1, 28, 28).transpose(0, 2, 1).reshape(len(X), 784)


def _fix_transposed_diagnose(attempt, wrong):
    """``wrong`` with a hint: X.T, .T on the batch, left as images, unchanged rows."""
    (X,), got = attempt.args, attempt.got
    fix = "X.reshape(-1, 28, 28).transpose(0, 2, 1).reshape(len(X), 784)"
    if attempt.error and "reshape" in attempt.error:
        return (wrong + f". Your function works on one image only: fold the whole batch into "
                f"(m, 28, 28) images, swap each image's rows and columns, unroll them: {fix}")
    if got is None:
        return None
    if got.shape == X.T.shape and got.shape != X.shape:
        return (wrong + ". X.T turns the whole table over (the images become columns): "
                f"transpose each image instead, {fix}")
    if got.shape == (len(X), 28, 28):
        return wrong + f". These are the images: unroll each back into a row, {fix}"
    if got.shape == X.shape and np.array_equal(got, X):
        return wrong + f". Your rows are unchanged, still column by column: {fix}"
    if got.shape == X.shape and np.array_equal(got, X.reshape(-1, 28, 28).T.reshape(len(X), 784)):
        return (wrong + ". .T on an (m, 28, 28) array reverses all three axes and mixes the "
                "images: swap only the last two, transpose(0, 2, 1) or np.swapaxes(images, 1, 2)")
    return None


def check_fix_transposed(fn):
    """Check the reader's ``fix_transposed(X)``: rows stored column by column, made row by row.

    The lab's data stores each image column by column: folded with
    ``reshape(28, 28)`` a digit lies on its side, mirrored along the diagonal.
    ``fn`` takes such rows, shape (m, 784), and returns the same images stored
    row after row, shape (m, 784). Runs ``fn`` on one image (a bar along the
    top, which stored column by column stands upright on the left) and on a
    batch of three, and prints one PASS/FAIL line each; a failure says why
    where it can tell (``X.T``, ``.T`` on the (m, 28, 28) batch, the images
    left 2-D, the rows unchanged, a fix for one image only). A third case
    checks that ``fn`` leaves ``X`` alone. Prints the report and returns None.

    Parameters
    ----------
    fn : callable
        Takes a float64 array of shape (m, 784) and returns shape (m, 784).

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    unchanged = ("X is left unchanged", [_TRANSPOSED_CASES[1][1].copy()],
                 "return new rows and leave X as it was")
    _run("check_fix_transposed: your fix_transposed", fn, _TRANSPOSED_CASES, _untransposed,
         _fix_transposed_diagnose, atol=0, unchanged=unchanged)


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
    An uncompiled model fails one case that says how to compile it; the
    notebook's untouched stub, ``...``, one line saying it is still the stub.
    Prints the report and returns None.

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
    if model is Ellipsis:  # the notebook's stub, my_model = ...
        _report(title, [("your model is written", "your model is still the stub (my_model = "
                         "...): build and compile it, then run this cell again")])
        return
    _report(title, list(_model_problems(model, units, input_dim)))


# --------------------------------------------------------------------------
# check_steps_per_epoch, check_choose_learning_rate (the training chapter's exercises)
# --------------------------------------------------------------------------

_STEPS_CASES = [
    ("the lab's 5,000 images in batches of 32", 5000, 32),
    ("4,000 images in batches of 32 (no partial batch)", 4000, 32),
    ("1,000 images in batches of 64", 1000, 64),
    ("50 images, fewer than one batch of 64", 50, 64),
    ("64 images in batches of 64", 64, 64),
]


def _steps_diagnose(attempt, wrong):
    """``wrong`` with a hint: m // B, one too many, not a whole number."""
    (m, batch_size), got = attempt.args, attempt.got
    if got is None or got.shape != ():
        return None if got is None else wrong + ". Return one number, the steps in an epoch"
    got, full, rest = float(got), m // batch_size, m % batch_size
    if got != round(got):
        return (wrong + f". {m} / {batch_size} = {m / batch_size:g} is not a number of steps: "
                "a step takes a whole batch, and the last one may be smaller; round up, "
                "math.ceil(m / batch_size)")
    if got == full and rest:
        return (wrong + f". {m} // {batch_size} = {full} full batches leaves the last {rest} "
                f"images out; Keras takes one more step on that partial batch: "
                "math.ceil(m / batch_size)")
    if got == full + 1 and not rest:
        return (wrong + f". {m} = {full} x {batch_size} exactly: there is no partial batch "
                "here, so no extra step; math.ceil(m / batch_size) adds one only when there "
                "is a remainder")
    if got == 0:
        return wrong + ". Even fewer images than a batch make one (smaller) batch: one step"
    return None


def check_steps_per_epoch(fn):
    """Check the reader's ``steps_per_epoch(m, batch_size)``: gradient steps in one epoch.

    An epoch shows every one of the ``m`` examples once, ``batch_size`` at a
    time; the last batch takes what is left, so there are
    ``ceil(m / batch_size)`` steps (157 for the lab's 5,000 images in batches
    of 32, the number Keras's progress bar shows). Runs ``fn`` on five cases
    and prints one PASS/FAIL line each; a failure says why where it can tell
    (``m // batch_size`` forgets the last, partial batch; ``m // batch_size +
    1`` is one too many when the batches fit exactly; ``m / batch_size`` is
    not a whole number). Prints the report and returns None.

    Parameters
    ----------
    fn : callable
        Takes two ints, ``m`` and ``batch_size``, and returns an int.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    _run("check_steps_per_epoch: your steps_per_epoch", fn, _STEPS_CASES,
         lambda m, batch_size: -(-m // batch_size), _steps_diagnose, atol=0)


def _lr_history(loss_end, val_peak, peak_epoch, val_end, test_end, epochs=10):
    """A made-up Keras-like history: training loss falling to ``loss_end``, the
    validation accuracy rising to ``val_peak`` at ``peak_epoch`` (1-based), then
    drifting to ``val_end``; ``test_accuracy`` follows it, ending at ``test_end``."""
    t = np.arange(1, epochs + 1)
    loss = loss_end + (2.3 - loss_end) * np.exp(-(t - 1) / 2.0)
    rise = val_peak - (val_peak - 0.5) * np.exp(-(t - 1) / 1.2) * (t < peak_epoch)
    val = np.where(t <= peak_epoch, rise, val_peak + (val_end - val_peak) * (t - peak_epoch)
                   / max(epochs - peak_epoch, 1))
    val[peak_epoch - 1] = val_peak
    return {"loss": np.round(loss, 4).tolist(),
            "accuracy": np.round(np.minimum(1.0, 1.02 - loss / 2.5), 4).tolist(),
            "val_loss": np.round(1.0 - val + 0.25, 4).tolist(),
            "val_accuracy": np.round(val, 4).tolist(),
            "test_accuracy": np.round(val + (test_end - val[-1]), 4).tolist()}


def _lr_runs(right, by_test, by_loss, by_last):
    """Four learning rates whose honest winner is ``right``; each wrong rule picks another."""
    runs = {right: _lr_history(0.20, 0.935, 4, 0.905, 0.905),
            by_test: _lr_history(0.15, 0.915, 9, 0.915, 0.94),
            by_loss: _lr_history(0.02, 0.895, 5, 0.88, 0.885),
            by_last: _lr_history(0.30, 0.92, 10, 0.92, 0.915)}
    return dict(sorted(runs.items()))


_LR_CASES = [
    ("four rates: the best validation accuracy wins", _lr_runs(0.01, 0.1, 0.3, 0.001)),
    ("the same curves, given to other rates", _lr_runs(0.003, 0.03, 1.0, 0.0003)),
]


def _lr_pick(runs, key, best=max, at=max):
    """The rate whose ``runs[rate][key]`` (at its best epoch, or ``at=lambda h: h[-1]``) is best."""
    return best(runs, key=lambda rate: at(runs[rate][key]))


def _lr_diagnose(attempt, wrong):
    """``wrong`` with a hint: chosen by the test set, the training loss, the last epoch."""
    (runs,), got = attempt.args, attempt.got
    if got is None or got.shape != ():
        return None if got is None else wrong + ". Return one learning rate, a key of runs"
    got = float(got)
    if not any(np.isclose(got, rate) for rate in runs):
        return wrong + f". Return one of the rates tried, a key of runs: {list(runs)}"
    right = float(attempt.expected)
    last = lambda h: h[-1]  # noqa: E731
    rules = [
        (_lr_pick(runs, "test_accuracy"), _lr_pick(runs, "test_accuracy", at=last),
         "you chose by the test accuracy. The test set is kept for one final, honest estimate "
         "of how the chosen model does on new digits; choosing with it makes that estimate "
         "optimistic. Choose on the validation set: max(runs[rate]['val_accuracy'])"),
        (_lr_pick(runs, "loss", best=min, at=min), _lr_pick(runs, "accuracy"),
         "you chose by the training set. The rate that fits the training images best "
         "can do worse on images it has not seen (it overfits); compare the rates on the "
         "validation set: max(runs[rate]['val_accuracy'])"),
        (_lr_pick(runs, "val_accuracy", at=last), None,
         f"you compared the validation accuracy at the last epoch. Rate {right:g} peaked "
         f"earlier ({max(runs[right]['val_accuracy']):.3f}) and then overfitted: compare each "
         "rate at its best epoch, max(runs[rate]['val_accuracy']) (and stop training there: "
         "EarlyStopping(restore_best_weights=True))"),
    ]
    for first, second, hint in rules:
        if any(pick is not None and np.isclose(got, pick) for pick in (first, second)):
            return f"{wrong}. It looks like {hint}"
    return None


def check_choose_learning_rate(fn):
    """Check the reader's ``choose_learning_rate(runs)``: the rate to keep, chosen honestly.

    ``runs`` maps each learning rate tried to its Keras-like history, lists
    with one entry per epoch: ``"loss"`` and ``"accuracy"`` (training set),
    ``"val_loss"`` and ``"val_accuracy"`` (validation set) and
    ``"test_accuracy"`` (the test set, recorded here only to catch its use).
    The right choice is the rate with the highest validation accuracy at its
    best epoch. ``fn`` runs on two made-up sets of four runs, built so that
    each wrong rule picks a different rate, and one PASS/FAIL line is printed
    per set; a failure names the rule it looks like (the test accuracy, the
    training loss or accuracy, the validation accuracy at the last epoch
    instead of the best) and why it is wrong. Prints the report and returns
    None.

    Parameters
    ----------
    fn : callable
        Takes ``runs``, a dict ``{learning_rate: history}``, and returns one
        of its learning rates.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    _run("check_choose_learning_rate: your choose_learning_rate", fn, _LR_CASES,
         lambda runs: _lr_pick(runs, "val_accuracy"), _lr_diagnose, atol=0)


# --------------------------------------------------------------------------
# check_predict_digit, check_confusion_matrix (the classifier chapter's exercises)
# --------------------------------------------------------------------------


class _LogitsModel:
    """A stand-in for the course's Keras model: a linear map from 784 pixels to 10 logits.

    ``predict`` takes a batch, shape (m, 784), and returns the logits, shape
    (m, 10), as Keras's ``model.predict`` does; like Keras, it refuses any
    other shape with a ``ValueError``. Calling the model is the same.
    """

    def __init__(self, seed=12):
        rng = np.random.default_rng(seed)
        self.W = rng.normal(0.0, 0.25, size=(784, 10)).astype(np.float32)
        self.b = np.linspace(-0.5, 0.5, 10, dtype=np.float32)

    def predict(self, x, batch_size=None, verbose="auto", **kwargs):
        x = np.asarray(x, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != 784:
            raise ValueError(f"Input 0 of layer \"dense\" is incompatible with the layer: "
                             f"expected shape=(None, 784), found shape={x.shape}")
        return x @ self.W + self.b

    __call__ = predict

    def __repr__(self):
        return "<the course model: 784 pixels -> 10 logits>"


def _digit_images(seed=9):
    """Five made-up images, pixels in [0, 1], with clear predictions from :class:`_LogitsModel`."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.0, 1.0, size=(5, 784)) * (rng.uniform(size=(5, 784)) < 0.2)


_MODEL, _IMAGES = _LogitsModel(), _digit_images()
_PREDICT_CASES = [
    ("one image as a row of 784 pixels", _MODEL, _IMAGES[0]),
    ("another image, given as a 28 x 28 grid", _MODEL, _IMAGES[1].reshape(28, 28)),
    ("a third image, as a 28 x 28 grid", _MODEL, _IMAGES[2].reshape(28, 28)),
    ("a batch of 3 images by mistake: an error, not one answer for three", _MODEL, _IMAGES[2:]),
]


def _predicted(model, image):
    """The right answer: ``(digit, probability)``, or ValueError for anything but one image."""
    if np.size(image) != 784:
        return ValueError
    p = softmax(model.predict(np.reshape(image, (1, 784)), verbose=0)[0].astype(float))
    return np.array([np.argmax(p), np.max(p)])


def _predict_diagnose(attempt, wrong):
    """``wrong`` with a hint: no reshape, probabilities returned, wrong axis, no softmax."""
    (model, image), got, raw = attempt.args, attempt.got, attempt.raw
    error = attempt.error or ""
    reshape = "give predict one image as a batch of one, image.reshape(1, 784)"
    if "expected shape=(None, 784)" in error and np.size(image) == 784:
        return (f"{wrong}. model.predict takes a batch of images, shape (m, 784), and this "
                f"image has shape {np.shape(image)}: {reshape}")
    if "length-1" in error or "only 0-dimensional" in error or "size-1" in error:
        return (f"{wrong}. np.argmax(p, axis=0) runs down the batch axis of p, shape (1, 10), "
                "and gives 10 indices: take it along the classes, axis=1 (or -1), then row 0")
    if _expects_error(attempt.expected):
        if got is not None and got.size and np.any(got.ravel()[:1] > 9):
            return (f"{wrong}. np.argmax without an axis runs over all 3 x 10 probabilities of "
                    f"the batch and can give a number above 9: with image.reshape(1, 784), a "
                    "batch raises an error instead of a silent wrong digit")
        return (f"{wrong}. One digit cannot answer for 3 images: image.reshape(1, 784) raises "
                "a ValueError for a batch, instead of a silent wrong answer")
    if got is None:
        return None
    expected = attempt.expected
    logits = model.predict(np.reshape(image, (1, 784)))[0]
    if got.size == 10 or (raw is not None and np.size(raw) == 10):
        return (f"{wrong}. These are 10 numbers (the probabilities, or the logits): return the "
                "digit, np.argmax(p), and its probability, p[digit]")
    if got.shape == (2,) and got[0] == expected[0]:
        if np.isclose(got[1], logits.max(), atol=1e-4):
            return (f"{wrong}. The digit is right, but {got[1]:.4f} is its logit, not a "
                    "probability: turn the logits into probabilities with softmax first")
        return (f"{wrong}. The digit is right; its probability is p[digit] with "
                "p = softmax(logits), a number between 0 and 1")
    if got.shape != (2,):
        return (f"{wrong}. Return two things, the digit and its probability: "
                "return digit, p[digit]")
    return None


def check_predict_digit(fn):
    """Check the reader's ``predict_digit(model, image)``: one image in, one digit out.

    ``fn(model, image)`` must return ``(digit, probability)``: the digit the
    model predicts for ``image`` and the probability the model gives it. The
    model, like the course's Keras model, outputs logits and its ``predict``
    takes a batch, shape (m, 784); so the function reshapes the image into a
    batch of one (``image.reshape(1, 784)``, which also accepts a 28 x 28
    grid), turns the logits into probabilities (softmax) and takes the argmax
    over the classes. The check runs ``fn`` on a stand-in model (a linear map,
    instant, no TensorFlow) with three single images, as a row and as 28 x 28
    grids, and on a batch of three passed by mistake, which must raise an
    error (``ValueError``, as ``reshape(1, 784)`` does) rather than give one
    answer for three images. One PASS/FAIL line per case; a failure says why
    where it can tell (the reshape forgotten, the probabilities returned
    instead of a digit, the argmax over the wrong axis, the logit returned
    instead of the probability). Prints the report and returns None.

    Parameters
    ----------
    fn : callable
        Takes ``model`` (with ``model.predict(x, verbose=0)``) and an image of
        784 pixels (shape (784,) or (28, 28)) and returns ``(digit, probability)``.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    _run("check_predict_digit: your predict_digit", fn, _PREDICT_CASES, _predicted,
         _predict_diagnose, atol=1e-5)


_CONFUSION_CASES = [
    ("five examples, all right: counts on the diagonal",
     np.array([0, 1, 2, 3, 3]), np.array([0, 1, 2, 3, 3])),
    ("a 7 read as a 1 counts in row 7, column 1", np.array([7, 7, 1]), np.array([1, 7, 1])),
    ("the same mistake twice counts 2", np.array([4, 4, 4, 9]), np.array([9, 9, 4, 9])),
    ("only the digits 0 to 3 appear: still 10 x 10",
     np.array([0, 1, 2, 3]), np.array([1, 1, 2, 0])),
    ("200 labels and predictions", np.random.default_rng(7).integers(0, 10, 200),
     np.random.default_rng(8).integers(0, 10, 200)),
]


def _confusion(y_true, y_pred):
    counts = np.zeros((10, 10), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def _confusion_diagnose(attempt, wrong):
    """``wrong`` with a hint: transposed, not counting, wrong size, fractions."""
    (y_true, y_pred), got, expected = attempt.args, attempt.got, attempt.expected
    if got is None:
        return None
    count = "C[y_true[i], y_pred[i]] += 1 for each example i, or np.add.at(C, (y_true, y_pred), 1)"
    if got.ndim == 2 and got.shape[0] == got.shape[1] and got.shape != (10, 10):
        return (wrong + f". The matrix is 10 x 10, one row and one column per digit, whatever "
                f"digits appear in y: C = np.zeros((10, 10), dtype=int)")
    if got.shape != (10, 10):
        return None
    if np.array_equal(got, expected.T):
        return (wrong + ". Rows and columns are swapped: row i is the TRUE digit i, column j the "
                "PREDICTED digit j, so C[y_true[i], y_pred[i]] += 1")
    if np.array_equal(got, (expected > 0).astype(float)):
        return (wrong + ". Each cell holds 1, however many examples fall in it: C[y_true, y_pred] "
                f"= 1 (or += 1 with arrays, which adds once per distinct pair) does not count. "
                f"Count: {count}")
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = [expected / expected.sum(), expected / expected.sum(axis=1, keepdims=True)]
    if any(np.allclose(got, s, equal_nan=True) for s in shares):
        return wrong + ". These are fractions: count the examples (whole numbers), " + count
    return None


def check_confusion_matrix(fn):
    """Check the reader's ``confusion_matrix(y_true, y_pred)``: the counts, by hand.

    ``fn`` returns the 10 x 10 matrix ``C`` whose entry ``C[i, j]`` counts
    the examples of true digit ``i`` predicted as ``j`` (rows: the truth,
    columns: the prediction, as scikit-learn and the book's heat map). Runs
    ``fn`` on five cases and prints one PASS/FAIL line each; a failure says
    why where it can tell (rows and columns swapped, a cell set to 1 instead
    of counted, a matrix sized by the digits that appear instead of 10 x 10,
    fractions instead of counts). Prints the report and returns None.

    Parameters
    ----------
    fn : callable
        Takes two int arrays of shape (m,), the true digits and the
        predicted ones, and returns an array of shape (10, 10).

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    _run("check_confusion_matrix: your confusion_matrix", fn, _CONFUSION_CASES, _confusion,
         _confusion_diagnose, atol=0)


# --------------------------------------------------------------------------
# check_centre_of_mass (the pad chapter's exercise)
# --------------------------------------------------------------------------


def _ring(row, col, radius=6.0):
    """A grey ring in a 28 x 28 image: 1 on the circle, fading to 0 a pixel and a half away."""
    r, c = np.indices((28, 28))
    return np.clip(1.5 - np.abs(np.hypot(r - row, c - col) - radius), 0.0, 1.0)


_ONE_PIXEL = np.zeros((3, 5))
_ONE_PIXEL[1, 3] = 1.0
_TWO_GREYS = np.zeros((2, 5))
_TWO_GREYS[1, [0, 4]] = [1.0, 0.25]
_CENTRE_CASES = [
    ("one pixel of ink, at row 1 and column 3 of a 3 x 5 image, gives (1, 3)", _ONE_PIXEL),
    ("ink 1 at column 0 and 0.25 at column 4 of row 1 gives (1, 0.8)", _TWO_GREYS),
    ("a grey ring round row 9, column 17 of a 28 x 28 image gives (9, 17)", _ring(9, 17)),
]


def _centre_diagnose(attempt, wrong):
    """``wrong`` with a hint: (column, row), counted from 1, not divided, unweighted, the axes."""
    (image,), got, expected = attempt.args, attempt.got, attempt.expected
    if attempt.error and ("mismatch" in attempt.error or "not aligned" in attempt.error):
        return (wrong + ". image.sum(axis=1) is the ink in each row (h numbers), to weight by "
                "the row numbers np.arange(h); image.sum(axis=0) the ink in each column")
    if got is None:
        return None
    if got.size != 2:
        return wrong + ". Return two numbers, the row and then the column: return row, col"
    rows, cols = np.nonzero(image)
    h, w = image.shape
    for value, hint in [
        (expected[::-1], "These are (column, row): the row comes first, the position down the "
                         "image (axis 0), then the column (axis 1)"),
        (expected + 1, "Each is 1 too large: NumPy counts rows and columns from 0, "
                       "np.arange(h), and so does MNIST's centre (14, 14)"),
        (expected * image.sum(), "Divide by the total ink, image.sum(): the centre of mass is "
                                 "an average, sum(i * ink) / sum(ink)"),
        ((rows.mean(), cols.mean()), "Every pixel with ink counts the same here: weight each "
                                     "position by its grey level, sum(i * ink) / sum(ink)"),
        (((h - 1) / 2, (w - 1) / 2), "This is the centre of the image, not of its ink"),
    ]:
        if np.allclose(got.ravel(), value, rtol=0, atol=1e-6):
            return f"{wrong}. {hint}"
    return None


def check_centre_of_mass(fn):
    """Check the reader's ``centre_of_mass(image)``: the ink's mean position, (row, column).

    ``fn`` returns the row and the column of the image's centre of mass,
    each pixel's position weighted by its grey level and counted from 0, as
    :func:`nnbook.pad.centre_of_mass`. Runs ``fn`` on a single pixel, two
    pixels of different grey, and a grey ring, and prints one PASS/FAIL line
    each; a failure says why where it can tell ((column, row) instead of
    (row, column), positions counted from 1, the sum not divided by the total
    ink, every inked pixel weighted the same, the centre of the image, the
    row and column sums mixed up). A fourth case checks that ``fn`` leaves the
    image alone. Prints the report and returns None.

    Parameters
    ----------
    fn : callable
        Takes a float64 image of shape (h, w), not all zero, and returns two
        numbers, ``(row, column)``.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    unchanged = ("the image is left unchanged", [_ring(14, 14)],
                 "compute with new arrays and leave the image as it was")
    _run("check_centre_of_mass: your centre_of_mass", fn, _CENTRE_CASES, centre_of_mass,
         _centre_diagnose, unchanged=unchanged)


# --------------------------------------------------------------------------
# check_backward (the scratch chapter's exercise)
# --------------------------------------------------------------------------


def _backward_setup():
    """A small float64 network (6 -> 5 -> 4 -> 3), a batch of 8 and its forward pass."""
    from nnbook.scratch import MLP

    mlp = MLP((6, 5, 4, 3), seed=4, dtype=np.float64)
    rng = np.random.default_rng(4)
    X = rng.normal(size=(8, 6))
    y = np.array([0, 1, 2, 0, 1, 2, 1, 0])
    return mlp, X, y


def _numeric_gradients(mlp, X, y, eps=1e-6):
    """Central finite differences of the mean cross-entropy: ``[dW1, db1, dW2, ...]``."""
    from nnbook.losses import sparse_cross_entropy

    grads = []
    for theta in mlp.parameters():
        g = np.empty_like(theta)
        for i in range(theta.size):
            old = theta.flat[i]
            theta.flat[i] = old + eps
            up = sparse_cross_entropy(y, mlp.forward(X)[0][mlp.L])
            theta.flat[i] = old - eps
            down = sparse_cross_entropy(y, mlp.forward(X)[0][mlp.L])
            theta.flat[i] = old
            g.flat[i] = (up - down) / (2 * eps)
        grads.append(g)
    return grads


def _keras_step(mlp, X, y, learning_rate):
    """The weights after one gradient-descent step that Keras (TensorFlow) computes."""
    from nnbook.models import keras
    import tensorflow as tf

    model = keras.Sequential([keras.Input(shape=(mlp.layer_sizes[0],))] + [
        keras.layers.Dense(n, activation="relu" if l < mlp.L else None, dtype="float64")
        for l, n in enumerate(mlp.layer_sizes[1:], start=1)])
    model.set_weights(mlp.get_weights())
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    with tf.GradientTape() as tape:
        cost = loss(y, model(X))
    grads = tape.gradient(cost, model.trainable_weights)
    return [w.numpy() - learning_rate * g.numpy() for w, g in zip(model.trainable_weights, grads)]


def _backward_variants(mlp, y, a, z):
    """Typical wrong backward passes, as ``{name: (dW, db)}``, to recognise a mistake."""
    from nnbook.activations import relu_derivative
    from nnbook.losses import sparse_cross_entropy_grad

    m, L = len(y), mlp.L
    out = {}
    for name in ("no ReLU derivative", "no 1/m", "logits instead of softmax"):
        dW, db = {}, {}
        delta = sparse_cross_entropy_grad(y, z[L])
        if name == "no 1/m":
            delta = delta * m
        if name == "logits instead of softmax":
            delta = (z[L] - np.eye(z[L].shape[1])[y]) / m
        for l in range(L, 0, -1):
            dW[l], db[l] = a[l - 1].T @ delta, delta.sum(axis=0)
            if l > 1:
                delta = delta @ mlp.W[l].T
                if name != "no ReLU derivative":
                    delta = delta * relu_derivative(z[l - 1])
        out[name] = (dW, db)
    return out


_BACKWARD_HINTS = {
    "no ReLU derivative": (
        "the gradients of this layer miss the ReLU's derivative: going down a layer, "
        "delta = (delta @ W[l].T) * relu_derivative(z[l - 1]), which is 0 where z <= 0"),
    "no 1/m": (
        "your gradients are m = 8 times too large: J is the MEAN loss over the batch, so "
        "the output's delta is (softmax(z[L]) - one_hot(y)) / m"),
    "logits instead of softmax": (
        "the output's delta starts from the logits: it is (softmax(z[L]) - one_hot(y)) / m, "
        "the probabilities minus the one-hot labels"),
}


def check_backward(fn):
    """Check the reader's ``backward(mlp, y, a, z)``: backpropagation through the course MLP.

    ``fn`` gets a :class:`nnbook.scratch.MLP` (a small float64 one, 6 -> 5 ->
    4 -> 3, ReLU hidden layers and a linear output of logits), the batch's
    labels ``y`` (8,) and the ``a``, ``z`` dicts that ``mlp.forward(X)``
    returned; it returns ``(dW, db)``, dicts keyed by the layer ``l = 1 .. L``
    whose entries have the shapes of ``mlp.W[l]`` and ``mlp.b[l]``: the
    gradients of the mean cross-entropy from logits. The check compares each
    layer's gradients with the gradient check (central finite differences of
    the cost, relative error below 1e-6), from the output layer down, then
    takes one gradient-descent step with them and compares the weights with
    the step Keras (TensorFlow's ``GradientTape``) computes. One PASS/FAIL line
    per case; a failure says why where it can tell (the ReLU derivative
    missing, the ``1/m`` missing, a transposed product, the bias gradient not
    summed over the batch, the logits used instead of the probabilities).
    Prints the report and returns None.

    Parameters
    ----------
    fn : callable
        ``fn(mlp, y, a, z)`` returns ``(dW, db)``.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    from nnbook.scratch import _from_weights

    title = "check_backward: your backward pass"
    if not callable(fn):
        raise TypeError(f"fn must be a function, got {type(fn).__name__}")
    if _is_stub(fn):
        _stub_report(title, getattr(fn, "__name__", "your function"))
        return
    mlp, X, y = _backward_setup()
    numeric = _numeric_gradients(mlp, X, y)
    a, z = mlp.forward(X)
    variants = _backward_variants(mlp, y, a, z)
    seen = {}
    learning_rate = 0.5

    def yours():
        """The reader's ``(dW, db)`` for the batch, on copies; kept in ``seen`` for the hints."""
        net = _from_weights(mlp.parameters(), np.float64)  # the reader may change it
        seen.clear()
        seen["out"] = fn(net, y.copy(), {k: v.copy() for k, v in a.items()},
                         {k: v.copy() for k, v in z.items()})
        dW, db = seen["out"]
        return dW, db

    def your_layer(l):
        """The reader's dW[l] and db[l] as one flat array (as they are if a shape is wrong)."""
        dW, db = yours()
        seen["pair"] = (np.asarray(dW[l]), np.asarray(db[l]))
        if seen["pair"][0].shape != mlp.W[l].shape or seen["pair"][1].shape != mlp.b[l].shape:
            return seen["pair"]  # the runner reports the shapes; the hint says which
        return np.concatenate([seen["pair"][0].ravel(), seen["pair"][1].ravel()])

    def your_step():
        dW, db = yours()
        after = [p - learning_rate * np.asarray(g) for p, g in
                 zip(mlp.parameters(), [g for l in range(1, mlp.L + 1) for g in (dW[l], db[l])])]
        return np.concatenate([p.ravel() for p in after])

    def reference(l):
        if l == "step":
            return np.concatenate([p.ravel() for p in _keras_step(mlp, X, y, learning_rate)])
        return np.concatenate([numeric[2 * l - 2].ravel(), numeric[2 * l - 1].ravel()])

    def diagnose(attempt, wrong):
        (l,) = attempt.args
        if "out" not in seen:
            return None  # it raised: `wrong` says what
        out = seen["out"]
        if not (isinstance(out, tuple) and len(out) == 2 and all(isinstance(g, dict) for g in out)):
            got = f"a {type(out).__name__}" if not isinstance(out, tuple) else (
                "(" + ", ".join(type(g).__name__ for g in out) + ")")
            return (f"got {got}: return (dW, db), two dicts keyed by the layer number, "
                    f"1 to {mlp.L}, as forward's a and z are")
        if attempt.error and "KeyError" in attempt.error:
            return (f"{wrong}. dW and db need an entry for every layer, 1 to {mlp.L}: "
                    "dW[l] = a[l - 1].T @ delta")
        if l == "step":
            if attempt.error or attempt.got is None or attempt.got.shape != attempt.expected.shape:
                return ("the step W[l] - 0.5 dW[l] could not use your gradients: their shapes "
                        "are not those of the weights (see the lines above)")
            return wrong + ". The step follows your gradients: fix the lines above first"
        dW, db = seen.get("pair", (None, None))
        if dW is not None and dW.shape != mlp.W[l].shape:
            if dW.shape == mlp.W[l].T.shape:
                return (f"dW[{l}] has shape {dW.shape}, the transpose of W[{l}]'s "
                        f"{mlp.W[l].shape}: dW[l] = a[l - 1].T @ delta, not delta.T @ a[l - 1]")
            return (f"dW[{l}] has shape {dW.shape}, W[{l}] has {mlp.W[l].shape}: "
                    "dW[l] = a[l - 1].T @ delta, with a[l - 1] the layer's INPUT")
        if db is not None and db.shape != mlp.b[l].shape:
            return (f"db[{l}] has shape {db.shape}, b[{l}] has {mlp.b[l].shape}: sum delta over "
                    "the examples of the batch, delta.sum(axis=0)")
        flat = attempt.got
        error = np.linalg.norm(flat - attempt.expected) / (
            np.linalg.norm(flat) + np.linalg.norm(attempt.expected))
        said = (f"the gradient check of dW[{l}] and db[{l}] gives a relative error of "
                f"{error:.1e} (a right gradient gives about 1e-9)")
        for name, (vdW, vdb) in variants.items():
            guess = np.concatenate([vdW[l].ravel(), vdb[l].ravel()])
            if np.allclose(flat, guess, atol=1e-9) and not np.allclose(guess, attempt.expected):
                return f"{said}; {_BACKWARD_HINTS[name]}"
        return said

    cases = [(f"dW[{l}] and db[{l}] pass the gradient check" + (" (output layer)" if l == mlp.L
             else ""), l) for l in range(mlp.L, 0, -1)]
    cases.append(("one gradient-descent step lands where Keras's does", "step"))
    _run(title, lambda l: your_step() if l == "step" else your_layer(l), cases, reference,
         diagnose, atol=1e-6)


# --------------------------------------------------------------------------
# check_adam_update (the scratch chapter's second exercise)
# --------------------------------------------------------------------------

_ADAM_RNG = np.random.default_rng(11)
_ADAM_CASES = [
    ("step 1, from m = v = 0", np.array([0.5, -1.0, 2.0]), np.array([0.01, -0.02, 0.03]),
     np.zeros(3), np.zeros(3), 1),
    ("step 2, going on from step 1", np.array([0.499, -0.999, 1.999]),
     np.array([0.02, -0.01, 0.03]), np.array([0.001, -0.002, 0.003]),
     np.array([1e-7, 4e-7, 9e-7]), 2),
    ("step 10 of a 2 x 3 weight matrix", _ADAM_RNG.normal(size=(2, 3)),
     _ADAM_RNG.normal(0, 0.05, size=(2, 3)), _ADAM_RNG.normal(0, 0.02, size=(2, 3)),
     _ADAM_RNG.uniform(1e-4, 1e-3, size=(2, 3)), 10),
    ("tiny gradients (1e-5), where epsilon's place shows", np.array([1.0, -1.0]),
     np.array([1e-5, -2e-5]), np.zeros(2), np.zeros(2), 1),
]


def _adam_variant(theta, g, m, v, t, kind=None, learning_rate=1e-3, beta_1=0.9, beta_2=0.999,
                  epsilon=1e-7):
    """One Adam step as Keras computes it (``kind=None``), or a typical mistake."""
    b1, b2 = (1 - beta_1, 1 - beta_2) if kind == "swapped betas" else (beta_1, beta_2)
    m = m + (1 - b1) * (g - m)
    v = v + (1 - b2) * ((g if kind == "g not squared" else g * g) - v)
    step = {"t - 1": t - 1, "t + 1": t + 1}.get(kind, t)
    with np.errstate(all="ignore"):
        if kind == "no bias correction":
            alpha = learning_rate
        else:
            alpha = learning_rate * np.sqrt(1 - beta_2**step) / (1 - beta_1**step)
        if kind in ("the paper's epsilon", "epsilon inside the root, paper"):
            m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
            root = (np.sqrt(v_hat) + epsilon if kind == "the paper's epsilon"
                    else np.sqrt(v_hat + epsilon))
            theta = theta - learning_rate * m_hat / root
        else:
            root = np.sqrt(v + epsilon) if kind == "epsilon inside the root" else np.sqrt(v) + epsilon
            theta = theta - alpha * m / root
        if kind == "corrected moments kept":
            m, v = m / (1 - beta_1**t), v / (1 - beta_2**t)
    return np.array([theta, m, v])


_ADAM_HINTS = {
    "no bias correction": (
        "the step has no bias correction: m and v start at 0, so early on they are too small; "
        "Keras scales the rate, alpha_t = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)"),
    "epsilon inside the root": (
        "epsilon is inside the square root: divide by np.sqrt(v) + epsilon, not "
        "np.sqrt(v + epsilon) (epsilon only keeps the division finite)"),
    "epsilon inside the root, paper": (
        "epsilon is inside the square root: divide by np.sqrt(v) + epsilon, not "
        "np.sqrt(v_hat + epsilon) (epsilon only keeps the division finite)"),
    "the paper's epsilon": (
        "this is the paper's form, m_hat / (sqrt(v_hat) + epsilon). Keras folds the bias "
        "correction into the rate and adds epsilon to sqrt(v) itself: alpha_t m / (sqrt(v) + "
        "epsilon). The two differ only where sqrt(v) is near epsilon, as here"),
    "swapped betas": (
        "beta_1 and 1 - beta_1 (or beta_2 and 1 - beta_2) are swapped: the moments keep "
        "beta of their old value and take 1 - beta of the new, m = beta_1 m + (1 - beta_1) g"),
    "g not squared": (
        "v must average the SQUARED gradient: v = beta_2 v + (1 - beta_2) g**2"),
    "corrected moments kept": (
        "you returned the bias-corrected moments: return m and v themselves (the correction "
        "belongs in the step only), or the next step corrects them twice"),
    "t - 1": "the bias correction uses t - 1: t counts the steps from 1 (step 1 uses t = 1)",
    "t + 1": "the bias correction uses t + 1: the t given is already this step's number",
}


def _adam_diagnose(attempt, wrong):
    """``wrong`` with a hint: bias correction, epsilon's place, betas, g squared, t."""
    got, args = attempt.got, attempt.args
    if got is None or got.shape != attempt.expected.shape:
        if got is not None and got.shape == args[0].shape:
            return wrong + ". Return the three new arrays: return theta, m, v"
        return None
    for kind, hint in _ADAM_HINTS.items():
        if np.allclose(got, _adam_variant(*args, kind=kind), rtol=0, atol=1e-9, equal_nan=True):
            return f"{wrong}. It looks like {hint}"
    for name, i in (("theta", 0), ("m", 1), ("v", 2)):
        if not np.allclose(got[i], attempt.expected[i], rtol=0, atol=1e-6):
            return f"{wrong}. The first array that differs is the new {name}"
    return None


def check_adam_update(fn):
    """Check the reader's ``adam_update(theta, g, m, v, t)``: one step of Adam, as Keras takes it.

    ``fn(theta, g, m, v, t)`` gets a parameter array, its gradient, the two
    moment arrays and the step number ``t`` (1 for the first step), with
    Keras's defaults ``learning_rate=0.001``, ``beta_1=0.9``,
    ``beta_2=0.999``, ``epsilon=1e-7`` (keyword arguments of the reader's
    function). It returns the new ``(theta, m, v)``::

        m = beta_1 m + (1 - beta_1) g,   v = beta_2 v + (1 - beta_2) g**2,
        alpha_t = learning_rate sqrt(1 - beta_2**t) / (1 - beta_1**t),
        theta = theta - alpha_t m / (sqrt(v) + epsilon)

    (:class:`nnbook.scratch.Adam`). Four cases (the first step, the second, a
    later step of a matrix, and tiny gradients, where ``sqrt(v)`` is near
    ``epsilon``: there the paper's form, ``m_hat / (sqrt(v_hat) + epsilon)``,
    which passes the others, differs from Keras's), one PASS/FAIL line each;
    a failure says why where it can tell (no bias correction, epsilon inside
    the square root, the paper's epsilon, the betas swapped, ``g`` not
    squared, the bias-corrected moments returned, ``t`` off by one).
    Prints the report and returns None.

    Parameters
    ----------
    fn : callable
        ``fn(theta, g, m, v, t)`` returns ``(theta, m, v)``, new arrays of
        ``theta``'s shape.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    _run("check_adam_update: your adam_update", fn, _ADAM_CASES, _adam_variant, _adam_diagnose,
         atol=1e-6)


# --------------------------------------------------------------------------
# check_conv_layer (the CNN chapter's exercise)
# --------------------------------------------------------------------------

_CONV_LAYER_CASES = [  # (case, height, width, channels, filters, kernel_size, padding)
    ("the CNN's first layer: 28 x 28 x 1, 16 filters of 3 x 3, valid", 28, 28, 1, 16, 3, "valid"),
    ("its second layer: 26 x 26 x 16, 16 filters of 3 x 3, valid", 26, 26, 16, 16, 3, "valid"),
    ("same padding: 12 x 12 x 16, 32 filters of 3 x 3", 12, 12, 16, 32, 3, "same"),
    ("LeNet-5's first layer: 32 x 32 x 1, 6 filters of 5 x 5, valid", 32, 32, 1, 6, 5, "valid"),
    ("a wide colour image: 20 x 30 x 3, 8 filters of 5 x 5, valid", 20, 30, 3, 8, 5, "valid"),
    ("1 x 1 filters: 8 x 8 x 32, 10 filters, same", 8, 8, 32, 10, 1, "same"),
]


def _conv_layer(height, width, channels, filters, kernel_size, padding):
    """The right answer: output height, width, channels, and the layer's parameters."""
    from nnbook import conv

    return (conv.conv_output_size(height, kernel_size, padding),
            conv.conv_output_size(width, kernel_size, padding), filters,
            conv.conv_parameter_count(kernel_size, channels, filters))


def _conv_layer_diagnose(attempt, wrong):
    """``wrong`` with hints: the size (valid, same, off by one), the channels, the count."""
    h, w, c, f, k, padding = attempt.args
    got = attempt.got
    if got is None:
        return None
    if got.shape != (4,):
        return wrong + ". Return four numbers: (height, width, channels, parameters)"
    out_h, out_w, out_c, n = got
    want_h, want_w, _, want_n = attempt.expected
    hints = []
    if (out_h, out_w) != (want_h, want_w):
        if (out_h, out_w) == (want_w, want_h):
            hints.append("height and width are swapped")
        elif padding == "valid" and (out_h, out_w) == (h, w):
            hints.append(f"padding='valid' adds nothing around the image, so a {k} x {k} filter "
                         f"fits at n - k + 1 positions across: the output is smaller than the input")
        elif padding == "valid" and (out_h, out_w) == (h - k, w - k):
            hints.append("one too few: the filter's first position is 0 and its last n - k, "
                         "so there are n - k + 1 positions")
        elif padding == "same" and (out_h, out_w) == (h - k + 1, w - k + 1):
            hints.append("padding='same' surrounds the image with zeros so that the output keeps "
                         "the input's height and width")
        else:
            hints.append("height and width: n - k + 1 for padding='valid', n for 'same'")
    if out_c != f:
        hints.append(f"the output has one channel per filter ({f}), "
                     + ("not the input's channels" if out_c == c else f"not {out_c:g}"))
    if n != want_n:
        guesses = [
            (k * k * c * f, "each filter also has one bias: (k * k * C + 1) * F"),
            ((k * k + 1) * f, f"each filter spans all {c} channels of its input: k * k * C "
                              "weights, plus one bias"),
            (k * k * c * f + 1, "one bias per filter, not one for the whole layer"),
            ((k * k * f + 1) * c, "C (channels in) and F (filters) are swapped"),
            (want_h * want_w * want_n, "the same filter is used at every position: do not "
                                       "multiply by the number of positions"),
            ((h * w * c + 1) * want_h * want_w * f, "that is a dense layer's count; each filter "
                                                    "sees only a k x k patch, with the same "
                                                    "weights at every position"),
        ]
        for value, hint in guesses:
            if n == value and value != want_n:
                hints.append(hint)
                break
        else:
            hints.append("the parameters are (k * k * C + 1) * F")
    if not hints:
        return None
    text = "; ".join(hints)
    return f"{wrong}. {text[0].upper()}{text[1:]}"


def check_conv_layer(fn):
    """Check the reader's ``conv_layer(height, width, channels, filters, kernel_size, padding)``.

    The function describes a ``keras.layers.Conv2D(filters, kernel_size,
    padding=padding)`` layer (stride 1) applied to inputs of shape
    ``(height, width, channels)``: it returns the output's height, width and
    channels, and the layer's number of parameters,
    ``(n - k + 1 or n, ..., filters, (k * k * channels + 1) * filters)``.
    Runs ``fn`` on six cases (the book's CNN's first layers, same padding,
    LeNet-5's first layer, a wide three-channel image, 1 x 1 filters) and prints
    one PASS/FAIL line each. A failure says why where it can tell: the output
    size for "valid" (n - k + 1, not n or n - k) and "same" (n), the output
    channels (one per filter), and the parameter count (a missing bias, the
    input channels forgotten, one bias for the layer, channels and filters
    swapped, a count that grows with the image). Prints the report and returns
    None.

    Parameters
    ----------
    fn : callable
        Takes five ints and a string (``"valid"`` or ``"same"``) and returns
        four numbers.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    """
    _run("check_conv_layer: your conv_layer", fn, _CONV_LAYER_CASES, _conv_layer,
         _conv_layer_diagnose, atol=0)
