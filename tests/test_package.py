"""The package's shape: its modules import one another in one direction only.

Every ``import`` statement of ``code/nnbook`` is read from the source, those
inside functions too (Python runs them late, so a cycle through them never
fails at import time, but it still ties two modules together for a reader).
"""

import ast

from conftest import ROOT

PACKAGE = ROOT / "code" / "nnbook"


def module_name(path, root):
    """``nnbook.checks._runner`` for ``<root>/nnbook/checks/_runner.py``; a package is its folder."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package):
    """``{module: set of the package's modules it imports}``, read from every ``.py`` file.

    ``from a.b import c`` counts as an import of ``a.b.c`` when that is a
    module, else of ``a.b``; relative imports are resolved. The package's own
    ``__init__`` is left out as a target: every submodule imports it anyway.
    """
    root = package.parent
    files = {module_name(path, root): path for path in package.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    here = name.split(".") if is_package else name.split(".")[:-1]
                    here = here[:len(here) - node.level + 1]
                    base = ".".join(here + ([base] if base else []))
                targets |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                            for alias in node.names}
        graph[name] = {t for t in targets if t in files and t not in (name, package.name)}
    return graph


def find_cycle(graph):
    """A list of modules that import each other in a ring (first = last), or None."""
    state = {}  # absent: not seen; 1: on the current path; 2: done

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def test_the_package_imports_form_no_cycle():
    graph = import_graph(PACKAGE)
    assert {"nnbook.models", "nnbook.scratch", "nnbook.pad"} <= set(graph)
    assert "nnbook.scratch" in graph["nnbook.models"]  # the high level uses the low level
    cycle = find_cycle(graph)
    assert cycle is None, "modules that import each other: " + " -> ".join(cycle)


def test_the_graph_sees_imports_inside_functions_and_relative_ones(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("import pkg.b\n")
    (pkg / "b.py").write_text("def f():\n    from pkg.sub import c\n    return c\n")
    (pkg / "sub" / "__init__.py").write_text("from . import c\n")
    (pkg / "sub" / "c.py").write_text("from ..a import x\n")
    graph = import_graph(pkg)
    assert graph == {"pkg": set(), "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.sub.c"},
                     "pkg.sub": {"pkg.sub.c"}, "pkg.sub.c": {"pkg.a"}}
    assert find_cycle(graph) == ["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]
    (pkg / "sub" / "c.py").write_text("import numpy\n")
    assert find_cycle(import_graph(pkg)) is None
