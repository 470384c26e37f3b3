"""Interactive explorers and the draw-a-digit pad: their HTML, starting numbers and weights.

A chapter cell calls one of these functions and ends with the result: an
:class:`HTMLFragment`, which Jupyter and the book show through its
``_repr_html_``. The fragment holds the explorer's controls (native
``<input type="range">`` sliders with labels), the numbers the chapter
computed (the starting values, written into the page as JSON and as the
first numbers shown) and nothing else: the drawing and the arithmetic in the
browser are done by ``book/_static/nnbook-explorers.js``, which the book loads
on the pages that hold a fragment (``book/_ext/explorers.py``). Its
arithmetic is the arithmetic of :mod:`nnbook.activations` and
:mod:`nnbook.losses`, checked in Chromium by ``tests/test_browser.py``.

The pad's network is exported by :func:`export_weights` (float32 weights,
base64 in the page: no file to fetch, so the page works from ``file://``).
:func:`mnist_preprocess` is the pad's preprocessing in NumPy, the same steps
as its JavaScript: crop the ink to its bounding box, scale it to fit 20 x 20
keeping its aspect ratio, and place it in 28 x 28 so that its centre of mass
is at the centre, as MNIST itself was made.
"""

import base64
import html
import json
import math

import numpy as np

from nnbook import losses, relu_units
from nnbook._validate import check_X_y

__all__ = [
    "HTMLFragment",
    "relu_explorer",
    "softmax_explorer",
    "cross_entropy_explorer",
    "digit_pad",
    "export_weights",
    "weights_from_export",
    "mnist_preprocess",
    "centre_of_mass",
    "area_resize",
    "move_to_corner",
    "CENTRE",
    "BOX",
]

#: MNIST's digits fit a ``BOX`` x ``BOX`` square inside the 28 x 28 image ...
BOX = 20
#: ... and their centre of mass sits at row and column ``CENTRE`` (pixel indices 0-27).
#: The training images' mean centre of mass is (13.99, 14.00); the tests check it.
CENTRE = 14.0

#: What the pad's drawing canvas is, in pixels (its ink is read back at this size).
PAD_SIZE = 280

_LOGIT_RANGE = (-6.0, 6.0)

#: Shown where the page's script does not run (a notebook in JupyterLab, no JavaScript);
#: the script hides it.
_STATIC_NOTE = ('<p class="nnbook-static-note">This is interactive in the book\'s HTML pages, '
                "which run its script; here it shows its starting numbers only.</p>")


class HTMLFragment:
    """A piece of HTML that Jupyter (and the book) shows as HTML.

    Attributes
    ----------
    html : str
        The markup.
    description : str
        What the fragment is, in words: its plain-text ``repr``.
    """

    def __init__(self, html, description):
        self.html = html
        self.description = description

    def _repr_html_(self):
        return self.html

    def __repr__(self):
        return f"<{self.description}>"


# --------------------------------------------------------------------------
# small HTML helpers
# --------------------------------------------------------------------------


def _num(value):
    """A float as the shortest text that reads back as the same float (for data attributes)."""
    value = float(value)
    return "NaN" if math.isnan(value) else repr(value)


def _fmt(value, digits=4):
    """A number as the page first shows it: fixed digits, a real minus sign, NaN as NaN."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")  # no "-0.0000"
    return text.replace("-", "\u2212")


def _config(data):
    return html.escape(json.dumps(data, separators=(",", ":")), quote=True)


def _slider(prefix, name, label, value, low, high, step=0.1, hidden=False):
    """A labelled native range input and the output that shows its value."""
    ident = f"{prefix}-{name}"
    return (
        f'<div class="nnbook-slider"{" hidden" if hidden else ""}>'
        f'<label for="{ident}">{label}</label>'
        f'<input type="range" id="{ident}" name="{name}" min="{low:g}" max="{high:g}" '
        f'step="{step:g}" value="{value:g}">'
        f'<output for="{ident}" id="{ident}-value">{_fmt(value, 0 if step >= 1 else 1)}'
        f"</output></div>"
    )


def _vector(values):
    return np.asarray(values, dtype=np.float64)


# --------------------------------------------------------------------------
# the ReLU explorer
# --------------------------------------------------------------------------

_RELU_RANGES = {"w": (-4.0, 4.0), "b": (-6.0, 6.0), "v": (-2.0, 2.0)}


def relu_explorer(x, target, w, b, v=None, solution=None):
    """The ReLU chapter's explorer: three units' sliders, their outputs, the sum and its error.

    The page draws, for the sliders' ``w``, ``b`` and ``v``, each unit's
    output :math:`v_j \\operatorname{relu}(w_j x + b_j)` with the range where
    it is off shaded, and the sum :math:`\\hat y` against the target
    (dashed). It shows the mean squared error
    :math:`\\frac1m \\sum_i (\\hat y_i - y_i)^2` over the points ``x``, which
    equals ``losses.mse(target, relu_units.relu_sum(x, w, b, v))``.

    Parameters
    ----------
    x, target : array_like, shape (m,)
        The inputs and the target at them (the chapter's grid on [0, 3]).
    w, b : array_like, shape (U,)
        The units' starting weights and biases, in [-4, 4] and [-6, 6].
    v : array_like, shape (U,), optional
        Starting output weights in [-2, 2]; all ones if omitted.
    solution : tuple (w, b, v), optional
        The values that "Show the worked solution" sets (``v`` may be None
        for all ones). Without it, there is no such button.

    Returns
    -------
    HTMLFragment
    """
    x, target, w, b = (_vector(a) for a in (x, target, w, b))
    v = np.ones(len(w)) if v is None else _vector(v)
    start = {"w": w, "b": b, "v": v}
    solved = None
    if solution is not None:
        sw, sb, sv = solution
        solved = {"w": _vector(sw).tolist(), "b": _vector(sb).tolist(),
                  "v": (np.ones(len(w)) if sv is None else _vector(sv)).tolist()}

    mse = losses.mse(target, relu_units.relu_sum(x, w, b, v))
    config = {"x": x.tolist(), "target": target.tolist(),
              "start": {k: a.tolist() for k, a in start.items()}, "solution": solved,
              "ranges": _RELU_RANGES}
    units = []
    for j in range(len(w)):
        sliders = "".join(
            _slider("relu", f"{name}{j}", f"{name}<sub>{j}</sub>", start[name][j],
                    *_RELU_RANGES[name])
            for name in "wbv")
        units.append(f'<fieldset class="nnbook-unit nnbook-unit-{j}"><legend>unit {j}</legend>'
                     f"{sliders}</fieldset>")
    panels = "".join(
        f'<svg class="nnbook-panel" id="relu-panel-{j}" viewBox="0 0 320 210" role="img" '
        f'aria-label="{"unit " + str(j) + " output" if j < len(w) else "sum of the units"}">'
        f"</svg>" for j in range(len(w) + 1))
    buttons = '<button type="button" id="relu-reset">Back to the start</button>'
    if solved is not None:
        buttons = ('<button type="button" id="relu-solution">Show the worked solution</button>'
                   + buttons)
    page = (
        f'<div class="nnbook-explorer" id="relu-explorer" data-explorer="relu" '
        f'data-config="{_config(config)}" role="group" aria-labelledby="relu-explorer-title">'
        f'<p class="nnbook-explorer__title" id="relu-explorer-title">Explorer: '
        f"{len(w)} ReLU units and their sum</p>"
        f'<div class="nnbook-panels">{panels}</div>'
        f'<p class="nnbook-readout">Mean squared error of the sum against the target: '
        f'<output id="relu-mse" data-value="{_num(mse)}" aria-live="polite">'
        f"{_fmt(mse)}</output></p>"
        f'<div class="nnbook-units">{"".join(units)}</div>'
        f'<div class="nnbook-buttons">{buttons}</div>'
        f"{_STATIC_NOTE}"
        f"</div>"
    )
    return HTMLFragment(page, f"ReLU explorer: {len(w)} units, MSE {float(mse):.4g}")


# --------------------------------------------------------------------------
# the softmax explorer
# --------------------------------------------------------------------------


def softmax_explorer(z, temperature=1.0, shift=1000.0):
    """The softmax chapter's explorer: 4 to 10 score sliders, a temperature, bars of p.

    The page shows :math:`p = \\operatorname{softmax}(\\mathbf{z} / T)`, as
    ``activations.softmax(z / T)`` computes it (subtracting the largest
    score), and next to it the naive formula :math:`e^{z_k/T} / \\sum_j
    e^{z_j/T}`. A switch adds ``shift`` to every score: the naive formula
    then overflows to NaN (while :math:`(z_k + \\text{shift}) / T` exceeds
    709.78, float64's largest exponent) and the stable one does not change.

    Parameters
    ----------
    z : array_like, shape (K,)
        The starting scores, ``4 <= K <= 10``, each in [-6, 6].
    temperature : float, default 1.0
        The starting temperature, in [0.2, 5].
    shift : float, default 1000.0
        What the switch adds to every score.

    Returns
    -------
    HTMLFragment
    """
    from nnbook.activations import softmax

    z = _vector(z)
    temperature, shift = float(temperature), float(shift)

    K = len(z)
    p = softmax(z / temperature)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z / temperature)
        naive = e / e.sum()
    scores = np.zeros(10)
    scores[:K] = z
    sliders = "".join(_slider("softmax", f"z{k}", f"z<sub>{k}</sub>", scores[k], *_LOGIT_RANGE,
                              hidden=k >= K) for k in range(10))
    rows = "".join(
        f'<tr{" hidden" if k >= K else ""}><th scope="row">{k}</th>'
        f'<td class="softmax-score">{_fmt(scores[k], 2)}</td>'
        f'<td class="softmax-naive" data-value="{_num(naive[k]) if k < K else ""}">'
        f'{_fmt(naive[k]) if k < K else ""}</td>'
        f'<td class="softmax-p" data-value="{_num(p[k]) if k < K else ""}">'
        f'{_fmt(p[k]) if k < K else ""}</td></tr>'
        for k in range(10))
    config = {"z": z.tolist(), "temperature": temperature, "shift": shift}
    page = (
        f'<div class="nnbook-explorer" id="softmax-explorer" data-explorer="softmax" '
        f'data-config="{_config(config)}" role="group" aria-labelledby="softmax-explorer-title">'
        f'<p class="nnbook-explorer__title" id="softmax-explorer-title">Explorer: '
        f"softmax of K scores at temperature T</p>"
        f'<svg class="nnbook-bars" id="softmax-bars" viewBox="0 0 360 190" role="img" '
        f'aria-label="bars of the probabilities; the table below gives their values"></svg>'
        f'<div class="nnbook-controls">'
        f'{_slider("softmax", "K", "classes K", K, 4, 10, 1)}'
        f'{_slider("softmax", "T", "temperature T", temperature, 0.2, 5, 0.1)}'
        f'<div class="nnbook-switch"><input type="checkbox" role="switch" id="softmax-shift">'
        f'<label for="softmax-shift">add {shift:,.0f} to every score</label></div>'
        f"</div>"
        f'<div class="nnbook-sliders">{sliders}</div>'
        f'<p class="nnbook-readout" id="softmax-note" aria-live="polite">Largest exponent '
        f"of the naive formula: {_fmt(np.max(z) / temperature, 2)}.</p>"
        f'<table class="nnbook-table" id="softmax-table"><caption>The scores and their '
        f"probabilities, naive and stable</caption><thead><tr><th scope=\"col\">class k</th>"
        f'<th scope="col">score z<sub>k</sub></th><th scope="col">naive e<sup>z/T</sup>/sum'
        f'</th><th scope="col">stable p<sub>k</sub> (nnbook)</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        f"{_STATIC_NOTE}"
        f"</div>"
    )
    return HTMLFragment(page, f"softmax explorer: {K} scores, T = {temperature:g}")


# --------------------------------------------------------------------------
# the cross-entropy explorer
# --------------------------------------------------------------------------


def cross_entropy_explorer(logits, label):
    """The loss chapter's explorer: logit sliders, the true class, the loss and p - y.

    The page shows the loss :math:`L = -\\log \\operatorname{softmax}(\\mathbf
    z)_y`, as ``losses.sparse_cross_entropy([label], [logits])`` computes it
    (from the logits, with the log-softmax), the probabilities and the
    gradient :math:`\\mathbf p - \\mathbf Y` (``sparse_cross_entropy_grad``
    for one example) as bars.

    Parameters
    ----------
    logits : array_like, shape (K,)
        The starting logits, ``2 <= K <= 10``, each in [-6, 6].
    label : int
        The starting true class, in ``0 .. K-1``.

    Returns
    -------
    HTMLFragment
    """
    z, label = _vector(logits), int(label)
    K = len(z)
    loss = losses.sparse_cross_entropy([label], z[None, :])
    grad = losses.sparse_cross_entropy_grad([label], z[None, :])[0]
    p = grad + (np.arange(K) == label)
    sliders = "".join(_slider("ce", f"z{k}", f"z<sub>{k}</sub>", z[k], *_LOGIT_RANGE)
                      for k in range(K))
    options = "".join(f'<option value="{k}"{" selected" if k == label else ""}>{k}</option>'
                      for k in range(K))
    rows = "".join(
        f'<tr><th scope="row">{k}</th><td class="ce-score">{_fmt(z[k], 2)}</td>'
        f'<td class="ce-p" data-value="{_num(p[k])}">{_fmt(p[k])}</td>'
        f'<td class="ce-grad" data-value="{_num(grad[k])}">{_fmt(grad[k])}</td></tr>'
        for k in range(K))
    config = {"z": z.tolist(), "label": label}
    page = (
        f'<div class="nnbook-explorer" id="ce-explorer" data-explorer="cross-entropy" '
        f'data-config="{_config(config)}" role="group" aria-labelledby="ce-explorer-title">'
        f'<p class="nnbook-explorer__title" id="ce-explorer-title">Explorer: '
        f"cross-entropy from logits and its gradient</p>"
        f'<div class="nnbook-controls"><div class="nnbook-select"><label for="ce-label">'
        f'true class y</label><select id="ce-label">{options}</select></div></div>'
        f'<p class="nnbook-readout">Loss L = \u2212log p<sub>y</sub> = '
        f'<output id="ce-loss" data-value="{_num(loss)}" aria-live="polite">{_fmt(loss)}'
        f"</output></p>"
        f'<svg class="nnbook-bars" id="ce-bars" viewBox="0 0 360 330" role="img" '
        f'aria-label="bars of the probabilities and of the gradient p minus y; the table '
        f'below gives their values"></svg>'
        f'<div class="nnbook-sliders">{sliders}</div>'
        f'<table class="nnbook-table" id="ce-table"><caption>Probabilities and the gradient '
        f'of the loss with respect to each logit</caption><thead><tr><th scope="col">'
        f'class k</th><th scope="col">logit z<sub>k</sub></th><th scope="col">'
        f'p<sub>k</sub></th><th scope="col">p<sub>k</sub> \u2212 y<sub>k</sub></th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
        f"{_STATIC_NOTE}"
        f"</div>"
    )
    return HTMLFragment(page, f"cross-entropy explorer: {K} logits, label {label}, "
                              f"loss {float(loss):.4g}")


# --------------------------------------------------------------------------
# the draw-a-digit pad: weights and preprocessing
# --------------------------------------------------------------------------


def export_weights(model):
    """The weights of a model of ``Dense`` layers, for the page: float32, base64, row-major.

    Parameters
    ----------
    model : keras.Model
        ``Dense`` layers with ReLU or linear activations (``Dropout`` is
        skipped: it does nothing when predicting), such as
        :func:`nnbook.models.build_mlp` returns.

    Returns
    -------
    dict
        ``{"layers": [{"shape": [n_in, n_out], "activation": "relu" or
        "linear", "W": base64, "b": base64}, ...]}``: each array's float32
        bytes, little-endian, ``W`` row by row (``W[i, j]`` at ``i * n_out + j``).
        JSON-ready; :func:`weights_from_export` reads it back.

    Raises
    ------
    ValueError
        If a layer's activation is not ReLU or linear: the page knows no other.
    """
    from nnbook.models import dense_layers

    layers = []
    for layer in dense_layers(model):
        activation = layer.activation.__name__
        if activation not in ("relu", "linear"):
            raise ValueError(f"model's layer {layer.name} has activation {activation}; "
                             f"the page knows relu and linear")
        W, b = (np.asarray(a, dtype="<f4") for a in layer.get_weights())
        layers.append({"shape": list(W.shape), "activation": activation,
                       "W": base64.b64encode(np.ascontiguousarray(W).tobytes()).decode("ascii"),
                       "b": base64.b64encode(b.tobytes()).decode("ascii")})
    return {"layers": layers}


def weights_from_export(export):
    """The ``(W, b, activation)`` of each layer of an :func:`export_weights` dict (float32 arrays)."""
    out = []
    for layer in export["layers"]:
        n_in, n_out = layer["shape"]
        W = np.frombuffer(base64.b64decode(layer["W"]), dtype="<f4").reshape(n_in, n_out)
        b = np.frombuffer(base64.b64decode(layer["b"]), dtype="<f4")
        out.append((W.astype(np.float32), b.astype(np.float32), layer["activation"]))
    return out


def _round_half_up(value):
    """``floor(value + 0.5)``, as JavaScript's ``Math.round`` (NumPy rounds halves to even)."""
    return int(math.floor(value + 0.5))


def _area_weights(n_in, n_out):
    """Matrix (n_out, n_in): output ``i`` averages the input over ``[i, i + 1) * n_in / n_out``."""
    ratio = n_in / n_out
    weights = np.zeros((n_out, n_in))
    for i in range(n_out):
        lo, hi = i * ratio, (i + 1) * ratio
        for k in range(int(math.floor(lo)), min(n_in, int(math.ceil(hi)))):
            overlap = min(hi, k + 1) - max(lo, k)
            if overlap > 0:
                weights[i, k] = overlap / ratio
    return weights


def area_resize(image, height, width):
    """Resize a grey image by area averaging: each new pixel is the mean of the area it covers.

    Parameters
    ----------
    image : array_like, shape (h, w)
        Grey levels.
    height, width : int
        The new size, at least 1.

    Returns
    -------
    ndarray of float64, shape (height, width)
    """
    return _area_weights(image.shape[0], height) @ image @ _area_weights(image.shape[1], width).T


def mnist_preprocess(ink, centre=True):
    """A drawing as MNIST's 784 pixels: crop, scale to fit 20 x 20, centre of mass at the centre.

    1. Crop to the bounding box of the pixels with ink (> 0).
    2. Scale it by area averaging so that its longer side is ``BOX`` = 20
       pixels, keeping the aspect ratio (the other side is rounded, at least 1).
    3. Divide by its largest value, so the darkest ink is 1 as in MNIST.
    4. Place it in a 28 x 28 image of zeros so that its centre of mass is at
       (``CENTRE``, ``CENTRE``) = (14, 14), to the nearest pixel; ink that would
       fall outside is dropped.

    With ``centre=False`` the whole drawing is only shrunk to 28 x 28 (and
    scaled to a largest value of 1): what a network would see without
    MNIST's preprocessing.

    Parameters
    ----------
    ink : array_like, shape (h, w)
        The drawing's grey levels in [0, 1], 0 for paper, as in ``X``.
    centre : bool, default True

    Returns
    -------
    ndarray of float64, shape (784,)
        Row-major like a row of ``X``; all zeros for an empty drawing.

    Raises
    ------
    TypeError, ValueError
        If ``ink`` is not a finite 2-D array of values in [0, 1].
    """
    ink = check_X_y(ink, names=("ink", "y")).astype(np.float64)
    if ink.min() < 0 or ink.max() > 1:
        raise ValueError(f"ink must lie in [0, 1], got values from {ink.min():g} to "
                         f"{ink.max():g}")
    out = np.zeros((28, 28))
    if not np.any(ink > 0):
        return out.ravel()
    if not centre:
        small = area_resize(ink, 28, 28)
        return (small / small.max()).ravel()
    rows = np.flatnonzero(ink.max(axis=1) > 0)
    cols = np.flatnonzero(ink.max(axis=0) > 0)
    crop = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    small = area_resize(crop, max(1, _round_half_up(h * scale)),
                        max(1, _round_half_up(w * scale)))
    small /= small.max()
    cy, cx = centre_of_mass(small)
    top, left = _round_half_up(CENTRE - cy), _round_half_up(CENTRE - cx)
    r0, c0 = max(top, 0), max(left, 0)
    r1, c1 = min(top + small.shape[0], 28), min(left + small.shape[1], 28)
    out[r0:r1, c0:c1] = small[r0 - top:r1 - top, c0 - left:c1 - left]
    return out.ravel()


def centre_of_mass(image):
    """Row and column of an image's centre of mass: pixel positions averaged, weighted by ink.

    .. math::

        \\bar r = \\frac{\\sum_{i,j} i \\, I_{ij}}{\\sum_{i,j} I_{ij}}, \\qquad
        \\bar c = \\frac{\\sum_{i,j} j \\, I_{ij}}{\\sum_{i,j} I_{ij}},

    with rows and columns counted from 0 at the top left, as NumPy counts
    them (so MNIST's centre is (14, 14)).

    Parameters
    ----------
    image : ndarray, shape (h, w)
        Grey levels, not all zero.

    Returns
    -------
    ndarray of float64, shape (2,)
        ``(row, column)``.
    """
    rows, cols = np.arange(image.shape[0]), np.arange(image.shape[1])
    return np.array([image.sum(axis=1) @ rows, image.sum(axis=0) @ cols]) / image.sum()


def move_to_corner(X):
    """Each image of ``X`` moved so that its ink touches the top-left corner (zeros fill in).

    The same digits as a reader might draw them in a corner of the pad: the
    network was trained on centred digits, and misreads many of these.

    Parameters
    ----------
    X : array_like, shape (m, 784)

    Returns
    -------
    ndarray, shape (m, 784), ``X``'s dtype

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D array of 784 columns.
    """
    X = check_X_y(X, n_features=784)
    out = np.zeros_like(X)
    for i, row in enumerate(X.reshape(-1, 28, 28)):
        ys, xs = np.nonzero(row)
        if len(ys):
            moved = row[ys.min():, xs.min():]
            out[i].reshape(28, 28)[:moved.shape[0], :moved.shape[1]] = moved
    return out


def digit_pad(model, examples=None):
    """The draw-a-digit pad: canvas, the 28 x 28 input, ten probability bars, the prediction.

    The page's ``window.nnbookDigit.predict(pixels)`` runs ``model``'s
    forward pass (the exported float32 weights, in float64) on 784 numbers in
    [0, 1], row-major like a row of ``X``, and returns the ten probabilities,
    which equal ``models.predict_proba(model, pixels[None])`` to about 1e-7.
    The drawing is preprocessed as :func:`mnist_preprocess` does.

    Parameters
    ----------
    model : keras.Model
        The network (784 inputs, 10 outputs, ``Dense`` layers).
    examples : tuple (X, y), optional
        A few test images and their labels that a button loads into the pad,
        for readers who cannot draw with a pointer (at most 20).

    Returns
    -------
    HTMLFragment

    Raises
    ------
    ValueError
        As :func:`export_weights`.
    """
    data = {"model": export_weights(model), "box": BOX, "centre": CENTRE, "size": PAD_SIZE}
    if examples is not None:
        X, y = (np.asarray(a) for a in examples)
        data["examples"] = {"X": [[round(float(v), 4) for v in row] for row in X],
                            "y": y.tolist()}
    weights = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    bars = "".join(f"<li><span>{k}</span></li>" for k in range(10))
    example_button = ""
    if examples is not None:
        example_button = ('<button type="button" id="digit-example">Show a test image'
                          "</button>")
    page = (
        f'<div class="nnbook-pad" id="digit-app" role="group" aria-labelledby="digit-title">'
        f'<script type="application/json" id="digit-data">{weights}</script>'
        f'<p class="nnbook-explorer__title" id="digit-title">Draw a digit</p>'
        f'<div class="nnbook-pad__grid">'
        f'<div class="nnbook-pad__draw">'
        f'<canvas id="digit-pad" width="{PAD_SIZE}" height="{PAD_SIZE}" role="img" '
        f'aria-label="Drawing pad: draw one digit, 0 to 9, with a mouse, a finger or a pen">'
        f"</canvas>"
        f'<div class="nnbook-buttons"><button type="button" id="digit-clear">Clear</button>'
        f"{example_button}</div>"
        f'<div class="nnbook-switch"><input type="checkbox" role="switch" id="digit-centre" '
        f'checked><label for="digit-centre">crop, scale and centre it as MNIST did</label>'
        f"</div></div>"
        f'<div class="nnbook-pad__seen"><canvas id="digit-input" width="28" height="28" '
        f'role="img" aria-label="The 28 by 28 image the network receives"></canvas>'
        f"<p>what the network receives, 28 × 28</p></div>"
        f'<div class="nnbook-pad__result"><p class="nnbook-readout">Prediction: '
        f'<output id="digit-prediction" aria-live="polite"></output></p>'
        f'<svg class="nnbook-bars" id="digit-bars" viewBox="0 0 360 190" role="img" '
        f'aria-label="the probability of each digit"></svg>'
        f'<ol class="nnbook-visually-hidden" id="digit-probabilities" start="0">{bars}</ol>'
        f"</div></div>"
        f"{_STATIC_NOTE}"
        f"</div>"
    )
    return HTMLFragment(page, "draw-a-digit pad")
