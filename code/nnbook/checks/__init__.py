"""Friendly checks for the exercises, one module per chapter.

Each ``check_*`` runs the reader's answer on named cases and prints a report:
one line per case, ``PASS`` or ``FAIL``, where a failure says what is wrong
and why, in words; then the verdict, "n of N checks passed". Whatever it is
given, a check prints a report and returns None. A chapter calls them as
``checks.check_softmax(my_softmax)``; the cases of ``check_softmax`` are at
the top of ``nnbook/checks/softmax.py``, and so on for each chapter
(``relu``, ``softmax``, ``losses``, ``data``, ``model``, ``training``,
``classifier``, ``pad``, ``scratch``, ``cnn``). How a check is written, and
the contract every check keeps, are in :mod:`nnbook.checks._runner`.
"""

from nnbook.checks.classifier import check_confusion_matrix, check_predict_digit
from nnbook.checks.cnn import check_conv_layer
from nnbook.checks.data import check_fix_transposed, check_fold, check_unroll
from nnbook.checks.losses import check_cross_entropy
from nnbook.checks.model import check_model
from nnbook.checks.pad import check_centre_of_mass
from nnbook.checks.relu import check_relu, check_relu_units
from nnbook.checks.scratch import check_adam_update, check_backward
from nnbook.checks.softmax import check_softmax
from nnbook.checks.training import (check_choose_learning_rate, check_compare_runs,
                                    check_steps_per_epoch)

__all__ = [
    "check_relu", "check_relu_units", "check_softmax", "check_cross_entropy",
    "check_unroll", "check_fold", "check_fix_transposed", "check_model",
    "check_steps_per_epoch", "check_choose_learning_rate", "check_compare_runs",
    "check_predict_digit", "check_confusion_matrix", "check_centre_of_mass", "check_backward",
    "check_adam_update", "check_conv_layer",
]
