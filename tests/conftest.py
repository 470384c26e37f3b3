"""Shared fixtures: one build of the whole book, reused by the build and browser tests."""

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before any test module imports TensorFlow

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


class BookBuild(NamedTuple):
    process: subprocess.CompletedProcess
    html: Path  # the folder of built pages


def build_book(source, output):
    """Build the book in ``source`` into ``output`` with the strict flags of ``make book``."""
    process = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(source), "--path-output", str(output),
         "--warningiserror", "--nitpick", "--keep-going"],
        capture_output=True,
        text=True,
    )
    return BookBuild(process, Path(output) / "_build" / "html")


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The whole book, built from scratch (empty cache) into a temporary folder."""
    if not JUPYTER_BOOK.exists():
        pytest.fail(f"jupyter-book not found at {JUPYTER_BOOK}; run the tests with `make test`")
    return build_book(ROOT, tmp_path_factory.mktemp("book"))
