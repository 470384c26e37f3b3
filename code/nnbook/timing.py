"""How long Keras takes per training epoch, without the set-up of each ``fit`` call.

:func:`nnbook.models.train` reports the seconds of a whole ``fit`` call, which
include Keras's set-up of the call (its data pipeline, its callbacks) and,
for a model never trained before, the building of its TensorFlow graph.
:func:`epoch_seconds` times each epoch on its own, from its start to its end,
so that a few epochs are enough to compare two ways of compiling a model; by
wall clock, or by processor time, which other work on the machine changes
little. Importing this module imports TensorFlow and Keras.
"""

import time

import keras
import numpy as np

from nnbook._validate import check_positive_int, check_seed, check_X_y

__all__ = ["epoch_seconds"]

CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
"""The clocks :func:`epoch_seconds` reads: elapsed time, or the processor time of
this process (all its threads, TensorFlow's included)."""


def epoch_seconds(model, X, y, epochs=3, batch_size=32, seed=0, clock="wall"):
    """Train ``model`` on ``(X, y)`` and return the seconds of each epoch.

    The training is :func:`nnbook.models.train`'s: shuffled mini-batches of
    ``batch_size``, ``keras.utils.set_random_seed(seed)`` first, so the model
    ends with the same weights. A Keras callback reads the clock when each
    epoch begins and ends. The first epoch of a model that has never been
    trained also builds its TensorFlow graph; the later ones measure the cost
    of an epoch. Wall-clock times depend on the machine and on what else it
    is doing; processor times much less, since they count only the work of
    this process.

    Parameters
    ----------
    model : keras.Model
        A compiled model taking rows of features; trained in place.
    X : array_like, shape (m, n)
    y : array_like of int, shape (m,)
        Labels in ``0 .. K-1``, ``K`` the model's number of outputs.
    epochs : int, default 3
    batch_size : int, default 32
    seed : int, default 0
    clock : {"wall", "cpu"}, default "wall"
        Elapsed time (``time.perf_counter``) or this process's processor time
        (``time.process_time``).

    Returns
    -------
    ndarray of float64, shape (epochs,)

    Raises
    ------
    TypeError, ValueError
        If ``model`` is not a compiled Keras model, the data do not fit it,
        an int argument is not positive, or ``clock`` is not one of
        :data:`CLOCKS`.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if not model.compiled:
        raise ValueError("model must be compiled before training")
    X, y = check_X_y(X, y, n_features=int(model.input_shape[1]),
                     n_classes=int(model.output_shape[-1]))
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    if clock not in CLOCKS:
        raise ValueError(f"clock must be one of {sorted(CLOCKS)}, got {clock!r}")
    now, starts, seconds = CLOCKS[clock], [], []
    timer = keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: starts.append(now()),
        on_epoch_end=lambda epoch, logs: seconds.append(now() - starts[-1]))
    keras.utils.set_random_seed(check_seed(seed))
    model.fit(X.astype(np.float32, copy=False), y, epochs=epochs, batch_size=batch_size,
              shuffle=True, callbacks=[timer], verbose=0)
    return np.array(seconds)
