#!/usr/bin/env bash
# Set up a virtual environment (first time only) and run the dashboard on the bundled
# sample extracts. Point it at your own folder with SCORECARD_DATA=/path/to/extracts.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
exec .venv/bin/python -m streamlit run app.py "$@"
