"""The classifier chapter's checks: ``check_predict_digit`` and ``check_confusion_matrix``."""

import functools

import numpy as np

from nnbook.activations import softmax
from nnbook.checks._runner import checker, expects_error, run, same

_RNG = np.random.default_rng(9)
IMAGES = _RNG.uniform(0.0, 1.0, size=(5, 784)) * (_RNG.uniform(size=(5, 784)) < 0.2)


@functools.cache
def course_model():
    """A stand-in for the course's Keras model: 784 pixels to 10 logits, one Dense layer.

    A real ``keras.Model`` (so that ``models.predict_proba`` takes it), whose
    ``predict`` is quiet and quick, and which, like Keras, refuses anything but
    a batch of shape (m, 784) with a ``ValueError`` (a short one).
    """
    from nnbook.models import keras

    class CourseModel(keras.Sequential):
        def __call__(self, x, *args, **kwargs):
            if len(np.shape(x)) != 2 or np.shape(x)[1] != 784:
                raise ValueError(f'Input 0 of layer "dense" is incompatible with the layer: '
                                 f'expected shape=(None, 784), found shape={np.shape(x)}')
            return super().__call__(x, *args, **kwargs)

        def predict(self, x, batch_size=None, verbose="auto", **kwargs):
            return np.asarray(self(np.asarray(x, dtype=np.float32), training=False))

    model = CourseModel([keras.Input(shape=(784,)), keras.layers.Dense(10)], name="course_model")
    rng = np.random.default_rng(12)
    model.set_weights([rng.normal(0.0, 0.25, size=(784, 10)).astype(np.float32),
                       np.linspace(-0.5, 0.5, 10, dtype=np.float32)])
    return model


def _predict_cases():
    model = course_model()
    return [("one image as a row of 784 pixels", model, IMAGES[0]),
            ("another image, given as a 28 x 28 grid", model, IMAGES[1].reshape(28, 28)),
            ("a third image, as a 28 x 28 grid", model, IMAGES[2].reshape(28, 28)),
            ("a batch of 3 images by mistake: an error, not one answer for three", model,
             IMAGES[2:])]


def _logits(model, image):
    return model.predict(np.reshape(image, (1, 784)))[0].astype(float)


def predicted(model, image):
    """The right answer: ``(digit, probability)``, or an error for anything but one image."""
    if np.size(image) != 784:
        return ValueError
    p = softmax(_logits(model, image))
    return int(np.argmax(p)), float(np.max(p))


def _digit_and(value):
    """A wrong answer that has the right digit but ``value(p, logits)`` as its probability."""
    def answer(model, image):
        z = _logits(model, image)
        return int(np.argmax(z)), value(softmax(z), z)
    return answer


PREDICT_WRONG = [
    ("the logit", _digit_and(lambda p, z: z.max()),
     "the digit is right, but its number is the logit, not a probability: turn the logits "
     "into probabilities with softmax first (Hint 2)"),
    ("a percentage", _digit_and(lambda p, z: 100 * p.max()),
     "the digit is right, but a probability lies between 0 and 1, not a percentage"),
    ("the sigmoid", _digit_and(lambda p, z: 1 / (1 + np.exp(-z.max()))),
     "the digit is right, but its probability comes from the sigmoid of one logit; softmax "
     "turns the ten logits into ten probabilities that sum to 1 (Hint 2)"),
    ("softmax over the batch axis", _digit_and(lambda p, z: 1.0),
     "the digit is right, but a probability of 1: the softmax ran down the batch axis of the "
     "(1, 10) logits, one number per class; run it over the classes, the last axis"),
    ("the digit only", lambda model, image: int(np.argmax(_logits(model, image))),
     "return two things, the digit and its probability"),
    ("probability first", lambda model, image: predicted(model, image)[::-1],
     "the digit comes first, then its probability"),
]


def _predict_errors(attempt):
    """A hint from what the function raised, or from a batch that did not raise."""
    (model, image), error = attempt.args, attempt.error
    if same(attempt.call(image, model), _as_pair(attempt.expected), 1e-5):
        return ("your function takes (image, model): the check calls it as the exercise says, "
                "my_predict_digit(model, image)")
    if "expected shape=(None, 784)" in error and np.size(image) == 784:
        return (f"model.predict takes a batch of images, shape (m, 784), and this image has "
                f"shape {np.shape(image)}: make it a batch of one image (Hint 1)")
    if "length-1" in error or "only 0-dimensional" in error or "size-1" in error:
        return ("np.argmax along axis 0 runs down the batch axis of the (1, 10) probabilities "
                "and gives 10 indices: take it along the classes, then row 0 (Hint 2)")
    if expects_error(attempt.expected):
        if attempt.got is not None and attempt.got.size and np.any(attempt.got.ravel()[:1] > 9):
            return ("np.argmax without an axis runs over all 3 x 10 probabilities of the batch "
                    "and can give a number above 9: make the image a batch of ONE, which fails "
                    "for three images (Hint 1)")
        return ("given a batch of three images, your function must raise an error (any "
                "exception), not answer for one of them: one digit cannot answer for 3 images "
                "(Hint 1)")
    return None


def _ten_numbers(attempt):
    if attempt.got is not None and attempt.got.size == 10:
        return ("these are 10 numbers (the probabilities, or the logits): return the digit and "
                "its probability")
    return None


def _as_pair(expected):
    return None if expects_error(expected) else np.asarray(expected, dtype=float)


@checker("check_predict_digit(my_predict_digit)", PREDICT_WRONG)
def check_predict_digit(fn):
    """Check the reader's ``predict_digit(model, image)``: one image in, one digit out.

    ``fn`` takes ``model``, a Keras model whose ``model.predict(x, verbose=0)``
    takes a batch of shape (m, 784) and returns its logits, and ``image``, the
    784 pixels of one image (shape (784,) or (28, 28)). It returns ``(digit,
    probability)``, and raises an error (any exception) when given a batch
    of several images. Prints the report and returns None.
    """
    run("check_predict_digit: your predict_digit", fn, _predict_cases(), predicted,
        [_predict_errors, _ten_numbers, PREDICT_WRONG], atol=1e-5,
        answer="two numbers, (digit, probability)")


CONFUSION_CASES = [
    ("five examples, all right: counts on the diagonal",
     np.array([0, 1, 2, 3, 3]), np.array([0, 1, 2, 3, 3])),
    ("a 7 read as a 1 counts in row 7, column 1", np.array([7, 7, 1]), np.array([1, 7, 1])),
    ("the same mistake twice counts 2", np.array([4, 4, 4, 9]), np.array([9, 9, 4, 9])),
    ("only the digits 0 to 3 appear: still 10 x 10",
     np.array([0, 1, 2, 3]), np.array([1, 1, 2, 0])),
    ("200 labels and predictions", np.random.default_rng(7).integers(0, 10, 200),
     np.random.default_rng(8).integers(0, 10, 200)),
]


def confusion(y_true, y_pred):
    counts = np.zeros((10, 10), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def _row_shares(y_true, y_pred):
    counts = confusion(y_true, y_pred)
    return counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)


_COUNT = "count each example once, in its true digit's row and its predicted digit's column"
CONFUSION_WRONG = [
    ("transposed", lambda y_true, y_pred: confusion(y_true, y_pred).T,
     "rows and columns are swapped: row i is the TRUE digit i, column j the PREDICTED digit j"),
    ("fractions", lambda y_true, y_pred: confusion(y_true, y_pred) / len(y_true),
     "these are fractions of all the examples: " + _COUNT),
    ("shares of each row", _row_shares,
     "these are the shares of each row (each true digit): " + _COUNT),
    ("1 per pair", lambda y_true, y_pred: (confusion(y_true, y_pred) > 0).astype(int),
     "each cell holds 1, however many examples fall in it: setting a cell to 1, or += 1 with "
     "arrays of indices (which adds once per distinct pair), does not count (Hint 2)"),
]


def _confusion_shape(attempt):
    got = attempt.got
    if got is not None and got.ndim == 2 and got.shape[0] == got.shape[1] != 10:
        return ("the matrix is 10 x 10, one row and one column per digit, whatever digits "
                "appear in y (Hint 1)")
    return None


@checker("check_confusion_matrix(my_confusion_matrix)", CONFUSION_WRONG)
def check_confusion_matrix(fn):
    """Check the reader's ``confusion_matrix(y_true, y_pred)``: the counts, by hand.

    ``fn`` takes two int arrays of shape (m,), the true digits and the
    predicted ones, and returns the 10 x 10 array ``C`` whose entry ``C[i, j]``
    counts the examples of true digit ``i`` predicted as ``j``. Prints the
    report and returns None.
    """
    run("check_confusion_matrix: your confusion_matrix", fn, CONFUSION_CASES, confusion,
        [_confusion_shape, CONFUSION_WRONG], atol=0, answer="a 10 x 10 array of counts")
