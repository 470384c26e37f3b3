"""Sums of ReLU units: how straight pieces make a curve (the ReLU chapter).

A network with one input ``x``, one hidden layer of ``U`` ReLU units and a
linear output computes

.. math::

    \\hat y = \\sum_{j=0}^{U-1} v_j \\, \\operatorname{relu}(w_j x + b_j) + c .

Unit ``j`` is *off* (outputs 0) where :math:`w_j x + b_j \\le 0` and a straight
line elsewhere; its kink sits at :math:`x = -b_j / w_j`. Adding units adds
kinks, so the sum is a piecewise-linear curve.

The chapter's example target (:func:`piecewise_target`) has three pieces on
[0, 3]; :data:`HAND_W` and :data:`HAND_B` are the hand-made units that sum to
it exactly, and :func:`fit_relu_network` lets Keras find its own units.
The helpers live in their own module, not in :mod:`nnbook.activations`,
because they are about one worked example (a target, a network of three units
and its fit), not about activation functions in general.

Importing this module does not import TensorFlow (:func:`fit_relu_network`
does, when first called); like :mod:`nnbook.models`, it sets
``TF_CPP_MIN_LOG_LEVEL=2`` (unless already set) so that TensorFlow's
informational C++ log lines stay out of the output when it is imported.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before any TensorFlow import

import dataclasses  # noqa: E402
import math  # noqa: E402

import numpy as np  # noqa: E402

from nnbook._validate import (  # noqa: E402
    as_float_array,
    check_finite,
    check_nonempty,
    check_positive_int,
    check_positive_number,
    check_real,
    check_seed,
)
from nnbook.activations import relu, relu_derivative  # noqa: E402

__all__ = [
    "HAND_B",
    "HAND_W",
    "TARGET_PIECES",
    "ReluFit",
    "combine_linear_layers",
    "dead_units",
    "fit_relu_network",
    "piecewise_target",
    "relu_sum",
    "relu_sum_gradients",
    "unit_outputs",
]

TARGET_PIECES = ((0.0, 1.0, -2.0, 2.0), (1.0, 2.0, 1.0, -1.0), (2.0, 3.0, 3.0, -5.0))
"""The target's pieces as ``(x_from, x_to, slope, intercept)``: -2x+2, x-1, 3x-5."""

HAND_W = np.array([-2.0, 1.0, 2.0])
"""Weights ``w_0, w_1, w_2`` of the three hand-made units that sum to the target."""

HAND_B = np.array([2.0, -1.0, -4.0])
"""Biases ``b_0, b_1, b_2`` of the three hand-made units that sum to the target."""


def piecewise_target(x):
    """The chapter's target: -2x + 2 on [0, 1], x - 1 on [1, 2], 3x - 5 on [2, 3].

    The pieces meet at (1, 0) and (2, 1), so the curve is continuous. Outside
    [0, 3] the first and last pieces continue as straight lines (which is also
    what the sum of the hand-made units does).

    Parameters
    ----------
    x : array_like, any shape
        Inputs.

    Returns
    -------
    ndarray, same shape and float dtype as ``x``

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array.
    """
    x = as_float_array(x, "x")
    (_, x1, s0, c0), (_, x2, s1, c1), (_, _, s2, c2) = TARGET_PIECES
    out = np.where(x < x1, s0 * x + c0, np.where(x < x2, s1 * x + c1, s2 * x + c2))
    return np.asarray(out.astype(x.dtype, copy=False))


def _units(x, w, b, v=None):
    """Validate the inputs of the unit functions; return float arrays ``x, w, b, v``."""
    x = as_float_array(x, "x")
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D (one input per example), got shape {x.shape}")
    check_nonempty(x, "x")
    w = as_float_array(w, "w")
    b = as_float_array(b, "b")
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"w must be 1-D with one weight per unit, got shape {w.shape}")
    if b.shape != w.shape:
        raise ValueError(f"b must have the shape of w {w.shape} (one bias per unit), got {b.shape}")
    if v is None:
        v = np.ones_like(w)
    else:
        v = as_float_array(v, "v")
        if v.shape != w.shape:
            raise ValueError(f"v must have the shape of w {w.shape} (one weight per unit), got {v.shape}")
    return x, w, b, v


def unit_outputs(x, w, b):
    """Each unit's activation, :math:`a_{ij} = \\operatorname{relu}(w_j x_i + b_j)`.

    Parameters
    ----------
    x : array_like, shape (m,)
        Inputs, one number per example.
    w, b : array_like, shape (U,)
        Weight and bias of each of the ``U`` units.

    Returns
    -------
    ndarray, shape (m, U)
        Column ``j`` is unit ``j``'s output for every input; float64 unless
        every argument is float32.

    Raises
    ------
    TypeError
        If an argument is not a real numeric array.
    ValueError
        If ``x`` is not 1-D or empty, ``w`` is not 1-D or empty, or ``b``'s
        shape differs from ``w``'s.
    """
    x, w, b, _ = _units(x, w, b)
    return relu(np.outer(x, w) + b)


def relu_sum(x, w, b, v=None, c=0.0):
    """Output of one hidden ReLU layer and a linear output unit.

    :math:`\\hat y_i = \\sum_j v_j \\operatorname{relu}(w_j x_i + b_j) + c`.

    Parameters
    ----------
    x : array_like, shape (m,)
        Inputs.
    w, b : array_like, shape (U,)
        Hidden units' weights and biases.
    v : array_like, shape (U,), optional
        Output weights; all ones (a plain sum) if omitted.
    c : float, default 0.0
        Output bias.

    Returns
    -------
    ndarray, shape (m,)

    Raises
    ------
    TypeError
        If an argument is not real and numeric (``c`` must be a real number).
    ValueError
        As :func:`unit_outputs`, if ``v``'s shape differs from ``w``'s, or if
        ``c`` is NaN or infinite.
    """
    x, w, b, v = _units(x, w, b, v)
    c = check_real(c, "c")
    return relu(np.outer(x, w) + b) @ v + c


def relu_sum_gradients(x, y, w, b, v=None, c=0.0):
    """Gradients of the mean squared error of :func:`relu_sum`.

    The cost is :math:`J = \\frac1m \\sum_i (\\hat y_i - y_i)^2` (Keras'
    ``"mse"``). With :math:`e_i = \\frac2m(\\hat y_i - y_i)` and
    :math:`z_{ij} = w_j x_i + b_j`:

    .. math::

        \\frac{\\partial J}{\\partial v_j} = \\sum_i e_i \\operatorname{relu}(z_{ij}),\\quad
        \\frac{\\partial J}{\\partial b_j} = \\sum_i e_i v_j \\operatorname{relu}'(z_{ij}),\\quad
        \\frac{\\partial J}{\\partial w_j} = \\sum_i e_i v_j \\operatorname{relu}'(z_{ij}) x_i,\\quad
        \\frac{\\partial J}{\\partial c} = \\sum_i e_i .

    A unit with :math:`z_{ij} \\le 0` for every example gets 0 for all three
    of its gradients: it is "dead" and gradient descent never moves it.

    Parameters
    ----------
    x, y : array_like, shape (m,)
        Inputs and targets.
    w, b, v, c
        As :func:`relu_sum`.

    Returns
    -------
    dict
        ``{"cost": float, "w": (U,), "b": (U,), "v": (U,), "c": float}``.

    Raises
    ------
    TypeError, ValueError
        As :func:`relu_sum`, or if ``y``'s shape differs from ``x``'s.
    """
    x, w, b, v = _units(x, w, b, v)
    c = check_real(c, "c")
    y = as_float_array(y, "y")
    if y.shape != x.shape:
        raise ValueError(f"y must have the shape of x {x.shape}, got {y.shape}")
    z = np.outer(x, w) + b
    a = relu(z)
    err = a @ v + c - y
    e = 2.0 * err / len(x)
    delta = e[:, None] * v * relu_derivative(z)  # dJ/dz, shape (m, U)
    return {
        "cost": float(np.mean(err**2)),
        "w": x @ delta,
        "b": delta.sum(axis=0),
        "v": e @ a,
        "c": float(e.sum()),
    }


def dead_units(x, w, b):
    """Which units are off (:math:`w_j x_i + b_j \\le 0`) for every input ``x_i``.

    Parameters
    ----------
    x : array_like, shape (m,)
    w, b : array_like, shape (U,)

    Returns
    -------
    ndarray of bool, shape (U,)
        True for a dead unit: it outputs 0 on all of ``x``, and so does its
        gradient.

    Raises
    ------
    TypeError, ValueError
        As :func:`unit_outputs`.
    """
    x, w, b, _ = _units(x, w, b)
    return np.all(np.outer(x, w) + b <= 0, axis=0)


def combine_linear_layers(W1, b1, W2, b2):
    """The single linear layer equal to two stacked linear layers.

    With row vectors, :math:`(\\mathbf{x} W_1 + \\mathbf{b}_1) W_2 + \\mathbf{b}_2
    = \\mathbf{x} W + \\mathbf{b}` where :math:`W = W_1 W_2` and
    :math:`\\mathbf{b} = \\mathbf{b}_1 W_2 + \\mathbf{b}_2`.

    Parameters
    ----------
    W1 : array_like, shape (n, h)
    b1 : array_like, shape (h,)
    W2 : array_like, shape (h, k)
    b2 : array_like, shape (k,)

    Returns
    -------
    W : ndarray, shape (n, k)
    b : ndarray, shape (k,)

    Raises
    ------
    TypeError
        If an argument is not a real numeric array.
    ValueError
        If the shapes do not chain as above.
    """
    W1, b1, W2, b2 = (as_float_array(a, name) for a, name in [(W1, "W1"), (b1, "b1"), (W2, "W2"), (b2, "b2")])
    if W1.ndim != 2 or W2.ndim != 2:
        raise ValueError(f"W1 and W2 must be 2-D, got shapes {W1.shape} and {W2.shape}")
    if W2.shape[0] != W1.shape[1]:
        raise ValueError(f"W2 must have {W1.shape[1]} rows (W1's columns), got shape {W2.shape}")
    if b1.shape != (W1.shape[1],):
        raise ValueError(f"b1 must have shape ({W1.shape[1]},), got {b1.shape}")
    if b2.shape != (W2.shape[1],):
        raise ValueError(f"b2 must have shape ({W2.shape[1]},), got {b2.shape}")
    return W1 @ W2, b1 @ W2 + b2


@dataclasses.dataclass
class ReluFit:
    """What :func:`fit_relu_network` learned, in terms of the raw input ``x``.

    Attributes
    ----------
    w, b : ndarray, shape (U,)
        Hidden units' weights and biases (the input scaling folded in), so
        unit ``j`` computes ``relu(w[j] * x + b[j])``.
    v : ndarray, shape (U,)
        Output weights.
    c : float
        Output bias.
    history : list of float
        Mean squared error after each epoch.
    model : keras.Model
        The trained Keras model (input -> scaling -> Dense(U, relu) -> Dense(1)).
    """

    w: np.ndarray
    b: np.ndarray
    v: np.ndarray
    c: float
    history: list
    model: object


def fit_relu_network(x, y, units=3, epochs=40, batch_size=20, learning_rate=0.02, seed=5):
    """Fit ``y`` with Keras: one hidden layer of ReLU units and a linear output.

    The model is ``keras.Input((1,))`` -> ``Rescaling`` (maps ``x``'s range
    onto [-1, 1], so the units' kinks start inside the data) -> ``Dense(units,
    relu)`` -> ``Dense(1)``, trained with Adam on the mean squared error.
    Everything random is seeded with ``keras.utils.set_random_seed(seed)``
    (which also seeds Python's and NumPy's global generators), so the same
    seed gives the same fit. 40 epochs of 600 points take about 3 s on two
    CPU cores.

    Parameters
    ----------
    x, y : array_like, shape (m,)
        Inputs and targets.
    units : int, default 3
        Hidden ReLU units.
    epochs, batch_size : int
        Passes over the data, and examples per gradient step.
    learning_rate : float, default 0.02
        Adam's step size.
    seed : int, default 5
        On the chapter's target (600 points), seed 5 finds all three pieces;
        seed 0 lets every unit die (see the chapter's dying-ReLU section).

    Returns
    -------
    ReluFit
        The learned weights, expressed for the raw ``x``, the loss history and
        the model.

    Raises
    ------
    TypeError
        If ``x`` or ``y`` is not a real numeric array, or an int argument is
        not an int.
    ValueError
        If ``x`` is not 1-D, empty or constant, ``y``'s shape differs from
        ``x``'s, ``x`` or ``y`` holds NaN or inf, or an int argument or
        ``learning_rate`` is not positive.
    """
    x = as_float_array(x, "x")
    y = as_float_array(y, "y")
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D (one input per example), got shape {x.shape}")
    check_nonempty(x, "x")
    if y.shape != x.shape:
        raise ValueError(f"y must have the shape of x {x.shape}, got {y.shape}")
    check_finite(x, "x")  # NaN or inf would make a NaN fit, or a misleading range
    check_finite(y, "y")
    units = check_positive_int(units, "units")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    learning_rate = check_positive_number(learning_rate, "learning_rate")
    seed = check_seed(seed)
    lo, hi = float(np.min(x)), float(np.max(x))
    if not hi > lo:
        raise ValueError(f"x must hold at least two different values, got only {lo}")

    import keras  # here, so that importing nnbook does not load TensorFlow

    keras.utils.set_random_seed(int(seed))
    scale, offset = 2.0 / (hi - lo), -(hi + lo) / (hi - lo)
    model = keras.Sequential(
        [
            keras.Input(shape=(1,)),
            keras.layers.Rescaling(scale, offset=offset),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="mse",
        steps_per_execution=math.ceil(len(x) / batch_size),  # one call per epoch: fast
    )
    hist = model.fit(
        x.reshape(-1, 1).astype(np.float32),
        y.reshape(-1, 1).astype(np.float32),
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
    )
    W1, b1 = (np.asarray(p, dtype=np.float64) for p in model.layers[1].get_weights())
    W2, b2 = (np.asarray(p, dtype=np.float64) for p in model.layers[2].get_weights())
    # unit j sees scale * x + offset: w (scale x + offset) + b = (w scale) x + (w offset + b)
    w = W1[0] * scale
    b = W1[0] * offset + b1
    return ReluFit(
        w=w,
        b=b,
        v=W2[:, 0],
        c=float(b2[0]),
        history=[float(h) for h in hist.history["loss"]],
        model=model,
    )
