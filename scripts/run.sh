#!/usr/bin/env bash
# Set up a virtual environment (first time only) and run the dashboard on the bundled
# sample extracts. Point it at your own folder with SCORECARD_DATA=/path/to/extracts.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
# install only when requirements.txt changed since the last install (a restart is quick)
stamp=.venv/.requirements.sha256
if ! sha256sum --status -c "$stamp" 2>/dev/null; then
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
  sha256sum requirements.txt > "$stamp"
fi
exec .venv/bin/python -m streamlit run app.py "$@"
