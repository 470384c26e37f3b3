"""Sphinx extension: execute the chapters that need it in parallel, one per core.

myst-nb executes the notebooks of a ``cache`` build one after the other, as
Sphinx reads them. Most of a chapter's time is spent in one Python process
(starting the kernel, importing TensorFlow, drawing figures), so on a
two-core machine two chapters at a time finish sooner. Before Sphinx reads
the chapters, this extension adds every chapter to be read to the
jupyter-cache project and runs jupyter-cache's own ``local-parallel``
executor on them. myst-nb then finds their outputs in the cache. A chapter
that fails here is left out of the cache, so myst-nb executes it again and
reports the error as usual.
"""

import logging
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor

MYST_READER = {"name": "myst_nb_md", "type": "plugin"}  # how myst-nb reads a .md notebook


def _is_notebook(path):
    return path.suffix == ".ipynb" or (path.suffix == ".md" and "kernelspec:" in path.read_text())


def _execute_in_parallel(app, env, docnames):
    config = app.config
    if config.nb_execution_mode != "cache" or not docnames:
        return
    cache = get_cache(config.nb_execution_cache_path)
    paths = [Path(env.doc2path(name)) for name in sorted(docnames)]
    uris = []
    for path in filter(_is_notebook, paths):
        read_data = None if path.suffix == ".ipynb" else MYST_READER
        uris.append(cache.add_nb_to_project(str(path), read_data=read_data).uri)
    kind = "temp-parallel" if config.nb_execution_in_temp else "local-parallel"
    executor = load_executor(kind, cache, logger=logging.getLogger(__name__))
    executor.run_and_cache(filter_uris=uris, timeout=config.nb_execution_timeout)


def setup(app):
    app.connect("env-before-read-docs", _execute_in_parallel)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
