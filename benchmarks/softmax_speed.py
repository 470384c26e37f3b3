"""Time ``nnbook.activations.softmax`` against ``scipy.special.softmax``.

Both run in the same process on the same (5000, 10) float64 array of scores
(seeded), so the ratio does not depend on how busy the machine is as much as
the absolute times do. Each function is timed with :mod:`timeit`: ``repeat``
rounds of ``number`` calls, and the best round is kept (the least disturbed
by other work on the machine).

Run from the repository root::

    .venv/bin/python benchmarks/softmax_speed.py

The goal is a ratio ours / SciPy of at most 1.5. This is a script,
not a test: nothing here asserts on time.
"""

import argparse
import timeit

import numpy as np
import scipy
import scipy.special

from nnbook.activations import softmax

GOAL = 1.5


def best_time(fn, z, number, repeat):
    """Best time per call, in seconds, of ``fn(z, axis=-1)`` over ``repeat`` rounds."""
    rounds = timeit.repeat(lambda: fn(z, axis=-1), number=number, repeat=repeat)
    return min(rounds) / number


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--m", type=int, default=5000, help="rows (examples), default 5000")
    parser.add_argument("--k", type=int, default=10, help="columns (classes), default 10")
    parser.add_argument("--number", type=int, default=200, help="calls per round, default 200")
    parser.add_argument("--repeat", type=int, default=7, help="rounds, default 7")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    z = rng.normal(scale=5.0, size=(args.m, args.k))  # float64 scores

    # Same answer first: a fast wrong function would be no use.
    ours, ref = softmax(z), scipy.special.softmax(z, axis=-1)
    max_diff = float(np.max(np.abs(ours - ref)))
    assert max_diff < 1e-12, f"nnbook and SciPy disagree by {max_diff:.2e}"

    t_ours = best_time(softmax, z, args.number, args.repeat)
    t_scipy = best_time(scipy.special.softmax, z, args.number, args.repeat)
    ratio = t_ours / t_scipy

    print(f"softmax of a ({args.m}, {args.k}) float64 array, axis=-1; "
          f"best of {args.repeat} rounds x {args.number} calls")
    print(f"numpy {np.__version__}, scipy {scipy.__version__}; max |difference| {max_diff:.1e}")
    print(f"{'function':<24}{'time per call':>16}")
    print(f"{'nnbook softmax':<24}{t_ours * 1e6:>13.1f} us")
    print(f"{'scipy.special.softmax':<24}{t_scipy * 1e6:>13.1f} us")
    verdict = "within" if ratio <= GOAL else "ABOVE"
    print(f"ratio nnbook / scipy: {ratio:.2f} ({verdict} the goal of {GOAL})")
    return ratio


if __name__ == "__main__":
    main()
