"""The book's figures.

Each function draws one figure and returns the ``matplotlib.figure.Figure``,
so a chapter cell can end with the call. The figure is closed in pyplot before
it is returned, so Jupyter shows it once (from the returned value), not twice.
"""

import matplotlib.pyplot as plt
import numpy as np

from nnbook._validate import as_float_array, as_labels
from nnbook.data import N_PIXELS, to_image

__all__ = ["digit_grid", "pixel_histogram"]


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
    ncols = min(ncols, len(X))
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
            ax.set_title(str(labels[i]), fontsize=10)
        else:
            wrong = predictions[i] != labels[i]
            ax.set_title(
                f"{labels[i]} → {predictions[i]}", fontsize=10, color="red" if wrong else "black"
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
