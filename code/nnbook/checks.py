"""Friendly checks for the exercises.

Each ``check_*`` function runs the reader's code on named cases, prints one
line per case (``PASS`` or ``FAIL`` with what was expected and what came back)
and returns ``True`` only when every case passes. They are the friendly
version of a graded lab's tests: they explain, they do not just fail.
"""

import numpy as np

__all__ = []


def _call(fn, *args):
    """Call the reader's ``fn``; return ``(result, None)`` or ``(None, problem)``."""
    try:
        return fn(*args), None
    except Exception as err:  # the reader's code may raise anything
        return None, f"your function raised {type(err).__name__}: {err}"


def _compare(got, expected, atol=1e-6):
    """Return ``None`` if ``got`` matches ``expected``, else a short explanation."""
    expected = np.asarray(expected)
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"expected numbers like {expected.round(4).tolist()}, got {got!r}"
    if got.shape != expected.shape:
        return f"expected shape {expected.shape}, got shape {got.shape}"
    if not np.all(np.isfinite(got)) and np.all(np.isfinite(expected)):
        return f"got non-finite values {np.round(got, 4).tolist()} (NaN or inf)"
    if not np.allclose(got, expected, rtol=0, atol=atol):
        return f"expected {np.round(expected, 4).tolist()}, got {np.round(got, 4).tolist()}"
    return None


def _report(title, results):
    """Print one line per ``(case, problem)`` (``problem`` None when it passed).

    Returns ``True`` when every case passed.
    """
    print(title)
    for case, problem in results:
        print(f"  PASS  {case}" if problem is None else f"  FAIL  {case}: {problem}")
    n_passed = sum(problem is None for _, problem in results)
    all_passed = n_passed == len(results)
    verdict = "all passed, well done!" if all_passed else "fix the failures above and run again."
    print(f"{n_passed} of {len(results)} checks passed: {verdict}")
    return all_passed
