"""Train the course MLP and the improved MLP; print test accuracy and training time.

    .venv/bin/python benchmarks/train_models.py

Both models learn from the 4,000 training images of
``data.train_test_split(X, y, test_size=1000, seed=0)`` and are tested on the
1,000 held-out images. Seeds are fixed, so the accuracies repeat on the same
machine; the seconds depend on the machine and its load.
"""

import os
import platform

from nnbook import data, models

RUNS = [
    # name, builder, epochs, batch size
    ("course 784-25-15-10, Adam 1e-3", models.build_mlp, 40, 32),
    ("improved 784-256-128-10, dropout 0.3", models.build_improved_mlp, 30, 32),
]


def main():
    X, y = data.load_mnist_subset()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=1000, seed=0)
    print(f"train {len(y_train)} images, test {len(y_test)} images; "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"Keras {models.keras.__version__}")
    header = f"{'model':<40} {'params':>8} {'epochs':>6} {'batch':>5} {'test acc':>8} {'train s':>8}"
    print(header)
    print("-" * len(header))
    for name, build, epochs, batch_size in RUNS:
        model = build(seed=0)
        history = models.train(model, X_train, y_train, epochs=epochs, batch_size=batch_size,
                               seed=0)
        accuracy = models.evaluate(model, X_test, y_test)["accuracy"]
        print(f"{name:<40} {model.count_params():>8,} {epochs:>6} {batch_size:>5} "
              f"{accuracy:>8.1%} {history.seconds:>8.1f}")


if __name__ == "__main__":
    main()
