"""Tests of nnbook.timing: per-epoch times of a training that models.train would do."""

import numpy as np
import pytest

from nnbook import data, models, timing


@pytest.fixture(scope="module")
def small():
    X, y = data.load_mnist_subset()
    X_train, _, y_train, _ = data.train_test_split(X, y, test_size=1000, seed=0)
    return X_train[:600], y_train[:600]


@pytest.mark.parametrize("clock", ["wall", "cpu"])
def test_one_time_per_epoch_inside_the_fit_call(small, clock):
    model = models.build_mlp(seed=0)
    now = timing.CLOCKS[clock]
    start = now()
    seconds = timing.epoch_seconds(model, *small, epochs=3, clock=clock)
    total = now() - start
    assert seconds.shape == (3,) and np.all(seconds > 0)
    assert seconds.sum() < total


@pytest.mark.parametrize("steps_per_execution", [1, 1000])
def test_trains_as_models_train_does(small, steps_per_execution):
    weights = []
    for run in (models.train, timing.epoch_seconds):
        model = models.build_mlp(seed=0)
        model.steps_per_execution = steps_per_execution
        run(model, *small, epochs=2, batch_size=32, seed=3)
        weights.append(model.get_weights())
    for ours, reference in zip(*weights):
        np.testing.assert_array_equal(ours, reference)


def test_bad_arguments_name_the_problem(small):
    X, y = small
    model = models.build_mlp(seed=0)
    with pytest.raises(TypeError, match="keras.Model"):
        timing.epoch_seconds("model", X, y)
    uncompiled = models.keras.Sequential([models.keras.Input(shape=(784,)),
                                          models.keras.layers.Dense(10)])
    with pytest.raises(ValueError, match="compiled"):
        timing.epoch_seconds(uncompiled, X, y)
    with pytest.raises(ValueError, match="784"):
        timing.epoch_seconds(model, X[:, :400], y)
    with pytest.raises(ValueError, match="epochs"):
        timing.epoch_seconds(model, X, y, epochs=0)
    with pytest.raises(ValueError, match="clock"):
        timing.epoch_seconds(model, X, y, clock="gpu")
