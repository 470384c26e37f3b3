"""Tests of nnbook.scratch against finite differences, TensorFlow and Keras.

The networks are small and the training runs short, so the file runs in a few
seconds (TensorFlow's import aside).
"""

import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook import models, scratch
from nnbook.scratch import MLP, SGD, Adam, gradient_check

SIZES = (20, 8, 6, 5)  # n, two hidden layers, K: the course shape, scaled down


def batch(seed=0, m=16, sizes=SIZES, dtype=np.float32):
    """A seeded batch X (m, n) in [0, 1) like scaled pixels, and labels (m,)."""
    rng = np.random.default_rng(seed)
    X = rng.random((m, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], size=m)
    return X, y


def keras_twin(mlp, optimizer):
    """A Keras model of mlp's shape, holding mlp's weights, compiled with ``optimizer``."""
    sizes = mlp.layer_sizes
    model = models.build_mlp(hidden_units=sizes[1:-1], n_classes=sizes[-1],
                             input_dim=sizes[0], seed=0)
    model.compile(optimizer=optimizer,
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return scratch.to_keras(mlp, model)


# ------------------------------------------------------------------ initialisation


def test_initialisation_is_glorot_uniform_with_zero_biases():
    mlp = MLP((784, 25, 15, 10), seed=3)
    assert mlp.L == 3 and mlp.dtype == np.float32
    assert [mlp.W[l].shape for l in (1, 2, 3)] == [(784, 25), (25, 15), (15, 10)]
    assert mlp.n_parameters == sum(models.count_parameters((784, 25, 15, 10))) == 20_175
    for l in (1, 2, 3):
        fan_in, fan_out = mlp.W[l].shape
        limit = np.sqrt(6 / (fan_in + fan_out))
        assert mlp.W[l].dtype == np.float32
        assert np.abs(mlp.W[l]).max() <= limit
        # a uniform on [-limit, limit] has variance limit^2 / 3 = 2 / (fan_in + fan_out)
        assert mlp.W[l].var() == pytest.approx(2 / (fan_in + fan_out), rel=0.3)
        np.testing.assert_array_equal(mlp.b[l], 0)


def test_initialisation_spread_matches_keras_glorot_uniform():
    ours = MLP((784, 25), seed=0).W[1]
    theirs = keras.initializers.GlorotUniform(seed=0)((784, 25)).numpy()
    assert ours.std() == pytest.approx(theirs.std(), rel=0.02)
    assert np.abs(ours).max() == pytest.approx(np.abs(theirs).max(), rel=0.01)


def test_same_seed_same_weights_other_seed_other_weights():
    a, b, c = MLP(SIZES, seed=1), MLP(SIZES, seed=1), MLP(SIZES, seed=2)
    for wa, wb, wc in zip(a.parameters(), b.parameters(), c.parameters()):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.W[1], c.W[1])


# ------------------------------------------------------------------ Keras copies


def test_logits_equal_keras_after_copy_both_ways():
    X, _ = batch(m=10)
    model = models.build_mlp(hidden_units=SIZES[1:-1], n_classes=SIZES[-1],
                             input_dim=SIZES[0], seed=5)
    mlp = scratch.from_keras(model)
    assert mlp.layer_sizes == SIZES and mlp.dtype == np.float32
    np.testing.assert_allclose(mlp.logits(X), models.logits(model, X), rtol=0, atol=1e-6)

    other = MLP(SIZES, seed=9)
    assert scratch.to_keras(other, model) is model
    for ours, theirs in zip(other.parameters(), model.get_weights()):
        np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_allclose(other.logits(X), models.logits(model, X), rtol=0, atol=1e-6)


def test_from_keras_skips_dropout_layers():
    model = models.build_mlp(hidden_units=(6,), n_classes=3, input_dim=4, dropout=0.5)
    assert model.get_layer("dropout1").weights == []  # so get_weights() lists W, b only
    mlp = scratch.from_keras(model, dtype=np.float64)
    assert mlp.layer_sizes == (4, 6, 3) and mlp.W[1].dtype == np.float64
    X, _ = batch(m=5, sizes=(4, 6, 3))
    np.testing.assert_allclose(mlp.logits(X), models.logits(model, X), rtol=0, atol=1e-6)


def test_importing_scratch_does_not_import_tensorflow():
    code = "import sys, nnbook.scratch; assert 'tensorflow' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------------ gradients


def test_gradient_check_small_network_float64():
    mlp = MLP(SIZES, seed=0)
    X, y = batch(m=12)
    errors = gradient_check(mlp, X, y)
    assert list(errors) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert max(errors.values()) < 1e-7, errors


def test_gradient_check_detects_a_wrong_gradient(monkeypatch):
    """The check can fail: halve one gradient and it reports a large error for it."""
    mlp = MLP(SIZES, seed=0)
    X, y = batch(m=12)
    original = MLP.backward

    def wrong_backward(self, y, a, z):
        dW, db = original(self, y, a, z)
        dW[2] = dW[2] / 2
        return dW, db

    monkeypatch.setattr(MLP, "backward", wrong_backward)
    errors = gradient_check(mlp, X, y)
    assert errors["W2"] > 0.1
    assert errors["W1"] < 1e-7


@settings(deadline=None, max_examples=8, derandomize=True)
@given(
    hidden=st.lists(st.integers(1, 6), min_size=0, max_size=2),
    n=st.integers(1, 5),
    K=st.integers(2, 4),
    seed=st.integers(0, 1000),
)
def test_gradient_check_any_small_network(hidden, n, K, seed):
    sizes = (n, *hidden, K)
    mlp = MLP(sizes, seed=seed)
    rng = np.random.default_rng(seed)
    # the default zero biases would put a ReLU input exactly at 0 for zero input;
    # random biases keep every input away from the kink
    mlp.set_weights([p if p.ndim == 2 else rng.uniform(-0.5, 0.5, p.shape)
                     for p in mlp.parameters()])
    X = rng.standard_normal((6, n))
    y = rng.integers(0, K, size=6)
    errors = gradient_check(mlp, X, y)
    # A tiny gradient (norm below 1e-4) has a large relative rounding error: skip it.
    net = MLP(sizes, dtype=np.float64)
    net.set_weights(mlp.parameters())
    dW, db = net.backward(y, *net.forward(X))
    norms = {f"{p}{l}": np.linalg.norm(g[l]) for p, g in (("W", dW), ("b", db)) for l in g}
    assert all(error < 1e-6 for name, error in errors.items() if norms[name] > 1e-4)


def test_backward_equals_tensorflow_gradient_tape():
    mlp = MLP(SIZES, seed=0, dtype=np.float64)
    X, y = batch(m=16, dtype=np.float64)
    a, z = mlp.forward(X)
    dW, db = mlp.backward(y, a, z)
    variables = [tf.Variable(p) for p in mlp.parameters()]
    with tf.GradientTape() as tape:
        h = tf.constant(X)
        for i in range(0, len(variables), 2):
            h = h @ variables[i] + variables[i + 1]
            if i + 2 < len(variables):
                h = tf.nn.relu(h)
        cost = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, h))
    theirs = tape.gradient(cost, variables)
    ours = [g for l in (1, 2, 3) for g in (dW[l], db[l])]
    for g, t in zip(ours, theirs):
        assert g.shape == t.shape
        np.testing.assert_allclose(g, t.numpy(), rtol=1e-10, atol=1e-12)
    assert float(cost) == pytest.approx(float(mlp.cost(X, y)), rel=1e-12)


def test_output_bias_gradient_sums_to_zero():
    """Each row of softmax - one_hot sums to 0, so the output biases' gradients do too."""
    mlp = MLP(SIZES, seed=0, dtype=np.float64)
    X, y = batch(m=16, dtype=np.float64)
    _, db = mlp.backward(y, *mlp.forward(X))
    assert abs(db[3].sum()) < 1e-12


# ------------------------------------------------------------------ steps against Keras


@pytest.mark.parametrize("name, ours, theirs", [
    ("sgd", lambda: SGD(0.1), lambda: keras.optimizers.SGD(0.1)),
    ("adam", lambda: Adam(1e-3), lambda: keras.optimizers.Adam(1e-3)),
])
def test_one_step_equals_keras(name, ours, theirs):
    X, y = batch(seed=1, m=32)
    mlp = MLP(SIZES, seed=0)
    model = keras_twin(mlp, theirs())
    before, logits_before = mlp.get_weights(), mlp.logits(X)
    cost, logits = mlp.train_step(X, y, ours())
    keras_cost = model.train_on_batch(X, y, return_dict=True)["loss"]
    assert float(cost) == pytest.approx(float(keras_cost), abs=1e-6)
    np.testing.assert_array_equal(logits, logits_before)  # the batch's, before the step
    for w_ours, w_keras, w_before in zip(mlp.parameters(), model.get_weights(), before):
        np.testing.assert_allclose(w_ours, w_keras, rtol=0, atol=1e-5)
    assert max(np.abs(w - b).max() for w, b in zip(mlp.parameters(), before)) > 1e-4


def test_three_adam_steps_equal_keras():
    """The bias correction changes with the step count t; check a few steps."""
    mlp = MLP(SIZES, seed=0)
    model = keras_twin(mlp, keras.optimizers.Adam(1e-2))
    adam = Adam(1e-2)
    for seed in (1, 2, 3):
        X, y = batch(seed=seed, m=32)
        mlp.train_step(X, y, adam)
        model.train_on_batch(X, y)
    assert adam.t == 3
    for w_ours, w_keras in zip(mlp.parameters(), model.get_weights()):
        np.testing.assert_allclose(w_ours, w_keras, rtol=0, atol=1e-5)


def test_fit_one_batch_without_shuffle_equals_keras_fit():
    X, y = batch(seed=4, m=64)
    mlp = MLP(SIZES, seed=0)
    model = keras_twin(mlp, keras.optimizers.Adam(1e-3))
    history = mlp.fit(X, y, epochs=2, batch_size=32, shuffle=False)  # default Adam()
    keras_history = model.fit(X, y, epochs=2, batch_size=32, shuffle=False, verbose=0)
    np.testing.assert_allclose(history["loss"], keras_history.history["loss"], rtol=1e-5)
    for w_ours, w_keras in zip(mlp.parameters(), model.get_weights()):
        np.testing.assert_allclose(w_ours, w_keras, rtol=0, atol=1e-5)


# ------------------------------------------------------------------ training


@pytest.mark.parametrize("optimizer", [SGD(0.5), Adam(1e-2)], ids=["sgd", "adam"])
def test_short_training_lowers_the_loss(optimizer):
    X, y = batch(seed=2, m=200)
    y = (X[:, 0] * 5).astype(int)  # learnable: the label is a function of the first input
    mlp = MLP(SIZES, seed=0)
    before = float(mlp.cost(X, y))
    history = mlp.fit(X, y, epochs=15, batch_size=20, optimizer=optimizer, seed=0)
    assert len(history["loss"]) == len(history["accuracy"]) == 15
    assert history["loss"][-1] < 0.7 * history["loss"][0]
    assert float(mlp.cost(X, y)) < 0.7 * before
    assert mlp.accuracy(X, y) > 0.5
    assert np.mean(mlp.predict(X) == y) == mlp.accuracy(X, y)


def test_training_stays_in_the_network_dtype():
    """float64 data, a float32 network: parameters, gradients and Adam's moments stay float32."""
    X, y = batch(seed=2, m=40, dtype=np.float64)  # fit converts it
    mlp, adam = MLP(SIZES, seed=0), Adam()
    mlp.fit(X, y, epochs=2, batch_size=8, optimizer=adam)
    assert {p.dtype for p in mlp.parameters()} == {np.dtype(np.float32)}
    assert {m.dtype for m in adam.m + adam.v} == {np.dtype(np.float32)}
    assert mlp.logits(X).dtype == mlp.cost(X, y).dtype == np.float32
    dW, db = mlp.backward(y, *mlp.forward(X.astype(np.float32)))
    assert {g.dtype for g in [*dW.values(), *db.values()]} == {np.dtype(np.float32)}


def test_fit_is_seeded():
    X, y = batch(seed=2, m=50)
    runs = [MLP(SIZES, seed=0).fit(X, y, epochs=3, batch_size=8, seed=s)["loss"]
            for s in (0, 0, 1)]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_fit_with_an_uneven_last_batch_and_an_optimizer_object():
    X, y = batch(seed=2, m=50)
    mlp = MLP(SIZES, seed=0)
    adam = Adam(1e-3)
    mlp.fit(X, y, epochs=2, batch_size=16, optimizer=adam)
    assert adam.t == 2 * 4  # ceil(50 / 16) = 4 steps per epoch
    mlp.fit(X, y, epochs=1, batch_size=16, optimizer=adam)
    assert adam.t == 12  # the state carries over


# ------------------------------------------------------------------ saving and loading


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_save_load_round_trip(tmp_path, dtype):
    mlp = MLP(SIZES, seed=0, dtype=dtype)
    X, y = batch(m=40)
    mlp.fit(X, y, epochs=2, batch_size=8)
    path = tmp_path / "weights.npz"
    scratch.save(mlp, path)
    loaded = scratch.load(path)
    assert loaded.layer_sizes == mlp.layer_sizes and loaded.dtype == dtype
    for p, q in zip(mlp.parameters(), loaded.parameters()):
        np.testing.assert_array_equal(p, q)
    np.testing.assert_array_equal(loaded.predict(X), mlp.predict(X))


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("sizes, error, match", [
    ((784,), ValueError, "layer_sizes must be a list of 2 or more sizes"),
    (784, ValueError, "layer_sizes must be a list of 2 or more sizes"),
    ((784, 0, 10), ValueError, r"layer_sizes\[1\] must be a positive int"),
    ((784, 2.5, 10), TypeError, r"layer_sizes\[1\] must be a positive int"),
    (np.array([[784, 10]]), ValueError, "layer_sizes must be a list of 2 or more sizes"),
])
def test_bad_layer_sizes(sizes, error, match):
    with pytest.raises(error, match=match):
        MLP(sizes)


def test_layer_sizes_may_be_a_numpy_array():
    mlp = MLP(np.array(SIZES))
    assert mlp.layer_sizes == SIZES and all(type(n) is int for n in mlp.layer_sizes)


@pytest.mark.parametrize("dtype, error", [(int, ValueError), ("float16", ValueError),
                                          (np.complex128, ValueError), ("fast", TypeError)])
def test_bad_dtype(dtype, error):
    with pytest.raises(error, match="dtype must be float32 or float64"):
        MLP(SIZES, dtype=dtype)


@pytest.mark.parametrize("call, match", [
    (lambda mlp: mlp.predict(np.zeros((3, 19))), "X has 19 columns but 20 are needed"),
    (lambda mlp: mlp.predict(np.zeros(20)), r"X must be 2-D.*X\[None, :\]"),
    (lambda mlp: mlp.cost(np.full((2, 20), np.nan), [0, 1]), "X holds NaN"),
])
def test_bad_X(call, match):
    with pytest.raises(ValueError, match=match):
        call(MLP(SIZES))


def test_bad_y():
    mlp = MLP(SIZES)
    X, _ = batch(m=4)
    with pytest.raises(ValueError, match=r"y must be in 0\.\.4, got 5"):
        mlp.fit(X, [0, 1, 2, 5], epochs=1)
    with pytest.raises(ValueError, match="y has 3 labels but X has 4 rows"):
        mlp.cost(X, [0, 1, 2])


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(epochs=0), ValueError, "epochs must be a positive int, got 0"),
    (dict(epochs=2.0), TypeError, "epochs must be a positive int"),
    (dict(batch_size=-32), ValueError, "batch_size must be a positive int, got -32"),
    (dict(seed=-3), ValueError, "seed must be >= 0"),
    (dict(optimizer="adam"), TypeError, "optimizer must be an object such as Adam"),
    (dict(optimizer=Adam), TypeError, r"got the class Adam: add the parentheses, Adam\(\)"),
])
def test_bad_training_settings(kwargs, error, match):
    X, y = batch(m=8)
    with pytest.raises(error, match=match):
        MLP(SIZES).fit(X, y, **kwargs)


def test_bad_seed():
    with pytest.raises(TypeError, match="seed must be an int"):
        MLP(SIZES, seed=1.5)
