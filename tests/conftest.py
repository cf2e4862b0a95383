"""Shared fixtures: a database built from the hand-made extracts in tests/fixtures/mini.

Every expected figure in the query and engine tests is worked out by hand from those
files; the comments beside each expectation show the working.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# fixtures are copied just before they are read: do not wait for them to settle (the test of
# a file still being written sets its own interval)
os.environ["SCORECARD_SETTLE_SECONDS"] = "0"

from scorecard import ingest, settings  # noqa: E402
from scorecard.charts import theme
from scorecard.engine import catalogue, db, measures

# the app builds figures unchecked, for speed; here every property is checked against
# Plotly's schema, so a mistyped one fails a test
theme.VALIDATE = True

from streamlit.runtime.media_file_manager import MediaFileManager  # noqa: E402

from support import MINI, build  # noqa: E402


@pytest.fixture(scope="session")
def mini_settings(tmp_path_factory) -> settings.Settings:
    """Settings pointing at the mini fixture, built once per test session."""
    s, result = build(MINI, tmp_path_factory.mktemp("mini-cache"))
    assert result.ok, result.problems
    return s


@pytest.fixture(scope="session")
def mini_db(mini_settings) -> db.Database:
    """The served database for the mini fixture."""
    pointer = ingest.current(mini_settings)
    database = db.Database(mini_settings.cache_dir / pointer["database"])
    yield database
    database.close()


@pytest.fixture(scope="session")
def catalogue_(mini_settings) -> dict[str, catalogue.Measure]:
    """The shipped measure catalogue."""
    return catalogue.load_catalogue(mini_settings.catalogue_file)


@pytest.fixture(scope="session")
def targets(mini_db) -> measures.Targets:
    """Targets from the mini fixture's targets.csv."""
    return measures.Targets(mini_db.query("tables/targets"), "catalogue")


@pytest.fixture
def downloads(monkeypatch):
    """Every download button's file name and data, as the page makes it."""
    made: list = []
    deferred, static = MediaFileManager.add_deferred, MediaFileManager.add

    def add_deferred(self, data, mimetype, coordinates, file_name=None, **kwargs):
        made.append((file_name, data))
        return deferred(self, data, mimetype, coordinates, file_name=file_name, **kwargs)

    def add(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if is_for_static_download:
            made.append((file_name, data))
        return static(
            self,
            data,
            mimetype,
            coordinates,
            file_name=file_name,
            is_for_static_download=is_for_static_download,
        )

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    monkeypatch.setattr(MediaFileManager, "add", add)
    monkeypatch.setenv("SCORECARD_CHROMIUM", "no-chromium-here")  # papers without pictures
    return made
