"""The model chapter's check: ``check_model``, a Keras model against the course network."""

import numbers

import numpy as np

from nnbook.checks._runner import checker, describe, report

_DOUBLE_SOFTMAX = (
    "the output layer must give the logits (a linear activation); the softmax belongs in the "
    "loss, which from_logits=True tells. With both, Keras warns, and predict returns "
    "probabilities that a second softmax would squash (Hint 2)")
_LOSS = "the course network's loss is SparseCategoricalCrossentropy, from logits"


def _sizes(hidden_units, n_classes, input_dim):
    """The expected layer sizes, or a sentence saying which argument of the check is wrong."""
    def whole(value):
        return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value > 0

    if not isinstance(hidden_units, (list, tuple, np.ndarray)) \
            or getattr(hidden_units, "ndim", 1) != 1 or not all(whole(u) for u in hidden_units):
        return (f"hidden_units must be a sequence of positive ints, such as (25, 15), got "
                f"{describe(hidden_units)}; the defaults are the course network's: "
                "check_model(my_model)")
    for name, value in (("n_classes", n_classes), ("input_dim", input_dim)):
        if not whole(value):
            return (f"{name} must be a positive int, got {describe(value)}; call "
                    "check_model(my_model)")
    return [int(u) for u in hidden_units] + [int(n_classes)], int(input_dim)


def _activation_name(layer, keras):
    """The activation a layer applies on its own ("relu", "softmax"), or None for another layer."""
    if isinstance(layer, keras.layers.Softmax):
        return "softmax"
    if isinstance(layer, keras.layers.ReLU):
        return "relu"
    if isinstance(layer, keras.layers.Activation):
        return getattr(layer.activation, "__name__", str(layer.activation))
    return None


def _layers(model, keras):
    """For each Dense layer, ``[layer, activation, separate, after]``: the activation it applies,
    with an activation layer that follows it; whether that is a layer of its own; and the
    names of the layers after it, up to the next Dense."""
    dense = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            dense.append([layer, getattr(layer.activation, "__name__", "linear"), False, []])
        elif dense and not isinstance(layer, keras.layers.InputLayer):
            act = _activation_name(layer, keras)
            if act == "softmax" or act is not None and dense[-1][1] == "linear":
                dense[-1][1:3] = [act, True]
            dense[-1][3].append(type(layer).__name__)
    return dense


def _model_problems(model, units, input_dim, apart):
    """Yield ``(case, problem)`` for each check of ``model``; ``problem`` None when it passed.

    The names of the Dense layers followed by an activation layer go into ``apart``.
    """
    from nnbook.models import keras  # imports Keras (and TensorFlow), only when a model is checked

    if not isinstance(model, keras.Model):
        hint = (f"got the function {model.__name__}: pass the model itself, the one you built"
                if callable(model) and hasattr(model, "__name__") else
                f"got {type(model).__name__}; build the model with keras.Sequential (Hint 1)")
        yield "model is a Keras model", hint
        return
    yield "model is a Keras model", None
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        shape = None
    if not isinstance(shape, tuple) or len(shape) != 2:
        problem = (f"the model has no input size of the form (None, n) (got {shape}): start it "
                   f"with keras.Input, {input_dim} numbers per image (Hint 1)")
    else:
        problem = None if shape[1] == input_dim else (
            f"expected {input_dim} inputs (one per pixel), got {shape[1]}")
    yield f"input size is {input_dim}", problem

    dense = _layers(model, keras)
    found = ", ".join(f"{layer.name} ({layer.units})" for layer, *_ in dense) or "none"
    yield (f"{len(units)} Dense layers", None if len(dense) == len(units) else
           f"expected {len(units)} Dense layers, found {len(dense)}: {found}")
    for i, n_units in enumerate(units, start=1):
        output = i == len(units)
        role, want = ("output layer", "linear") if output else ("hidden layer", "relu")
        if i > len(dense):
            yield f"layer {i} ({role}) has {n_units} units", f"the model has no Dense layer {i}"
            yield f"layer {i} ({role}) uses {want} activation", f"the model has no Dense layer {i}"
            continue
        layer, act, separate, after = dense[i - 1]
        problem = None if layer.units == n_units else f"{layer.name} has {layer.units} units"
        if problem is None and not layer.use_bias:
            problem = (f"{layer.name} has no bias (use_bias=False): each unit of the course "
                       "network adds its own bias b")
        yield f"layer {i} ({role}) has {n_units} units", problem
        if act == "softmax":
            problem = (f"{layer.name} is followed by a softmax layer" if separate else
                       f"{layer.name} uses softmax") + f": {_DOUBLE_SOFTMAX}"
        elif output and after:
            problem = (f"{', '.join(after)} comes after the last Dense layer, {layer.name}: "
                       "the output layer's logits must be the model's output, with nothing "
                       "after them")
        else:
            problem = None if act == want else f"{layer.name} uses {act}, not {want}"
        if problem is None and separate:
            apart.append(layer.name)
        yield f"layer {i} ({role}) uses {want} activation", problem
    yield from _compile_problems(model, keras)


def _compile_problems(model, keras):
    """Yield ``(case, problem)`` for how ``model`` is compiled: optimizer, learning rate, loss."""
    if not model.compiled:
        yield "model is compiled", (
            "the model is not compiled yet: compile it with the Adam optimizer at a learning "
            "rate of 0.001 and the sparse cross-entropy from logits (Hint 3)")
        return
    yield "model is compiled", None
    optimizer = model.optimizer
    name = type(optimizer).__name__
    if type(optimizer) is keras.optimizers.Adam:
        problem = None
    elif isinstance(optimizer, keras.optimizers.Adam):
        problem = f"got {name}, a variant of Adam; the course network uses plain Adam"
    else:
        problem = f"got {name}; the course network uses the Adam optimizer"
    yield "optimizer is Adam", problem
    rate = float(np.asarray(optimizer.learning_rate))
    yield "learning rate is 0.001", (
        None if np.isclose(rate, 1e-3, rtol=1e-6, atol=0) else
        f"{name}'s learning rate is {rate:g}; the course network uses 0.001")

    loss = model.loss  # what compile got: a Loss object, or a name or function (no from_logits)
    if isinstance(loss, keras.losses.Loss):
        loss_name, from_logits = type(loss).__name__, loss.get_config().get("from_logits", False)
    else:
        loss_name, from_logits = getattr(loss, "__name__", str(loss)), False
    kind = loss_name.replace("_", "").lower()  # the class and the function name alike
    if kind == "sparsecategoricalcrossentropy":
        problem = None
    elif kind == "categoricalcrossentropy":
        problem = ("got CategoricalCrossentropy, which wants one-hot labels; the digits' "
                   f"labels are integers 0-9: {_LOSS}")
    else:
        problem = f"got {loss_name}; {_LOSS}"
    yield "loss is SparseCategoricalCrossentropy", problem
    if from_logits:
        problem = None
    elif kind.endswith("categoricalcrossentropy"):
        problem = ("from_logits is False (the default), so the loss reads the outputs as "
                   "probabilities. A linear output gives logits: training then stalls with "
                   "the loss stuck near ln 10 = 2.30 (Hint 3)")
    else:
        problem = f"{loss_name} does not take logits; {_LOSS}"
    yield "the loss takes logits (from_logits=True)", problem


@checker("check_model(my_model)")
def check_model(model, hidden_units=(25, 15), n_classes=10, input_dim=784):
    """Check a Keras model against the course network, 784 -> 25 -> 15 -> 10, and its compile.

    ``model`` is the reader's ``keras.Model``: ``hidden_units`` ReLU layers
    and a linear output layer of ``n_classes`` logits on ``input_dim``
    inputs, compiled with Adam at learning rate 0.001 and
    ``SparseCategoricalCrossentropy(from_logits=True)``. Prints the report
    and returns None.
    """
    sizes = _sizes(hidden_units, n_classes, input_dim)
    if isinstance(sizes, str):
        report("check_model: your model", [("the check's arguments", sizes)])
        return
    units, input_dim = sizes
    title = (f"check_model: the {input_dim} -> " + " -> ".join(map(str, units))
             + " network and how it is compiled")
    if model is Ellipsis:  # the notebook's stub, my_model = ...
        report(title, [("your model is written", "your model is still the stub (my_model = "
                        "...): build and compile it, then run this cell again")])
        return
    apart = []
    results = list(_model_problems(model, units, input_dim, apart))
    report(title, results, [
        f"the activation after {' and '.join(apart)} is a layer of its own: the same network, "
        "but the book writes it inside Dense, activation=\"relu\""] if apart else [])
