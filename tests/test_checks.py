"""Tests of nnbook.checks: each check passes a correct answer and catches wrong ones."""

import numpy as np
import pytest

from nnbook import checks
