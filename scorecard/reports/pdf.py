"""Print an HTML file to PDF with headless Chromium (Debian's package; nothing downloaded).

Where Chromium is not installed, `html_to_pdf` returns None and the caller offers the HTML
alone. Chromium runs with a throwaway profile and no background networking, so printing a
self-contained report makes no requests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
    "--disable-dev-shm-usage",  # a container's /dev/shm is 64 MB by default
    # let the page's scripts (plotly) finish drawing before the page is printed
    "--run-all-compositor-stages-before-draw",
    "--virtual-time-budget=15000",
)


def chromium() -> str | None:
    """The Chromium executable (SCORECARD_CHROMIUM, else the first found on PATH), or None."""
    chosen = os.environ.get("SCORECARD_CHROMIUM")
    for name in (chosen,) if chosen else CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html_path: Path | str, pdf_path: Path | str, timeout: int = 180) -> Path | None:
    """Print `html_path` to `pdf_path` (A4, as the page's print CSS sets it); None when
    Chromium is not installed. Raises RuntimeError if Chromium runs but writes no PDF."""
    executable = chromium()
    if executable is None:
        return None
    source, target = Path(html_path).resolve(), Path(pdf_path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="scorecard-chromium-") as profile:
        command = [
            executable,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if not target.is_file() or target.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-3:]
        raise RuntimeError(
            f"Chromium did not write {target.name} (exit {done.returncode}): " + " ".join(tail)
        )
    return target


def pdf_maker(html_maker, name: str):
    """For a download button: a function that prints what `html_maker` returns to PDF and
    gives its bytes (empty when Chromium is not installed)."""

    def make() -> bytes:
        with tempfile.TemporaryDirectory(prefix=f"{name}-") as folder:
            source = Path(folder) / f"{name}.html"
            source.write_text(html_maker(), encoding="utf-8")
            made = html_to_pdf(source, Path(folder) / f"{name}.pdf")
            return made.read_bytes() if made else b""

    return make
