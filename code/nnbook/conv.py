"""Convolution and max pooling in NumPy: what Keras's ``Conv2D`` and ``MaxPooling2D`` compute.

A convolutional layer slides a small filter (a ``kh x kw`` grid of weights)
over the image and, at every position, takes the weighted sum of the pixels
under it. Written out, with stride 1,

.. math::

    \\text{out}[i, j] = \\sum_{u=0}^{k_h-1} \\sum_{v=0}^{k_w-1}
        \\text{image}[i + u, j + v] \\, \\text{kernel}[u, v] + b.

This is a *cross-correlation*: the filter is not flipped, as it is in the
convolution of signal processing. Keras, TensorFlow and PyTorch all compute
this and call it convolution. The functions here are written to be read next
to the chapter's equations; they are slow (a Python loop over the filter's
``kh * kw`` offsets) but exact, and equal Keras's layers with the same weights
to float32 rounding.

The CNN chapter's cells call these functions with arrays they made: the
functions trust their arguments (the chapter's exercise asks the reader to
write their own, not to call these).
"""

import numpy as np

__all__ = [
    "conv2d",
    "max_pool2d",
    "conv_output_size",
    "conv_parameter_count",
    "shift_images",
    "same_padding",
]


def conv_output_size(n, kernel_size, padding="valid"):
    """Rows (or columns) of a stride-1 convolution's output.

    ``"valid"`` keeps only the positions where the whole filter lies inside
    the image: ``n - kernel_size + 1``. ``"same"`` pads the image with zeros
    so that the output keeps the input's size: ``n``.

    Parameters
    ----------
    n : int
        Rows (or columns) of the input.
    kernel_size : int
        Rows (or columns) of the filter.
    padding : {"valid", "same"}, default "valid"

    Returns
    -------
    int
        Rows (or columns) of the output.
    """
    return n if padding == "same" else n - kernel_size + 1


def conv_parameter_count(kernel_size, in_channels, filters):
    """Weights and biases of a ``Conv2D`` layer: ``(k * k * in_channels + 1) * filters``.

    Each of the ``filters`` filters has a weight for every position of its
    ``k x k`` window in every input channel, and one bias. The count does
    not depend on the image size: the same filter is used at every position.

    Parameters
    ----------
    kernel_size : int
        ``k``, the filters' height and width.
    in_channels : int
        Channels of the layer's input (1 for a grey image, the number of
        filters of the previous conv layer otherwise).
    filters : int
        Filters of the layer, the channels of its output.

    Returns
    -------
    int
        The layer's weights and biases, all trainable.
    """
    return (kernel_size * kernel_size * in_channels + 1) * filters


def conv2d(image, kernel, bias=None, padding="valid"):
    """Stride-1 2-D convolution (cross-correlation) of an image with filters, as ``Conv2D``.

    .. math::

        \\text{out}[i, j, f] = \\sum_{u, v, c} \\text{image}[i + u, j + v, c]
            \\, \\text{kernel}[u, v, c, f] + \\text{bias}[f]

    With ``padding="same"`` the image is first surrounded by zeros, ``k - 1``
    rows in all (:func:`same_padding`: ``(k - 1) // 2`` above, the rest
    below; the same for the columns), so that the output has the image's
    size. No activation is applied.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
        One image; a 2-D array is one channel.
    kernel : array_like, shape (kh, kw) or (kh, kw, C, F)
        One filter, or ``F`` filters in Keras's layout (``layer.kernel``).
        A 2-D kernel needs a 2-D image.
    bias : array_like, shape (F,), optional
        Added to each filter's output (a number for a 2-D kernel).
    padding : {"valid", "same"}, default "valid"

    Returns
    -------
    ndarray of float64
        Shape ``(H', W')`` for a 2-D image and kernel, else ``(H', W', F)``,
        with ``H' = H - kh + 1`` (valid) or ``H`` (same), and the same for ``W'``.
    """
    x, k = np.asarray(image, dtype=np.float64), np.asarray(kernel, dtype=np.float64)
    one_map = k.ndim == 2
    if one_map:
        x, k = x[:, :, None], k[:, :, None, None]
    elif x.ndim == 2:
        x = x[:, :, None]
    kh, kw, _, filters = k.shape
    b = np.zeros(filters) if bias is None else np.asarray(bias, dtype=np.float64)
    if padding == "same":
        x = np.pad(x, [same_padding(x.shape[0], kh), same_padding(x.shape[1], kw), (0, 0)])
    out_h, out_w = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    out = np.zeros((out_h, out_w, filters))
    for u in range(kh):
        for v in range(kw):
            # the pixels that weight kernel[u, v] meets, at every output position at once
            window = x[u:u + out_h, v:v + out_w, :]
            out += window @ k[u, v]  # (out_h, out_w, C) @ (C, F): sum over channels
    out += b
    return out[:, :, 0] if one_map else out


def max_pool2d(image, pool_size=2):
    """Max pooling with a ``pool_size x pool_size`` window and the same stride, as ``MaxPooling2D``.

    Each output value is the largest of a block of ``pool_size x pool_size``
    inputs; the blocks do not overlap. Rows and columns left over at the
    bottom and right (when the size is not a multiple of ``pool_size``) are
    dropped, as Keras's default ``padding="valid"`` does.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
        Each channel is pooled on its own.
    pool_size : int, default 2

    Returns
    -------
    ndarray of float64, shape (H // pool_size, W // pool_size[, C])
    """
    x, s = np.asarray(image, dtype=np.float64), pool_size
    h, w = x.shape[0] // s, x.shape[1] // s
    blocks = x[:h * s, :w * s].reshape(h, s, w, s, *x.shape[2:])
    return blocks.max(axis=(1, 3))


def shift_images(X, rows=0, cols=0):
    """Move each 28 x 28 image down by ``rows`` and right by ``cols`` pixels (negative: up, left).

    Pixels moved out of the picture are lost; the uncovered border is
    filled with 0 (paper).

    Parameters
    ----------
    X : array_like, shape (m, 784)
        Images, one per row (see :func:`nnbook.data.to_image`).
    rows, cols : int, default 0
        The shift, each between -27 and 27.

    Returns
    -------
    ndarray, shape (m, 784)
        The shifted images, with ``X``'s dtype.
    """
    images = np.asarray(X).reshape(-1, 28, 28)
    out = np.zeros_like(images)
    src_r, dst_r = slice(max(-rows, 0), 28 - max(rows, 0)), slice(max(rows, 0), 28 - max(-rows, 0))
    src_c, dst_c = slice(max(-cols, 0), 28 - max(cols, 0)), slice(max(cols, 0), 28 - max(-cols, 0))
    out[:, dst_r, dst_c] = images[:, src_r, src_c]
    return out.reshape(-1, 784)


def same_padding(n, kernel_size, stride=1):
    """Zeros Keras and TensorFlow add before and after ``n`` pixels for ``padding="same"``.

    ``"same"`` gives :math:`\\lceil n / s \\rceil` outputs across ``n`` pixels
    with stride ``s``. That takes
    :math:`\\max((\\lceil n / s \\rceil - 1)\\, s + k - n,\\ 0)` zeros in
    all; half of them (rounded down) go before the first pixel and the rest
    after the last, so an odd total puts the extra zero at the bottom or right.
    With stride 1 and an odd ``k`` that is ``(k - 1) / 2`` on each side; with
    stride 2, ``k = 3`` and an even ``n`` it is one zero, after. ``n`` is
    the input's height (or width), ``kernel_size`` the filter's. Returns
    ``(before, after)``, the zeros added before and after.
    """
    total = max((-(-n // stride) - 1) * stride + kernel_size - n, 0)
    return total // 2, total - total // 2
