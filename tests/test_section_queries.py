"""The pillar sections' own questions against the mini fixture, worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from apptest import app, open_page, texts
from support import MINI

SEP_START, SEP_END = date(2026, 9, 1), date(2026, 9, 30)


def _rows(frame, **match):
    for column, value in match.items():
        frame = frame[frame[column] == value]
    return frame


def test_channel_mix(mini_db):
    frame = mini_db.query(
        "access/contacts_by_channel_by_period",
        grain="month",
        start=SEP_START,
        end=SEP_END,
        services=None,
        channels=None,
    )
    # September: phone C01-C04, web C05 C07, app C06, face to face C08 C09, email C10
    assert dict(zip(frame["channel"], frame["contacts"])) == {
        "app": 1,
        "email": 1,
        "face_to_face": 2,
        "phone": 4,
        "web": 2,
    }


def test_calls_by_period(mini_db):
    frame = mini_db.query(
        "access/calls_by_period", grain="month", start=date(2026, 8, 1), end=SEP_END, services=None
    )
    sep = frame.iloc[-1]
    # C01 30 s and C04 60 s within a minute, C02 90 s later, C03 abandoned
    assert (
        sep["offered"],
        sep["answered_within_60s"],
        sep["answered_later"],
        sep["abandoned"],
    ) == (4, 2, 1, 1)
    assert sep["service_level"] == pytest.approx(50.0)
    aug = frame.iloc[0]  # C11 20 s, C12 120 s
    assert (aug["offered"], aug["answered_within_60s"], aug["answered_later"]) == (2, 1, 1)


def test_demand_by_weekday_and_hour(mini_db):
    frame = mini_db.query(
        "access/contacts_by_weekday_and_hour",
        start=SEP_START,
        end=SEP_END,
        services=None,
        channels=None,
    )
    # phone and face to face by default: Tuesday 1 Sep 09:00 has C01 and C02; September 2026
    # has five Tuesdays (1, 8, 15, 22, 29), so 2 / 5 = 0.4 a day
    tuesday_nine = _rows(frame, weekday=2, hour_of_day=9).iloc[0]
    assert (tuesday_nine["contacts"], tuesday_nine["per_day"]) == (2, pytest.approx(0.4))
    # Monday 7 Sep 09:00 face to face (C09); four Mondays (7, 14, 21, 28): 0.25 a day
    assert _rows(frame, weekday=1, hour_of_day=9).iloc[0]["per_day"] == pytest.approx(0.25)
    assert frame["contacts"].sum() == 6  # C01-C04, C08, C09
    phone = mini_db.query(
        "access/contacts_by_weekday_and_hour",
        start=SEP_START,
        end=SEP_END,
        services=None,
        channels=["phone"],
    )
    assert phone["contacts"].sum() == 4


def test_face_to_face_by_service_centre(mini_db):
    frame = mini_db.query(
        "access/face_to_face_by_service_centre", start=SEP_START, end=SEP_END, services=None
    ).set_index("site")
    assert frame.loc["Northgate Customer Service Centre", "visits"] == 1
    assert frame.loc["Northgate Customer Service Centre", "average_wait"] == 10.0  # 600 s
    assert frame.loc["Market Hall Customer Service Centre", "average_wait"] == 15.0  # 900 s


def test_avoidable_by_service_and_reason(mini_db):
    frame = mini_db.query(
        "access/avoidable_contact_by_service_and_reason",
        start=SEP_START,
        end=SEP_END,
        services=None,
        channels=None,
    ).set_index("service")
    # Housing classified C01 N, C02 Y, C08 N; Waste C09 Y, C10 N; the mini extract has no
    # reasons, so each is 'Reason not recorded'
    assert frame.loc["Housing", "avoidable"] == 1 and frame.loc["Housing", "classified"] == 3
    assert frame.loc["Waste and Recycling", "classified"] == 2
    assert set(frame["reason"]) == {"Reason not recorded"}


def test_backlog(mini_db):
    frame = mini_db.query("end_to_end/open_cases_by_age_band", services=None, channels=None)
    # K04 (Waste) opened Thu 10 Sep, open at 30 Sep: 14 working days, past its 5-day standard
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["service"], row["age_band"], row["open_cases"], row["past_standard"]) == (
        "Waste and Recycling",
        "11 to 20",
        1,
        1,
    )


def test_satisfaction_by_ward(mini_db):
    frame = mini_db.query("understanding/satisfaction_by_ward", start=date(2026, 8, 1), end=SEP_END)
    abbey = _rows(frame, ward="Abbey", question="satisfied_with_council").iloc[0]
    # Abbey: R1 (5, weight 2) and R3 (4, weight 0.5) both satisfied
    assert (abbey["numerator"], abbey["denominator"], abbey["base"]) == (2.5, 2.5, 2)
    castle = _rows(frame, ward="Castle", question="trust_council").iloc[0]
    assert castle["numerator"] == 2.5  # R2 (4, 1.0) and R4 (5, 1.5) trust the council


def test_satisfaction_by_resident_group(mini_db):
    frame = mini_db.query(
        "understanding/satisfaction_by_resident_group",
        survey="resident_survey",
        question="satisfied_with_council",
        only_channels=None,
        digital=None,
        start=date(2026, 8, 1),
        end=SEP_END,
        services=None,
        channels=None,
    )
    # satisfied with the council: R1 (5, weight 2) and R3 (4, 0.5); R2 (2, 1.0), R4 (1, 1.5)
    row = _rows(frame, dimension="disability", resident_group="Not disabled").iloc[0]
    assert (row["numerator"], row["denominator"], row["sum_w2"], row["base"]) == (
        2.5,
        2.5,
        4.25,
        2,
    )
    row = _rows(frame, dimension="disability", resident_group="Disabled").iloc[0]
    assert (row["numerator"], row["denominator"], row["sum_w2"], row["base"]) == (
        0.0,
        2.5,
        3.25,
        2,
    )
    row = _rows(frame, dimension="deprivation", resident_group="5 (least deprived)").iloc[0]
    assert (row["numerator"], row["base"]) == (0.5, 1)  # R3 alone
    # five dimensions, each group once: age 4, disability 2, ethnicity 3, language 2, IMD 4
    assert len(frame) == 15 and frame["base"].groupby(frame["dimension"]).sum().eq(4).all()


def test_resident_group_bases_by_service_and_channel(mini_db):
    common = dict(
        survey="post_contact",
        question="overall_satisfaction",
        only_channels=None,
        start=SEP_START,
        end=SEP_END,
        services=None,
        channels=None,
    )
    # digital: P3 (Housing, app) and P4 (Waste, web); not digital: P1 P2 P5 P6
    digital = mini_db.query(
        "understanding/resident_group_bases_by_service", by="service", digital=True, **common
    )
    ages = _rows(digital, dimension="age")
    assert list(zip(ages["resident_group"], ages["service"], ages["base"])) == [
        ("65-74", "Waste and Recycling", 1),
        ("75+", "Housing", 1),
    ]
    offline = mini_db.query(
        "understanding/resident_group_bases_by_service", by="channel", digital=False, **common
    )
    not_disabled = _rows(offline, dimension="disability", resident_group="Not disabled")
    # P1 phone, P2 phone, P5 face to face (P6 is disabled)
    assert dict(zip(not_disabled["service"], not_disabled["base"])) == {
        "face_to_face": 1,
        "phone": 2,
    }


def test_demand_by_hour_averages_over_the_days_the_extract_covers(monkeypatch, tmp_path):
    # a four-week extract: 8 calls every Monday at 10:00 from 7 to 28 September 2026. Per
    # Monday that is 8, not 32 spread over the 52 Mondays of the twelve months shown.
    data = tmp_path / "data"
    data.mkdir()
    rows = [
        f"C{d}{i},2026-09-{d:02d} 10:{i:02d}:00,phone,Housing,Contact Centre,30,60,N,,,N"
        for d in (7, 14, 21, 28)
        for i in range(8)
    ]
    (data / "contacts.csv").write_text(
        (MINI / "contacts.csv").read_text().splitlines()[0] + "\n" + "\n".join(rows) + "\n"
    )
    at = open_page(app(monkeypatch, data, tmp_path / "cache").run(), "access")
    assert not at.exception
    assert (
        "Busiest hour for phone and face to face: Monday 10:00, about 8 contacts a day "
        "(7 September 2026 to 28 September 2026)"
    ) in "\n".join(texts(at))
