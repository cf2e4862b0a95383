"""The Parquet path: the same queries over partitioned Parquet give the same figures as over
the DuckDB file (issue 16, item 5: scale past one council)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from scorecard import contracts, ingest
from scorecard.engine import catalogue, db, measures
from scorecard.ingest import parquet
from scorecard.settings import load

from support import MINI, build


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parquet")
    s, result = build(MINI, tmp / "cache")
    path = tmp / "cache" / result.database
    manifest = parquet.export(path, tmp / "parquet", partition_rows=5)
    return s, db.Database(path), db.Database(tmp / "parquet"), manifest, tmp / "parquet"


def test_large_tables_are_split_by_month_and_small_ones_kept_whole(both):
    _, _, _, manifest, folder = both
    contacts = manifest["tables"]["contacts"]
    assert contacts["partitioned_by"] == "received_at"
    months = sorted(p.name for p in (folder / "contacts").iterdir())
    assert months == ["month=2026-08", "month=2026-09"]  # the fixture's two months
    assert manifest["tables"]["build"]["partitioned_by"] is None
    assert (folder / "build.parquet").is_file()
    assert "satisfaction_v" in " ".join(manifest["views"])


def test_every_table_reads_back_the_same(both):
    _, file_db, parquet_db, manifest, _ = both
    for table in manifest["tables"]:
        a = file_db._con.execute(f"select * from {db.quote_name(table)}").df()
        b = parquet_db._con.execute(f"select * from {db.quote_name(table)}").df()
        assert len(a) == len(b) == manifest["tables"][table]["rows"], table
        key = list(a.columns)
        pd.testing.assert_frame_equal(
            a.astype(str).sort_values(key).reset_index(drop=True),
            b[key].astype(str).sort_values(key).reset_index(drop=True),
            obj=table,
        )


@pytest.mark.parametrize(
    "filters",
    [
        measures.Filters("month", date(2026, 7, 1), date(2026, 9, 30)),
        measures.Filters("quarter", date(2026, 4, 1), date(2026, 9, 30), ("Housing",), ("phone",)),
    ],
)
def test_every_measure_is_the_same_over_parquet(both, filters):
    s, file_db, parquet_db, _, _ = both
    cat = catalogue.load_catalogue(s.catalogue_file, s.digital_channels)
    targets = measures.targets_for(file_db, s)
    for measure in cat.values():
        a = measures.compute(file_db, measure, filters, targets)
        b = measures.compute(parquet_db, measure, filters, targets)
        assert a.sentence == b.sentence, measure.id
        pd.testing.assert_frame_equal(a.series, b.series, obj=measure.id)
    assert any(measures.compute(parquet_db, m, filters, targets).has_figure for m in cat.values())


def test_the_command_line_exports_the_served_database(tmp_path, capsys, monkeypatch):
    s = load({"data_dir": MINI, "cache_dir": tmp_path / "cache", "settle_seconds": 0})
    ingest.refresh(s)
    monkeypatch.setenv("SCORECARD_MEMORY_LIMIT", "300MB")  # the load's settings bound it too
    monkeypatch.setenv("SCORECARD_THREADS", "1")
    opened = []
    connect = parquet.duckdb.connect
    monkeypatch.setattr(
        parquet.duckdb,
        "connect",
        lambda *a, **k: opened.append(k.get("config")) or connect(*a, **k),
    )
    assert (
        parquet.main(
            [
                "--data",
                str(MINI),
                "--cache",
                str(tmp_path / "cache"),
                "--out",
                str(tmp_path / "out"),
                "--partition-rows",
                "5",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "contacts" in out and "by month of received_at" in out
    assert {"memory_limit": "300MB", "threads": 1} in opened
    loads = db.Database(tmp_path / "out").query("tables/loads")
    assert loads["extract"].nunique() == len(contracts.EXTRACTS)  # every extract, supplied or not


def test_the_dashboard_serves_a_parquet_folder(monkeypatch, both, tmp_path):
    """With parquet_dir set the app loads nothing: it serves the folder, and its figures are
    the database file's."""
    from apptest import app, open_page, texts

    _, _, _, _, folder = both
    from_file = open_page(app(monkeypatch, MINI, tmp_path / "file").run(), "access")
    from_parquet = open_page(
        app(monkeypatch, MINI, tmp_path / "unused", parquet=folder).run(), "access"
    )
    assert not from_parquet.exception
    assert texts(from_parquet) == texts(from_file)
    assert any("%" in t for t in texts(from_parquet))
    assert not (tmp_path / "unused").exists()  # nothing was loaded or written


def test_a_parquet_setting_must_name_a_parquet_folder(tmp_path):
    from scorecard.settings import SettingsError

    with pytest.raises(
        SettingsError, match="not a folder written by python -m scorecard.ingest.parquet"
    ):
        load({"data_dir": MINI, "parquet_dir": tmp_path})


def test_many_councils_share_one_store(tmp_path):
    """A regional body's store: one folder per council (council=a, council=b), each served
    on its own by the same code, and the whole store queried at once across councils."""
    import shutil

    import duckdb

    other = tmp_path / "other"
    shutil.copytree(MINI, other)
    with (other / "complaints.csv").open("a", encoding="utf-8") as extract:
        extract.write("CMP9,1,Housing,web,2026-09-21,2026-09-22,,,,Delay,,none,,\n")
    store = tmp_path / "store"
    for name, data in (("a", MINI), ("b", other)):
        s, result = build(data, tmp_path / f"cache-{name}")
        parquet.export(
            tmp_path / f"cache-{name}" / result.database,
            store / f"council={name}",
            partition_rows=5,
        )
    loaded = {
        name: db.Database(store / f"council={name}")
        .query("tables/loads")
        .set_index("extract")
        .loc["complaints", "loaded"]
        for name in ("a", "b")
    }
    assert loaded == {"a": 10, "b": 11}  # each council served from its own folder
    regional = (
        duckdb.connect()
        .execute(
            "select council, count(*) from read_parquet($files, hive_partitioning = true) "
            "group by council order by council",
            {"files": str(store / "*" / "complaints_v" / "*" / "*.parquet")},
        )
        .fetchall()
    )
    assert regional == [("a", 10), ("b", 11)]  # and the store read as one, by council
