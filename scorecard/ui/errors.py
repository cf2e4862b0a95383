"""Faults in the dashboard itself: never a traceback or a server path on screen.

An unexpected error while drawing a page or a section becomes one short message with a
reference; the same reference starts a line in the server log, with the traceback there. Tests
set SCORECARD_STRICT=1 so that a fault still fails them.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import time
from contextlib import contextmanager

import streamlit as st

LOG = logging.getLogger("scorecard")
if not LOG.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOG.addHandler(_handler)
    LOG.setLevel(logging.INFO)
    LOG.propagate = False


PAGES = logging.getLogger("scorecard.pages")  # each page's server-side time, in production too
SLOW_MS = 1000  # a page run slower than this is logged as a warning


@contextmanager
def timed(page: str, view: str):
    """Log how long the server took to run a page (queries, figures and layout), so slow
    pages show in the server log, not only in the benchmark."""
    start = time.perf_counter()
    try:
        yield
    finally:
        ms = (time.perf_counter() - start) * 1000
        PAGES.log(
            logging.WARNING if ms > SLOW_MS else logging.INFO,
            "page %s ran in %.0f ms (%s)",
            page or "overview",
            ms,
            view,
        )


def report(what: str, exc: BaseException) -> str:
    """Log a fault with its traceback under a new reference; return the reference."""
    reference = secrets.token_hex(4).upper()
    LOG.error("fault %s: %s could not be shown", reference, what, exc_info=exc)
    return reference


def message(what: str, reference: str) -> str:
    """The words a user sees for a fault."""
    return (
        f"{what} could not be shown because of a fault in the dashboard, not in your data. "
        f"Please report reference {reference}."
    )


@contextmanager
def guard(what: str):
    """Run a page or a section; a fault becomes a message with a reference, and the rest of
    the page carries on."""
    try:
        yield
    except Exception as exc:
        if os.environ.get("SCORECARD_STRICT"):
            raise
        st.error(message(what, report(what, exc)), icon=":material/bug_report:")
