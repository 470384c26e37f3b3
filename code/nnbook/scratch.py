"""The course network in plain NumPy: forward pass, backpropagation, SGD and Adam.

The multilayer perceptron of :func:`nnbook.models.build_mlp`, in the book's
notation: a batch ``X`` of shape (m, n), layers ``l = 1 .. L`` of ``n_l`` units
(``n_0 = n``, ``n_L = K``), ``W[l]`` (n_{l-1}, n_l) and ``b[l]`` (n_l,) laid out as
in a Keras ``Dense`` layer. ``W``, ``b``, ``z`` and ``a`` are dicts keyed by ``l``,
so ``z[l] = a[l - 1] @ W[l] + b[l]`` reads like the math. Parameters are float32
(like Keras) or float64; ``fit``, ``predict`` and ``cost`` convert ``X`` to that
dtype. Importing this module does not import TensorFlow.
"""

import math

import numpy as np

from nnbook._validate import check_positive_int, check_seed, check_X_y
from nnbook.activations import relu, relu_derivative
from nnbook.losses import sparse_cross_entropy, sparse_cross_entropy_grad

__all__ = ["MLP", "SGD", "Adam", "numeric_gradients", "gradient_check", "from_keras", "to_keras",
           "save", "load"]


class SGD:
    """Plain gradient descent, ``theta -= learning_rate * g``: ``keras.optimizers.SGD``."""

    def __init__(self, learning_rate=0.01):
        self.learning_rate = float(learning_rate)

    def update(self, params, grads):
        """Update each array of ``params`` in place from its gradient in ``grads``."""
        for theta, g in zip(params, grads):
            theta -= self.learning_rate * g


class Adam:
    """Adam, step for step as ``keras.optimizers.Adam`` (Keras 3) computes it.

    At step :math:`t = 1, 2, \\dots`, for every parameter array :math:`\\theta`
    with gradient :math:`g` (element-wise, :math:`m = v = 0` at the start):

    .. math::

        m &\\leftarrow m + (1 - \\beta_1)(g - m), \\qquad
        v \\leftarrow v + (1 - \\beta_2)(g^2 - v),\\\\
        \\alpha_t &= \\alpha \\sqrt{1 - \\beta_2^t} / (1 - \\beta_1^t), \\qquad
        \\theta \\leftarrow \\theta - \\alpha_t \\, m / (\\sqrt{v} + \\epsilon)

    Keras folds the bias correction into :math:`\\alpha_t`, so :math:`\\epsilon` (1e-7; the
    paper's is 1e-8) is added to :math:`\\sqrt v`, not to the paper's :math:`\\sqrt{\\hat v}`:
    that matters only when :math:`\\sqrt v` is near :math:`\\epsilon`. ``t`` counts steps.
    """

    def __init__(self, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.learning_rate = float(learning_rate)
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)
        self.t = 0
        self.m = self.v = None

    def update(self, params, grads):
        """Update each array of ``params`` in place from its gradient."""
        if self.m is None:
            self.m = [np.zeros_like(theta) for theta in params]
            self.v = [np.zeros_like(theta) for theta in params]
        self.t += 1
        t, beta_1, beta_2 = self.t, self.beta_1, self.beta_2
        alpha_t = self.learning_rate * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        for theta, g, m, v in zip(params, grads, self.m, self.v):
            m += (1 - beta_1) * (g - m)               # mean of g
            v += (1 - beta_2) * (np.square(g) - v)    # mean of g^2
            theta -= alpha_t * m / (np.sqrt(v) + self.epsilon)


class MLP:
    """A multilayer perceptron: ReLU hidden layers and a linear output of logits.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, inputs first, ``(n, n_1, ..., K)``: ``(784, 25, 15, 10)``
        for the course network. Two or more positive ints (a list, tuple or 1-D
        array), else ``ValueError``.
    seed : int >= 0, default 0
        ``W[l]`` starts Glorot uniform like a Keras ``Dense`` layer's, in
        :math:`\\pm\\sqrt{6 / (n_{l-1} + n_l)}`, drawn from
        ``numpy.random.default_rng(seed + l)``; ``b[l]`` starts at 0.
    dtype : {float32, float64}, default float32
        Any other dtype raises ``ValueError``.
    """

    def __init__(self, layer_sizes, seed=0, dtype=np.float32):
        if not isinstance(layer_sizes, (list, tuple, np.ndarray)) or np.ndim(layer_sizes) != 1 \
                or len(layer_sizes) < 2:
            raise ValueError(f"layer_sizes must be a list of 2 or more sizes, inputs first, "
                             f"such as (784, 25, 15, 10); got {layer_sizes!r}")
        self.layer_sizes = tuple(check_positive_int(n, f"layer_sizes[{i}]")
                                 for i, n in enumerate(layer_sizes))
        seed = check_seed(seed)
        try:
            self.dtype = np.dtype(dtype)
        except TypeError:
            raise TypeError(f"dtype must be float32 or float64, got {dtype!r}") from None
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")
        self.L = len(layer_sizes) - 1
        self.W, self.b = {}, {}
        for l in range(1, self.L + 1):
            fan_in, fan_out = self.layer_sizes[l - 1], self.layer_sizes[l]
            limit = math.sqrt(6 / (fan_in + fan_out))
            rng = np.random.default_rng(seed + l)
            self.W[l] = rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(self.dtype)
            self.b[l] = np.zeros(fan_out, dtype=self.dtype)

    def parameters(self):
        """The arrays ``[W[1], b[1], W[2], b[2], ...]`` (Keras's order), not copies."""
        return [p for l in range(1, self.L + 1) for p in (self.W[l], self.b[l])]

    def parameter_names(self):
        """``["W1", "b1", "W2", "b2", ...]``, in the order of :meth:`parameters`."""
        return [f"{p}{l}" for l in range(1, self.L + 1) for p in ("W", "b")]

    @property
    def n_parameters(self):
        """The number of weights and biases, :math:`\\sum_l (n_{l-1} n_l + n_l)`."""
        return sum(p.size for p in self.parameters())

    def get_weights(self):
        """Copies of :meth:`parameters`, like Keras's ``get_weights``."""
        return [p.copy() for p in self.parameters()]

    def set_weights(self, weights):
        """Copy ``[W[1], b[1], W[2], b[2], ...]`` into the network's arrays."""
        for p, w in zip(self.parameters(), weights):
            p[...] = w

    def forward(self, X):
        """The forward pass; returns every layer's ``a`` and ``z`` for :meth:`backward`.

        ``X`` has shape (m, n) and the network's dtype. ``a[0] = X``; for
        ``l = 1 .. L``, ``z[l]`` and ``a[l]`` have shape (m, n_l); ``a[L] = z[L]``
        are the logits.
        """
        a, z = {0: X}, {}
        for l in range(1, self.L + 1):
            z[l] = a[l - 1] @ self.W[l] + self.b[l]     # (m, n_l)
            a[l] = relu(z[l]) if l < self.L else z[l]   # (m, n_l)
        return a, z

    def backward(self, y, a, z):
        """Backpropagation: the gradients ``dW[l]``, ``db[l]`` of the cost ``J``.

        ``y``: the batch's int labels, shape (m,); ``a``, ``z``: what :meth:`forward`
        returned. ``delta`` is dJ/dz[l], from ``(softmax(z[L]) - one_hot(y)) / m``
        down; ``dW[l]`` and ``db[l]`` have the shapes of ``W[l]`` and ``b[l]``.
        """
        dW, db = {}, {}
        delta = sparse_cross_entropy_grad(y, z[self.L])  # (m, K)
        for l in range(self.L, 0, -1):
            dW[l] = a[l - 1].T @ delta                   # (n_{l-1}, n_l)
            db[l] = delta.sum(axis=0)                    # (n_l,)
            if l > 1:
                da = delta @ self.W[l].T                 # (m, n_{l-1})
                delta = da * relu_derivative(z[l - 1])   # (m, n_{l-1})
        return dW, db

    def train_step(self, X, y, optimizer):
        """One mini-batch: forward, backward, and an ``optimizer`` update in place.

        Returns the batch's cost and logits before the update (what Keras reports).
        """
        a, z = self.forward(X)
        cost = sparse_cross_entropy(y, a[self.L])
        dW, db = self.backward(y, a, z)
        grads = [g for l in range(1, self.L + 1) for g in (dW[l], db[l])]
        optimizer.update(self.parameters(), grads)
        return cost, a[self.L]

    def fit(self, X, y, epochs=40, batch_size=32, optimizer=None, seed=0, shuffle=True):
        """Train on ``X`` (m, n) and labels ``y`` (m,) by mini-batches, like Keras's ``fit``.

        Each epoch shuffles the rows (one permutation per epoch from
        ``numpy.random.default_rng(seed)``) and takes a :meth:`train_step` per
        batch of ``batch_size`` rows (the last may be smaller) with ``optimizer``
        (default ``Adam()``; it keeps its state between calls). Returns, per epoch,
        the mean batch cost and the share of rows classified right, before each
        step, as Keras does: ``{"loss": [...], "accuracy": [...]}``. Raises
        ``TypeError`` or ``ValueError`` naming a bad argument.
        """
        X, y = self._check(X, y)
        epochs = check_positive_int(epochs, "epochs")
        batch_size = check_positive_int(batch_size, "batch_size")
        optimizer = Adam() if optimizer is None else optimizer
        if isinstance(optimizer, type):
            raise TypeError(f"optimizer must be an object such as Adam(1e-3), got the class "
                            f"{optimizer.__name__}: add the parentheses, {optimizer.__name__}()")
        if not hasattr(optimizer, "update"):
            raise TypeError(f"optimizer must be an object such as Adam(1e-3), got {optimizer!r}")
        rng = np.random.default_rng(check_seed(seed))
        m = len(X)
        history = {"loss": [], "accuracy": []}
        for _ in range(epochs):
            order = rng.permutation(m) if shuffle else np.arange(m)
            total_cost, n_correct = 0.0, 0
            for start in range(0, m, batch_size):
                batch = order[start:start + batch_size]
                X_batch, y_batch = X[batch], y[batch]
                cost, z_L = self.train_step(X_batch, y_batch, optimizer)
                total_cost += float(cost) * len(batch)
                n_correct += int(np.sum(z_L.argmax(axis=1) == y_batch))
            history["loss"].append(total_cost / m)
            history["accuracy"].append(n_correct / m)
        return history

    def _check(self, X, y):
        """``X`` (m, n) in the network's dtype and ``y`` as int64 labels 0 .. K-1, or raise."""
        X, y = check_X_y(X, y, n_features=self.layer_sizes[0], n_classes=self.layer_sizes[-1])
        return X.astype(self.dtype, copy=False), y

    def logits(self, X):
        """The logits ``z[L]`` for ``X`` (m, n): shape (m, K)."""
        X = check_X_y(X, n_features=self.layer_sizes[0]).astype(self.dtype, copy=False)
        return self.forward(X)[0][self.L]

    def predict(self, X):
        """The predicted class of each row of ``X``, ``argmax_k z[L]``: int64, shape (m,)."""
        return np.argmax(self.logits(X), axis=1)

    def cost(self, X, y):
        """The mean sparse cross-entropy ``J`` of the logits for ``X`` against ``y``."""
        X, y = self._check(X, y)
        return sparse_cross_entropy(y, self.forward(X)[0][self.L])

    def accuracy(self, X, y):
        """The share of rows of ``X`` whose predicted class is ``y``, a float in [0, 1]."""
        X, y = self._check(X, y)
        return float(np.mean(self.forward(X)[0][self.L].argmax(axis=1) == y))


def numeric_gradients(mlp, X, y, eps=1e-6):
    """Central finite differences of the cost ``J``, one array per parameter of ``mlp``.

    For each entry :math:`\\theta` of each ``W[l]`` and ``b[l]``, the slope
    :math:`(J(\\theta + \\varepsilon) - J(\\theta - \\varepsilon)) / 2\\varepsilon` of the
    mean sparse cross-entropy on ``X`` (m, n) and labels ``y`` (m,), in the
    network's dtype: use a float64 network and a small batch (two forward
    passes per parameter). Each entry is put back as it was. Returns
    ``[dW1, db1, dW2, ...]``, in the order of :meth:`MLP.parameters`.
    """
    def J():
        return float(sparse_cross_entropy(y, mlp.forward(X)[0][mlp.L]))

    grads = []
    for theta in mlp.parameters():
        g = np.empty_like(theta)
        for i in range(theta.size):  # one parameter at a time
            old = theta.flat[i]
            theta.flat[i] = old + eps
            J_plus = J()
            theta.flat[i] = old - eps
            J_minus = J()
            theta.flat[i] = old
            g.flat[i] = (J_plus - J_minus) / (2 * eps)
        grads.append(g)
    return grads


def gradient_check(mlp, X, y, eps=1e-6):
    """Relative errors of :meth:`MLP.backward` against :func:`numeric_gradients`.

    Per array ``W[l]``, ``b[l]``, the relative error
    :math:`\\lVert g - \\hat g \\rVert / (\\lVert g \\rVert + \\lVert \\hat g \\rVert)`
    (0 if both are 0) of the backpropagated :math:`g` against the central
    finite differences :math:`\\hat g` on ``X`` (m, n) and labels ``y`` (m,).
    Runs on a float64 copy of ``mlp``, two forward passes per parameter: use a
    small batch.

    Returns ``{"W1": error, "b1": error, ...}``. Read them as CS231n suggests:
    below 1e-7 the gradient is right (a correct one gives about 1e-9 here);
    1e-7 to 1e-4 is plausible only near a kink (a ReLU input within ``eps`` of 0)
    or for a tiny gradient, whose rounding error is large in relative terms;
    1e-4 to 1e-2 is suspicious; above 1e-2 the gradient is probably wrong.
    """
    net = _from_weights(mlp.parameters(), np.float64)
    X, y = net._check(X, y)
    dW, db = net.backward(y, *net.forward(X))
    analytic = [g for l in range(1, net.L + 1) for g in (dW[l], db[l])]
    numeric = numeric_gradients(net, X, y, eps)
    errors = {}
    for name, g, g_hat in zip(net.parameter_names(), analytic, numeric):
        scale = np.linalg.norm(g) + np.linalg.norm(g_hat)
        errors[name] = float(np.linalg.norm(g - g_hat) / scale) if scale > 0 else 0.0
    return errors


def _from_weights(weights, dtype):
    """A new MLP holding ``[W[1], b[1], ...]``; the layer sizes come from the shapes."""
    sizes = (weights[0].shape[0], *(W.shape[1] for W in weights[0::2]))
    mlp = MLP(sizes, dtype=dtype)
    mlp.set_weights(weights)
    return mlp


def from_keras(model, dtype=np.float32):
    """A new :class:`MLP` with the weights of a :func:`nnbook.models.build_mlp` model.

    ``model.get_weights()`` lists ``[W[1], b[1], W[2], b[2], ...]`` in layer
    order; ``Dropout`` layers hold no weights, so they drop out of the list.
    """
    return _from_weights(model.get_weights(), dtype)


def to_keras(mlp, model):
    """Copy ``mlp``'s weights into ``model``, a Keras model of the same shape; return it."""
    model.set_weights(mlp.parameters())
    return model


def save(mlp, path):
    """Save ``mlp``'s parameters, in the order of :meth:`MLP.parameters`, to a ``.npz`` file."""
    np.savez(path, *mlp.parameters())


def load(path):
    """The :class:`MLP` that :func:`save` wrote to ``path`` (same sizes, weights, dtype)."""
    with np.load(path) as f:
        weights = [f[f"arr_{i}"] for i in range(len(f.files))]
    return _from_weights(weights, weights[0].dtype)
