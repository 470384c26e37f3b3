"""The draw-a-digit pad: its page, its network's weights and its preprocessing.

:func:`digit_pad` makes the pad's HTML (an :class:`nnbook.explorers.HTMLFragment`)
with the network's weights inside it, exported by :func:`export_weights`
(float32, base64: no file to fetch, so the page works from ``file://``). The
drawing, the preprocessing and the forward pass in the browser are done by
``book/_static/nnbook-explorers.js``.

:func:`mnist_preprocess` is the pad's preprocessing in NumPy, the same steps
as its JavaScript (``tests/test_browser.py`` compares them): crop the ink to
its bounding box, scale it to fit 20 x 20 keeping its aspect ratio, and place
it in 28 x 28 so that its centre of mass is at the centre, as MNIST itself
was made. :func:`move_to_corner` does the opposite, for the chapter's
experiment.
"""

import base64
import json
import math

import numpy as np

from nnbook._validate import as_float_array, check_finite, check_nonempty, check_X_y
from nnbook.explorers import STATIC_NOTE, HTMLFragment, id_prefix

__all__ = ["digit_pad", "export_weights", "mnist_preprocess", "centre_of_mass", "area_resize",
           "move_to_corner", "CENTRE", "BOX"]

#: MNIST's digits fit a ``BOX`` x ``BOX`` square inside the 28 x 28 image ...
BOX = 20
#: ... and their centre of mass sits at row and column ``CENTRE`` (pixel indices 0-27).
#: The training images' mean centre of mass is (13.99, 14.00); the tests check it.
CENTRE = 14.0

#: What the pad's drawing canvas is, in pixels (its ink is read back at this size).
PAD_SIZE = 280


# --------------------------------------------------------------------------
# preprocessing
# --------------------------------------------------------------------------


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


def _check_ink(ink):
    """``ink`` as one float64 image (h, w) of values in [0, 1], or an error that says what to do."""
    ink = as_float_array(ink, "ink")
    if ink.ndim == 1 and ink.size == 784:
        raise ValueError("ink must be a 2-D image (h, w), got a flat row of 784 pixels; "
                         "fold a row x of X first: x.reshape(28, 28)")
    if ink.ndim == 2 and ink.shape[1] == 784 and ink.shape[0] != 784:
        raise ValueError(f"ink must be one 2-D image (h, w), got shape {ink.shape}: rows of X; "
                         f"preprocess one image at a time, X[i].reshape(28, 28)")
    if ink.ndim != 2:
        raise ValueError(f"ink must be one 2-D image (h, w), got shape {ink.shape}"
                         + ("; preprocess one image at a time" if ink.ndim > 2 else ""))
    check_nonempty(ink, "ink")
    check_finite(ink, "ink")
    if ink.min() < 0 or ink.max() > 1:
        raise ValueError(f"ink must lie in [0, 1], got values from {ink.min():g} to "
                         f"{ink.max():g}")
    return ink.astype(np.float64)


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
        If ``ink`` is not one finite 2-D image of values in [0, 1]: a row of
        ``X`` must be folded first, ``x.reshape(28, 28)``, and a batch
        preprocessed one image at a time.
    """
    ink = _check_ink(ink)
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




# --------------------------------------------------------------------------
# the page
# --------------------------------------------------------------------------


def export_weights(model):
    """The weights of a model of ``Dense`` layers, for the page: float32, base64, row-major.

    Parameters
    ----------
    model : keras.Model
        ``Dense`` layers with ReLU or linear activations (``Dropout`` holds
        no weights and is skipped: it does nothing when predicting), such as
        :func:`nnbook.models.build_mlp` returns.

    Returns
    -------
    dict
        ``{"layers": [{"shape": [n_in, n_out], "activation": "relu" or
        "linear", "W": base64, "b": base64}, ...]}``: each array's float32
        bytes, little-endian, ``W`` row by row (``W[i, j]`` at ``i * n_out + j``).
        JSON-ready.

    Raises
    ------
    ValueError
        If a layer's activation is not ReLU or linear: the page knows no other.
    """
    layers = []
    for layer in (layer for layer in model.layers if layer.weights):
        activation = layer.activation.__name__
        if activation not in ("relu", "linear"):
            raise ValueError(f"model's layer {layer.name} has activation {activation}; "
                             f"the page knows relu and linear")
        W, b = (np.asarray(a, dtype="<f4") for a in layer.get_weights())
        layers.append({"shape": list(W.shape), "activation": activation,
                       "W": base64.b64encode(np.ascontiguousarray(W).tobytes()).decode("ascii"),
                       "b": base64.b64encode(b.tobytes()).decode("ascii")})
    return {"layers": layers}


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
    prefix = id_prefix("digit")
    example_button = ""
    if examples is not None:
        example_button = '<button type="button" data-role="example">Show a test image</button>'
    page = (
        f'<div class="nnbook-pad" data-explorer="digit-pad" role="group" '
        f'aria-labelledby="{prefix}-title">'
        f'<script type="application/json" data-role="data">{weights}</script>'
        f'<p class="nnbook-explorer__title" id="{prefix}-title">Draw a digit</p>'
        f'<div class="nnbook-pad__grid">'
        f'<div class="nnbook-pad__draw">'
        f'<canvas data-role="pad" width="{PAD_SIZE}" height="{PAD_SIZE}" role="img" '
        f'aria-label="Drawing pad: draw one digit, 0 to 9, with a mouse, a finger or a pen">'
        f"</canvas>"
        f'<div class="nnbook-buttons"><button type="button" data-role="clear">Clear</button>'
        f"{example_button}</div>"
        f'<div class="nnbook-switch"><input type="checkbox" role="switch" data-role="centre" '
        f'id="{prefix}-centre" checked><label for="{prefix}-centre">crop, scale and centre it '
        f"as MNIST did</label></div></div>"
        f'<div class="nnbook-pad__seen"><canvas data-role="input" width="28" height="28" '
        f'role="img" aria-label="The 28 by 28 image the network receives"></canvas>'
        f"<p>what the network receives, 28 × 28</p></div>"
        f'<div class="nnbook-pad__result"><p class="nnbook-readout">Prediction: '
        f'<output data-role="prediction" aria-live="polite"></output></p>'
        f'<svg class="nnbook-bars" data-role="bars" viewBox="0 0 360 190" role="img" '
        f'aria-label="the probability of each digit"></svg>'
        f'<ol class="nnbook-visually-hidden" data-role="probabilities" start="0">{bars}</ol>'
        f"</div></div>"
        f"{STATIC_NOTE}"
        f"</div>"
    )
    return HTMLFragment(page, "draw-a-digit pad")
