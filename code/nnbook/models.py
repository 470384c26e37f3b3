"""The Keras classifier: build, train, predict, evaluate, save and load.

The course network is a multilayer perceptron (MLP) 784 -> 25 -> 15 -> 10:
two hidden ``Dense`` layers with ReLU and a *linear* output layer of ``K = 10``
units whose outputs are the logits ``z``. The softmax is not a layer: it sits
inside the loss (``SparseCategoricalCrossentropy(from_logits=True)``) during
training, and in :func:`predict_proba` when we want probabilities.

The functions a reader calls (:func:`build_mlp`, :func:`train`, :func:`logits`
and the ``predict_*`` functions, :func:`evaluate`) check their arguments and
raise ``TypeError`` / ``ValueError`` with a message that names the argument;
the others serve the book's own cells and trust them. Importing this module
imports TensorFlow and Keras (a few seconds).
"""

import math
import time
import warnings
from contextlib import contextmanager

import keras
import numpy as np

from nnbook import activations, scratch
from nnbook._validate import (
    check_int_sequence,
    check_number,
    check_positive_int,
    check_seed,
    check_X_y,
    check_y,
)

__all__ = [
    "COURSE_UNITS",
    "build_mlp",
    "build_improved_mlp",
    "AUGMENTATION",
    "build_cnn",
    "train",
    "logits",
    "predict_proba",
    "predict_labels",
    "confusion_matrix",
    "evaluate",
    "dense_layers",
    "numpy_forward",
    "count_parameters",
    "summary_text",
    "save_model",
    "load_model",
]

COURSE_UNITS = (25, 15)
"""Hidden-layer sizes of the course network, 784 -> 25 -> 15 -> 10."""


def _check_model(model):
    """``model`` if it is a Keras model taking rows of features, else raise."""
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        raise ValueError("model has no input shape yet: build it starting with "
                         "keras.Input(shape=(n,))") from None
    if not isinstance(shape, tuple) or len(shape) != 2 or shape[1] is None:
        raise ValueError(f"model must take inputs of shape (m, n), its input shape is {shape}")
    return model


def _n_outputs(model):
    return int(model.output_shape[-1])


def _check_data(model, X, y, names=("X", "y")):
    """``X`` as float32 rows of the model's inputs, ``y`` as labels of its outputs."""
    X, y = check_X_y(X, y, n_features=int(model.input_shape[1]),
                     n_classes=_n_outputs(model), names=names)
    return X.astype(np.float32, copy=False), y


# --------------------------------------------------------------------------
# building
# --------------------------------------------------------------------------


def _compile(model, learning_rate):
    """Compile with Adam, the from-logits sparse cross-entropy and an accuracy metric.

    ``steps_per_execution`` lets Keras run up to a whole epoch of steps in one
    call of its compiled training function instead of one call per step: the
    same arithmetic in the same order, so the same weights bit for bit (the
    tests check it), and about twice as fast for the course network, whose
    steps are tiny.
    """
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        steps_per_execution=1000,
    )
    return model


def build_mlp(hidden_units=COURSE_UNITS, n_classes=10, input_dim=784, learning_rate=1e-3,
              seed=0, dropout=0.0, name="mlp"):
    """Build and compile a multilayer perceptron that outputs logits.

    For an input batch ``X`` of shape ``(m, n)`` the layers compute

    .. math::

        a^{[0]} = X,\\qquad
        a^{[l]} = \\mathrm{ReLU}(a^{[l-1]} W^{[l]} + b^{[l]}) \\;\\text{(hidden)},\\qquad
        z = a^{[L-1]} W^{[L]} + b^{[L]} \\;\\text{(output, linear)}

    with ``W[l]`` of shape ``(units[l-1], units[l])``; the softmax is applied by
    the loss, ``SparseCategoricalCrossentropy(from_logits=True)``.

    Parameters
    ----------
    hidden_units : sequence of int, default (25, 15)
        Units of each hidden ReLU layer, in order.
    n_classes : int, default 10
        ``K``, the number of output units.
    input_dim : int, default 784
        ``n``, the number of inputs (pixels).
    learning_rate : float, default 1e-3
        Adam's learning rate.
    seed : int, default 0
        Seeds the Glorot-uniform initialiser of layer ``l`` with ``seed + l``
        and the dropout layers, so the same seed gives the same model.
    dropout : float, default 0.0
        If > 0, a ``Dropout`` layer with this rate follows each hidden layer.
    name : str, default "mlp"

    Returns
    -------
    keras.Sequential
        Compiled with Adam, the from-logits sparse cross-entropy and an
        accuracy metric. Dense layers are named ``L1``, ``L2``, ...

    Raises
    ------
    TypeError, ValueError
        If a size or ``seed`` is not a positive (non-negative) int,
        ``learning_rate`` is not a positive number, or ``dropout`` is not in [0, 1).
    """
    units = check_int_sequence(hidden_units, "hidden_units")
    n_classes = check_positive_int(n_classes, "n_classes")
    input_dim = check_positive_int(input_dim, "input_dim")
    learning_rate = check_number(learning_rate, "learning_rate", positive=True)
    seed = check_seed(seed)
    dropout = check_number(dropout, "dropout")
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}")

    def dense(n, activation, l):
        init = keras.initializers.GlorotUniform(seed=seed + l)
        return keras.layers.Dense(n, activation=activation, kernel_initializer=init, name=f"L{l}")

    layers = [keras.Input(shape=(input_dim,), name="pixels")]
    for l, n in enumerate(units, start=1):
        layers.append(dense(n, "relu", l))
        if dropout > 0:  # seeds seed + 101, ...: apart from the initialisers' seed + l
            layers.append(keras.layers.Dropout(dropout, seed=seed + 100 + l, name=f"dropout{l}"))
    layers.append(dense(n_classes, "linear", len(units) + 1))
    return _compile(keras.Sequential(layers, name=name), learning_rate)


def build_improved_mlp(seed=0):
    """The book's improved MLP: 784 -> 256 -> 128 -> 10 with dropout 0.3.

    Wider hidden layers give room for more features; dropout (each hidden
    unit switched off with probability 0.3 at each training step) keeps that
    room from being spent on memorising the 4,000 training images. Compiled
    as :func:`build_mlp`'s (Adam at 1e-3), seeded with ``seed`` as it is.
    """
    return build_mlp(hidden_units=(256, 128), seed=seed, dropout=0.3, name="improved_mlp")


AUGMENTATION = {"translation": 0.1, "rotation": 0.04, "zoom": 0.1}
"""The CNN's random augmentation: shifts of up to 10 % of the image (2.8 pixels) in
each direction, rotations of up to 0.04 of a turn (14.4 degrees) either way, and
zooms in or out by up to 10 %."""


def build_cnn(seed=0, augment=True):
    """Build and compile the book's convolutional network; it takes rows of 784 pixels.

    The layers, for an input batch of shape ``(m, 784)``:

    1. ``image``: reshape each row to a 28 x 28 x 1 image;
    2. ``augment`` (if ``augment``): random shifts, rotations and zooms (see
       :data:`AUGMENTATION`), a different draw for every image at every
       training step. Keras's preprocessing layers act only when training:
       at prediction time they pass the images through unchanged;
    3. two blocks, of 16 then 32 filters: each is two ``Conv2D`` layers of
       3 x 3 filters with ReLU and valid padding, then a 2 x 2
       ``MaxPooling2D``: 28 -> 26 -> 24 -> 12 -> 10 -> 8 -> 4 pixels across;
    4. ``flatten``, ``dropout`` (rate 0.5), and a linear ``Dense`` output of
       10 logits, as in the MLPs.

    The model takes and returns what :func:`build_mlp`'s does, so
    :func:`train`, :func:`evaluate`, :func:`predict_proba` and the plots work
    on it unchanged; it is compiled as :func:`build_mlp`'s, with Adam at
    2e-3 (twice the MLPs' rate: the CNN trains with batches of 128, four
    times the MLPs' 32, so it takes fewer, less noisy steps). These choices
    were made on the training chapter's validation split (see the CNN
    chapter): 21,498 parameters.

    Parameters
    ----------
    seed : int, default 0
        Seeds the Glorot-uniform initialiser of the ``l``-th weight layer with
        ``seed + l``, the dropout layer with ``seed + 101`` and the three
        augmentation layers with ``seed + 201 .. 203``.
    augment : bool, default True
        Include the ``augment`` layers.

    Returns
    -------
    keras.Sequential
    """
    def init(l):
        return keras.initializers.GlorotUniform(seed=seed + l)

    L = keras.layers
    layers = [keras.Input(shape=(784,), name="pixels"), L.Reshape((28, 28, 1), name="image")]
    if augment:
        a = AUGMENTATION
        layers.append(keras.Sequential([
            L.RandomTranslation(a["translation"], a["translation"], fill_mode="constant",
                                seed=seed + 201, name="shift"),
            L.RandomRotation(a["rotation"], fill_mode="constant", seed=seed + 202,
                             name="rotate"),
            L.RandomZoom(a["zoom"], fill_mode="constant", seed=seed + 203, name="zoom"),
        ], name="augment"))
    l = 0
    for block, filters in enumerate((16, 32), start=1):
        for _ in range(2):
            l += 1
            layers.append(L.Conv2D(filters, 3, activation="relu", kernel_initializer=init(l),
                                   name=f"conv{l}"))
        layers.append(L.MaxPooling2D(2, name=f"pool{block}"))
    layers += [L.Flatten(name="flatten"), L.Dropout(0.5, seed=seed + 101, name="dropout"),
               L.Dense(10, kernel_initializer=init(l + 1), name="output")]
    return _compile(keras.Sequential(layers, name="cnn_augmented" if augment else "cnn"), 2e-3)


# --------------------------------------------------------------------------
# training
# --------------------------------------------------------------------------


def train(model, X, y, epochs=40, batch_size=32, validation_data=None, patience=None, seed=0,
          report=False):
    """Train ``model`` on ``(X, y)`` with mini-batches; return the history.

    One epoch is one pass over the shuffled training set in
    ``ceil(m / batch_size)`` steps, one optimizer update per mini-batch.
    Keras prints nothing (``verbose=0``).

    Parameters
    ----------
    model : keras.Model
        A compiled model such as :func:`build_mlp` returns; trained in place.
    X : array_like, shape (m, n)
        Training examples; ``n`` is the model's input size.
    y : array_like of int, shape (m,)
        Labels in ``0 .. K-1``, ``K`` the model's number of outputs.
    epochs : int, default 40
        Passes over the training set (the most, with ``patience``).
    batch_size : int, default 32
        Examples per update step.
    validation_data : tuple (X_val, y_val), optional
        Evaluated after each epoch (``val_loss``, ``val_accuracy``); never
        trained on.
    patience : int, optional
        Early stopping: stop when ``val_loss`` has not improved for
        ``patience`` epochs and restore the best epoch's weights.
    seed : int, default 0
        Passed to ``keras.utils.set_random_seed``, so the shuffling (and
        dropout) is the same on every run.
    report : bool, default False
        Print a short summary at the end: epochs, steps, seconds, and the
        last epoch's loss and accuracy.

    Returns
    -------
    keras.callbacks.History
        ``history.history`` maps ``"loss"``, ``"accuracy"`` (and
        ``"val_loss"``, ``"val_accuracy"``) to one value per epoch. Two
        attributes are added: ``seconds`` (wall-clock training time) and
        ``steps_per_epoch``.

    Raises
    ------
    TypeError, ValueError
        If ``model`` is not a compiled Keras model, the data do not fit it,
        an int argument is not positive, or ``patience`` comes without
        ``validation_data``.
    """
    model = _check_model(model)
    if not model.compiled:
        raise ValueError("model must be compiled before training (see build_mlp)")
    X, y = _check_data(model, X, y)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    seed = check_seed(seed)
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError("validation_data must be a tuple (X_val, y_val)")
        validation_data = _check_data(model, *validation_data, names=("X_val", "y_val"))
    callbacks = []
    if patience is not None:
        patience = check_positive_int(patience, "patience")
        if validation_data is None:
            raise ValueError("patience (early stopping) needs validation_data to watch")
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=patience, restore_best_weights=True))

    keras.utils.set_random_seed(seed)
    start = time.perf_counter()
    history = model.fit(X, y, epochs=epochs, batch_size=batch_size,
                        validation_data=validation_data, callbacks=callbacks, shuffle=True,
                        verbose=0)
    history.seconds = time.perf_counter() - start
    history.steps_per_epoch = math.ceil(len(X) / batch_size)
    if report:
        h = history.history
        print(f"{len(h['loss'])} epochs x {history.steps_per_epoch} steps in "
              f"{history.seconds:.1f} s")
        print(f"  training:   loss {h['loss'][-1]:.4f}, accuracy {h['accuracy'][-1]:.4f}")
        if validation_data is not None:
            print(f"  validation: loss {h['val_loss'][-1]:.4f}, "
                  f"accuracy {h['val_accuracy'][-1]:.4f}")
    return history


def minibatch_gradient_cosines(model, X, y, batch_size=32, n_batches=200, seed=0):
    """How well mini-batch gradients point along the gradient of the whole training set.

    With all parameters of ``model`` in one vector, ``g`` is the gradient of
    the cost :math:`J` (mean from-logits sparse cross-entropy) on all of
    ``(X, y)``, and :math:`g_B` the gradient on a batch of ``batch_size``
    examples drawn at random without replacement. Returns their cosines,

    .. math:: \\cos(g_B, g) = \\frac{g_B \\cdot g}{\\lVert g_B \\rVert\\, \\lVert g \\rVert},

    one per batch (1: the same direction, 0: at right angles, negative: a
    step that raises the full cost), and the cosine between ``g`` and the
    mean of the batch gradients, which is close to 1 because a random
    batch's gradient is right on average. The gradients are computed by
    :class:`nnbook.scratch.MLP`'s backpropagation in float64 on the weights
    of ``model``, an MLP such as :func:`build_mlp` returns; the model is not
    changed. ``X`` (m, n) and ``y`` (m,) are the training set; the
    ``n_batches`` batches are drawn by ``numpy.random.default_rng(seed)``.

    Returns
    -------
    dict
        ``"cosines"`` (shape (n_batches,)) and ``"cosine_of_mean"`` (float).
    """
    rng = np.random.default_rng(seed)
    net = scratch.from_keras(model, dtype=np.float64)
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)

    def gradient(rows):
        a, z = net.forward(X[rows])
        dW, db = net.backward(y[rows], a, z)
        return np.concatenate([np.r_[dW[l].ravel(), db[l]] for l in sorted(dW)])

    def cosine(u, v):
        return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))

    full = gradient(slice(None))
    batches = [gradient(rng.choice(len(X), batch_size, replace=False)) for _ in range(n_batches)]
    return {"cosines": np.array([cosine(g, full) for g in batches]),
            "cosine_of_mean": cosine(np.mean(batches, axis=0), full)}


# --------------------------------------------------------------------------
# predicting and evaluating
# --------------------------------------------------------------------------


def logits(model, X):
    """The model's outputs ``z`` for ``X``: logits, for a linear output layer.

    Parameters
    ----------
    model : keras.Model
    X : array_like, shape (m, n)
        One example per row (for one image, ``image.reshape(1, 784)``).

    Returns
    -------
    ndarray of float32, shape (m, K)

    Raises
    ------
    TypeError, ValueError
        If ``model`` is not a Keras model, or ``X`` is not a finite 2-D array
        with the model's number of inputs as columns.
    """
    model = _check_model(model)
    X = check_X_y(X, n_features=int(model.input_shape[1])).astype(np.float32, copy=False)
    return np.asarray(model(X, training=False), dtype=np.float32)


def predict_proba(model, X):
    """Class probabilities ``p = softmax(z)`` of shape (m, K), rows summing to 1.

    Same arguments and errors as :func:`logits`.
    """
    return activations.softmax(logits(model, X), axis=1)


def predict_labels(model, X):
    """The predicted class of each example, ``argmax_k z_k``, shape (m,).

    The largest logit is also the largest probability (softmax keeps the
    order), so no softmax is needed to pick the class. Same arguments and
    errors as :func:`logits`.
    """
    return np.argmax(logits(model, X), axis=1).astype(np.int64)


def confusion_matrix(y_true, y_pred, n_classes=10):
    """Count how often each true class was predicted as each class.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (m,)
        Labels in ``0 .. n_classes-1``.
    n_classes : int, default 10

    Returns
    -------
    ndarray of int64, shape (n_classes, n_classes)
        Entry ``[i, j]`` counts the examples of true class ``i`` predicted as
        ``j``; the diagonal holds the correct predictions.
    """
    y_true, y_pred = np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)
    counts = np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes)


def evaluate(model, X, y):
    """Accuracy, per-class accuracy and confusion matrix of ``model`` on ``(X, y)``.

    Parameters
    ----------
    model : keras.Model
    X : array_like, shape (m, n)
    y : array_like of int, shape (m,)
        True labels in ``0 .. K-1``.

    Returns
    -------
    dict
        ``"accuracy"`` (share of correct predictions), ``"per_class_accuracy"``
        (shape (K,), the share of each true class predicted correctly, NaN
        for a class absent from ``y``), ``"confusion_matrix"`` (shape (K, K)),
        ``"predictions"`` (shape (m,)) and ``"n"`` (m).

    Raises
    ------
    TypeError, ValueError
        As :func:`logits`, and for labels out of range or of the wrong length.
    """
    pred = predict_labels(model, X)
    y = check_y(y, len(pred), _n_outputs(model))
    cm = confusion_matrix(y, pred, n_classes=_n_outputs(model))
    support = cm.sum(axis=1)
    per_class = np.where(support > 0, np.diag(cm) / np.maximum(support, 1), np.nan)
    return {
        "accuracy": float(np.mean(pred == y)),
        "per_class_accuracy": per_class,
        "confusion_matrix": cm,
        "predictions": pred,
        "n": len(y),
    }


# --------------------------------------------------------------------------
# opening the box
# --------------------------------------------------------------------------


def dense_layers(model):
    """The ``Dense`` layers of a Keras model, in order (``Dropout`` and other layers skipped)."""
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def numpy_forward(model, X):
    """The model's forward pass in plain NumPy, in float64, from its weights.

    For each ``Dense`` layer, ``a = g(a @ W + b)`` with ``g`` its activation
    (ReLU or linear); ``Dropout`` does nothing at prediction time.

    Parameters
    ----------
    model : keras.Model
        ``Dense`` layers (and ``Dropout``), such as :func:`build_mlp` returns.
    X : array_like, shape (m, n)

    Returns
    -------
    ndarray of float64, shape (m, K)
        Equal to Keras's output to within Keras's float32 rounding: about
        3e-7 times the largest logit (1.2e-5 for the course network after 40
        epochs, when its logits reach 40).
    """
    a = np.asarray(X, dtype=np.float64)
    g = {"relu": activations.relu, "linear": activations.linear}
    for layer in dense_layers(model):
        W, b = (np.asarray(w, dtype=np.float64) for w in layer.get_weights())
        a = g[layer.activation.__name__](a @ W + b)
    return a


def count_parameters(layer_sizes):
    """Weights and biases of the dense layers joining ``layer_sizes``.

    Layer ``l`` has a weight matrix of shape ``(n_{l-1}, n_l)`` and ``n_l``
    biases: ``n_{l-1} * n_l + n_l`` parameters.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, inputs first, e.g. ``(784, 25, 15, 10)``.

    Returns
    -------
    list of int
        One count per layer after the input.
    """
    return [n_in * n_out + n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]


def summary_text(model):
    """A plain-text summary of ``model``, read from ``model.layers``.

    One line per layer: its name, type, output shape and number of
    parameters (``layer.count_params()``), then the total. The same numbers
    as Keras's ``model.summary()``, without its colours and box drawing.
    """
    rows = [(layer.name, type(layer).__name__, str(tuple(layer.output.shape)),
             layer.count_params()) for layer in model.layers]
    # columns as wide as their longest entry needs (a CNN's types and shapes are longer)
    wk = max([10] + [len(kind) + 2 for _, kind, _, _ in rows])
    ws = max([16] + [len(shape) + 2 for _, _, shape, _ in rows])
    lines = [f'Model: "{model.name}"',
             f"{'layer':<12}{'type':<{wk}}{'output shape':<{ws}}{'parameters':>10}"]
    lines += [f"{name:<12}{kind:<{wk}}{shape:<{ws}}{n:>10,}" for name, kind, shape, n in rows]
    lines.append(f"{'total':<{12 + wk + ws}}{model.count_params():>10,}")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# saving and loading
# --------------------------------------------------------------------------


@contextmanager
def _quiet_numpy_copy_warning():
    """Silence one harmless DeprecationWarning of Keras 3.15 under NumPy 2.

    Saving converts TensorFlow variables with ``np.array(x)``, and NumPy 2
    warns that the variable's ``__array__`` takes no ``copy`` argument. The
    values written are unaffected (the round-trip test compares them).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning,
                                message=r"__array__ implementation doesn't accept a copy keyword")
        yield


def save_model(model, path):
    """Save ``model`` (architecture, weights, optimizer state) to a ``.keras`` file."""
    with _quiet_numpy_copy_warning():
        model.save(path)


def load_model(path):
    """Load a model written by :func:`save_model`, compiled and ready to use."""
    with _quiet_numpy_copy_warning():
        return keras.models.load_model(path)
