"""The explorers and the draw-a-digit pad as they start, as still figures for the printed book.

The HTML pages' explorers (:mod:`nnbook.explorers`) and pad (:mod:`nnbook.pad`)
are interactive; the PDF edition shows each one in its starting state, drawn
from the same numbers. Each function but :func:`pad_drawing` returns a
``matplotlib.figure.Figure``, closed in pyplot as :mod:`nnbook.plots`'s are;
:func:`pad_drawing` returns the pixels of strokes drawn as the pad draws them.
The callers are the book's own cells: the functions do not check arguments.
"""

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
import matplotlib.pyplot as plt
from matplotlib.patches import Circle
import numpy as np

from nnbook.activations import softmax
from nnbook.data import to_image
from nnbook.losses import mse, sparse_cross_entropy, sparse_cross_entropy_grad
from nnbook.plots import _finish, relu_units_figure
from nnbook.relu_units import relu_sum

__all__ = ["relu_explorer_still", "softmax_explorer_still", "cross_entropy_explorer_still",
           "pad_drawing", "pad_still"]


def relu_explorer_still(x, target, w, b, v=None):
    """The ReLU explorer as it starts: each unit, their sum against the target, and the error.

    :func:`relu_units_figure` of the starting units, titled with the
    explorer's readout: the mean squared error of the sum against the
    target, ``losses.mse(target, relu_units.relu_sum(x, w, b, v))``.

    Parameters
    ----------
    x, target : ndarray, shape (m,)
    w, b, v : ndarray, shape (U,)
        The starting sliders (``v`` all ones if omitted).
    """
    error = mse(target, relu_sum(x, w, b, np.ones_like(w) if v is None else v))
    fig = relu_units_figure(x, w, b, v, target=target)
    fig.suptitle(f"Mean squared error of the sum against the target: {error:.4f}", fontsize=12)
    fig.tight_layout()
    return fig


def _value_bars(ax, values, labels, colours, low=0.0, min_label=None):
    """Bars of ``values`` at 0, 1, ..., on [low, 1], labelled with their values.

    With ``min_label``, a bar is labelled only if its value's size is at least that.
    """
    bars = ax.bar(range(len(values)), values, color=colours, width=0.7)
    shown = [min_label is None or abs(v) >= min_label for v in values]
    ax.bar_label(bars, labels=[f"{v:.2f}".replace("-", "−") if show else ""
                               for v, show in zip(values, shown)], padding=2, fontsize=9)
    ax.set_xticks(range(len(values)), labels)
    ax.set_ylim(low - 0.15 * (low < 0), 1.15)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.grid(True, axis="y", alpha=0.3)
    return bars


def softmax_explorer_still(z, temperature=1.0):
    """The softmax explorer as it starts: bars of the probabilities, and its table.

    The bars show :math:`p = \\operatorname{softmax}(\\mathbf z / T)`; the
    table beside them lists each score, the naive formula's
    :math:`e^{z_k/T} / \\sum_j e^{z_j/T}` and the stable ``softmax``, with
    four decimals, as the explorer's table does.

    Parameters
    ----------
    z : ndarray, shape (K,)
        The starting scores.
    temperature : float, default 1.0
    """
    p = softmax(z / temperature)
    e = np.exp(z / temperature)  # the naive formula, finite for the explorer's starting scores
    naive = e / e.sum()
    fig, (ax, ax_table) = plt.subplots(1, 2, figsize=(8, 3.2), width_ratios=(1, 1.15))
    _value_bars(ax, p, [str(k) for k in range(len(z))], "#1f77b4")
    ax.set_xlabel("class $k$")
    ax.set_ylabel("probability $p_k$")
    ax.set_title(f"softmax of K = {len(z)} scores at temperature T = {temperature:g}",
                 fontsize=10.5)
    ax_table.set_axis_off()
    rows = [[str(k), f"{z[k]:.2f}", f"{naive[k]:.4f}", f"{p[k]:.4f}"] for k in range(len(z))]
    table = ax_table.table(rows, colLabels=["class $k$", "score $z_k$", "naive $e^{z/T}$/sum",
                                            "stable $p_k$"], loc="center", cellLoc="right",
                             colWidths=[0.2, 0.24, 0.32, 0.24])
    table.auto_set_font_size(False)
    table.set_fontsize(9.5)
    table.scale(1, 1.6)
    ax_table.set_title("Largest exponent of the naive formula: "
                       f"{np.max(z) / temperature:.2f}", fontsize=10.5)
    return _finish(fig)


def cross_entropy_explorer_still(logits, label):
    """The cross-entropy explorer as it starts: its loss, bars of p and of the gradient p − Y.

    The numbers are ``losses.sparse_cross_entropy([label], [logits])`` and
    ``sparse_cross_entropy_grad``, as in the explorer; the true class's bars
    are outlined and its tick reads ``"3 (y)"``.

    Parameters
    ----------
    logits : ndarray, shape (K,)
    label : int
        The true class.
    """
    z = logits[None, :]
    loss = sparse_cross_entropy([label], z)
    grad = sparse_cross_entropy_grad([label], z)[0]
    p = grad + (np.arange(len(logits)) == label)
    ticks = [f"{k} (y)" if k == label else str(k) for k in range(len(logits))]
    fig, (ax_p, ax_g) = plt.subplots(1, 2, figsize=(9, 3.6))
    for ax, values, colour, title, low in [(ax_p, p, "#1f77b4", "probabilities $p$", 0.0),
                                            (ax_g, grad, "#ff7f0e", "gradient $p - Y$", -1.0)]:
        bars = _value_bars(ax, values, ticks, colour, low=low)
        bars[label].set_edgecolor("black")
        bars[label].set_linewidth(2)
        ax.set_title(title, fontsize=10.5)
        ax.set_xlabel("class $k$")
    fig.suptitle(f"Loss L = −log $p_y$ = {float(loss):.4f}", fontsize=12)
    return _finish(fig)


def pad_drawing(strokes, size=280):
    """The ink of strokes drawn as the draw-a-digit pad draws them: an array, not a figure.

    The pad's page draws each stroke on a ``size`` x ``size`` canvas as a
    line ``size / 14`` pixels wide with round ends and joins (a single point
    as a dot), and reads the ink back as the canvas's opacity. This draws the
    same strokes with matplotlib's anti-aliased Agg renderer and reads its
    opacity back the same way.

    Parameters
    ----------
    strokes : sequence of array_like, shape (n, 2)
        Each stroke's points as (x, y) pad pixels, y counted downwards.
    size : int, default 280

    Returns
    -------
    ndarray of float64, shape (size, size)
        The ink in [0, 1], 0 for paper, as ``pad.mnist_preprocess`` takes it.
    """
    fig = Figure(figsize=(size / 100, size / 100), dpi=100)
    canvas = FigureCanvasAgg(fig)
    fig.patch.set_alpha(0)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, size)
    ax.set_ylim(size, 0)
    width = size / 14
    for stroke in strokes:
        points = np.asarray(stroke, dtype=float).reshape(-1, 2)
        if len(points) == 1:
            ax.add_patch(Circle(points[0], width / 2, color="black", linewidth=0))
        else:
            ax.plot(points[:, 0], points[:, 1], color="black", linewidth=width * 72 / 100,
                    solid_capstyle="round", solid_joinstyle="round")
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., 3] / 255.0


def pad_still(ink, image, p):
    """The draw-a-digit pad with a drawing: the pad, the 28 x 28 image it becomes, the bars.

    Parameters
    ----------
    ink : ndarray, shape (h, w)
        The drawing, in [0, 1] (:func:`pad_drawing`).
    image : ndarray, shape (784,)
        What the network receives (``pad.mnist_preprocess(ink)``).
    p : ndarray, shape (10,)
        The network's probabilities for ``image``; the largest is drawn in
        orange, and those of 0.005 or more are labelled.
    """
    pred = int(np.argmax(p))
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), width_ratios=(1, 1, 1.9))
    for ax, picture, title in [(axes[0], ink, f"the drawing, {ink.shape[0]} × {ink.shape[1]}"),
                               (axes[1], to_image(image), "what the network receives, 28 × 28")]:
        ax.imshow(picture, cmap="gray_r", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(title, fontsize=10)
    colours = ["#1f77b4"] * len(p)
    colours[pred] = "#ff7f0e"
    _value_bars(axes[2], p, [str(k) for k in range(len(p))], colours, min_label=0.005)
    axes[2].set_xlabel("digit")
    axes[2].set_ylabel("probability")
    axes[2].set_title(f"prediction: {pred}", fontsize=10)
    return _finish(fig)
