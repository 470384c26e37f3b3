"""Sphinx extension: re-execute the chapters whenever the code they import changes.

jupyter-cache keys a notebook's outputs on the notebook's own cells, so a
change to ``code/nnbook`` alone would leave stale outputs in the book (an open
upstream issue, executablebooks/MyST-NB#299). This extension hashes every
``*.py`` file under the ``nnbook_code_dir`` folder and points myst-nb's
execution cache at a sub-folder named after that hash. ``nb_execution_cache_path`` is an "env" setting, so a new hash also makes
Sphinx re-read every chapter, which then misses the (new, empty) cache and runs
again. Caches of older hashes are deleted (so switching back and forth
between two versions of the code executes the chapters each time).
"""

import hashlib
import shutil
from pathlib import Path


def code_hash(folder):
    """Return a short SHA-256 of the names and contents of the ``*.py`` files under ``folder``."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(folder).as_posix()
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _find_code_dir(srcdir, name):
    """``name`` if absolute, else the first ``folder/name`` from ``srcdir`` upwards.

    Looking upwards lets a single-page build (whose source folder is ``book/``)
    find the same ``code/`` as a build of the whole book.
    """
    for folder in [Path(srcdir), *Path(srcdir).parents]:
        if (folder / name).is_dir():
            return folder / name
    raise FileNotFoundError(f"nnbook_code_dir {name!r} is not a folder in {srcdir} or above")


def _use_hashed_cache(app, config):
    code_dir = _find_code_dir(app.srcdir, config.nnbook_code_dir)
    base = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    current = base / code_hash(code_dir)
    if base.is_dir():
        for old in base.iterdir():
            if old.is_dir() and old != current:
                shutil.rmtree(old)
    config.nb_execution_cache_path = str(current)


def setup(app):
    app.add_config_value("nnbook_code_dir", "code", "env", str)
    app.connect("config-inited", _use_hashed_cache)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
