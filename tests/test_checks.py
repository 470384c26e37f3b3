"""Tests of nnbook.checks: each check passes a correct answer and catches wrong ones."""

import functools
import math
import re
import warnings

import numpy as np
import pytest

import scipy.ndimage
import sklearn.metrics

from nnbook import checks, models, scratch
from nnbook.activations import relu_derivative, softmax
from nnbook.losses import sparse_cross_entropy, sparse_cross_entropy_grad


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


# --- check_relu_units --------------------------------------------------------

RU_PIECES = ["on [0, 1]", "on [1, 2]", "on [2, 3]"]


@pytest.mark.parametrize(
    ("w", "b"),
    [([-2, 1, 2], [2, -1, -4]), ([-2.0, 2.0, 1.0], [2.0, -4.0, -1.0]),
     (np.array([-2.0, 1.0, 2.0]), (2, -1, -4))],
    ids=["worked-answer", "units-1-and-2-swapped", "array-and-tuple"],
)
def test_check_relu_units_passes_the_worked_answer(w, b, capsys):
    assert checks.check_relu_units(w, b) is None
    out = capsys.readouterr().out
    assert "3 of 3 checks passed: all passed" in out, out


@pytest.mark.parametrize(
    ("w", "b", "failing", "hint"),
    [
        # relu(-x + 1): on to the left of its kink, the wrong side
        ([-2, -1, 2], [2, 1, -4], RU_PIECES, r"w1 = -1 < 0, so it is on to the LEFT"),
        # unit 2 with the target's slope 3: on [2, 3] units 1 and 2 add up to 4
        ([-2, 1, 3], [2, -1, -6], ["on [2, 3]"], r"slope of your sum here is 4, not 3.*3 - 1 = 2"),
        # the chapter's first guess, relu(3x - 5): its kink at 5/3 is inside [1, 2]
        ([-2, 1, 3], [2, -1, -5], ["on [1, 2]", "on [2, 3]"], r"kink is at x = -b2/w2 = 1\.67"),
        # b1 = +1 puts unit 1's kink at -1: it is on from the start
        ([-2, 1, 2], [2, 1, -4], RU_PIECES, r"kink is at x = -b1/w1 = -1, so it is already on"),
        # slope 2 for unit 1: wrong slope on [1, 2]
        ([-2, 2, 2], [2, -2, -4], ["on [1, 2]", "on [2, 3]"], r"slope of your sum here is \d, not"),
        # unit 0 changed
        ([-1, 1, 2], [1, -1, -4], ["on [0, 1]"], r"unit 0 is given"),
    ],
    ids=["negative-w", "unit-2-slope-3", "kink-at-5/3", "bias-sign", "unit-1-slope-2",
         "unit-0-changed"],
)
def test_check_relu_units_says_which_piece_is_wrong(w, b, failing, hint, capsys):
    checks.check_relu_units(w, b)
    out = capsys.readouterr().out
    failed = [line for line in _case_lines(out) if line.startswith("  FAIL")]
    assert [line[len("  FAIL  "):][:9] for line in failed] == failing, out
    assert all(re.search(hint, line) for line in failed), out
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize(
    ("w", "b", "hint"),
    [([-2.0, ..., ...], [2.0, ..., ...], r"w still has \.\.\. in it"),
     ([1, 2], [-1, -4], r"w has 2 numbers: give all three units, unit 0 first"),
     (None, [2, -1, -4], r"w must be a list of three numbers"),
     ([-2, "one", 2], [2, -1, -4], r"w must hold numbers")],
    ids=["stub", "two-units", "none", "a-string"],
)
def test_check_relu_units_explains_a_malformed_answer(w, b, hint, capsys):
    checks.check_relu_units(w, b)
    out = capsys.readouterr().out
    assert re.search(hint, " ".join(_case_lines(out))) and "0 of 1 checks passed" in out, out


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


# --- check_unroll, check_fold, check_fix_transposed --------------------------


def _unroll_in_place(image):
    image.shape = (-1,)  # reshapes the caller's array
    return image


def _fix_transposed(X):
    return X.reshape(-1, 28, 28).transpose(0, 2, 1).reshape(len(X), 784)


@pytest.mark.parametrize(
    ("check", "fn", "n_cases"),
    [(checks.check_unroll, lambda image: image.reshape(-1), 4),
     (checks.check_unroll, np.ravel, 4),
     (checks.check_unroll, lambda image: image.flatten(), 4),
     (checks.check_fold, lambda row: row.reshape(28, 28), 3),
     (checks.check_fold, lambda row: np.reshape(row, (-1, 28)), 3),
     (checks.check_fix_transposed, _fix_transposed, 3),
     (checks.check_fix_transposed,
      lambda X: np.swapaxes(X.reshape(len(X), 28, 28), 1, 2).reshape(len(X), -1), 3)],
    ids=["reshape", "ravel", "flatten", "fold-reshape", "fold-minus-one", "transpose-0-2-1",
         "swapaxes"],
)
def test_the_data_checks_pass_a_right_answer(check, fn, n_cases, capsys):
    _assert_passes(check, fn, n_cases, capsys)


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


def test_check_model_says_the_notebooks_stub_is_the_stub(capsys):
    checks.check_model(...)  # the model chapter's stub cell: my_model = ...
    out = capsys.readouterr().out
    lines = _case_lines(out)
    assert len(lines) == 1 and "your model is still the stub (my_model = ...)" in lines[0], out
    assert out.rstrip().endswith("0 of 1 checks passed: fix the failures above and run again.")


# --- check_steps_per_epoch, check_choose_learning_rate -----------------------


def _best_validation_rate(runs):
    return max(runs, key=lambda rate: max(runs[rate]["val_accuracy"]))


def _lowest_validation_loss_rate(runs):
    return min(runs, key=lambda rate: min(runs[rate]["val_loss"]))


@pytest.mark.parametrize(
    ("check", "fn", "n_cases"),
    [(checks.check_steps_per_epoch, lambda m, batch_size: math.ceil(m / batch_size), 5),
     (checks.check_steps_per_epoch, lambda m, batch_size: (m + batch_size - 1) // batch_size, 5),
     (checks.check_steps_per_epoch, lambda m, batch_size: -(-m // batch_size), 5),
     (checks.check_choose_learning_rate, _best_validation_rate, 2),
     (checks.check_choose_learning_rate, _lowest_validation_loss_rate, 2)],
    ids=["ceil", "add-then-floor", "negative-floor", "best-val-accuracy", "best-val-loss"],
)
def test_the_training_checks_pass_a_right_answer(check, fn, n_cases, capsys):
    _assert_passes(check, fn, n_cases, capsys)


def test_the_learning_rate_cases_tell_each_wrong_rule_apart():
    """In each case the honest rule and every wrong rule pick four different rates."""
    for _, runs in checks._LR_CASES:
        picks = [_best_validation_rate(runs),
                 max(runs, key=lambda r: max(runs[r]["test_accuracy"])),
                 min(runs, key=lambda r: min(runs[r]["loss"])),
                 max(runs, key=lambda r: runs[r]["val_accuracy"][-1])]
        assert len(set(picks)) == 4, picks
        assert _lowest_validation_loss_rate(runs) == picks[0]


# --- check_predict_digit, check_confusion_matrix -----------------------------


def _pd_good(model, image):
    p = softmax(model.predict(image.reshape(1, 784), verbose=0))
    digit = int(np.argmax(p, axis=1)[0])
    return digit, float(p[0, digit])


def _pd_good_keras_style(model, image):  # the model called directly, the class axis -1
    p = softmax(np.asarray(model(np.reshape(image, (1, -1)))))
    return int(p.argmax(axis=-1)[0]), float(p.max())


def _pd_no_reshape(model, image):
    p = softmax(model.predict(image, verbose=0))
    digit = int(np.argmax(p))
    return digit, float(p.ravel()[digit])


def _pd_probabilities(model, image):
    return softmax(model.predict(image.reshape(1, 784), verbose=0))


def _pd_argmax_axis_0(model, image):
    p = softmax(model.predict(image.reshape(1, 784), verbose=0))
    digit = int(np.argmax(p, axis=0))
    return digit, float(p[0, digit])


def _pd_no_softmax(model, image):
    z = model.predict(image.reshape(1, 784), verbose=0)
    digit = int(np.argmax(z))
    return digit, float(z[0, digit])


def _pd_digit_only(model, image):
    return int(np.argmax(model.predict(image.reshape(1, 784), verbose=0)))


def _pd_first_of_batch(model, image):  # reshape(-1, 784): a batch silently gives row 0's digit
    p = softmax(model.predict(np.reshape(image, (-1, 784)), verbose=0))
    return int(np.argmax(p[0])), float(p[0].max())


def _cf_good(y_true, y_pred):
    counts = np.zeros((10, 10), dtype=int)
    for t, p in zip(y_true, y_pred):
        counts[t, p] += 1
    return counts


def _cf_transposed(y_true, y_pred):
    return _cf_good(y_true, y_pred).T


def _cf_not_counting(y_true, y_pred):  # fancy-index += adds once per distinct pair
    counts = np.zeros((10, 10), dtype=int)
    counts[y_true, y_pred] += 1
    return counts


def _cf_sized_by_the_data(y_true, y_pred):
    k = max(y_true.max(), y_pred.max()) + 1
    counts = np.zeros((k, k), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def _cf_fractions(y_true, y_pred):
    return _cf_good(y_true, y_pred) / len(y_true)


@pytest.mark.parametrize(
    ("check", "fn", "n_cases"),
    [(checks.check_predict_digit, _pd_good, 4),
     (checks.check_predict_digit, _pd_good_keras_style, 4),
     (checks.check_confusion_matrix, _cf_good, 5),
     (checks.check_confusion_matrix,
      lambda y_true, y_pred: sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(10)),
      5)],
    ids=["predict", "call-the-model", "loop", "sklearn"],
)
def test_the_classifier_checks_pass_a_right_answer(check, fn, n_cases, capsys):
    _assert_passes(check, fn, n_cases, capsys)


# --- check_centre_of_mass ------------------------------------------------------


def _com_good(image):
    ink = image.sum()
    return (image.sum(axis=1) @ np.arange(image.shape[0]) / ink,
            image.sum(axis=0) @ np.arange(image.shape[1]) / ink)


def _com_loops(image):
    total = row = col = 0.0
    for i in range(image.shape[0]):
        for j in range(image.shape[1]):
            total, row, col = total + image[i, j], row + i * image[i, j], col + j * image[i, j]
    return row / total, col / total


def _com_axes_mixed(image):
    ink = image.sum()
    return (image.sum(axis=0) @ np.arange(image.shape[0]) / ink,
            image.sum(axis=1) @ np.arange(image.shape[1]) / ink)


def _com_in_place(image):
    image /= image.sum()
    return image.sum(axis=1) @ np.arange(image.shape[0]), image.sum(axis=0) @ np.arange(
        image.shape[1])


@pytest.mark.parametrize("fn", [_com_good, _com_loops, scipy.ndimage.center_of_mass],
                         ids=["sums", "loops", "scipy"])
def test_check_centre_of_mass_passes_a_right_answer(fn, capsys):
    _assert_passes(checks.check_centre_of_mass, fn, 4, capsys)


def test_the_stand_in_model_refuses_what_keras_refuses():
    model = checks._MODEL
    assert model.predict(np.zeros((2, 784))).shape == (2, 10)
    for shape in [(784,), (28, 28), (1, 28, 28), (1, 783)]:
        with pytest.raises(ValueError, match=r"expected shape=\(None, 784\)"):
            model.predict(np.zeros(shape))
    digits = [int(np.argmax(model.predict(image[None]))) for image in checks._IMAGES[:3]]
    assert len(set(digits)) == 3  # three different digits: a fixed answer cannot pass


# --- check_backward ----------------------------------------------------------


def _bw_good(mlp, y, a, z):
    dW, db = {}, {}
    delta = sparse_cross_entropy_grad(y, z[mlp.L])
    for l in range(mlp.L, 0, -1):
        dW[l] = a[l - 1].T @ delta
        db[l] = delta.sum(axis=0)
        if l > 1:
            delta = (delta @ mlp.W[l].T) * relu_derivative(z[l - 1])
    return dW, db


def _bw_no_relu_derivative(mlp, y, a, z):
    dW, db = {}, {}
    delta = sparse_cross_entropy_grad(y, z[mlp.L])
    for l in range(mlp.L, 0, -1):
        dW[l], db[l] = a[l - 1].T @ delta, delta.sum(axis=0)
        if l > 1:
            delta = delta @ mlp.W[l].T
    return dW, db


def _bw_no_mean(mlp, y, a, z):
    dW, db = _bw_good(mlp, y, a, z)
    return ({l: g * len(y) for l, g in dW.items()}, {l: g * len(y) for l, g in db.items()})


def _bw_transposed(mlp, y, a, z):
    dW, db = _bw_good(mlp, y, a, z)
    return {l: g.T for l, g in dW.items()}, db


def _bw_bias_not_summed(mlp, y, a, z):
    dW, db = _bw_good(mlp, y, a, z)
    return dW, {l: np.tile(g, (len(y), 1)) / len(y) for l, g in db.items()}


def _bw_logits(mlp, y, a, z):  # the output delta from the logits, not the probabilities
    dW, db = {}, {}
    delta = (z[mlp.L] - np.eye(z[mlp.L].shape[1])[y]) / len(y)
    for l in range(mlp.L, 0, -1):
        dW[l], db[l] = a[l - 1].T @ delta, delta.sum(axis=0)
        if l > 1:
            delta = (delta @ mlp.W[l].T) * relu_derivative(z[l - 1])
    return dW, db


def _bw_lists(mlp, y, a, z):  # lists indexed from 0, not dicts keyed by the layer
    dW, db = _bw_good(mlp, y, a, z)
    return [dW[l] for l in sorted(dW)], [db[l] for l in sorted(db)]


def _adam(theta, g, m, v, t, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
          mistake=None):
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g ** 2
    alpha = learning_rate * math.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    if mistake == "no bias correction":
        alpha = learning_rate
    if mistake == "paper":
        m_hat, v_hat = m / (1 - beta_1 ** t), v / (1 - beta_2 ** t)
        return theta - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v
    root = np.sqrt(v + epsilon) if mistake == "epsilon inside" else np.sqrt(v) + epsilon
    if mistake == "corrected moments kept":
        return theta - alpha * m / root, m / (1 - beta_1 ** t), v / (1 - beta_2 ** t)
    return theta - alpha * m / root, m, v


def _adam_with_the_package(theta, g, m, v, t):
    adam = scratch.Adam()
    adam.t, adam.m, adam.v, theta = t - 1, [m.copy()], [v.copy()], theta.copy()
    adam.update([theta], [g])
    return theta, adam.m[0], adam.v[0]


def _adam_swapped_betas(theta, g, m, v, t):
    return _adam(theta, g, m, v, t, beta_1=0.1, beta_2=0.001)  # and the rate's correction too


def _adam_theta_only(theta, g, m, v, t):
    return _adam(theta, g, m, v, t)[0]


@pytest.mark.parametrize("fn", [_adam, _adam_with_the_package], ids=["by-hand", "the-package"])
def test_check_adam_update_passes_keras_adam(fn, capsys):
    _assert_passes(checks.check_adam_update, fn, 4, capsys)


@pytest.mark.parametrize("fn", [_bw_good, lambda mlp, y, a, z: mlp.backward(y, a, z)],
                         ids=["by-hand", "the-package"])
def test_check_backward_passes_a_right_backward_pass(fn, capsys):
    _assert_passes(checks.check_backward, fn, 4, capsys)


# --- what every check shares -------------------------------------------------

ALL_SM = {"z = [1", "ten equal", "large scores", "a batch"}
ALL_CE = {"one example", "four equal", "a batch", "confident and right", "confident and wrong"}
SM, CE = checks.check_softmax, checks.check_cross_entropy
UNROLL, FOLD, UNTRANSPOSE = checks.check_unroll, checks.check_fold, checks.check_fix_transposed
ALL_UNROLL, ALL_FOLD = {"a 2 x 3", "a 3 x 2", "a 28 x 28"}, {"the row 0", "a row of a digit"}
ALL_TR = {"one image", "three images"}
STEPS, RATE = checks.check_steps_per_epoch, checks.check_choose_learning_rate
ALL_RATE = {"four rates", "the same curves"}
DIGIT, CONFUSION = checks.check_predict_digit, checks.check_confusion_matrix
ALL_DIGIT = {"one image as a row", "another image", "a third image", "a batch"}
ALL_CF = {"five examples", "a 7 read", "the same mistake", "only the digits", "200"}
COM = checks.check_centre_of_mass
ALL_COM = {"one pixel", "ink 1 at column 0", "a grey ring"}
BACKWARD, ALL_BW = checks.check_backward, {"dW[3]", "dW[2]", "dW[1]", "step"}
ADAM, ALL_ADAM = checks.check_adam_update, {"step 1", "step 2", "step 10", "tiny gradients"}


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
        (UNROLL, lambda image: image.ravel(order="F"), ALL_UNROLL, r"column by column"),
        (UNROLL, lambda image: image.reshape(1, -1), ALL_UNROLL, r"is a batch of one"),
        (UNROLL, lambda image: image.reshape(-1, 1), ALL_UNROLL, r"is a column"),
        (UNROLL, lambda image: image, ALL_UNROLL, r"still the image"),
        (UNROLL, lambda image: image[0], ALL_UNROLL, r"Only \d+ of the \d+ pixels"),
        (UNROLL, _unroll_in_place, {"the image is left unchanged"}, r"changed its input"),
        (FOLD, lambda row: row.reshape(28, 28).T, ALL_FOLD, r"transposed"),
        (FOLD, lambda row: row.reshape(784, 1), ALL_FOLD, r"still the row of pixels"),
        (FOLD, lambda row: row, ALL_FOLD, r"still the row of pixels"),
        (FOLD, lambda row: row.reshape(14, 56), ALL_FOLD, r"A grid of 14 x 56"),
        (UNTRANSPOSE, lambda X: X.T, ALL_TR, r"X\.T turns the whole table"),
        (UNTRANSPOSE, lambda X: X.reshape(-1, 28, 28).T.reshape(-1, 784), {"three images"},
         r"reverses all three axes"),
        (UNTRANSPOSE, lambda X: X.reshape(28, 28).T.reshape(1, 784),
         {"three images", "X is left unchanged"}, r"raised ValueError: cannot reshape"),
        (UNTRANSPOSE, lambda X: X.copy(), ALL_TR, r"rows are unchanged"),
        (UNTRANSPOSE, lambda X: X.reshape(-1, 28, 28).transpose(0, 2, 1), ALL_TR,
         r"These are the images"),
        (STEPS, lambda m, batch_size: m // batch_size, {"5,000", "1,000", "50 images"},
         r"leaves the last \d+ images out"),
        (STEPS, lambda m, batch_size: round(m / batch_size), {"5,000"}, r"leaves the last 8"),
        (STEPS, lambda m, batch_size: m // batch_size + 1, {"4,000", "64 images in"},
         r"no partial batch here"),
        (STEPS, lambda m, batch_size: m / batch_size, {"5,000", "1,000", "50 images"},
         r"not a number of steps"),
        (RATE, lambda runs: max(runs, key=lambda r: max(runs[r]["test_accuracy"])), ALL_RATE,
         r"by the test accuracy"),
        (RATE, lambda runs: max(runs, key=lambda r: runs[r]["test_accuracy"][-1]), ALL_RATE,
         r"by the test accuracy"),
        (RATE, lambda runs: min(runs, key=lambda r: runs[r]["loss"][-1]), ALL_RATE,
         r"by the training set"),
        (RATE, lambda runs: max(runs, key=lambda r: max(runs[r]["accuracy"])), ALL_RATE,
         r"by the training set"),
        (RATE, lambda runs: max(runs, key=lambda r: runs[r]["val_accuracy"][-1]), ALL_RATE,
         r"at the last epoch.*best epoch"),
        (RATE, lambda runs: 0.5, ALL_RATE, r"one of the rates tried"),
        (DIGIT, _pd_no_reshape, ALL_DIGIT, r"image\.reshape\(1, 784\)"),
        (DIGIT, _pd_probabilities, ALL_DIGIT - {"a batch"}, r"These are 10 numbers"),
        (DIGIT, _pd_argmax_axis_0, ALL_DIGIT - {"a batch"}, r"axis=1 \(or -1\)"),
        (DIGIT, _pd_no_softmax, ALL_DIGIT - {"a batch"}, r"logit, not a probability"),
        (DIGIT, _pd_digit_only, ALL_DIGIT - {"a batch"}, r"Return two things"),
        (DIGIT, _pd_first_of_batch, {"a batch"}, r"One digit cannot answer for 3 images"),
        (CONFUSION, _cf_transposed, ALL_CF - {"five examples"}, r"Rows and columns are swapped"),
        (CONFUSION, _cf_not_counting, {"five examples", "the same mistake", "200"},
         r"Each cell holds 1.*np\.add\.at"),
        (CONFUSION, _cf_sized_by_the_data, ALL_CF - {"the same mistake", "200"},
         r"The matrix is 10 x 10"),
        (CONFUSION, _cf_fractions, ALL_CF, r"These are fractions"),
        (COM, lambda image: _com_good(image)[::-1], ALL_COM, r"These are \(column, row\)"),
        (COM, lambda image: np.add(_com_good(image), 1), ALL_COM, r"Each is 1 too large"),
        (COM, lambda image: np.multiply(_com_good(image), image.sum()), ALL_COM - {"one pixel"},
         r"Divide by the total ink"),
        (COM, lambda image: np.nonzero(image)[0].mean(), ALL_COM, r"Return two numbers"),
        (COM, lambda image: [ix.mean() for ix in np.nonzero(image)], {"ink 1 at column 0"},
         r"Every pixel with ink counts the same"),
        (COM, lambda image: np.subtract(image.shape, 1) / 2, ALL_COM,
         r"the centre of the image, not of its ink"),
        (COM, _com_axes_mixed, ALL_COM, r"ink in each row|These are \(column, row\)"),
        (COM, _com_in_place, {"the image is left unchanged"}, r"changed its input"),
        (BACKWARD, _bw_no_relu_derivative, {"dW[2]", "dW[1]", "step"},
         r"miss the ReLU's derivative|fix the lines above"),
        (BACKWARD, _bw_no_mean, ALL_BW, r"m = 8 times too large|fix the lines above"),
        (BACKWARD, _bw_transposed, ALL_BW, r"the transpose of W\[\d\]'s|shapes are not"),
        (BACKWARD, _bw_bias_not_summed, ALL_BW, r"delta\.sum\(axis=0\)|shapes are not"),
        (BACKWARD, _bw_logits, ALL_BW, r"starts from the logits|fix the lines above"),
        (BACKWARD, _bw_lists, ALL_BW, r"two dicts keyed by the layer number"),
        (ADAM, functools.partial(_adam, mistake="no bias correction"), ALL_ADAM,
         r"no bias correction"),
        (ADAM, functools.partial(_adam, mistake="epsilon inside"), ALL_ADAM - {"step 10"},
         r"epsilon is inside the square root"),
        (ADAM, functools.partial(_adam, mistake="paper"), {"tiny gradients"},
         r"the paper's form.*sqrt\(v\) is near epsilon"),
        (ADAM, functools.partial(_adam, mistake="corrected moments kept"), ALL_ADAM,
         r"returned the bias-corrected moments"),
        (ADAM, _adam_theta_only, ALL_ADAM, r"return theta, m, v"),
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


FUNCTION_CHECKS = [checks.check_relu, checks.check_softmax, checks.check_cross_entropy,
                   checks.check_unroll, checks.check_fold, checks.check_fix_transposed,
                   checks.check_steps_per_epoch, checks.check_choose_learning_rate,
                   checks.check_predict_digit, checks.check_confusion_matrix,
                   checks.check_centre_of_mass, checks.check_backward, checks.check_adam_update]


@pytest.mark.parametrize("check", FUNCTION_CHECKS, ids=lambda c: c.__name__)
def test_each_check_of_a_function_needs_a_function(check):
    with pytest.raises(TypeError, match="fn must be a function, got ndarray"):
        check(np.array([1.0]))


def _stub(*args):
    ...  # your code here


def _stub_with_docstring_and_pass(*args):
    """What the reader should write."""
    pass


@pytest.mark.parametrize("check", FUNCTION_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("stub", [_stub, _stub_with_docstring_and_pass], ids=["dots", "pass"])
def test_an_untouched_stub_gets_one_line_not_a_fail_per_case(check, stub, capsys):
    check(stub)
    out = capsys.readouterr().out
    lines = _case_lines(out)
    assert len(lines) == 1 and f"{stub.__name__} is still the stub" in lines[0], out
    assert out.rstrip().endswith("0 of 1 checks passed: fix the failures above and run again.")


def test_only_a_body_that_does_nothing_is_a_stub():
    assert checks._is_stub(_stub) and checks._is_stub(_stub_with_docstring_and_pass)
    for fn in (_sm_no_return, _sm_raises, lambda z: z, np.maximum, checks.check_relu):
        assert not checks._is_stub(fn), fn


def test_a_case_can_expect_an_error(capsys):
    cases = [("one number", 4.0), ("a list, by mistake", [4.0, 9.0])]

    def reference(x):
        return ValueError if isinstance(x, list) else 2.0

    def answer(x):
        if isinstance(x, list):
            raise ValueError("one number at a time")
        return x ** 0.5

    checks._run("check_root: your root", answer, cases, reference, lambda attempt, wrong: None)
    assert "2 of 2 checks passed" in capsys.readouterr().out
    checks._run("check_root: your root", lambda x: 2.0, cases, reference,
                lambda attempt, wrong: wrong + " (hint)")
    out = capsys.readouterr().out
    assert "FAIL  a list, by mistake:" in out
    assert "expected an error (ValueError), got 2.0 (hint)" in out
    checks._run("check_root: your root", lambda x: 1 / 0, cases[1:], reference,
                lambda attempt, wrong: None)
    assert "raised ZeroDivisionError" in capsys.readouterr().out  # the wrong error fails


def test_a_large_array_is_named_by_its_first_wrong_entry_not_printed():
    expected = np.arange(784.0).reshape(28, 28)
    wrong = expected.copy()
    wrong[3, 5] = -1.0
    said = checks._compare(wrong, expected, 0)
    assert said == "1 of the 784 entries is wrong; the first, at index [3, 5], should be 89, not -1"
    assert len(checks._compare("x" * 500, expected, 0)) < 80


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


# --- check_conv_layer (the CNN chapter) ----------------------------------------------


def _conv_right(h, w, c, f, k, padding):
    if padding == "valid":
        h, w = h - k + 1, w - k + 1
    return h, w, f, (k * k * c + 1) * f


def _conv_keras(h, w, c, f, k, padding):
    """The answer read off a Keras layer: what the check's cases must agree with."""
    layer = models.keras.layers.Conv2D(f, k, padding=padding)
    layer.build((None, h, w, c))
    _, out_h, out_w, out_c = layer.compute_output_shape((None, h, w, c))
    return out_h, out_w, out_c, layer.count_params()


def _conv_with(size=None, channels=None, params=None):
    """A right answer with one part replaced: ``size(h, w, k, padding)`` and so on."""
    def fn(h, w, c, f, k, padding):
        out_h, out_w, out_c, n = _conv_right(h, w, c, f, k, padding)
        if size is not None:
            out_h, out_w = size(h, w, k, padding)
        return (out_h, out_w, out_c if channels is None else channels(c, f),
                n if params is None else params(h, w, c, f, k))
    return fn


ALL_CONV = {"first layer", "second layer", "same padding", "LeNet-5", "wide colour", "1 x 1"}


@pytest.mark.parametrize("fn", [_conv_right, _conv_keras], ids=["formula", "keras"])
def test_check_conv_layer_passes_a_right_answer(fn, capsys):
    _assert_passes(checks.check_conv_layer, fn, 6, capsys)


@pytest.mark.parametrize(
    ("fn", "failing", "hint"),
    [
        (_conv_with(params=lambda h, w, c, f, k: k * k * c * f), ALL_CONV, r"one bias"),
        (_conv_with(params=lambda h, w, c, f, k: (k * k + 1) * f),
         ALL_CONV - {"first layer", "LeNet-5"}, r"spans all \d+ channels"),
        (_conv_with(params=lambda h, w, c, f, k: k * k * c * f + 1), ALL_CONV,
         r"One bias per filter, not one for the whole layer"),
        (_conv_with(params=lambda h, w, c, f, k: (k * k * f + 1) * c),
         ALL_CONV - {"second layer"}, r"are swapped|One bias per filter"),  # the same if C = 1
        (_conv_with(size=lambda h, w, k, padding: (h, w)), ALL_CONV - {"same padding", "1 x 1"},
         r"adds nothing around the image"),
        (_conv_with(size=lambda h, w, k, padding: (h - k, w - k)),
         ALL_CONV - {"same padding", "1 x 1"} | {"same padding", "1 x 1"},
         r"One too few|n for 'same'"),
        (_conv_with(size=lambda h, w, k, padding: (h - k + 1, w - k + 1)),
         {"same padding"}, r"keeps the input's height and width"),
        (_conv_with(size=lambda h, w, k, padding: (w - k + 1, h - k + 1)
                    if padding == "valid" else (w, h)), {"wide colour"}, r"swapped"),
        (_conv_with(channels=lambda c, f: c), ALL_CONV - {"second layer"},
         r"one channel per filter"),
        (lambda h, w, c, f, k, padding: (h - k + 1, f, (k * k * c + 1) * f), ALL_CONV,
         r"Return four numbers"),
    ],
    ids=["no-bias", "no-channels", "one-bias", "swapped-c-f", "valid-keeps-size", "n-minus-k",
         "same-shrinks", "swapped-h-w", "channels-in", "three-numbers"],
)
def test_check_conv_layer_says_what_is_wrong(fn, failing, hint, capsys):
    checks.check_conv_layer(fn)
    out = capsys.readouterr().out
    failed = [line for line in _case_lines(out) if line.startswith("  FAIL")]
    for case in failing:
        assert any(case in line for line in failed), f"case {case!r} should fail:\n{out}"
    assert len(failed) == len(failing), out
    assert all(re.search(hint, line) for line in failed), out


def test_check_conv_layer_stub_and_non_function(capsys):
    def my_conv_layer(height, width, channels, filters, kernel_size, padding):
        ...  # your code here

    checks.check_conv_layer(my_conv_layer)
    assert "my_conv_layer is still the stub" in capsys.readouterr().out
    with pytest.raises(TypeError, match="fn must be a function"):
        checks.check_conv_layer((26, 26, 16, 160))
