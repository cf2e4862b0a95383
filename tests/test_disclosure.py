"""No suppressed figure can be worked out from what is published: the differencing attack,
tried on the shipped sample for every measure, every month and both filter dimensions.

Published, per month: the council total, every service's (or channel's) figure in the
breakdown table, and the figure a user gets by filtering to one service, or to a pair. A cell
hidden in the breakdown (fewer than the minimum base, or hidden so another cannot be worked
out) must stay hidden in every filtered view, and no filtered view may isolate one hidden
cell by difference.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from scorecard import catalogue, db, ingest, measures
from scorecard.suppression import hidden_groups

from support import ROOT, build

SAMPLE = ROOT / "data" / "sample"
FILTERS = measures.Filters("month", date(2024, 4, 1), date(2026, 9, 30))
PAIR_MEASURES = ("post_contact_satisfaction", "mystery_shop_standards")  # small services


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    s, _ = build(SAMPLE, tmp_path_factory.mktemp("disclosure"))
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    cat = catalogue.load_catalogue(s.catalogue_file)
    strategy = catalogue.load_strategy(s.strategy_file, s.catalogue_file)
    targets = measures.targets_for(database, s)

    def run(measure_id, **chosen):
        return measures.compute(database, cat[measure_id], measures.Filters(
            FILTERS.grain, FILTERS.start, FILTERS.end, **chosen), targets, s.min_base)

    def rows(measure_id, by):
        return measures.breakdown_rows(database, cat[measure_id], FILTERS, by, s.min_base)

    run.rows = rows
    yield run, [m for p in strategy.pillars for m in p.measures], cat, s.min_base
    database.close()


def _published(result) -> dict:
    """period -> True where the figure is shown."""
    return {r.period_start: not r.suppressed and r.base > 0
            for r in result.series.itertuples(index=False)}


def _hidden_by_period(rows, min_base) -> dict:
    return {period: hidden_groups(part, min_base)
            for period, part in rows[rows["service"].notna()].groupby("period_start")}


def _attack(run, measure_id, dimension, groups, hidden, min_base, pairs=False):
    key = "services" if dimension == "service" else "channels"
    shown = {g: _published(run(measure_id, **{key: (g,)})) for g in groups}
    leaks = []
    for period, z in hidden.items():
        published = {g for g in groups if shown[g].get(period)}
        if z & published:
            leaks.append((period, "a hidden group shown when filtered to", z & published))
        if len(z - published) == 1:
            leaks.append((period, "one hidden group left to work out", z))
    if pairs:
        ever = set().union(*hidden.values())
        for a, b in itertools.combinations(groups, 2):
            if not {a, b} & ever:
                continue  # neither is ever hidden: nothing for a pair to isolate
            both = _published(run(measure_id, **{key: (a, b)}))
            for period, z in hidden.items():
                inside = z & {a, b}
                if both.get(period) and inside and not z <= {a, b}:
                    leaks.append((period, "a pair isolates", inside))
    return leaks


def test_differencing_by_service_recovers_nothing(engine):
    run, ids, cat, min_base = engine
    checked = 0
    for measure_id in ids:
        if "service" not in cat[measure_id].dimensions:
            continue
        council = run(measure_id)
        groups = sorted(council.frame["service"].dropna().unique())
        hidden = _hidden_by_period(council.frame, min_base)
        leaks = _attack(run, measure_id, "service", groups, hidden, min_base,
                        pairs=measure_id in PAIR_MEASURES)
        assert not leaks, (measure_id, leaks[:3])
        checked += sum(1 for z in hidden.values() if z)
    assert checked > 50  # the sample does have small services to protect


def test_differencing_by_channel_recovers_nothing(engine):
    run, ids, cat, min_base = engine
    for measure_id in ids:
        if "channel" not in cat[measure_id].dimensions:
            continue
        table = run.rows(measure_id, "channel")  # the measure page's channel breakdown
        groups = sorted(table["service"].unique())
        hidden = _hidden_by_period(table, min_base)
        assert not _attack(run, measure_id, "channel", groups, hidden, min_base), measure_id


def test_the_reviewers_case_libraries_no_longer_gives_registration_away(engine):
    # post-contact satisfaction, September 2026: Registration (fewer than 10) and Libraries
    # (hidden with it) are hidden in the by-service table; ?service=Libraries showed 60.0%
    run, _, _, min_base = engine
    council = run("post_contact_satisfaction")
    september = council.frame[(council.frame["period_start"] == date(2026, 9, 1))]
    assert {"Registration", "Libraries"} <= hidden_groups(
        september[september["service"].notna()], min_base)
    libraries = run("post_contact_satisfaction", services=("Libraries",))
    assert libraries.latest["suppressed"] and libraries.sentence.startswith(
        "Satisfied with their contact is not shown for September 2026 with these filters")
