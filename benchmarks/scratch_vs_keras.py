"""Seconds per training epoch of the course network: NumPy (``nnbook.scratch``) against Keras.

Both train the course architecture, 784 -> 25 -> 15 -> 10, on the 4,000
training images of ``data.train_test_split(X, y, test_size=1000, seed=0)``
with Adam (learning rate 1e-3) and mini-batches of 32, in the same process:

- NumPy: ``nnbook.scratch.MLP.fit``, float32;
- Keras: ``nnbook.models.build_mlp`` + ``nnbook.models.train`` (``model.fit``).

Each first trains one epoch untimed (Keras traces its training function then,
NumPy warms its caches), then runs ``--rounds`` rounds of ``--epochs`` epochs
each, alternating between the two; the best round of each is kept (the least
disturbed by other work on the machine). It prints the seconds per epoch of
each, their ratio NumPy / Keras, and both models' held-out accuracy.

Run from the repository root::

    .venv/bin/python benchmarks/scratch_vs_keras.py

The goal is a ratio of at most 1.0. This is a script, not a test:
nothing here asserts on time.
"""

import argparse
import time

from nnbook import data, models, scratch

GOAL = 1.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10, help="epochs per round, default 10")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, default 3")
    args = parser.parse_args(argv)

    X, y = data.load_mnist_subset()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=1000, seed=0)

    model = models.build_mlp(seed=0, learning_rate=1e-3)
    mlp = scratch.MLP((784, *models.COURSE_UNITS, 10), seed=0)
    adam = scratch.Adam(1e-3)  # one optimiser for every round, as Keras keeps its own

    def numpy_epochs(epochs):
        start = time.perf_counter()
        mlp.fit(X_train, y_train, epochs=epochs, batch_size=32, optimizer=adam, seed=epochs)
        return time.perf_counter() - start

    def keras_epochs(epochs):
        return models.train(model, X_train, y_train, epochs=epochs, batch_size=32).seconds

    numpy_epochs(1)  # warm-up, untimed
    keras_epochs(1)
    numpy_times, keras_times = [], []
    for _ in range(args.rounds):
        numpy_times.append(numpy_epochs(args.epochs) / args.epochs)
        keras_times.append(keras_epochs(args.epochs) / args.epochs)

    numpy_best, keras_best = min(numpy_times), min(keras_times)
    ratio = numpy_best / keras_best
    total = 1 + args.rounds * args.epochs
    print(f"course network 784-25-15-10, Adam 1e-3, batch 32, {len(X_train)} images, "
          f"{args.rounds} rounds of {args.epochs} epochs (best round kept)")
    print(f"  NumPy (nnbook.scratch): {numpy_best * 1e3:7.1f} ms per epoch  "
          f"(rounds: {', '.join(f'{t * 1e3:.1f}' for t in numpy_times)})")
    print(f"  Keras (model.fit):      {keras_best * 1e3:7.1f} ms per epoch  "
          f"(rounds: {', '.join(f'{t * 1e3:.1f}' for t in keras_times)})")
    print(f"  ratio NumPy / Keras: {ratio:.2f} "
          f"({'meets' if ratio <= GOAL else 'misses'} the goal of <= {GOAL})")
    print(f"  held-out accuracy after {total} epochs: "
          f"NumPy {mlp.accuracy(X_test, y_test):.3f}, "
          f"Keras {models.evaluate(model, X_test, y_test)['accuracy']:.3f}")
    return ratio


if __name__ == "__main__":
    main()
