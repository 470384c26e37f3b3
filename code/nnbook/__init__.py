"""nnbook: the tested code behind the book *Neural networks for handwritten digits*.

One module per concept. The topics, in the order the book introduces them:

- :mod:`nnbook.activations` -- ReLU, sigmoid, softmax and friends;
- :mod:`nnbook.relu_units` -- sums of ReLU units, the ReLU chapter's worked example;
- :mod:`nnbook.losses` -- cross-entropy, from probabilities and from logits;
- :mod:`nnbook.data` -- the 5,000-image MNIST subset, its split and views;
- :mod:`nnbook.models` -- the Keras classifier, its training and evaluation;
- :mod:`nnbook.pad` -- the draw-a-digit pad: its page and MNIST's preprocessing;
- :mod:`nnbook.scratch` -- the same network in plain NumPy;
- :mod:`nnbook.timing` -- seconds per training epoch of a Keras model, for the
  NumPy chapter's comparison;
- :mod:`nnbook.conv` -- convolution and max pooling in NumPy, the CNN chapter's arithmetic.

And what serves every chapter:

- :mod:`nnbook.plots` -- the book's figures;
- :mod:`nnbook.explorers` -- the interactive explorers of the ReLU, softmax and loss chapters;
- :mod:`nnbook.stills` -- the explorers and the pad as still figures, for the PDF;
- :mod:`nnbook.checks` -- the checks of the exercises, one module per chapter.

Modules are imported on demand (``from nnbook import data``), so importing
``nnbook`` itself stays fast and does not load TensorFlow. It does set
``TF_CPP_MIN_LOG_LEVEL=2`` (unless already set), before any submodule can
import TensorFlow, so that TensorFlow's informational C++ log lines stay out
of the output.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__version__ = "0.1.0"
