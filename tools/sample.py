"""Deterministic synthetic extracts for the fictional Eastvale Council, April 2022 - September 2026.

Run ``python -m tools.sample --out data/sample --scale 1 --seed 20260930``. The same arguments
always give byte-identical files. Volumes of the big extracts scale with ``--scale``; the small
reference extracts (targets, actions, events, commentary, returns, and the published
figures for Eastvale and its 15 neighbours in peers.csv) do not.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from scorecard.engine.calendar import add_working_days, holiday_array

Rng = np.random.Generator
Arr = np.ndarray

MONTHS = np.arange("2022-04", "2026-10", dtype="datetime64[M]")  # 54 reporting months
END = np.datetime64("2026-09-30", "D")
END_TS = np.datetime64("2026-10-01T00:00:00", "s")  # anything at or after this is in the future
TELEPHONY_LIVE = np.datetime64("2024-07", "M")
APP_LAUNCH = np.datetime64("2022-09", "M")
CASH_OFFICE_CLOSED = np.datetime64("2023-10", "M")
STORM_MONTH = np.datetime64("2025-01", "M")
HOLIDAYS = holiday_array()  # the one working-day calendar: scorecard.engine.calendar

SERVICES = (
    "Waste and Recycling",
    "Highways",
    "Council Tax",
    "Benefits",
    "Housing",
    "Planning",
    "Adult Social Care",
    "Children's Services",
    "Libraries",
    "Registration",
)
HOUSING, HIGHWAYS = SERVICES.index("Housing"), SERVICES.index("Highways")
STANDARD_DAYS = (5, 10, 10, 15, 15, 40, 20, 15, 5, 5)  # working days, in SERVICES order
CONTACT_MIX = (0.20, 0.09, 0.20, 0.12, 0.11, 0.05, 0.07, 0.05, 0.05, 0.06)
CASE_MIX = (0.22, 0.11, 0.14, 0.11, 0.16, 0.05, 0.07, 0.04, 0.05, 0.05)
COMPLAINT_MIX = (0.22, 0.12, 0.15, 0.10, 0.18, 0.05, 0.08, 0.05, 0.02, 0.03)
STAFF_IN_POST = (180, 120, 90, 110, 160, 60, 300, 240, 70, 25)  # training return denominators
SEASONAL = {
    "Council Tax": {3: 2.3, 4: 2.3},
    "Highways": {12: 1.7, 1: 1.7, 2: 1.7},
    "Waste and Recycling": {12: 1.2, 1: 1.25},
    "Benefits": {4: 1.2},
}

CHANNELS = ("phone", "web", "email", "face_to_face", "webchat", "letter", "social", "app")
PHONE, WEB, EMAIL, F2F, WEBCHAT, LETTER, SOCIAL, APP = range(8)
# Channel mix in April 2022 and September 2026; months in between are interpolated.
SHARE_START = (0.51, 0.22, 0.11, 0.08, 0.03, 0.03, 0.02, 0.03)
SHARE_END = (0.29, 0.32, 0.08, 0.05, 0.05, 0.01, 0.02, 0.18)
HANDLE_MEDIAN = (330, 0, 300, 540, 600, 0, 0, 0)  # seconds of staff time by channel
SITES = (
    "Contact Centre",
    "Online",
    "Northgate Customer Service Centre",
    "Riverside Customer Service Centre",
    "Market Hall Customer Service Centre",
)
CC, ONLINE, NORTHGATE, RIVERSIDE, MARKET_HALL = range(5)

OFFICE_HOURS = (0,) * 8 + (1.0, 1.6, 1.5, 1.3, 1.0, 1.1, 1.1, 1.0, 0.8, 0.5) + (0,) * 6
ONLINE_HOURS = (
    0.3,
    0.2,
    0.15,
    0.1,
    0.1,
    0.15,
    0.3,
    0.6,
    0.9,
    1.0,
    1.0,
    1.0,
    1.1,
    1.0,
    1.0,
    1.0,
    1.0,
    1.1,
    1.3,
    1.6,
    1.6,
    1.4,
    1.0,
    0.6,
)
# (hour weights, Mon..Sun weights, open 15-minute slots or None, closed on bank holidays)
PATTERNS = {
    "phone": (OFFICE_HOURS, (1.35, 1.1, 1.0, 0.95, 0.85, 0.25, 0.0), (34, 70), True),
    "office": (OFFICE_HOURS, (1.35, 1.1, 1.0, 0.95, 0.85, 0.0, 0.0), (34, 70), True),
    "online": (ONLINE_HOURS, (1.1, 1.05, 1.0, 1.0, 0.95, 0.8, 0.9), None, False),
}
CHANNEL_PATTERN = ("phone", "online", "online", "office", "office", "office", "online", "online")

SURVEYS = ("resident_survey", "post_contact", "staff_survey", "mystery_shop")
QUESTIONS = (
    "satisfied_with_council",
    "trust_council",
    "overall_satisfaction",
    "customer_focused",
    "greeting",
    "prompt_response",
    "accurate_information",
    "clear_next_steps",
    "courtesy",
)
AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")
AGE_P = (0.11, 0.17, 0.16, 0.17, 0.16, 0.13, 0.10)
ETHNICITIES = (
    "White British",
    "White other",
    "Asian or Asian British",
    "Black or Black British",
    "Mixed or multiple",
    "Other",
)
ETHNICITY_P = (0.80, 0.06, 0.07, 0.03, 0.025, 0.015)
IMD_P = (0.24, 0.22, 0.20, 0.18, 0.16)
IMD_EFFECT = (-0.12, -0.04, 0.0, 0.04, 0.07)  # quintile 1 (most deprived) is least satisfied
WARDS = (
    "Abbey Fields",
    "Ashby North",
    "Bridge End",
    "Castle Hill",
    "Chapel Green",
    "Eastvale Central",
    "Fenwick",
    "Hartley",
    "Holme Park",
    "Kingsmead",
    "Lowfield",
    "Market Ward",
    "Millbrook",
    "Northgate",
    "Oakwood",
    "Priory",
    "Riverside",
    "St Peter's",
    "Southfields",
    "Westbury",
)
# Post-contact satisfaction by channel for respondents neither 65+ nor disabled.
POST_CONTACT_P = (0.82, 0.78, 0.72, 0.85, 0.78, 0.70, 0.65, 0.63)
DIGITAL_PENALTY = 0.24  # older and disabled respondents find web and app much harder
MYSTERY_CHANNELS = (PHONE, F2F, EMAIL, WEB)
MYSTERY_P = (0.89, 0.91, 0.79, 0.77)
MYSTERY_QUESTION_SHIFT = (0.04, -0.03, 0.0, -0.06, 0.05)

CATEGORIES = (
    "Missed bin collection",
    "Delay",
    "Communication",
    "Staff conduct",
    "Quality of service",
    "Policy or decision",
    "Damage to property",
    "Billing error",
)
CATEGORY_MIX = {
    None: (0, 25, 22, 10, 20, 15, 3, 5),  # weights in CATEGORIES order
    "Waste and Recycling": (50, 8, 12, 8, 12, 5, 5, 0),
    "Council Tax": (0, 15, 20, 7, 8, 10, 0, 40),
    "Highways": (0, 20, 15, 5, 20, 10, 30, 0),
    "Housing": (0, 30, 20, 7, 30, 8, 5, 0),
}
AVOIDABLE_REASONS = (
    "Progress chasing",
    "Repeat contact",
    "Unclear information",
    "Wrong department",
    "Failure to act",
)
AVOIDABLE_MIX = {
    None: (0.35, 0.25, 0.20, 0.10, 0.10),  # shares in AVOIDABLE_REASONS order
    "Council Tax": (0.20, 0.20, 0.45, 0.05, 0.10),
    "Waste and Recycling": (0.30, 0.15, 0.10, 0.05, 0.40),
    "Highways": (0.45, 0.20, 0.10, 0.10, 0.15),
}
CONTRACTORS = ("Greenway Waste Services", "Roadstone Highways Ltd", "CareWell Homecare")
CONTRACTOR_SERVICE = (0, 1, 6)  # index into SERVICES
CONTRACTOR_PASS = (0.88, 0.90, 0.78)
OUTCOMES = ("upheld", "partly_upheld", "not_upheld", "withdrawn", "refused")
REFUSALS = (
    "out_of_time",
    "legal_proceedings",
    "not_a_complaint",
    "duplicate",
    "unreasonable_behaviour",
)
COMPLAINT_CHANNELS = (PHONE, WEB, EMAIL, LETTER, F2F)
OMBUDSMEN = ("none", "lgsco", "housing")
OMBUDSMAN_OUTCOMES = ("upheld", "not_upheld", "not_investigated")

COLUMNS = {
    "contacts.csv.gz": "contact_id,received_at,channel,service,site,wait_seconds,handle_seconds,"
    "abandoned,avoidable,resolved_first_contact,assisted_digital,"
    "avoidable_reason",
    "cases.csv.gz": "case_id,service,channel,opened_at,closed_at,standard_days,services_involved,"
    "reopened,status",
    "satisfaction.csv.gz": "response_id,survey,responded_on,question,score,weight,service,channel,"
    "age_band,sex,disability,ethnicity,first_language_english,"
    "imd_quintile,ward",
    "complaints.csv": "complaint_id,stage,service,channel,received_on,acknowledged_on,extended_to,"
    "responded_on,outcome,category,contractor,ombudsman,ombudsman_outcome,"
    "refusal_reason",
    "returns.csv": "measure_id,period_start,service,contractor,numerator,denominator",
    "targets.csv": "measure_id,service,from_period,target,amber_margin",
    "actions.csv": "action_id,pillar,title,owner,due_on,status,progress_pct,last_update_on,update,"
    "measures,categories",
    "events.csv": "date,label,pillar,measure,rebase",
    "commentary.csv": "measure,period,service,commentary,corrective_action,owner_role,status",
    "peers.csv": "area_code,area_name,measure,period,grain,value,peer_group,same_definition",
}
TIMESTAMP, DATE = "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"

# measure_id: (targets for 2022/23 .. 2026/27, amber margin). Lower is better for abandonment,
# speed of answer, avoidable contact, waits, days to resolve, reopened and the complaint volumes.
TARGETS = {
    "training_completion": ((85, 88, 90, 93, 95), 5),
    "staff_customer_focus": ((65, 68, 70, 73, 75), 5),
    "mystery_shop_standards": ((85, 86, 88, 89, 90), 5),
    "contractor_checks": ((90,) * 5, 5),
    "resident_satisfaction": ((60, 61, 63, 64, 65), 5),
    "resident_trust": ((55, 56, 58, 59, 60), 5),
    "post_contact_satisfaction": ((75, 76, 78, 79, 80), 5),
    "calls_answered_60s": ((70, 72, 75, 78, 80), 5),
    "call_abandonment": ((10, 10, 8, 7, 6), 2),
    "average_speed_of_answer": ((90, 90, 75, 60, 60), 15),
    "digital_takeup": ((30, 35, 40, 45, 50), 5),
    "avoidable_contact": ((25, 23, 21, 19, 17), 3),
    "f2f_average_wait": ((15, 15, 12, 10, 10), 2),
    "nondigital_satisfaction": ((80,) * 5, 5),
    "cases_within_standard": ((80, 81, 83, 84, 85), 5),
    "days_to_resolve_median": ((8, 7.5, 7, 6.5, 6), 2),
    "days_to_resolve_p90": ((25, 24, 23, 21, 20), 2),
    "multi_service_within_standard": ((75, 76, 78, 79, 80), 5),
    "first_contact_resolution": ((70, 71, 73, 74, 75), 5),
    "cases_reopened": ((5, 5, 4.5, 4, 4), 1),
    "complaints_acknowledged_5wd": ((95,) * 5, 5),
    "stage1_on_time": ((80, 83, 85, 88, 90), 5),
    "stage2_on_time": ((80, 83, 85, 88, 90), 5),
    "complaints_per_1000_contacts": ((25, 24, 23, 21, 20), 3),
    "complaints_upheld": ((45, 44, 43, 41, 40), 5),
    "complaints_escalated": ((12, 12, 11, 11, 10), 2),
    "actions_on_track": ((80,) * 5, 5),
}
SERVICE_TARGETS = {
    ("cases_within_standard", "Housing"): ((70, 73, 75, 78, 80), 5),
    ("cases_within_standard", "Planning"): ((75, 78, 80, 83, 85), 5),
}

# One action per block: pillar|due_on|status|progress_pct|last_update_on, then title|owner,
# measures|categories and the latest update on indented continuation lines.
ACTIONS = """
ethos|2023-09-30|complete|100|2023-10-06
  |Roll out customer care e-learning to all staff|Head of Organisational Development
  |training_completion|
  |E-learning module launched and added to induction for all new starters.
ethos|2024-03-31|complete|100|2024-04-12
  |Adopt customer service standards in every service plan|Director of Resources
  |mystery_shop_standards;staff_customer_focus|
  |Standards included in all 2024/25 service plans, signed off by directors.
ethos|2023-06-30|complete|100|2023-07-03
  |Introduce quarterly mystery shopping|Customer Insight Manager
  |mystery_shop_standards|
  |Contract awarded and the first quarterly report presented to the leadership team.
ethos|2025-03-31|complete|100|2025-04-10
  |Build customer standards into contractor monitoring|Head of Commissioning
  |contractor_checks|
  |Standards now in all three contract monitoring frameworks, checks reported quarterly.
ethos|2026-06-30|delayed|60|2026-09-12
  |Refresh homecare contract customer standards|Head of Adult Commissioning
  |contractor_checks|
  |Contract variation drafted, but negotiation with CareWell Homecare has slipped to November.
ethos|2026-12-31|on_track|70|2026-09-05
  |Recognise customer service in appraisals and awards|Head of Organisational Development
  |staff_customer_focus|
  |Appraisal form updated, awards category agreed for the December ceremony.
understanding|2023-03-31|complete|100|2023-03-20
  |Run a quarterly residents' survey|Customer Insight Manager
  |resident_satisfaction;resident_trust|
  |Survey contract in place, first three waves reported to Cabinet.
understanding|2023-12-31|complete|100|2024-01-08
  |Introduce post-contact surveys on every channel|Customer Insight Manager
  |post_contact_satisfaction|
  |Text and email surveys now sent after phone, online and face-to-face contacts.
understanding|2025-09-30|at_risk|40|2026-08-28
  |Publish an equalities analysis of customer satisfaction|Equalities and Diversity Lead
  |post_contact_satisfaction;nondigital_satisfaction|
  |Analysis drafted, but samples for some groups are small, so extra fieldwork is needed.
understanding|2026-03-31|delayed|45|2026-09-18
  |Redesign the reporting app with older and disabled residents|Digital Services Manager
  |post_contact_satisfaction;digital_takeup|
  |User testing done with two community groups, release now planned for early 2027.
understanding|2026-11-30|on_track|75|2026-09-22
  |Create a customer insight dashboard for managers|Head of Business Intelligence
  |actions_on_track|
  |Pilot dashboard live in customer services, rollout to other services under way.
understanding|2027-03-31|not_started|0|2026-07-15
  |Set up a residents' customer panel|Head of Communications
  |resident_trust|
  |Recruitment approach agreed, work starts in January 2027.
access|2024-03-31|complete|100|2024-03-28
  |Add bulky and garden waste bookings to the app|Digital Services Manager
  |digital_takeup|
  |Both services can now be booked and paid for in the app.
access|2023-10-31|complete|100|2023-10-09
  |Close Market Hall cash office and move payments online|Head of Revenues
  |f2f_average_wait;digital_takeup|
  |Cash office closed on 2 October, PayPoint and online payments promoted.
access|2024-06-30|complete|100|2024-07-05
  |Replace contact centre telephony|Head of Customer Services
  |calls_answered_60s;call_abandonment;average_speed_of_answer|
  |New cloud telephony live from 1 July 2024, with call-back and queue messages.
access|2025-12-31|at_risk|55|2026-09-10
  |Introduce appointments at customer service centres|Customer Services Manager
  |f2f_average_wait|
  |Booking system bought, staff rota changes still under consultation.
access|2026-10-31|on_track|80|2026-09-25
  |Cut avoidable contact with bin collection alerts|Head of Waste Services
  |avoidable_contact|
  |Text alerts live for 60% of households, remaining rounds added in October.
access|2027-03-31|on_track|35|2026-09-16
  |Offer webchat on all service web pages|Digital Services Manager
  |digital_takeup;first_contact_resolution|
  |Webchat live on council tax and benefits pages, housing is next.
end_to_end|2023-12-31|complete|100|2023-12-15
  |Publish service standards for every service request|Director of Resources
  |cases_within_standard|
  |Standards published on the website for all ten services.
end_to_end|2025-03-31|delayed|50|2026-09-20
  |Clear the housing repairs case backlog|Head of Housing Services
  |cases_within_standard;days_to_resolve_p90|
  |Backlog down by a third, but only around 62% of cases close within standard.
end_to_end|2025-09-30|complete|100|2025-10-03
  |Give multi-service cases a single case owner|Head of Customer Services
  |multi_service_within_standard|
  |Case owner role live, multi-service cases tracked on one record.
end_to_end|2025-11-30|complete|100|2025-11-20
  |Agree a winter highways resilience plan|Head of Highways
  |cases_within_standard;days_to_resolve_median|
  |Plan agreed with Roadstone Highways Ltd, extra gangs on standby from December to February.
end_to_end|2027-01-31|on_track|65|2026-09-24
  |Link the CRM to the housing repairs system|Head of ICT
  |days_to_resolve_median;cases_reopened|
  |Interface built and in testing, go-live planned for January.
end_to_end|2026-12-31|on_track|65|2026-09-14
  |Resolve more requests at the first point of contact|Customer Services Manager
  |first_contact_resolution;cases_reopened|
  |Knowledge base expanded, first contact resolution up four points this year.
complaints|2025-03-31|complete|100|2025-04-01
  |Centralise complaint handling in one team|Complaints and Information Manager
  |stage1_on_time;complaints_acknowledged_5wd|Delay;Communication
  |Central team in place, every stage 1 complaint logged in one system.
complaints|2026-03-31|complete|100|2026-03-27
  |Adopt the Complaint Handling Code|Complaints and Information Manager
  |stage1_on_time;stage2_on_time;complaints_acknowledged_5wd|Delay;Communication
  |Policy revised and approved by Cabinet, in force from 1 April 2026.
complaints|2026-06-30|withdrawn|30|2026-05-12
  |Stop repeat missed bin collections|Head of Waste Services
  |complaints_per_1000_contacts|Missed bin collection
  |Superseded by Greenway Waste Services' round optimisation programme.
complaints|2026-12-31|on_track|60|2026-09-08
  |Fix council tax billing errors at source|Head of Revenues
  |complaints_upheld;complaints_per_1000_contacts|Billing error
  |Address data cleansed, billing checks added before the annual run.
complaints|2027-03-31|on_track|50|2026-09-29
  |Learn from upheld complaints in quarterly reviews|Complaints and Information Manager
  |complaints_upheld;complaints_escalated|Quality of service;Policy or decision;Staff conduct
  |Two learning reviews held, actions logged with service managers.
complaints|2027-02-28|at_risk|35|2026-09-03
  |Speed up highways damage claims|Head of Highways
  |complaints_upheld;stage1_on_time|Damage to property
  |Claims triage agreed with the contractor, but vacancies are slowing progress.
"""
EVENTS = (  # rebase Y: a known change to the process, so SPC limits restart there
    ("2022-09-01", "Online reporting app launched", "access", "digital_takeup", ""),
    ("2023-04-01", "Customer Service Strategy adopted", "", "", ""),
    ("2023-06-01", "Customer care e-learning launched", "ethos", "training_completion", ""),
    ("2023-10-02", "Market Hall cash office closed", "access", "f2f_average_wait", ""),
    ("2024-07-01", "New telephony system live", "access", "calls_answered_60s", "Y"),
    ("2024-07-01", "New telephony system live", "access", "call_abandonment", "Y"),
    ("2024-07-01", "New telephony system live", "access", "average_speed_of_answer", "Y"),
    (
        "2025-01-24",
        "Winter storm: fallen trees and flooding on highways",
        "end_to_end",
        "cases_within_standard",
        "",
    ),
    ("2025-04-01", "Central complaints team formed", "complaints", "stage1_on_time", ""),
    ("2026-04-01", "Complaint Handling Code in force", "complaints", "stage1_on_time", ""),
)
COMMENTARY = (
    (
        "cases_within_standard",
        "2026-09-01",
        "Housing",
        "Only around 62% of housing cases closed within standard, against a target of 80%. "
        "The repairs backlog built up in 2025 is still being worked through.",
        "Backlog team extended to March 2027 and weekly case reviews with repairs supervisors.",
        "Head of Housing Services",
        "approved",
    ),
    (
        "days_to_resolve_p90",
        "2026-09-01",
        "Housing",
        "The slowest tenth of housing cases take over five weeks, mostly repairs that need a "
        "contractor visit.",
        "Contractor appointments to be booked at first contact once the CRM link goes live.",
        "Head of Housing Services",
        "approved",
    ),
    (
        "post_contact_satisfaction",
        "2026-09-01",
        "",
        "Satisfaction is held down by the reporting app, where only about 55% of respondents "
        "are satisfied compared with over 80% on the phone. Older and disabled residents rate "
        "it lowest.",
        "App redesign with older and disabled residents (action A10); interim fixes in October.",
        "Digital Services Manager",
        "approved",
    ),
    (
        "stage1_on_time",
        "2026-09-01",
        "",
        "Counting the extensions agreed with residents, as the Code allows, 84% of stage 1 "
        "complaints were answered on time against a 90% target; without them only about three in "
        "four were, so too many need an extension.",
        "Complaints team to agree response plans at acknowledgement and report risks weekly.",
        "Complaints and Information Manager",
        "approved",
    ),
    (
        "contractor_checks",
        "2026-07-01",
        "Adult Social Care",
        "CareWell Homecare passed fewer than 80% of standards checks this quarter, mainly on call "
        "times and updates to families.",
        "Improvement notice issued and monthly contract meetings until performance recovers.",
        "Head of Adult Commissioning",
        "approved",
    ),
    (
        "resident_trust",
        "2026-08-01",
        "",
        "Trust in the council is below target in the August wave, lowest in the most deprived "
        "areas.",
        "Ward-level 'you said, we did' updates planned with the communications team.",
        "Head of Communications",
        "approved",
    ),
    (
        "avoidable_contact",
        "2026-09-01",
        "",
        "Avoidable contact is slightly above target, mainly chasing calls about bins and repairs.",
        "Bin collection text alerts to cover all rounds by the end of October.",
        "Head of Waste Services",
        "approved",
    ),
    (
        "f2f_average_wait",
        "2026-09-01",
        "",
        "Average waits at the customer service centres are just above target, longest at Market "
        "Hall.",
        "Appointment booking to be introduced at Market Hall first.",
        "Customer Services Manager",
        "draft",
    ),
)


# ---------------------------------------------------------------- calendar and sampling helpers
def _month_days(month: np.datetime64) -> Arr:
    """All dates of one month."""
    return np.arange(month.astype("datetime64[D]"), (month + 1).astype("datetime64[D]"))


def _weekday(days: Arr) -> Arr:
    """Day of week, Monday = 0 (1970-01-01 was a Thursday)."""
    return (days.astype("datetime64[D]").astype(np.int64) + 3) % 7


def _progress() -> Arr:
    """Position of each month in the period, 0 for April 2022 to 1 for September 2026."""
    return np.linspace(0.0, 1.0, MONTHS.size)


def _channel_shares() -> Arr:
    """Channel mix per month (months x channels); no app before its launch."""
    t = _progress()[:, None]
    shares = (1 - t) * np.array(SHARE_START) + t * np.array(SHARE_END)
    shares[MONTHS < APP_LAUNCH, APP] = 0.0
    return shares / shares.sum(axis=1, keepdims=True)


def _monthly_expected(mix: tuple, total: float) -> Arr:
    """Expected volume per month and service with seasonal peaks, summing to `total`."""
    month_of_year = MONTHS.astype(np.int64) % 12 + 1
    season = np.ones((MONTHS.size, len(SERVICES)))
    for service, peaks in SEASONAL.items():
        for month, factor in peaks.items():
            season[month_of_year == month, SERVICES.index(service)] *= factor
    season[MONTHS == STORM_MONTH, HIGHWAYS] *= 1.6
    expected = season * np.array(mix)
    return expected * total / expected.sum()


def _slot_probs(days: Arr, pattern: str) -> Arr:
    """Probability of each 15-minute slot of `days` under a channel's opening pattern."""
    hours, week, window, shut_on_holidays = PATTERNS[pattern]
    weekday = _weekday(days)
    weights = np.array(week)[weekday][:, None] * np.repeat(np.array(hours, dtype=float), 4)
    if window:
        slot = np.arange(96)
        weekday_open = (slot >= window[0]) & (slot < window[1])
        saturday_open = (slot >= 36) & (slot < 48)  # phone lines open 09:00-12:00 on Saturdays
        weights *= np.where((weekday == 5)[:, None], saturday_open, weekday_open)
    if shut_on_holidays:
        weights[np.isin(days, HOLIDAYS)] = 0.0
    return (weights / weights.sum()).ravel()


def _sample_seconds(rng: Rng, probs: Arr, n: int) -> Arr:
    """Seconds after the first slot for n events drawn from slot probabilities (in time order)."""
    slots = np.repeat(np.arange(probs.size), rng.multinomial(n, probs))
    return slots * 900 + rng.integers(0, 900, n)


def _random_days(rng: Rng, month_index: Arr, weekend: float) -> Arr:
    """A random date within each given month, weekends kept with probability `weekend`."""
    start = MONTHS[month_index].astype("datetime64[D]")
    length = ((MONTHS[month_index] + 1).astype("datetime64[D]") - start).astype(np.int64)
    days = start + (rng.random(month_index.size) * length).astype(np.int64)
    move = (_weekday(days) >= 5) & (rng.random(month_index.size) >= weekend)
    return np.where(move, np.busday_offset(days, 0, roll="modifiedfollowing"), days)


def _group_ranks(rng: Rng, keys: tuple, priority: Arr | None = None) -> tuple[Arr, Arr, Arr]:
    """Each row's rank in its group of equal keys (random or `priority` order), group, size."""
    n = keys[0].size
    order = np.lexsort((rng.random(n) if priority is None else priority, *keys[::-1]))
    same = np.ones(max(n - 1, 0), dtype=bool)
    for key in keys:
        same &= key[order][1:] == key[order][:-1]
    first = np.r_[True, ~same] if n else same
    start = np.flatnonzero(first)
    label = np.cumsum(first) - 1
    rank, number, size = (np.empty(n, dtype=np.int64) for _ in range(3))
    rank[order], number[order] = np.arange(n) - start[label], label
    size[order] = np.diff(np.r_[start, n])[label]
    return rank, number, size


# Stratified draws: rows sharing a group get their expected counts (randomly rounded), so even
# small samples show the intended pattern, while the rows chosen stay random.
def _quota(rng: Rng, p: Arr, group: Arr | None = None, priority: Arr | None = None) -> Arr:
    """Yes/no flags: each group of rows with equal `group` and `p` gets its expected count."""
    keys = (p,) if group is None else (group, p)
    rank, number, _ = _group_ranks(rng, keys, priority)
    groups = number.max() + 1 if number.size else 0
    chances = np.bincount(number, weights=p, minlength=groups)
    return rank < np.floor(chances + rng.random(groups))[number]


def _pick(rng: Rng, probs: Arr, rows: Arr) -> Arr:
    """One option per row from its row of `probs`, in proportions as exact as counts allow."""
    rank, number, size = _group_ranks(rng, (rows,))
    groups = number.max() + 1 if number.size else 0
    quantile = (rank + rng.random(groups)[number]) / size
    cdf = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)[rows]
    return np.minimum((quantile[:, None] > cdf).sum(axis=1), probs.shape[1] - 1)


def _a_few(rng: Rng, eligible: Arr, k: int) -> Arr:
    """Flag k randomly chosen eligible rows."""
    idx = np.flatnonzero(eligible)
    flags = np.zeros(eligible.size, dtype=bool)
    flags[rng.choice(idx, min(k, idx.size), replace=False)] = True
    return flags


# ---------------------------------------------------------------- column helpers
def _ids(prefix: str, n: int, width: int, start: int = 1) -> Arr:
    """Sequential zero-padded identifiers such as CT000000001."""
    return _padded(prefix, np.arange(start, start + n), width)


def _padded(prefix: str, numbers: Arr, width: int) -> Arr:
    """Identifiers from numbers: prefix plus the number zero-padded to `width` digits."""
    if numbers.size == 0:  # np.strings.zfill cannot size an empty array
        return np.empty(0, dtype=np.str_)
    return np.strings.add(prefix, np.strings.zfill(numbers.astype(np.str_), width))


def _cat(codes: Arr, labels: tuple) -> pd.Categorical:
    """Categorical column from integer codes; -1 is written as blank."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=list(labels))


def _yn(flag: Arr, applies: Arr | None = None) -> pd.Categorical:
    """Y/N column, blank where the question does not apply."""
    codes = np.asarray(flag, dtype=np.int64)
    return _cat(codes if applies is None else np.where(applies, codes, -1), ("N", "Y"))


def _int(values: Arr, valid: Arr) -> pd.arrays.IntegerArray:
    """Nullable integer column, blank where not valid."""
    mask = ~np.asarray(valid, dtype=bool)
    return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), mask)


def _decimals(thousandths: Arr) -> Arr:
    """Integer thousandths as plain decimals with at most three places ('1', '0.85')."""
    if thousandths.size == 0:
        return np.empty(0, dtype=np.str_)
    whole = (thousandths // 1000).astype(np.str_)
    frac = np.strings.rstrip(np.strings.zfill((thousandths % 1000).astype(np.str_), 3), "0")
    return np.where(frac == "", whole, np.strings.add(np.strings.add(whole, "."), frac))


# ---------------------------------------------------------------- contacts
def _phone_rates(rng: Rng, month: np.datetime64) -> tuple[float, float, float]:
    """Abandonment rate, share of answered calls answered within 60 s, slow-wait tail (s)."""
    live = month >= TELEPHONY_LIVE  # call-back and queue messages lifted service levels
    abandon = (0.06 if live else 0.12) + rng.normal(0, 0.006)
    within_60 = (0.85 if live else 0.73) + rng.normal(0, 0.015)
    return abandon, within_60, (110.0 if live else 240.0)


def _contact_times(rng: Rng, days: Arr, counts: Arr) -> tuple[Arr, Arr, Arr]:
    """Channel, service and seconds-into-month of a month's contacts, channel by channel."""
    chan, svc, secs = [], [], []
    for c, pattern in enumerate(CHANNEL_PATTERN):  # eight channels, not rows
        n = int(counts[:, c].sum())
        secs.append(_sample_seconds(rng, _slot_probs(days, pattern), n))
        svc.append(rng.permutation(np.repeat(np.arange(len(SERVICES)), counts[:, c])))
        chan.append(np.full(n, c))
    return np.concatenate(chan), np.concatenate(svc), np.concatenate(secs)


def _contact_sites(rng: Rng, month: np.datetime64, chan: Arr, days: Arr, secs: Arr) -> tuple:
    """Site of each contact and assisted-digital flag; assisted web moves into office hours."""
    n = chan.size
    centre_p = (0.32, 0.28, 0.40) if month >= CASH_OFFICE_CLOSED else (0.30, 0.25, 0.45)
    centre = NORTHGATE + rng.choice(3, n, p=centre_p)
    site = np.select([chan == F2F, np.isin(chan, (WEB, APP))], [centre, ONLINE], CC)
    assisted = (chan == WEB) & (rng.random(n) < 0.06)
    helper = rng.choice((CC, NORTHGATE, RIVERSIDE, MARKET_HALL), n, p=(0.25, 0.2, 0.2, 0.35))
    office = _sample_seconds(rng, _slot_probs(days, "office"), int(assisted.sum()))
    secs[assisted] = rng.permutation(office)
    return np.where(assisted, helper, site), assisted


def _waits(
    rng: Rng, month: np.datetime64, chan: Arr, site: Arr, abandoned: Arr, rates: tuple
) -> Arr:
    """Queue seconds: phone (answered or until hanging up) and face to face; 0 elsewhere."""
    n, (_, within_60, tail) = chan.size, rates
    answered = np.where(
        rng.random(n) < within_60, 60 * rng.beta(1.3, 2.5, n), 61 + rng.exponential(tail, n)
    )
    market_hall = 16.0 if month < CASH_OFFICE_CLOSED else 12.5  # its queue eased after closure
    median = np.select([site == MARKET_HALL, site == NORTHGATE], [market_hall, 9.0], 8.0)
    in_person = 60 * rng.lognormal(np.log(median), 0.45)
    gave_up = 5 + rng.exponential(100, n)
    return np.select([abandoned, chan == PHONE, chan == F2F], [gave_up, answered, in_person], 0)


def _contact_month(rng: Rng, m: int, counts: Arr, first_id: int) -> pd.DataFrame:
    """One month of contacts, sorted by time."""
    month, days = MONTHS[m], _month_days(MONTHS[m])
    chan, svc, secs = _contact_times(rng, days, counts)
    site, assisted = _contact_sites(rng, month, chan, days, secs)
    order = np.argsort(secs, kind="stable")
    chan, svc, secs, site, assisted = (a[order] for a in (chan, svc, secs, site, assisted))
    n, t = chan.size, _progress()[m]
    phone, f2f = chan == PHONE, chan == F2F
    rates = _phone_rates(rng, month)
    abandoned = phone & (rng.random(n) < rates[0])
    wait = _waits(rng, month, chan, site, abandoned, rates)
    handled = np.isin(chan, (PHONE, F2F, WEBCHAT, EMAIL)) & ~abandoned
    handle = rng.lognormal(np.log(np.maximum(np.array(HANDLE_MEDIAN)[chan], 1)), 0.5)
    classified = np.isin(chan, (PHONE, F2F, EMAIL)) & ~abandoned & (rng.random(n) < 0.2)
    fcr_asked = np.isin(chan, (PHONE, F2F, WEBCHAT)) & ~abandoned
    fcr_p = 0.70 + 0.07 * t + np.select([f2f, chan == WEBCHAT], [0.05, -0.05], 0.0)
    avoidable = classified & (rng.random(n) < 0.27 - 0.09 * t)
    return pd.DataFrame(
        {
            "contact_id": _ids("CT", n, 9, first_id),
            "received_at": month.astype("datetime64[s]") + secs.astype("timedelta64[s]"),
            "channel": _cat(chan, CHANNELS),
            "service": _cat(svc, SERVICES),
            "site": _cat(site, SITES),
            "wait_seconds": _int(wait.round(), phone | f2f),
            "handle_seconds": _int(handle.round(), handled),
            "abandoned": _yn(abandoned, phone),
            "avoidable": _yn(avoidable, classified),
            "resolved_first_contact": _yn(rng.random(n) < fcr_p, fcr_asked),
            "assisted_digital": _yn(assisted),
            "avoidable_reason": _avoidable_reasons(rng, svc, avoidable),
        }
    )


def _avoidable_reasons(rng: Rng, svc: Arr, avoidable: Arr) -> Arr:
    """Why an avoidable contact happened (blank otherwise); the mix depends on the service."""
    u = rng.random(svc.size)
    reason = np.full(svc.size, "", dtype=object)
    for s, name in enumerate(SERVICES):
        mask = avoidable & (svc == s)
        cuts = np.cumsum(AVOIDABLE_MIX.get(name, AVOIDABLE_MIX[None]))
        picks = np.minimum(np.searchsorted(cuts, u[mask]), len(AVOIDABLE_REASONS) - 1)
        reason[mask] = np.array(AVOIDABLE_REASONS, dtype=object)[picks]
    return reason


def _contact_frames(rng: Rng, scale: float):
    """Yield contacts month by month so memory stays flat at large scales."""
    expected = _monthly_expected(CONTACT_MIX, 200_000 * scale)
    counts = rng.poisson(expected[:, :, None] * _channel_shares()[:, None, :])
    first_id = 1
    for m in range(MONTHS.size):
        frame = _contact_month(rng, m, counts[m], first_id)
        first_id += len(frame)
        yield frame


# ---------------------------------------------------------------- cases
def _case_openings(rng: Rng, scale: float) -> tuple[Arr, Arr, Arr]:
    """Service, channel and opening time of every case, month by month."""
    counts = rng.poisson(_monthly_expected(CASE_MIX, 40_000 * scale))
    shares, parts = _channel_shares(), []
    for m, month in enumerate(MONTHS):  # 54 months, vectorised within each
        svc = rng.permutation(np.repeat(np.arange(len(SERVICES)), counts[m]))
        chan = rng.choice(len(CHANNELS), svc.size, p=shares[m])
        online = np.isin(chan, (WEB, APP, EMAIL, SOCIAL))
        secs = np.empty(svc.size, dtype=np.int64)
        for mask, pattern in ((online, "online"), (~online, "office")):
            drawn = _sample_seconds(rng, _slot_probs(_month_days(month), pattern), mask.sum())
            secs[mask] = rng.permutation(drawn)
        parts.append((svc, chan, month.astype("datetime64[s]") + secs.astype("timedelta64[s]")))
    return tuple(np.concatenate(p) for p in zip(*parts, strict=True))


def _resolution_days(rng: Rng, svc: Arr, standard: Arr, involved: Arr, opened: Arr) -> Arr:
    """Working days to close: most within standard, Housing far less, multi-service slower."""
    n, multi = svc.size, (involved > 1).astype(np.int64)
    # Single-service rates sit 2.25 points above the target share because 15% of cases are
    # multi-service and 15 points slower: 0.8725 gives ~85% overall, 0.6375 ~61.5% for Housing.
    p_within = np.where(svc == HOUSING, 0.6375, 0.8725) - 0.15 * multi
    month = opened.astype("datetime64[M]")
    storm = (svc == HIGHWAYS) & (month >= STORM_MONTH) & (month <= STORM_MONTH + 1)
    p_within = np.where(storm, 0.65, p_within)
    year = (month - MONTHS[0]).astype(np.int64) // 12
    within = _quota(rng, p_within, ((svc * 10 + year) * 2 + multi) * 2 + storm)
    quick = np.minimum(np.floor(rng.beta(2.0, 1.5, n) * (standard + 1)), standard)
    slow = standard + 1 + np.floor(rng.exponential(0.6 * standard))
    return np.where(within, quick, slow).astype(np.int64)


def _close_times(rng: Rng, opened: Arr, days: Arr) -> Arr:
    """Closing timestamp `days` working days after opening, in office hours, never before it."""
    n = opened.size
    close_day = add_working_days(opened.astype("datetime64[D]"), days)
    office = close_day.astype("datetime64[s]") + 8 * 3600 + rng.integers(0, 10 * 3600, n)
    same_day = opened + 600 + rng.integers(0, 3 * 3600, n)
    return np.maximum(same_day, office)


def _cases(rng: Rng, scale: float) -> pd.DataFrame:
    """All service requests, sorted by opening time."""
    svc, chan, opened = _case_openings(rng, scale)
    order = np.argsort(opened, kind="stable")
    svc, chan, opened = svc[order], chan[order], opened[order]
    n = svc.size
    standard = np.array(STANDARD_DAYS)[svc]
    standard = np.where((svc == HIGHWAYS) & (rng.random(n) < 0.3), 20, standard)
    involved = np.where(rng.random(n) < 0.15, rng.choice((2, 3, 4), n, p=(0.6, 0.3, 0.1)), 1)
    cancelled = rng.random(n) < 0.03
    resolution = _resolution_days(rng, svc, standard, involved, opened)
    closed = _close_times(rng, opened, np.where(cancelled, rng.integers(0, 4, n), resolution))
    forgotten = opened.astype("datetime64[D]") < END - 60
    is_open = _a_few(rng, forgotten, max(3, round(0.002 * n))) | (closed >= END_TS)
    status = np.where(is_open, 0, np.where(cancelled, 2, 1))
    reopened = (status == 1) & (rng.random(n) < 0.04)
    frame = pd.DataFrame(
        {
            "service": _cat(svc, SERVICES),
            "channel": _cat(chan, CHANNELS),
            "opened_at": opened,
            "closed_at": np.where(is_open, np.datetime64("NaT", "s"), closed),
            "standard_days": standard,
            "services_involved": involved,
            "reopened": _yn(reopened, ~is_open),
            "status": _cat(status, ("open", "closed", "cancelled")),
        }
    )
    frame = _with_carry_over(frame)
    frame.insert(0, "case_id", _ids("CS", len(frame), 8))
    return frame


def _with_carry_over(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the cases opened before April 2022 that closed after it: without them the first
    months would only hold quick cases and look far better than they were. They mirror the
    cases opened in April and May 2022, moved back nine weeks (weekdays kept)."""
    shift = np.timedelta64(63, "D")
    first = frame["opened_at"] < MONTHS[0].astype("datetime64[s]") + shift
    early = frame[first & (frame["status"] != "open")].copy()
    early["opened_at"] = early["opened_at"] - shift
    early["closed_at"] = early["closed_at"] - shift
    early = early[early["closed_at"] >= MONTHS[0].astype("datetime64[s]")]
    both = pd.concat([early, frame], ignore_index=True)
    return both.sort_values("opened_at", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- satisfaction
def _people(rng: Rng, n: int) -> dict[str, Arr]:
    """True demographics of n respondents as category codes."""
    return {
        "age": rng.choice(7, n, p=AGE_P),
        "sex": rng.choice(2, n, p=(0.52, 0.48)),
        "dis": (rng.random(n) < 0.18).astype(np.int64),
        "eth": rng.choice(6, n, p=ETHNICITY_P),
        "fle": (rng.random(n) < 0.92).astype(np.int64),
        "imd": rng.choice(5, n, p=IMD_P),
        "ward": rng.integers(0, len(WARDS), n),
    }


def _reported(rng: Rng, people: dict[str, Arr]) -> dict[str, Arr]:
    """Demographics as reported: about 3% 'prefer not to say' (blank) per question."""
    asked = ("age", "sex", "dis", "eth", "fle")  # deprivation and ward come from the address
    return {
        k: np.where((rng.random(v.size) < 0.03) & (k in asked), -1, v) for k, v in people.items()
    }


def _likert(rng: Rng, satisfied: Arr) -> Arr:
    """1-5 scores: 4 or 5 when satisfied, 1-3 otherwise."""
    n = satisfied.size
    low = rng.choice((1, 2, 3), n, p=(0.25, 0.3, 0.45))
    return np.where(satisfied, 4 + (rng.random(n) < 0.45), low)


def _answers(survey: int, day: Arr, question: Arr, score: Arr, **cols) -> pd.DataFrame:
    """Answer-level frame of codes; columns not given are blank (-1), weight defaults to 1."""
    n = day.size
    frame = {
        "survey": np.full(n, survey),
        "resp": np.arange(n),
        "day": day,
        "q": question,
        "score": score,
        "wk": np.full(n, 1000),
    }
    blanks = ("svc", "chan", "age", "sex", "dis", "eth", "fle", "imd", "ward")
    frame.update({k: np.full(n, -1) for k in blanks})
    frame.update(cols)
    return pd.DataFrame(frame)


def _resident_survey(rng: Rng, scale: float) -> pd.DataFrame:
    """Quarterly resident survey waves in the middle month of each quarter, two questions each."""
    waves = np.arange(1, MONTHS.size, 3)
    month_index = np.repeat(waves, rng.poisson(390 * scale, waves.size))
    n = month_index.size
    people = _people(rng, n)
    p_sat = 0.61 + 0.03 * _progress()[month_index] + np.array(IMD_EFFECT)[people["imd"]]
    group, u = people["imd"] * 100 + month_index, rng.random(n)
    satisfied = _quota(rng, p_sat, group, u)
    trust_priority = np.where(rng.random(n) < 0.6, u, rng.random(n))  # trust goes with it
    trusts = _quota(rng, p_sat - 0.05, group, trust_priority)
    weight = np.round(np.clip(rng.lognormal(-0.05, 0.35, n), 0.4, 2.5) * 1000).astype(np.int64)
    day = _random_days(rng, month_index, 1.0)
    frame = _answers(
        0, day, np.zeros(n, np.int64), _likert(rng, satisfied), wk=weight, **_reported(rng, people)
    )
    return pd.concat([frame, frame.assign(q=1, score=_likert(rng, trusts))], ignore_index=True)


def _post_contact(rng: Rng, scale: float) -> pd.DataFrame:
    """Monthly post-contact survey: the app lags the phone; web and app fail older and disabled."""
    month_index = np.repeat(np.arange(MONTHS.size), rng.poisson(235 * scale, MONTHS.size))
    n = month_index.size
    chan = _pick(rng, _channel_shares(), month_index)
    people = _people(rng, n)
    barrier = np.isin(chan, (WEB, APP)) & ((people["age"] >= 5) | (people["dis"] == 1))
    p = np.array(POST_CONTACT_P)[chan] - DIGITAL_PENALTY * barrier
    satisfied = _quota(rng, p, chan * 2 + barrier)
    day = _random_days(rng, month_index, 0.6)
    return _answers(
        1,
        day,
        np.full(n, 2),
        _likert(rng, satisfied),
        chan=chan,
        svc=rng.choice(len(SERVICES), n, p=CONTACT_MIX),
        **_reported(rng, people),
    )


def _staff_survey(rng: Rng, scale: float) -> pd.DataFrame:
    """Annual October staff survey 2022-2025; agreement that the council is customer focused."""
    octobers = np.flatnonzero(MONTHS.astype(np.int64) % 12 == 9)[:4]
    month_index = np.repeat(octobers, rng.poisson(600 * scale, octobers.size))
    n = month_index.size
    year = np.searchsorted(octobers, month_index)
    agree = _quota(rng, np.array((0.62, 0.66, 0.70, 0.74))[year], year)
    staff_p = np.array(STAFF_IN_POST) / sum(STAFF_IN_POST)
    day = _random_days(rng, month_index, 0.0)
    return _answers(
        2, day, np.full(n, 3), _likert(rng, agree), svc=rng.choice(len(SERVICES), n, p=staff_p)
    )


def _mystery_shop(rng: Rng, scale: float) -> pd.DataFrame:
    """Monthly mystery shop visits, each scored met (5) or not met (1) on five standards."""
    month_index = np.repeat(np.arange(MONTHS.size), rng.poisson(38 * scale, MONTHS.size))
    n = month_index.size
    which = rng.choice(4, n, p=(0.35, 0.25, 0.2, 0.2))
    day, svc = _random_days(rng, month_index, 0.0), rng.choice(len(SERVICES), n, p=CONTACT_MIX)
    chan = np.array(MYSTERY_CHANNELS)[which]
    visits = [
        _answers(3, day, np.full(n, 4 + k), np.zeros(n, np.int64), svc=svc, chan=chan)
        for k in range(5)
    ]
    met_p = np.tile(np.array(MYSTERY_P)[which], 5) + np.repeat(MYSTERY_QUESTION_SHIFT, n)
    met = _quota(rng, met_p, np.tile(which, 5) * 5 + np.repeat(np.arange(5), n))
    return pd.concat(visits, ignore_index=True).assign(score=np.where(met, 5, 1))


def _satisfaction(rng: Rng, scale: float) -> pd.DataFrame:
    """All survey answers, one row per respondent and question, sorted by date."""
    builders = (_resident_survey, _post_contact, _staff_survey, _mystery_shop)
    a = pd.concat([build(rng, scale) for build in builders], ignore_index=True)
    key = a["survey"].to_numpy() * 10_000_000 + a["resp"].to_numpy()
    order = np.lexsort((a["q"].to_numpy(), key, a["day"].to_numpy()))
    code = {k: a[k].to_numpy()[order] for k in a.columns}
    key = key[order]
    respondent = np.cumsum(np.r_[True, key[1:] != key[:-1]])[: key.size]  # in date order
    return pd.DataFrame(
        {
            "response_id": _padded("SR", respondent, 8),
            "survey": _cat(code["survey"], SURVEYS),
            "responded_on": code["day"],
            "question": _cat(code["q"], QUESTIONS),
            "score": code["score"],
            "weight": _decimals(code["wk"]),
            "service": _cat(code["svc"], SERVICES),
            "channel": _cat(code["chan"], CHANNELS),
            "age_band": _cat(code["age"], AGE_BANDS),
            "sex": _cat(code["sex"], ("female", "male")),
            "disability": _yn(np.maximum(code["dis"], 0), code["dis"] >= 0),
            "ethnicity": _cat(code["eth"], ETHNICITIES),
            "first_language_english": _yn(np.maximum(code["fle"], 0), code["fle"] >= 0),
            "imd_quintile": _int(code["imd"] + 1, code["imd"] >= 0),
            "ward": _cat(code["ward"], WARDS),
        }
    )


# ---------------------------------------------------------------- complaints
def _acknowledgement_days(rng: Rng, n: int) -> Arr:
    """Working days to acknowledge: 92% within five."""
    prompt = rng.choice(6, n, p=(0.1, 0.3, 0.25, 0.15, 0.12, 0.08))
    return np.where(rng.random(n) < 0.92, prompt, rng.integers(6, 13, n))


def _extension(rng: Rng, eligible: Arr, share: float, limit: int) -> Arr:
    """Extra working days granted (0 = none); about 10% of extensions exceed `limit`."""
    n = eligible.size
    granted = eligible & (rng.random(n) < share)
    too_long = _quota(rng, 0.10 * granted)
    extra = np.where(
        too_long, rng.integers(limit + 1, 2 * limit + 1, n), rng.integers(1, limit + 1, n)
    )
    return np.where(granted, extra, 0)


def _response_days(rng: Rng, on_time: Arr, extra: Arr, limit: int) -> Arr:
    """Working days from acknowledgement to response, meeting or missing the deadline."""
    deadline = limit + extra
    earliest = np.where(extra > 0, limit + 1, 1)  # extensions are taken when a deadline slips
    met = earliest + np.floor(rng.random(on_time.size) * (deadline - earliest + 1))
    missed = deadline + 1 + np.floor(rng.exponential(limit / 2, on_time.size))
    return np.where(on_time, met, missed).astype(np.int64)


def _complaint_stage(rng: Rng, received: Arr, stage: int) -> dict[str, Arr]:
    """Acknowledgement, extension, response dates and outcome codes for one stage."""
    n, limit = received.size, (10 if stage == 1 else 20)
    outcome_p = (0.20, 0.25, 0.49, 0.03, 0.03) if stage == 1 else (0.15, 0.20, 0.59, 0.03, 0.03)
    outcome = _pick(rng, np.array([outcome_p]), np.zeros(n, dtype=np.int64))
    substantive = outcome <= 2  # refused and withdrawn complaints are closed quickly
    ack = add_working_days(received, _acknowledgement_days(rng, n))
    extra = _extension(rng, substantive, 0.15 if stage == 1 else 0.20, limit)
    on_time = _quota(rng, np.full(n, 0.88 if stage == 1 else 0.70))
    days = np.where(substantive, _response_days(rng, on_time, extra, limit), rng.integers(1, 6, n))
    extended = np.where(extra > 0, add_working_days(ack, limit + extra), np.datetime64("NaT"))
    return {
        "ack": ack,
        "extended": extended.astype("datetime64[D]"),
        "responded": add_working_days(ack, days),
        "outcome": outcome,
    }


def _close_out(rng: Rng, rows: dict[str, Arr], received: Arr) -> None:
    """Blank whatever lies after 30 September 2026 and leave a handful of old complaints open."""
    nat = np.datetime64("NaT", "D")
    overdue = _a_few(rng, received < END - 75, max(2, round(0.003 * received.size)))
    is_open = overdue | (rows["responded"] > END)
    rows["responded"] = np.where(is_open, nat, rows["responded"])
    rows["outcome"] = np.where(is_open, -1, rows["outcome"])
    not_yet = rows["ack"] > END
    rows["ack"] = np.where(not_yet, nat, rows["ack"])
    rows["extended"] = np.where(not_yet, nat, rows["extended"])


def _ombudsman(rng: Rng, svc: Arr, rows: dict[str, Arr]) -> tuple[Arr, Arr]:
    """Ombudsman referral (a few % of answered stage 2 complaints) and its outcome code."""
    n = svc.size
    answered = (rows["outcome"] >= 0) & (rows["outcome"] <= 2)
    referred = _quota(rng, np.where(answered, 0.07, 0.0))
    body = np.where(referred, np.where(svc == HOUSING, 2, 1), 0)
    decided = referred & (rows["responded"] < END - 90) & (rng.random(n) < 0.85)  # else pending
    return body, np.where(decided, rng.choice(3, n, p=(0.35, 0.3, 0.35)), -1)


def _complaint_frame(rng: Rng, stage: int, ix: Arr, rows: dict[str, Arr], extra: dict) -> dict:
    """Columns of one stage's rows (ix indexes the stage 1 complaints)."""
    m, outcome = ix.size, rows["outcome"]
    chan_p = (0.25, 0.40, 0.20, 0.08, 0.07) if stage == 1 else (0.10, 0.45, 0.35, 0.10, 0.0)
    return {
        "complaint_id": extra["ids"][ix],
        "stage": np.full(m, stage),
        "service": _cat(extra["svc"][ix], SERVICES),
        "channel": _cat(np.array(COMPLAINT_CHANNELS)[rng.choice(5, m, p=chan_p)], CHANNELS),
        "received_on": rows["received"],
        "acknowledged_on": rows["ack"],
        "extended_to": rows["extended"],
        "responded_on": rows["responded"],
        "outcome": _cat(outcome, OUTCOMES),
        "category": _cat(extra["category"][ix], CATEGORIES),
        "contractor": _cat(extra["contractor"][ix], CONTRACTORS),
        "ombudsman": _cat(rows.get("body", np.zeros(m)), OMBUDSMEN),
        "ombudsman_outcome": _cat(rows.get("body_outcome", np.full(m, -1)), OMBUDSMAN_OUTCOMES),
        "refusal_reason": _cat(np.where(outcome == 4, rng.choice(5, m), -1), REFUSALS),
        "_order": ix * 2 + stage,
    }


def _complaints(rng: Rng, scale: float) -> pd.DataFrame:
    """Stage 1 complaints and their stage 2 escalations, one row per complaint and stage."""
    counts = rng.poisson(_monthly_expected(COMPLAINT_MIX, 4000 / 1.12 * scale))
    month_index = np.repeat(np.arange(MONTHS.size), counts.sum(axis=1))
    svc = np.repeat(np.tile(np.arange(len(SERVICES)), MONTHS.size), counts.ravel())
    received = _random_days(rng, month_index, 0.3)
    order = np.lexsort((rng.random(svc.size), received))
    svc, received, n = svc[order], received[order], svc.size
    mix = np.array([CATEGORY_MIX.get(s, CATEGORY_MIX[None]) for s in SERVICES], dtype=float)
    contractor_of = np.full(len(SERVICES), -1)
    contractor_of[list(CONTRACTOR_SERVICE)] = np.arange(3)
    about_contractor = _quota(rng, 0.15 * (contractor_of[svc] >= 0), svc)
    shared = {
        "ids": _ids("CMP", n, 6),
        "svc": svc,
        "category": _pick(rng, mix, svc),
        "contractor": np.where(about_contractor, contractor_of[svc], -1),
    }
    one = _complaint_stage(rng, received, 1) | {"received": received}
    escalate_p = np.array((0.05, 0.12, 0.17, 0.0, 0.0))[one["outcome"]]  # the unhappy escalate
    _close_out(rng, one, received)
    escalated = np.flatnonzero(
        _quota(rng, np.where(one["outcome"] >= 0, escalate_p, 0.0), one["outcome"])
    )
    received2 = add_working_days(one["responded"][escalated], rng.integers(1, 11, escalated.size))
    idx, received2 = escalated[received2 <= END], received2[received2 <= END]
    two = _complaint_stage(rng, received2, 2) | {"received": received2}
    _close_out(rng, two, received2)
    two["body"], two["body_outcome"] = _ombudsman(rng, svc[idx], two)
    frames = [
        pd.DataFrame(_complaint_frame(rng, 1, np.arange(n), one, shared)),
        pd.DataFrame(_complaint_frame(rng, 2, idx, two, shared)),
    ]
    both = pd.concat(frames, ignore_index=True).sort_values("_order", kind="stable")
    return both.drop(columns="_order")


# ---------------------------------------------------------------- small extracts (do not scale)
def _returns(rng: Rng) -> list[tuple]:
    """Monthly training completion per service and quarterly contractor standards checks."""
    rows, staff = [], np.array(STAFF_IN_POST)
    for m, month in enumerate(MONTHS):
        denominator = np.clip(staff + rng.integers(-3, 4, staff.size), 20, 300)
        rate = np.clip(0.78 + 0.16 * _progress()[m] + rng.normal(0, 0.015, staff.size), 0, 0.99)
        numerator = rng.binomial(denominator, rate)
        rows += [
            (
                "training_completion",
                str(month.astype("datetime64[D]")),
                SERVICES[k],
                "",
                int(numerator[k]),
                int(denominator[k]),
            )
            for k in range(staff.size)
        ]
    for month in MONTHS[::3]:
        checks = rng.integers(30, 61, 3)
        passed = rng.binomial(checks, CONTRACTOR_PASS)
        rows += [
            (
                "contractor_checks",
                str(month.astype("datetime64[D]")),
                SERVICES[CONTRACTOR_SERVICE[k]],
                CONTRACTORS[k],
                int(passed[k]),
                int(checks[k]),
            )
            for k in range(3)
        ]
    return rows


def _num(value: float) -> str:
    """Plain number with at most three decimals."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _targets() -> list[tuple]:
    """One row per measure (and service, where set) per financial year."""
    years = [f"{y}-04-01" for y in range(2022, 2027)]
    items = [((measure, ""), spec) for measure, spec in TARGETS.items()]
    return [
        (measure, service, year, _num(value), _num(margin))
        for (measure, service), (values, margin) in items + list(SERVICE_TARGETS.items())
        for year, value in zip(years, values, strict=True)
    ]


def _actions() -> list[tuple]:
    """The action plan with sequential ids, parsed from the compact ACTIONS table."""
    rows = []
    for i, block in enumerate(re.split(r"\n(?=\S)", ACTIONS.strip()), start=1):
        fields = [f.strip() for f in "".join(block.split("\n")).split("|")]
        pillar, due, status, pct, updated, title, owner, measures, categories, note = fields
        rows.append(
            (
                f"A{i:02d}",
                pillar,
                title,
                owner,
                due,
                status,
                pct,
                updated,
                note,
                measures,
                categories,
            )
        )
    return rows


# ---------------------------------------------------------------- peers (benchmarking)
EASTVALE_CODE = "E07000999"  # fictional: real district codes stop well short of 999
PEER_GROUP = "Nearest neighbours (fictional)"
NEIGHBOURS = (
    ("E07000901", "Ambermoor"),
    ("E07000902", "Brackenridge"),
    ("E07000903", "Coldmere"),
    ("E07000904", "Dunholt"),
    ("E07000905", "Eldermouth"),
    ("E07000906", "Fernhallow"),
    ("E07000907", "Glenmoor"),
    ("E07000908", "Hartwell Vale"),
    ("E07000909", "Ivermere"),
    ("E07000910", "Kestrel Downs"),
    ("E07000911", "Larkspur"),
    ("E07000912", "Millbrook Vale"),
    ("E07000913", "Northwold"),
    ("E07000914", "Oakhaven"),
    ("E07000915", "Pelham Fields"),
)
PEER_YEARS = (2022, 2023, 2024, 2025)  # financial years 2022/23 to 2025/26, published
# measure: (neighbours' mean in 2022/23, spread between councils, change a year, lowest,
# highest). Eastvale publishes its own figure for the first three, worked out from its
# extracts as the dashboard works it out; it has no row for stage 1 timeliness, so the
# dashboard compares its own figure, labelled as such.
PEER_MEASURES = {
    "call_abandonment": (10.5, 3.0, -0.5, 2.0, 25.0),
    "complaints_upheld": (47.0, 7.0, -0.8, 20.0, 80.0),
    "resident_satisfaction": (60.0, 4.5, 0.4, 40.0, 80.0),
    "stage1_on_time": (76.0, 7.0, 1.5, 40.0, 99.0),
}
# three neighbours publish complaints upheld at stage 1 only: not the council's definition
OTHER_DEFINITION = {("complaints_upheld", "E07000903"), ("complaints_upheld", "E07000908")}
OTHER_DEFINITION |= {("complaints_upheld", "E07000913")}


class _OwnFigures:
    """Eastvale's own figure per financial year for the measures it publishes in the peers
    file, tallied from the extracts as they are written (its published row is the figure the
    dashboard works out: like for like)."""

    def __init__(self) -> None:
        self.sums: dict[tuple[str, int], list[float]] = {}

    def _add(self, measure: str, stamps, hit, weight=None) -> None:
        stamps = pd.to_datetime(pd.Series(stamps))
        frame = pd.DataFrame(
            {
                "fy": (stamps.dt.year - (stamps.dt.month < 4)).to_numpy(),
                "all": 1.0 if weight is None else np.asarray(weight, dtype=float),
            }
        )
        frame["hit"] = np.where(np.asarray(hit, dtype=bool), frame["all"], 0.0)
        for year, row in frame.groupby("fy")[["hit", "all"]].sum().iterrows():
            tally = self.sums.setdefault((measure, int(year)), [0.0, 0.0])
            tally[0] += row["hit"]
            tally[1] += row["all"]

    def contacts(self, frames):
        """Pass each month's contacts on, counting abandoned calls of calls offered."""
        for frame in frames:
            calls = frame[frame["channel"] == "phone"]
            self._add("call_abandonment", calls["received_at"], calls["abandoned"] == "Y")
            yield frame

    def complaints(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Count decisions upheld in full or part, of all decisions, by response date."""
        decided = frame[frame["outcome"].isin(("upheld", "partly_upheld", "not_upheld"))]
        upheld = decided["outcome"].isin(("upheld", "partly_upheld"))
        self._add("complaints_upheld", decided["responded_on"], upheld)
        return frame

    def satisfaction(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Weigh residents satisfied with the council (4 or 5) against all who answered."""
        asked = frame[
            (frame["survey"] == "resident_survey") & (frame["question"] == "satisfied_with_council")
        ]
        weight = pd.to_numeric(asked["weight"])
        self._add("resident_satisfaction", asked["responded_on"], asked["score"] >= 4, weight)
        return frame

    def value(self, measure: str, year: int) -> float | None:
        """The per cent for a financial year, or None when nothing was counted."""
        hit, total = self.sums.get((measure, year), (0.0, 0.0))
        return 100 * hit / total if total else None


def _peers(rng: Rng, own: _OwnFigures) -> list[tuple]:
    """Published figures for Eastvale and its 15 neighbours, four financial years, as a
    benchmarking download has them: each neighbour sits a steady distance from the group's
    mean (its own level), moves with the group's trend and varies a little each year."""
    rows = []
    for measure, (mean, spread, trend, low, high) in PEER_MEASURES.items():
        level = rng.normal(0, spread, len(NEIGHBOURS))
        noise = rng.normal(0, spread / 4, (len(PEER_YEARS), len(NEIGHBOURS)))
        for y, year in enumerate(PEER_YEARS):
            period = f"{year}-04-01"
            figures = np.clip(mean + trend * y + level + noise[y], low, high)
            ours = own.value(measure, year) if measure != "stage1_on_time" else None
            councils = [(EASTVALE_CODE, "Eastvale", ours)] if ours is not None else []
            councils += [(code, name, v) for (code, name), v in zip(NEIGHBOURS, figures)]
            rows += [
                (
                    code,
                    name,
                    measure,
                    period,
                    "year",
                    f"{value:.1f}",
                    PEER_GROUP,
                    "N" if (measure, code) in OTHER_DEFINITION else "Y",
                )
                for code, name, value in councils
            ]
    return rows


# ---------------------------------------------------------------- writing
COUNCIL_SETTINGS = """\
# The council's own settings, kept beside its extracts (see config/settings.toml for every
# key). Eastvale is fictional: these extracts are synthetic (python -m tools.sample).
council = "Eastvale Council"
data_label = "Eastvale sample extracts"
demonstration = true  # synthetic extracts ending September 2026: labelled, never "stale"
area_code = "E07000999"  # Eastvale's own rows in peers.csv (a fictional code)
"""


def _write(path: Path, header: str, chunks, date_format: str | None = None) -> int:
    """Write a CSV, gzipped with no name or time stamp when it ends .gz; return data rows."""
    rows = 0
    with path.open("wb") as raw:
        gz = None
        if path.suffix == ".gz":
            gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6)
        with io.TextIOWrapper(gz or raw, encoding="utf-8", newline="") as text:
            writer = csv.writer(text, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(header.split(","))
            for chunk in chunks:
                if isinstance(chunk, pd.DataFrame):
                    chunk.to_csv(
                        text,
                        header=False,
                        index=False,
                        lineterminator="\n",
                        date_format=date_format,
                    )
                else:
                    writer.writerows(chunk)
                rows += len(chunk)
    return rows


def generate(out: Path, scale: float = 1.0, seed: int = 20260930) -> dict[str, int]:
    """Write every extract under `out`; return the number of rows written per file name."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    own = _OwnFigures()  # Eastvale's published figures, tallied as the extracts are written
    jobs = {
        "contacts.csv.gz": (lambda: own.contacts(_contact_frames(rngs[0], scale)), TIMESTAMP),
        "cases.csv.gz": (lambda: [_cases(rngs[1], scale)], TIMESTAMP),
        "satisfaction.csv.gz": (lambda: [own.satisfaction(_satisfaction(rngs[2], scale))], DATE),
        "complaints.csv": (lambda: [own.complaints(_complaints(rngs[3], scale))], DATE),
        "returns.csv": (lambda: [_returns(rngs[4])], None),
        "targets.csv": (lambda: [_targets()], None),
        "actions.csv": (lambda: [_actions()], None),
        "events.csv": (lambda: [EVENTS], None),
        "commentary.csv": (lambda: [COMMENTARY], None),
        "peers.csv": (lambda: [_peers(rngs[5], own)], None),  # last: after what it tallies
    }
    (out / "council.toml").write_text(COUNCIL_SETTINGS, encoding="utf-8")
    return {
        name: _write(out / name, COLUMNS[name], make(), fmt) for name, (make, fmt) in jobs.items()
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point: generate the extracts and print name, rows and bytes per file."""
    parser = argparse.ArgumentParser(description="Generate the Eastvale Council sample extracts.")
    parser.add_argument("--out", type=Path, default=Path("data/sample"))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20260930)
    args = parser.parse_args(argv)
    for name, rows in generate(args.out, args.scale, args.seed).items():
        print(f"{name:<22}{rows:>12,} rows{(args.out / name).stat().st_size:>14,} bytes")


if __name__ == "__main__":
    main()
