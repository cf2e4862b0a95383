"""`python -m scorecard.ingest`: validate the extracts and build the database."""

import sys

from .build import main

sys.exit(main())
