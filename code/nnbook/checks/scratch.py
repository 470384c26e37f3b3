"""The from-scratch chapter's checks: ``check_backward`` and ``check_adam_update``."""

import functools

import numpy as np

from nnbook.activations import softmax
from nnbook.checks._runner import call_on_copies, checker, numbers, report, run, same

LEARNING_RATE = 0.5  # of the one gradient-descent step that check_backward compares with Keras's


def backward_with(delta_out="softmax", relu_prime=True, mean=True, db="sum"):
    """A backward pass, right or with one typical mistake: ``(mlp, y, a, z) -> (dW, db)``."""
    def backward(mlp, y, a, z):
        L, Y = mlp.L, np.eye(z[mlp.L].shape[1])[y]
        delta = {"softmax": softmax(z[L], axis=1) - Y, "logits": z[L] - Y,
                 "sign": Y - softmax(z[L], axis=1)}[delta_out]
        delta = delta / len(y) if mean else delta
        dW, dB = {}, {}
        for l in range(L, 0, -1):
            dW[l] = a[l - 1].T @ delta
            dB[l] = delta.sum(axis=0) if db == "sum" else delta.mean(axis=0)
            if l > 1:
                delta = (delta @ mlp.W[l].T) * ((z[l - 1] > 0) if relu_prime else 1.0)
        return dW, dB
    return backward


BACKWARD_WRONG = [
    ("no ReLU derivative", backward_with(relu_prime=False),
     "the gradients of this layer miss the ReLU's derivative: going down a layer, delta is "
     "multiplied by the ReLU's derivative at z[l - 1], which is 0 where z <= 0 (Hint 2)"),
    ("no 1/m", backward_with(mean=False),
     "your gradients are m = 8 times too large: J is the MEAN loss over the batch, so the "
     "output's delta carries a 1/m (Hint 1)"),
    ("logits instead of softmax", backward_with(delta_out="logits"),
     "the output's delta starts from the logits: it is the probabilities minus the one-hot "
     "labels, over m (Hint 1)"),
    ("the sign", backward_with(delta_out="sign"),
     "your gradients point the wrong way: the output's delta is the probabilities MINUS the "
     "one-hot labels"),
    ("db as a mean", backward_with(db="mean"),
     "db[l] is m = 8 times too small: delta already carries the 1/m of the mean cost, so db "
     "SUMS delta over the examples (Hint 2)"),
]


@functools.cache
def _setup():
    """A float64 network 6 -> 5 -> 4 -> 3, a batch of 8, its forward pass, and the answers."""
    from nnbook.scratch import MLP, numeric_gradients

    mlp = MLP((6, 5, 4, 3), seed=4, dtype=np.float64)
    X = np.random.default_rng(4).normal(size=(8, 6))
    y = np.array([0, 1, 2, 0, 1, 2, 1, 0])
    a, z = mlp.forward(X)
    return mlp, y, a, z, numeric_gradients(mlp, X, y), _keras_step(mlp, X, y)


def _keras_step(mlp, X, y):
    """The weights after one gradient-descent step that Keras (TensorFlow) computes."""
    import tensorflow as tf

    from nnbook.models import keras

    model = keras.Sequential([keras.Input(shape=(mlp.layer_sizes[0],))] + [
        keras.layers.Dense(n, activation="relu" if l < mlp.L else None, dtype="float64")
        for l, n in enumerate(mlp.layer_sizes[1:], start=1)])
    model.set_weights(mlp.get_weights())
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    with tf.GradientTape() as tape:
        cost = loss(y, model(X))
    grads = tape.gradient(cost, model.trainable_weights)
    return [w.numpy() - LEARNING_RATE * g.numpy() for w, g in zip(model.trainable_weights, grads)]


def _structure(out, mlp):
    """What is wrong with the shape of ``(dW, db)`` as a whole, or None."""
    layers = set(range(1, mlp.L + 1))
    if not (isinstance(out, (tuple, list)) and len(out) == 2
            and all(isinstance(g, dict) for g in out)):
        what = "None" if out is None else f"a {type(out).__name__}" + (
            " of " + ", ".join(type(g).__name__ for g in out) if isinstance(out, (tuple, list))
            else "")
        return (f"your function returned {what}: return (dW, db), two dicts keyed by the layer "
                f"number, 1 to {mlp.L}, as forward's a and z are")
    if set(out[0]) == set(range(mlp.L)):
        return (f"your dicts are keyed 0 to {mlp.L - 1}: key them by the layer number, 1 to "
                f"{mlp.L}, as forward's a and z are")
    if all(np.shape(numbers(out[0].get(l))) == mlp.b[l].shape
           and np.shape(numbers(out[1].get(l))) == mlp.W[l].shape for l in layers):
        return "the first dict must hold dW, the weights' gradients, and the second db"
    missing = sorted(layers - set(out[0]) | layers - set(out[1]))
    if missing:
        return (f"dW and db need an entry for every layer, 1 to {mlp.L}; layer {missing[0]} "
                "is missing")
    return None


def _layer_problem(out, l, mlp, numeric, variants):
    """What is wrong with dW[l] and db[l], or None when they pass the gradient check."""
    dW, db = numbers(out[0][l]), numbers(out[1][l])
    if dW is None or db is None:
        return f"dW[{l}] and db[{l}] must be arrays of numbers, of the shapes of W[{l}] and b[{l}]"
    if dW.shape != mlp.W[l].shape:
        turned = dW.shape == mlp.W[l].T.shape
        return (f"dW[{l}] has shape {dW.shape}, W[{l}] has {mlp.W[l].shape}" + (
            ": the transpose; it is the layer's input, transposed, times delta, not the other "
            "way round (Hint 2)" if turned else ": it is the layer's INPUT, transposed, times "
            "delta (Hint 2)"))
    if db.shape != mlp.b[l].shape:
        return (f"db[{l}] has shape {db.shape}, b[{l}] has {mlp.b[l].shape}: sum delta over the "
                "examples of the batch, along axis 0 (Hint 2)")
    got = np.concatenate([dW.ravel(), db.ravel()])
    want = np.concatenate([numeric[2 * l - 2].ravel(), numeric[2 * l - 1].ravel()])
    error = np.linalg.norm(got - want) / (np.linalg.norm(got) + np.linalg.norm(want) + 1e-300)
    if error < 1e-6:
        return None
    said = (f"the gradient check of dW[{l}] and db[{l}] gives a relative error of {error:.1e} "
            "(a right gradient gives about 1e-9)")
    for (name, _, hint), variant in zip(BACKWARD_WRONG, variants):
        guess = np.concatenate([np.ravel(variant[0][l]), np.ravel(variant[1][l])])
        if same(got, guess, 1e-9) and not same(guess, want, 1e-6):
            return f"{said}; {hint}"
    return said


def _error_hint(error):
    if "matmul" in error or "not aligned" in error or "mismatch" in error:
        return (". Going down a layer multiplies delta by W[l] transposed, (m, n_l) times "
                "(n_l, n_{l-1}) (Hint 2)")
    return ""


@checker("check_backward(my_backward)", BACKWARD_WRONG)
def check_backward(fn):
    """Check the reader's ``backward(mlp, y, a, z)``: backpropagation through the course MLP.

    ``fn`` takes a :class:`nnbook.scratch.MLP`, the labels ``y`` of a batch,
    shape (m,), and the dicts ``a`` and ``z`` that ``mlp.forward(X)``
    returned. It returns ``(dW, db)``, two dicts keyed by the layer ``l = 1
    .. L`` whose entries have the shapes of ``mlp.W[l]`` and ``mlp.b[l]``:
    the gradients of the mean cross-entropy of the logits. Prints the report
    and returns None.
    """
    mlp, y, a, z, numeric, keras_step = _setup()
    out, raised, warned, notes, _ = call_on_copies(fn, (mlp, y, a, z))
    cases = [f"dW[{l}] and db[{l}] pass the gradient check" + (
        " (output layer)" if l == mlp.L else "") for l in range(mlp.L, 0, -1)]
    cases.append("one gradient-descent step lands where Keras's does")
    if raised is not None:
        said = f"your function raised {type(raised).__name__}: {raised}"
        problems = [said + _error_hint(str(raised))] + ["your function raised (see above)"] * 3
    elif _structure(out, mlp):
        problems = [_structure(out, mlp)] + ["see the line above"] * 3
    else:
        variants = [call_on_copies(wrong, (mlp, y, a, z))[0] for _, wrong, _ in BACKWARD_WRONG]
        problems = [_layer_problem(out, l, mlp, numeric, variants) for l in range(mlp.L, 0, -1)]
        if any(problems):
            problems.append("the step follows your gradients: fix the lines above first")
        else:
            grads = [numbers(out[k][l]) for l in range(1, mlp.L + 1) for k in (0, 1)]
            after = [p - LEARNING_RATE * g for p, g in zip(mlp.parameters(), grads)]
            gap = max(float(np.max(np.abs(p - q))) for p, q in zip(after, keras_step))
            problems.append(None if gap < 1e-6 else
                            f"the weights after your step differ from Keras's by up to {gap:.2g}")
    if warned and not any(problems):
        problems[0] = "right answer, but NumPy warned: " + "; ".join(warned)
    report(f"check_backward: your backward pass on {len(cases)} cases",
           list(zip(cases, problems)), notes)


ADAM_RNG = np.random.default_rng(11)
ADAM_CASES = [
    ("step 1, from m = v = 0", np.array([0.5, -1.0, 2.0]), np.array([0.01, -0.02, 0.03]),
     np.zeros(3), np.zeros(3), 1),
    ("step 2, going on from step 1", np.array([0.499, -0.999, 1.999]),
     np.array([0.02, -0.01, 0.03]), np.array([0.001, -0.002, 0.003]),
     np.array([1e-7, 4e-7, 9e-7]), 2),
    ("step 10 of a 2 x 3 weight matrix", ADAM_RNG.normal(size=(2, 3)),
     ADAM_RNG.normal(0, 0.05, size=(2, 3)), ADAM_RNG.normal(0, 0.02, size=(2, 3)),
     ADAM_RNG.uniform(1e-4, 1e-3, size=(2, 3)), 10),
    ("tiny gradients (1e-5), where epsilon's place shows", np.array([1.0, -1.0]),
     np.array([1e-5, -2e-5]), np.zeros(2), np.zeros(2), 1),
]


def adam_with(kind=None, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """One Adam step as Keras takes it, ``(theta, g, m, v, t) -> (theta, m, v)``, or a mistake."""
    def update(theta, g, m, v, t):
        b1, b2 = (1 - beta_1, 1 - beta_2) if kind == "swapped betas" else (beta_1, beta_2)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * (g if kind == "g not squared" else g * g)
        step = {"t - 1": t - 1, "t + 1": t + 1}.get(kind, t)
        alpha = learning_rate * np.sqrt(1 - beta_2**step) / (1 - beta_1**step)
        if kind == "no bias correction":
            alpha = learning_rate
        if kind in ("the paper's epsilon", "epsilon inside the root, paper"):
            m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
            root = np.sqrt(v_hat) + epsilon if kind == "the paper's epsilon" else np.sqrt(
                v_hat + epsilon)
            theta = theta - learning_rate * m_hat / root
        else:
            root = np.sqrt(v + epsilon) if kind == "epsilon inside the root" else np.sqrt(
                v) + epsilon
            theta = theta + (1 if kind == "plus" else -1) * alpha * m / root
        if kind == "corrected moments kept":
            m, v = m / (1 - beta_1**t), v / (1 - beta_2**t)
        return (theta, v, m) if kind == "m and v swapped" else (theta, m, v)
    return update


_INSIDE = ("epsilon is inside the square root: add it to the root of v, outside it (epsilon "
           "only keeps the division finite, Hint 2)")
ADAM_WRONG = [
    ("no bias correction", adam_with("no bias correction"),
     "the step has no bias correction: m and v start at 0, so early on they are too small; "
     "Keras scales the learning rate by the correction instead (Hint 2)"),
    ("epsilon inside the root", adam_with("epsilon inside the root"), _INSIDE),
    ("epsilon inside the root, paper", adam_with("epsilon inside the root, paper"), _INSIDE),
    ("the paper's epsilon", adam_with("the paper's epsilon"),
     "this is the paper's form, epsilon added to the root of the corrected v. Keras folds the "
     "bias correction into the rate and adds epsilon to the root of v itself; the two differ "
     "only where that root is near epsilon, as here (Hint 2)"),
    ("swapped betas", adam_with("swapped betas"),
     "beta and 1 - beta are swapped: each moment keeps beta of its old value and takes "
     "1 - beta of the new one (Hint 1)"),
    ("g not squared", adam_with("g not squared"), "v must average the SQUARED gradient (Hint 1)"),
    ("corrected moments kept", adam_with("corrected moments kept"),
     "you returned the bias-corrected moments: return m and v themselves (the correction "
     "belongs in the step only), or the next step corrects them twice (Hint 2)"),
    ("t - 1", adam_with("t - 1"),
     "the bias correction uses t - 1: t counts the steps from 1 (step 1 uses t = 1)"),
    ("t + 1", adam_with("t + 1"),
     "the bias correction uses t + 1: the t given is already this step's number"),
    ("plus", adam_with("plus"),
     "theta moves along the gradient: a step goes against it, theta minus the step"),
    ("m and v swapped", adam_with("m and v swapped"), "m and v come back in each other's place"),
    ("learning rate 0.01", adam_with(learning_rate=0.01),
     "the step is 10 times too large: Keras's default learning rate is 0.001"),
    ("epsilon 1e-8", adam_with(epsilon=1e-8),
     "epsilon is 1e-8, the paper's; Keras's is 1e-7, which shows where the root of v is tiny"),
]


def _theta_only(attempt):
    got = attempt.got
    if got is not None and got.shape == attempt.args[0].shape:
        return "return the three new arrays, theta, m and v"
    return None


@checker("check_adam_update(my_adam_update)", ADAM_WRONG)
def check_adam_update(fn):
    """Check the reader's ``adam_update(theta, g, m, v, t)``: one step of Adam, as Keras takes it.

    ``fn`` gets a parameter array, its gradient, the two moment arrays and
    the step number ``t`` (1 for the first step), with Keras's defaults
    (learning rate 0.001, ``beta_1=0.9``, ``beta_2=0.999``, ``epsilon=1e-7``).
    It returns the new ``(theta, m, v)``, new arrays of ``theta``'s shape,
    leaving the ones it is given as they were. Prints the report and returns
    None.
    """
    run("check_adam_update: your adam_update", fn, ADAM_CASES, adam_with(),
        [_theta_only, ADAM_WRONG],
        unchanged=("the arrays given are left unchanged", ADAM_CASES[2][1:]),
        answer="three arrays, (theta, m, v)")
