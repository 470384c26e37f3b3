"""Property tests of nnbook.checks: any answer gets a report, and the verdict it deserves.

Two families of answers go through every check. Answers built from a right
answer by a transformation whose effect is known (kept, made a list, shifted,
replaced by None...) must get exactly the PASS lines that a reference judgement
gives. Arbitrary callables and arbitrary values (hypothesis) must get a report
and a verdict that is not "all passed", and nothing may come out of the check:
no exception, no warning, no return value.
"""

import contextlib
import io
import math
import re
import warnings

import numpy as np
import pytest
import scipy.ndimage
import scipy.special
import sklearn.metrics
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnbook import checks, models
from nnbook.checks import classifier, training


def _softmax_digit(model, image):
    if np.size(image) != 784:
        raise ValueError("one image at a time")
    p = scipy.special.softmax(model.predict(np.reshape(image, (1, 784)), verbose=0)[0])
    return int(np.argmax(p)), float(np.max(p))


def _adam(theta, g, m, v, t):
    m = 0.9 * m + 0.1 * g
    v = 0.999 * v + 0.001 * g**2
    return theta - 1e-3 * math.sqrt(1 - 0.999**t) / (1 - 0.9**t) * m / (np.sqrt(v) + 1e-7), m, v


def _compare(acc_a, acc_b):
    d = np.mean(acc_a) - np.mean(acc_b)
    se = math.sqrt(np.var(acc_a, ddof=1) / len(acc_a) + np.var(acc_b, ddof=1) / len(acc_b))
    return "tie" if abs(d) <= 2 * se else ("a" if d > 0 else "b")


def _conv(h, w, c, f, k, padding):
    if padding == "valid":
        h, w = h - k + 1, w - k + 1
    return h, w, f, (k * k * c + 1) * f


# Each check with a right answer written here (the cases then need no reading of the check's
# module), its number of cases whose answer is a value, and its cases that pass whatever a
# value-computing answer returns: a case that expects an error, or the "left unchanged" case.
RIGHT = {
    checks.check_relu: (lambda z: np.maximum(z, 0.0), 6, 1),
    checks.check_softmax: (lambda z: scipy.special.softmax(z, axis=-1), 5, 0),
    checks.check_cross_entropy: (lambda labels, z: np.mean(
        scipy.special.logsumexp(z, axis=1) - z[np.arange(len(labels)), labels]), 5, 0),
    checks.check_unroll: (lambda image: image.reshape(-1), 4, 1),
    checks.check_fold: (lambda row: row.reshape(28, 28), 2, 1),
    checks.check_fix_transposed: (lambda X: np.swapaxes(X.reshape(-1, 28, 28), 1, 2).reshape(
        len(X), 784), 3, 1),
    checks.check_steps_per_epoch: (lambda m, batch_size: math.ceil(m / batch_size), 5, 0),
    checks.check_choose_learning_rate: (lambda runs: max(
        runs, key=lambda r: max(runs[r]["val_accuracy"])), 3, 0),
    checks.check_compare_runs: (_compare, 7, 1),
    checks.check_predict_digit: (_softmax_digit, 3, 1),
    checks.check_confusion_matrix: (lambda y_true, y_pred: sklearn.metrics.confusion_matrix(
        y_true, y_pred, labels=range(10)), 5, 0),
    checks.check_centre_of_mass: (scipy.ndimage.center_of_mass, 3, 1),
    checks.check_adam_update: (_adam, 4, 1),
    checks.check_conv_layer: (_conv, 6, 0),
}


def _as_array(value):
    return np.asarray(value)


def _plus_half(value):
    if isinstance(value, str):
        return value + "!"
    return np.asarray(value, dtype=float) + 0.5


def _nan(value):
    return np.full(np.shape(np.asarray(value, dtype=float)), np.nan)


def _raise(value):
    raise RuntimeError("not yet")


# (name, transformation of the right answer, does the answer stay right?)
TRANSFORMS = [
    ("kept", lambda v: v, lambda expected: True),
    ("as an array", _as_array, lambda expected: not isinstance(expected, str)),
    ("as a list", lambda v: np.asarray(v).tolist(),  # a number or a string stays as it is
     lambda expected: not isinstance(expected, np.ndarray)),
    ("shifted", _plus_half, lambda expected: False),
    ("None", lambda v: None, lambda expected: False),
    ("a string", str, lambda expected: isinstance(expected, str)),
    ("NaN", _nan, lambda expected: False),
    ("raising", _raise, lambda expected: False),
]


def _run(check, *args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check(*args) is None
    return out.getvalue()


def _passes(out):
    return sum(line.startswith("  PASS") for line in out.splitlines())


@pytest.mark.parametrize(("check", "transform"),
                         [(c, t) for c in RIGHT for t in TRANSFORMS],
                         ids=[f"{c.__name__}-{t[0]}" for c in RIGHT for t in TRANSFORMS])
def test_a_transformed_right_answer_gets_the_pass_lines_it_deserves(check, transform):
    right, n_values, n_always = RIGHT[check]
    _, change, stays_right = transform
    kinds = []

    def answer(*args):
        value = right(*args)
        kinds.append(stays_right(value))
        return change(value)

    out = _run(check, answer)
    deserved = n_always + sum(kinds[:n_values]) if kinds else n_always
    assert _passes(out) == deserved, out
    assert ("all passed" in out) == (deserved == n_values + n_always), out


class _Awkward:
    """An object whose conversions break: no array, no length."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array")

    def __len__(self):
        raise RuntimeError("no length")

    def __repr__(self):
        return "_Awkward()"


ODD = st.sampled_from([_Awkward(), [_Awkward(), 1.0], [[1.0], [1.0, 2.0]], np.matrix([[1.0, 2.0]]),
                       10**400, (x for x in range(3)), np.array([1, "a"], dtype=object),
                       np.datetime64("2026-01-01"), Ellipsis, NotImplemented, print])
ANY_VALUE = st.recursive(
    ODD | st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
    | st.complex_numbers() | hnp.arrays(st.sampled_from([np.float64, np.int64, np.bool_]),
                                        hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.integers(0, 3), inner, max_size=3),
    max_leaves=8)
ERRORS = st.sampled_from([ValueError, TypeError, IndexError, ZeroDivisionError, RuntimeError,
                          AttributeError, KeyError, Exception, np.linalg.LinAlgError])
FUNCTION_CHECKS = [*RIGHT, checks.check_backward]
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _contract(out, width=80):
    """A report: a title, case lines, a verdict; nothing that says the check broke."""
    assert re.search(r"^\d+ of \d+ checks passed: ", out.splitlines()[-1]), out
    assert "bug in nnbook's check" not in out, out
    assert max(len(line) for line in out.splitlines()) <= width, out


@pytest.mark.parametrize("check", FUNCTION_CHECKS, ids=lambda c: c.__name__)
@SETTINGS
@given(value=ANY_VALUE)
def test_a_function_returning_anything_gets_a_report_and_no_pass(check, value):
    out = _run(check, lambda *args, **kwargs: value)
    _contract(out)
    assert "all passed" not in out


@pytest.mark.parametrize("check", FUNCTION_CHECKS, ids=lambda c: c.__name__)
@SETTINGS
@given(error=ERRORS, message=st.text(max_size=30))
def test_a_function_raising_anything_gets_a_report_and_no_pass(check, error, message):
    def answer(*args):
        raise error(message)

    out = _run(check, answer)
    _contract(out)
    assert "all passed" not in out and "your function raised" in out


@pytest.mark.parametrize("check", [*FUNCTION_CHECKS, checks.check_model], ids=lambda c: c.__name__)
@SETTINGS
@given(value=ANY_VALUE)
def test_anything_given_instead_of_the_answer_gets_a_report(check, value):
    out = _run(check, value)
    _contract(out)
    assert "all passed" not in out


@SETTINGS
@given(w=st.lists(st.integers(-4, 4) | st.floats() | st.none() | st.text(max_size=2) | ODD,
                  min_size=0, max_size=4),
       b=st.lists(st.integers(-4, 4) | st.floats(), min_size=3, max_size=3))
def test_relu_units_judges_any_numbers_as_the_target_does(w, b):
    out = _run(checks.check_relu_units, w, b)
    _contract(out)
    numeric = len(w) == 3 and all(type(v) in (int, float) for v in w)
    right = numeric and (w[0], b[0]) == (-2, 2) and sorted(
        [(w[1], b[1]), (w[2], b[2])]) == [(1, -1), (2, -4)]
    assert ("all passed" in out) == right, (w, b, out)


@SETTINGS
@given(hidden_units=ANY_VALUE | st.lists(st.integers(0, 30), max_size=3),
       n_classes=st.integers(-1, 12) | ANY_VALUE)
def test_check_model_takes_any_sizes_and_judges_the_course_network(hidden_units, n_classes):
    out = _run(checks.check_model, _course_model(), hidden_units, n_classes)
    _contract(out, width=math.inf)  # a title with 400-digit sizes may be wide
    right = (isinstance(hidden_units, (list, tuple)) and all(type(u) is int for u in hidden_units)
             and list(hidden_units) == [25, 15] and type(n_classes) is int and n_classes == 10)
    assert "all passed" in _run(checks.check_model, _course_model(), np.array([25, 15]))
    assert ("all passed" in out) == right, (hidden_units, n_classes, out)


_MODELS = []


def _course_model():
    if not _MODELS:
        _MODELS.append(models.build_mlp())
    return _MODELS[0]


def test_the_property_tests_reach_every_public_check():
    assert set(FUNCTION_CHECKS) | {checks.check_model, checks.check_relu_units} == {
        getattr(checks, name) for name in checks.__all__}
    assert classifier.IMAGES.shape == (5, 784) and len(training.COMPARE_CASES) == 7
