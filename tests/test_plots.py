"""Tests of nnbook.plots: each figure is drawn on small inputs and bad input raises."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnbook import plots
