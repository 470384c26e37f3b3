"""The book's figures, in the order the chapters draw them.

Each function draws one figure and returns the ``matplotlib.figure.Figure``,
so a chapter cell can end with the call. The figure is closed in pyplot before
it is returned, so Jupyter shows it once (from the returned value), not twice.
The callers are the book's own cells: the functions do not check arguments.
"""

import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator
import numpy as np

from nnbook.activations import linear, relu, relu_derivative, sigmoid, softmax
from nnbook.data import to_image
from nnbook.relu_units import pre_activations, relu_sum, unit_outputs

__all__ = [
    "activation_functions", "relu_and_derivative", "relu_units_figure", "sums_against_target",  # relu
    "softmax_bars", "softmax_temperature_bars", "two_class_softmax",  # softmax
    "neg_log_curve", "gradient_bars", "loss_gradient_comparison",  # losses
    "digit_grid", "pixel_histogram",  # data
    "network_diagram",  # model
    "training_curves", "compare_curves",  # training (and scratch)
    "confusion_heatmap", "misclassified_gallery", "probability_bars",  # classifier
    "hidden_unit_weights", "hidden_activations",  # classifier: what the hidden units learned
    "relu_unit_regions",  # classifier: the course lab's 2-D network, unit by unit
    "shifted_digit", "convolution_steps", "conv_filters", "feature_maps", "augmentation_grid",  # cnn
    "fixed_and_new_mistakes",  # cnn
]


def _finish(fig):
    """Lay ``fig`` out (unless it uses constrained layout), close it in pyplot, return it."""
    if fig.get_layout_engine() is None:
        fig.tight_layout()
    plt.close(fig)
    return fig


def _image_grid(n, ncols, panel, parent=None, framed=False, top=0.0):
    """``n`` panels for images, ``ncols`` to a row (fewer if ``n`` is smaller), in reading order.

    ``panel`` is one panel's (width, height) in inches; the new figure also
    gets ``top`` inches for a title. With ``parent`` (a figure or subfigure)
    the panels go there instead. The panels have no ticks and, unless
    ``framed``, no frame; the ones left over in the last row stay blank.
    Returns the figure (or ``parent``) and the ``n`` axes.
    """
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    if parent is None:
        parent = plt.figure(figsize=(panel[0] * ncols, panel[1] * nrows + top))
    axes = parent.subplots(nrows, ncols, squeeze=False).flat
    for i, ax in enumerate(axes):
        if framed and i < n:
            ax.set_xticks([])
            ax.set_yticks([])
        else:
            ax.set_axis_off()
    return parent, axes[:n]


def _diverging(ax, values, top=None):
    """``values`` as an image on a scale centred on 0: red positive, blue negative, white 0.

    Full colour at ``top``, by default the largest absolute value (1 if all are 0).
    """
    top = top or float(np.abs(values).max()) or 1.0
    ax.imshow(values, cmap="RdBu_r", vmin=-top, vmax=top)


# --- The ReLU chapter: activation functions and sums of ReLU units ----------------------


def _zero_lines(ax):
    ax.axhline(0, color="0.6", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.6", linewidth=0.8, zorder=0)
    ax.grid(True, alpha=0.3)


def activation_functions():
    """Linear, sigmoid and ReLU side by side, three panels on ``z`` in [-4, 4]."""
    z = np.linspace(-4.0, 4.0, 401)
    panels = [("linear", linear, "$g(z) = z$"), ("sigmoid", sigmoid, "$g(z) = 1 / (1 + e^{-z})$"),
              ("ReLU", relu, "$g(z) = \\max(0, z)$")]
    fig, axes = plt.subplots(1, 3, figsize=(9.5, 3.1))
    for ax, (name, g, formula), color in zip(axes, panels, ["C0", "C1", "C2"]):
        ax.plot(z, g(z), color=color, linewidth=2.2)
        ax.set_title(f"{name}: {formula}", fontsize=10.5)
        ax.set_xlabel("pre-activation $z$")
        _zero_lines(ax)
    axes[0].set_ylabel("activation $a = g(z)$")
    return _finish(fig)


def relu_and_derivative():
    """Two panels on [-3, 3]: ReLU, and its derivative with the convention ``relu'(0) = 0``."""
    z = np.linspace(-3.0, 3.0, 401)
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(8.5, 3.1))
    ax0.plot(z, relu(z), color="C2", linewidth=2.2)
    ax0.set_title("ReLU: $a = \\max(0, z)$", fontsize=10.5)
    ax0.set_ylabel("$a$")
    neg, pos = z[z < 0], z[z > 0]
    ax1.plot(neg, relu_derivative(neg), color="C3", linewidth=2.2)
    ax1.plot(pos, relu_derivative(pos), color="C3", linewidth=2.2)
    ax1.plot([0], [1], "o", markerfacecolor="white", markeredgecolor="C3", markersize=7)
    ax1.plot([0], [relu_derivative(0.0)], "o", color="C3", markersize=7)
    ax1.annotate("at $z = 0$ we use 0", xy=(0, 0), xytext=(0.75, 0.35),
                 arrowprops={"arrowstyle": "->", "color": "0.3"}, fontsize=9.5)
    ax1.set_title("its derivative: $da/dz$", fontsize=10.5)
    ax1.set_ylabel("$da/dz$")
    ax1.set_ylim(-0.15, 1.25)
    for ax in (ax0, ax1):
        ax.set_xlabel("pre-activation $z$")
        _zero_lines(ax)
    return _finish(fig)


def _signed(value):
    """``value`` for a title: at most two decimals, no trailing zeros, a true minus sign."""
    return f"{round(float(value), 2):g}".replace("-", "−")


def _times_x(w):
    """``w·x`` for a title: ``x`` for 1, ``−x`` for -1, else ``1.5x``."""
    text = _signed(w)
    return {"1": "x", "−1": "−x"}.get(text, f"{text}x")


def relu_units_figure(x, w, b, v=None, c=0.0, target=None):
    """One panel per ReLU unit's contribution, and a panel with their sum.

    Panel ``j`` draws :math:`v_j \\operatorname{relu}(w_j x + b_j)` and shades
    the range of ``x`` where the unit is off (:math:`w_j x + b_j \\le 0`). The
    last panel draws :math:`\\sum_j v_j \\operatorname{relu}(w_j x + b_j) + c`
    and, if given, the target as a dashed line. All panels share the vertical
    axis, so the pieces can be compared with the sum. Two panels per row.

    Parameters
    ----------
    x, target : ndarray, shape (m,)
        Inputs (sorted here before drawing) and, optionally, the target at ``x``.
    w, b, v : ndarray, shape (U,)
        The units' weights, biases and output weights (``v`` all ones if omitted,
        and then not shown in the titles).
    c : float, default 0.0
        Output bias, added in the sum panel.
    """
    v_arr = np.ones_like(w) if v is None else v
    order = np.argsort(x, kind="stable")
    x = x[order]
    if target is not None:
        target = target[order]
    total = relu_sum(x, w, b, v_arr, c)
    parts = unit_outputs(x, w, b) * v_arr
    z = pre_activations(x, w, b)
    n_units = len(w)
    nrows = -(-(n_units + 1) // 2)
    fig, axes = plt.subplots(nrows, 2, figsize=(4.1 * 2, 2.9 * nrows),
                             sharex=True, sharey=True, squeeze=False)
    for j, ax in enumerate(axes.flat):
        if j > n_units:
            ax.set_axis_off()
            continue
        if j == n_units:
            ax.plot(x, total, color="C0", linewidth=2.4,
                    label="sum of the units" + (" + c" if c else ""))
            if target is not None:
                ax.plot(x, target, color="k", linestyle="--", linewidth=1.6, label="target")
            ax.set_title("the network's output", fontsize=10.5)
            ax.legend(fontsize=8.5, loc="best")
        else:
            ax.fill_between(x, 0, 1, where=z[:, j] <= 0, transform=ax.get_xaxis_transform(),
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
    return _finish(fig)


def sums_against_target(x, target, sums, chord=None):
    """One panel per network output against the same target, each titled with its largest miss.

    Parameters
    ----------
    x, target : ndarray, shape (m,), ``x`` sorted
        Inputs and the target at ``x`` (drawn dashed in every panel).
    sums : dict of str to ndarray of shape (m,)
        Panel title and the network's output at ``x``, one panel each, side by side.
    chord : tuple of two floats, optional
        Draw, in the first panel, the target's chord between these two ``x``
        values: a convex curve lies on or below each of its chords.
    """
    fig, axes = plt.subplots(1, len(sums), figsize=(4.3 * len(sums), 3.4),
                             sharex=True, sharey=True, squeeze=False)
    for j, (ax, (title, y_hat)) in enumerate(zip(axes[0], sums.items())):
        ax.plot(x, target, color="k", linestyle="--", linewidth=1.6, label="target",
                zorder=3)  # on top, so that it shows where the output lies on it
        ax.plot(x, y_hat, color=f"C{j}", linewidth=2.4, label="network output")
        if j == 0 and chord is not None:
            ends = np.interp(chord, x, target)
            ax.plot(chord, ends, color="0.45", linestyle=":", linewidth=1.8, marker="o",
                    markersize=4, label="a chord of the target")
        miss = float(np.max(np.abs(y_hat - target)))
        ax.set_title(f"{title}\nlargest miss: {miss:.2f}", fontsize=10.5)
        ax.set_xlabel("input $x$")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8.5, loc="lower left")
    axes[0, 0].set_ylabel("output")
    return _finish(fig)


# --- The softmax chapter: scores to probabilities ---------------------------------------


def softmax_bars(z):
    """Two bar charts side by side: the scores ``z`` and ``softmax(z)``.

    Each bar is labelled with its value, so the figure shows what the
    exponential does: evenly spaced scores become probabilities that grow by
    a factor of ``e`` per unit of score.

    Parameters
    ----------
    z : ndarray, shape (K,)
        Scores (logits) of ``K`` classes.
    """
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
    return _finish(fig)


def softmax_temperature_bars(z, temperatures):
    """Grouped bars of ``softmax(z / T)`` for several temperatures ``T``.

    Parameters
    ----------
    z : ndarray, shape (K,)
        Scores (logits) of ``K`` classes.
    temperatures : sequence of positive float
        One group of bars (one colour) each.
    """
    k = np.arange(len(z))
    width = 0.8 / len(temperatures)
    colors = plt.get_cmap("viridis")(np.linspace(0.0, 0.85, len(temperatures)))
    fig, ax = plt.subplots(figsize=(7, 3.4))
    for i, (t, color) in enumerate(zip(temperatures, colors)):
        ax.bar(k + (i - (len(temperatures) - 1) / 2) * width, softmax(z / t), width=width,
               color=color, label=f"T = {t:g}")
    ax.set_xticks(k, [f"{j}\n(z = {v:g})" for j, v in zip(k, z)])
    ax.set_xlabel("class $k$ (its score)")
    ax.set_ylabel("probability softmax(z / T)")
    ax.set_ylim(0, 1)
    ax.legend(title="temperature", fontsize=9)
    return _finish(fig)


def two_class_softmax():
    """Softmax of two scores ``[0, d]`` against the sigmoid of ``d``, for ``d`` in [-8, 8].

    The probability of the second class, ``softmax([0, d])[1]``, is drawn as
    17 dots and ``sigmoid(d)`` as a line: they coincide, since
    :math:`e^{d} / (e^0 + e^{d}) = 1 / (1 + e^{-d})`.
    """
    d_line = np.linspace(-8.0, 8.0, 200)
    d_dots = np.linspace(-8.0, 8.0, 17)
    p1 = softmax(np.stack([np.zeros_like(d_dots), d_dots], axis=1))[:, 1]
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot(d_line, sigmoid(d_line), color="#7f7f7f", linewidth=2, label="sigmoid(d)")
    ax.plot(d_dots, p1, "o", color="#1f77b4", label="softmax([0, d]), class 1")
    ax.set_xlabel("score difference $d = z_1 - z_0$")
    ax.set_ylabel("probability of class 1")
    ax.set_ylim(-0.03, 1.03)
    ax.grid(alpha=0.3)
    ax.legend()
    return _finish(fig)


# --- The losses chapter: -log p, the gradient of cross-entropy, MSE against it ----------


def neg_log_curve(marks):
    """The cross-entropy loss of one example, :math:`-\\log p`, against ``p``.

    ``p`` is the probability the model gives the right class; the curve runs
    from ``p = 0.001`` (loss 6.9) to ``p = 1`` (loss 0).

    Parameters
    ----------
    marks : sequence of float in (0, 1]
        Probabilities to mark on the curve, each labelled with its loss.
    """
    marks = np.asarray(marks, dtype=float)
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
    return _finish(fig)


def gradient_bars(p, label, grad):
    """For one example: probabilities, one-hot target and the gradient, class by class.

    Draws three bars per class: the predicted probability :math:`p_k`, the
    target :math:`Y_k` (1 for the right class, else 0), and the gradient of
    the loss with respect to the logit :math:`z_k` (for cross-entropy,
    :math:`p_k - Y_k`; negative means "raise this score").

    Parameters
    ----------
    p, grad : ndarray, shape (K,)
        One example's probabilities, and the gradient with respect to its K logits.
    label : int
        The right class, in ``0 .. K-1``.
    """
    k = len(p)
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
    return _finish(fig)


def loss_gradient_comparison(margin, gradients):
    """How hard each loss pushes on the right class's score as a prediction gets more wrong.

    Plots the size of the gradient, :math:`|\\partial L / \\partial z_y|`,
    of each loss on a log scale against ``margin``, the wrong class's score
    minus the right class's.

    Parameters
    ----------
    margin : ndarray, shape (n,)
        How confidently wrong the prediction is.
    gradients : dict of str to ndarray of shape (n,)
        One line per loss: its name and the gradient on the right class's
        logit at each ``margin`` (the absolute value is plotted).
    """
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    for name, g in gradients.items():
        with np.errstate(divide="ignore"):
            ax.plot(margin, np.abs(g), linewidth=2, label=name)
    ax.set_yscale("log")
    ax.set_xlabel("wrong class's score minus right class's score")
    ax.set_ylabel("size of the gradient on the\nright class's score (log scale)")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend()
    return _finish(fig)


# --- The data chapter: digits and pixel values -------------------------------------------


def digit_grid(X, labels, predictions=None, size=1.1):
    """Images as 28 x 28 grey pictures (black on white), ten to a row, each titled with its label.

    ``X`` (m, 784) holds the images and ``labels`` (m,) their true labels.
    With ``predictions`` (m,), a title reads ``"3 → 5"`` (true → predicted),
    in red when they differ. ``size`` is one image's width in inches.
    """
    fig, axes = _image_grid(len(X), 10, (size, size * 1.15))
    for i, ax in enumerate(axes):
        ax.imshow(to_image(X[i]), cmap="gray_r")
        if predictions is None:
            ax.set_title(str(labels[i]), fontsize=14)
        else:
            wrong = predictions[i] != labels[i]
            ax.set_title(f"{labels[i]} → {predictions[i]}", fontsize=14,
                         color="red" if wrong else "black")
    return _finish(fig)


def pixel_histogram(X):
    """Histogram of all pixel values in ``X`` (any shape), 50 bins, log-scaled counts."""
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.hist(np.ravel(X), bins=50, color="#1f77b4")
    ax.set_yscale("log")
    ax.set_xlabel("pixel value")
    ax.set_ylabel("number of pixels (log scale)")
    return _finish(fig)


# --- The model chapter: the network's shape ----------------------------------------------


def network_diagram(sizes, activations):
    """Draw a fully connected network as columns of units joined by lines, and its loss.

    Layers with more than 10 units are drawn with 10 circles and a "⋮" gap;
    each column is labelled with its size and the activation of the layer,
    and each gap between columns with the shape of its weight matrix ``W``.
    The output units are numbered 0 to K-1 (the classes, K at most 10), and
    a dashed box right of them shows where the softmax and the loss sit:
    outside the model, in ``SparseCategoricalCrossentropy(from_logits=True)``.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, inputs first, such as ``(784, 25, 15, 10)``.
    activations : sequence of str
        One label per layer after the input, such as ``("ReLU", "ReLU", "linear")``.
    """
    max_drawn = 10  # most circles drawn in one column
    fig, ax = plt.subplots(figsize=(1.9 * len(sizes) + 2.9, 4.6))
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
        ax.scatter(np.full(len(ys), x), ys, s=110 if i < len(sizes) - 1 else 190,
                   color=colours[i], edgecolor="0.2", zorder=2)
        if gap is not None:
            ax.text(x, gap, "⋮", ha="center", va="center", fontsize=14, zorder=3,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
        role = "input" if i == 0 else ("output" if i == len(sizes) - 1 else f"hidden {i}")
        label = f"{role}\n{n:,} units"
        if i > 0:
            label += f"\n{activations[i - 1]}"
        ax.text(x, -1.25, label, ha="center", va="top", fontsize=10)
    for i in range(len(sizes) - 1):
        ax.text(i + 0.5, 1.2, f"W: {sizes[i]} × {sizes[i + 1]}\nb: {sizes[i + 1]}",
                ha="center", va="bottom", fontsize=9, color="0.25")

    x_out, ys_out, _ = columns[-1]
    for k, yk in enumerate(ys_out):  # the classes, one per output unit
        ax.text(x_out, yk, str(k), ha="center", va="center", fontsize=8, zorder=3)
    ax.text(x_out + 0.2, 0.08, "logits $\\mathbf{z}$", ha="left", va="bottom", fontsize=9.5)
    ax.annotate("", xy=(x_out + 0.95, 0), xytext=(x_out + 0.2, 0),
                arrowprops={"arrowstyle": "-|>", "color": "0.3"})
    x_box = x_out + 1.0
    ax.text(x_box + 0.62, 0,
            "in the loss, not the model\n(from_logits=True):\n\n"
            "$\\mathbf{p} = \\mathrm{softmax}(\\mathbf{z})$\n\n$L = -\\log p_y$",
            ha="center", va="center", fontsize=9.5,
            bbox={"boxstyle": "round,pad=0.5", "facecolor": "#f7f7f7", "edgecolor": "0.4",
                  "linestyle": "--"})
    ax.set_xlim(-0.5, x_box + 1.35)
    ax.set_ylim(-1.85, 1.55)
    ax.set_axis_off()
    return _finish(fig)


# --- The training chapter (and the scratch chapter): curves per epoch -------------------


def training_curves(history, mark_epoch=None):
    """Two panels, loss (left) and accuracy (right) per epoch, for training and validation.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        Lists ``"loss"``, ``"accuracy"`` and optionally ``"val_loss"``, ``"val_accuracy"``.
    mark_epoch : int, optional
        Draw a dashed vertical line, "best validation loss", at this epoch
        (1-based) in both panels.
    """
    h = getattr(history, "history", history)
    epochs = np.arange(1, len(h["loss"]) + 1)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for ax, key, label in [(axes[0], "loss", "loss (cross-entropy)"),
                           (axes[1], "accuracy", "accuracy")]:
        if key in h:
            ax.plot(epochs, h[key], label="training", color="#1f77b4")
        if f"val_{key}" in h:
            ax.plot(epochs, h[f"val_{key}"], label="validation", color="#ff7f0e")
        if mark_epoch is not None:
            ax.axvline(mark_epoch, color="0.3", ls="--", lw=1, label="best validation loss")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:  # an empty panel gets no (warning) legend
            ax.legend()
    return _finish(fig)


def compare_curves(histories, metric, ylabel, logy=False, legend_outside=False):
    """One metric per epoch for several training runs, one line each.

    Parameters
    ----------
    histories : dict
        Maps a run's label to its keras History (or history dict).
    metric, ylabel : str
        The key to plot (e.g. ``"loss"``, ``"val_accuracy"``) and the y-axis label.
    logy : bool, default False
        Log-scaled y axis (for a loss that falls by orders of magnitude).
    legend_outside : bool, default False
        Put the legend right of the axes (for many runs, whose lines it would hide).
    """
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for label, history in histories.items():
        h = getattr(history, "history", history)
        ax.plot(np.arange(1, len(h[metric]) + 1), h[metric], label=str(label))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    if legend_outside:
        fig.set_size_inches(8.5, 3.8)
        ax.legend(fontsize=9, loc="center left", bbox_to_anchor=(1.01, 0.5))
    else:
        ax.legend(fontsize=9)
    return _finish(fig)


# --- The classifier chapter: what the trained network gets right and wrong -------------


def confusion_heatmap(cm):
    """The confusion matrix ``cm`` (K, K) as a heat map with the count in each cell.

    ``cm[i, j]`` counts examples of true class ``i`` predicted as ``j`` (see
    :func:`nnbook.models.confusion_matrix`). The colour scale is the square
    root of the count, so that the few mistakes stay visible next to the large
    diagonal; an empty cell shows "·".
    """
    k = cm.shape[0]
    fig, ax = plt.subplots(figsize=(5.6, 4.8), layout="constrained")
    im = ax.imshow(np.sqrt(cm), cmap="Blues", vmin=0)
    threshold = np.sqrt(cm).max() * 0.6
    for (i, j), value in np.ndenumerate(cm):
        text = "·" if value == 0 else f"{int(value)}"
        ax.text(j, i, text, ha="center", va="center", fontsize=8,
                color="white" if np.sqrt(value) > threshold else "black")
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    cbar = fig.colorbar(im, ax=ax, shrink=0.85)
    top = float(cm.max())
    nice = [v for v in [0, 1, 5, 10, 25, 50, 100, 250, 500, 1000] if v <= top]
    if top > 0 and top > 1.2 * nice[-1]:  # label the top of the scale too
        nice.append(int(top))
    cbar.set_ticks(np.sqrt(nice))
    cbar.set_ticklabels([f"{v:g}" for v in nice])
    cbar.set_label("images (square-root scale)")
    return _finish(fig)


def misclassified_gallery(X, y_true, y_pred, proba, max_images=20, ncols=10):
    """The ``max_images`` most confident mistakes of a model, most confident first, ``ncols`` to a row.

    ``X`` (m, 784) holds the images, ``y_true`` and ``y_pred`` (m,) the true and
    predicted labels, and ``proba`` (m, K) the predicted probabilities. A
    mistake is the more confident the larger ``proba[i, y_pred[i]]``; each
    image is titled with its true label, the prediction and that probability.
    """
    wrong = np.flatnonzero(y_true != y_pred)
    confidence = proba[wrong, y_pred[wrong]]
    wrong = wrong[np.argsort(-confidence, kind="stable")][:max_images]
    fig, axes = _image_grid(len(wrong), ncols, (1.2, 1.2 * 1.45))
    for ax, i in zip(axes, wrong):
        ax.imshow(to_image(X[i]), cmap="gray_r")
        ax.set_title(f"true {y_true[i]}\npred {y_pred[i]} ({proba[i, y_pred[i]]:.2f})",
                     fontsize=9, color="red")
    return _finish(fig)


def probability_bars(p, true_label=None):
    """Bars of one prediction's class probabilities ``p`` (K,), the predicted class in orange.

    The bar of ``true_label``, if given, is outlined in black and named in the legend.
    """
    k = len(p)
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
    return _finish(fig)


def hidden_unit_weights(W, shown=None, quantile=1.0):
    """Each first-layer unit's 784 weights drawn as a 28 x 28 image, five to a row.

    Red pixels have positive weights (ink there raises the unit's
    pre-activation), blue ones negative; each panel is scaled to its own
    largest absolute weight (or to a ``quantile`` of them), and white is 0.

    Parameters
    ----------
    W : ndarray, shape (784, U)
        The first layer's weight matrix; column ``j`` belongs to unit ``j``.
    shown : ndarray of bool, shape (784,), optional
        The pixels to draw; the others are grey and do not count for the
        colour scale (for example the pixels that few training images ink).
    quantile : float, default 1.0
        Each panel's scale runs from minus to plus this quantile of its drawn
        absolute weights; the few larger ones get the scale's darkest colour.
    """
    hidden = np.zeros(W.shape[0], dtype=bool) if shown is None else ~np.asarray(shown)
    cmap = plt.get_cmap("RdBu_r").with_extremes(bad="0.75")
    fig, axes = _image_grid(W.shape[1], 5, (1.25, 1.4))
    for j, ax in enumerate(axes):
        limit = np.quantile(np.abs(W[~hidden, j]), quantile)
        image = np.ma.masked_array(to_image(W[:, j]), to_image(hidden) > 0)
        ax.imshow(image, cmap=cmap, vmin=-limit, vmax=limit)
        ax.set_title(f"unit {j}", fontsize=9)
    return _finish(fig)


def hidden_activations(image, a, label):
    """One ``image`` (784,), titled with its ``label``, and its first-layer activations as bars.

    ``a`` (U,) holds the units' activations
    :math:`a^{[1]} = \\mathrm{ReLU}(\\mathbf{x} W^{[1]} + \\mathbf{b}^{[1]})`;
    a unit that is off (0) has no bar.
    """
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(8.5, 2.6), width_ratios=[1, 3.6])
    ax0.imshow(to_image(image), cmap="gray_r")
    ax0.set_axis_off()
    ax0.set_title(f"label {label}", fontsize=10)
    ax1.bar(range(len(a)), a, color="#d6604d")
    ax1.set_xticks(range(len(a)))
    ax1.tick_params(axis="x", labelsize=8)
    ax1.set_xlabel("hidden unit $j$ of layer 1")
    ax1.set_ylabel("activation $a_j$")
    ax1.grid(axis="y", alpha=0.3)
    return _finish(fig)


_CLASS_STYLES = [("#1f77b4", "o"), ("#ff7f0e", "s"), ("#2ca02c", "^"), ("#9467bd", "D")]


def relu_unit_regions(X, y, W1, b1, W2, b2, resolution=200):
    """A network 2 -> 2 -> K on points in the plane, drawn unit by unit, four panels.

    The first two panels show hidden unit 0 and hidden unit 1 over the input
    plane: the colour is the unit's activation
    :math:`a_j = \\mathrm{ReLU}(\\mathbf{x} \\cdot \\mathbf{w}_j + b_j)`,
    grey where it is 0 (the unit is off), with the line
    :math:`\\mathbf{x} \\cdot \\mathbf{w}_j + b_j = 0` between. The third
    panel shows the points where the hidden layer puts them, at
    :math:`(a_0, a_1)`: every point for which a unit is off lies on an axis,
    and a point for which both are off at the origin. The fourth shows the
    network's prediction, the largest of the ``K`` logits
    :math:`\\mathbf{a} W^{[2]} + \\mathbf{b}^{[2]}`, over the input plane.
    The points are coloured and shaped by class in every panel.

    Parameters
    ----------
    X : ndarray, shape (m, 2)
    y : ndarray of int, shape (m,)
        Classes ``0 .. K-1``, ``K`` at most 4.
    W1 : ndarray, shape (2, 2)
    b1 : ndarray, shape (2,)
        The hidden layer, column ``j`` of ``W1`` for unit ``j``.
    W2 : ndarray, shape (2, K)
    b2 : ndarray, shape (K,)
        The output layer.
    resolution : int, default 200
        Grid points along each axis of the input plane.
    """
    pad = 1.0
    (x0_lo, x1_lo), (x0_hi, x1_hi) = X.min(axis=0) - pad, X.max(axis=0) + pad
    g0, g1 = np.meshgrid(np.linspace(x0_lo, x0_hi, resolution),
                         np.linspace(x1_lo, x1_hi, resolution))
    grid = np.column_stack([g0.ravel(), g1.ravel()])
    z_grid = grid @ W1 + b1
    a_grid = relu(z_grid)
    a = relu(X @ W1 + b1)
    extent = (x0_lo, x0_hi, x1_lo, x1_hi)

    def points(ax, P):
        for k, (color, marker) in enumerate(_CLASS_STYLES[:int(y.max()) + 1]):
            ax.scatter(P[y == k, 0], P[y == k, 1], s=18, color=color, marker=marker,
                       edgecolor="black", linewidth=0.4, label=f"class {k}", zorder=3)

    greys = ListedColormap(plt.get_cmap("Greys")(np.linspace(0, 0.6, 256)))  # the points show
    fig, axes = plt.subplots(2, 2, figsize=(8.4, 7.6), layout="constrained")
    for j, ax in enumerate(axes.flat[:2]):
        z = z_grid[:, j].reshape(g0.shape)
        on = np.ma.masked_array(a_grid[:, j], a_grid[:, j] == 0).reshape(g0.shape)
        image = ax.imshow(on, origin="lower", extent=extent, aspect="auto", cmap=greys,
                          vmin=0)
        with plt.rc_context({"hatch.color": "0.55"}):
            ax.contourf(g0, g1, z, levels=[z.min() - 1, 0], colors="none", hatches=["///"])
        ax.contour(g0, g1, z, levels=[0], colors="black", linewidths=1.2)
        points(ax, X)
        fig.colorbar(image, ax=ax, label=f"$a_{j}$ (hatched: 0, the unit is off)")
        ax.set_title(f"hidden unit {j}")
        ax.set_xlabel("$x_0$")
        ax.set_ylabel("$x_1$")
    ax = axes[1, 0]
    points(ax, a)
    n_origin = int(np.sum(np.all(a == 0, axis=1)))
    if n_origin:
        ax.annotate(f"both units off:\n{n_origin} of the points", (0, 0),
                    xytext=(0.3, 0.45), textcoords="axes fraction", fontsize=9,
                    arrowprops={"arrowstyle": "->", "color": "0.3"})
    ax.set_title("the points as the hidden layer outputs them")
    ax.set_xlabel("$a_0$ (unit 0)")
    ax.set_ylabel("$a_1$ (unit 1)")
    ax.grid(alpha=0.3)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center",
               ncols=len(ax.collections))
    ax = axes[1, 1]
    predicted = np.argmax(a_grid @ W2 + b2, axis=1).reshape(g0.shape)
    colors = [color for color, _ in _CLASS_STYLES[:W2.shape[1]]]
    ax.contourf(g0, g1, predicted, levels=np.arange(W2.shape[1] + 1) - 0.5, colors=colors,
                alpha=0.25)
    points(ax, X)
    ax.set_title("the network's prediction")
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    return _finish(fig)


# --- The CNN chapter: convolution, filters, feature maps, augmentation ------------------


def convolution_steps(image, kernel, feature_map, pooled):
    """One filter at work, four panels: the image, the filter, its output, the pooled output.

    ``image`` (H, W), ``kernel`` (kh, kw), ``feature_map`` (H', W') the
    filter's output on the image before the ReLU, and ``pooled`` (H'', W'')
    that output after the ReLU and max pooling. The filter's weights are
    written in its cells; the filter and its output use a diverging scale
    (red positive, blue negative, white 0), the image and the pooled map a
    grey one. Each title gives the panel's shape.
    """
    fig, axes = plt.subplots(1, 4, figsize=(10, 2.9), width_ratios=[1, 0.55, 1, 1])
    panels = [(image, "gray_r", None, "image"), (kernel, "RdBu_r", "sym", "filter"),
              (feature_map, "RdBu_r", "sym", "filter output"),
              (pooled, "gray_r", None, "ReLU, then 2 × 2 max pooling")]
    for ax, (values, cmap, scale, title) in zip(axes, panels):
        top = float(np.abs(values).max()) or 1.0
        vmin, vmax = (-top, top) if scale == "sym" else (0, top)
        ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax)
        ax.set_title(f"{title}\n{values.shape[0]} × {values.shape[1]}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    top = float(np.abs(kernel).max()) or 1.0
    for (i, j), w in np.ndenumerate(kernel):  # white on the dark cells
        axes[1].text(j, i, f"{w:g}".replace("-", "−"), ha="center", va="center", fontsize=10,
                     color="white" if abs(w) > 0.6 * top else "black")
    return _finish(fig)


def shifted_digit(image, shifted, label, predictions):
    """A digit, the same digit shifted, and their difference, pixel by pixel.

    ``image`` and ``shifted`` (784,) are framed, so that the shift within the
    28 x 28 box shows, and titled "``label`` → prediction" from
    ``predictions``, a pair (red when wrong). The third panel is ``shifted -
    image`` on a diverging scale: red where the shift added ink, blue where it
    took ink away, white where the pixel kept its value; its title counts the
    pixels whose value changed.
    """
    diff = to_image(shifted) - to_image(image)
    fig, axes = _image_grid(3, 3, (2.2, 2.9), framed=True)
    for ax, x, pred in zip(axes[:2], (image, shifted), predictions):
        ax.imshow(to_image(x), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{label} → {pred}", fontsize=12, color="red" if pred != label else "black")
    _diverging(axes[2], diff, top=1.0)
    axes[2].set_title(f"difference: {int(np.sum(diff != 0))} of 784\npixels change", fontsize=10)
    return _finish(fig)


def conv_filters(kernel):
    """The filters of a first convolutional layer, eight to a row, each a small grid of weights.

    ``kernel`` (kh, kw, 1, F) is the layer's ``layer.kernel`` (one input
    channel). Red weights are positive, blue negative, white 0; each filter
    has its own symmetric scale (its largest absolute weight is full colour),
    so the pattern shows whatever the filter's size.
    """
    fig, axes = _image_grid(kernel.shape[-1], 8, (1.05, 1.2))
    for f, ax in enumerate(axes):
        _diverging(ax, kernel[:, :, 0, f])
        ax.set_title(f"filter {f}", fontsize=10)
    return _finish(fig)


def feature_maps(image, maps, ncols=8):
    """One ``image`` (784,) and the feature maps ``maps`` (H, W, F) a conv layer makes of it.

    The first panel is the image, then one per channel of ``maps`` (after the
    layer's ReLU, so all values are >= 0), ``ncols`` to a row, dark where the
    filter responds strongly. All maps share one grey scale, so they can be
    compared.
    """
    fig, axes = _image_grid(maps.shape[-1] + 1, ncols, (1.15, 1.3))
    axes[0].imshow(to_image(image), cmap="gray_r")
    axes[0].set_title("input", fontsize=11)
    top = float(maps.max()) or 1.0
    for f, ax in enumerate(axes[1:]):
        ax.imshow(maps[:, :, f], cmap="gray_r", vmin=0, vmax=top)
        ax.set_title(f"filter {f}", fontsize=11)
    return _finish(fig)


def augmentation_grid(original, augmented):
    """An image, ``original`` (784,), then its augmented versions, ``augmented`` (n, 784).

    Eight to a row, each framed, so that shifts within the 28 x 28 box show;
    only the original has a title, which keeps the titles readable at the
    book's width.
    """
    images = np.vstack([original[None], augmented])
    fig, axes = _image_grid(len(images), 8, (1.1, 1.1), framed=True, top=0.3)
    for i, ax in enumerate(axes):
        ax.imshow(to_image(images[i]), cmap="gray_r", vmin=0, vmax=1)
        for spine in ax.spines.values():
            spine.set_color("0.6" if i else "black")
    axes[0].set_title("original", fontsize=12, fontweight="bold")
    return _finish(fig)


def fixed_and_new_mistakes(X, y, pred_old, pred_new, old_name, new_name, max_images=10):
    """Two rows of images: mistakes of one model that another fixes, and the other's new ones.

    ``X`` (m, 784) holds the images, ``y``, ``pred_old`` and ``pred_new`` (m,)
    the labels and the two models' predictions, ``old_name`` and ``new_name``
    the models' short names ("MLP", "CNN"). The top row shows images that the
    old model gets wrong and the new one right, titled with the true label and
    the old model's answer; the bottom row the other way round, titled with
    the new model's answer. Each row shows its first ``max_images`` (in the
    order of ``X``), and its heading ends with how many there are.
    """
    fixed = np.flatnonzero((pred_old != y) & (pred_new == y))
    new = np.flatnonzero((pred_new != y) & (pred_old == y))
    rows = [(fixed, pred_old, old_name,
             f"mistakes of the {old_name} that the {new_name} gets right: {len(fixed)}"),
            (new, pred_new, new_name,
             f"new mistakes of the {new_name}, which the {old_name} gets right: {len(new)}")]
    fig = plt.figure(figsize=(1.2 * max_images, 2 * 1.95), layout="constrained")
    for sub, (idx, pred, name, heading) in zip(fig.subfigures(2, 1), rows):
        sub.suptitle(heading, fontsize=12)
        _, axes = _image_grid(max_images, max_images, None, parent=sub)
        for ax, i in zip(axes, idx):
            ax.imshow(to_image(X[i]), cmap="gray_r")
            ax.set_title(f"true {y[i]}\n{name} {pred[i]}", fontsize=10,
                         color="red" if pred[i] != y[i] else "black")
    return _finish(fig)

