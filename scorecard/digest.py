"""The change digest's command, `python -m scorecard.digest`: what changed on the scorecard
since the period before (scorecard/reports/digest.py; docs/digest.md)."""

import sys

from .reports.digest import main

if __name__ == "__main__":
    sys.exit(main())
