"""Tests of nnbook.stills: the explorers and the pad as still figures, from nnbook's numbers."""

import numpy as np

from nnbook import losses, stills
from nnbook import relu_units as ru
from nnbook.activations import softmax
from nnbook.data import to_image

_X6 = np.random.default_rng(0).uniform(size=(6, 784))


def _heights(ax):
    return [bar.get_height() for bar in ax.patches]


def test_relu_explorer_still_is_the_units_figure_titled_with_the_explorers_error():
    x = np.linspace(0, 3, 31)
    target = ru.piecewise_target(x)
    w, b = np.array([-2.0, 1.0, 3.0]), np.array([2.0, -1.0, -5.0])
    fig = stills.relu_explorer_still(x, target, w, b)
    panels = [ax for ax in fig.axes if ax.axison]
    assert len(panels) == 4
    error = losses.mse(target, ru.relu_sum(x, w, b, np.ones(3)))
    assert fig.get_suptitle().endswith(f"{error:.4f}")
    np.testing.assert_allclose(panels[3].lines[0].get_ydata(), ru.relu_sum(x, w, b, np.ones(3)))


def test_softmax_explorer_still_shows_nnbooks_softmax_and_the_naive_formula():
    z = np.array([1.0, 2.0, 3.0, 4.0])
    fig = stills.softmax_explorer_still(z, temperature=2.0)
    ax_bars, ax_table = fig.axes
    np.testing.assert_allclose(_heights(ax_bars), softmax(z / 2.0))
    cells = ax_table.tables[0].get_celld()
    row_3 = [cells[4, col].get_text().get_text() for col in range(4)]
    assert row_3 == ["3", "4.00", f"{softmax(z / 2)[3]:.4f}", f"{softmax(z / 2)[3]:.4f}"]
    assert ax_table.get_title().endswith("2.00")  # the largest exponent, 4 / T


def test_cross_entropy_explorer_still_shows_p_and_the_gradient_with_the_loss():
    z = np.array([1.0, 0.5, -1.0, 2.0])
    fig = stills.cross_entropy_explorer_still(z, 1)
    ax_p, ax_g = fig.axes
    grad = losses.sparse_cross_entropy_grad([1], z[None])[0]
    np.testing.assert_allclose(_heights(ax_p), softmax(z))
    np.testing.assert_allclose(_heights(ax_g), grad)
    assert ax_p.patches[1].get_linewidth() == 2 and ax_p.patches[0].get_linewidth() != 2
    assert [t.get_text() for t in ax_g.get_xticklabels()] == ["0", "1 (y)", "2", "3"]
    assert fig.get_suptitle().endswith(f"{float(losses.sparse_cross_entropy([1], z[None])):.4f}")


def test_pad_drawing_draws_round_lines_size_over_14_wide():
    ink = stills.pad_drawing([[(40, 140), (240, 140)], [(60, 40)]])
    assert ink.shape == (280, 280) and ink.min() == 0 and ink.max() == 1
    column = ink[:, 140]  # across the line, 20 pixels wide, centred on row 140
    assert column[131:150].min() == 1 and column[:128].max() == 0 and column[152:].max() == 0
    assert ink[140, 20:28].max() == 0 and ink[140, 32] == 1  # a round end, 10 pixels out
    assert ink[31:49, 60].min() == 1 and ink[28, 60] == 0  # the dot: radius 10


def test_pad_still_shows_the_drawing_its_image_and_the_probabilities():
    ink = stills.pad_drawing([[(60, 60), (220, 220)]])
    p = np.linspace(0.0, 1.0, 10)
    p /= p.sum()
    fig = stills.pad_still(ink, _X6[0], p)
    ax_ink, ax_image, ax_bars = fig.axes
    np.testing.assert_array_equal(ax_ink.images[0].get_array(), ink)
    np.testing.assert_array_equal(ax_image.images[0].get_array(), to_image(_X6[0]))
    np.testing.assert_allclose(_heights(ax_bars), p)
    assert ax_bars.get_title() == "prediction: 9"
    labels = [t.get_text() for t in ax_bars.texts]
    assert labels[0] == "" and labels[9] == f"{p[9]:.2f}"  # no label under 0.005
