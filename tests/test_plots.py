"""Tests of nnbook.plots: each figure is drawn on small inputs and bad input raises."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnbook import plots


# --- data chapter figures ---------------------------------------------------


def test_digit_grid_titles_and_layout():
    X = np.random.default_rng(0).random((12, 784))
    fig = plots.digit_grid(X, np.arange(12) % 10, ncols=5)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 15  # 3 rows of 5, three left empty
    assert [ax.get_title() for ax in fig.axes[:3]] == ["0", "1", "2"]


def test_digit_grid_marks_wrong_predictions_red():
    X = np.zeros((2, 784))
    fig = plots.digit_grid(X, [3, 4], predictions=[3, 5])
    right, wrong = fig.axes[0].title, fig.axes[1].title
    assert right.get_text() == "3 → 3" and wrong.get_text() == "4 → 5"
    assert wrong.get_color() == "red" and right.get_color() == "black"


@pytest.mark.parametrize(
    "X, labels, kwargs, message",
    [
        (np.zeros((2, 100)), [0, 1], {}, r"shape \(m, 784\)"),
        (np.zeros((2, 784)), [0], {}, "labels has 1 entries for 2 images"),
        (np.zeros((2, 784)), [0, 1], {"predictions": [1]}, "predictions has 1 entries"),
    ],
)
def test_digit_grid_bad_input(X, labels, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plots.digit_grid(X, labels, **kwargs)


def test_pixel_histogram():
    fig = plots.pixel_histogram(np.linspace(0, 1, 1000))
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "pixel value"
    with pytest.raises(ValueError, match="X is empty"):
        plots.pixel_histogram([])
