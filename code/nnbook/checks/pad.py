"""The pad chapter's check: ``check_centre_of_mass``."""

import numpy as np

from nnbook.checks._runner import checker, run
from nnbook.pad import centre_of_mass


def ring(row, col, radius=6.0):
    """A grey ring in a 28 x 28 image: 1 on the circle, fading to 0 a pixel and a half away."""
    r, c = np.indices((28, 28))
    return np.clip(1.5 - np.abs(np.hypot(r - row, c - col) - radius), 0.0, 1.0)


ONE_PIXEL = np.zeros((3, 5))
ONE_PIXEL[1, 3] = 1.0
TWO_GREYS = np.zeros((2, 5))
TWO_GREYS[1, [0, 4]] = [1.0, 0.25]
CASES = [
    ("one pixel of ink at row 1, column 3 of a 3 x 5 image gives (1, 3)", ONE_PIXEL),
    ("ink 1 at column 0 and 0.25 at column 4 of row 1 gives (1, 0.8)", TWO_GREYS),
    ("a grey ring round row 9, column 17 of a 28 x 28 image gives (9, 17)", ring(9, 17)),
]


def _unweighted(image):
    return tuple(float(ix.mean()) for ix in np.nonzero(image))


WRONG = [
    ("(column, row)", lambda image: centre_of_mass(image)[::-1],
     "these are (column, row): the row comes first, the position down the image (axis 0), "
     "then the column (axis 1)"),
    ("counted from 1", lambda image: tuple(v + 1 for v in centre_of_mass(image)),
     "each is 1 too large: NumPy counts rows and columns from 0, and so does MNIST's centre, "
     "(14, 14)"),
    ("not divided", lambda image: tuple(v * image.sum() for v in centre_of_mass(image)),
     "divide by the total ink: the centre of mass is an average, the sum of position times "
     "ink over the sum of the ink"),
    ("divided by the pixels", lambda image: tuple(
        v * image.sum() / image.size for v in centre_of_mass(image)),
     "you divided by the number of pixels; divide by the total ink, the sum of the grey levels"),
    ("unweighted", _unweighted,
     "every pixel with ink counts the same here: weight each position by its grey level"),
    ("the brightest pixel", lambda image: np.unravel_index(np.argmax(image), image.shape),
     "this is the brightest pixel, not the average position of all the ink"),
    ("the image's centre", lambda image: ((image.shape[0] - 1) / 2, (image.shape[1] - 1) / 2),
     "this is the centre of the image, not of its ink"),
]


def _errors(attempt):
    """A hint for row and column sums mixed up (an error on a non-square image), or one number."""
    error = attempt.error
    if "mismatch" in error or "not aligned" in error:
        return ("the sum along axis 1 gives the ink in each row (h numbers), to be weighted by "
                "the row numbers 0 to h - 1; the sum along axis 0 gives the ink in each column "
                "(Hint 1)")
    if attempt.got is not None and attempt.got.size == 1:
        return "return two numbers, the row and then the column"
    return None


@checker("check_centre_of_mass(my_centre_of_mass)", WRONG)
def check_centre_of_mass(fn):
    """Check the reader's ``centre_of_mass(image)``: the ink's mean position, (row, column).

    ``fn`` takes a float64 image of shape (h, w), not all zero, and returns
    two numbers, the row and the column of its centre of mass (each pixel's
    position weighted by its grey level, counted from 0), leaving the image
    as it was. Prints the report and returns None.
    """
    run("check_centre_of_mass: your centre_of_mass", fn, CASES,
        lambda image: tuple(centre_of_mass(image)), [_errors, WRONG],
        unchanged=("the image is left unchanged", [ring(14, 14)]),
        answer="two numbers, (row, column)")
