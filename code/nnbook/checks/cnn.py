"""The CNN chapter's check: ``check_conv_layer``."""

from nnbook.checks._runner import checker, run

CASES = [  # (case, height, width, channels, filters, kernel_size, padding)
    ("the CNN's first layer: 28 x 28 x 1, 16 filters of 3 x 3, valid", 28, 28, 1, 16, 3, "valid"),
    ("its second layer: 26 x 26 x 16, 16 filters of 3 x 3, valid", 26, 26, 16, 16, 3, "valid"),
    ("same padding: 12 x 12 x 16, 32 filters of 3 x 3", 12, 12, 16, 32, 3, "same"),
    ("LeNet-5's first layer: 32 x 32 x 1, 6 filters of 5 x 5, valid", 32, 32, 1, 6, 5, "valid"),
    ("a wide colour image: 20 x 30 x 3, 8 filters of 5 x 5, valid", 20, 30, 3, 8, 5, "valid"),
    ("1 x 1 filters: 8 x 8 x 32, 10 filters, same", 8, 8, 32, 10, 1, "same"),
]


def conv_layer(height, width, channels, filters, kernel_size, padding):
    """The right answer: output height, width, channels, and the layer's parameters."""
    from nnbook import conv

    return (conv.conv_output_size(height, kernel_size, padding),
            conv.conv_output_size(width, kernel_size, padding), filters,
            conv.conv_parameter_count(kernel_size, channels, filters))


def _with(size=None, channels=None, params=None):
    """A right answer with its size, channels or parameters replaced: a typical mistake."""
    def answer(h, w, c, f, k, padding):
        out_h, out_w, out_c, n = conv_layer(h, w, c, f, k, padding)
        if size is not None:
            out_h, out_w = size(h, w, k, padding)
        return (out_h, out_w, out_c if channels is None else channels(c, f),
                n if params is None else params(h, w, c, f, k))
    return answer


SIZES = [
    ("height and width swapped", _with(size=lambda h, w, k, padding: conv_layer(
        w, h, 1, 1, k, padding)[:2]), "height and width are swapped"),
    ("valid keeps the size", _with(size=lambda h, w, k, padding: (h, w)),
     "padding='valid' adds nothing around the image, so a k x k filter fits at n - k + 1 "
     "positions across: the output is smaller than the input (Hint 1)"),
    ("n - k", _with(size=lambda h, w, k, padding: (h - k, w - k)),
     "one too few: the filter's first position is 0 and its last n - k, so there are "
     "n - k + 1 positions"),
    ("same shrinks", _with(size=lambda h, w, k, padding: (h - k + 1, w - k + 1)),
     "padding='same' surrounds the image with zeros so that the output keeps the input's "
     "height and width (Hint 1)"),
]
CHANNELS = [
    ("the input's channels", _with(channels=lambda c, f: c),
     "the output has one channel per filter, not the input's channels"),
]
PARAMETERS = [
    ("no bias", _with(params=lambda h, w, c, f, k: k * k * c * f),
     "each filter also has one bias (Hint 2)"),
    ("no channels", _with(params=lambda h, w, c, f, k: (k * k + 1) * f),
     "each filter spans all the channels of its input: k * k weights per channel, plus one bias "
     "(Hint 2)"),
    ("one bias", _with(params=lambda h, w, c, f, k: k * k * c * f + 1),
     "one bias per filter, not one for the whole layer"),
    ("C and F swapped", _with(params=lambda h, w, c, f, k: (k * k * f + 1) * c),
     "the input's channels and the filters are swapped in your count"),
    ("every position", _with(params=lambda h, w, c, f, k: (k * k * c + 1) * f * h * w),
     "the same filter is used at every position: the image's size does not enter the count "
     "(Hint 2)"),
]
WRONG = SIZES + CHANNELS + PARAMETERS


def _parts(attempt):
    """Which of the four numbers are off, for an answer with more than one mistake."""
    got, expected = attempt.got, attempt.expected
    if got is None or got.shape != (4,):
        return None
    parts = [("the height and width", "Hint 1 gives them for 'valid' and for 'same'", slice(0, 2)),
             ("the channels", "the output has one channel per filter", slice(2, 3)),
             ("the number of parameters", "count one filter's weights and bias, then all the "
              "filters (Hint 2)", slice(3, 4))]
    off = [f"{name} are off: {why}" for name, why, part in parts
           if list(got[part]) != list(expected[part])]
    return "; ".join(off) or None


@checker("check_conv_layer(my_conv_layer)", WRONG)
def check_conv_layer(fn):
    """Check the reader's ``conv_layer(height, width, channels, filters, kernel_size, padding)``.

    ``fn`` takes five ints and ``padding``, ``"valid"`` or ``"same"``, for a
    ``keras.layers.Conv2D(filters, kernel_size, padding=padding)`` layer
    (stride 1) on inputs of shape (height, width, channels), and returns
    four numbers: the output's height, width and channels, and the layer's
    number of parameters. Prints the report and returns None.
    """
    run("check_conv_layer: your conv_layer", fn, CASES, conv_layer, [WRONG, _parts], atol=0,
        answer="four numbers, (height, width, channels, parameters)")
