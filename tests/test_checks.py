"""Tests of nnbook.checks: the runner's contract, every named hint, the cases' design.

The verdicts on 476 learner-style answers are in ``test_checks_corpus.py``; the
property tests (hypothesis) are in ``test_checks_properties.py``.
"""

import contextlib
import io
import itertools
import math
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from nnbook import checks, models
from nnbook.checks import _runner, classifier, relu, training

sys.path.insert(0, str(Path(__file__).parent))
import test_checks_corpus as corpus  # noqa: E402 (the corpus's answers and its runner)

PUBLIC = [getattr(checks, name) for name in checks.__all__]
TABLES = [(check, row) for check in PUBLIC for row in check.wrong_answers]


def _printed(check, *args, **kwargs):
    """What ``check(*args, **kwargs)`` printed; it must return None and raise nothing."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may leak out as a warning
        assert check(*args, **kwargs) is None
    return out.getvalue()


def _words(text):
    return " ".join(text.split())


def _case_lines(out):
    """One string per case: its PASS/FAIL line joined with its wrapped continuation lines."""
    cases = []
    for line in out.splitlines():
        if line.startswith(("  PASS", "  FAIL")):
            cases.append(line.rstrip())
        elif line.startswith(" " * 8) and cases:
            cases[-1] += " " + line.strip()
    return cases


# --- every named wrong answer gets its own hint ------------------------------------------


@pytest.mark.parametrize(("check", "row"), TABLES,
                         ids=[f"{c.__name__}-{row[0]}" for c, row in TABLES])
def test_each_named_wrong_answer_gets_its_hint(check, row):
    """Each row of a check's table, run as an answer, fails with its own hint at least once."""
    name, wrong_fn, hint = row
    out = _printed(check, wrong_fn)
    assert "checks passed: fix the failures above" in out, out
    assert _words(hint)[1:] in _words(out), f"{name!r} should get {hint!r}:\n{out}"


def test_every_check_has_a_usage_line_and_returns_none():
    for check in PUBLIC:
        out = _printed(check)  # no argument at all
        assert f"Call it as {check.__name__}(" in _words(out), out


# --- the runner's contract ------------------------------------------------------------------


@_runner.checker("check_root(my_root)", [("doubled", lambda x: 2 * x, "this is twice x")])
def check_root(fn):
    """A small check for the tests: ``fn(x)`` is the square root; a list must raise."""
    cases = [("four", 4.0), ("nine", 9.0), ("a list, by mistake", [4.0, 9.0])]
    _runner.run("check_root: your root", fn, cases,
                lambda x: ValueError if isinstance(x, list) else math.sqrt(x),
                [check_root.wrong_answers], answer="one number")


def _root(x):
    if isinstance(x, list):
        raise ValueError("one number at a time")
    return math.sqrt(x)


@pytest.mark.parametrize("error", [ValueError, TypeError, AssertionError, Exception,
                                   type("MyError", (Exception,), {})])
def test_any_exception_is_an_error_where_an_error_is_expected(error):
    def root(x):
        if isinstance(x, list):
            raise error("one number at a time")
        return math.sqrt(x)

    assert "3 of 3 checks passed" in _printed(check_root, root)


@pytest.mark.parametrize(
    ("answer", "said"),
    [(lambda x: None, "returned None: did you forget the return statement"),
     (lambda x: "2.0", "returned a string, '2.0', not numbers"),
     (lambda x: [math.sqrt(x)], "returned a list of 1 value; the answer is one number"),
     (lambda x: True, "returned True, a bool"),
     (lambda x: complex(math.sqrt(x), 1), "returned complex numbers"),
     (lambda x: float("nan"), "non-finite values (NaN or inf): nan"),
     (lambda x: math.sqrt(-x), "raised ValueError: math domain error"),
     (lambda x: 2 * x, "This is twice x"),
     (lambda x: 1.0, "expected an error (any exception), got 1.0")],
    ids=["none", "string", "list", "bool", "complex", "nan", "raises", "table", "no-error"])
def test_each_kind_of_wrong_answer_is_a_fail_line_that_says_so(answer, said):
    out = _printed(check_root, answer)
    assert said in _words(out), out
    assert "checks passed: fix the failures above" in out


def test_a_numeric_warning_fails_a_right_answer_and_another_warning_is_a_note():
    def overflowing(x):
        np.exp(np.float64(1000.0))
        return _root(x)

    def deprecated(x):
        warnings.warn("old_root is deprecated", DeprecationWarning, stacklevel=2)
        return _root(x)

    out = _printed(check_root, overflowing)
    assert "right answer, but NumPy warned: overflow encountered in exp" in _words(out)
    out = _printed(check_root, deprecated)
    assert "3 of 3 checks passed: all passed" in out
    assert "note: your function gave a warning, which does not change the verdict: " \
           "DeprecationWarning: old_root is deprecated" in _words(out)


def test_misuse_is_a_report_that_says_how_to_call_the_check():
    said = {
        (): "missing a required argument: 'fn'. Call it as check_root(my_root)",
        (_root, 2): "too many positional arguments. Call it as check_root(my_root)",
        (2.0,): "got 2.0, not a function: pass your function itself, without parentheses",
        (None,): "got None, not a function",
    }
    for args, text in said.items():
        assert text in _words(_printed(check_root, *args))
    assert "Call it as check_root(my_root)" in _words(_printed(check_root, func=_root))
    assert "got a Keras model" in _words(_printed(check_root, models.build_mlp()))


def test_an_answer_whose_repr_breaks_gets_a_report():
    class NoRepr:
        def __repr__(self):
            raise RuntimeError("no repr")

    for answer in (NoRepr(), lambda z: NoRepr()):
        out = _words(_printed(checks.check_relu, answer))
        assert "NoRepr" in out and "bug in nnbook's check" not in out
    out = _words(_printed(checks.check_relu_units, [NoRepr()] * 3, NoRepr()))
    assert "w must hold numbers" in out


def test_a_check_that_breaks_says_so_instead_of_raising():
    @_runner.checker("check_broken(my_fn)")
    def check_broken(fn):
        raise IndexError("a bug in the check")

    out = _words(_printed(check_broken, _root))
    assert "the check itself failed on this answer (IndexError: a bug in the check)" in out
    assert "0 of 1 checks passed" in out


def test_keyboard_interrupt_still_stops_a_check():
    def loops(x):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        check_root(loops)


def test_an_untouched_stub_gets_one_line_and_a_lambda_is_never_a_stub():
    def my_root(x):
        ...  # your code here

    def with_docstring(x):
        """What the reader should write."""
        pass

    for stub in (my_root, with_docstring):
        lines = _case_lines(_printed(check_root, stub))
        assert lines == [f"  FAIL  {stub.__name__} is written: {stub.__name__} is still the stub "
                         "(its body is ...): write it, then run this cell again"]
    assert not _runner.is_stub(lambda x: None)
    assert "returned None" in _printed(check_root, lambda x: None)


def test_the_function_gets_deep_copies_and_a_keras_model_gets_its_weights_back():
    model = models.build_mlp()
    weights = model.get_weights()
    runs = {"a": [3, 1, 2], "b": {"c": np.arange(3.0)}}

    def vandal(model, runs):
        model.set_weights([np.zeros_like(w) for w in weights])
        runs["a"].sort()
        runs["b"]["c"] += 1
        runs.clear()

    _runner.call_on_copies(vandal, (model, runs))
    assert all(np.array_equal(w, v) for w, v in zip(model.get_weights(), weights))
    assert runs["a"] == [3, 1, 2] and np.array_equal(runs["b"]["c"], np.arange(3.0))


def test_a_repeated_problem_is_said_once_and_every_line_fits_a_notebook():
    out = _printed(checks.check_relu, lambda z: max(0, z))
    assert out.count("Python's max") == 1 and "the same problem as in the case above" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_a_large_array_is_named_by_its_first_wrong_entry_not_printed():
    expected = np.arange(784.0).reshape(28, 28)
    wrong = expected.copy()
    wrong[3, 5] = -1.0
    assert _runner._compare(wrong, expected, 0) == (
        "1 of the 784 entries is wrong; the first, at index [3, 5], should be 89, not -1")


def test_a_call_is_never_split_across_lines():
    text = "divide by np.sum(e, axis=-1, keepdims=True) " * 3
    assert "np.sum(e, axis=-1, keepdims=True)" in _runner.wrap(text).replace("\n", " ")


# --- the review's reproductions that the corpus cannot express ------------------------------


def test_an_answer_that_changes_runs_cannot_change_the_next_verdict():
    """A function that sorts, deletes from or empties ``runs`` leaves the cases as they were."""
    for vandal in (corpus.rate_sorting_in_place, corpus.rate_deleting_the_test,
                   corpus.rate_emptying):
        assert "3 of 3 checks passed" in _printed(checks.check_choose_learning_rate, vandal)
    out = _printed(checks.check_choose_learning_rate, corpus.by("val_accuracy", over=corpus.last))
    assert "0 of 3 checks passed" in out and "at the last epoch" in out
    assert "3 of 3" in _printed(checks.check_choose_learning_rate, corpus.by("val_accuracy"))


def test_reading_the_test_accuracy_fails_even_when_the_rate_is_right():
    def peeks(runs):
        for history in runs.values():
            history.get("test_accuracy")
        return max(runs, key=lambda rate: max(runs[rate]["val_accuracy"]))

    out = _printed(checks.check_choose_learning_rate, peeks)
    assert "0 of 3 checks passed" in out and "read runs[rate]['test_accuracy']" in out


def test_the_stand_in_model_is_keras_and_refuses_what_keras_refuses():
    model = classifier.course_model()
    assert isinstance(model, models.keras.Model)
    assert model.predict(np.zeros((2, 784))).shape == (2, 10)
    assert np.allclose(models.logits(model, classifier.IMAGES[:2]),
                       model.predict(classifier.IMAGES[:2]), atol=1e-6)
    for shape in [(784,), (28, 28), (1, 28, 28), (1, 783)]:
        with pytest.raises(ValueError, match=r"expected shape=\(None, 784\)"):
            model.predict(np.zeros(shape))
    digits = [int(np.argmax(model.predict(image[None]))) for image in classifier.IMAGES[:3]]
    assert len(set(digits)) == 3  # three different digits: a fixed answer cannot pass


def test_relu_units_never_contradicts_itself():
    """No "the slope ... is s, not s" on any piece, for any units 1 and 2 with small numbers."""
    values = [-2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
    for w1, w2, b1, b2 in itertools.product(values, values, [-4.0, -2.0, -1.0, 1.0], [-4.0, -2.0]):
        out = _words(_printed(checks.check_relu_units, [-2, w1, w2], [2, b1, b2]))
        assert not re.search(r"is (-?[\d.]+), not \1\b", out), out
        assert "bug in nnbook's check" not in out


def test_the_data_checks_have_fractional_grey_levels():
    from nnbook.checks import data

    for cases in (data.UNROLL_CASES, data.FOLD_CASES, data.TRANSPOSED_CASES):
        assert any(np.any((args[0] > 0) & (args[0] < 1)) for _, *args in cases)


def test_check_model_names_double_softmax_however_it_is_written():
    layers = models.keras.layers
    for last in (layers.Softmax(), layers.Activation("softmax")):
        model = corpus.net(*corpus.COURSE, lambda L, last=last: last).make()
        out = _words(_printed(checks.check_model, model))
        assert "13 of 14 checks passed" in out and "second softmax would squash" in out


# --- the cases are designed so that each mistake shows -------------------------------------


def test_the_learning_rate_cases_tell_each_wrong_rule_apart():
    """Each rule picks a wrong rate somewhere; rules with other hints never agree everywhere."""
    cases = [runs for _, runs in training.RATE_CASES]
    right = [training._by("val_accuracy")(runs) for runs in cases]
    assert right == [training._by("val_loss", pick=min, over=min)(runs) for runs in cases]
    signatures = {}
    for name, rule, hint in training.RATE_WRONG:
        picks = tuple(rule(runs) for runs in cases)
        assert picks != tuple(right), name
        assert signatures.setdefault(picks, hint) == hint, name


def test_the_compare_runs_cases_are_far_from_every_boundary():
    """Each rule's |d| / threshold is more than 10 % away from 1, so round-off cannot decide."""
    def sd(x, ddof=1):
        return float(np.std(x, ddof=ddof))

    for _, a, b in training.COMPARE_CASES:
        n_a, n_b = len(a), len(b)
        thresholds = [  # the right rule, then each wrong one's threshold for |d|
            2 * math.hypot(sd(a) / math.sqrt(n_a), sd(b) / math.sqrt(n_b)),
            2 * math.hypot(sd(a, 0) / math.sqrt(n_a), sd(b, 0) / math.sqrt(n_b)),
            math.hypot(sd(a) / math.sqrt(n_a), sd(b) / math.sqrt(n_b)),
            2 * math.hypot(sd(a), sd(b)),
            2 * math.hypot(sd(a), sd(b)) / math.sqrt(n_a),
            2 * (sd(a) / math.sqrt(n_a) + sd(b) / math.sqrt(n_b)),
            2 * math.sqrt(sd(a) / n_a + sd(b) / n_b)]
        d = abs(a.mean() - b.mean())
        assert all(abs(d / t - 1) > 0.1 for t in thresholds), (a, b)
        assert n_a >= 2 and n_b >= 2 and a.max() != b.max()


def test_each_compare_runs_mistake_has_its_own_signature():
    cases = [(a, b) for _, a, b in training.COMPARE_CASES]
    right = tuple(training.compare(a, b) for a, b in cases)
    signatures = {tuple(rule(a, b) for a, b in cases) for _, rule, _ in training.COMPARE_WRONG}
    assert right not in signatures and len(signatures) == len(training.COMPARE_WRONG)
    assert {"a", "b", "tie"} <= set(right)


def test_the_relu_cases_keep_their_number():
    """The notebook tests read "7 of 7" in check_relu's report."""
    assert len(relu.RELU_CASES) + 1 == 7
