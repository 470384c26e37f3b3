"""Tests of nnbook.relu_units: the target, sums of ReLU units, their gradients and the Keras fit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook import relu_units as ru
from nnbook.activations import relu


@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow")


X = np.linspace(0.0, 3.0, 301)


def test_target_pieces_and_continuity():
    x = np.array([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0])
    np.testing.assert_allclose(ru.piecewise_target(x), [2.0, 1.0, 0.0, 0.5, 1.0, 2.5, 4.0])
    for x0 in (1.0, 2.0):  # the pieces meet
        left, right = ru.piecewise_target([x0 - 1e-9, x0 + 1e-9])
        assert abs(left - right) < 1e-8
    assert ru.piecewise_target(np.float32(1.5)).dtype == np.float32


def test_hand_units_sum_to_the_target_everywhere():
    # the chapter's worked-out units: relu(-2x + 2) + relu(x - 1) + relu(2x - 4)
    x = np.linspace(-1.0, 4.0, 501)
    np.testing.assert_allclose(ru.relu_sum(x, [-2.0, 1.0, 2.0], [2.0, -1.0, -4.0]),
                               ru.piecewise_target(x), atol=1e-12)


def test_a_wrong_guess_does_not_sum_to_the_target():
    # copying the third piece, 3x - 5, into unit 2 puts its kink at 5/3 and adds its slope to unit 1's
    err = ru.relu_sum(X, [-2, 1, 3], [2, -1, -5]) - ru.piecewise_target(X)
    assert np.abs(err[X <= 5 / 3]).max() < 1e-12
    np.testing.assert_allclose(err[-1], 2.0)


def test_unit_outputs_and_relu_sum_by_hand():
    x, w, b, v = np.array([-1.0, 0.0, 2.0]), np.array([1.0, -2.0]), np.array([0.5, 1.0]), np.array([3.0, -1.0])
    a = ru.unit_outputs(x, w, b)
    np.testing.assert_array_equal(a, [[0.0, 3.0], [0.5, 1.0], [2.5, 0.0]])
    np.testing.assert_array_equal(ru.relu_sum(x, w, b, v, 0.25), a @ v + 0.25)
    np.testing.assert_array_equal(ru.relu_sum(x, w, b), a.sum(axis=1))


def test_relu_sum_matches_a_keras_network(tf):
    import keras

    rng = np.random.default_rng(0)
    w, b, v, c = rng.normal(size=4), rng.normal(size=4), rng.normal(size=4), 0.3
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(1)])
    model.layers[0].set_weights([w[None, :], b])
    model.layers[1].set_weights([v[:, None], np.array([c])])
    x = rng.uniform(-3, 3, size=50)
    expected = model(x[:, None].astype(np.float32)).numpy()[:, 0]
    np.testing.assert_allclose(ru.relu_sum(x, w, b, v, c), expected, atol=1e-5)


def _tf_gradients(tf, x, y, w, b, v, c):
    params = [tf.Variable(p, dtype=tf.float64) for p in (w, b, v, c)]
    with tf.GradientTape() as tape:
        z = x[:, None] * params[0] + params[1]
        y_hat = tf.linalg.matvec(tf.nn.relu(z), params[2]) + params[3]
        cost = tf.reduce_mean((y_hat - y) ** 2)
    return float(cost), [g.numpy() for g in tape.gradient(cost, params)]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_relu_sum_gradients_match_tensorflow(tf, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 3, size=40)
    y = ru.piecewise_target(x)
    w, b, v, c = rng.normal(size=3), rng.normal(size=3), rng.normal(size=3), float(rng.normal())
    got = ru.relu_sum_gradients(x, y, w, b, v, c)
    cost, (gw, gb, gv, gc) = _tf_gradients(tf, x, y, w, b, v, c)
    assert got["cost"] == pytest.approx(cost, rel=1e-12)
    np.testing.assert_allclose(got["w"], gw, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got["b"], gb, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got["v"], gv, rtol=1e-10, atol=1e-12)
    assert got["c"] == pytest.approx(float(gc), rel=1e-10)


def test_relu_sum_gradients_match_finite_differences():
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 3, size=30)
    y = ru.piecewise_target(x)
    params = {"w": rng.normal(size=3), "b": rng.normal(size=3), "v": rng.normal(size=3)}
    grads = ru.relu_sum_gradients(x, y, **params)
    h = 1e-6
    for name, p in params.items():
        for j in range(3):
            up = {k: a.copy() for k, a in params.items()}
            down = {k: a.copy() for k, a in params.items()}
            up[name][j] += h
            down[name][j] -= h
            fd = (ru.relu_sum_gradients(x, y, **up)["cost"] - ru.relu_sum_gradients(x, y, **down)["cost"]) / (2 * h)
            assert grads[name][j] == pytest.approx(fd, rel=1e-5, abs=1e-8)


def test_a_dead_unit_gets_zero_gradients_and_is_reported():
    x = X
    y = ru.piecewise_target(x)
    w, b, v = np.array([-2.0, 1.0, 0.5]), np.array([2.0, -1.0, -10.0]), np.ones(3)
    np.testing.assert_array_equal(ru.dead_units(x, w, b), [False, False, True])
    g = ru.relu_sum_gradients(x, y, w, b, v)
    assert g["w"][2] == g["b"][2] == g["v"][2] == 0.0
    assert g["w"][1] != 0 and g["v"][1] != 0
    # a unit that is off only on part of the data is alive
    assert not ru.dead_units(x, [1.0], [-2.9]).any()
    assert ru.dead_units(x, [1.0], [-3.0]).all()  # z = x - 3 <= 0 on all of [0, 3]


def test_fold_output_weights_gives_the_same_network_as_a_plain_sum():
    rng = np.random.default_rng(3)
    w, b, v = rng.normal(size=5), rng.normal(size=5), rng.uniform(0.1, 3.0, size=5)
    w_f, b_f = ru.fold_output_weights(w, b, v)
    x = np.linspace(-4, 4, 201)
    np.testing.assert_allclose(ru.relu_sum(x, w_f, b_f), ru.relu_sum(x, w, b, v), atol=1e-12)
    np.testing.assert_allclose(-b_f / w_f, -b / w)  # the kinks stay where they were
    np.testing.assert_allclose(w_f, w * v)


def test_fold_output_weights_refuses_a_negative_output_weight():
    # -relu(z) is not relu of anything: it bends the other way
    with pytest.raises(ValueError, match=r"v must be positive .* got v = \[1.0, -0.5\]"):
        ru.fold_output_weights([1.0, 2.0], [0.0, 1.0], [1.0, -0.5])


@settings(deadline=None, max_examples=50)
@given(seed=st.integers(0, 10_000), units=st.integers(1, 8))
def test_a_plain_sum_is_convex_and_a_negative_output_weight_can_bend_it_down(seed, units):
    rng = np.random.default_rng(seed)
    w, b = rng.normal(scale=2.0, size=units), rng.normal(scale=2.0, size=units)
    x = np.linspace(-3, 3, 121)
    bends = np.diff(ru.relu_sum(x, w, b), n=2)  # second differences: >= 0 where convex
    assert np.all(bends >= -1e-12)
    flipped = np.diff(ru.relu_sum(x, w, b, v=-np.ones(units)), n=2)
    assert np.all(flipped <= 1e-12)


def test_the_upside_down_target_needs_negative_output_weights():
    # the chapter's concave example: the hand-made units, v = -1 and c = 4, give 4 - target
    x = np.linspace(0, 3, 301)
    np.testing.assert_allclose(ru.relu_sum(x, [-2.0, 1.0, 2.0], [2.0, -1.0, -4.0], -np.ones(3), 4.0),
                               4 - ru.piecewise_target(x), atol=1e-12)


def test_dead_unit_counts_from_a_trajectory_by_hand():
    x = np.linspace(0, 3, 31)
    steps = [ru.UnitWeights(np.array([1.0, -1.0]), np.array([-1.0, 2.0]), np.ones(2), 0.0),
             ru.UnitWeights(np.array([1.0, -1.0]), np.array([-3.0, 2.0]), np.ones(2), 0.0),
             ru.UnitWeights(np.array([1.0, -1.0]), np.array([-3.0, -0.5]), np.ones(2), 0.0)]
    fit = ru.ReluFit(*steps[-1], history=[1.0, 1.0], trajectory=steps, model=None)
    np.testing.assert_array_equal(ru.dead_unit_counts(x, fit), [0, 1, 2])


@settings(deadline=None, max_examples=30)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 4), h=st.integers(1, 5), k=st.integers(1, 3))
def test_combine_linear_layers_equals_the_two_layers(seed, n, h, k):
    rng = np.random.default_rng(seed)
    X_, W1, b1, W2, b2 = (rng.normal(size=s) for s in [(6, n), (n, h), (h,), (h, k), (k,)])
    W, b = ru.combine_linear_layers(W1, b1, W2, b2)
    assert W.shape == (n, k) and b.shape == (k,)
    np.testing.assert_allclose((X_ @ W1 + b1) @ W2 + b2, X_ @ W + b, atol=1e-12)


def test_combine_linear_layers_fails_once_relu_is_in_between():
    W1, b1 = np.array([[1.0, -1.0]]), np.array([0.0, 0.0])
    W2, b2 = np.array([[1.0], [1.0]]), np.array([0.0])
    W, b = ru.combine_linear_layers(W1, b1, W2, b2)
    x = np.array([[-2.0], [1.0], [3.0]])
    np.testing.assert_allclose(x @ W + b, [[0.0], [0.0], [0.0]])
    np.testing.assert_allclose(relu(x @ W1 + b1) @ W2 + b2, np.abs(x))  # relu(x) + relu(-x) = |x|


@pytest.fixture(scope="module")
def fitted():
    # a short run: the book's build trains 40 epochs and asserts where the kinks land
    pytest.importorskip("tensorflow")
    x = np.linspace(0.0, 3.0, 600)
    return x, ru.fit_relu_network(x, ru.piecewise_target(x), epochs=5)


def test_fit_relu_network_lowers_the_loss(fitted):
    x, fit = fitted
    assert len(fit.history) == 5
    assert fit.history[-1] < fit.history[0] / 10


def test_fit_relu_network_weights_reproduce_the_model(fitted):
    x, fit = fitted
    pred = fit.model.predict(x[:, None].astype(np.float32), verbose=0)[:, 0]
    np.testing.assert_allclose(ru.relu_sum(x, fit.w, fit.b, fit.v, fit.c), pred, atol=1e-5)


def test_fit_relu_network_records_the_weights_at_the_start_and_after_each_epoch(fitted):
    x, fit = fitted
    assert len(fit.trajectory) == 6  # the start and 5 epochs
    start, last = fit.trajectory[0], fit.trajectory[-1]
    # Keras starts the biases at 0: after the scaling, every kink is in the middle of the data
    np.testing.assert_allclose(-start.b / start.w, 1.5, atol=1e-6)
    for got, expected in zip(last, (fit.w, fit.b, fit.v, fit.c)):
        np.testing.assert_array_equal(got, expected)
    assert not np.array_equal(start.w, last.w)
    counts = ru.dead_unit_counts(x, fit)
    assert counts.shape == (6,) and counts[0] == 0
    assert counts[-1] == ru.dead_units(x, fit.w, fit.b).sum()


def test_fit_relu_network_is_reproducible():
    pytest.importorskip("tensorflow")
    x = np.linspace(0.0, 3.0, 60)
    y = ru.piecewise_target(x)
    a, b = (ru.fit_relu_network(x, y, epochs=2, seed=7) for _ in range(2))
    np.testing.assert_array_equal(a.w, b.w)
    np.testing.assert_array_equal(a.v, b.v)
    assert a.history == b.history
    np.testing.assert_array_equal(a.trajectory[1].b, b.trajectory[1].b)
