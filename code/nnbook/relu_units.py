"""Sums of ReLU units: how straight pieces make a curve (the ReLU chapter).

A network with one input ``x``, one hidden layer of ``U`` ReLU units and a
linear output computes

.. math::

    \\hat y = \\sum_{j=0}^{U-1} v_j \\, \\operatorname{relu}(w_j x + b_j) + c .

Unit ``j`` is *off* (outputs 0) where :math:`w_j x + b_j \\le 0` and a straight
line elsewhere; its kink sits at :math:`x = -b_j / w_j`. Adding units adds
kinks, so the sum is a piecewise-linear curve.

The chapter's example target is :func:`piecewise_target`, and
:func:`fit_relu_network` lets Keras find its own units for it;
:func:`fold_output_weights` compares them with the hand-made ones, and
:func:`dead_unit_counts` follows units dying during the fit. The helpers
live in their own module, not in :mod:`nnbook.activations`, because they are
about one worked example, not about activation functions in general. The
chapter calls them with fixed, well-formed arguments, so they do not check
their inputs. Importing this module does not import TensorFlow;
:func:`fit_relu_network` does, when first called.
"""

import dataclasses
import math
import typing

import numpy as np

from nnbook.activations import relu, relu_derivative

__all__ = [
    "ReluFit",
    "UnitWeights",
    "combine_linear_layers",
    "dead_unit_counts",
    "dead_units",
    "fit_relu_network",
    "fold_output_weights",
    "piecewise_target",
    "pre_activations",
    "relu_sum",
    "relu_sum_gradients",
    "unit_outputs",
]


def piecewise_target(x):
    """The chapter's target: -2x + 2 on [0, 1], x - 1 on [1, 2], 3x - 5 on [2, 3].

    The pieces meet at (1, 0) and (2, 1), so the curve is continuous. Outside
    [0, 3] the first and last pieces continue as straight lines.

    Parameters
    ----------
    x : array_like, any shape
        Inputs.

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
    """
    x = np.asarray(x)
    return np.where(x < 1, -2 * x + 2, np.where(x < 2, x - 1, 3 * x - 5))


def pre_activations(x, w, b):
    """Each unit's pre-activation, :math:`z_{ij} = w_j x_i + b_j`.

    Parameters
    ----------
    x : array_like, shape (m,)
        Inputs, one number per example.
    w, b : array_like, shape (U,)
        Weight and bias of each of the ``U`` units.

    Returns
    -------
    ndarray, shape (m, U)
    """
    return np.outer(x, w) + b


def unit_outputs(x, w, b):
    """Each unit's activation, :math:`a_{ij} = \\operatorname{relu}(w_j x_i + b_j)`.

    Parameters
    ----------
    x : array_like, shape (m,)
    w, b : array_like, shape (U,)

    Returns
    -------
    ndarray, shape (m, U)
        Column ``j`` is unit ``j``'s output for every input.
    """
    return relu(pre_activations(x, w, b))


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
    """
    v = np.ones(np.shape(w)) if v is None else v
    return unit_outputs(x, w, b) @ v + c


def relu_sum_gradients(x, y, w, b, v=None, c=0.0):
    """Gradients of the mean squared error of :func:`relu_sum`.

    The cost is :math:`J = \\frac1m \\sum_i (\\hat y_i - y_i)^2` (Keras's
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
    """
    x = np.asarray(x)
    v = np.ones(np.shape(w)) if v is None else v
    z = pre_activations(x, w, b)
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

    Returns a bool array of shape (U,): True for a dead unit, which outputs 0
    on all of ``x`` (shape (m,)), and so does its gradient.
    """
    return np.all(pre_activations(x, w, b) <= 0, axis=0)


def fold_output_weights(w, b, v):
    """Each unit with its output weight folded in: ``(v * w, v * b)``.

    For :math:`v > 0`, :math:`v \\operatorname{relu}(w x + b) = \\operatorname{relu}(v w x + v b)`:
    scaling a unit's output by a positive number is the same as scaling its
    weight and bias. The folded unit has the slope :math:`v w` where it is on
    and the same kink, :math:`-b / w`, so a network with positive output
    weights is a plain sum of the folded units (plus its output bias).

    Parameters
    ----------
    w, b, v : array_like, shape (U,)
        Hidden units' weights and biases, and their output weights.

    Returns
    -------
    w_folded, b_folded : ndarray, shape (U,)

    Raises
    ------
    ValueError
        If an output weight is not positive: for :math:`v < 0` the unit is
        turned upside down, which no plain unit can do.
    """
    w, b, v = (np.asarray(a, dtype=float) for a in (w, b, v))
    if np.any(v <= 0):
        raise ValueError(f"v must be positive to fold into the unit (v relu(z) = relu(v z) "
                         f"needs v > 0), got v = {v.tolist()}")
    return v * w, v * b


def combine_linear_layers(W1, b1, W2, b2):
    """The single linear layer equal to two stacked linear layers.

    With row vectors, :math:`(\\mathbf{x} W_1 + \\mathbf{b}_1) W_2 + \\mathbf{b}_2
    = \\mathbf{x} W + \\mathbf{b}` where :math:`W = W_1 W_2` and
    :math:`\\mathbf{b} = \\mathbf{b}_1 W_2 + \\mathbf{b}_2`.

    Parameters
    ----------
    W1 : ndarray, shape (n, h)
    b1 : ndarray, shape (h,)
    W2 : ndarray, shape (h, k)
    b2 : ndarray, shape (k,)

    Returns
    -------
    W : ndarray, shape (n, k)
    b : ndarray, shape (k,)
    """
    return W1 @ W2, b1 @ W2 + b2


class UnitWeights(typing.NamedTuple):
    """The weights of a one-input ReLU network at one moment, for the raw ``x``.

    Unit ``j`` computes ``relu(w[j] * x + b[j])``; the output is
    ``sum(v * unit outputs) + c`` (see :func:`relu_sum`).
    """

    w: np.ndarray
    b: np.ndarray
    v: np.ndarray
    c: float


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
    trajectory : list of UnitWeights
        The weights before training (index 0) and after each epoch (index
        ``e`` for epoch ``e``); the last entry equals ``w, b, v, c``.
    model : keras.Model
        The trained Keras model (input -> scaling -> Dense(U, relu) -> Dense(1)).
    """

    w: np.ndarray
    b: np.ndarray
    v: np.ndarray
    c: float
    history: list
    trajectory: list
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
    x, y : ndarray, shape (m,)
        Inputs (at least two different values) and targets.
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
        The learned weights, expressed for the raw ``x``, the loss history,
        the weights after each epoch and the model.
    """
    import keras  # here, so that importing nnbook does not load TensorFlow

    class Record(keras.callbacks.Callback):
        """Keep the weights, for the raw ``x``, at the start and after every epoch."""

        def on_train_begin(self, logs=None):
            trajectory.append(raw_weights(self.model))

        def on_epoch_end(self, epoch, logs=None):
            trajectory.append(raw_weights(self.model))

    def raw_weights(model):
        W1, b1 = (np.asarray(p, dtype=np.float64) for p in model.layers[1].get_weights())
        W2, b2 = (np.asarray(p, dtype=np.float64) for p in model.layers[2].get_weights())
        # unit j sees scale * x + offset: w (scale x + offset) + b = (w scale) x + (w offset + b)
        return UnitWeights(w=W1[0] * scale, b=W1[0] * offset + b1, v=W2[:, 0], c=float(b2[0]))

    trajectory = []
    keras.utils.set_random_seed(seed)
    lo, hi = float(np.min(x)), float(np.max(x))
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
        callbacks=[Record()],
    )
    w, b, v, c = trajectory[-1]
    return ReluFit(
        w=w,
        b=b,
        v=v,
        c=c,
        history=[float(h) for h in hist.history["loss"]],
        trajectory=trajectory,
        model=model,
    )


def dead_unit_counts(x, fit):
    """How many units are dead (off for every input in ``x``) at the start and after each epoch.

    Parameters
    ----------
    x : ndarray, shape (m,)
        The inputs to test the units on, usually the training inputs.
    fit : ReluFit
        A fit from :func:`fit_relu_network`.

    Returns
    -------
    ndarray of int, shape (epochs + 1,)
        Entry 0 is before training, entry ``e`` after epoch ``e``.
    """
    return np.array([int(dead_units(x, s.w, s.b).sum()) for s in fit.trajectory])
