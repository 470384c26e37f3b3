"""The ReLU chapter's checks: ``check_relu`` and ``check_relu_units``."""

import numpy as np

from nnbook.checks._runner import checker, describe, numbers, report, run

RELU_CASES = [
    ("positive inputs pass through unchanged", np.array([0.5, 1.0, 2.0, 3.5])),
    ("negative inputs become 0", np.array([-0.5, -1.0, -2.0, -3.5])),
    ("zero (and -0.0) gives 0", np.array([0.0, -0.0])),
    ("a mix of signs, as in a layer's z", np.array([-2.0, -0.5, 0.0, 0.5, 2.0])),
    ("large inputs: no upper limit, no overflow", np.array([-1e4, 37.5, 1e4])),
    ("a batch of shape (2, 3) keeps its shape", np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, 6.0]])),
]
RELU_UNCHANGED = ("the input array is left unchanged", [np.array([-2.0, -0.5, 0.5, 2.0])])

RELU_WRONG = [
    ("absolute value", np.abs,
     "a negative input comes back positive, as |z|: ReLU sets every negative input to 0"),
    ("identity", lambda z: z + 0.0,
     "negative inputs come back unchanged: ReLU sets every negative input to exactly 0"),
    ("leaky", lambda z: np.where(z > 0, z, 0.01 * z),
     "negative inputs give 0.01 z: that is the leaky ReLU; the plain ReLU gives exactly 0"),
    ("clipped at 1", lambda z: np.clip(z, 0.0, 1.0),
     "inputs above 1 are cut to 1: ReLU has no upper limit, a positive z passes unchanged"),
    ("step", lambda z: (z > 0) * 1.0,
     "positive inputs give 1: that is the step, ReLU's derivative; ReLU passes a positive z on"),
    ("sigmoid", lambda z: 1 / (1 + np.exp(-z)),
     "this is the sigmoid, which squashes z into (0, 1); ReLU is max(0, z), entry by entry"),
]

# The stitching exercise: unit 0, relu(-2x + 2), is given; the target's pieces.
UNIT_0 = (-2.0, 2.0)
PIECES = [  # (case, start, end, slope of the target there)
    ("on [0, 1] the target is -2x + 2 (slope -2)", 0.0, 1.0, -2.0),
    ("on [1, 2] it is x - 1 (slope 1)", 1.0, 2.0, 1.0),
    ("on [2, 3] it is 3x - 5 (slope 3)", 2.0, 3.0, 3.0),
]


def _relu_errors(attempt):
    """A hint from what the function raised: Python's max, or np.max given 0."""
    error = attempt.error
    if "truth value" in error:
        return ("Python's max compares one number with another; z is an array, so max(0, z) "
                "asks whether the whole array is bigger than 0, which has no answer. NumPy has "
                "a maximum that works entry by entry (Hint 2)")
    if "cannot be interpreted as an integer" in error or "axis" in error:
        return ("np.max finds the largest entry of ONE array (its second argument is an axis); "
                "ReLU compares each entry of z with 0, which NumPy's element-by-element "
                "maximum does (Hint 2)")
    return None


def _relu_values(attempt):
    """A hint from the values: the shape, a non-finite output, negatives, positives."""
    (z,), got = attempt.args, attempt.got
    if got is None:
        return None
    if got.shape != z.shape:
        return ("ReLU works entry by entry, so its output has z's shape; indexing with a "
                "condition, such as z[z > 0], keeps only some of the entries")
    if not np.all(np.isfinite(got)):
        return "a finite z must give a finite output; ReLU needs no exp, only max(0, z)"
    if np.any(got[z < 0] != 0):
        return "every negative input must give exactly 0"
    if np.any(got[z > 0] != z[z > 0]):
        return "every positive input must come back unchanged (ReLU has no upper limit)"
    return None


@checker("check_relu(my_relu)", RELU_WRONG)
def check_relu(fn):
    """Check the reader's ReLU: ``fn(z)`` returns ``max(0, z)`` entry by entry.

    ``fn`` takes a float64 array ``z`` of any shape and returns a new array
    of the same shape; it must leave ``z`` as it was. Prints the report and
    returns None.
    """
    run("check_relu: your ReLU", fn, RELU_CASES, lambda z: np.maximum(z, 0.0),
        [_relu_errors, RELU_WRONG, _relu_values], atol=1e-9, unchanged=RELU_UNCHANGED,
        answer="an array of z's shape")


def _three_numbers(name, value):
    """``value`` as three finite floats, or a sentence saying what is wrong with it."""
    if not isinstance(value, (list, tuple, np.ndarray)) or getattr(value, "ndim", 1) == 0:
        return f"{name} must be a list of three numbers, one per unit, got {describe(value)}"
    try:  # the entries may be any objects
        entries = list(np.ravel(np.asarray(value, dtype=object)))
    except Exception:
        return f"{name} must hold numbers, got {describe(value)}"
    if any(e is Ellipsis or e is None for e in entries):
        return (f"{name} still has ... in it: put in the numbers of units 1 and 2 "
                f"(unit 0 is given: w = [-2, w1, w2], b = [2, b1, b2])")
    values = numbers(value)
    if values is None or any(isinstance(e, (bool, np.bool_)) for e in entries):
        return f"{name} must hold numbers, got {describe(value)}"
    if values.ndim != 1:
        return (f"{name} has shape {values.shape}: give a flat list of three numbers, "
                f"[{name}0, {name}1, {name}2]")
    if values.size != 3:
        return (f"{name} has {values.size} numbers: give all three units, unit 0 first "
                f"({name} = [{UNIT_0[name == 'b']:g}, {name}1, {name}2])")
    if not np.all(np.isfinite(values)):
        return f"{name} has NaN or inf in it: give three finite numbers"
    return values


def _wrong_bend(w, kinks):
    """When the slopes are 1 and 2 but a kink is at the other bend: which unit, in words."""
    if sorted((w[1], w[2])) != [1.0, 2.0]:
        return None
    for j in (1, 2):
        if w[j] == 1.0 and not np.isclose(kinks[j], 1.0):
            return (f"unit {j} (slope 1) switches on at x = {kinks[j]:.3g}, but the target "
                    "turns up already at x = 1 (Hint 1)")
        if w[j] == 2.0 and not np.isclose(kinks[j], 2.0):
            return (f"unit {j} (slope 2) switches on at x = {kinks[j]:.3g}, but the piece it "
                    "adds starts only at x = 2 (Hint 3)")
    return None


def _unit_hints(w, b, start, end, slope):
    """Why the sum is off on [start, end]: unit 0, a flat unit, a side, a kink, a slope."""
    with np.errstate(divide="ignore", invalid="ignore"):
        kinks = -b / w
    if (w[0], b[0]) != UNIT_0:
        return [f"unit 0 is given, w0 = -2 and b0 = 2; you have w0 = {w[0]:g}, b0 = {b[0]:g}"]
    hints = []
    for j in (1, 2):
        if w[j] == 0:
            hints.append(f"unit {j} has w{j} = 0: it is flat and never bends the sum")
        elif w[j] < 0:
            hints.append(
                f"unit {j} has w{j} = {w[j]:g} < 0, so it is on to the LEFT of its kink "
                f"(x < {kinks[j]:.3g}) and off to its right; units 1 and 2 must switch on to "
                "the right (Hint 2)")
        elif kinks[j] < end and not np.any(np.isclose(kinks[j], [1.0, 2.0])):
            where = (f"inside [{start:g}, {end:g}]" if kinks[j] > start
                     else f"so it is already on at x = {start:g}")
            hints.append(f"unit {j}'s kink is at x = -b{j}/w{j} = {kinks[j]:.3g}, {where}; the "
                         "target bends only at x = 1 and x = 2 (Hint 1)")
    on = [j for j in range(3) if w[j] * (start + end) / 2 + b[j] > 0]
    got_slope = float(sum(w[j] for j in on))
    bend = _wrong_bend(w, kinks)
    if got_slope == slope:
        return hints or [bend or "the slopes are right here, but your sum is off by a "
                         "constant: a unit switches on at the wrong x, so its piece starts "
                         "from the wrong height (Hint 1)"]
    names = " and ".join(f"unit {j}" for j in on) or "no unit"
    hints.append(f"the slope of your sum here is {got_slope:g}, not {slope:g}: on a piece, "
                 f"the slopes of the units that are on add up ({names} on here)")
    if bend:
        hints.append(bend)
    elif start == 2.0 and any(w[j] == 1.0 for j in on if j > 0):
        hints.append("the unit of slope 1 is still on here, so the other unit adds only "
                     "3 - 1 = 2 (Hint 3)")
    return hints


@checker("check_relu_units(my_w, my_b)")
def check_relu_units(w, b):
    """Check the reader's units for the ReLU chapter's stitching, piece by piece of the target.

    ``w`` and ``b`` are lists of three numbers, the weights and biases of
    units 0, 1 and 2, unit 0 first (``-2`` and ``2``, given). The sum
    ``relu(w0 x + b0) + relu(w1 x + b1) + relu(w2 x + b2)`` must be
    :func:`nnbook.relu_units.piecewise_target` on [0, 3]; units 1 and 2 may
    come in either order. Prints the report and returns None.
    """
    from nnbook.relu_units import piecewise_target, relu_sum

    title = "check_relu_units: your units against the target, piece by piece"
    units = [_three_numbers("w", w), _three_numbers("b", b)]
    said = [u for u in units if isinstance(u, str)]
    if said:
        report(title, [("w and b are three numbers each", "; ".join(said))])
        return
    w, b = units
    results = []
    for name, start, end, slope in PIECES:
        x = np.linspace(start, end, 61)
        got, expected = relu_sum(x, w, b), piecewise_target(x)
        gap = np.abs(got - expected)
        i = int(np.argmax(gap))
        problem = None if gap[i] <= 1e-9 else "; ".join([
            f"your sum is off the target by up to {gap[i]:.3g} here (at x = {x[i]:.3g} it is "
            f"{got[i]:.3g}, the target {expected[i]:.3g})", *_unit_hints(w, b, start, end, slope)])
        results.append((name, problem))
    report(f"{title} on {len(results)} cases", results)
