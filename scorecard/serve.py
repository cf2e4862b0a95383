"""Start the dashboard: `python -m scorecard.serve [streamlit options]`, the same as
`streamlit run app.py` with one fix.

Streamlit treats an app whose folder holds `pages/` as an old-style multipage app until the
entry script first calls `st.navigation`. So, straight after a server starts, a pasted deep
link such as /access?grain=Quarter would open with a "Page not found" message before the
right page appears. Our pages are registered by `st.navigation` only, so the old behaviour is
switched off before the first session starts.
"""

from __future__ import annotations

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from .settings import ROOT


def main(argv: list[str] | None = None) -> None:
    """Run app.py with Streamlit, navigation by st.navigation from the first request."""
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *(argv or sys.argv[1:])]
    cli.main()


if __name__ == "__main__":
    main()
