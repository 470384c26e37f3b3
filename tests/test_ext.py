"""Fast tests of the book's two Sphinx extensions (book/_ext), without a build."""

import sys
from types import SimpleNamespace

from conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import code_cache  # noqa: E402  (book/_ext is not a package)
import dedupe_scripts  # noqa: E402


def test_code_hash_follows_python_files_only(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "module.py").write_text("VALUE = 1\n")
    first = code_cache.code_hash(tmp_path)
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"\0\1")
    (tmp_path / "notes.txt").write_text("an editor's file")
    assert code_cache.code_hash(tmp_path) == first
    (tmp_path / "pkg" / "module.py").write_text("VALUE = 2\n")
    assert code_cache.code_hash(tmp_path) != first


def test_dedupe_keeps_one_copy_of_an_inline_script():
    def script(filename, body):
        return SimpleNamespace(filename=filename, attributes={"body": body})

    thebe = "const THEBE_JS_URL = '...'"
    scripts = [script("a.js", ""), script(None, thebe), script("", thebe), script(None, "other")]
    context = {"script_files": scripts}
    dedupe_scripts._dedupe(None, "page", "page.html", context, None)
    assert [s.attributes["body"] for s in context["script_files"]] == ["", thebe, "other"]
