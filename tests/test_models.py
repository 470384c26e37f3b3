"""Tests of nnbook.models against Keras itself, scikit-learn and hand counts.

The models trained here are small or trained for few epochs, so the whole file
runs in well under a minute on two cores (TensorFlow's import aside).
"""

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sk_confusion_matrix

from nnbook import activations, data, models

keras = models.keras


@pytest.fixture(scope="module")
def split():
    X, y = data.load_mnist_subset()
    return data.train_test_split(X, y, test_size=1000, seed=0)


@pytest.fixture(scope="module")
def small(split):
    """600 training images, enough for quick checks that need a trained model."""
    X_train, _, y_train, _ = split
    return X_train[:600], y_train[:600]


@pytest.fixture(scope="module")
def trained_course(split):
    """The course network after 15 epochs on the 4,000 training images."""
    X_train, X_test, y_train, y_test = split
    model = models.build_mlp(seed=0)
    history = models.train(model, X_train, y_train, epochs=15, batch_size=32, seed=0)
    return model, history


# ---------------------------------------------------------------- building


def test_build_mlp_architecture():
    model = models.build_mlp()
    assert isinstance(model, keras.Sequential)
    assert model.input_shape == (None, 784)
    assert [layer.name for layer in model.layers] == ["L1", "L2", "L3"]
    assert [layer.units for layer in model.layers] == [25, 15, 10]
    assert [layer.activation.__name__ for layer in model.layers] == ["relu", "relu", "linear"]
    assert isinstance(model.loss, keras.losses.SparseCategoricalCrossentropy)
    assert model.loss.get_config()["from_logits"] is True
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert model.optimizer.learning_rate.numpy() == pytest.approx(1e-3)


def test_parameter_counts_by_hand_match_keras():
    model = models.build_mlp()
    counts = models.count_parameters((784, 25, 15, 10))
    assert counts == [19_625, 390, 160]
    assert [layer.count_params() for layer in model.layers] == counts
    assert model.count_params() == sum(counts) == 20_175
    text = models.summary_text(model)
    assert "20,175" in text and "19,625" in text
    assert "\x1b[" not in text  # no terminal colour codes


def test_build_mlp_options():
    model = models.build_mlp(hidden_units=(8,), n_classes=3, input_dim=5, learning_rate=0.01)
    assert model.input_shape == (None, 5) and model.output_shape == (None, 3)
    assert model.optimizer.learning_rate.numpy() == pytest.approx(0.01)
    improved = models.build_improved_mlp()
    kinds = [type(layer).__name__ for layer in improved.layers]
    assert kinds == ["Dense", "Dropout", "Dense", "Dropout", "Dense"]
    assert improved.layers[-1].activation.__name__ == "linear"


def test_same_seed_same_initial_weights_other_seed_different():
    a, b, c = models.build_mlp(seed=3), models.build_mlp(seed=3), models.build_mlp(seed=4)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


# ---------------------------------------------------------------- forward pass


def test_numpy_forward_equals_keras_untrained(split):
    X_test = split[1]
    model = models.build_mlp(seed=1)
    # the docstring's promise for an untrained model (measured: about 3e-7)
    np.testing.assert_allclose(
        models.numpy_forward(model, X_test), models.logits(model, X_test), rtol=0, atol=1e-6
    )


def test_numpy_forward_equals_keras_trained(trained_course, split):
    model, _ = trained_course
    X_test = split[1]
    z_keras = model.predict(X_test, verbose=0)
    # Keras computes in float32: its rounding error grows with the size of the
    # logits (about 7e-6 here, with logits up to 20), hence the small relative part.
    np.testing.assert_allclose(models.numpy_forward(model, X_test), z_keras, rtol=1e-6, atol=1e-5)


def test_numpy_forward_skips_dropout(small):
    X, _ = small
    model = models.build_improved_mlp(seed=0)
    np.testing.assert_allclose(
        models.numpy_forward(model, X[:50]), models.logits(model, X[:50]), rtol=0, atol=1e-6
    )


def test_predict_proba_and_labels(trained_course, split):
    model, _ = trained_course
    X_test = split[1][:200]
    z = models.logits(model, X_test)
    p = models.predict_proba(model, X_test)
    np.testing.assert_allclose(p, activations.softmax(z, axis=1), rtol=0, atol=1e-7)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(p, keras.ops.softmax(z, axis=-1), rtol=0, atol=1e-6)
    labels = models.predict_labels(model, X_test)
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(labels, np.argmax(p, axis=1))


# ---------------------------------------------------------------- training and accuracy


def test_history_and_accuracy_threshold(trained_course, split):
    model, history = trained_course
    _, X_test, _, y_test = split
    assert len(history.history["loss"]) == 15
    assert history.steps_per_epoch == 125  # 4,000 images / 32 per batch
    assert history.history["loss"][-1] < history.history["loss"][0]
    result = models.evaluate(model, X_test, y_test)
    assert result["accuracy"] >= 0.90  # 15 epochs; 40 epochs reach >= 0.91 (benchmarks/)
    # Keras' own accuracy on the same data agrees
    _, keras_accuracy = model.evaluate(X_test, y_test, verbose=0)
    assert result["accuracy"] == pytest.approx(keras_accuracy, abs=1e-6)


def test_improved_mlp_accuracy_threshold(split):
    X_train, X_test, y_train, y_test = split
    model = models.build_improved_mlp(seed=0)
    models.train(model, X_train, y_train, epochs=10, batch_size=32, seed=0)
    assert models.evaluate(model, X_test, y_test)["accuracy"] >= 0.93  # 10 of its 30 epochs


def test_seeded_runs_give_identical_weights(small):
    X, y = small
    runs = []
    for _ in range(2):
        model = models.build_mlp(seed=0)
        history = models.train(model, X, y, epochs=2, batch_size=64, seed=0)
        runs.append((model.get_weights(), history.history["loss"]))
    for wa, wb in zip(runs[0][0], runs[1][0]):
        np.testing.assert_array_equal(wa, wb)
    assert runs[0][1] == runs[1][1]


def test_validation_and_early_stopping(small, split):
    X, y = small
    X_val, y_val = split[1][:300], split[3][:300]
    model = models.build_mlp(seed=0, learning_rate=0.01)  # overfits 600 images quickly
    history = models.train(model, X, y, epochs=30, batch_size=32,
                           validation_data=(X_val, y_val), patience=2)
    h = history.history
    assert {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(h)
    assert len(h["loss"]) < 30  # stopped early
    # the best epoch's weights were restored
    best = min(h["val_loss"])
    loss, _ = model.evaluate(X_val, y_val, verbose=0)
    assert loss == pytest.approx(best, rel=1e-4)


def test_train_report_prints_a_short_summary(small, capsys):
    X, y = small
    models.train(models.build_mlp(), X[:100], y[:100], epochs=1, batch_size=50, report=True)
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 2 and out[0].startswith("1 epochs x 2 steps in")
    assert out[1].startswith("  training:   loss")
    models.train(models.build_mlp(), X[:100], y[:100], epochs=1, batch_size=50,
                 validation_data=(X[100:150], y[100:150]), report=True)
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 3 and out[2].startswith("  validation: loss")
    models.train(models.build_mlp(), X[:100], y[:100], epochs=1)
    assert capsys.readouterr().out == ""  # silent by default: no Keras progress lines


# ---------------------------------------------------------------- evaluation


def test_confusion_matrix_equals_sklearn():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    np.testing.assert_array_equal(
        models.confusion_matrix(y_true, y_pred), sk_confusion_matrix(y_true, y_pred, labels=range(10))
    )


def test_evaluate_consistent(trained_course, split):
    model, _ = trained_course
    _, X_test, _, y_test = split
    result = models.evaluate(model, X_test, y_test)
    cm = result["confusion_matrix"]
    assert cm.shape == (10, 10) and cm.sum() == 1000 == result["n"]
    np.testing.assert_array_equal(cm.sum(axis=1), np.bincount(y_test))
    assert result["accuracy"] == pytest.approx(np.trace(cm) / 1000)
    np.testing.assert_allclose(result["per_class_accuracy"], np.diag(cm) / cm.sum(axis=1))
    np.testing.assert_array_equal(result["predictions"], models.predict_labels(model, X_test))


# ---------------------------------------------------------------- save and load


def test_save_load_round_trip(trained_course, split, tmp_path):
    model, _ = trained_course
    X_test = split[1]
    path = models.save_model(model, tmp_path / "course.keras")
    assert path.is_file()
    loaded = models.load_model(path)
    np.testing.assert_array_equal(models.logits(loaded, X_test), models.logits(model, X_test))
    for wa, wb in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    assert loaded.loss.get_config()["from_logits"] is True


def test_save_load_bad_paths(tmp_path):
    model = models.build_mlp()
    with pytest.raises(ValueError, match="path must end in .keras"):
        models.save_model(model, tmp_path / "model.h5")
    with pytest.raises(TypeError, match="path"):
        models.save_model(model, 3)
    with pytest.raises(FileNotFoundError, match="path"):
        models.load_model(tmp_path / "missing.keras")
    with pytest.raises(TypeError, match="model"):
        models.save_model("not a model", tmp_path / "x.keras")


# ---------------------------------------------------------------- bad input


@pytest.fixture(scope="module")
def fresh_model():
    return models.build_mlp()


@pytest.mark.parametrize(
    "X, y, kwargs, error, match",
    [
        (np.zeros((4, 400)), [0, 1, 2, 3], {}, ValueError, "X has 400 columns"),
        (np.zeros(784), [0], {}, ValueError, "X must be 2-D"),
        (np.zeros((0, 784)), np.zeros(0, int), {}, ValueError, "X is empty"),
        (np.zeros((4, 784)), [0, 1, 2, 10], {}, ValueError, "y must be in 0..9"),
        (np.zeros((4, 784)), [0, 1, 2, -1], {}, ValueError, "y must be in 0..9"),
        (np.zeros((4, 784)), [0, 1, 2], {}, ValueError, "X and y must have the same length"),
        (np.zeros((4, 784)), [0.5, 1, 2, 3], {}, TypeError, "y must hold integer"),
        (np.full((2, 784), np.nan), [0, 1], {}, ValueError, "X holds NaN"),
        (np.array([["a"] * 784]), [0], {}, TypeError, "X must be a numeric"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"epochs": 0}, ValueError, "epochs must be a positive"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"epochs": 2.5}, TypeError, "epochs must be a positive"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"batch_size": -32}, ValueError, "batch_size"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"patience": 3}, ValueError, "patience"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"validation_data": np.zeros(3)}, TypeError,
         "validation_data"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"validation_data": (np.zeros((2, 10)), [0, 1])},
         ValueError, "X_val has 10 columns"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"validation_data": (np.zeros((2, 784)), [0, 11])},
         ValueError, "y_val must be in 0..9"),
    ],
)
def test_train_rejects_bad_input_before_training(fresh_model, X, y, kwargs, error, match):
    before = [w.copy() for w in fresh_model.get_weights()]
    with pytest.raises(error, match=match):
        models.train(fresh_model, X, y, **kwargs)
    for wa, wb in zip(before, fresh_model.get_weights()):  # nothing was trained
        np.testing.assert_array_equal(wa, wb)


def test_train_rejects_uncompiled_or_unbuilt_model():
    uncompiled = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(10)])
    with pytest.raises(ValueError, match="model must be compiled"):
        models.train(uncompiled, np.zeros((2, 784)), [0, 1])
    unbuilt = keras.Sequential([keras.layers.Dense(10)])
    with pytest.raises(ValueError, match="model has no input shape"):
        models.logits(unbuilt, np.zeros((2, 784)))


def test_train_rejects_non_model():
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        models.train("mlp", np.zeros((2, 784)), [0, 1])


@pytest.mark.parametrize("fn", [models.logits, models.predict_proba, models.predict_labels,
                                models.numpy_forward])
def test_predict_functions_reject_wrong_width(fresh_model, fn):
    with pytest.raises(ValueError, match="X has 28 columns"):
        fn(fresh_model, np.zeros((3, 28)))
    with pytest.raises(ValueError, match="X is empty"):
        fn(fresh_model, np.zeros((0, 784)))


def test_evaluate_rejects_bad_labels(fresh_model):
    with pytest.raises(ValueError, match="y must be in 0..9"):
        models.evaluate(fresh_model, np.zeros((2, 784)), [3, 12])
    with pytest.raises(ValueError, match="X and y must have the same length"):
        models.evaluate(fresh_model, np.zeros((2, 784)), [3])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"hidden_units": (25, 0)}, ValueError, r"hidden_units\[1\]"),
        ({"hidden_units": 25}, TypeError, "hidden_units must be a sequence"),
        ({"n_classes": 0}, ValueError, "n_classes"),
        ({"input_dim": "784"}, TypeError, "input_dim"),
        ({"learning_rate": 0}, ValueError, "learning_rate"),
        ({"learning_rate": "fast"}, TypeError, "learning_rate"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"dropout": 1.0}, ValueError, "dropout"),
        ({"dropout": "0.3"}, TypeError, "dropout must be a real number"),
        ({"hidden_units": (25, 2.5)}, TypeError, r"hidden_units\[1\] must be a positive int"),
    ],
)
def test_build_mlp_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        models.build_mlp(**kwargs)


def test_confusion_matrix_and_count_parameters_reject_bad_input():
    with pytest.raises(ValueError, match="y_pred must be in 0..2"):
        models.confusion_matrix([0, 1], [0, 3], n_classes=3)
    with pytest.raises(ValueError, match="same length"):
        models.confusion_matrix([0, 1], [0], n_classes=3)
    with pytest.raises(ValueError, match="layer_sizes needs at least 2 sizes"):
        models.count_parameters((784,))
    with pytest.raises(ValueError, match=r"layer_sizes\[1\] must be a positive int"):
        models.count_parameters((784, 0, 10))
    with pytest.raises(TypeError, match="layer_sizes must be a sequence"):
        models.count_parameters(784)
