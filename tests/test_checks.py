"""Tests of nnbook.checks: each check passes a correct answer and catches wrong ones."""

import math
import re
import warnings

import numpy as np
import pytest

from nnbook import checks, models
from nnbook.losses import sparse_cross_entropy


def _case_lines(out):
    """One string per case: its PASS/FAIL line joined with its wrapped continuation lines."""
    cases = []
    for line in out.splitlines():
        if line.startswith(("  PASS", "  FAIL")):
            cases.append(line.rstrip())
        elif line.startswith(" " * 8) and cases:
            cases[-1] += " " + line.strip()
    return cases


def _assert_passes(check, answer, n_cases, capsys):
    """``check(answer)`` prints ``n_cases`` PASS lines and the verdict, and returns None."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check(answer) is None  # a check cell shows the report only
    out = capsys.readouterr().out
    lines = _case_lines(out)
    assert len(lines) == n_cases and all(line.startswith("  PASS") for line in lines), out
    assert f"{n_cases} of {n_cases} checks passed: all passed" in out


# --- check_relu --------------------------------------------------------------


def _relu_in_place(z):
    z[z < 0] = 0
    return z


@pytest.mark.parametrize(
    "fn",
    [lambda z: np.maximum(0, z), lambda z: np.where(z > 0, z, 0.0), lambda z: z * (z > 0),
     lambda z: np.clip(z, 0, None), lambda z: (z + np.abs(z)) / 2],
    ids=["maximum", "where", "mask", "clip", "abs-trick"],
)
def test_check_relu_passes_a_correct_relu(fn, capsys):
    _assert_passes(checks.check_relu, fn, 7, capsys)


@pytest.mark.parametrize(
    "fn, failing, hint",
    [
        (np.abs, "negative inputs become 0", "not |z|"),
        (lambda z: z, "negative inputs become 0", "exactly 0"),
        (lambda z: np.where(z > 0, z, 0.01 * z), "negative inputs become 0", "0.01 z"),
        (lambda z: np.clip(z, 0, 1), "positive inputs pass through unchanged", "no upper limit"),
        (lambda z: z[z >= 0], "a batch of shape (2, 3) keeps its shape", "z[z >= 0]"),
        (lambda z: (z >= 0) * 1.0, "positive inputs pass through unchanged", "unchanged"),
        (lambda z: max(0, z), "negative inputs become 0", "np.maximum(0, z)"),
        (lambda z: np.maximum(0, z).ravel(), "a batch of shape (2, 3) keeps its shape",
         "expected shape (2, 3)"),
        (lambda z: np.exp(z) * 0 + np.maximum(0, z), "large inputs: no upper limit, no overflow",
         "finite"),
        (_relu_in_place, "the input array is left unchanged", "z[z < 0] = 0"),
    ],
    ids=["abs", "identity", "leaky", "clip-at-1", "boolean-index", "step", "python-max", "flattens",
         "overflows", "in-place"],
)
def test_check_relu_catches_a_wrong_relu(fn, failing, hint, capsys):
    checks.check_relu(fn)
    out = capsys.readouterr().out
    blocks = [line for line in _case_lines(out) if line.startswith(f"  FAIL  {failing}:")]
    assert blocks and hint in blocks[0], out
    assert "checks passed: fix the failures above" in out


def test_check_relu_reports_warnings(capsys):
    def noisy(z):
        warnings.warn("something odd")
        return np.maximum(0, z)

    checks.check_relu(noisy)
    out = capsys.readouterr().out
    assert "right answer, but your function warned: something odd" in out
    assert "1 of 7 checks passed" in out  # the in-place case does not report it twice


# --- check_softmax -----------------------------------------------------------


def _sm_good_vectorised(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _sm_good_loop(z):
    z = np.asarray(z, dtype=float)
    if z.ndim == 2:
        return np.array([_sm_good_loop(row) for row in z])
    top = max(z)
    e = [np.exp(v - top) for v in z]
    total = sum(e)
    return np.array([v / total for v in e])


def _sm_naive(z):  # the lab's formula: overflows past about 710
    return np.exp(z) / np.sum(np.exp(z), axis=-1, keepdims=True)


def _sm_wrong_axis(z):  # normalises down the columns of a batch
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=0)


def _sm_whole_batch(z):  # one sum for the whole batch
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def _sm_global_max(z):  # subtracts the batch's max: small rows underflow to 0 / 0
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=-1, keepdims=True)


def _sm_forgot_exp(z):
    return z / np.sum(z, axis=-1, keepdims=True)


def _sm_raises(z):
    raise NotImplementedError("write my_softmax")


def _sm_no_return(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    p = e / np.sum(e, axis=-1, keepdims=True)  # noqa: F841 (the mistake: p is never returned)


@pytest.mark.parametrize("fn", [_sm_good_vectorised, _sm_good_loop])
def test_check_softmax_passes_a_correct_softmax(fn, capsys):
    _assert_passes(checks.check_softmax, fn, 4, capsys)


def test_check_softmax_does_not_let_the_readers_function_change_the_cases(capsys):
    def in_place(z):
        z -= np.max(z, axis=-1, keepdims=True)  # modifies its argument
        np.exp(z, out=z)
        z /= np.sum(z, axis=-1, keepdims=True)
        return z

    _assert_passes(checks.check_softmax, in_place, 4, capsys)


# --- check_cross_entropy -----------------------------------------------------


def _ce_log_softmax(z):
    s = z - np.max(z, axis=1, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=1, keepdims=True))


def _ce_good(labels, logits):
    return -np.mean(_ce_log_softmax(logits)[np.arange(len(labels)), labels])


def _ce_good_loop(labels, logits):  # one example at a time, with Python's math
    total = 0.0
    for label, row in zip(labels, logits):
        top = max(row)
        total += -(row[label] - top - math.log(sum(math.exp(v - top) for v in row)))
    return total / len(labels)


def _ce_no_minus(labels, logits):
    return np.mean(_ce_log_softmax(logits)[np.arange(len(labels)), labels])


def _ce_sum(labels, logits):
    return -np.sum(_ce_log_softmax(logits)[np.arange(len(labels)), labels])


def _ce_no_reduction(labels, logits):
    return -_ce_log_softmax(logits)[np.arange(len(labels)), labels]


def _ce_column_indexing(labels, logits):  # log_p[:, labels] is (m, m)
    return -np.mean(_ce_log_softmax(logits)[:, labels])


def _ce_argmax(labels, logits):  # the predicted class, not the right one
    return -np.mean(np.max(_ce_log_softmax(logits), axis=1))


def _ce_wrong_class(labels, logits):  # off by one
    m, K = logits.shape
    return -np.mean(_ce_log_softmax(logits)[np.arange(m), (labels + 1) % K])


def _ce_log_of_stable_softmax(labels, logits):  # stable softmax, then log: -inf for p = 0
    e = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(labels)), labels]))


def _ce_naive(labels, logits):  # exp(1000) overflows
    p = np.exp(logits) / np.sum(np.exp(logits), axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(labels)), labels]))


def _ce_score_only(labels, logits):  # forgot the log-sum-exp
    return -np.mean(logits[np.arange(len(labels)), labels])


def _ce_raises(labels, logits):
    raise NotImplementedError("write my_cross_entropy")


@pytest.mark.parametrize("fn", [_ce_good, _ce_good_loop, sparse_cross_entropy])
def test_check_cross_entropy_passes_a_correct_implementation(fn, capsys):
    _assert_passes(checks.check_cross_entropy, fn, 5, capsys)


def test_check_cross_entropy_does_not_let_the_readers_function_change_the_cases(capsys):
    def in_place(labels, logits):
        logits -= np.max(logits, axis=1, keepdims=True)
        logits -= np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
        labels[:] = labels  # touches its argument too
        return -np.mean(logits[np.arange(len(labels)), labels])

    _assert_passes(checks.check_cross_entropy, in_place, 5, capsys)


# --- check_model -------------------------------------------------------------


keras = models.keras
SCE = keras.losses.SparseCategoricalCrossentropy


def _cm_build(units=(25, 15, 10), acts=("relu", "relu", "linear"), n_inputs=784, use_input=True,
              optimizer="course", loss="course"):
    """A model by hand, compiled as the exercise asks unless told otherwise (None: uncompiled)."""
    layers = [keras.Input(shape=(n_inputs,))] if use_input else []
    layers += [keras.layers.Dense(u, activation=a) for u, a in zip(units, acts)]
    model = keras.Sequential(layers)
    if optimizer is not None:
        if optimizer == "course":
            optimizer = keras.optimizers.Adam(learning_rate=0.001)
        model.compile(optimizer=optimizer, loss=SCE(from_logits=True) if loss == "course" else loss)
    return model


@pytest.mark.parametrize("build", [models.build_mlp, _cm_build], ids=["build_mlp", "by-hand"])
def test_check_model_passes_the_course_model(build, capsys):
    _assert_passes(checks.check_model, build(), 14, capsys)


@pytest.mark.parametrize("loss", ["sparse_categorical_crossentropy",
                                  keras.losses.sparse_categorical_crossentropy],
                         ids=["name", "function"])
def test_check_model_reads_a_loss_given_by_name_as_not_from_logits(loss, capsys):
    checks.check_model(_cm_build(optimizer="adam", loss=loss))
    failed = [line for line in _case_lines(capsys.readouterr().out) if "FAIL" in line]
    assert len(failed) == 1 and "the loss takes logits" in failed[0], failed


@pytest.mark.parametrize(
    ("kwargs", "failing", "hint"),
    [
        ({"acts": ("relu", "relu", "softmax")}, ["layer 3 (output layer) uses linear activation"],
         r"got softmax. It must give the logits.*Keras warns.*second softmax"),
        ({"acts": ("sigmoid", "relu", "linear")}, ["layer 1 (hidden layer) uses relu activation"],
         r"uses sigmoid"),
        ({"units": (25, 16, 10)}, ["layer 2 (hidden layer) has 15 units"], r"has 16 units"),
        ({"n_inputs": 400}, ["input size is 784"], r"expected 784 inputs .* got 400"),
        ({"units": (25, 10), "acts": ("relu", "linear")},
         ["3 Dense layers", "layer 2 (hidden layer) has 15 units",
          "layer 2 (hidden layer) uses relu activation", "layer 3 (output layer) has 10 units",
          "layer 3 (output layer) uses linear activation"],
         r"expected 3 Dense layers, found 2"),
        ({"use_input": False}, ["input size is 784"], r"keras.Input\(shape=\(784,\)\)"),
        # how it is compiled (the softmax-output case above has from_logits=True)
        ({"loss": SCE()}, ["the loss takes logits (from_logits=True)"],
         r"from_logits is False \(the default\).*stuck near ln 10 = 2.30.*from_logits=True\)"),
        ({"optimizer": keras.optimizers.SGD()},
         ["optimizer is Adam", "learning rate is 0.001"],
         r"got SGD; use optimizer=keras.optimizers.Adam\(learning_rate=0.001\)"),
        ({"optimizer": keras.optimizers.Adam(learning_rate=0.01)}, ["learning rate is 0.001"],
         r"Adam's learning rate is 0.01; use keras.optimizers.Adam\(learning_rate=0.001\)"),
        ({"loss": keras.losses.CategoricalCrossentropy(from_logits=True)},
         ["loss is SparseCategoricalCrossentropy"],
         r"CategoricalCrossentropy, which wants one-hot labels.*SparseCategoricalCrossentropy"),
        ({"loss": "mse"}, ["loss is SparseCategoricalCrossentropy",
                           "the loss takes logits (from_logits=True)"],
         r"got mse; use keras.losses.SparseCategoricalCrossentropy\(from_logits=True\)"),
        ({"optimizer": None}, ["model is compiled"],
         r"not compiled yet: compile it with model.compile\(optimizer=keras.optimizers.Adam\("
         r"learning_rate=0.001\), loss=keras.losses.SparseCategoricalCrossentropy\("
         r"from_logits=True\)\)"),
    ],
    ids=["softmax-output-with-from-logits", "sigmoid-hidden", "16-units", "400-inputs",
         "2-layers", "no-input", "default-loss", "sgd", "adam-0.01", "categorical", "mse",
         "uncompiled"],
)
def test_check_model_names_each_fault(kwargs, failing, hint, capsys):
    checks.check_model(_cm_build(**kwargs))
    out = capsys.readouterr().out
    failed = [line for line in _case_lines(out) if line.startswith("  FAIL")]
    assert sorted(line.split(":")[0].removeprefix("  FAIL  ") for line in failed) == sorted(failing)
    assert re.search(hint, " ".join(failed))
    assert max(len(line) for line in out.splitlines()) <= 80  # wrapped like the other checks


def test_check_model_rejects_a_non_model(capsys):
    checks.check_model("my model")
    out = capsys.readouterr().out
    assert "  FAIL  model is a Keras model: got str" in _case_lines(out)[0]
    assert "0 of 1 checks passed" in out


# --- what every check shares -------------------------------------------------

ALL_SM = {"z = [1", "ten equal", "large scores", "a batch"}
ALL_CE = {"one example", "four equal", "a batch", "confident and right", "confident and wrong"}
SM, CE = checks.check_softmax, checks.check_cross_entropy


@pytest.mark.parametrize(
    ("check", "fn", "failing", "hint"),
    [
        (SM, _sm_naive, {"large scores", "a batch"}, r"overflow.*subtract the largest score"),
        (SM, _sm_wrong_axis, {"a batch"}, r"columns sum to 1, not your rows"),
        (SM, _sm_whole_batch, {"a batch"}, r"whole batch sums to 1"),
        (SM, _sm_global_max, {"a batch"}, r"each row's own maximum"),
        (SM, _sm_forgot_exp, ALL_SM - {"ten equal"}, r"forget the exponential"),
        (SM, _sm_raises, ALL_SM, r"raised NotImplementedError"),
        (SM, _sm_no_return, ALL_SM, r"returned None: did you forget the return statement"),
        (CE, _ce_no_minus, ALL_CE - {"confident and right"}, r"sign is wrong"),
        (CE, _ce_sum, {"a batch"}, r"sum of the losses"),
        (CE, _ce_no_reduction, ALL_CE, r"[Rr]eturn one number"),
        (CE, _ce_column_indexing, {"a batch"}, r"log_p\[np\.arange\(m\), labels\]"),
        (CE, _ce_argmax, {"a batch", "confident and wrong"}, r"predicted class"),
        (CE, _ce_wrong_class, ALL_CE - {"four equal"}, r"wrong class|predicted class"),
        (CE, _ce_log_of_stable_softmax, {"confident and wrong"},
         r"rounded to exactly 0.*log-probabilities"),
        (CE, _ce_naive, {"confident and right", "confident and wrong"}, r"overflow"),
        (CE, _ce_score_only, ALL_CE, r"log\(sum\(exp\(z\)\)\)"),
        (CE, _ce_raises, ALL_CE, r"raised NotImplementedError: write my_cross_entropy"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_each_check_catches_a_wrong_answer(check, fn, failing, hint, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # overflow and log(0) must not leak out as warnings
        check(fn)
    out = capsys.readouterr().out
    lines = _case_lines(out)
    assert f"of {len(lines)} checks passed: fix the failures above" in out
    failed = [line for line in lines if line.startswith("  FAIL")]
    for case in failing:
        assert any(case in line for line in failed), f"case {case!r} should fail:\n{out}"
    assert len(failed) == len(failing), out
    assert all(re.search(hint, line) for line in failed), out  # each says why


@pytest.mark.parametrize("check",
                         [checks.check_relu, checks.check_softmax, checks.check_cross_entropy])
def test_each_check_of_a_function_needs_a_function(check):
    with pytest.raises(TypeError, match="fn must be a function, got ndarray"):
        check(np.array([1.0]))


@pytest.mark.parametrize(
    ("check", "fn", "said", "fix"),
    [(checks.check_softmax, _sm_naive, "overflow encountered in exp",
      "np.max(z, axis=-1, keepdims=True)"),
     (checks.check_cross_entropy, _ce_log_of_stable_softmax, "divide by zero encountered in log",
      "log(sum(exp(s)))")],
    ids=["softmax", "cross_entropy"],
)
def test_a_warning_goes_in_the_fail_line_not_out(check, fn, said, fix, capsys):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check(fn)
    assert caught == []  # nothing leaked as a warning ...
    out = capsys.readouterr().out
    assert said in " ".join(_case_lines(out))  # ... it is in the report instead
    assert fix in out  # the fix, in one piece
    assert max(len(line) for line in out.splitlines()) <= 80  # readable in a notebook


@pytest.mark.parametrize("fn", [lambda z: "not numbers", lambda z: [[1.0], [1.0, 2.0]]],
                         ids=["string", "ragged"])
def test_check_softmax_fails_politely_on_non_numeric_output(fn, capsys):
    checks.check_softmax(fn)
    out = capsys.readouterr().out
    assert out.count("  FAIL  ") == 4 and "expected numbers like" in out


def test_the_runner_passes_arguments_that_are_not_arrays_as_they_are(capsys):
    def steps_per_epoch(m, batch_size):
        assert type(m) is int and type(batch_size) is int
        return math.ceil(m / batch_size)

    cases = [("4000 images, batches of 32", 4000, 32)]
    checks._run("check_steps: your steps", steps_per_epoch, cases,
                lambda m, batch_size: 125, lambda attempt, wrong: None)
    assert "1 of 1 checks passed" in capsys.readouterr().out


def test_passes_gives_the_verdict_without_printing(capsys):
    assert checks.passes(checks.check_softmax, _sm_good_vectorised) is True
    assert checks.passes(checks.check_softmax, _sm_naive) is False
    assert checks.passes(checks.check_relu, np.abs) is False
    assert checks.passes(checks.check_model, _cm_build()) is True
    assert capsys.readouterr().out == ""
