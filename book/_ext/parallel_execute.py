"""Sphinx extension: execute the chapters that need it in parallel, one per core.

myst-nb executes the notebooks of a ``cache`` build one after the other, as
Sphinx reads them. Most of a chapter's time is spent in one Python process
(starting the kernel, importing TensorFlow, drawing figures), so on a
two-core machine two chapters at a time finish sooner. Before Sphinx reads
the chapters, this extension adds every chapter to be read to the
jupyter-cache project and runs them with jupyter-cache's own parallel
worker, the longest first (the largest file, a fair guess at the longest
run), so that no long chapter starts last. myst-nb then finds their outputs
in the cache. A chapter that fails here is left out of the cache, so myst-nb
executes it again and reports the error as usual.
"""

import multiprocessing
import os
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.executors.basic import (
    ExecutionWorkerLocalMProc,
    ExecutionWorkerTempMProc,
    ProcessData,
)

MYST_READER = {"name": "myst_nb_md", "type": "plugin"}  # how myst-nb reads a .md notebook


def _is_notebook(path):
    return path.suffix == ".ipynb" or (path.suffix == ".md" and "kernelspec:" in path.read_text())


def _execute_in_parallel(app, env, docnames):
    config = app.config
    if config.nb_execution_mode != "cache" or not docnames:
        return
    cache = get_cache(config.nb_execution_cache_path)
    paths = sorted((Path(env.doc2path(name)) for name in docnames),
                   key=lambda path: path.stat().st_size, reverse=True)
    uris = [cache.add_nb_to_project(str(path), read_data=None if path.suffix == ".ipynb"
                                    else MYST_READER).uri
            for path in paths if _is_notebook(path)]
    order = {uri: i for i, uri in enumerate(uris)}
    records = sorted(cache.list_unexecuted(uris), key=lambda record: order[record.uri])
    if not records:
        return
    worker = ExecutionWorkerTempMProc() if config.nb_execution_in_temp else ExecutionWorkerLocalMProc()
    jobs = [ProcessData(r.pk, r.uri, cache, config.nb_execution_timeout, False) for r in records]
    with multiprocessing.Pool(min(os.cpu_count() or 1, len(jobs))) as pool:
        list(pool.imap_unordered(worker, jobs, chunksize=1))


def setup(app):
    app.connect("env-before-read-docs", _execute_in_parallel)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
