"""The book's figures.

Each function draws one figure and returns the ``matplotlib.figure.Figure``,
so a chapter cell can end with the call. The figure is closed in pyplot before
it is returned, so Jupyter shows it once (from the returned value), not twice.
"""

import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator
import numpy as np

from nnbook._validate import (
    as_float_array,
    as_labels,
    check_finite,
    check_int_sequence,
    check_positive_int,
    check_positive_number,
    check_real,
)
from nnbook.data import N_PIXELS, to_image

__all__ = [
    "digit_grid",
    "pixel_histogram",
    "network_diagram",
    "training_curves",
    "compare_curves",
    "confusion_matrix",
    "misclassified_gallery",
    "probability_bars",
    "softmax_bars",
    "softmax_temperature_bars",
    "two_class_softmax",
    "neg_log_curve",
    "gradient_bars",
    "loss_gradient_comparison",
    "activation_functions",
    "relu_and_derivative",
    "relu_units_figure",
]


def digit_grid(X, labels, predictions=None, ncols=10, title=None, size=1.1):
    """Show images as 28 x 28 grey pictures, each titled with its label.

    Parameters
    ----------
    X : array_like, shape (m, 784)
        Images, one per row (any value range; shown black on white).
    labels : array_like of int, shape (m,)
        True labels, shown as each image's title.
    predictions : array_like of int, shape (m,), optional
        Predicted labels. The title then reads ``"3 → 5"`` (true → predicted)
        and wrong predictions are drawn in red.
    ncols : int, default 10
        Images per row.
    title : str, optional
        A title over the whole grid.
    size : float, default 1.1
        Width and height of one image, in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``X`` is not numeric, the labels are not integers or ``ncols`` is
        not an int.
    ValueError
        If ``X`` is not of shape (m, 784) with m >= 1, the labels do not
        match it in length, or ``ncols`` is not positive.
    """
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[1] != N_PIXELS or len(X) == 0:
        raise ValueError(f"X must have shape (m, {N_PIXELS}) with m >= 1, got {X.shape}")
    labels = as_labels(labels, "labels")
    if len(labels) != len(X):
        raise ValueError(f"labels has {len(labels)} entries for {len(X)} images")
    if predictions is not None:
        predictions = as_labels(predictions, "predictions")
        if len(predictions) != len(X):
            raise ValueError(f"predictions has {len(predictions)} entries for {len(X)} images")
    ncols = min(check_positive_int(ncols, "ncols"), len(X))
    nrows = -(-len(X) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(size * ncols, size * nrows * 1.15), squeeze=False
    )
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i >= len(X):
            continue
        ax.imshow(to_image(X[i]), cmap="gray_r")
        if predictions is None:
            ax.set_title(str(labels[i]), fontsize=14)
        else:
            wrong = predictions[i] != labels[i]
            ax.set_title(
                f"{labels[i]} → {predictions[i]}", fontsize=14, color="red" if wrong else "black"
            )
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    return fig


def pixel_histogram(X, bins=50):
    """Histogram of all pixel values in ``X``, with a log-scaled count axis.

    Parameters
    ----------
    X : array_like, any shape
        Pixel values.
    bins : int, default 50

    Returns
    -------
    matplotlib.figure.Figure
    """
    values = as_float_array(X, "X").ravel()
    if values.size == 0:
        raise ValueError("X is empty")
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.hist(values, bins=bins, color="#1f77b4")
    ax.set_yscale("log")
    ax.set_xlabel("pixel value")
    ax.set_ylabel("number of pixels (log scale)")
    fig.tight_layout()
    plt.close(fig)
    return fig


# --------------------------------------------------------------------------
# The model, its training and its predictions (model, training, classifier chapters)
# --------------------------------------------------------------------------


def _history_dict(history, name="history"):
    """``history.history`` of a Keras History, or the dict itself."""
    h = getattr(history, "history", history)
    if not isinstance(h, dict) or "loss" not in h:
        raise TypeError(f"{name} must be a keras History or a dict with a 'loss' list")
    if len(h["loss"]) == 0:
        raise ValueError(f"{name} holds no epochs")
    return h


def network_diagram(layer_sizes=(784, 25, 15, 10), layer_activations=("ReLU", "ReLU", "linear"),
                    max_drawn=10):
    """Draw a fully connected network as columns of units joined by lines.

    Layers with more than ``max_drawn`` units are drawn with ``max_drawn``
    circles and a "⋮" gap; each column is labelled with its size and the
    activation of the layer, and each gap between columns with the shape of
    its weight matrix ``W``.

    Parameters
    ----------
    layer_sizes : sequence of int, default (784, 25, 15, 10)
        Units per layer, inputs first.
    layer_activations : sequence of str, default ("ReLU", "ReLU", "linear")
        One label per layer after the input.
    max_drawn : int, default 10
        Most circles drawn in one column, at least 3.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``layer_sizes`` is not a sequence of ints, ``layer_activations``
        not a sequence of str, or ``max_drawn`` not an int.
    ValueError
        If there are fewer than 2 sizes or one is not positive,
        ``layer_activations`` does not have one entry per layer after the
        input, or ``max_drawn`` is below 3.
    """
    sizes = check_int_sequence(layer_sizes, "layer_sizes", min_len=2)
    if isinstance(layer_activations, str):
        raise TypeError("layer_activations must be a sequence of str, one per layer, "
                        "got a single str")
    try:
        layer_activations = tuple(layer_activations)
    except TypeError:
        raise TypeError(f"layer_activations must be a sequence of str, got "
                        f"{type(layer_activations).__name__}") from None
    if len(layer_activations) != len(sizes) - 1:
        raise ValueError(
            f"layer_activations needs {len(sizes) - 1} entries (one per layer after the "
            f"input), got {len(layer_activations)}"
        )
    for i, act in enumerate(layer_activations):
        if not isinstance(act, str):
            raise TypeError(f"layer_activations[{i}] must be a str, got {type(act).__name__}")
    max_drawn = check_positive_int(max_drawn, "max_drawn")
    if max_drawn < 3:
        raise ValueError(f"max_drawn must be at least 3, got {max_drawn}")
    fig, ax = plt.subplots(figsize=(1.9 * len(sizes) + 1, 4.6))
    columns = []
    for i, n in enumerate(sizes):
        drawn = min(n, max_drawn)
        ys = np.linspace(1, -1, drawn) * (drawn - 1) / (max_drawn - 1)
        gap = None
        if n > max_drawn:  # leave a gap in the middle for "..."
            half = drawn // 2
            ys = np.concatenate([ys[:half] + 0.06, ys[half:] - 0.06])
            gap = (ys[half - 1] + ys[half]) / 2
        columns.append((float(i), ys, gap))
    for (x0, ys0, _), (x1, ys1, _) in zip(columns[:-1], columns[1:]):
        for a in ys0:
            for b in ys1:
                ax.plot([x0, x1], [a, b], color="0.75", lw=0.4, zorder=1)
    colours = ["#9ecae1"] + ["#fdae6b"] * (len(sizes) - 2) + ["#a1d99b"]
    for i, ((x, ys, gap), n) in enumerate(zip(columns, sizes)):
        ax.scatter(np.full(len(ys), x), ys, s=110, color=colours[i], edgecolor="0.2", zorder=2)
        if gap is not None:
            ax.text(x, gap, "⋮", ha="center", va="center", fontsize=14, zorder=3,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
        role = "input" if i == 0 else ("output" if i == len(sizes) - 1 else f"hidden {i}")
        label = f"{role}\n{n:,} units"
        if i > 0:
            label += f"\n{layer_activations[i - 1]}"
        ax.text(x, -1.25, label, ha="center", va="top", fontsize=10)
    for i in range(len(sizes) - 1):
        ax.text(i + 0.5, 1.2, f"W: {sizes[i]} × {sizes[i + 1]}\nb: {sizes[i + 1]}",
                ha="center", va="bottom", fontsize=9, color="0.25")
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-1.85, 1.55)
    ax.set_axis_off()
    fig.tight_layout()
    plt.close(fig)
    return fig


def training_curves(history, title=None, mark_epoch=None, mark_label="best validation loss"):
    """Loss and accuracy per epoch, for the training (and validation) data.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        With lists ``"loss"`` and ``"accuracy"``, and optionally
        ``"val_loss"`` and ``"val_accuracy"``, one value per epoch.
    title : str, optional
    mark_epoch : int, optional
        Draw a dashed vertical line at this epoch (1-based) in both panels.
    mark_label : str, default "best validation loss"
        The legend entry of that line.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: loss (left) and accuracy (right) against the epoch. A
        history without accuracies leaves the right panel empty (and without
        a legend).

    Raises
    ------
    TypeError
        If ``history`` has no ``"loss"`` list, or ``mark_epoch`` is not an int.
    ValueError
        If ``history`` holds no epochs, or ``mark_epoch`` is outside 1..epochs.
    """
    h = _history_dict(history)
    epochs = np.arange(1, len(h["loss"]) + 1)
    if mark_epoch is not None:
        mark_epoch = check_positive_int(mark_epoch, "mark_epoch")
        if mark_epoch > len(epochs):
            raise ValueError(f"mark_epoch must be in 1..{len(epochs)}, got {mark_epoch}")
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for ax, key, label in [(axes[0], "loss", "loss (cross-entropy)"),
                           (axes[1], "accuracy", "accuracy")]:
        if key in h:
            ax.plot(epochs, h[key], label="training", color="#1f77b4")
        if f"val_{key}" in h:
            ax.plot(epochs, h[f"val_{key}"], label="validation", color="#ff7f0e")
        if mark_epoch is not None:
            ax.axvline(mark_epoch, color="0.3", ls="--", lw=1, label=mark_label)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:  # an empty panel gets no (warning) legend
            ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    return fig


def compare_curves(histories, metric="val_accuracy", ylabel=None, logy=False,
                   legend_outside=False):
    """One metric per epoch for several training runs, one line each.

    Parameters
    ----------
    histories : dict
        Maps a run's label to its keras History (or history dict).
    metric : str, default "val_accuracy"
        The key to plot, e.g. ``"loss"``, ``"val_loss"``, ``"val_accuracy"``.
    ylabel : str, optional
        The y-axis label (default: ``metric``).
    logy : bool, default False
        Log-scaled y axis (for a loss that falls by orders of magnitude).
    legend_outside : bool, default False
        Put the legend to the right of the axes (for many runs whose lines
        would hide behind it).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(histories, dict) or not histories:
        raise TypeError("histories must be a non-empty dict {label: history}")
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for label, history in histories.items():
        h = _history_dict(history, f"histories[{label!r}]")
        if metric not in h:
            raise ValueError(f"metric {metric!r} is not in the history of {label!r}")
        ax.plot(np.arange(1, len(h[metric]) + 1), h[metric], label=str(label))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel or metric)
    if logy:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    if legend_outside:
        fig.set_size_inches(8.5, 3.8)
        ax.legend(fontsize=9, loc="center left", bbox_to_anchor=(1.01, 0.5))
    else:
        ax.legend(fontsize=9)
    fig.tight_layout()
    plt.close(fig)
    return fig


def confusion_matrix(cm, normalize=False, title=None):
    """The confusion matrix as a heat map with the count in each cell.

    Parameters
    ----------
    cm : array_like of int, shape (K, K)
        ``cm[i, j]`` counts examples of true class ``i`` predicted as ``j``
        (see :func:`nnbook.models.confusion_matrix`).
    normalize : bool, default False
        Colour by the share of each row (true class) rather than the count.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``cm`` is not a real numeric array.
    ValueError
        If ``cm`` is not a non-empty square matrix, or holds NaN, inf or
        negative counts.
    """
    cm = as_float_array(cm, "cm")
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.size == 0:
        raise ValueError(f"cm must be a square (K, K) matrix, got shape {cm.shape}")
    check_finite(cm, "cm")
    if cm.min() < 0:
        raise ValueError(f"cm must hold counts >= 0, got {cm.min():g}")
    k = cm.shape[0]
    rows = cm.sum(axis=1, keepdims=True)
    shown = cm / np.maximum(rows, 1) if normalize else cm
    fig, ax = plt.subplots(figsize=(5.6, 4.8), layout="constrained")
    # a square-root colour scale keeps the few mistakes visible next to the big diagonal
    im = ax.imshow(np.sqrt(shown), cmap="Blues", vmin=0)
    threshold = np.sqrt(shown).max() * 0.6
    for i in range(k):
        for j in range(k):
            value = shown[i, j]
            text = f"{value:.2f}" if normalize else f"{int(value)}"
            if value == 0:
                text = "·"
            ax.text(j, i, text, ha="center", va="center", fontsize=8,
                    color="white" if np.sqrt(value) > threshold else "black")
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    cbar = fig.colorbar(im, ax=ax, shrink=0.85)
    top = float(shown.max())
    nice = [v for v in ([0, 0.01, 0.05, 0.1, 0.25, 0.5, 1] if normalize
                        else [0, 1, 5, 10, 25, 50, 100, 250, 500, 1000]) if v <= top]
    if top > 0 and top > 1.2 * nice[-1]:  # label the top of the scale too
        nice.append(round(top, 2) if normalize else int(top))
    cbar.set_ticks(np.sqrt(nice))
    cbar.set_ticklabels([f"{v:g}" for v in nice])
    cbar.set_label("share of the row" if normalize else "images (square-root scale)")
    if title:
        ax.set_title(title)
    plt.close(fig)
    return fig


def misclassified_gallery(X, y_true, y_pred, proba, max_images=20, ncols=10, size=1.2):
    """The images a model got wrong, each titled true, predicted and probability.

    Parameters
    ----------
    X : array_like, shape (m, 784)
    y_true, y_pred : array_like of int, shape (m,)
        True and predicted labels.
    proba : array_like, shape (m, K)
        Predicted probabilities; the title shows ``proba[i, y_pred[i]]``.
    max_images : int, default 20
        Show at most ``max_images`` mistakes: the most confident ones (largest
        ``proba[i, y_pred[i]]``), most confident first.
    ncols : int, default 10
        Images per row.
    size : float, default 1.2
        Width of one image in inches.

    Returns
    -------
    matplotlib.figure.Figure
        If there is no mistake, a figure that says so.

    Raises
    ------
    TypeError
        If an array is not numeric, the labels are not integers, or
        ``max_images`` or ``ncols`` is not an int.
    ValueError
        If the shapes do not match (``X`` of shape (m, 784), one label per
        image, ``proba`` of shape (m, K) covering ``y_pred``), or
        ``max_images`` or ``ncols`` is not positive.
    """
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[1] != N_PIXELS or len(X) == 0:
        raise ValueError(f"X must have shape (m, {N_PIXELS}) with m >= 1, got {X.shape}")
    y_true = as_labels(y_true, "y_true")
    y_pred = as_labels(y_pred, "y_pred")
    proba = as_float_array(proba, "proba")
    if len(y_true) != len(X) or len(y_pred) != len(X):
        raise ValueError(
            f"y_true ({len(y_true)}) and y_pred ({len(y_pred)}) need one label per image ({len(X)})"
        )
    if proba.ndim != 2 or len(proba) != len(X) or proba.shape[1] <= y_pred.max():
        raise ValueError(f"proba must have shape ({len(X)}, K) covering y_pred, got {proba.shape}")
    max_images = check_positive_int(max_images, "max_images")
    ncols = check_positive_int(ncols, "ncols")
    wrong = np.flatnonzero(y_true != y_pred)
    if len(wrong) == 0:
        fig, ax = plt.subplots(figsize=(4, 1))
        ax.text(0.5, 0.5, "no misclassified images", ha="center", va="center")
        ax.set_axis_off()
        plt.close(fig)
        return fig
    confidence = proba[wrong, y_pred[wrong]]
    wrong = wrong[np.argsort(-confidence, kind="stable")][:max_images]
    ncols = min(ncols, len(wrong))
    nrows = -(-len(wrong) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.45),
                             squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    for ax, i in zip(axes.flat, wrong):
        ax.imshow(to_image(X[i]), cmap="gray_r")
        ax.set_title(f"true {y_true[i]}\npred {y_pred[i]} ({proba[i, y_pred[i]]:.2f})",
                     fontsize=9, color="red")
    fig.tight_layout()
    plt.close(fig)
    return fig


def probability_bars(p, true_label=None, title=None):
    """Bar chart of one prediction's class probabilities.

    Parameters
    ----------
    p : array_like, shape (K,)
        Probabilities of the classes 0..K-1 for one example.
    true_label : int, optional
        Its bar is outlined in black and named in the legend.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        The predicted class (largest probability) is drawn in orange.
    """
    p = as_float_array(p, "p")
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"p must be 1-D with one probability per class, got shape {p.shape}")
    k = len(p)
    if true_label is not None:
        true_label = int(as_labels([true_label], "true_label", n_classes=k)[0])
    pred = int(np.argmax(p))
    colours = ["#1f77b4"] * k
    colours[pred] = "#ff7f0e"
    fig, ax = plt.subplots(figsize=(6, 3))
    bars = ax.bar(range(k), p, color=colours)
    bars[pred].set_label(f"predicted: {pred} (p = {p[pred]:.3f})")
    if true_label is not None:
        bars[true_label].set_edgecolor("black")
        bars[true_label].set_linewidth(2)
        ax.add_patch(Rectangle((0, 0), 0, 0, facecolor="white", edgecolor="black", linewidth=2,
                               label=f"true label: {true_label}"))
    for x, v in enumerate(p):
        if v >= 0.005:
            ax.text(x, v + 0.02, f"{v:.2f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(k))
    ax.set_xlabel("class")
    ax.set_ylabel("probability")
    ax.set_ylim(0, 1.15)
    ax.legend(loc="upper left", fontsize=9)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    return fig


# --------------------------------------------------------------------------
# softmax chapter figures
# --------------------------------------------------------------------------


def _scores_1d(z, name="z"):
    """``z`` as a 1-D float array of at least one finite score."""
    z = as_float_array(z, name)
    if z.ndim != 1 or z.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of scores, got shape {z.shape}")
    if not np.all(np.isfinite(z)):
        raise ValueError(f"{name} must be finite to be drawn, got {z.tolist()}")
    return z


def softmax_bars(z):
    """Two bar charts side by side: the scores ``z`` and ``softmax(z)``.

    Each bar is labelled with its value, so the figure shows what the
    exponential does: evenly spaced scores become probabilities that grow by
    a factor of ``e`` per unit of score.

    Parameters
    ----------
    z : array_like, shape (K,)
        Scores (logits) of ``K`` classes; finite.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``z`` is not a real numeric array.
    ValueError
        If ``z`` is not 1-D, is empty or holds NaN or inf.
    """
    from nnbook.activations import softmax

    z = _scores_1d(z)
    p = softmax(z)
    k = np.arange(len(z))
    fig, (ax_z, ax_p) = plt.subplots(1, 2, figsize=(8, 3.2))
    for ax, values, color, ylabel, fmt in [
        (ax_z, z, "#7f7f7f", "score $z_k$", "{:.2g}"),
        (ax_p, p, "#1f77b4", "probability $p_k$", "{:.2f}"),
    ]:
        bars = ax.bar(k, values, color=color)
        ax.bar_label(bars, labels=[fmt.format(v) for v in values], padding=2, fontsize=9)
        ax.set_xticks(k)
        ax.set_xlabel("class $k$")
        ax.set_ylabel(ylabel)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.margins(y=0.15)
    ax_z.set_title("scores z (any real numbers)")
    ax_p.set_title("softmax(z): in (0, 1), sum 1")
    ax_p.set_ylim(0, max(1.0, float(p.max()) * 1.15))
    fig.tight_layout()
    plt.close(fig)
    return fig


def softmax_temperature_bars(z, temperatures=(0.5, 1.0, 2.0, 5.0)):
    """Grouped bars of ``softmax(z / T)`` for several temperatures ``T``.

    Parameters
    ----------
    z : array_like, shape (K,)
        Scores (logits) of ``K`` classes; finite.
    temperatures : sequence of float, default (0.5, 1, 2, 5)
        Positive temperatures, one group of bars (one colour) each.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``z`` or ``temperatures`` is not numeric.
    ValueError
        If ``z`` is not 1-D, empty or not finite, or a temperature is not a
        positive finite number.
    """
    from nnbook.activations import softmax

    z = _scores_1d(z)
    temps = as_float_array(temperatures, "temperatures").ravel()
    if temps.size == 0 or not np.all(np.isfinite(temps) & (temps > 0)):
        raise ValueError(f"temperatures must be positive numbers, got {temps.tolist()}")
    k = np.arange(len(z))
    width = 0.8 / len(temps)
    colors = plt.get_cmap("viridis")(np.linspace(0.0, 0.85, len(temps)))
    fig, ax = plt.subplots(figsize=(7, 3.4))
    for i, (t, color) in enumerate(zip(temps, colors)):
        ax.bar(k + (i - (len(temps) - 1) / 2) * width, softmax(z / t), width=width,
               color=color, label=f"T = {t:g}")
    ax.set_xticks(k, [f"{j}\n(z = {v:g})" for j, v in zip(k, z)])
    ax.set_xlabel("class $k$ (its score)")
    ax.set_ylabel("probability softmax(z / T)")
    ax.set_ylim(0, 1)
    ax.legend(title="temperature", fontsize=9)
    fig.tight_layout()
    plt.close(fig)
    return fig


def two_class_softmax(d_max=8.0, n_points=17):
    """Softmax of two scores ``[0, d]`` against the sigmoid of ``d``.

    The probability of the second class, ``softmax([0, d])[1]``, is drawn as
    dots and ``sigmoid(d)`` as a line over ``d`` in ``[-d_max, d_max]``: they
    coincide, since :math:`e^{d} / (e^0 + e^{d}) = 1 / (1 + e^{-d})`.

    Parameters
    ----------
    d_max : float, default 8
        Half-width of the range of score differences ``d = z_1 - z_0``.
    n_points : int, default 17
        Number of dots (softmax evaluations).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``d_max`` is not a real number or ``n_points`` not an int.
    ValueError
        If ``d_max`` is not a positive finite number or ``n_points < 2``.
    """
    from nnbook.activations import sigmoid, softmax

    d_max = check_positive_number(d_max, "d_max")
    n_points = check_positive_int(n_points, "n_points")
    if n_points < 2:
        raise ValueError(f"n_points must be at least 2, got {n_points}")
    d_line = np.linspace(-d_max, d_max, 200)
    d_dots = np.linspace(-d_max, d_max, n_points)
    p1 = softmax(np.stack([np.zeros_like(d_dots), d_dots], axis=1))[:, 1]
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot(d_line, sigmoid(d_line), color="#7f7f7f", linewidth=2, label="sigmoid(d)")
    ax.plot(d_dots, p1, "o", color="#1f77b4", label="softmax([0, d]), class 1")
    ax.set_xlabel("score difference $d = z_1 - z_0$")
    ax.set_ylabel("probability of class 1")
    ax.set_ylim(-0.03, 1.03)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    plt.close(fig)
    return fig


# --------------------------------------------------------------------------
# The losses chapter: -log p, the gradient of cross-entropy, MSE against it
# --------------------------------------------------------------------------


def neg_log_curve(marks=(0.9, 0.5, 0.1, 0.01)):
    """The cross-entropy loss of one example, :math:`-\\log p`, against ``p``.

    ``p`` is the probability the model gives the right class; the curve runs
    from ``p = 0.001`` (loss 6.9) to ``p = 1`` (loss 0).

    Parameters
    ----------
    marks : sequence of float in (0, 1], default (0.9, 0.5, 0.1, 0.01)
        Probabilities to mark on the curve, each labelled with its loss.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If a mark is outside (0, 1].
    """
    marks = as_float_array(marks, "marks").ravel()
    if np.any(~(marks > 0) | ~(marks <= 1)):
        raise ValueError(f"marks must be probabilities in (0, 1], got {marks.tolist()}")
    p = np.linspace(0.001, 1, 500)
    fig, ax = plt.subplots(figsize=(6, 3.4))
    ax.plot(p, -np.log(p), color="#1f77b4", label=r"loss $= -\log p$")
    ax.plot(marks, -np.log(marks), "o", color="#ff7f0e", label="marked points")
    for v in marks:
        right_half = v > 0.6  # label to the upper left, so it stays inside the axes
        ax.annotate(f"p = {v:g}: loss {-np.log(v):.2f}", (v, -np.log(v)),
                    xytext=(-4, 10) if right_half else (8, 6), textcoords="offset points",
                    ha="right" if right_half else "left", fontsize=9)
    ax.set_xlabel("probability the model gives the right class, p")
    ax.set_ylabel(r"loss, $-\log p$")
    ax.set_xlim(0, 1.05)
    ax.set_ylim(0, 7.2)
    ax.legend(loc="upper right")
    fig.tight_layout()
    plt.close(fig)
    return fig


def gradient_bars(p, label, grad, title=None):
    """For one example: probabilities, one-hot target and the gradient, class by class.

    Draws three bars per class: the predicted probability :math:`p_k`, the
    target :math:`Y_k` (1 for the right class, else 0), and the gradient of
    the loss with respect to the logit :math:`z_k` (for cross-entropy,
    :math:`p_k - Y_k`; negative means "raise this score").

    Parameters
    ----------
    p : array_like, shape (K,)
        Probabilities of the K classes for one example.
    label : int
        The right class, in ``0 .. K-1``.
    grad : array_like, shape (K,)
        The gradient with respect to the K logits.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``p`` or ``grad`` is not 1-D, their lengths differ or ``label`` is
        outside ``0 .. K-1``.
    """
    p = as_float_array(p, "p")
    grad = as_float_array(grad, "grad")
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"p must be 1-D with one probability per class, got shape {p.shape}")
    if grad.shape != p.shape:
        raise ValueError(f"grad must have the shape of p, {p.shape}, got {grad.shape}")
    k = len(p)
    label = int(as_labels([label], "label", n_classes=k)[0])
    target = np.zeros(k)
    target[label] = 1
    x = np.arange(k)
    width = 0.27
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.bar(x - width, p, width, color="#1f77b4", label=r"probability $p_k$")
    ax.bar(x, target, width, color="#bbbbbb", label=r"target $Y_k$ (one-hot)")
    ax.bar(x + width, grad, width, color="#ff7f0e",
           label=r"gradient $\partial L / \partial z_k$")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x)
    ax.set_xlabel(f"class k (right class: {label})")
    ax.set_ylabel("value")
    ax.set_ylim(min(-1.1, grad.min() - 0.1), 1.1)
    # above the axes, so that it never hides a bar
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=9, frameon=False)
    if title:
        ax.set_title(title, pad=26)
    fig.tight_layout()
    plt.close(fig)
    return fig


def loss_gradient_comparison(margin, gradients, xlabel=None):
    """How hard each loss pushes on the right class's score as a prediction gets more wrong.

    Plots the size of the gradient, :math:`|\\partial L / \\partial z_y|`,
    of each loss on a log scale against ``margin``.

    Parameters
    ----------
    margin : array_like, shape (n,)
        The x values, for example the wrong class's score minus the right
        class's (how confidently wrong the prediction is).
    gradients : dict of str to array_like of shape (n,)
        One line per loss: its name and the gradient on the right class's
        logit at each ``margin`` (the absolute value is plotted).
    xlabel : str, optional
        The x-axis label (by default: the wrong class's score minus the right
        class's).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``margin`` is not 1-D, ``gradients`` is empty or a gradient's shape
        differs from ``margin``'s.
    """
    margin = as_float_array(margin, "margin")
    if margin.ndim != 1 or margin.size == 0:
        raise ValueError(f"margin must be 1-D and non-empty, got shape {margin.shape}")
    if not isinstance(gradients, dict) or not gradients:
        raise ValueError("gradients must be a non-empty dict of name -> gradient values")
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    for name, g in gradients.items():
        g = as_float_array(g, f"gradients[{name!r}]")
        if g.shape != margin.shape:
            raise ValueError(f"gradients[{name!r}] must have the shape of margin, "
                             f"{margin.shape}, got {g.shape}")
        with np.errstate(divide="ignore"):
            ax.plot(margin, np.abs(g), linewidth=2, label=name)
    ax.set_yscale("log")
    ax.set_xlabel(xlabel or "wrong class's score minus right class's score")
    ax.set_ylabel("size of the gradient on the\nright class's score (log scale)")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    plt.close(fig)
    return fig


# --- The ReLU chapter: activation functions and sums of ReLU units ---------------------------


def _z_range(z_min, z_max, n_points=401):
    """An evenly spaced grid from ``z_min`` to ``z_max`` (validated)."""
    z_min, z_max = check_real(z_min, "z_min"), check_real(z_max, "z_max")
    if not z_min < z_max:
        raise ValueError(f"z_min must be smaller than z_max, got z_min={z_min}, z_max={z_max}")
    return np.linspace(z_min, z_max, n_points)


def _zero_lines(ax):
    ax.axhline(0, color="0.6", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.6", linewidth=0.8, zorder=0)
    ax.grid(True, alpha=0.3)


def activation_functions(z_min=-4.0, z_max=4.0):
    """Linear, sigmoid and ReLU side by side, each on ``z`` in [z_min, z_max].

    Parameters
    ----------
    z_min, z_max : float, default -4 and 4
        The range of pre-activations ``z`` on the horizontal axes.

    Returns
    -------
    matplotlib.figure.Figure
        One row of three panels.

    Raises
    ------
    TypeError
        If ``z_min`` or ``z_max`` is not a real number.
    ValueError
        If ``z_min`` or ``z_max`` is not finite, or ``z_min >= z_max``.
    """
    from nnbook.activations import linear, relu, sigmoid

    z = _z_range(z_min, z_max)
    panels = [
        ("linear", linear, "$g(z) = z$"),
        ("sigmoid", sigmoid, "$g(z) = 1 / (1 + e^{-z})$"),
        ("ReLU", relu, "$g(z) = \\max(0, z)$"),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(9.5, 3.1))
    for ax, (name, g, formula), color in zip(axes, panels, ["C0", "C1", "C2"]):
        ax.plot(z, g(z), color=color, linewidth=2.2)
        ax.set_title(f"{name}: {formula}", fontsize=10.5)
        ax.set_xlabel("pre-activation $z$")
        _zero_lines(ax)
    axes[0].set_ylabel("activation $a = g(z)$")
    fig.tight_layout()
    plt.close(fig)
    return fig


def relu_and_derivative(z_min=-3.0, z_max=3.0):
    """ReLU and its derivative, with the convention ``relu'(0) = 0`` marked.

    Parameters
    ----------
    z_min, z_max : float, default -3 and 3
        The range of ``z``; it must contain 0.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: :math:`\\operatorname{relu}(z)` and
        :math:`\\operatorname{relu}'(z)`.

    Raises
    ------
    TypeError
        If ``z_min`` or ``z_max`` is not a real number.
    ValueError
        If ``z_min`` or ``z_max`` is not finite, ``z_min >= z_max``, or the
        range does not contain 0 in its interior.
    """
    from nnbook.activations import relu, relu_derivative

    z = _z_range(z_min, z_max)
    if not z_min < 0 < z_max:
        raise ValueError(f"the range [z_min, z_max] must contain 0 inside it, got [{z_min}, {z_max}]")
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(8.5, 3.1))
    ax0.plot(z, relu(z), color="C2", linewidth=2.2)
    ax0.set_title("ReLU: $a = \\max(0, z)$", fontsize=10.5)
    ax0.set_ylabel("$a$")
    neg, pos = z[z < 0], z[z > 0]
    ax1.plot(neg, relu_derivative(neg), color="C3", linewidth=2.2)
    ax1.plot(pos, relu_derivative(pos), color="C3", linewidth=2.2)
    ax1.plot([0], [1], "o", markerfacecolor="white", markeredgecolor="C3", markersize=7)
    ax1.plot([0], [relu_derivative(0.0)], "o", color="C3", markersize=7)
    ax1.annotate("at $z = 0$ we use 0", xy=(0, 0), xytext=(0.25 * z_max, 0.35),
                 arrowprops={"arrowstyle": "->", "color": "0.3"}, fontsize=9.5)
    ax1.set_title("its derivative: $da/dz$", fontsize=10.5)
    ax1.set_ylabel("$da/dz$")
    ax1.set_ylim(-0.15, 1.25)
    for ax in (ax0, ax1):
        ax.set_xlabel("pre-activation $z$")
        _zero_lines(ax)
    fig.tight_layout()
    plt.close(fig)
    return fig


def _signed(value):
    """``value`` for a title: at most two decimals, no trailing zeros, a true minus sign."""
    return f"{round(float(value), 2):g}".replace("-", "−")


def _times_x(w):
    """``w·x`` for a title: ``x`` for 1, ``−x`` for -1, else ``1.5x``."""
    text = _signed(w)
    return {"1": "x", "−1": "−x"}.get(text, f"{text}x")


def relu_units_figure(x, w, b, v=None, c=0.0, target=None, title=None, ncols=2):
    """One panel per ReLU unit's contribution, and a panel with their sum.

    Panel ``j`` draws :math:`v_j \\operatorname{relu}(w_j x + b_j)` and shades
    the range of ``x`` where the unit is off (:math:`w_j x + b_j \\le 0`). The
    last panel draws :math:`\\sum_j v_j \\operatorname{relu}(w_j x + b_j) + c`
    and, if given, the target as a dashed line. All panels share the vertical
    axis, so the pieces can be compared with the sum.

    Parameters
    ----------
    x : array_like, shape (m,)
        Inputs (sorted here before drawing).
    w, b : array_like, shape (U,)
        The units' weights and biases.
    v : array_like, shape (U,), optional
        Output weights; all ones if omitted.
    c : float, default 0.0
        Output bias, added in the sum panel.
    target : array_like, shape (m,), optional
        Target values at ``x``, drawn dashed in the sum panel.
    title : str, optional
        A title over the whole figure.
    ncols : int, default 2
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        As :func:`nnbook.relu_units.relu_sum`; ``ValueError`` also if
        ``target``'s shape differs from ``x``'s.
    """
    from nnbook.relu_units import relu_sum, unit_outputs

    x, w, b = (as_float_array(a, name) for a, name in [(x, "x"), (w, "w"), (b, "b")])
    v_arr = np.ones_like(w) if v is None else as_float_array(v, "v")
    ncols = check_positive_int(ncols, "ncols")
    order = np.argsort(x, kind="stable")
    x = x[order]
    if target is not None:
        target = as_float_array(target, "target")
        if target.shape != order.shape:
            raise ValueError(f"target must have the shape of x {order.shape}, got {target.shape}")
        target = target[order]
    total = relu_sum(x, w, b, v_arr, c)
    parts = unit_outputs(x, w, b) * v_arr
    n_units = len(w)
    nrows = -(-(n_units + 1) // ncols)
    ncols = min(ncols, n_units + 1)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.1 * ncols, 2.9 * nrows),
                             sharex=True, sharey=True, squeeze=False)
    for j, ax in enumerate(axes.flat):
        if j > n_units:
            ax.set_axis_off()
            continue
        if j == n_units:
            ax.plot(x, total, color="C0", linewidth=2.4, label="sum of the units" + (" + c" if c else ""))
            if target is not None:
                ax.plot(x, target, color="k", linestyle="--", linewidth=1.6, label="target")
            ax.set_title("the network's output", fontsize=10.5)
            ax.legend(fontsize=8.5, loc="best")
        else:
            off = np.outer(x, w[j])[:, 0] + b[j] <= 0
            ax.fill_between(x, 0, 1, where=off, transform=ax.get_xaxis_transform(),
                            color="0.85", step="mid", label="unit is off")
            ax.plot(x, parts[:, j], color=f"C{j + 1}", linewidth=2.2, label="its output")
            gain = "" if v is None else f"{_signed(v_arr[j])} × "
            sign = "−" if b[j] < 0 else "+"
            ax.set_title(f"unit {j}: {gain}relu({_times_x(w[j])} {sign} {_signed(abs(b[j]))})",
                         fontsize=10.5)
            if j == 0:
                ax.legend(fontsize=8.5, loc="upper right")
        ax.grid(True, alpha=0.3)
        ax.axhline(0, color="0.6", linewidth=0.8, zorder=0)
    for ax in axes[-1]:
        ax.set_xlabel("input $x$")
    for ax in axes[:, 0]:
        ax.set_ylabel("output")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    return fig
