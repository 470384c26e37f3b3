"""Tests of nnbook.activations against TensorFlow and SciPy, with property tests."""

import warnings

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnbook import activations


# --- softmax, log_softmax, logsumexp --------------------------------------------

SOFTMAX_FAMILY = [activations.softmax, activations.log_softmax, activations.logsumexp]
SCIPY_SOFTMAX = {
    "softmax": scipy.special.softmax,
    "log_softmax": scipy.special.log_softmax,
    "logsumexp": scipy.special.logsumexp,
}
SM_TOL = {np.float32: 1e-5, np.float64: 1e-12}  # abs. tolerance against references


def _sm_scores(shape, dtype, scale=5.0, seed=0):
    return np.random.default_rng(seed).normal(scale=scale, size=shape).astype(dtype)


# Extremes: huge, tiny, mixed-sign, equal, and one-dominant scores.
SM_EXTREMES = {
    "plus_1e4": np.full((2, 5), 1e4),
    "minus_1e4": np.full((2, 5), -1e4),
    "mixed_1e4": np.array([[1e4, -1e4, 0.0, 1e4 - 1, 5.0], [-1e4, -1e4 + 3, 1e4, 1e4, 1e4]]),
    "lab_overflow": np.array([[1000.0, 1001.0], [710.0, 0.0]]),
    "equal_ten": np.zeros((1, 10)),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("shape", "axis"), [((7,), 0), ((6, 10), -1), ((6, 10), 0), ((3, 4, 5), 1)])
@pytest.mark.parametrize("name", list(SCIPY_SOFTMAX))
def test_softmax_family_matches_scipy_on_random_scores(name, shape, axis, dtype):
    z = _sm_scores(shape, dtype)
    got = getattr(activations, name)(z, axis=axis)
    expected = SCIPY_SOFTMAX[name](z.astype(np.float64), axis=axis)
    assert got.dtype == dtype
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=SM_TOL[dtype], atol=SM_TOL[dtype])


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", list(SM_EXTREMES))
@pytest.mark.parametrize("name", list(SCIPY_SOFTMAX))
def test_softmax_family_matches_scipy_on_extremes_without_warning(name, case, dtype):
    z = SM_EXTREMES[case].astype(dtype)
    got = getattr(activations, name)(z)
    expected = SCIPY_SOFTMAX[name](z.astype(np.float64), axis=-1)
    assert np.all(np.isfinite(got)), f"{name} gave NaN/inf on {case}"
    assert got.dtype == dtype
    # logsumexp of 1e4 in float32: float32 spacing there is ~1e-3, so compare relatively.
    np.testing.assert_allclose(got, expected, rtol=SM_TOL[dtype], atol=SM_TOL[dtype])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_family_matches_tensorflow(axis, dtype):
    tf = pytest.importorskip("tensorflow")
    extremes = [[1e4, -1e4, 0.0, 1e4 - 1, 5.0, -3.0, 2.0, 1e4],
                [-1e4, -1e4 + 3, 1e4, 1e4, -1e4, 0.0, 1.0, -1e4]]
    z = np.concatenate([_sm_scores((5, 8), dtype, seed=1), np.array(extremes, dtype)])
    np.testing.assert_allclose(
        activations.softmax(z, axis=axis), tf.nn.softmax(z, axis=axis).numpy(),
        rtol=SM_TOL[dtype], atol=SM_TOL[dtype],
    )
    np.testing.assert_allclose(
        activations.log_softmax(z, axis=axis), tf.nn.log_softmax(z, axis=axis).numpy(),
        rtol=SM_TOL[dtype], atol=SM_TOL[dtype],
    )
    np.testing.assert_allclose(
        activations.logsumexp(z, axis=axis), tf.reduce_logsumexp(z, axis=axis).numpy(),
        rtol=SM_TOL[dtype], atol=SM_TOL[dtype],
    )


def test_softmax_of_1_2_3_4_and_of_equal_scores():
    np.testing.assert_allclose(
        activations.softmax([1, 2, 3, 4]), [0.0320586, 0.0871443, 0.2368828, 0.6439143], atol=1e-7
    )
    np.testing.assert_allclose(activations.softmax(np.full(10, 3.7)), np.full(10, 0.1), atol=1e-15)


def test_softmax_family_dtypes_and_shapes():
    assert activations.softmax(np.ones(3, np.float32)).dtype == np.float32
    assert activations.softmax([1, 2, 3]).dtype == np.float64  # ints are promoted
    assert activations.softmax([True, False]).dtype == np.float64
    assert activations.softmax(np.ones(3, np.float16)).dtype == np.float32
    assert activations.softmax(2.5).shape == ()  # a single score is certain: 1
    assert activations.softmax(2.5) == 1.0
    assert activations.log_softmax(np.ones((2, 3, 4)), axis=1).shape == (2, 3, 4)
    assert activations.logsumexp(np.ones((2, 3, 4)), axis=1).shape == (2, 4)
    assert np.ndim(activations.logsumexp([1.0, 2.0])) == 0


def test_softmax_family_does_not_change_its_input():
    z = _sm_scores((4, 5), np.float64)
    before = z.copy()
    for fn in SOFTMAX_FAMILY:
        fn(z)
    np.testing.assert_array_equal(z, before)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_softmax_family_nan_or_inf_spoils_only_its_own_row(bad, dtype):
    z = np.array([[1000.0, bad, 3.0], [1.0, 2.0, 3.0], [1e4, -1e4, 0.0]], dtype=dtype)
    for fn in SOFTMAX_FAMILY:
        got = fn(z)  # must not warn (filterwarnings error)
        expected = SCIPY_SOFTMAX[fn.__name__](z[1:].astype(np.float64), axis=-1)
        np.testing.assert_allclose(got[1:], expected, rtol=SM_TOL[dtype], atol=SM_TOL[dtype])
    assert np.all(np.isnan(activations.softmax(z)[0]))
    assert np.all(np.isnan(activations.log_softmax(z)[0]))
    # log(e^1000 + e^inf + e^3) is +inf; with a NaN it is NaN.
    np.testing.assert_array_equal(activations.logsumexp(z)[0], bad)


@pytest.mark.filterwarnings("error")
def test_softmax_family_all_minus_inf_row():
    z = np.array([[-np.inf, -np.inf], [-np.inf, 0.0]])
    np.testing.assert_array_equal(activations.softmax(z), [[np.nan, np.nan], [0.0, 1.0]])
    np.testing.assert_array_equal(activations.logsumexp(z), [-np.inf, 0.0])


@pytest.mark.parametrize(
    ("z", "axis", "error", "match"),
    [
        ([], -1, ValueError, r"z is empty"),
        (np.ones((2, 3)), 2, ValueError, r"axis=2 is out of range"),
        ([1.0, 2.0], None, TypeError, r"axis must be an int"),
    ],
)
def test_softmax_bad_input(z, axis, error, match):
    with pytest.raises(error, match=match):
        activations.softmax(z, axis=axis)


# Property tests: rows of up to 12 scores in [-1e4, 1e4], batches of up to 4 rows.
_sm_rows = st.sampled_from([np.float32, np.float64]).flatmap(
    lambda dtype: hnp.arrays(
        dtype,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=12),
        elements=st.floats(-1e4, 1e4, width=32),
    )
)


@pytest.mark.filterwarnings("error")
@settings(deadline=None, max_examples=60)
@given(_sm_rows)
def test_softmax_rows_sum_to_one(z):
    p = activations.softmax(z)
    assert p.dtype == z.dtype
    assert np.all((p >= 0) & (p <= 1))
    tol = 1e-6 if z.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(p.sum(axis=-1, dtype=np.float64), 1.0, rtol=0, atol=tol)
    # Along axis 0 too: the columns of the same batch.
    np.testing.assert_allclose(activations.softmax(z, axis=0).sum(axis=0, dtype=np.float64), 1.0,
                               rtol=0, atol=tol)


@settings(deadline=None, max_examples=60)
@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=10),
               elements=st.floats(-100, 100)),
    st.floats(-1e3, 1e3),
)
def test_softmax_shift_invariance(z, c):
    np.testing.assert_allclose(activations.softmax(z + c), activations.softmax(z), rtol=0, atol=1e-10)
    np.testing.assert_allclose(activations.log_softmax(z + c), activations.log_softmax(z),
                               rtol=0, atol=1e-9)


@settings(deadline=None, max_examples=60)
@given(hnp.arrays(np.float64, st.integers(1, 12), elements=st.floats(-1e4, 1e4)))
def test_softmax_preserves_order(z):
    p = activations.softmax(z)
    i, j = np.nonzero(z[:, None] < z[None, :])  # every pair with z_i < z_j
    assert np.all(p[i] <= p[j])
    assert p[np.argmax(z)] == p.max()  # the top score gets the top probability


@settings(deadline=None, max_examples=60)
@given(_sm_rows)
def test_log_softmax_is_log_of_softmax_where_not_tiny(z):
    p = activations.softmax(z)
    logp = activations.log_softmax(z)
    visible = p > 1e-30  # log of a tiny or underflowed probability is not informative
    assert visible.any()
    tol = 1e-5 if z.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(logp[visible], np.log(p[visible]), rtol=0, atol=tol)
    # and logsumexp is what log_softmax subtracts
    # z - log_softmax(z) rounds at the scale of |z|: allow a few ulps of that.
    atol = 8 * np.finfo(z.dtype).eps * (1 + np.abs(z).max())
    lse = np.broadcast_to(activations.logsumexp(z)[:, None], z.shape)
    np.testing.assert_allclose(z - logp, lse, rtol=0, atol=atol)


# --- relu, relu_derivative, sigmoid, linear -------------------------------------

ELEMENTWISE = [activations.relu, activations.relu_derivative, activations.sigmoid, activations.linear]
RELU_EXTREMES = [-1e4, -100.0, -1.0, -1e-30, -0.0, 0.0, 1e-30, 1.0, 100.0, 1e4]


@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow")


def _tf_relu_grad(tf, z):
    """TensorFlow's gradient of sum(relu(z)): relu'(z) element by element."""
    t = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(t)
        out = tf.reduce_sum(tf.nn.relu(t))
    return tape.gradient(out, t).numpy()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(7,), (4, 5), (2, 3, 4)])
def test_relu_sigmoid_match_tensorflow_and_scipy_on_random_arrays(tf, shape, dtype):
    z = np.random.default_rng(3).normal(scale=4.0, size=shape).astype(dtype)
    tol = 1e-6 if dtype == np.float32 else 1e-15
    np.testing.assert_array_equal(activations.relu(z), tf.nn.relu(z).numpy())
    np.testing.assert_array_equal(activations.relu_derivative(z), _tf_relu_grad(tf, z))
    np.testing.assert_allclose(activations.sigmoid(z), tf.math.sigmoid(z).numpy(), rtol=0, atol=tol)
    np.testing.assert_allclose(activations.sigmoid(z), scipy.special.expit(z), rtol=4 * tol, atol=0)
    np.testing.assert_array_equal(activations.linear(z), z)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_sigmoid_on_extremes_without_warning_or_nan(tf, dtype):
    z = np.array(RELU_EXTREMES, dtype=dtype)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        out = {fn.__name__: fn(z) for fn in ELEMENTWISE}
    for name, values in out.items():
        assert values.dtype == dtype, name
        assert np.all(np.isfinite(values)), name
    np.testing.assert_array_equal(out["relu"], tf.nn.relu(z).numpy())
    np.testing.assert_array_equal(out["relu"], np.where(z > 0, z, 0))
    np.testing.assert_array_equal(out["relu_derivative"], _tf_relu_grad(tf, z))
    np.testing.assert_array_equal(out["relu_derivative"], (z > 0).astype(dtype))
    # atol: for float32, scipy and TF give 0 for sigmoid(-100) where we give the subnormal e^-100
    np.testing.assert_allclose(out["sigmoid"], scipy.special.expit(z), rtol=1e-6, atol=1e-30)
    np.testing.assert_allclose(out["sigmoid"], tf.math.sigmoid(z).numpy(), rtol=1e-6, atol=1e-30)
    assert out["sigmoid"][0] == 0 and out["sigmoid"][-1] == 1  # sigmoid(-1e4), sigmoid(1e4)
    assert out["sigmoid"][4] == out["sigmoid"][5] == 0.5  # -0.0 and 0.0


def test_relu_derivative_is_zero_at_zero_like_tensorflow(tf):
    z = np.array([-0.0, 0.0])
    np.testing.assert_array_equal(activations.relu_derivative(z), [0.0, 0.0])
    np.testing.assert_array_equal(_tf_relu_grad(tf, z), [0.0, 0.0])


@pytest.mark.parametrize("fn", ELEMENTWISE, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_elementwise_nan_propagates_and_infinities(fn, dtype):
    z = np.array([np.nan, -np.inf, -1.0, 1.0, np.inf], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = fn(z)
    assert np.isnan(out[0])
    assert not np.any(np.isnan(out[1:]))
    expected = {"relu": [0, 0, 1, np.inf], "relu_derivative": [0, 0, 1, 1],
                "sigmoid": [0, scipy.special.expit(-1.0), scipy.special.expit(1.0), 1],
                "linear": [-np.inf, -1, 1, np.inf]}[fn.__name__]
    np.testing.assert_allclose(out[1:], np.array(expected, dtype=dtype), rtol=1e-6)


@pytest.mark.parametrize("fn", ELEMENTWISE, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    "z, dtype",
    [
        (np.ones((2, 3), np.float32), np.float32),
        (np.ones((2, 3), np.float64), np.float64),
        (np.ones(4, np.float16), np.float32),
        (np.arange(-3, 3, dtype=np.int8), np.float64),
        (np.arange(6, dtype=np.uint16).reshape(2, 3), np.float64),
        (np.arange(-3, 3), np.float64),
        (np.array([True, False]), np.float64),
        ([[-1, 2], [3, -4]], np.float64),
        (-2.5, np.float64),
        (np.float32(-2.5), np.float32),
        (np.zeros((0, 3)), np.float64),
    ],
    ids=["f32", "f64", "f16", "int8", "uint16", "int64", "bool", "list", "py-float", "f32-scalar", "empty"],
)
def test_elementwise_dtype_and_shape(fn, z, dtype):
    out = fn(z)
    assert isinstance(out, np.ndarray)
    assert out.dtype == dtype
    assert out.shape == np.shape(z)


def test_integer_input_gives_the_float_answer():
    z = np.array([-3, -1, 0, 2, 5])
    np.testing.assert_array_equal(activations.relu(z), [0.0, 0.0, 0.0, 2.0, 5.0])
    np.testing.assert_array_equal(activations.relu_derivative(z), [0.0, 0.0, 0.0, 1.0, 1.0])
    np.testing.assert_allclose(activations.sigmoid(z), scipy.special.expit(z.astype(float)), rtol=1e-15)


@pytest.mark.parametrize("fn", ELEMENTWISE, ids=lambda f: f.__name__)
def test_elementwise_does_not_change_its_input_and_returns_a_new_array(fn):
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    before = z.copy()
    out = fn(z)
    np.testing.assert_array_equal(z, before)
    assert not np.shares_memory(out, z)


@pytest.mark.parametrize(
    "z, match",
    [
        (np.array([1 + 2j, 3.0]), "z must be real, got complex"),
        (np.array(["1", "2"]), "z must be a numeric array, got dtype <U"),
        ([[1.0, 2.0], [3.0]], "z must be a rectangular numeric array"),
    ],
    ids=["complex", "strings", "ragged"],
)
def test_bad_input_names_z(z, match):
    with pytest.raises(TypeError, match=match):
        activations.relu(z)


_finite_f64 = hnp.arrays(
    np.float64, hnp.array_shapes(max_dims=2, max_side=6),
    elements=st.floats(-1e4, 1e4, allow_nan=False),
)
_finite_f32 = hnp.arrays(
    np.float32, hnp.array_shapes(max_dims=2, max_side=6),
    elements=st.floats(-1e4, 1e4, allow_nan=False, width=32),
)


@settings(deadline=None, max_examples=60)
@given(z=st.one_of(_finite_f64, _finite_f32))
def test_relu_is_non_negative_and_relu_z_minus_relu_minus_z_is_z(z):
    r = activations.relu(z)
    assert np.all(r >= 0)
    np.testing.assert_array_equal(r - activations.relu(-z), z)  # exact: one of the two is 0


@settings(deadline=None, max_examples=60)
@given(z=st.one_of(_finite_f64, _finite_f32))
def test_sigmoid_is_in_0_1_and_symmetric(z):
    s = activations.sigmoid(z)
    assert np.all((s >= 0) & (s <= 1))
    atol = 1e-6 if z.dtype == np.float32 else 1e-15
    np.testing.assert_allclose(activations.sigmoid(-z), 1 - s, rtol=0, atol=atol)


@settings(deadline=None, max_examples=40)
@given(z=hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-50, 50).filter(lambda v: abs(v) > 1e-3)))
def test_relu_derivative_matches_finite_differences_away_from_zero(z):
    h = 1e-4
    fd = (activations.relu(z + h) - activations.relu(z - h)) / (2 * h)
    np.testing.assert_allclose(activations.relu_derivative(z), fd, rtol=0, atol=1e-6)


# --- scores whose spread exceeds the dtype's range: no warning leaks -------------------------


@pytest.mark.parametrize(
    "fn, z, expected",
    [
        (activations.softmax, np.float32([3e38, -3e38]), [1.0, 0.0]),
        (activations.softmax, [1e308, -1e308], [1.0, 0.0]),
        (activations.log_softmax, [1e308, -1e308], [0.0, -np.inf]),
        (activations.log_softmax, np.float32([3e38, -3e38]), [0.0, -np.inf]),
        (activations.logsumexp, [1e308, -1e308], 1e308),
    ],
)
def test_softmax_family_spread_beyond_the_dtype_gives_no_warning(fn, z, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "overflow encountered in subtract" would fail here
        with np.errstate(all="raise"):  # the functions must set their own errstate
            got = fn(z)
    np.testing.assert_array_equal(got, np.asarray(expected, dtype=np.asarray(z).dtype))


# --- softmax_jacobian: dp_k/dz_j = p_k (delta_kj - p_j) ----------------------------------


def _tf_softmax_jacobian(tf, z):
    """TensorFlow's Jacobian of tf.nn.softmax, by automatic differentiation (GradientTape)."""
    t = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(t)
        p = tf.nn.softmax(t)
    return (tape.batch_jacobian(p, t) if z.ndim == 2 else tape.jacobian(p, t)).numpy()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(4,), (10,), (6, 10)])
def test_softmax_jacobian_matches_tensorflow(tf, shape, dtype):
    z = _sm_scores(shape, dtype, scale=3.0, seed=2)
    got = activations.softmax_jacobian(z)
    assert got.dtype == dtype and got.shape == shape + (shape[-1],)
    tol = 1e-6 if dtype == np.float32 else 1e-15
    np.testing.assert_allclose(got, _tf_softmax_jacobian(tf, z), rtol=0, atol=tol)


def test_softmax_jacobian_matches_finite_differences():
    z = _sm_scores((5, 7), np.float64, scale=3.0, seed=4)
    h = 1e-6
    for j in range(7):
        step = np.zeros(7)
        step[j] = h
        fd = (activations.softmax(z + step) - activations.softmax(z - step)) / (2 * h)
        np.testing.assert_allclose(activations.softmax_jacobian(z)[:, :, j], fd, rtol=0, atol=1e-9)


def test_softmax_jacobian_by_hand_and_its_shape():
    # two equal scores: p = (1/2, 1/2), so J = [[1/4, -1/4], [-1/4, 1/4]]
    np.testing.assert_allclose(activations.softmax_jacobian([0.0, 0.0]), [[0.25, -0.25], [-0.25, 0.25]])
    p = activations.softmax([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(activations.softmax_jacobian([1.0, 2.0, 3.0, 4.0]),
                               np.diag(p) - np.outer(p, p), atol=1e-16)
    assert activations.softmax_jacobian([[1, 2, 3]]).shape == (1, 3, 3)  # ints become float64


@settings(deadline=None, max_examples=60)
@given(z=_sm_rows)
def test_softmax_jacobian_symmetric_columns_sum_to_zero_signs(z):
    J = activations.softmax_jacobian(z)
    atol = 1e-6 if z.dtype == np.float32 else 1e-15
    np.testing.assert_allclose(J, np.swapaxes(J, 1, 2), rtol=0, atol=atol)
    np.testing.assert_allclose(J.sum(axis=1), 0, rtol=0, atol=atol)  # probabilities still sum to 1
    K = z.shape[1]
    assert np.all(J[:, np.eye(K, dtype=bool)] >= 0)
    assert np.all(J[:, ~np.eye(K, dtype=bool)] <= 0)


@pytest.mark.filterwarnings("error")
def test_softmax_jacobian_on_extreme_scores_is_finite():
    J = activations.softmax_jacobian(np.float32([1e4, -1e4, 1e4 - 1]))
    assert J.dtype == np.float32 and np.all(np.isfinite(J))


@pytest.mark.parametrize(
    ("z", "error", "match"),
    [
        (np.array(["1", "2"]), TypeError, "z must be a numeric array"),
        ([], ValueError, "z is empty"),
        (np.ones((2, 3, 4)), ValueError, r"z must be one row of scores \(K,\) or a batch \(m, K\)"),
    ],
)
def test_softmax_jacobian_bad_input(z, error, match):
    with pytest.raises(error, match=match):
        activations.softmax_jacobian(z)
