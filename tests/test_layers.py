"""The package's layers, enforced: who may import whom.

    settings, contracts   the shared vocabulary (imported by every layer)
    ingest/               the only writer of the extracts' database
    engine/               every figure, judged: no Streamlit, no Plotly
    charts/               pure Plotly on one theme: no Streamlit
    complaints/, plan/    figures for their pillar pages (mirroring queries/complaints, plan)
    governance/           access rules, the app's own database, commentary
    reports/              pack, annual report, PDF, snapshots: never the UI
    ui/                   the only modules that import Streamlit
    digest                a command (python -m scorecard.digest): a shim onto reports/ only

The sample generator lives in tools/, outside the runtime package: nothing in scorecard/
imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scorecard"
LAYERS = ("ingest", "engine", "charts", "complaints", "plan", "governance", "reports", "ui")
SHARED = {"settings", "contracts"}
ENTRY_POINTS = {"digest"}  # flat commands (python -m scorecard.<name>): shims onto reports/
# what each layer may import from inside the package (besides itself and the shared modules)
ALLOWED = {
    "engine": set(),
    "charts": {"engine"},
    "ingest": {"engine"},
    "governance": {"engine"},
    "complaints": {"engine", "charts"},
    "plan": {"engine"},
    "reports": {"engine", "charts", "complaints", "plan", "governance", "ingest"},
    "ui": set(LAYERS),
}
OUTSIDE = {  # third-party packages a layer must not import
    "engine": {"streamlit", "plotly"},
    "ingest": {"streamlit", "plotly"},
    "governance": {"streamlit", "plotly"},
    "plan": {"streamlit", "plotly"},
    "charts": {"streamlit"},
    "complaints": {"streamlit"},
    "reports": {"streamlit"},
}


def imports(source: str, module: str) -> set[str]:
    """Every module a source file imports, anywhere in it (functions included), as absolute
    dotted names; `module` is the file's own dotted name, for relative imports."""
    package = module.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module
            out.add(stem)
            out |= {f"{stem}.{alias.name}" for alias in node.names}
    return out


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        yield ".".join(parts), parts, path


def _layer(parts: tuple[str, ...]) -> str | None:
    return parts[1] if len(parts) > 2 and parts[1] in LAYERS else None


def violations() -> list[str]:
    """Every import that crosses a layer the wrong way."""
    found = []
    for name, parts, path in _modules():
        layer = _layer(parts)
        for target in imports(path.read_text(encoding="utf-8"), name):
            top = target.split(".")[0]
            if top == "tools":
                found.append(f"{name} imports {target}: the sample generator is not runtime")
            if top == "streamlit" and layer != "ui":
                found.append(f"{name} imports Streamlit: only scorecard/ui may")
            if layer and top in OUTSIDE.get(layer, set()):
                found.append(f"{name} imports {top}: {layer}/ must not")
            if (
                len(parts) == 2
                and parts[1] in ENTRY_POINTS
                and top == "scorecard"
                and not target.startswith("scorecard.reports.")
            ):
                found.append(f"{name} imports {target}: an entry point may import only reports/")
            if top != "scorecard" or not layer:
                continue
            inner = target.split(".")
            other = inner[1] if len(inner) > 1 else None
            if other in LAYERS and other != layer and other not in ALLOWED[layer]:
                found.append(f"{name} imports {target}: {layer}/ may not depend on {other}/")
    return sorted(set(found))


def test_every_layer_imports_only_what_it_may():
    assert violations() == []


def test_the_layers_are_folders_and_only_the_vocabulary_is_flat():
    flat = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert flat == SHARED | ENTRY_POINTS
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(
        LAYERS
    )
    assert not (ROOT / "pages").exists()  # Streamlit would take a pages/ folder as its menu


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("scorecard.engine.x", "import streamlit as st", {"streamlit"}),
        (
            "scorecard.engine.x",
            "def f():\n    from ..ui import views\n",
            {"scorecard.ui", "scorecard.ui.views"},
        ),
        (
            "scorecard.reports.pack",
            "from ..ui.views import spc_table",
            {"scorecard.ui.views", "scorecard.ui.views.spc_table"},
        ),
        ("scorecard.ui.pages.a", "from ... import ingest", {"scorecard", "scorecard.ingest"}),
    ],
)
def test_imports_are_found_wherever_they_hide(module, source, expected):
    assert imports(source, module) == expected


def test_a_forbidden_import_is_reported(tmp_path, monkeypatch):
    """The check is not vacuous: a chart module that imports Streamlit and an engine module
    that reaches into the UI are both reported."""
    fake = tmp_path / "scorecard"
    for layer, text in (
        ("charts", "import streamlit\n"),
        ("engine", "def f():\n    from ..ui import views\n"),
    ):
        (fake / layer).mkdir(parents=True)
        (fake / layer / "bad.py").write_text(text, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert violations() == [
        "scorecard.charts.bad imports Streamlit: only scorecard/ui may",
        "scorecard.charts.bad imports streamlit: charts/ must not",
        "scorecard.engine.bad imports scorecard.ui.views: engine/ may not depend on ui/",
        "scorecard.engine.bad imports scorecard.ui: engine/ may not depend on ui/",
    ]


def test_an_entry_point_may_import_only_reports(tmp_path, monkeypatch):
    """A flat command module is a shim: importing the engine (or anything but reports/)
    from it is reported; the digest's own shim is not."""
    fake = tmp_path / "scorecard"
    fake.mkdir()
    (fake / "digest.py").write_text(
        "from .engine import measures\nfrom .reports.digest import main\n", encoding="utf-8"
    )
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert violations() == [
        "scorecard.digest imports scorecard.engine.measures: an entry point may import only "
        "reports/",
        "scorecard.digest imports scorecard.engine: an entry point may import only reports/",
    ]


def test_the_named_sections_are_one_table_and_a_name_drawn_twice_is_refused():
    from scorecard.ui import complaints, sections, views

    assert set(views.SECTIONS) == set(sections.SECTIONS) | set(complaints.SECTIONS) | set(
        views.GROUP_SECTIONS
    )
    assert views.registry({"a": 1}, {"b": 2}) == {"a": 1, "b": 2}
    with pytest.raises(ValueError, match="backlog defined twice"):
        views.registry({"backlog": 1}, {"backlog": 2})
