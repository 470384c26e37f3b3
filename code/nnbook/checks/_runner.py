"""The one runner of the exercise checks, and how to write a check.

A check runs the reader's answer on named cases and prints a report: one
``PASS`` or ``FAIL`` line per case, where a failure says what is wrong and
why, in words; then the verdict, "n of N checks passed". It returns None.

The contract
------------
Whatever the reader hands a check, it prints a report and returns None: no
``Exception`` comes out of it (``KeyboardInterrupt`` and ``SystemExit`` do,
so that an answer that loops can be stopped). :func:`checker` holds the
contract for every public ``check_*``:

- called the wrong way (no argument, too many, a wrong keyword), the report
  says how to call it;
- given something that is not a function (the function's result, a string,
  a Keras model, None), the report says to pass the function itself;
- an untouched stub (a body of ``...`` or ``pass``) gets one line;
- if the check itself breaks on an answer, the report says so instead of a
  traceback (the tests make sure that this never happens).

:func:`run` holds the rest, case by case: the reader's function gets deep
copies of the case's inputs (a Keras model's weights are put back after each
call), so that no call can change the next; an answer that raises, returns
None, a string, a list where an array is asked, the wrong number of values,
NaN or inf, is a FAIL line that says so. NumPy's overflow, invalid-value and
divide-by-zero warnings fail a case; any other warning (a library's
``DeprecationWarning``, a Keras ``UserWarning``) is a note under the cases.

Writing a check
---------------
A check is a module of the chapter's name with its cases at the top, the
wrong answers it recognises, and the public ``check_*``::

    CASES = [("a vector", np.array([1.0, -2.0])), ("a batch", np.ones((2, 3)))]
    WRONG = [  # (name, wrong_fn, hint): a typical mistake, recognised by its value
        ("doubled", lambda z: 2 * z, "this is 2 z: the square multiplies z by itself"),
    ]

    @checker("check_square(my_square)", WRONG)
    def check_square(fn):
        \"\"\"Check ``fn(z) -> z**2``, element by element, for an array ``z``.\"\"\"
        run("check_square: your square", fn, CASES, np.square, [WRONG],
            answer="an array of z's shape")

``reference(*args)`` is the right answer: an array (the answer must be an
array, not a list), a number, a tuple of numbers or arrays (that many
values), a string, or an exception class (the answer must raise; any
exception will do). ``diagnose`` is a list of steps tried in order for a
failed case until one gives a hint: a table of ``(name, wrong_fn, hint)``
rows, which :func:`run` matches by value (a row whose ``wrong_fn`` gives the
reader's answer on this case and on every other case wins over one that
agrees on this case only), or a function ``step(attempt)`` returning a hint
or None, for what a value cannot express: a shape, an error's text, a
warning. A hint says what is wrong and why, in words, and may point to the
exercise's hints; it never gives the code of the fix. ``unchanged=(case,
args)`` adds a case that fails when ``fn`` changes its inputs, for the
exercises that say so; ``rule(attempt)`` fails a right answer that broke
another of the exercise's rules (``check_choose_learning_rate``: a read of
the test accuracies). A check of something other than a function
(``check_model``, ``check_relu_units``) prints its ``(case, problem)``
pairs with :func:`report`; ``check_backward`` calls the function once, with
:func:`call_on_copies`.

The tests run every row of every table as an answer and expect its hint
(``tests/test_checks.py``); a new check also gets its rows in the corpus of
learner-style answers (``tests/test_checks_corpus.py``), right, wrong and
misused, and its right answer in the property tests
(``tests/test_checks_properties.py``).
"""

import copy
import dis
import functools
import inspect
import re
import textwrap
import warnings
from typing import NamedTuple

import numpy as np

_NUMERIC = ("overflow", "invalid value", "divide by zero")


class Attempt(NamedTuple):
    """One call of the reader's function on one case, as a diagnosis step sees it."""

    args: tuple  # the case's inputs, as they were (the function got copies)
    given: tuple  # the copies the function got, after the call
    expected: object  # reference(*args)
    raw: object  # what the function returned, as it is
    got: object  # ``raw`` as a float array (a str as it is); None if it raised or is not numbers
    error: str  # "your function raised ...", or ""
    warnings: tuple  # NumPy's numeric warnings, such as "overflow encountered in exp"
    fn: object  # the reader's function, for a step that needs to try it on other inputs

    def call(self, *args):
        """``fn(*args)`` on copies, as a float array, or None if it raised or gave no numbers."""
        return numbers(call_on_copies(self.fn, args)[0])


def _is_keras_model(value):
    return all(hasattr(value, name) for name in ("layers", "get_weights", "set_weights"))


def call_on_copies(fn, args):
    """``fn`` on deep copies of ``args`` (a Keras model's weights are put back after it).

    Returns ``(result, raised, numeric warnings, notes of other warnings, copies)``.
    """
    models = [a for a in args if _is_keras_model(a)]
    weights = [m.get_weights() for m in models]
    copies = copy.deepcopy(tuple(args), {id(m): m for m in models})
    result, raised = None, None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
            try:
                result = fn(*copies)
            except Exception as err:  # the reader's code may raise anything
                raised = err
    for model, saved in zip(models, weights):
        model.set_weights(saved)
    said = list(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))
    numeric = tuple(s.split(": ", 1)[1] for s in said
                    if s.startswith("RuntimeWarning") and any(n in s for n in _NUMERIC))
    other = tuple(f"your function gave a warning, which does not change the verdict: {s}"
                  for s in said if not (s.startswith("RuntimeWarning")
                                        and any(n in s for n in _NUMERIC)))
    return result, raised, numeric, other, copies


def numbers(value):
    """``value`` as a float array, or None for anything that is not real numbers."""
    if value is None or isinstance(value, (str, bytes, dict, set)):
        return None
    try:  # the value may be any object, whose conversion may raise anything
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = np.asarray(value)
            if values.dtype.kind in "USVcM" or values.dtype.kind == "O" and any(
                    isinstance(v, (str, bytes, complex)) for v in values.flat):
                return None
            return values.astype(float)
    except Exception:
        return None


def _is_complex(value):
    try:
        return np.asarray(value).dtype.kind == "c"
    except Exception:  # not an array at all
        return False


def is_stub(fn):
    """True for a function whose body does nothing (``...``, ``pass``): an exercise's stub."""
    if getattr(fn, "__name__", "") == "<lambda>":
        return False
    try:
        steps = list(dis.get_instructions(fn))
    except TypeError:  # a builtin or a callable object
        return False
    return all(step.opname in ("RESUME", "NOP", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST")
               and (step.opname not in ("LOAD_CONST", "RETURN_CONST") or step.argval is None)
               for step in steps)


def not_a_function(fn, usage):
    """What is wrong with ``fn`` as the reader's function (a sentence), or None."""
    if _is_keras_model(fn):
        return (f"got a Keras model; this check takes your function, as in {usage}. "
                "The check gives your function the model")
    if callable(fn):
        return None
    return (f"got {describe(fn)}, not a function: pass your function itself, without parentheses "
            f"after its name, as in {usage}")


def rounded(values):
    """``values`` as a list (or a number), to 4 decimals (4 significant digits below 0.001)."""
    values = np.asarray(values, dtype=float)

    def one(x):
        x = float(x)
        return float(f"{x:.4g}") if 0 < abs(x) < 1e-3 else round(x, 4)

    return [rounded(row) for row in values] if values.ndim else one(values)


def short(values, limit=12):
    """``values`` rounded, or their shape when there are more than ``limit`` of them."""
    values = np.asarray(values)
    return f"an array of shape {values.shape}" if values.size > limit else str(rounded(values))


def _kind_problem(raw, expected, answer):
    """What is wrong with the kind of ``raw`` (None, a string, a list, a length), or None."""
    said = f"the answer is {answer}" if answer else "the answer is numbers"
    if raw is None:
        return "your function returned None: did you forget the return statement?"
    if isinstance(raw, (bool, np.bool_)):
        return f"your function returned {bool(raw)}, a bool; {said}"
    if isinstance(expected, str):
        return None if isinstance(raw, str) else f"your function returned {describe(raw)}; {said}"
    if isinstance(raw, (str, bytes)):
        return f"your function returned a string, {raw[:30]!r}, not numbers; {said}"
    if isinstance(expected, np.ndarray) and isinstance(raw, (list, tuple)):
        return (f"your function returned a Python {type(raw).__name__}, not a NumPy array; "
                f"{said}")
    if np.ndim(expected) == 0 and not isinstance(expected, tuple) and isinstance(
            raw, (list, tuple, dict)):
        return f"your function returned {describe(raw)}; {said}"
    if isinstance(expected, tuple) and (
            not isinstance(raw, (tuple, list, np.ndarray)) or getattr(raw, "ndim", 1) == 0
            or len(raw) != len(expected)):
        return f"your function returned {describe(raw)}; {said}"
    if _is_complex(raw):
        return f"your function returned complex numbers; {said}"
    if numbers(raw) is None:
        return f"your function returned {describe(raw)}, not numbers; {said}"
    return None


def describe(raw):
    """A few words for what came back: "a list of 3 values", "one array of shape (2,)", "3.5"."""
    if isinstance(raw, (list, tuple)):
        return f"a {type(raw).__name__} of {len(raw)} value{'s' * (len(raw) != 1)}"
    if isinstance(raw, np.ndarray) and raw.ndim:
        return f"one array of shape {raw.shape}"
    try:
        text = repr(raw)
    except Exception:  # an object whose repr breaks
        text = ""
    return text if 0 < len(text) <= 40 else f"a {type(raw).__name__}"


def same(got, guess, atol):
    """True when two answers agree: equal strings, or arrays of one shape within ``atol``."""
    if isinstance(got, str) or isinstance(guess, str):
        return got == guess
    if got is None or guess is None or np.shape(got) != np.shape(guess):
        return False
    return bool(np.allclose(got, guess, rtol=0, atol=atol, equal_nan=True))


def _compare(got, expected, atol):
    """None if the numbers ``got`` match ``expected``; else what differs."""
    if isinstance(expected, str):
        return None if got == expected else f"expected {expected!r}, got {got!r}"
    expected = np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        return f"expected shape {expected.shape}, got shape {got.shape}"
    if not np.all(np.isfinite(got)):
        return f"your function returned non-finite values (NaN or inf): {short(got)}"
    close = np.isclose(got, expected, rtol=0, atol=atol)
    if np.all(close):
        return None
    if expected.size <= 12:
        return f"expected {rounded(expected)}, got {rounded(got)}"
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    n_wrong = int(np.sum(~close))
    return (f"{n_wrong} of the {expected.size} entries {'is' if n_wrong == 1 else 'are'} wrong; "
            f"the first, at index {list(first)}, should be {expected[first]:.6g}, not "
            f"{got[first]:.6g}")


def expects_error(expected):
    return isinstance(expected, type) and issubclass(expected, BaseException)


def _attempt(fn, args, expected, atol, answer, rule):
    """Call ``fn`` on ``args``: ``(Attempt, wrong, notes)``, ``wrong`` None when it is right."""
    raw, raised, numeric, notes, copies = call_on_copies(fn, args)
    error = "" if raised is None else f"your function raised {type(raised).__name__}: {raised}"
    got = raw if isinstance(raw, str) and isinstance(expected, str) else numbers(raw)
    if expects_error(expected):
        wrong = None if raised is not None else (
            f"expected an error (any exception), got {describe(raw)}")
    else:
        wrong = error or _kind_problem(raw, expected, answer) or _compare(got, expected, atol)
    if wrong is None and numeric:
        wrong = "right answer, but NumPy warned: " + "; ".join(numeric)
    found = Attempt(tuple(args), copies, expected, raw, None if error else got, error, numeric,
                    fn)
    if wrong is None and rule is not None:
        wrong = rule(found)
    return found, wrong, notes


def _guess(wrong_fn, args, memo):
    """What ``wrong_fn`` gives on ``args`` (copies), quietly; None if it raises."""
    key = (id(wrong_fn), id(args))
    if key not in memo:
        result, raised = call_on_copies(wrong_fn, args)[:2]
        memo[key] = None if raised is not None else (
            result if isinstance(result, str) else numbers(result))
    return memo[key]


def _table_hint(table, found, others, atol, memo):
    """The hint of the row whose wrong answer is the reader's: one that agrees on every
    case first, else one that agrees on this case only."""
    right = found.expected if isinstance(found.expected, str) else numbers(found.expected)
    candidates = []
    for _, wrong_fn, hint in table:
        here = _guess(wrong_fn, found.args, memo)
        if same(found.got, here, atol) and not same(right, here, atol):
            everywhere = all(a.got is None or same(a.got, _guess(wrong_fn, a.args, memo), atol)
                             for a in others)
            candidates.append((not everywhere, hint))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def _hint(found, wrong, diagnose, others, atol, memo):
    """The first hint that a step of ``diagnose`` gives for ``wrong``, or None."""
    for step in diagnose:
        hint = step(found) if callable(step) else _table_hint(step, found, others, atol, memo)
        if hint and hint not in wrong:
            return hint
    return None


def run(title, fn, cases, reference, diagnose=(), atol=1e-6, unchanged=None, answer=None,
        rule=None):
    """Run the reader's ``fn`` on each ``(name, *args)`` case and print the report.

    ``reference(*args)`` is the right answer; ``diagnose`` and ``unchanged``
    are described in the module's docstring; ``answer`` says in a few words
    what the answer is ("an array of z's shape"); ``rule(attempt)``, if given,
    can fail a right answer that broke one of the exercise's rules (it read
    what it must not read, say). Prints the report; returns None.
    """
    notes, found = [], []
    for name, *args in cases:
        attempt, wrong, said = _attempt(fn, args, reference(*args), atol, answer, rule)
        found.append((name, attempt, wrong))
        notes += said
    others, memo, results, said = [a for _, a, _ in found], {}, [], {}
    for name, attempt, wrong in found:
        hint = wrong and _hint(attempt, wrong, diagnose, others, atol, memo)
        if hint:  # said in full once; a later case with the same hint refers to it
            full = f"{wrong}. {hint[0].upper()}{hint[1:]}"
            wrong = full if said.get(hint, full) == full else f"{wrong}. The same reason as above"
            said.setdefault(hint, full)
        results.append((name, wrong))
    if unchanged is not None:
        name, args = unchanged
        _, _, _, said, copies = call_on_copies(fn, args)
        notes += said
        results.append((name, _changed(args, copies)))
    report(f"{title} on {len(results)} cases", results, notes)


def _changed(before, after):
    """A FAIL text if an array in ``after`` differs from the one in ``before``, else None."""
    for old, new in zip(before, after):
        if isinstance(old, np.ndarray) and not (
                isinstance(new, np.ndarray) and old.shape == new.shape
                and np.array_equal(old, new, equal_nan=True)):
            change = (f"from {old.tolist()} to {np.asarray(new).tolist()}" if old.size <= 12
                      else f"(an array of shape {old.shape})")
            return (f"your function changed its input {change}; the exercise asks for new "
                    "arrays, leaving the ones it is given as they were")
    return None


def wrap(text, width=68, indent=8):
    """``text`` wrapped to ``width`` columns, indented; a call such as ``np.sum(e, axis=0)``
    is kept whole."""
    keep = re.sub(r"np\.\w+\((?:[^()]|\([^()]*\))*\)", lambda m: m[0].replace(" ", "\0"), text)
    wrapped = textwrap.fill(keep, width=width, initial_indent=" " * indent,
                            subsequent_indent=" " * indent, break_long_words=True,
                            break_on_hyphens=False)
    return wrapped.replace("\0", " ")


def report(title, results, notes=()):
    """Print ``title``, one line per ``(case, problem)`` (None: passed), the notes, the verdict.

    A problem already said for an earlier case is not repeated in full.
    """
    print(title)
    said = []
    for case, problem in results:
        if problem is None:
            print(f"  PASS  {case}")
            continue
        print(f"  FAIL  {case}:\n" + wrap(problem if problem not in said else
                                          "the same problem as in the case above"))
        said.append(problem)
    for note in dict.fromkeys(notes):
        print(f"  note:\n{wrap(note)}")
    n_passed = sum(problem is None for _, problem in results)
    verdict = ("all passed, well done!" if n_passed == len(results)
               else "fix the failures above and run again.")
    print(f"{n_passed} of {len(results)} checks passed: {verdict}")


def checker(usage, wrong_answers=()):
    """Decorate a public ``check_*`` with the contract: a report, never an exception.

    ``usage`` shows how the check is called, such as ``"check_relu(my_relu)"``.
    A check whose first parameter is ``fn`` gets it only once it is a function
    and not an untouched stub. ``wrong_answers`` are the check's ``(name,
    wrong_fn, hint)`` rows, kept on the check as ``wrong_answers`` for the tests.
    """
    def decorate(check):
        signature = inspect.signature(check)
        name = check.__name__

        @functools.wraps(check)
        def contract(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as err:
                report(f"{name}: how to call it", [("calling the check", (
                    f"{err}. Call it as {usage}"))])
                return None
            if "fn" in bound.arguments and _unusable(bound.arguments["fn"], name, usage):
                return None
            try:
                check(*args, **kwargs)
            except Exception as err:  # a bug in the check: a report, not a traceback
                report(name, [("the check ran on your answer", (
                    f"the check itself failed on this answer ({type(err).__name__}: {err}). "
                    "This is a bug in nnbook's check, not necessarily in your answer"))])
            return None

        contract.wrong_answers = wrong_answers
        return contract
    return decorate


def _unusable(fn, name, usage):
    """Report a misuse or an untouched stub and return True; False when ``fn`` can be run."""
    problem = not_a_function(fn, usage)
    if problem is not None:
        report(f"{name}: your answer", [("you gave the check your function", problem)])
        return True
    if is_stub(fn):
        stub = getattr(fn, "__name__", "your function")
        report(f"{name}: your answer", [(f"{stub} is written", (
            f"{stub} is still the stub (its body is ...): write it, then run this cell again"))])
        return True
    return False
