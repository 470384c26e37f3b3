"""Tests of nnbook.activations against TensorFlow and SciPy, with property tests."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnbook import activations
