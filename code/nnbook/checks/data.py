"""The data chapter's checks: ``check_unroll``, ``check_fold`` and ``check_fix_transposed``."""

import numpy as np

from nnbook.checks._runner import checker, run

PIXELS = np.arange(784.0)  # pixel k of an image holds the number k: easy to read
# A grey digit-like blot: values between 0 and 1, as in the data, in no sorted order.
GREY = np.clip(1.2 - np.abs(np.hypot(*np.indices((28, 28)) - 13.5) - 7) / 2.5, 0, 1) * np.cos(
    np.arange(784).reshape(28, 28)) ** 2

UNROLL_CASES = [
    ("a 2 x 3 image [[1, 2, 3], [4, 5, 6]] gives [1, 2, 3, 4, 5, 6]",
     np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])),
    ("a 3 x 2 image [[1, 2], [3, 4], [5, 6]] gives [1, 2, 3, 4, 5, 6]",
     np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])),
    ("a 28 x 28 image gives a row of 784, row after row", PIXELS.reshape(28, 28)),
    ("a 28 x 28 image of grey levels between 0 and 1", GREY),
]
FOLD_CASES = [
    ("the row 0, 1, ..., 783 folds into rows 0-27, 28-55, ...", PIXELS),
    ("a row of grey levels between 0 and 1 folds back into its image", GREY.ravel()),
]


def column_major(images):
    """Rows of ``images`` (m, 28, 28) stored column by column, as the lab's data is: (m, 784)."""
    return images.transpose(0, 2, 1).reshape(len(images), 784)


BAR = np.zeros((28, 28))
BAR[4:8, 6:22] = 1.0  # a horizontal bar at the top: stored column by column it stands upright
TRANSPOSED_CASES = [
    ("one image, a bar along the top", column_major(BAR[None])),
    ("three images, pixel k of image i holding 1000 i + k",
     column_major((np.arange(3)[:, None] * 1000.0 + PIXELS).reshape(3, 28, 28))),
    ("two images of grey levels between 0 and 1", column_major(np.stack([GREY, GREY.T]))),
]

_INT = ("your values are whole numbers: the pixels are grey levels between 0 and 1, and "
        "casting to int turns them into 0 (and the 1s into 1)")
_ROW_ORDER = "the data's rows hold an image row after row, NumPy's own order (Hint 2)"
UNROLL_WRONG = [
    ("column by column", lambda image: image.T.reshape(-1),
     "your row reads the image column by column (order='F', or .T): " + _ROW_ORDER),
    ("cast to int", lambda image: image.reshape(-1).astype(int), _INT),
    ("a batch of one", lambda image: image.reshape(1, -1),
     "this is a batch of one, shape (1, n): a row of X has one axis, shape (n,) (Hint 1)"),
    ("a column", lambda image: image.reshape(-1, 1),
     "this is a column, shape (n, 1): a row of X has one axis, shape (n,) (Hint 1)"),
    ("the image", lambda image: image + 0.0, "this is still the image, not a row"),
]
FOLD_WRONG = [
    ("transposed", lambda row: row.reshape(28, 28).T,
     "your image is transposed (order='F', or .T): the row holds the image row after row, so "
     "fold it the same way (Hint 2)"),
    ("cast to int", lambda row: row.reshape(28, 28).astype(int), _INT),
    ("still the row", lambda row: row + 0.0, "this is still the row of pixels: fold it into 28 "
     "rows of 28"),
    ("a column", lambda row: row.reshape(784, 1), "this is still the row of pixels, as a column: "
     "fold it into 28 rows of 28"),
    ("a batch of one", lambda row: row.reshape(1, 28, 28),
     "this is a batch of one image, shape (1, 28, 28): one image is 2-D, shape (28, 28)"),
    ("a channel axis", lambda row: row.reshape(28, 28, 1),
     "shape (28, 28, 1) has an extra axis of length 1: one image is 2-D, shape (28, 28)"),
    ("divided by 255", lambda row: row.reshape(28, 28) / 255,
     "your pixels are divided by 255: folding changes only the shape, never the values"),
    ("upside down", lambda row: row.reshape(28, 28)[::-1],
     "your image is upside down: row 0 of the image is the first 28 numbers of the row"),
    ("turned", lambda row: np.rot90(row.reshape(28, 28)),
     "your image is turned a quarter round: folding changes only the shape"),
]
_FIX = ("fold the whole batch into (m, 28, 28) images, swap each image's rows and columns, "
        "unroll them again (Hint 2)")
TRANSPOSED_WRONG = [
    ("X.T", lambda X: X.T + 0.0,
     "X.T turns the whole table over (the images become columns): transpose each image instead"),
    ("the images' .T", lambda X: X.reshape(-1, 28, 28).T.reshape(-1, 784),
     ".T on an (m, 28, 28) array reverses all three axes and mixes the images: swap only the "
     "last two axes, never axis 0, which counts the images (Hint 2)"),
    ("unchanged", lambda X: X + 0.0, "your rows are unchanged, still column by column: " + _FIX),
    ("the images", lambda X: X.reshape(-1, 28, 28).transpose(0, 2, 1),
     "these are the images: unroll each back into a row of 784"),
    ("cast to int", lambda X: column_major(X.reshape(-1, 28, 28)).astype(int), _INT),
]


def _unroll_shape(attempt):
    """A hint from the shape: an error from a fixed length, or too few pixels."""
    (image,), got = attempt.args, attempt.got
    if "reshape" in attempt.error and image.size != 784:
        return (f"your function works for 28 x 28 images only: this {image.shape[0]} x "
                f"{image.shape[1]} image has {image.size} pixels; let NumPy work out the length "
                "(Hint 2)")
    if got is not None and got.size < image.size:
        return f"only {got.size} of the {image.size} pixels: " + _ROW_ORDER
    return None


def _fold_shape(attempt):
    """A hint from the shape or the place of the values of a folded row."""
    got = attempt.got
    if got is None:
        return None
    if got.ndim != 2 or got.size != 784:
        return "an image is 2-D, 28 rows of 28 pixels"
    if got.shape != (28, 28):
        return f"a grid of {got.shape[0]} x {got.shape[1]}: an image is 28 x 28"
    return "the shape is right, but the pixels are not in their places: " + _ROW_ORDER


def _one_image(attempt):
    if "reshape" in attempt.error:
        return "your function works on one image only: " + _FIX
    return None


@checker("check_unroll(my_unroll)", UNROLL_WRONG)
def check_unroll(fn):
    """Check the reader's ``unroll(image)``: a 2-D image as one row, row after row.

    ``fn`` takes a float64 image of shape (h, w) and returns a new 1-D array
    of its h * w pixels, shape (h * w,), leaving the image as it was. Prints
    the report and returns None.
    """
    run("check_unroll: your unroll", fn, UNROLL_CASES, lambda image: image.reshape(-1),
        [_unroll_shape, UNROLL_WRONG], atol=0,
        unchanged=("the image is left unchanged", [PIXELS.reshape(28, 28)]),
        answer="a 1-D array of the image's pixels")


@checker("check_fold(my_fold)", FOLD_WRONG)
def check_fold(fn):
    """Check the reader's ``fold(row)``: 784 pixels back into a 28 x 28 image.

    ``fn`` takes a float64 row of shape (784,) and returns a new array of
    shape (28, 28), the row's first 28 numbers as the image's first row, and
    so on, leaving the row as it was. Prints the report and returns None.
    """
    run("check_fold: your fold", fn, FOLD_CASES, lambda row: row.reshape(28, 28),
        [FOLD_WRONG, _fold_shape], atol=0,
        unchanged=("the row is left unchanged", [PIXELS.copy()]), answer="a 28 x 28 array")


@checker("check_fix_transposed(my_fix_transposed)", TRANSPOSED_WRONG)
def check_fix_transposed(fn):
    """Check the reader's ``fix_transposed(X)``: rows stored column by column, made row by row.

    ``fn`` takes a float64 array of shape (m, 784) whose rows hold images
    column by column, as the lab's data does, and returns a new array of
    shape (m, 784) with the same images row by row, leaving ``X`` as it
    was. Prints the report and returns None.
    """
    run("check_fix_transposed: your fix_transposed", fn, TRANSPOSED_CASES,
        lambda X: column_major(X.reshape(-1, 28, 28)), [_one_image, TRANSPOSED_WRONG], atol=0,
        unchanged=("X is left unchanged", [TRANSPOSED_CASES[1][1].copy()]),
        answer="an array of shape (m, 784)")
