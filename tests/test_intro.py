"""The introduction stays true to the book: its roadmap and its "whole game" code.

The roadmap numbers the chapters as the sidebar does (the numbered parts of
``_toc.yml``), and the whole classifier it shows in one screen, which the page
does not execute, still runs against ``nnbook``.
"""

import re

import matplotlib
import yaml

from conftest import ROOT

INTRO = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")


def numbered_chapters():
    """The chapters of the numbered parts of ``_toc.yml``, in order, as ``book/<name>``."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [chapter["file"] for part in toc["parts"] if part.get("numbered")
            for chapter in part["chapters"]]


def test_the_roadmap_numbers_the_chapters_as_the_table_of_contents():
    roadmap = INTRO.split("## What you will learn, in order", 1)[1].split("\n## ", 1)[0]
    items = re.findall(r"^(\d+)\. \*\*\{doc\}`[^<`]+<([\w/]+)>`\*\*", roadmap, flags=re.M)
    assert [int(number) for number, _ in items] == list(range(1, len(items) + 1))
    assert [f"book/{doc}" for _, doc in items] == numbered_chapters()


def test_the_whole_game_runs():
    code = re.search(r"## The whole game.*?```python\n(.*?)```", INTRO, flags=re.S).group(1)
    assert "epochs=40" in code
    matplotlib.use("Agg")
    namespace = {}
    exec(code.replace("epochs=40", "epochs=1"), namespace)  # one epoch: the calls, not the accuracy
    pred, y_test = namespace["pred"], namespace["y_test"]
    assert pred.shape == y_test.shape and (pred == y_test).mean() > 0.5
