"""The chapters' interactive explorers: their HTML and starting numbers.

A chapter cell calls one of these functions and ends with the result: an
:class:`HTMLFragment`, which Jupyter and the book show through its
``_repr_html_``. The fragment holds the explorer's controls (native
``<input type="range">`` sliders with labels), the numbers the chapter
computed (the starting values, written into the page as JSON and as the
first numbers shown) and nothing else: the drawing and the arithmetic in the
browser are done by ``book/_static/nnbook-explorers.js``, which the book loads
on the pages that hold a fragment (``book/_ext/explorer_assets.py``). The
script finds each explorer by its ``data-explorer`` attribute and the parts
inside it by ``data-role`` and ``data-slider`` attributes, so two explorers
can share a page. Its arithmetic is the arithmetic of
:mod:`nnbook.activations` and :mod:`nnbook.losses`, checked in Chromium by
``tests/test_browser.py``. The draw-a-digit pad, made the same way, is in
:mod:`nnbook.pad`.
"""

import html
import json
import math
from collections import Counter

import numpy as np

from nnbook import losses, relu_units
from nnbook.activations import softmax

__all__ = ["HTMLFragment", "relu_explorer", "softmax_explorer", "cross_entropy_explorer"]

_LOGIT_RANGE = (-6.0, 6.0)

#: Shown where the page's script does not run (a notebook in JupyterLab, no JavaScript);
#: the script hides it.
STATIC_NOTE = ('<p class="nnbook-static-note">This is interactive in the book\'s HTML pages, '
               "which run its script; here it shows its starting numbers only.</p>")

_made = Counter()


def id_prefix(kind):
    """A prefix for the ids of one fragment: ``kind``, then ``kind-2``, ``kind-3``, ...

    Only ``<label for=...>`` needs ids (the script looks inside each
    fragment), but they must be unique on a page that holds two fragments.
    """
    _made[kind] += 1
    return kind if _made[kind] == 1 else f"{kind}-{_made[kind]}"


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
    """A labelled native range input, found by ``data-slider="name"``, and its value."""
    ident = f"{prefix}-{name}"
    return (
        f'<div class="nnbook-slider" data-slider="{name}"{" hidden" if hidden else ""}>'
        f'<label for="{ident}">{label}</label>'
        f'<input type="range" id="{ident}" name="{name}" min="{low:g}" max="{high:g}" '
        f'step="{step:g}" value="{value:g}">'
        f'<output for="{ident}">{_fmt(value, 0 if step >= 1 else 1)}</output></div>'
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
    prefix = id_prefix("relu")
    config = {"x": x.tolist(), "target": target.tolist(),
              "start": {k: a.tolist() for k, a in start.items()}, "solution": solved,
              "ranges": _RELU_RANGES}
    units = []
    for j in range(len(w)):
        sliders = "".join(
            _slider(prefix, f"{name}{j}", f"{name}<sub>{j}</sub>", start[name][j],
                    *_RELU_RANGES[name])
            for name in "wbv")
        units.append(f'<fieldset class="nnbook-unit nnbook-unit-{j}"><legend>unit {j}</legend>'
                     f"{sliders}</fieldset>")
    panels = "".join(
        f'<svg class="nnbook-panel" data-role="panel" viewBox="0 0 320 210" role="img" '
        f'aria-label="{"unit " + str(j) + " output" if j < len(w) else "sum of the units"}">'
        f"</svg>" for j in range(len(w) + 1))
    buttons = '<button type="button" data-role="reset">Back to the start</button>'
    if solved is not None:
        buttons = ('<button type="button" data-role="solution">Show the worked solution'
                   '</button>' + buttons)
    page = (
        f'<div class="nnbook-explorer" data-explorer="relu" data-config="{_config(config)}" '
        f'role="group" aria-labelledby="{prefix}-title">'
        f'<p class="nnbook-explorer__title" id="{prefix}-title">Explorer: '
        f"{len(w)} ReLU units and their sum</p>"
        f'<div class="nnbook-panels">{panels}</div>'
        f'<p class="nnbook-readout">Mean squared error of the sum against the target: '
        f'<output data-role="mse" data-value="{_num(mse)}" aria-live="polite">'
        f"{_fmt(mse)}</output></p>"
        f'<div class="nnbook-units">{"".join(units)}</div>'
        f'<div class="nnbook-buttons">{buttons}</div>'
        f"{STATIC_NOTE}"
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
    z = _vector(z)
    temperature, shift = float(temperature), float(shift)

    K = len(z)
    p = softmax(z / temperature)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z / temperature)
        naive = e / e.sum()
    scores = np.zeros(10)
    scores[:K] = z
    prefix = id_prefix("softmax")
    sliders = "".join(_slider(prefix, f"z{k}", f"z<sub>{k}</sub>", scores[k], *_LOGIT_RANGE,
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
        f'<div class="nnbook-explorer" data-explorer="softmax" data-config="{_config(config)}" '
        f'role="group" aria-labelledby="{prefix}-title">'
        f'<p class="nnbook-explorer__title" id="{prefix}-title">Explorer: '
        f"softmax of K scores at temperature T</p>"
        f'<svg class="nnbook-bars" data-role="bars" viewBox="0 0 360 190" role="img" '
        f'aria-label="bars of the probabilities; the table below gives their values"></svg>'
        f'<div class="nnbook-controls">'
        f'{_slider(prefix, "K", "classes K", K, 4, 10, 1)}'
        f'{_slider(prefix, "T", "temperature T", temperature, 0.2, 5, 0.1)}'
        f'<div class="nnbook-switch"><input type="checkbox" role="switch" data-role="shift" '
        f'id="{prefix}-shift"><label for="{prefix}-shift">add {shift:,.0f} to every score'
        f"</label></div></div>"
        f'<div class="nnbook-sliders">{sliders}</div>'
        f'<p class="nnbook-readout" data-role="note" aria-live="polite">Largest exponent '
        f"of the naive formula: {_fmt(np.max(z) / temperature, 2)}.</p>"
        f'<table class="nnbook-table" data-role="table"><caption>The scores and their '
        f"probabilities, naive and stable</caption><thead><tr><th scope=\"col\">class k</th>"
        f'<th scope="col">score z<sub>k</sub></th><th scope="col">naive e<sup>z/T</sup>/sum'
        f'</th><th scope="col">stable p<sub>k</sub> (nnbook)</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        f"{STATIC_NOTE}"
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
    prefix = id_prefix("ce")
    sliders = "".join(_slider(prefix, f"z{k}", f"z<sub>{k}</sub>", z[k], *_LOGIT_RANGE)
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
        f'<div class="nnbook-explorer" data-explorer="cross-entropy" '
        f'data-config="{_config(config)}" role="group" aria-labelledby="{prefix}-title">'
        f'<p class="nnbook-explorer__title" id="{prefix}-title">Explorer: '
        f"cross-entropy from logits and its gradient</p>"
        f'<div class="nnbook-controls"><div class="nnbook-select"><label for="{prefix}-label">'
        f'true class y</label><select data-role="label" id="{prefix}-label">{options}</select>'
        f"</div></div>"
        f'<p class="nnbook-readout">Loss L = \u2212log p<sub>y</sub> = '
        f'<output data-role="loss" data-value="{_num(loss)}" aria-live="polite">{_fmt(loss)}'
        f"</output></p>"
        f'<svg class="nnbook-bars" data-role="bars" viewBox="0 0 360 330" role="img" '
        f'aria-label="bars of the probabilities and of the gradient p minus y; the table '
        f'below gives their values"></svg>'
        f'<div class="nnbook-sliders">{sliders}</div>'
        f'<table class="nnbook-table" data-role="table"><caption>Probabilities and the gradient '
        f'of the loss with respect to each logit</caption><thead><tr><th scope="col">'
        f'class k</th><th scope="col">logit z<sub>k</sub></th><th scope="col">'
        f'p<sub>k</sub></th><th scope="col">p<sub>k</sub> \u2212 y<sub>k</sub></th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
        f"{STATIC_NOTE}"
        f"</div>"
    )
    return HTMLFragment(page, f"cross-entropy explorer: {K} logits, label {label}, "
                              f"loss {float(loss):.4g}")
