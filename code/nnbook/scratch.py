"""The course network in plain NumPy: forward pass, backpropagation, SGD and Adam.

The same multilayer perceptron as :func:`nnbook.models.build_mlp`, written
out so that every step can be read. Notation (as in the book): ``m`` examples,
``n`` inputs, ``K`` classes, ``L`` layers after the input, layer ``l`` with
``n_l`` units (``n_0 = n``, ``n_L = K``). For a batch ``X`` of shape (m, n):

.. math::

    a^{[0]} = X, \\qquad
    z^{[l]} = a^{[l-1]} W^{[l]} + b^{[l]}, \\qquad
    a^{[l]} = \\mathrm{ReLU}(z^{[l]}) \\; (l < L), \\qquad
    a^{[L]} = z^{[L]} \\; \\text{(logits)}

with ``W[l]`` of shape (n_{l-1}, n_l) and ``b[l]`` of shape (n_l,), exactly
Keras's ``Dense`` layout, so weights copy across unchanged. The cost is the
mean sparse cross-entropy of the logits (:func:`nnbook.losses.sparse_cross_entropy`).

Weights, biases and the forward pass's values are kept in dicts keyed by the
layer number ``l`` (1 to ``L``; ``a[0]`` is ``X``), so the code reads like the
math: ``z[l] = a[l - 1] @ W[l] + b[l]``.

Dtype rules: an :class:`MLP` holds float32 (the default, like Keras) or
float64 parameters; inputs are converted to that dtype, so everything it
computes has it. :func:`gradient_check` works on a float64 copy.

The module is pure NumPy: it never imports TensorFlow. The helpers that copy
weights to and from Keras only call the model's ``layers`` and their
``get_weights`` / ``set_weights``.
"""

import math

import numpy as np

from nnbook._validate import (
    as_float_array,
    as_labels,
    check_finite,
    check_fraction,
    check_int_sequence,
    check_nonempty,
    check_path,
    check_positive_int,
    check_positive_number,
    check_seed,
)
from nnbook.activations import relu, relu_derivative
from nnbook.losses import sparse_cross_entropy, sparse_cross_entropy_grad

__all__ = ["MLP", "SGD", "Adam", "gradient_check"]

_DTYPES = (np.float32, np.float64)


# --------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------


def _check_dtype(dtype):
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}") from None
    if dtype not in _DTYPES:
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


# --------------------------------------------------------------------------
# optimisers
# --------------------------------------------------------------------------


class SGD:
    """Plain stochastic gradient descent: :math:`\\theta \\leftarrow \\theta - \\alpha g`.

    The same update as ``keras.optimizers.SGD`` with no momentum.

    Parameters
    ----------
    learning_rate : float, default 0.01
        The step size :math:`\\alpha` (Keras's default).

    Raises
    ------
    TypeError, ValueError
        If ``learning_rate`` is not a positive finite number.
    """

    def __init__(self, learning_rate=0.01):
        self.learning_rate = check_positive_number(learning_rate, "learning_rate")

    def update(self, params, grads):
        """Update every array of ``params`` in place from its gradient in ``grads``."""
        for theta, g in zip(params, grads):
            theta -= self.learning_rate * g

    def __repr__(self):
        return f"SGD(learning_rate={self.learning_rate:g})"


class Adam:
    """Adam, step for step as ``keras.optimizers.Adam`` (Keras 3) computes it.

    At step :math:`t = 1, 2, \\dots`, for every parameter array :math:`\\theta`
    with gradient :math:`g` (element-wise):

    .. math::

        m &\\leftarrow m + (1 - \\beta_1)(g - m), \\qquad
        v \\leftarrow v + (1 - \\beta_2)(g^2 - v),\\\\
        \\alpha_t &= \\alpha \\sqrt{1 - \\beta_2^t} / (1 - \\beta_1^t), \\qquad
        \\theta \\leftarrow \\theta - \\alpha_t \\, m / (\\sqrt{v} + \\epsilon)

    with :math:`m, v` starting at 0. The bias correction is folded into the
    step size :math:`\\alpha_t`, as Keras does, so :math:`\\epsilon` is added to
    the *uncorrected* :math:`\\sqrt v` (the Adam paper adds it to
    :math:`\\sqrt{\\hat v}`; the two differ only when :math:`\\sqrt v` is
    comparable to :math:`\\epsilon`).

    Parameters
    ----------
    learning_rate : float, default 1e-3
    beta_1 : float, default 0.9
        Decay of the running mean of the gradients, in [0, 1).
    beta_2 : float, default 0.999
        Decay of the running mean of the squared gradients, in [0, 1).
    epsilon : float, default 1e-7
        Keeps the division finite (Keras's default; the paper uses 1e-8).

    Attributes
    ----------
    t : int
        Steps taken so far (Keras's ``optimizer.iterations``).
    m, v : list of ndarray or None
        The moment estimates, one array per parameter array (created at the
        first :meth:`update`).

    Raises
    ------
    TypeError, ValueError
        If ``learning_rate`` or ``epsilon`` is not a positive finite number, or a
        beta is not in [0, 1).
    """

    def __init__(self, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.learning_rate = check_positive_number(learning_rate, "learning_rate")
        self.beta_1 = check_fraction(beta_1, "beta_1")
        self.beta_2 = check_fraction(beta_2, "beta_2")
        self.epsilon = check_positive_number(epsilon, "epsilon")
        self.t = 0
        self.m = self.v = None

    def update(self, params, grads):
        """Update each array of ``params`` in place from its gradient."""
        if self.m is None:
            self.m = [np.zeros_like(theta) for theta in params]
            self.v = [np.zeros_like(theta) for theta in params]
        self.t += 1
        t, beta_1, beta_2 = self.t, self.beta_1, self.beta_2
        alpha_t = (self.learning_rate * math.sqrt(1 - beta_2**t)
                   / (1 - beta_1**t))
        for theta, g, m, v in zip(params, grads, self.m, self.v):
            m += (1 - beta_1) * (g - m)               # mean of g
            v += (1 - beta_2) * (np.square(g) - v)    # mean of g^2
            theta -= alpha_t * m / (np.sqrt(v) + self.epsilon)

    def __repr__(self):
        return (f"Adam(learning_rate={self.learning_rate:g}, beta_1={self.beta_1:g}, "
                f"beta_2={self.beta_2:g}, epsilon={self.epsilon:g})")


_OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def _make_optimizer(optimizer, learning_rate):
    if isinstance(optimizer, (SGD, Adam)):
        if learning_rate is not None:
            raise ValueError("learning_rate is set by the optimizer object; pass one or the other")
        return optimizer
    if not isinstance(optimizer, str) or optimizer.lower() not in _OPTIMIZERS:
        raise ValueError(f"optimizer must be 'sgd', 'adam', or an SGD or Adam object, "
                         f"got {optimizer!r}")
    cls = _OPTIMIZERS[optimizer.lower()]
    return cls() if learning_rate is None else cls(learning_rate)


# --------------------------------------------------------------------------
# the network
# --------------------------------------------------------------------------


class MLP:
    """A multilayer perceptron: ReLU hidden layers, a linear output of logits.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, inputs first: ``(n, n_1, ..., K)``, e.g.
        ``(784, 25, 15, 10)`` for the course network.
    seed : int, default 0
        Seeds the initial weights. Like :func:`nnbook.models.build_mlp`,
        layer ``l`` draws from a generator seeded with ``seed + l``
        (``numpy.random.default_rng``; TensorFlow's generator gives other
        numbers, so copy weights with :meth:`from_keras` to start from the
        same ones).
    dtype : {float32, float64}, default float32
        The dtype of the parameters and of everything computed.

    Attributes
    ----------
    layer_sizes : tuple of int
    L : int
        The number of layers with weights, ``len(layer_sizes) - 1``.
    W : dict {int: ndarray}
        ``W[l]`` of shape (n_{l-1}, n_l), for ``l = 1 .. L``. Initialised like
        Keras's ``Dense`` default, Glorot uniform: uniform in
        :math:`\\pm\\sqrt{6 / (n_{l-1} + n_l)}`.
    b : dict {int: ndarray}
        ``b[l]`` of shape (n_l,), initialised to 0.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive int, fewer than two sizes are given,
        ``seed`` is not an int >= 0, or ``dtype`` is not float32 or float64.
    """

    def __init__(self, layer_sizes, seed=0, dtype=np.float32):
        self.layer_sizes = check_int_sequence(layer_sizes, "layer_sizes", min_len=2)
        seed = check_seed(seed)
        self.dtype = _check_dtype(dtype)
        self.L = len(self.layer_sizes) - 1
        self.W, self.b = {}, {}
        for l in range(1, self.L + 1):
            fan_in, fan_out = self.layer_sizes[l - 1], self.layer_sizes[l]
            limit = math.sqrt(6 / (fan_in + fan_out))
            rng = np.random.default_rng(seed + l)
            self.W[l] = rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(self.dtype)
            self.b[l] = np.zeros(fan_out, dtype=self.dtype)

    def __repr__(self):
        return f"MLP(layer_sizes={self.layer_sizes}, dtype={self.dtype.name})"

    @property
    def n_parameters(self):
        """The number of weights and biases, :math:`\\sum_l (n_{l-1} n_l + n_l)`."""
        return sum(p.size for p in self.parameters())

    def parameters(self):
        """The parameter arrays in Keras's order: ``[W[1], b[1], W[2], b[2], ...]``.

        The arrays themselves, not copies: updating them in place updates the
        network.
        """
        return [p for l in range(1, self.L + 1) for p in (self.W[l], self.b[l])]

    def parameter_names(self):
        """``["W1", "b1", "W2", "b2", ...]``, in the order of :meth:`parameters`."""
        return [f"{p}{l}" for l in range(1, self.L + 1) for p in ("W", "b")]

    # ---------------------------------------------------------------- checks

    def _check_X(self, X, name="X"):
        """``X`` as a finite 2-D array of this network's dtype with ``n`` columns."""
        X = as_float_array(X, name)
        if X.ndim != 2:
            raise ValueError(f"{name} must be 2-D (examples x features), got shape {X.shape}")
        check_nonempty(X, name)
        n = self.layer_sizes[0]
        if X.shape[1] != n:
            raise ValueError(f"{name} has {X.shape[1]} columns but the network takes {n} "
                             f"inputs (layer_sizes[0])")
        check_finite(X, name)
        return X.astype(self.dtype, copy=False)

    def _check_y(self, y, m, name="y"):
        """``y`` as int64 labels in ``0 .. K-1``, one per row of ``X``."""
        y = as_labels(y, name, n_classes=self.layer_sizes[-1])
        if len(y) != m:
            raise ValueError(f"X and {name} must have the same length, got {m} and {len(y)}")
        return y

    def _check_X_y(self, X, y):
        X = self._check_X(X)
        return X, self._check_y(y, len(X))

    # ---------------------------------------------------------------- forward

    def forward(self, X):
        """The forward pass, keeping every layer's ``z`` and ``a`` for :meth:`backward`.

        .. math::

            z^{[l]} = a^{[l-1]} W^{[l]} + b^{[l]}, \\qquad
            a^{[l]} = \\mathrm{ReLU}(z^{[l]}) \\text{ for } l < L, \\qquad
            a^{[L]} = z^{[L]}

        Parameters
        ----------
        X : array_like, shape (m, n)
            One example per row; converted to the network's dtype.

        Returns
        -------
        a : dict {int: ndarray}
            ``a[0] = X`` and ``a[l]`` of shape (m, n_l) for ``l = 1 .. L``;
            ``a[L]`` is the logits, shape (m, K).
        z : dict {int: ndarray}
            ``z[l]`` of shape (m, n_l) for ``l = 1 .. L``.

        Raises
        ------
        TypeError
            If ``X`` is not a real numeric array.
        ValueError
            If ``X`` is not 2-D, is empty, holds NaN or inf, or its number of
            columns is not ``layer_sizes[0]``.
        """
        return self._forward(self._check_X(X))

    def _forward(self, X):
        a, z = {0: X}, {}
        for l in range(1, self.L + 1):
            z[l] = a[l - 1] @ self.W[l] + self.b[l]     # (m, n_l)
            a[l] = relu(z[l]) if l < self.L else z[l]   # (m, n_l)
        return a, z

    def logits(self, X):
        """The logits ``z[L]`` for ``X``, shape (m, K). Errors as :meth:`forward`."""
        a, _ = self.forward(X)
        return a[self.L]

    def predict(self, X):
        """The predicted class of each example, ``argmax_k z_k``: int64, shape (m,)."""
        return np.argmax(self.logits(X), axis=1).astype(np.int64)

    def cost(self, X, y):
        """The mean sparse cross-entropy :math:`J` of the logits for ``X`` against ``y``.

        Returns
        -------
        numpy float scalar of the network's dtype

        Raises
        ------
        TypeError, ValueError
            As :meth:`forward`, and for labels outside ``0 .. K-1`` or a
            length different from ``X``'s.
        """
        X, y = self._check_X_y(X, y)
        a, _ = self._forward(X)
        return sparse_cross_entropy(y, a[self.L])

    def accuracy(self, X, y):
        """The share of examples whose predicted class is ``y``, a float in [0, 1]."""
        X, y = self._check_X_y(X, y)
        a, _ = self._forward(X)
        return float(np.mean(np.argmax(a[self.L], axis=1) == y))

    # ---------------------------------------------------------------- backward

    def backward(self, y, a, z):
        """Gradients of the mean sparse cross-entropy for every ``W[l]`` and ``b[l]``.

        Backpropagation, from the output layer down (``m`` examples):

        .. math::

            \\delta^{[L]} &= \\partial J / \\partial z^{[L]}
                = (\\mathrm{softmax}(z^{[L]}) - Y) / m
                &&(m, K)\\\\
            \\partial J / \\partial W^{[l]} &= a^{[l-1]\\top} \\delta^{[l]}
                &&(n_{l-1}, n_l)\\\\
            \\partial J / \\partial b^{[l]} &= \\textstyle\\sum_i \\delta^{[l]}_{i\\cdot}
                &&(n_l,)\\\\
            \\delta^{[l-1]} &= (\\delta^{[l]} W^{[l]\\top}) \\odot \\mathrm{ReLU}'(z^{[l-1]})
                &&(m, n_{l-1})

        with :math:`Y` the one-hot labels; :math:`\\delta^{[L]}` is
        :func:`nnbook.losses.sparse_cross_entropy_grad` and
        :math:`\\mathrm{ReLU}'` is :func:`nnbook.activations.relu_derivative`.

        Parameters
        ----------
        y : array_like of int, shape (m,)
            Labels in ``0 .. K-1``.
        a, z : dict
            What :meth:`forward` returned for the same batch.

        Returns
        -------
        dW : dict {int: ndarray}
            ``dW[l]`` of shape (n_{l-1}, n_l), the shape of ``W[l]``.
        db : dict {int: ndarray}
            ``db[l]`` of shape (n_l,), the shape of ``b[l]``.

        Raises
        ------
        TypeError, ValueError
            If ``y`` does not hold one label in ``0 .. K-1`` per row of the
            logits, or ``a`` and ``z`` are not a forward pass of this network.
        """
        if not (isinstance(a, dict) and isinstance(z, dict)
                and set(a) == set(range(self.L + 1)) and set(z) == set(range(1, self.L + 1))):
            raise ValueError(f"a and z must be what forward returned: dicts with layers "
                             f"0..{self.L} and 1..{self.L}")
        for l in range(1, self.L + 1):
            expected = (len(a[0]), self.layer_sizes[l])
            if np.shape(z[l]) != expected:
                raise ValueError(f"z[{l}] must have shape {expected}, got {np.shape(z[l])}")
        y = self._check_y(y, len(a[0]))
        return self._backward(y, a, z)

    def _backward(self, y, a, z):
        dW, db = {}, {}
        delta = sparse_cross_entropy_grad(y, z[self.L])  # (m, K)
        for l in range(self.L, 0, -1):
            dW[l] = a[l - 1].T @ delta                   # (n_{l-1}, n_l)
            db[l] = delta.sum(axis=0)                    # (n_l,)
            if l > 1:
                da = delta @ self.W[l].T                 # (m, n_{l-1})
                delta = da * relu_derivative(z[l - 1])   # (m, n_{l-1})
        return dW, db

    # ---------------------------------------------------------------- training

    def train_step(self, X, y, optimizer):
        """One update from one mini-batch: forward, backward, optimiser step.

        Parameters
        ----------
        X : array_like, shape (m, n)
        y : array_like of int, shape (m,)
        optimizer : SGD or Adam
            Updates the parameters in place (and keeps its own state).

        Returns
        -------
        numpy float scalar
            The batch's cost *before* the update (what Keras reports).

        Raises
        ------
        TypeError, ValueError
            As :meth:`cost`; ``TypeError`` if ``optimizer`` is not an
            :class:`SGD` or :class:`Adam`.
        """
        if not isinstance(optimizer, (SGD, Adam)):
            raise TypeError(f"optimizer must be an SGD or Adam object, got "
                            f"{type(optimizer).__name__}")
        X, y = self._check_X_y(X, y)
        cost, _ = self._train_step(X, y, optimizer)
        return cost

    def _train_step(self, X, y, optimizer):
        """Forward, backward, update; return the cost and the logits."""
        a, z = self._forward(X)
        cost = sparse_cross_entropy(y, a[self.L])
        dW, db = self._backward(y, a, z)
        grads = [g for l in range(1, self.L + 1) for g in (dW[l], db[l])]
        optimizer.update(self.parameters(), grads)
        return cost, a[self.L]

    def fit(self, X, y, epochs=40, batch_size=32, optimizer="adam", learning_rate=None,
            seed=0, shuffle=True):
        """Train by mini-batches; return the cost of each epoch.

        Each epoch shuffles the examples (with ``numpy.random.default_rng(seed)``,
        one permutation per epoch) and takes one optimiser step per batch of
        ``batch_size`` rows, ``ceil(m / batch_size)`` steps in all (the last
        batch may be smaller), like Keras's ``fit``.

        Parameters
        ----------
        X : array_like, shape (m, n)
        y : array_like of int, shape (m,)
        epochs : int, default 40
        batch_size : int, default 32
        optimizer : {"adam", "sgd"} or Adam or SGD, default "adam"
            A name (a fresh optimiser with Keras's defaults) or an optimiser
            object (whose state carries over between calls).
        learning_rate : float, optional
            With a name only; default 1e-3 for Adam and 0.01 for SGD (Keras's).
        seed : int, default 0
            Seeds the shuffling.
        shuffle : bool, default True
            If False, the batches are taken in the order of ``X``.

        Returns
        -------
        dict
            ``"loss"``: the mean over the epoch of the batch costs before each
            step (what Keras's ``history["loss"]`` reports), and ``"accuracy"``:
            the share of training examples classified correctly in their batch,
            both lists with one float per epoch.

        Raises
        ------
        TypeError, ValueError
            As :meth:`cost`; for ``epochs`` or ``batch_size`` that are not
            positive ints, a ``learning_rate`` that is not positive, an unknown
            ``optimizer``, or a ``learning_rate`` given with an optimiser object.
        """
        X, y = self._check_X_y(X, y)
        epochs = check_positive_int(epochs, "epochs")
        batch_size = check_positive_int(batch_size, "batch_size")
        optimizer = _make_optimizer(optimizer, learning_rate)
        rng = np.random.default_rng(check_seed(seed))
        m = len(X)
        history = {"loss": [], "accuracy": []}
        for _ in range(epochs):
            order = rng.permutation(m) if shuffle else np.arange(m)
            total_cost, n_correct = 0.0, 0
            for start in range(0, m, batch_size):
                batch = order[start:start + batch_size]
                X_batch, y_batch = X[batch], y[batch]
                cost, z_L = self._train_step(X_batch, y_batch, optimizer)
                total_cost += float(cost) * len(batch)
                n_correct += int(np.sum(z_L.argmax(axis=1) == y_batch))
            history["loss"].append(total_cost / m)
            history["accuracy"].append(n_correct / m)
        return history

    # ---------------------------------------------------------------- weights

    def get_weights(self):
        """Copies of the parameters, ``[W[1], b[1], W[2], b[2], ...]`` (Keras's order)."""
        return [p.copy() for p in self.parameters()]

    def set_weights(self, weights):
        """Copy ``weights`` (``[W[1], b[1], ...]``, as Keras's ``get_weights``) into the network.

        Raises
        ------
        TypeError, ValueError
            If ``weights`` is not a sequence of ``2 L`` numeric arrays with the
            shapes of :meth:`parameters`, or holds NaN or inf.
        """
        names, params = self.parameter_names(), self.parameters()
        try:
            weights = list(weights)
        except TypeError:
            raise TypeError(f"weights must be a list of arrays, got "
                            f"{type(weights).__name__}") from None
        if len(weights) != len(params):
            raise ValueError(f"weights must hold {len(params)} arrays ({', '.join(names)}), "
                             f"got {len(weights)}")
        new = []
        for name, p, w in zip(names, params, weights):
            w = as_float_array(w, f"weights[{name}]")
            if w.shape != p.shape:
                raise ValueError(f"weights[{name}] must have shape {p.shape} for layer sizes "
                                 f"{self.layer_sizes}, got {w.shape}")
            check_finite(w, f"weights[{name}]")
            new.append(w)
        for p, w in zip(params, new):  # only once every array passed
            p[...] = w

    def copy(self, dtype=None):
        """A copy of the network, optionally with another dtype (float32 or float64)."""
        other = MLP(self.layer_sizes, dtype=self.dtype if dtype is None else dtype)
        other.set_weights(self.parameters())
        return other

    @classmethod
    def from_keras(cls, model, dtype=np.float32):
        """A new MLP with the weights of a Keras model of ``Dense`` layers.

        Parameters
        ----------
        model : keras.Model
            A Sequential-style model, such as :func:`nnbook.models.build_mlp`
            returns: ``Dense`` layers with ReLU except the last, which is
            linear (``Dropout`` layers are skipped).
        dtype : {float32, float64}, default float32

        Returns
        -------
        MLP
            Its logits equal the model's to within float32 rounding.

        Raises
        ------
        TypeError
            If ``model`` has no ``layers``.
        ValueError
            If a layer is neither ``Dense`` nor ``Dropout``, or the activations
            are not ReLU for the hidden layers and linear for the last.
        """
        dense = _dense_layers(model)
        for i, layer in enumerate(dense, start=1):
            want = "linear" if i == len(dense) else "relu"
            got = layer.activation.__name__
            if got != want:
                raise ValueError(f"model's Dense layer {i} ({layer.name}) has activation "
                                 f"{got!r}; an MLP needs {want!r} there")
        weights = [w for layer in dense for w in layer.get_weights()]
        sizes = (weights[0].shape[0],) + tuple(w.shape[1] for w in weights[0::2])
        mlp = cls(sizes, dtype=dtype)
        mlp.set_weights(weights)
        return mlp

    def to_keras(self, model):
        """Copy this network's weights into a Keras model of the same shape.

        Parameters
        ----------
        model : keras.Model
            ``Dense`` layers (``Dropout`` skipped) whose weights have the
            shapes of :meth:`parameters`, e.g. ``build_mlp(hidden_units=
            layer_sizes[1:-1], n_classes=K, input_dim=n)``. Updated in place.

        Returns
        -------
        keras.Model
            ``model`` itself.

        Raises
        ------
        TypeError
            If ``model`` has no ``layers``.
        ValueError
            If its layers do not match ``layer_sizes``.
        """
        dense = _dense_layers(model)
        theirs = tuple(int(w.shape[-1]) for layer in dense for w in layer.get_weights()[:1])
        if len(dense) != self.L or dense[0].get_weights()[0].shape[0] != self.layer_sizes[0] \
                or theirs != self.layer_sizes[1:]:
            raise ValueError(f"model's Dense layers do not match layer_sizes "
                             f"{self.layer_sizes}")
        for l, layer in enumerate(dense, start=1):
            layer.set_weights([self.W[l], self.b[l]])
        return model

    def save(self, path):
        """Save the layer sizes and parameters to a ``.npz`` file.

        Returns
        -------
        pathlib.Path
            The file written.

        Raises
        ------
        TypeError, ValueError
            If ``path`` is not a str or path ending in ``.npz``.
        """
        path = check_path(path, ".npz")
        arrays = dict(zip(self.parameter_names(), self.parameters()))
        np.savez(path, layer_sizes=np.array(self.layer_sizes), **arrays)
        return path

    @classmethod
    def load(cls, path):
        """Load a network written by :meth:`save` (same sizes, weights and dtype).

        Raises
        ------
        TypeError, ValueError
            If ``path`` is not a str or path ending in ``.npz``, or the file
            does not hold what :meth:`save` writes.
        FileNotFoundError
            If there is no such file.
        """
        path = check_path(path, ".npz")
        if not path.is_file():
            raise FileNotFoundError(f"path {str(path)!r} does not exist")
        with np.load(path, allow_pickle=False) as f:
            if "layer_sizes" not in f.files:
                raise ValueError(f"path {str(path)!r} was not written by MLP.save "
                                 f"(no layer_sizes)")
            sizes = check_int_sequence(f["layer_sizes"].tolist(), "layer_sizes", min_len=2)
            names = [f"{p}{l}" for l in range(1, len(sizes)) for p in ("W", "b")]
            missing = [name for name in names if name not in f.files]
            if missing:  # before reading any array: W1 gives the dtype
                raise ValueError(f"path {str(path)!r} lacks {', '.join(missing)}")
            mlp = cls(sizes, dtype=f["W1"].dtype)
            mlp.set_weights([f[name] for name in mlp.parameter_names()])
        return mlp


def _dense_layers(model):
    """The ``Dense`` layers of a Keras model, in order (``Dropout`` skipped)."""
    layers = getattr(model, "layers", None)
    if not isinstance(layers, list):
        raise TypeError(f"model must be a Keras model with layers, got {type(model).__name__}")
    dense = []
    for layer in layers:
        kind = type(layer).__name__
        if kind == "Dense":
            dense.append(layer)
        elif kind != "Dropout":
            raise ValueError(f"model may hold only Dense and Dropout layers, found {kind} "
                             f"({layer.name})")
    if not dense:
        raise ValueError("model has no Dense layers")
    return dense


# --------------------------------------------------------------------------
# gradient check
# --------------------------------------------------------------------------


def gradient_check(mlp, X, y, eps=1e-6):
    """Compare :meth:`MLP.backward` with central finite differences, in float64.

    For every parameter :math:`\\theta` (one entry of a ``W[l]`` or ``b[l]``),

    .. math::

        \\frac{\\partial J}{\\partial \\theta} \\approx
        \\frac{J(\\theta + \\varepsilon) - J(\\theta - \\varepsilon)}{2 \\varepsilon}

    and, per parameter array, the relative error between the analytic
    gradient :math:`g` and this estimate :math:`\\hat g`:

    .. math::

        \\frac{\\lVert g - \\hat g \\rVert}{\\lVert g \\rVert + \\lVert \\hat g \\rVert}

    (0 when both are 0). Computed on a float64 copy of ``mlp``. It takes two
    forward passes per parameter, so use a small network or a small batch.

    Parameters
    ----------
    mlp : MLP
    X : array_like, shape (m, n)
    y : array_like of int, shape (m,)
    eps : float, default 1e-6
        The step :math:`\\varepsilon`.

    Returns
    -------
    dict {str: float}
        ``{"W1": error, "b1": error, ...}``, in the order of
        :meth:`MLP.parameters`. Below 1e-6 means the gradients agree (a ReLU
        input within ``eps`` of 0 can spoil one entry, rarely).

    Raises
    ------
    TypeError, ValueError
        If ``mlp`` is not an :class:`MLP`, ``eps`` is not a positive number, or
        ``X`` and ``y`` are bad as for :meth:`MLP.cost`.
    """
    if not isinstance(mlp, MLP):
        raise TypeError(f"mlp must be an MLP, got {type(mlp).__name__}")
    eps = check_positive_number(eps, "eps")
    net = mlp.copy(dtype=np.float64)
    X, y = net._check_X_y(X, y)

    def J():
        a, _ = net._forward(X)
        return float(sparse_cross_entropy(y, a[net.L]))

    a, z = net._forward(X)
    dW, db = net._backward(y, a, z)
    analytic = [g for l in range(1, net.L + 1) for g in (dW[l], db[l])]
    errors = {}
    for name, theta, g in zip(net.parameter_names(), net.parameters(), analytic):
        numeric = np.empty_like(theta)
        for i in range(theta.size):  # one parameter at a time: a loop over parameters
            old = theta.flat[i]
            theta.flat[i] = old + eps
            J_plus = J()
            theta.flat[i] = old - eps
            J_minus = J()
            theta.flat[i] = old
            numeric.flat[i] = (J_plus - J_minus) / (2 * eps)
        scale = np.linalg.norm(g) + np.linalg.norm(numeric)
        errors[name] = float(np.linalg.norm(g - numeric) / scale) if scale > 0 else 0.0
    return errors
