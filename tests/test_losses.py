"""Tests of nnbook.losses against Keras, TensorFlow and finite differences, with property tests."""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import approx_fprime, check_grad

from nnbook import losses
from nnbook.activations import softmax


def random_batch(seed, m=16, K=10, scale=3.0, dtype=np.float64):
    """Labels (m,) and logits (m, K) drawn with a seeded generator."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, K, size=m), (scale * rng.standard_normal((m, K))).astype(dtype)


# --- one_hot ---------------------------------------------------------------------------


def test_one_hot_matches_keras():
    labels = np.array([3, 0, 9, 9, 1])
    expected = keras.utils.to_categorical(labels, num_classes=10)
    got = losses.one_hot(labels, 10)
    assert got.dtype == np.float64 and got.shape == (5, 10)
    np.testing.assert_array_equal(got, expected)


def test_one_hot_accepts_whole_float_labels():
    np.testing.assert_array_equal(losses.one_hot([1.0, 0.0], 2), [[0, 1], [1, 0]])


@pytest.mark.parametrize(
    "labels, n_classes, err, match",
    [
        ([0, 3], 3, ValueError, r"labels must be in 0\.\.2, got 3"),
        ([0.5, 1], 3, TypeError, "labels must hold integer class labels"),
        ([[0, 1]], 3, ValueError, "labels must be 1-D"),
        ([0], 0, ValueError, "n_classes must be a positive int"),
    ],
)
def test_one_hot_bad_input(labels, n_classes, err, match):
    with pytest.raises(err, match=match):
        losses.one_hot(labels, n_classes)


# --- agreement with Keras ------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sparse_cross_entropy_matches_keras_from_logits(seed):
    labels, z = random_batch(seed)
    ref = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")
    assert abs(losses.sparse_cross_entropy(labels, z) - float(ref(labels, z))) < 1e-6


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sparse_cross_entropy_matches_keras_from_probabilities(seed):
    labels, z = random_batch(seed)
    ref = keras.losses.SparseCategoricalCrossentropy(from_logits=False, dtype="float64")
    assert abs(losses.sparse_cross_entropy(labels, z) - float(ref(labels, softmax(z)))) < 1e-6


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cross_entropy_matches_keras_categorical(seed):
    labels, z = random_batch(seed)
    Y, p = losses.one_hot(labels, 10), softmax(z)
    ref_probs = keras.losses.CategoricalCrossentropy(from_logits=False, dtype="float64")
    ref_logits = keras.losses.CategoricalCrossentropy(from_logits=True, dtype="float64")
    got = losses.cross_entropy(Y, p)
    assert abs(got - float(ref_probs(Y, p))) < 1e-6
    assert abs(got - float(ref_logits(Y, z))) < 1e-6


def test_cross_entropy_matches_keras_with_soft_labels():
    rng = np.random.default_rng(3)
    Y = rng.dirichlet(np.ones(4), size=8)
    p = rng.dirichlet(np.ones(4), size=8)
    ref = keras.losses.CategoricalCrossentropy(dtype="float64")
    assert abs(losses.cross_entropy(Y, p) - float(ref(Y, p))) < 1e-6


def test_reductions_match_keras():
    labels, z = random_batch(4, m=7)
    for reduction, keras_reduction in [("sum", "sum"), ("none", None)]:
        ref = keras.losses.SparseCategoricalCrossentropy(
            from_logits=True, reduction=keras_reduction, dtype="float64"
        )
        np.testing.assert_allclose(
            losses.sparse_cross_entropy(labels, z, reduction=reduction),
            np.asarray(ref(labels, z)),
            rtol=0,
            atol=1e-6,
        )


def test_float32_matches_keras_float32():
    labels, z = random_batch(5, dtype=np.float32)
    got = losses.sparse_cross_entropy(labels, z)
    ref = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, z)
    assert got.dtype == np.float32
    assert abs(float(got) - float(ref)) < 1e-6


def test_mse_matches_keras():
    rng = np.random.default_rng(6)
    y, y_hat = rng.random((9, 4)), rng.random((9, 4))
    ref = keras.losses.MeanSquaredError(dtype="float64")
    assert abs(losses.mse(y, y_hat) - float(ref(y, y_hat))) < 1e-12


def test_one_hot_and_sparse_give_the_same_number():
    labels, z = random_batch(7)
    sparse = losses.sparse_cross_entropy(labels, z)
    dense = losses.cross_entropy(losses.one_hot(labels, 10), softmax(z))
    assert abs(sparse - dense) < 1e-12


# --- hand-computed values and clipping -----------------------------------------------


def test_cross_entropy_is_minus_log_of_right_class():
    got = losses.cross_entropy([[0, 1, 0], [1, 0, 0]], [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]])
    assert got == pytest.approx(-(np.log(0.7) + np.log(0.5)) / 2, abs=1e-15)


def test_cross_entropy_clips_zero_probability_like_keras():
    Y, p = [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]]
    got = losses.cross_entropy(Y, p)
    assert got == pytest.approx(-np.log(1e-7), abs=1e-12)
    assert abs(got - float(keras.losses.CategoricalCrossentropy(dtype="float64")(Y, p))) < 1e-6
    assert losses.cross_entropy(Y, p, eps=0) == np.inf


def test_cross_entropy_eps_zero_ignores_zero_probabilities_of_wrong_classes():
    # 0 * log 0 must count as 0, not NaN
    assert losses.cross_entropy([[0.0, 1.0]], [[0.0, 1.0]], eps=0) == 0.0


def test_probabilities_that_round_to_0_and_1_in_float32():
    z = np.array([[30.0, 0.0, -30.0]], dtype=np.float32)
    p = softmax(z)
    assert p[0, 0] == 1.0  # 1 - 9.4e-14 rounds to 1 in float32
    assert losses.cross_entropy([[1, 0, 0]], p) == 0.0
    # through probabilities, clipping caps the loss at -log(1e-7) ...
    assert losses.cross_entropy([[0, 0, 1]], p) == pytest.approx(-np.log(1e-7), rel=1e-6)
    # ... while from the logits it is the gap between the scores
    assert losses.sparse_cross_entropy(np.array([2]), z) == pytest.approx(60.0, rel=1e-6)
    # a wider gap underflows to an exact 0, and -log 0 is inf
    z = np.array([[100.0, 0.0, -100.0]], dtype=np.float32)
    assert softmax(z)[0, 2] == 0.0
    assert losses.cross_entropy([[0, 0, 1]], softmax(z), eps=0) == np.inf
    assert losses.sparse_cross_entropy(np.array([2]), z) == pytest.approx(200.0, rel=1e-6)


def test_dtypes():
    labels, z = random_batch(8, dtype=np.float32)
    assert losses.sparse_cross_entropy(labels, z).dtype == np.float32
    assert losses.sparse_cross_entropy(labels, z, reduction="none").dtype == np.float32
    assert losses.sparse_cross_entropy_grad(labels, z).dtype == np.float32
    assert losses.softmax_mse_grad(labels, z).dtype == np.float32
    assert losses.sparse_cross_entropy(labels, z.astype(np.float64)).dtype == np.float64
    assert losses.sparse_cross_entropy([0], [[1, 2]]).dtype == np.float64  # int promoted
    p32 = softmax(z)
    Y = losses.one_hot(labels, 10)
    assert losses.cross_entropy(Y.astype(np.float32), p32).dtype == np.float32
    assert losses.cross_entropy(Y, p32).dtype == np.float64  # wider of the two
    assert losses.mse(np.zeros(3, np.float32), np.ones(3, np.float32)).dtype == np.float32


def test_reduction_shapes_and_relations():
    labels, z = random_batch(9, m=5)
    each = losses.sparse_cross_entropy(labels, z, reduction="none")
    assert each.shape == (5,)
    assert losses.sparse_cross_entropy(labels, z, reduction="sum") == pytest.approx(each.sum())
    assert losses.sparse_cross_entropy(labels, z) == pytest.approx(each.mean())
    assert np.ndim(losses.sparse_cross_entropy(labels, z)) == 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("big", [1e4, -1e4])
def test_finite_for_huge_logits(dtype, big):
    z = np.array([[big, 0.0, -big], [0.0, big, big], [-big, -big, -big]], dtype=dtype)
    for labels in ([0, 1, 2], [2, 0, 1]):
        each = losses.sparse_cross_entropy(labels, z, reduction="none")
        grad = losses.sparse_cross_entropy_grad(labels, z)
        assert np.all(np.isfinite(each)) and np.all(each >= 0)
        assert np.all(np.isfinite(grad))
        assert np.all(np.isfinite(losses.softmax_mse_grad(labels, z)))
    # the right answer, not just a finite one: the gap between the scores
    lowest = int(np.argmin(z[0]))
    assert losses.sparse_cross_entropy([lowest], z[:1]) == pytest.approx(2e4, rel=1e-6)


# --- gradients -----------------------------------------------------------------------


def tf_gradient(loss, labels, z):
    """d loss(labels, z) / dz with TensorFlow's GradientTape (float64)."""
    zv = tf.Variable(z, dtype=tf.float64)
    with tf.GradientTape() as tape:
        value = loss(labels, zv)
    return tape.gradient(value, zv).numpy()


@pytest.mark.parametrize("seed", [0, 1])
def test_gradient_matches_gradient_tape(seed):
    labels, z = random_batch(seed)
    ref = tf_gradient(
        keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64"), labels, z
    )
    np.testing.assert_allclose(losses.sparse_cross_entropy_grad(labels, z), ref, rtol=0, atol=1e-6)


def test_gradient_matches_finite_differences():
    labels, z = random_batch(10, m=6, K=5)

    def f(flat):
        return losses.sparse_cross_entropy(labels, flat.reshape(z.shape))

    def g(flat):
        return losses.sparse_cross_entropy_grad(labels, flat.reshape(z.shape)).ravel()

    fd = approx_fprime(z.ravel(), f, 1e-6)
    np.testing.assert_allclose(g(z.ravel()), fd, rtol=0, atol=1e-5)
    assert check_grad(f, g, z.ravel()) < 1e-5


def test_gradient_rows_sum_to_zero():
    labels, z = random_batch(11, m=4, K=3)
    grad = losses.sparse_cross_entropy_grad(labels, z)
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-15)


def test_softmax_mse_grad_matches_gradient_tape_and_finite_differences():
    labels, z = random_batch(12, m=5, K=4)
    mse_ref = keras.losses.MeanSquaredError(dtype="float64")
    Y = losses.one_hot(labels, 4)
    ref = tf_gradient(lambda _, zv: mse_ref(Y, tf.nn.softmax(zv)), labels, z)
    got = losses.softmax_mse_grad(labels, z)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-6)
    fd = approx_fprime(z.ravel(), lambda f: losses.mse(Y, softmax(f.reshape(z.shape))), 1e-6)
    np.testing.assert_allclose(got.ravel(), fd, rtol=0, atol=1e-5)


def test_mse_gradient_vanishes_when_confidently_wrong():
    z = np.array([[0.0, 10.0]])  # right class 0 has p of about 4.5e-5
    ce = losses.sparse_cross_entropy_grad([0], z)
    sq = losses.softmax_mse_grad([0], z)
    assert abs(ce[0, 0]) > 0.99
    assert abs(sq[0, 0]) < 1e-4


# --- properties ----------------------------------------------------------------------

logit_batches = st.integers(1, 6).flatmap(
    lambda m: st.tuples(
        st.lists(st.integers(0, 3), min_size=m, max_size=m),
        hnp.arrays(
            np.float64,
            (m, 4),
            elements=st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
        ),
    )
)


@settings(deadline=None, max_examples=60)
@given(logit_batches)
def test_property_sparse_loss_nonnegative_and_zero_only_for_right_argmax(batch):
    labels, z = batch
    each = losses.sparse_cross_entropy(labels, z, reduction="none")
    assert np.all(np.isfinite(each)) and np.all(each >= 0)
    for i, loss in enumerate(each):
        if loss == 0:  # all probability on the right class (to float precision)
            assert z[i, labels[i]] == z[i].max()
            assert softmax(z[i])[labels[i]] == 1.0


@settings(deadline=None, max_examples=60)
@given(logit_batches)
def test_property_shift_invariance_and_gradient_rows(batch):
    labels, z = batch
    z = np.clip(z, -100, 100)  # keep the shift exact enough to compare
    shifted = z + 7.0
    assert losses.sparse_cross_entropy(labels, shifted) == pytest.approx(
        losses.sparse_cross_entropy(labels, z), abs=1e-9
    )
    grad = losses.sparse_cross_entropy_grad(labels, z)
    assert np.all(np.abs(grad.sum(axis=1)) < 1e-12)
    assert np.all(np.abs(grad) <= 1 / len(labels) + 1e-15)


prob_batches = st.integers(1, 5).flatmap(
    lambda m: st.tuples(
        st.lists(st.integers(0, 2), min_size=m, max_size=m),
        hnp.arrays(np.float64, (m, 3), elements=st.sampled_from([0.0, 0.1, 0.5, 1.0, 3.0])),
    )
)


@settings(deadline=None, max_examples=80)
@given(prob_batches)
def test_property_cross_entropy_zero_only_when_right_class_has_all_probability(batch):
    labels, w = batch
    w[:, 0] += w.sum(axis=1) == 0  # every row needs some weight
    p = w / w.sum(axis=1, keepdims=True)
    labels = np.array(labels)
    loss = losses.cross_entropy(losses.one_hot(labels, 3), p)
    right = p[np.arange(len(labels)), labels]
    assert loss >= 0
    assert (loss == 0) == bool(np.all(right == 1.0))
    assert losses.cross_entropy(losses.one_hot(labels, 3), p, eps=0) >= loss


# --- bad input -------------------------------------------------------------------------

GOOD_Z = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]


@pytest.mark.parametrize(
    "labels, logits, kwargs, err, match",
    [
        ([0, 3], GOOD_Z, {}, ValueError, r"labels must be in 0\.\.2, got 3"),
        ([0, 1.5], GOOD_Z, {}, TypeError, "labels must hold integer class labels"),
        ([0, 1, 2], GOOD_Z, {}, ValueError, "labels has 3 labels but logits has 2 rows"),
        ([0], [1.0, 2.0, 3.0], {}, ValueError, r"logits must be 2-D.*logits\[None, :\]"),
        (GOOD_Z, [0, 1], {}, ValueError, "are the arguments swapped"),
        ([0], [[1.0, np.nan]], {}, ValueError, "logits holds NaN or infinite"),
        ([0], [["a", "b"]], {}, TypeError, "logits must be a numeric array"),
        ([0, 1], GOOD_Z, {"reduction": "average"}, ValueError, "reduction must be one of"),
    ],
)
def test_sparse_cross_entropy_bad_input(labels, logits, kwargs, err, match):
    with pytest.raises(err, match=match):
        losses.sparse_cross_entropy(labels, logits, **kwargs)
    if "reduction" not in kwargs:
        with pytest.raises(err, match=match):
            losses.sparse_cross_entropy_grad(labels, logits)
        with pytest.raises(err, match=match):
            losses.softmax_mse_grad(labels, logits)


@pytest.mark.parametrize(
    "y, p, kwargs, err, match",
    [
        ([[1, 0]], [[1.2, -0.2]], {}, ValueError, r"probs must lie in \[0, 1\]"),
        ([[1, 0]], [[0.5, 0.4]], {}, ValueError, "each row of probs must sum to 1.*row 0"),
        ([[1, 0]], [[0.5, 0.5, 0.0]], {}, ValueError, "must have the same shape"),
        ([0, 1], [[0.5, 0.5], [0.5, 0.5]], {}, ValueError,
         r"y_onehot must be one-hot rows.*sparse_cross_entropy.*one_hot"),
        ([[0, 1]], [0.5, 0.5], {}, ValueError, r"probs must be 2-D.*probs\[None, :\]"),
        ([[1, 1]], [[0.5, 0.5]], {}, ValueError, "each row of y_onehot must sum to 1"),
        ([[1, 0]], [[np.nan, 1.0]], {}, ValueError, "probs holds NaN or infinite"),
        ([[1, 0]], [[0.5, 0.5]], {"eps": 0.5}, ValueError, r"eps must be in \[0, 0\.5\)"),
        ([[1, 0]], [[0.5, 0.5]], {"eps": "tiny"}, TypeError, "eps must be a real number"),
    ],
)
def test_cross_entropy_bad_input(y, p, kwargs, err, match):
    with pytest.raises(err, match=match):
        losses.cross_entropy(y, p, **kwargs)


@pytest.mark.parametrize(
    "y, y_hat, err, match",
    [
        ([1.0, 0.0], [[1.0, 0.0]], ValueError, "y and y_hat must have the same shape"),
        ([1.0, 0.0], [np.nan, 0.0], ValueError, "y_hat holds NaN or infinite"),
        ([1.0, 0.0], ["a", "b"], TypeError, "y_hat must be a numeric array"),
    ],
)
def test_mse_bad_input(y, y_hat, err, match):
    with pytest.raises(err, match=match):
        losses.mse(y, y_hat)


def test_logits_spread_beyond_the_dtype_give_inf_loss_without_warning():
    """A right class more than float64's range below the max has an infinite loss."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        losses_ = losses.sparse_cross_entropy([1, 0], [[1e308, -1e308], [1e308, -1e308]],
                                              reduction="none")
        grad = losses.sparse_cross_entropy_grad([1], [[1e308, -1e308]])
    np.testing.assert_array_equal(losses_, [np.inf, 0.0])
    np.testing.assert_array_equal(grad, [[1.0, -1.0]])  # still finite
