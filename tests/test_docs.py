"""The documentation keeps in step with the code: every code the contracts allow and every
survey question the catalogue reads is listed in docs/mapping.md, and every mapping key and
exit status is explained there."""

from __future__ import annotations

import re

from scorecard import contracts
from scorecard.engine.catalogue import load_catalogue
from scorecard.ingest import build as ingest_build
from scorecard.ingest import mapping

from support import ROOT

DOC = (ROOT / "docs" / "mapping.md").read_text(encoding="utf-8")


def test_every_allowed_code_is_listed():
    for extract in contracts.EXTRACTS:
        for column in extract.columns:
            for code in column.allowed:
                assert f"`{code}`" in DOC, (extract.name, column.name, code)


def test_every_question_a_measure_reads_is_listed():
    for m in load_catalogue(ROOT / "config" / "measures.toml").values():
        if "question" in m.params:
            assert f"`{m.params['question']}`" in DOC, m.id
        if "survey" in m.params:
            assert f"`{m.params['survey']}`" in DOC, m.id


def test_every_mapping_key_and_scope_key_is_explained():
    table = {cell.strip("` ") for cell in re.findall(r"^\| `([a-z_.<>]+)`", DOC, re.M)}
    assert {k if k != "values" else "values.<column>" for k in mapping.KEYS} <= table
    for key in mapping.SCOPE_KEYS:
        assert f"`{key}`" in DOC, key


def test_every_exit_status_is_explained():
    for code in ingest_build.EXIT_CODES:
        assert re.search(rf"^\| {code} \| ", DOC, re.M), code
