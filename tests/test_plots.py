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


# --- softmax chapter figures (issue 4) ----------------------------------------


def test_softmax_bars_shows_scores_and_probabilities():
    fig = plots.softmax_bars([1, 2, 3, 4])
    assert isinstance(fig, Figure)
    ax_z, ax_p = fig.axes
    heights_z = [bar.get_height() for bar in ax_z.patches]
    heights_p = [bar.get_height() for bar in ax_p.patches]
    np.testing.assert_allclose(heights_z, [1, 2, 3, 4])
    np.testing.assert_allclose(heights_p, [0.0320586, 0.0871443, 0.2368828, 0.6439143], atol=1e-6)
    assert ax_p.get_ylabel() and ax_z.get_xlabel()


def test_softmax_temperature_bars_one_group_per_temperature():
    fig = plots.softmax_temperature_bars([1, 2, 3, 4], temperatures=(0.5, 1, 2))
    (ax,) = fig.axes
    assert len(ax.patches) == 12
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["T = 0.5", "T = 1", "T = 2"]
    # the top class gets the most probability at the lowest temperature
    top = [bar.get_height() for bar in ax.patches][3::4]
    assert top[0] > top[1] > top[2]


def test_two_class_softmax_dots_lie_on_the_sigmoid():
    fig = plots.two_class_softmax(d_max=6, n_points=13)
    (ax,) = fig.axes
    line, dots = ax.get_lines()
    d, p = dots.get_data()
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-d)), atol=1e-12)
    assert len(d) == 13 and line.get_label() == "sigmoid(d)"


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: plots.softmax_bars([]), ValueError, r"z must be a non-empty 1-D"),
        (lambda: plots.softmax_bars([[1, 2]]), ValueError, r"z must be a non-empty 1-D"),
        (lambda: plots.softmax_bars([1, np.nan]), ValueError, r"z must be finite"),
        (lambda: plots.softmax_bars(["a"]), TypeError, r"z must be a numeric array"),
        (lambda: plots.softmax_temperature_bars([1, 2], [0]), ValueError, r"temperatures must be positive"),
        (lambda: plots.softmax_temperature_bars([1, 2], []), ValueError, r"temperatures must be positive"),
        (lambda: plots.two_class_softmax(d_max=-1), ValueError, r"d_max must be a positive"),
        (lambda: plots.two_class_softmax(n_points=1), ValueError, r"n_points must be at least 2"),
    ],
)
def test_softmax_figures_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- losses chapter figures (issue 5) -----------------------------------------


def test_neg_log_curve_marks_each_point_with_its_loss():
    fig = plots.neg_log_curve(marks=[0.5, 0.1])
    ax = fig.axes[0]
    curve, dots = ax.lines
    np.testing.assert_allclose(curve.get_ydata(), -np.log(curve.get_xdata()))
    np.testing.assert_allclose(dots.get_ydata(), [np.log(2), np.log(10)])
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["p = 0.5: loss 0.69", "p = 0.1: loss 2.30"]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_legend() is not None


def test_gradient_bars_three_bars_per_class():
    p = np.array([0.7, 0.2, 0.1])
    grad = p - np.array([0, 1, 0])
    fig = plots.gradient_bars(p, 1, grad, title="one example")
    ax = fig.axes[0]
    heights = [bar.get_height() for bar in ax.patches]
    assert len(heights) == 9
    np.testing.assert_allclose(heights, [0.7, 0.2, 0.1, 0, 1, 0, 0.7, -0.8, 0.1])
    assert "right class: 1" in ax.get_xlabel()
    assert len(ax.get_legend().get_texts()) == 3


def test_loss_gradient_comparison_plots_absolute_values_on_a_log_scale():
    margin = np.linspace(0, 5, 6)
    fig = plots.loss_gradient_comparison(
        margin, {"cross-entropy": -np.ones(6), "MSE": -np.exp(-margin)}
    )
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.lines] == ["cross-entropy", "MSE"]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), np.exp(-margin))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: plots.neg_log_curve(marks=[0.0]), ValueError, "marks must be probabilities"),
        (lambda: plots.neg_log_curve(marks=[1.5]), ValueError, "marks must be probabilities"),
        (lambda: plots.gradient_bars([[0.5, 0.5]], 0, [[0, 0]]), ValueError, "p must be 1-D"),
        (lambda: plots.gradient_bars([0.5, 0.5], 0, [0.1]), ValueError,
         "grad must have the shape of p"),
        (lambda: plots.gradient_bars([0.5, 0.5], 2, [0.5, -0.5]), ValueError,
         r"label must be in 0\.\.1"),
        (lambda: plots.loss_gradient_comparison([[1.0]], {"a": [1.0]}), ValueError,
         "margin must be 1-D"),
        (lambda: plots.loss_gradient_comparison([1.0], {}), ValueError,
         "gradients must be a non-empty dict"),
        (lambda: plots.loss_gradient_comparison([1.0, 2.0], {"MSE": [1.0]}), ValueError,
         r"gradients\['MSE'\] must have the shape of margin"),
    ],
)
def test_losses_figures_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- model, training and classifier figures (issue 6) -------------------------


_HISTORY = {"loss": [1.0, 0.5, 0.3], "accuracy": [0.6, 0.8, 0.9],
            "val_loss": [1.1, 0.7, 0.6], "val_accuracy": [0.5, 0.75, 0.8]}


def test_network_diagram():
    fig = plots.network_diagram()
    assert isinstance(fig, Figure)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "784 × 25" in texts and "linear" in texts
    assert isinstance(plots.network_diagram((3, 2), ("linear",)), Figure)
    with pytest.raises(ValueError, match="layer_activations"):
        plots.network_diagram((784, 25, 10), ("relu",))
    with pytest.raises(ValueError, match="layer_sizes"):
        plots.network_diagram((784,), ())


def test_training_curves():
    fig = plots.training_curves(_HISTORY, title="run")
    assert len(fig.axes) == 2
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]
    assert fig.axes[0].get_xlabel() == "epoch"
    only_train = {k: v for k, v in _HISTORY.items() if not k.startswith("val")}
    assert [len(ax.lines) for ax in plots.training_curves(only_train).axes] == [1, 1]
    with pytest.raises(TypeError, match="history"):
        plots.training_curves([0.1, 0.2])
    with pytest.raises(ValueError, match="no epochs"):
        plots.training_curves({"loss": []})
    marked = plots.training_curves(_HISTORY, mark_epoch=2)
    assert [len(ax.lines) for ax in marked.axes] == [3, 3]
    with pytest.raises(ValueError, match="mark_epoch must be in 1..3"):
        plots.training_curves(_HISTORY, mark_epoch=4)


def test_compare_curves():
    fig = plots.compare_curves({"a": _HISTORY, "b": _HISTORY}, metric="val_loss")
    assert len(fig.axes[0].lines) == 2
    outside = plots.compare_curves({"a": _HISTORY}, legend_outside=True)
    assert outside.axes[0].get_legend() is not None
    with pytest.raises(ValueError, match="metric 'val_top5'"):
        plots.compare_curves({"a": _HISTORY}, metric="val_top5")
    with pytest.raises(TypeError, match="histories"):
        plots.compare_curves({})


def test_compare_curves_log_scale():
    fig = plots.compare_curves({"a": _HISTORY, "b": {"loss": [1.0, 0.1, 0.01]}}, metric="loss",
                               logy=True)
    assert fig.axes[0].get_yscale() == "log"
    assert plots.compare_curves({"a": _HISTORY}, metric="loss").axes[0].get_yscale() == "linear"


def test_confusion_matrix_plot():
    cm = np.array([[5, 1, 0], [0, 6, 0], [2, 0, 4]])
    fig = plots.confusion_matrix(cm)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[:3] == ["5", "1", "·"]
    assert fig.axes[0].get_xlabel() == "predicted label"
    assert isinstance(plots.confusion_matrix(cm, normalize=True), Figure)
    with pytest.raises(ValueError, match="cm must be a square"):
        plots.confusion_matrix(np.zeros((2, 3)))


def test_misclassified_gallery():
    rng = np.random.default_rng(0)
    X = rng.random((6, 784))
    y_true = np.array([0, 1, 2, 3, 4, 5])
    y_pred = np.array([0, 7, 2, 8, 4, 9])
    proba = np.full((6, 10), 0.1)
    proba[3, 8] = 0.9
    fig = plots.misclassified_gallery(X, y_true, y_pred, proba)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[0] == "true 3\npred 8 (0.90)"  # the most confident mistake first
    assert len(titles) == 3
    assert isinstance(plots.misclassified_gallery(X, y_true, y_true, proba), Figure)
    with pytest.raises(ValueError, match="proba"):
        plots.misclassified_gallery(X, y_true, y_pred, proba[:, :5])
    with pytest.raises(ValueError, match="X must have shape"):
        plots.misclassified_gallery(X[:, :10], y_true, y_pred, proba)


def test_probability_bars():
    p = np.array([0.05, 0.7, 0.25])
    fig = plots.probability_bars(p, true_label=2, title="one image")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["predicted: 1 (p = 0.700)", "true label: 2"]
    assert ax.get_ylabel() == "probability"
    with pytest.raises(ValueError, match="true_label must be in 0..2"):
        plots.probability_bars(p, true_label=3)
    with pytest.raises(ValueError, match="p must be 1-D"):
        plots.probability_bars(np.ones((2, 2)))


# --- the ReLU chapter's figures (issue 3) ---------------------------------------------------


def test_activation_functions_three_labelled_panels():
    fig = plots.activation_functions()
    assert isinstance(fig, Figure)
    axes = fig.axes
    assert [ax.get_title().split(":")[0] for ax in axes] == ["linear", "sigmoid", "ReLU"]
    assert all(ax.get_xlabel() == "pre-activation $z$" for ax in axes)
    assert axes[0].get_ylabel()
    x, y = axes[2].lines[0].get_data()
    np.testing.assert_array_equal(y, np.maximum(0, x))
    with pytest.raises(ValueError, match="z_min must be smaller than z_max"):
        plots.activation_functions(2.0, 1.0)
    with pytest.raises(TypeError, match="z_min must be a real number"):
        plots.activation_functions("a", 1.0)


def test_relu_and_derivative_marks_the_convention_at_zero():
    fig = plots.relu_and_derivative()
    ax0, ax1 = fig.axes
    assert ax0.get_ylabel() and ax1.get_ylabel() == "$da/dz$"
    dots = [line for line in ax1.lines if line.get_marker() == "o"]
    assert sorted(float(line.get_ydata()[0]) for line in dots) == [0.0, 1.0]
    with pytest.raises(ValueError, match="must contain 0"):
        plots.relu_and_derivative(0.5, 3.0)


def test_relu_units_figure_one_panel_per_unit_and_the_sum():
    from nnbook import relu_units as ru

    x = np.linspace(3.0, 0.0, 31)  # unsorted on purpose: the figure sorts
    fig = plots.relu_units_figure(x, np.array([-2.0, 1.0, 2.0]), np.array([2.0, -1.0, -4.0]), target=ru.piecewise_target(x))
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    assert len(panels) == 4
    assert panels[0].get_title() == "unit 0: relu(−2x + 2)"
    assert panels[1].get_title() == "unit 1: relu(x − 1)"
    assert all(ax.get_xlabel() == "input $x$" for ax in panels[2:])
    total, target = panels[3].lines[:2]
    np.testing.assert_allclose(total.get_ydata(), target.get_ydata(), atol=1e-12)
    assert [t.get_text() for t in panels[3].get_legend().get_texts()] == ["sum of the units", "target"]


def test_relu_units_figure_with_output_weights_and_bad_input():
    fig = plots.relu_units_figure(np.linspace(0, 3, 20), [1.0, -1.0], [0.0, 1.0], v=[2.0, 0.5], c=0.1)
    assert fig.axes[0].get_title() == "unit 0: 2 × relu(x + 0)"
    assert "+ c" in fig.axes[2].get_legend().get_texts()[0].get_text()
    with pytest.raises(ValueError, match="target must have the shape of x"):
        plots.relu_units_figure(np.linspace(0, 3, 20), [1.0], [0.0], target=np.ones(3))


# --- argument checks added after review ------------------------------------------------------

import warnings  # noqa: E402

_X6 = np.random.default_rng(0).random((6, 784))
_Y6, _P6 = np.arange(6), np.array([1, 1, 3, 3, 5, 5])  # three mistakes


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: plots.digit_grid(_X6, _Y6, ncols=0), ValueError, "ncols must be a positive int"),
        (lambda: plots.digit_grid(_X6, _Y6, ncols=2.5), TypeError, "ncols must be a positive int"),
        (lambda: plots.misclassified_gallery(_X6, _Y6, _P6, np.full((6, 10), 0.1), max_images=0),
         ValueError, "max_images must be a positive int"),
        (lambda: plots.misclassified_gallery(_X6, _Y6, _P6, np.full((6, 10), 0.1), max_images=-2),
         ValueError, "max_images must be a positive int"),
        (lambda: plots.misclassified_gallery(_X6, _Y6, _P6, np.full((6, 10), 0.1), ncols=0),
         ValueError, "ncols must be a positive int"),
        (lambda: plots.two_class_softmax(d_max="a"), TypeError, "d_max must be a real number"),
        (lambda: plots.two_class_softmax(d_max=True), TypeError, "d_max must be a real number"),
        (lambda: plots.two_class_softmax(d_max=np.inf), ValueError, "d_max must be a positive"),
        (lambda: plots.network_diagram((784, "a", 10)), TypeError, r"layer_sizes\[1\]"),
        (lambda: plots.network_diagram((784, 2.7, 10)), TypeError, r"layer_sizes\[1\]"),
        (lambda: plots.network_diagram((784, 0, 10)), ValueError, r"layer_sizes\[1\]"),
        (lambda: plots.network_diagram(784), TypeError, "layer_sizes must be a sequence"),
        (lambda: plots.network_diagram((3, 2), None), TypeError, "layer_activations must be a sequence"),
        (lambda: plots.network_diagram((3, 2), "relu"), TypeError, "layer_activations must be a sequence"),
        (lambda: plots.network_diagram((3, 2), (1,)), TypeError, r"layer_activations\[0\] must be a str"),
        (lambda: plots.network_diagram(max_drawn=None), TypeError, "max_drawn must be a positive int"),
        (lambda: plots.network_diagram(max_drawn=7.5), TypeError, "max_drawn must be a positive int"),
        (lambda: plots.network_diagram(max_drawn=2), ValueError, "max_drawn must be at least 3"),
        (lambda: plots.training_curves(_HISTORY, mark_epoch=2.5), TypeError,
         "mark_epoch must be a positive int"),
        (lambda: plots.training_curves(_HISTORY, mark_epoch=0), ValueError,
         "mark_epoch must be a positive int"),
        (lambda: plots.confusion_matrix([[3, -1], [0, 2]]), ValueError, "cm must hold counts >= 0"),
        (lambda: plots.confusion_matrix([[3, np.nan], [0, 2]]), ValueError, "cm holds NaN"),
        (lambda: plots.activation_functions(-np.inf, 1.0), ValueError, "z_min must be finite"),
        (lambda: plots.relu_and_derivative(-1.0, np.nan), ValueError, "z_max must be finite"),
    ],
)
def test_figures_reject_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_misclassified_gallery_shows_at_most_max_images_most_confident_first():
    proba = np.full((6, 10), 0.1)
    proba[[0, 2, 4], [1, 3, 5]] = [0.5, 0.9, 0.7]
    fig = plots.misclassified_gallery(_X6, _Y6, _P6, proba, max_images=2)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["true 2\npred 3 (0.90)", "true 4\npred 5 (0.70)"]


def test_training_curves_without_accuracy_draws_no_empty_legend():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "No artists with labels found" would fail here
        fig = plots.training_curves({"loss": [1.0, 0.5, 0.3]})
    loss_ax, accuracy_ax = fig.axes
    assert loss_ax.get_legend() is not None and accuracy_ax.get_legend() is None
    marked = plots.training_curves({"loss": [1.0, 0.5, 0.3]}, mark_epoch=2)
    assert marked.axes[1].get_legend() is not None  # the marked line has a label
