"""Tests of nnbook.models against Keras itself, scikit-learn and hand counts.

The models trained here are small or trained for one or two epochs: the book's
build trains them to full length and asserts the accuracies the chapters claim,
and benchmarks/train_models.py measures them.
"""

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sk_confusion_matrix
from sklearn.metrics import recall_score

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
    """The course network after 2 epochs on the 4,000 training images."""
    X_train, X_test, y_train, y_test = split
    model = models.build_mlp(seed=0)
    history = models.train(model, X_train, y_train, epochs=2, batch_size=32, seed=0)
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
    lines = models.summary_text(model).splitlines()
    assert lines[2].split() == ["L1", "Dense", "(None,", "25)", "19,625"]
    assert lines[-1].split() == ["total", "20,175"]


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
    # logits, hence the small relative part.
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


def test_training_learns(trained_course, split):
    model, history = trained_course
    _, X_test, _, y_test = split
    assert len(history.history["loss"]) == 2
    assert history.steps_per_epoch == 125  # 4,000 images / 32 per batch
    assert history.history["loss"][1] < history.history["loss"][0]
    result = models.evaluate(model, X_test, y_test)
    assert result["accuracy"] > 0.5  # chance is 0.1
    _, keras_accuracy = model.evaluate(X_test, y_test, verbose=0)
    assert result["accuracy"] == pytest.approx(keras_accuracy, abs=1e-6)


def test_improved_mlp_learns(split):
    X_train, X_test, y_train, y_test = split
    model = models.build_improved_mlp(seed=0)
    assert [layer.name for layer in model.layers] == ["L1", "dropout1", "L2", "dropout2", "L3"]
    assert [layer.units for layer in models.dense_layers(model)] == [256, 128, 10]
    assert model.get_layer("dropout1").rate == 0.3
    models.train(model, X_train, y_train, epochs=1, batch_size=32, seed=0)
    assert models.evaluate(model, X_test, y_test)["accuracy"] > 0.5


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


def test_steps_per_execution_gives_the_same_weights_as_one_step_per_call(small):
    X, y = small  # 600 images: 18 full batches of 32 and a short one of 24
    runs = []
    for steps_per_execution in (1, None):  # None: as build_mlp compiles it
        model = models.build_mlp(seed=0, dropout=0.2)
        if steps_per_execution:
            model.compile(optimizer=model.optimizer, loss=model.loss, metrics=["accuracy"],
                          steps_per_execution=steps_per_execution)
        history = models.train(model, X, y, epochs=2, batch_size=32, seed=0,
                               validation_data=(X[:100], y[:100]))
        runs.append((model, history.history))
    (one, h_one), (many, h_many) = runs
    assert many.steps_per_execution > 1 and h_one == h_many
    for wa, wb in zip(one.get_weights(), many.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    np.testing.assert_array_equal(one.predict(X[:1], verbose=0), many.predict(X[:1], verbose=0))


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


def _tf_gradient(model, X, y):
    """The gradient of the model's compiled loss on (X, y), all parameters in one vector."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = model.loss(y, model(X.astype(np.float32), training=False))
    grads = tape.gradient(loss, model.trainable_variables)
    return np.concatenate([np.ravel(g) for g in grads]).astype(np.float64)


def test_minibatch_gradient_cosines_equal_tensorflows(trained_course, small):
    model, _ = trained_course
    X, y = small
    before = [w.copy() for w in model.get_weights()]
    result = models.minibatch_gradient_cosines(model, X, y, batch_size=32, n_batches=5, seed=3)
    full = _tf_gradient(model, X, y)
    rng = np.random.default_rng(3)  # the same draws as the function's
    for cos in result["cosines"]:
        rows = rng.choice(len(X), 32, replace=False)
        g = _tf_gradient(model, X[rows], y[rows])
        assert cos == pytest.approx(g @ full / np.linalg.norm(g) / np.linalg.norm(full),
                                    abs=1e-4)
    for wa, wb in zip(before, model.get_weights()):  # the model is not changed
        np.testing.assert_array_equal(wa, wb)


def test_minibatch_gradients_are_right_on_average(small):
    X, y = small
    model = models.build_mlp(seed=0)
    whole = models.minibatch_gradient_cosines(model, X, y, batch_size=len(X), n_batches=2)
    np.testing.assert_allclose(whole["cosines"], 1.0, atol=1e-9)  # every example: g itself
    result = models.minibatch_gradient_cosines(model, X, y, batch_size=8, n_batches=400)
    assert result["cosines"].shape == (400,)
    assert np.all(np.abs(result["cosines"]) <= 1)
    assert result["cosines"].mean() < 0.9 < result["cosine_of_mean"]  # noisy, unbiased


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
    np.testing.assert_array_equal(result["predictions"], models.predict_labels(model, X_test))
    recall = recall_score(y_test, result["predictions"], average=None)
    np.testing.assert_allclose(result["per_class_accuracy"], recall)


def test_evaluate_gives_nan_for_an_absent_class(trained_course, split):
    model, _ = trained_course
    X_test, y_test = split[1], split[3]
    keep = y_test != 7
    result = models.evaluate(model, X_test[keep], y_test[keep])
    assert np.isnan(result["per_class_accuracy"][7])
    recall = recall_score(y_test[keep], result["predictions"], labels=range(10), average=None,
                          zero_division=np.nan)
    np.testing.assert_allclose(result["per_class_accuracy"], recall)


# ---------------------------------------------------------------- save and load


def test_save_load_round_trip(trained_course, split, tmp_path):
    model, _ = trained_course
    X_test = split[1]
    path = tmp_path / "course.keras"
    models.save_model(model, path)
    loaded = models.load_model(path)
    np.testing.assert_array_equal(models.logits(loaded, X_test), models.logits(model, X_test))
    for wa, wb in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    assert loaded.loss.get_config()["from_logits"] is True


# ---------------------------------------------------------------- bad input


@pytest.fixture(scope="module")
def fresh_model():
    return models.build_mlp()


@pytest.mark.parametrize(
    "X, y, kwargs, error, match",
    [
        (np.zeros((4, 400)), [0, 1, 2, 3], {}, ValueError, "X has 400 columns.*rows of 784"),
        (np.zeros(784), [0], {}, ValueError, "X must be 2-D"),
        (np.array([0, 1, 2, 3]), np.zeros((4, 784)), {}, ValueError, "are X and y swapped"),
        (np.full((2, 784), np.nan), [0, 1], {}, ValueError, "X holds NaN"),
        (np.zeros((4, 784)), [0, 1, 2, 10], {}, ValueError, "y must be in 0..9"),
        (np.zeros((4, 784)), [0, 1, 2], {}, ValueError, "y has 3 labels but X has 4 rows"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"epochs": 0}, ValueError, "epochs must be a positive"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"batch_size": 2.5}, TypeError, "batch_size"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"seed": -1}, ValueError, "seed"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"patience": 3}, ValueError, "patience"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"validation_data": np.zeros(3)}, TypeError,
         "validation_data"),
        (np.zeros((4, 784)), [0, 1, 2, 3], {"validation_data": (np.zeros((2, 10)), [0, 1])},
         ValueError, "X_val has 10 columns"),
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


@pytest.mark.parametrize("fn", [models.logits, models.predict_proba, models.predict_labels])
def test_predict_functions_reject_wrong_width(fresh_model, fn):
    with pytest.raises(ValueError, match="X has 28 columns"):
        fn(fresh_model, np.zeros((3, 28)))


def test_evaluate_rejects_bad_labels(fresh_model):
    with pytest.raises(ValueError, match="y must be in 0..9"):
        models.evaluate(fresh_model, np.zeros((2, 784)), [3, 12])
    with pytest.raises(ValueError, match="y has 1 labels but X has 2 rows"):
        models.evaluate(fresh_model, np.zeros((2, 784)), [3])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"hidden_units": (25, 0)}, ValueError, r"hidden_units\[1\] must be a positive int"),
        ({"n_classes": 0}, ValueError, "n_classes"),
        ({"input_dim": "784"}, TypeError, "input_dim"),
        ({"learning_rate": 0}, ValueError, "learning_rate must be a positive"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"dropout": "0.3"}, TypeError, "dropout must be a real number"),
        ({"dropout": 1.0}, ValueError, r"dropout must be in \[0, 1\), got 1.0"),
        ({"dropout": 1.5}, ValueError, r"dropout must be in \[0, 1\)"),
        ({"dropout": -0.5}, ValueError, r"dropout must be in \[0, 1\)"),
    ],
)
def test_build_mlp_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        models.build_mlp(**kwargs)


# ---------------------------------------------------------------- the CNN


def test_build_cnn_shapes_and_parameter_counts_follow_the_formulas():
    from nnbook import conv

    model = models.build_cnn(seed=0)
    assert model.input_shape == (None, 784) and model.output_shape == (None, 10)
    assert [layer.name for layer in model.layers] == [
        "image", "augment", "conv1", "conv2", "pool1", "conv3", "conv4", "pool2", "flatten",
        "dropout", "output"]
    size, channels = 28, 1
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            f = layer.filters
            assert layer.count_params() == conv.conv_parameter_count(3, channels, f)
            size, channels = conv.conv_output_size(size, 3, "valid"), f
        elif isinstance(layer, keras.layers.MaxPooling2D):
            size //= 2
        if len(layer.output.shape) == 4:
            assert tuple(layer.output.shape) == (None, size, size, channels)
    assert (size, channels) == (4, 32)
    assert model.get_layer("output").count_params() == (size * size * channels + 1) * 10
    assert model.get_layer("output").activation.__name__ == "linear"
    assert model.loss.get_config()["from_logits"] is True
    assert model.get_layer("dropout").rate == 0.5 and model.count_params() == 21_498
    assert float(model.optimizer.learning_rate) == pytest.approx(2e-3)
    plain = models.build_cnn(seed=0, augment=False)
    assert "augment" not in [layer.name for layer in plain.layers]
    assert plain.count_params() == model.count_params()


def test_build_cnn_same_seed_same_weights():
    a, b, c = (models.build_cnn(seed=s) for s in (3, 3, 4))
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_cnn_augmentation_acts_only_in_training(split):
    X = split[0][:8]
    augment = models.build_cnn(seed=0).get_layer("augment")
    images = X.reshape(-1, 28, 28, 1)
    np.testing.assert_array_equal(np.asarray(augment(images, training=False)), images)
    changed = np.asarray(augment(images, training=True))
    assert changed.shape == images.shape
    assert not np.allclose(changed, images)
    assert changed.min() >= -1e-6 and changed.max() <= 1 + 1e-6  # zeros (paper) fill the border
    # and at prediction time the model ignores it: same logits as without the layers
    with_aug, without = models.build_cnn(seed=0), models.build_cnn(seed=0, augment=False)
    np.testing.assert_allclose(models.logits(with_aug, X), models.logits(without, X), atol=1e-6)


def test_cnn_learns_in_one_seeded_epoch(split):
    X_train, X_test, y_train, y_test = split
    accuracies, weights = [], []
    for _ in range(2):
        model = models.build_cnn(seed=0)
        models.train(model, X_train[:2000], y_train[:2000], epochs=1, batch_size=32, seed=0)
        accuracies.append(models.evaluate(model, X_test[:500], y_test[:500])["accuracy"])
        weights.append(model.get_weights()[0])
    assert accuracies[0] > 0.5  # chance is 0.1 (measured: 0.72)
    assert accuracies[0] == accuracies[1]  # seeded: the same run twice
    np.testing.assert_array_equal(*weights)
    proba = models.predict_proba(model, X_test[:5])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)


def test_cnn_augmentation_draws_the_same_with_an_epoch_per_call(split):
    """The random layers draw inside Keras's loop over steps: the same weights either way."""
    X, y = split[0][:512], split[2][:512]
    weights = []
    for steps in (1, None):  # one call per step, or build_cnn's compile (an epoch per call)
        model = models.build_cnn(seed=0)
        if steps:
            model.steps_per_execution = steps
        models.train(model, X, y, epochs=2, batch_size=128, seed=0)
        weights.append(model.get_weights())
    for wa, wb in zip(*weights):
        np.testing.assert_array_equal(wa, wb)
