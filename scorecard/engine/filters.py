"""What the user asked for, and the one place it becomes bound SQL parameters.

Every query that honours the service and channel filters takes `$services` and `$channels`:
a list of names, or NULL for all. `sql_params` is the only conversion, used by the measure
engine, the pillar sections, the complaint figures and the resident-group breakdowns, so a
filter means the same thing in every figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from . import calendar as cal

DIMENSIONS = ("service", "channel")


def sql_params(
    services: Iterable[str] = (),
    channels: Iterable[str] = (),
    split: Iterable[str] = DIMENSIONS,
    **extra,
) -> dict:
    """`$services` and `$channels` for a query (a list, or None for all), each only where
    the figure is `split` by that dimension (a council-wide survey follows neither), plus
    any other parameters given."""
    split = tuple(split)
    return {
        "services": (list(services) or None) if "service" in split else None,
        "channels": (list(channels) or None) if "channel" in split else None,
    } | extra


@dataclass(frozen=True)
class Filters:
    """What the user asked for: grain, the periods shown, services and channels."""

    grain: str
    start: date
    end: date
    services: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    @property
    def report_start(self) -> date:
        """First day of the reporting period (the period containing `end`)."""
        return cal.period_start(self.end, self.grain)

    @property
    def single_service(self) -> str | None:
        """The service, when exactly one is chosen (its own targets then apply)."""
        return self.services[0] if len(self.services) == 1 else None

    def params(self, split: Iterable[str] = DIMENSIONS, **extra) -> dict:
        """These filters as bound parameters (see `sql_params`)."""
        return sql_params(self.services, self.channels, split, **extra)
