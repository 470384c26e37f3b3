"""Tests of nnbook.plots: each figure shows the data it is given, and is closed when returned."""

import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnbook import plots, stills
from nnbook import relu_units as ru
from nnbook.activations import linear, relu, sigmoid, softmax
from nnbook.data import to_image

matplotlib.use("Agg")  # no windows, whatever the machine's default backend

_HISTORY = {"loss": [1.0, 0.5, 0.3], "accuracy": [0.6, 0.8, 0.9],
            "val_loss": [1.1, 0.7, 0.6], "val_accuracy": [0.5, 0.75, 0.8]}
_X6 = np.random.default_rng(0).random((6, 784))
_Y6, _P6 = np.arange(6), np.array([1, 1, 3, 3, 5, 5])  # three mistakes
_HAND_W, _HAND_B = np.array([-2.0, 1.0, 2.0]), np.array([2.0, -1.0, -4.0])
# four points in the plane, one per class, and a 2 -> 2 -> 4 network: unit 0 is on
# right of x0 = 0, unit 1 below x1 = 0
_X2, _Y2 = np.array([[-2.0, 2.0], [-1.0, -2.0], [1.0, 2.0], [2.0, -2.0]]), np.arange(4)
_TOY_WEIGHTS = (np.array([[1.0, 0.0], [0.0, -1.0]]), np.zeros(2),
                np.array([[-1.0, -1.0, 1.0, 1.0], [-1.0, 1.0, -1.0, 1.0]]), np.zeros(4))


def _heights(ax):
    return [bar.get_height() for bar in ax.patches]


# --- every figure function -------------------------------------------------------------

# one small call per figure function, as the chapters make them
_CALLS = {
    "activation_functions": lambda: plots.activation_functions(),
    "relu_and_derivative": lambda: plots.relu_and_derivative(),
    "relu_units_figure": lambda: plots.relu_units_figure(
        np.linspace(0, 3, 31), _HAND_W, _HAND_B, target=ru.piecewise_target(np.linspace(0, 3, 31))),
    "sums_against_target": lambda: plots.sums_against_target(
        np.linspace(0, 3, 31), np.ones(31), {"a": np.zeros(31)}, chord=(0.0, 3.0)),
    "softmax_bars": lambda: plots.softmax_bars(np.array([1.0, 2.0, 3.0, 4.0])),
    "softmax_temperature_bars": lambda: plots.softmax_temperature_bars(
        np.array([1.0, 2.0, 3.0, 4.0]), [0.5, 1.0, 2.0, 5.0]),
    "two_class_softmax": lambda: plots.two_class_softmax(),
    "neg_log_curve": lambda: plots.neg_log_curve(marks=(0.9, 0.5, 0.1, 0.01)),
    "gradient_bars": lambda: plots.gradient_bars(np.array([0.7, 0.2, 0.1]), 1,
                                                 np.array([0.7, -0.8, 0.1])),
    "loss_gradient_comparison": lambda: plots.loss_gradient_comparison(
        np.linspace(0, 5, 6), {"cross-entropy": -np.ones(6)}),
    "digit_grid": lambda: plots.digit_grid(_X6, _Y6, predictions=_P6),
    "pixel_histogram": lambda: plots.pixel_histogram(_X6),
    "network_diagram": lambda: plots.network_diagram((784, 25, 15, 10), ("ReLU", "ReLU", "linear")),
    "training_curves": lambda: plots.training_curves(_HISTORY, mark_epoch=2),
    "compare_curves": lambda: plots.compare_curves({"a": _HISTORY}, metric="val_accuracy",
                                                   ylabel="validation accuracy", legend_outside=True),
    "confusion_heatmap": lambda: plots.confusion_heatmap(np.array([[5, 1], [0, 6]])),
    "misclassified_gallery": lambda: plots.misclassified_gallery(
        _X6, _Y6, _P6, np.full((6, 10), 0.1), max_images=15, ncols=5),
    "probability_bars": lambda: plots.probability_bars(np.array([0.05, 0.7, 0.25]), true_label=2),
    "hidden_unit_weights": lambda: plots.hidden_unit_weights(_X6[:3].T - 0.5),
    "hidden_activations": lambda: plots.hidden_activations(_X6[0], np.array([0.0, 1.5, 0.2]), 3),
    "relu_unit_regions": lambda: plots.relu_unit_regions(
        _X2, _Y2, *_TOY_WEIGHTS, resolution=20),
    "shifted_digit": lambda: plots.shifted_digit(_X6[0], _X6[1], 3, (3, 5)),
    "convolution_steps": lambda: plots.convolution_steps(
        np.eye(6), np.array([[1.0, -1.0], [0.5, 0.0]]), np.ones((5, 5)), np.ones((2, 2))),
    "conv_filters": lambda: plots.conv_filters(np.ones((3, 3, 1, 5))),
    "feature_maps": lambda: plots.feature_maps(_X6[0], np.ones((4, 4, 3))),
    "augmentation_grid": lambda: plots.augmentation_grid(_X6[0], _X6[1:]),
    "fixed_and_new_mistakes": lambda: plots.fixed_and_new_mistakes(
        _X6, _Y6, _P6, _Y6, "MLP", "CNN", max_images=4),
    # nnbook.stills: the explorers and the pad for the PDF
    "relu_explorer_still": lambda: stills.relu_explorer_still(
        np.linspace(0, 3, 31), ru.piecewise_target(np.linspace(0, 3, 31)), _HAND_W, _HAND_B),
    "softmax_explorer_still": lambda: stills.softmax_explorer_still(np.array([1.0, 2.0, 3.0, 4.0])),
    "cross_entropy_explorer_still": lambda: stills.cross_entropy_explorer_still(
        np.array([1.0, 0.5, -1.0]), 2),
    "pad_still": lambda: stills.pad_still(np.eye(280), _X6[0], np.full(10, 0.1)),
}


def test_every_figure_function_has_a_call():
    figures = set(plots.__all__) | set(stills.__all__) - {"pad_drawing"}  # it returns pixels
    assert sorted(_CALLS) == sorted(figures)


@pytest.mark.parametrize("name", sorted(_CALLS))
def test_figure_is_closed_before_it_is_returned(name):
    plt.close("all")
    fig = _CALLS[name]()
    assert plt.get_fignums() == []  # Jupyter shows it once, from the returned value
    assert fig.axes


# --- the ReLU chapter ----------------------------------------------------------------


def test_activation_functions_draw_nnbooks_functions():
    for ax, g in zip(plots.activation_functions().axes, [linear, sigmoid, relu]):
        z, a = ax.lines[0].get_data()
        np.testing.assert_array_equal(a, g(z))


def test_relu_and_derivative_marks_the_convention_at_zero():
    ax1 = plots.relu_and_derivative().axes[1]
    dots = [line for line in ax1.lines if line.get_marker() == "o"]
    assert sorted(float(line.get_ydata()[0]) for line in dots) == [0.0, 1.0]


def test_relu_units_figure_one_panel_per_unit_and_the_sum():
    x = np.linspace(3.0, 0.0, 31)  # unsorted on purpose: the figure sorts
    fig = plots.relu_units_figure(x, _HAND_W, _HAND_B, target=ru.piecewise_target(x))
    panels = [ax for ax in fig.axes if ax.axison]
    assert len(panels) == 4
    assert panels[0].get_title() == "unit 0: relu(−2x + 2)"
    assert panels[1].get_title() == "unit 1: relu(x − 1)"
    xs = np.sort(x)
    for j in range(3):
        np.testing.assert_array_equal(panels[j].lines[0].get_ydata(),
                                      ru.unit_outputs(xs, _HAND_W, _HAND_B)[:, j])
    total, target = panels[3].lines[:2]
    np.testing.assert_allclose(total.get_ydata(), target.get_ydata(), atol=1e-12)


def test_relu_units_figure_with_output_weights():
    x, w, b, v = np.linspace(0, 3, 20), np.array([1.0, -1.0]), np.array([0.0, 1.0]), np.array([2.0, 0.5])
    fig = plots.relu_units_figure(x, w, b, v=v, c=0.1)
    assert fig.axes[0].get_title() == "unit 0: 2 × relu(x + 0)"
    np.testing.assert_array_equal(fig.axes[2].lines[0].get_ydata(), ru.relu_sum(x, w, b, v, 0.1))


def test_sums_against_target_one_panel_per_sum_titled_with_its_largest_miss():
    x = np.linspace(0, 3, 31)
    target = 4 - ru.piecewise_target(x)
    sums = {"plain": np.full(31, 2.0), "weighted": target + 0.25}
    fig = plots.sums_against_target(x, target, sums, chord=(0.0, 3.0))
    left, right = fig.axes
    assert left.get_title() == f"plain\nlargest miss: {np.max(np.abs(target - 2)):.2f}"
    assert right.get_title() == "weighted\nlargest miss: 0.25"
    np.testing.assert_array_equal(left.lines[1].get_ydata(), sums["plain"])
    chord = left.lines[2]
    np.testing.assert_array_equal(chord.get_xdata(), [0.0, 3.0])
    np.testing.assert_allclose(chord.get_ydata(), [target[0], target[-1]])
    assert len(right.lines) == 2  # the chord is drawn in the first panel only


# --- the softmax chapter -------------------------------------------------------------


def test_softmax_bars_show_the_scores_and_nnbooks_softmax():
    z = np.array([1.0, 2.0, 3.0, 4.0])
    ax_z, ax_p = plots.softmax_bars(z).axes
    np.testing.assert_array_equal(_heights(ax_z), z)
    np.testing.assert_array_equal(_heights(ax_p), softmax(z))


def test_softmax_temperature_bars_one_group_per_temperature():
    z = np.array([1.0, 2.0, 3.0, 4.0])
    (ax,) = plots.softmax_temperature_bars(z, temperatures=(0.5, 1.0, 2.0)).axes
    heights = np.reshape(_heights(ax), (3, 4))
    for row, t in zip(heights, (0.5, 1.0, 2.0)):
        np.testing.assert_array_equal(row, softmax(z / t))


def test_two_class_softmax_dots_lie_on_the_sigmoid():
    (ax,) = plots.two_class_softmax().axes
    line, dots = ax.get_lines()
    d, p = dots.get_data()
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-d)), atol=1e-12)
    np.testing.assert_allclose(line.get_ydata(), sigmoid(line.get_xdata()))


# --- the losses chapter --------------------------------------------------------------


def test_neg_log_curve_marks_each_point_with_its_loss():
    ax = plots.neg_log_curve(marks=[0.5, 0.1]).axes[0]
    curve, dots = ax.lines
    np.testing.assert_allclose(curve.get_ydata(), -np.log(curve.get_xdata()))
    np.testing.assert_allclose(dots.get_ydata(), [np.log(2), np.log(10)])
    assert [t.get_text() for t in ax.texts] == ["p = 0.5: loss 0.69", "p = 0.1: loss 2.30"]


def test_gradient_bars_three_bars_per_class():
    p = np.array([0.7, 0.2, 0.1])
    ax = plots.gradient_bars(p, 1, p - np.array([0, 1, 0])).axes[0]
    np.testing.assert_allclose(_heights(ax), [0.7, 0.2, 0.1, 0, 1, 0, 0.7, -0.8, 0.1])


def test_loss_gradient_comparison_plots_absolute_values():
    margin = np.linspace(0, 5, 6)
    ax = plots.loss_gradient_comparison(
        margin, {"cross-entropy": -np.ones(6), "MSE": -np.exp(-margin)}).axes[0]
    assert [line.get_label() for line in ax.lines] == ["cross-entropy", "MSE"]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), np.exp(-margin))


# --- the data chapter ----------------------------------------------------------------


def test_digit_grid_shows_each_image_with_its_label():
    X = np.random.default_rng(0).random((12, 784))
    fig = plots.digit_grid(X, np.arange(12) % 10)
    assert len(fig.axes) == 20  # 2 rows of 10, eight left empty
    assert [ax.get_title() for ax in fig.axes[9:12]] == ["9", "0", "1"]
    np.testing.assert_array_equal(fig.axes[11].images[0].get_array(), to_image(X[11]))
    assert not fig.axes[12].images


def test_digit_grid_marks_wrong_predictions_red():
    fig = plots.digit_grid(np.zeros((2, 784)), np.array([3, 4]), predictions=np.array([3, 5]))
    right, wrong = fig.axes[0].title, fig.axes[1].title
    assert right.get_text() == "3 → 3" and wrong.get_text() == "4 → 5"
    assert wrong.get_color() == "red" and right.get_color() == "black"


def test_pixel_histogram_counts_every_pixel():
    ax = plots.pixel_histogram(_X6).axes[0]
    assert sum(_heights(ax)) == _X6.size


# --- the model chapter ---------------------------------------------------------------


def test_network_diagram_draws_at_most_ten_units_per_layer():
    ax = plots.network_diagram((784, 25, 3), ("ReLU", "linear")).axes[0]
    assert [len(c.get_offsets()) for c in ax.collections] == [10, 10, 3]
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "W: 784 × 25" in texts and "W: 25 × 3" in texts


def test_network_diagram_numbers_the_outputs_and_shows_the_loss_outside_the_model():
    ax = plots.network_diagram((784, 25, 15, 10), ("ReLU", "ReLU", "linear")).axes[0]
    output = ax.collections[-1].get_offsets()
    digits = {t.get_text(): t.get_position() for t in ax.texts if t.get_text().isdigit()}
    assert sorted(digits, key=int) == [str(k) for k in range(10)]
    for k, (x, y) in digits.items():  # each class label sits on its output unit
        assert (x, y) == tuple(output[int(k)])
    loss_box = [t for t in ax.texts if "from_logits=True" in t.get_text()]
    assert len(loss_box) == 1 and "softmax" in loss_box[0].get_text()
    assert loss_box[0].get_position()[0] > output[0][0]  # right of the output layer


# --- the training chapter ------------------------------------------------------------


def test_training_curves_draw_the_history():
    fig = plots.training_curves(_HISTORY)
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]
    np.testing.assert_array_equal(fig.axes[0].lines[1].get_ydata(), _HISTORY["val_loss"])
    np.testing.assert_array_equal(fig.axes[1].lines[0].get_xdata(), [1, 2, 3])
    marked = plots.training_curves(_HISTORY, mark_epoch=2)
    assert [ax.lines[-1].get_xdata()[0] for ax in marked.axes] == [2, 2]


def test_training_curves_without_accuracy_draws_no_empty_legend():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "No artists with labels found" would fail here
        fig = plots.training_curves({"loss": [1.0, 0.5, 0.3]})
    loss_ax, accuracy_ax = fig.axes
    assert loss_ax.get_legend() is not None and accuracy_ax.get_legend() is None


def test_compare_curves_one_line_per_run():
    other = {"loss": [1.0, 0.1, 0.01]}
    ax = plots.compare_curves({"a": _HISTORY, "b": other}, metric="loss", ylabel="loss",
                              logy=True).axes[0]
    assert [line.get_label() for line in ax.lines] == ["a", "b"]
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), other["loss"])
    assert ax.get_yscale() == "log"


# --- the classifier chapter ----------------------------------------------------------


def test_confusion_heatmap_shows_each_count():
    cm = np.array([[5, 1, 0], [0, 6, 0], [2, 0, 4]])
    ax = plots.confusion_heatmap(cm).axes[0]
    assert [t.get_text() for t in ax.texts] == ["5", "1", "·", "·", "6", "·", "2", "·", "4"]
    np.testing.assert_array_equal(ax.images[0].get_array(), np.sqrt(cm))


def test_misclassified_gallery_shows_at_most_max_images_most_confident_first():
    proba = np.full((6, 10), 0.1)
    proba[[0, 2, 4], [1, 3, 5]] = [0.5, 0.9, 0.7]
    fig = plots.misclassified_gallery(_X6, _Y6, _P6, proba, max_images=2)
    shown = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in shown] == ["true 2\npred 3 (0.90)", "true 4\npred 5 (0.70)"]
    np.testing.assert_array_equal(shown[0].images[0].get_array(), to_image(_X6[2]))


def test_probability_bars_mark_the_prediction_and_the_true_label():
    p = np.array([0.05, 0.7, 0.25])
    ax = plots.probability_bars(p, true_label=2).axes[0]
    bars = ax.patches[:3]
    np.testing.assert_array_equal([bar.get_height() for bar in bars], p)
    assert bars[2].get_linewidth() == 2 and bars[0].get_linewidth() != 2
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["predicted: 1 (p = 0.700)", "true label: 2"]


def test_hidden_unit_weights_one_28x28_panel_per_unit_centred_on_zero():
    W = np.random.default_rng(1).random((784, 7)) - 0.5  # 7 units: two rows of five, three empty panels
    fig = plots.hidden_unit_weights(W)
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(fig.axes) == 10 and len(images) == 7
    np.testing.assert_array_equal(images[2].get_array(), to_image(W[:, 2]))
    limit = np.abs(W[:, 2]).max()
    assert images[2].get_clim() == (-limit, limit)  # white is 0
    assert [ax.get_title() for ax in fig.axes[:7]] == [f"unit {j}" for j in range(7)]


def test_hidden_unit_weights_greys_the_pixels_not_shown_and_clips_the_scale():
    W = np.random.default_rng(2).normal(size=(784, 3))
    shown = np.arange(784) % 3 > 0
    fig = plots.hidden_unit_weights(W, shown=shown, quantile=0.9)
    image = fig.axes[1].images[0]
    np.testing.assert_array_equal(image.get_array().mask, to_image(~shown) > 0)
    np.testing.assert_array_equal(image.get_array()[to_image(shown) > 0], W[shown, 1])
    limit = np.quantile(np.abs(W[shown, 1]), 0.9)
    assert image.get_clim() == (-limit, limit)


def test_relu_unit_regions_hatch_where_each_unit_is_off_and_place_the_points_at_a():
    W1, b1, W2, b2 = _TOY_WEIGHTS
    fig = plots.relu_unit_regions(_X2, _Y2, W1, b1, W2, b2, resolution=41)
    unit0, unit1, hidden, prediction = [ax for ax in fig.axes if ax.get_title()]
    for j, ax in enumerate([unit0, unit1]):
        x0_lo, x0_hi, x1_lo, x1_hi = ax.images[0].get_extent()
        g0, g1 = np.meshgrid(np.linspace(x0_lo, x0_hi, 41), np.linspace(x1_lo, x1_hi, 41))
        z = np.column_stack([g0.ravel(), g1.ravel()]) @ W1[:, j] + b1[j]
        a = ax.images[0].get_array()
        np.testing.assert_array_equal(a.mask.ravel(), z <= 0)  # grey-hatched: off
        np.testing.assert_allclose(a.compressed(), z[z > 0])  # on: the activation
    a = relu(_X2 @ W1 + b1)
    placed = np.concatenate([c.get_offsets() for c in hidden.collections])
    np.testing.assert_array_equal(placed, a[np.argsort(_Y2)])  # one scatter per class
    assert hidden.texts[0].get_text() == "both units off:\n1 of the points"  # class 0


def test_hidden_activations_show_the_image_and_one_bar_per_unit():
    a = np.array([0.0, 1.5, 0.2, 0.0])
    image_ax, bars_ax = plots.hidden_activations(_X6[1], a, label=4).axes
    np.testing.assert_array_equal(image_ax.images[0].get_array(), to_image(_X6[1]))
    assert image_ax.get_title() == "label 4"
    assert _heights(bars_ax) == a.tolist()


# --- the CNN chapter -----------------------------------------------------------------


def test_convolution_steps_shows_the_four_arrays_with_their_shapes():
    kernel = np.array([[1.0, 0.0, -1.0]] * 3)
    arrays = [np.eye(8), kernel, np.arange(36.0).reshape(6, 6) - 10, np.ones((3, 3))]
    fig = plots.convolution_steps(*arrays)
    for ax, values in zip(fig.axes, arrays):
        np.testing.assert_array_equal(ax.images[0].get_array(), values)
    assert [ax.get_title().split("\n")[1] for ax in fig.axes] == ["8 × 8", "3 × 3", "6 × 6", "3 × 3"]
    assert fig.axes[2].images[0].get_clim() == (-25.0, 25.0)  # white is 0
    assert [t.get_text() for t in fig.axes[1].texts] == ["1", "0", "−1"] * 3
    assert [t.get_color() for t in fig.axes[1].texts] == ["white", "black", "white"] * 3


def test_shifted_digit_shows_both_digits_and_counts_the_changed_pixels():
    image = np.zeros(784)
    image[[30, 31, 32]] = 1.0  # three ink pixels in a row
    shifted = np.roll(image, 1)  # moved right by one: one pixel gained, one lost
    fig = plots.shifted_digit(image, shifted, 7, (7, 1))
    first, second, diff = fig.axes
    np.testing.assert_array_equal(second.images[0].get_array(), to_image(shifted))
    assert first.get_title() == "7 → 7" and second.get_title() == "7 → 1"
    assert second.title.get_color() == "red" and first.title.get_color() == "black"
    np.testing.assert_array_equal(diff.images[0].get_array(), to_image(shifted - image))
    assert diff.get_title() == "difference: 2 of 784\npixels change"


def test_conv_filters_one_panel_per_filter_centred_on_zero():
    kernel = np.random.default_rng(0).normal(size=(3, 3, 1, 10))
    fig = plots.conv_filters(kernel)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(fig.axes) == 16 and len(shown) == 10  # two rows of eight
    np.testing.assert_array_equal(shown[9].images[0].get_array(), kernel[:, :, 0, 9])
    top = np.abs(kernel[:, :, 0, 9]).max()
    assert shown[9].images[0].get_clim() == (-top, top)
    assert shown[9].get_title() == "filter 9"


def test_feature_maps_show_the_image_then_each_map_on_one_scale():
    maps = np.random.default_rng(0).random((26, 26, 4))
    fig = plots.feature_maps(_X6[2], maps, ncols=3)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 5
    np.testing.assert_array_equal(shown[0].images[0].get_array(), to_image(_X6[2]))
    np.testing.assert_array_equal(shown[4].images[0].get_array(), maps[:, :, 3])
    assert {ax.images[0].get_clim() for ax in shown[1:]} == {(0, maps.max())}
    assert [ax.get_title() for ax in shown] == ["input"] + [f"filter {k}" for k in range(4)]


def test_augmentation_grid_shows_the_original_first():
    fig = plots.augmentation_grid(_X6[0], _X6[1:4])
    shown = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in shown] == ["original", "", "", ""]
    assert all(ax.spines["left"].get_visible() and not ax.get_xticks().size for ax in shown)
    assert len(plots.augmentation_grid(_X6[0], np.tile(_X6, (2, 1))).axes) == 16  # rows of 8
    np.testing.assert_array_equal(shown[0].images[0].get_array(), to_image(_X6[0]))
    np.testing.assert_array_equal(shown[3].images[0].get_array(), to_image(_X6[3]))


def test_fixed_and_new_mistakes_rows():
    y = np.array([0, 1, 2, 3, 4, 5])
    old = np.array([9, 1, 9, 3, 9, 5])  # wrong on 0, 2, 4
    new = np.array([0, 7, 9, 3, 4, 5])  # fixes 0 and 4, keeps 2, breaks 1
    fig = plots.fixed_and_new_mistakes(_X6, y, old, new, "MLP", "CNN", max_images=3)
    top, bottom = fig.subfigs
    assert top._suptitle.get_text() == "mistakes of the MLP that the CNN gets right: 2"
    assert bottom._suptitle.get_text() == "new mistakes of the CNN, which the MLP gets right: 1"
    assert len(top.axes) == len(bottom.axes) == 3
    assert [ax.get_title() for ax in top.axes if ax.images] == ["true 0\nMLP 9", "true 4\nMLP 9"]
    assert [ax.get_title() for ax in bottom.axes if ax.images] == ["true 1\nCNN 7"]

