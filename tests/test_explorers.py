"""Tests of nnbook.explorers: the explorers' HTML and the numbers they start from.

The JavaScript itself is driven in Chromium by tests/test_browser.py, which
compares the numbers the pages show with nnbook's.
"""

import html
import json
import re

import numpy as np
import pytest

from nnbook import activations, explorers, losses
from nnbook import relu_units as ru

X_GRID = np.linspace(0.0, 3.0, 301)
LOGITS = np.array([1.0, 0.5, -1.0, 2.0, 0.0, -0.5, 1.5, 0.2, -2.0, 0.8])


def config_of(fragment):
    match = re.search(r'data-config="([^"]*)"', fragment.html)
    return json.loads(html.unescape(match.group(1)))


def data_value(fragment, role):
    return float(re.search(rf'data-role="{role}" data-value="([^"]*)"', fragment.html).group(1))


def column_values(fragment, cls):
    return [float(v) for v in re.findall(rf'class="{cls}" data-value="([^"]+)"', fragment.html)]


# --------------------------------------------------------------------------
# the explorers' HTML
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def relu_page():
    return explorers.relu_explorer(X_GRID, ru.piecewise_target(X_GRID), [-2.0, 1.0, 3.0],
                                   [2.0, -1.0, -5.0],
                                   solution=([-2.0, 1.0, 2.0], [2.0, -1.0, -4.0], None))


def slider_ids(fragment):
    """{data-slider name: the id of its input}, checking that its label names that id."""
    found = re.findall(r'data-slider="(\w+)"[^>]*><label for="([\w-]+)">[^<]*(?:<sub>\w+</sub>)?'
                       r'</label><input type="range" id="([\w-]+)"', fragment.html)
    assert all(label == ident for _, label, ident in found)
    return {name: ident for name, _, ident in found}


def test_relu_explorer_has_a_labelled_slider_per_parameter(relu_page):
    names = slider_ids(relu_page)
    assert sorted(names) == sorted(f"{n}{j}" for n in "wbv" for j in range(3))
    assert len(set(names.values())) == 9
    assert 'data-role="solution"' in relu_page.html and 'data-role="reset"' in relu_page.html
    assert relu_page._repr_html_() == relu_page.html
    assert 'class="nnbook-static-note"' in relu_page.html  # for a notebook, where no script runs
    assert "ReLU explorer" in repr(relu_page)


def test_relu_explorer_starts_from_the_chapters_numbers(relu_page):
    cfg = config_of(relu_page)
    np.testing.assert_array_equal(cfg["x"], X_GRID)
    np.testing.assert_array_equal(cfg["target"], ru.piecewise_target(X_GRID))
    assert cfg["start"] == {"w": [-2.0, 1.0, 3.0], "b": [2.0, -1.0, -5.0], "v": [1.0, 1.0, 1.0]}
    assert cfg["solution"] == {"w": [-2.0, 1.0, 2.0], "b": [2.0, -1.0, -4.0], "v": [1.0] * 3}
    expected = losses.mse(ru.piecewise_target(X_GRID),
                          ru.relu_sum(X_GRID, [-2.0, 1.0, 3.0], [2.0, -1.0, -5.0]))
    assert data_value(relu_page, "mse") == expected


def test_relu_explorer_without_a_solution_has_no_button():
    page = explorers.relu_explorer(X_GRID, X_GRID, [1.0], [0.0])
    assert 'data-role="solution"' not in page.html and config_of(page)["solution"] is None


def test_two_explorers_on_one_page_have_different_ids():
    first, second = (explorers.cross_entropy_explorer(LOGITS, 3) for _ in range(2))
    ids = [set(re.findall(r'\bid="([^"]+)"', page.html)) for page in (first, second)]
    assert len(ids[0]) == 12 and not ids[0] & ids[1]  # title, select, 10 sliders
    assert re.sub(r'"ce(-\d+)?-', '"ce-', first.html) == re.sub(r'"ce(-\d+)?-', '"ce-',
                                                                  second.html)


def test_softmax_explorer_shows_nnbooks_softmax_and_hides_unused_scores():
    z = np.array([1.0, 2.0, 3.0, 4.0, -1.5])
    page = explorers.softmax_explorer(z, temperature=2.0)
    np.testing.assert_array_equal(column_values(page, "softmax-p"), activations.softmax(z / 2.0))
    np.testing.assert_allclose(column_values(page, "softmax-naive"),
                               np.exp(z / 2) / np.exp(z / 2).sum(), rtol=1e-15)
    hidden = re.findall(r'<div class="nnbook-slider" data-slider="(\w+)" hidden>', page.html)
    assert hidden == [f"z{k}" for k in range(5, 10)]
    assert page.html.count("<tr hidden>") == 5
    assert 'role="switch" data-role="shift"' in page.html and "add 1,000" in page.html
    assert config_of(page) == {"z": z.tolist(), "temperature": 2.0, "shift": 1000.0}


def test_cross_entropy_explorer_shows_the_loss_and_p_minus_y():
    page = explorers.cross_entropy_explorer(LOGITS, 3)
    assert data_value(page, "loss") == losses.sparse_cross_entropy([3], LOGITS[None])
    grad = losses.sparse_cross_entropy_grad([3], LOGITS[None])[0]
    np.testing.assert_array_equal(column_values(page, "ce-grad"), grad)
    np.testing.assert_allclose(column_values(page, "ce-p"), activations.softmax(LOGITS),
                               atol=1e-16)
    assert '<option value="3" selected>' in page.html
    assert sorted(slider_ids(page)) == sorted(f"z{k}" for k in range(10))


def test_numbers_are_written_as_the_page_writes_them():
    assert explorers._fmt(-0.00001) == "0.0000"
    assert explorers._fmt(-1.5, 1) == "\u22121.5"
    assert explorers._fmt(float("nan")) == "NaN" and explorers._num(float("nan")) == "NaN"
    assert float(explorers._num(0.1 + 0.2)) == 0.1 + 0.2
