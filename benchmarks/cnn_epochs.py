"""Validation accuracy of the book's CNN epoch by epoch: does it still rise after 15 epochs?

The CNN chapter trains ``models.build_cnn(augment=False)`` for 15 epochs with
batches of 128. This script trains it for ``--epochs`` epochs (30) on the
training chapter's validation split, 3,200 images to fit and 800 to validate
(``data.train_test_split(X_train, y_train, test_size=800, seed=1)``, inside the
4,000 training images), with seeds 0, 1 and 2. It prints the validation
accuracy after every epoch, then, averaged over the seeds, the accuracy after
epoch 15 and the mean accuracy of the later epochs, and the standard error of
an accuracy measured on 800 images, :math:`\\sqrt{p (1 - p) / 800}`. The test
images are not used.

Run from the repository root (about 45 s per seed on 2 cores)::

    .venv/bin/python benchmarks/cnn_epochs.py

The exit status is 1 if the later epochs beat epoch 15 by more than one
standard error on average, that is if the chapter's "fifteen epochs are
enough" no longer holds.
"""

import argparse
import math
import statistics
import sys

from nnbook import data, models

CHOSEN = 15  # the chapter's epochs


def validation_curves(seeds, epochs):
    """One list of validation accuracies (one per epoch) for each seed."""
    X, y = data.load_mnist_subset()
    X_train, _, y_train, _ = data.train_test_split(X, y, test_size=1000, seed=0)
    X_fit, X_val, y_fit, y_val = data.train_test_split(X_train, y_train, test_size=800, seed=1)
    curves = []
    for seed in seeds:
        cnn = models.build_cnn(seed=seed, augment=False)
        history = models.train(cnn, X_fit, y_fit, epochs=epochs, batch_size=128,
                               validation_data=(X_val, y_val), seed=seed)
        curves.append(history.history["val_accuracy"])
    return curves, len(y_val)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args(argv)

    curves, n_val = validation_curves(args.seeds, args.epochs)
    for seed, curve in zip(args.seeds, curves):
        print(f"seed {seed}: " + " ".join(f"{a:.1%}" for a in curve))
    at_chosen = statistics.mean(curve[CHOSEN - 1] for curve in curves)
    later = statistics.mean(statistics.mean(curve[CHOSEN:]) for curve in curves)
    se = math.sqrt(at_chosen * (1 - at_chosen) / n_val)
    print(f"mean over the seeds: epoch {CHOSEN} {at_chosen:.2%}, "
          f"epochs {CHOSEN + 1}-{args.epochs} {later:.2%} "
          f"(standard error of one accuracy on {n_val} images: {se:.2%})")
    if later - at_chosen > se:
        print(f"the later epochs beat epoch {CHOSEN} by more than one standard error",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
