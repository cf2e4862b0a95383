"""Extract contracts: one declaration per CSV extract, used to validate, load and document.

Each `Extract` lists its columns (type, required, allowed values, range), its key and its
cross-field rules. `scorecard.ingest` turns these declarations into DuckDB casts and checks;
the Data & definitions page and the README table are rendered from the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass

CHANNELS = ("phone", "web", "email", "face_to_face", "webchat", "letter", "social", "app")
CHANNEL_WORDS = {
    "phone": "Phone",
    "web": "Website",
    "email": "Email",
    "face_to_face": "Face to face",
    "webchat": "Webchat",
    "letter": "Letter",
    "social": "Social media",
    "app": "App",
}
SURVEYS = ("resident_survey", "post_contact", "staff_survey", "mystery_shop")
OUTCOMES = ("upheld", "partly_upheld", "not_upheld", "withdrawn", "refused")
OMBUDSMEN = ("none", "lgsco", "housing")
OMBUDSMAN_OUTCOMES = ("upheld", "not_upheld", "not_investigated")
ACTION_STATUSES = ("not_started", "on_track", "at_risk", "delayed", "complete", "withdrawn")
CASE_STATUSES = ("open", "closed", "cancelled")
COMMENTARY_STATUSES = ("draft", "approved")
PERIOD_GRAINS = ("year", "quarter", "month")  # a published figure's period (peers)


@dataclass(frozen=True)
class Column:
    """One column of an extract: its type, whether it must be filled, and what it may hold."""

    name: str
    type: str  # text | enum | int | float | bool | date | timestamp
    description: str
    required: bool = True
    allowed: tuple = ()
    min: float | None = None
    max: float | None = None
    free_text: bool = False  # narrative text: never echoed in rejects or data-quality examples
    default: str | None = None  # value used when the cell is blank
    future: bool = False  # a date that may lie ahead (a deadline, a target's start)


@dataclass(frozen=True)
class Rule:
    """A cross-field rule; `kind` is not_before, required_when, blank_when or not_above."""

    kind: str
    column: str
    other: str
    values: tuple = ()
    reason: str = ""


@dataclass(frozen=True)
class Extract:
    """One CSV extract: its grain, columns, key and rules."""

    name: str
    grain: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    date_column: str
    rules: tuple[Rule, ...] = ()
    optional: bool = False
    activity: bool = True  # dated activity (freshness applies); False for plans and targets

    @property
    def file_stem(self) -> str:
        """The file name the loader looks for, without extension."""
        return self.name

    def column(self, name: str) -> Column:
        """The declared column called `name`."""
        return next(c for c in self.columns if c.name == name)


def _c(name, type_, description, **kw) -> Column:
    return Column(name, type_, description, **kw)


CONTACTS = Extract(
    name="contacts",
    grain="one customer contact",
    description="Every contact a resident makes, on any channel.",
    key=("contact_id",),
    date_column="received_at",
    columns=(
        _c("contact_id", "text", "Unique contact reference (used for counting only)."),
        _c("received_at", "timestamp", "When the contact was received (local time)."),
        _c("channel", "enum", "How the resident got in touch.", allowed=CHANNELS),
        _c("service", "text", "The service the contact was about."),
        _c(
            "site",
            "text",
            "Where it was handled: contact centre, a service centre, online.",
            required=False,
        ),
        _c(
            "wait_seconds",
            "int",
            "Queue time in seconds (phone and face to face).",
            required=False,
            min=0,
        ),
        _c("handle_seconds", "int", "Staff handling time in seconds.", required=False, min=0),
        _c("abandoned", "bool", "Phone: the caller hung up before being answered.", required=False),
        _c(
            "avoidable",
            "bool",
            "NI 14: the contact was avoidable (blank if not classified).",
            required=False,
        ),
        _c(
            "resolved_first_contact",
            "bool",
            "Resolved at the first contact (blank if unknown).",
            required=False,
        ),
        _c(
            "assisted_digital",
            "bool",
            "Staff completed an online transaction for the resident.",
            required=False,
            default="N",
        ),
        _c(
            "avoidable_reason",
            "text",
            "Why an avoidable contact happened (e.g. progress chasing, unclear information).",
            required=False,
        ),
    ),
)

CASES = Extract(
    name="cases",
    grain="one service request or case",
    description="Service requests and cases, with the service standard that applies.",
    key=("case_id",),
    date_column="opened_at",
    columns=(
        _c("case_id", "text", "Unique case reference."),
        _c("service", "text", "The service responsible."),
        _c("channel", "enum", "How the request came in.", allowed=CHANNELS, required=False),
        _c("opened_at", "timestamp", "When the case was opened."),
        _c("closed_at", "timestamp", "When it was closed (blank while open).", required=False),
        _c("standard_days", "int", "The service standard, in working days.", min=0, max=3650),
        _c(
            "services_involved",
            "int",
            "1 = one service; 2 or more = needs several services.",
            min=1,
            max=50,
            default="1",
        ),
        _c("reopened", "bool", "The case was reopened after closure.", required=False),
        _c("status", "enum", "open, closed or cancelled.", allowed=CASE_STATUSES),
    ),
    rules=(
        Rule("not_before", "closed_at", "opened_at", reason="closed before it was opened"),
        Rule(
            "required_when",
            "closed_at",
            "status",
            ("closed", "cancelled"),
            reason="status is closed but closed_at is blank",
        ),
        Rule(
            "blank_when",
            "closed_at",
            "status",
            ("open",),
            reason="status is open but closed_at is filled",
        ),
    ),
)

SATISFACTION = Extract(
    name="satisfaction",
    grain="one answer to one survey question",
    description="Resident, post-contact, staff and mystery-shopping survey answers.",
    key=("response_id", "question"),
    date_column="responded_on",
    columns=(
        _c("response_id", "text", "The respondent or visit (one per questionnaire)."),
        _c("survey", "enum", "Which survey the answer comes from.", allowed=SURVEYS),
        _c("responded_on", "date", "Date of the response."),
        _c("question", "text", "Question code, e.g. satisfied_with_council."),
        _c(
            "score",
            "int",
            "1 to 5; 4 and 5 count as satisfied, agree or standard met.",
            min=1,
            max=5,
        ),
        _c(
            "weight",
            "float",
            "Survey weight (blank = 1).",
            required=False,
            min=0.000001,
            max=1000,
            default="1",
        ),
        _c("service", "text", "Service the answer is about.", required=False),
        _c(
            "channel",
            "enum",
            "Channel used (post-contact, mystery shopping).",
            allowed=CHANNELS,
            required=False,
        ),
        _c("age_band", "text", "Age band, e.g. 65-74.", required=False),
        _c("sex", "text", "Sex as recorded by the survey.", required=False),
        _c("disability", "bool", "Respondent is disabled.", required=False),
        _c("ethnicity", "text", "Ethnic group.", required=False),
        _c("first_language_english", "bool", "First language is English.", required=False),
        _c(
            "imd_quintile",
            "int",
            "Deprivation quintile of home area (1 = most deprived).",
            required=False,
            min=1,
            max=5,
        ),
        _c("ward", "text", "Electoral ward of home address.", required=False),
    ),
)

COMPLAINTS = Extract(
    name="complaints",
    grain="one complaint at one stage",
    description="Complaints at stage 1 and stage 2, with dates, outcomes and Ombudsman referral.",
    key=("complaint_id", "stage"),
    date_column="received_on",
    columns=(
        _c("complaint_id", "text", "Complaint reference (the same at both stages)."),
        _c("stage", "int", "1 or 2.", allowed=(1, 2)),
        _c("service", "text", "The service complained about."),
        _c("channel", "enum", "How the complaint was made.", allowed=CHANNELS, required=False),
        _c("received_on", "date", "Date received at this stage (day 0)."),
        _c("acknowledged_on", "date", "Date acknowledged.", required=False),
        _c(
            "extended_to",
            "date",
            "New response deadline if extended (blank if not).",
            required=False,
            future=True,
        ),
        _c(
            "responded_on", "date", "Date of the stage response (blank while open).", required=False
        ),
        _c(
            "outcome",
            "enum",
            "Outcome at this stage (blank while open).",
            allowed=OUTCOMES,
            required=False,
        ),
        _c("category", "text", "Theme of the complaint.", required=False),
        _c("contractor", "text", "Contractor complained about (blank if none).", required=False),
        _c(
            "ombudsman",
            "enum",
            "Referred to an Ombudsman: none, lgsco or housing.",
            allowed=OMBUDSMEN,
            required=False,
            default="none",
        ),
        _c(
            "ombudsman_outcome",
            "enum",
            "The Ombudsman's decision (blank while pending).",
            allowed=OMBUDSMAN_OUTCOMES,
            required=False,
        ),
        _c("refusal_reason", "text", "Why a complaint was refused (refused only).", required=False),
    ),
    rules=(
        Rule(
            "not_before",
            "acknowledged_on",
            "received_on",
            reason="acknowledged before it was received",
        ),
        Rule(
            "not_before", "responded_on", "received_on", reason="responded before it was received"
        ),
        Rule(
            "not_before",
            "extended_to",
            "received_on",
            reason="extended to a date before it was received",
        ),
        Rule(
            "required_when",
            "responded_on",
            "outcome",
            OUTCOMES,
            reason="has an outcome but no response date (give the date it was answered, "
            "refused or withdrawn)",
        ),
    ),
)

RETURNS = Extract(
    name="returns",
    grain="one figure a service reports itself, for one period",
    description="Figures services report themselves (training completion, contractor checks).",
    key=("measure_id", "period_start", "service", "contractor"),
    date_column="period_start",
    columns=(
        _c("measure_id", "text", "The measure the figure feeds, e.g. training_completion."),
        _c("period_start", "date", "First day of the period reported."),
        _c("service", "text", "Reporting service."),
        _c("contractor", "text", "Contractor, for contractor checks.", required=False),
        _c("numerator", "float", "Count meeting the standard.", min=0),
        _c("denominator", "float", "Count in scope.", min=0.000001),
    ),
    rules=(
        Rule(
            "not_above", "numerator", "denominator", reason="numerator is larger than denominator"
        ),
    ),
)

TARGETS = Extract(
    name="targets",
    grain="one target for one measure from one period",
    description="Targets by measure (and optionally service), stepping up by period.",
    key=("measure_id", "service", "from_period"),
    date_column="from_period",
    activity=False,
    columns=(
        _c("measure_id", "text", "Measure the target applies to."),
        _c("service", "text", "Service (blank = council-wide).", required=False),
        _c("from_period", "date", "The target applies from this date until replaced.", future=True),
        _c("target", "float", "Target, in the measure's unit (percent as 0 to 100)."),
        _c(
            "amber_margin",
            "float",
            "A miss by no more than this is amber.",
            required=False,
            min=0,
            default="0",
        ),
    ),
)

ACTIONS = Extract(
    name="actions",
    grain="one action plan item",
    description="The strategy's action plan.",
    key=("action_id",),
    date_column="due_on",
    activity=False,
    columns=(
        _c("action_id", "text", "Action reference."),
        _c("pillar", "text", "Strategy pillar id."),
        _c("title", "text", "What will be done."),
        _c("owner", "text", "Owning role."),
        _c("due_on", "date", "Due date.", future=True),
        _c("status", "enum", "Delivery status.", allowed=ACTION_STATUSES),
        _c("progress_pct", "int", "Per cent complete.", required=False, min=0, max=100),
        _c("last_update_on", "date", "Date of the latest update.", required=False),
        _c("update", "text", "Latest progress note.", required=False, free_text=True),
        _c(
            "measures",
            "text",
            "Measures the action should move (ids, ';' separated).",
            required=False,
        ),
        _c("categories", "text", "Complaint themes it addresses (';' separated).", required=False),
    ),
)

EVENTS = Extract(
    name="events",
    grain="one dated event",
    description="Events drawn on trend charts (optional).",
    key=("date", "label", "measure"),
    date_column="date",
    activity=False,
    optional=True,
    columns=(
        _c("date", "date", "When it happened (or will: a planned change).", future=True),
        _c("label", "text", "Short label, e.g. New telephony."),
        _c("pillar", "text", "Pillar id (blank = all).", required=False),
        _c("measure", "text", "Measure id (blank = all in the pillar).", required=False),
        _c(
            "rebase",
            "bool",
            "Y: the process changed here, so SPC limits restart at this "
            "date for the measure named.",
            required=False,
            default="N",
        ),
    ),
)

COMMENTARY = Extract(
    name="commentary",
    grain="one commentary on one measure for one period",
    description="Commentary and corrective action beside measures (optional).",
    key=("measure", "period", "service"),
    date_column="period",
    activity=False,
    optional=True,
    columns=(
        _c("measure", "text", "Measure id."),
        _c("period", "date", "First day of the period commented on."),
        _c("service", "text", "Service (blank = council-wide).", required=False),
        _c("commentary", "text", "What explains the figure.", free_text=True),
        _c("corrective_action", "text", "What is being done.", required=False, free_text=True),
        _c("owner_role", "text", "Who owns the action (a role).", required=False),
        _c(
            "status",
            "enum",
            "draft or approved (blank = draft): only approved commentary is "
            "published (public mode, the committee pack, the annual report).",
            required=False,
            allowed=COMMENTARY_STATUSES,
            default="draft",
        ),
    ),
)

PEERS = Extract(
    name="peers",
    grain="one published figure for one council, measure and period",
    description=(
        "Figures published for similar councils (a benchmarking service's download, or a "
        "national indicator from LG Inform or Oflog), to compare the council with its peers "
        "(optional). The council's own row is the one with its area_code (council.toml)."
    ),
    key=("area_code", "measure", "period", "grain"),
    date_column="period",
    activity=False,
    optional=True,
    columns=(
        _c("area_code", "text", "The council's code, e.g. E07000999 (an ONS/GSS code)."),
        _c("area_name", "text", "The council's name."),
        _c(
            "measure",
            "text",
            "Measure id from the catalogue (map a download's indicator ids with values.measure).",
        ),
        _c(
            "period",
            "date",
            "The period the figure is for, as a date in it: its first day, e.g. 2025-04-01 "
            "for the financial year 2025/26 or for Q1 2025/26, 2025-09-01 for September 2025.",
        ),
        _c(
            "grain",
            "enum",
            "How long the period is: year (a financial year, April to March), quarter (a "
            "financial quarter) or month (blank = year).",
            required=False,
            allowed=PERIOD_GRAINS,
            default="year",
        ),
        _c("value", "float", "The published figure, in the measure's unit (percent as 0 to 100)."),
        _c(
            "peer_group",
            "text",
            "The comparison group, e.g. CIPFA nearest neighbours (blank = similar councils).",
            required=False,
        ),
        _c(
            "same_definition",
            "bool",
            "N: the published figure is defined differently from the council's own measure, "
            "and the comparison says so (blank = Y).",
            required=False,
            default="Y",
        ),
    ),
)

EXTRACTS: tuple[Extract, ...] = (
    CONTACTS,
    CASES,
    SATISFACTION,
    COMPLAINTS,
    RETURNS,
    TARGETS,
    ACTIONS,
    EVENTS,
    COMMENTARY,
    PEERS,
)
BY_NAME = {e.name: e for e in EXTRACTS}
