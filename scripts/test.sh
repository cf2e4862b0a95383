#!/usr/bin/env bash
# Set up everything the tests need and run the whole suite (unit, query, AppTest and the
# browser tests in Debian's Chromium). Installs chromium with apt-get when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
sha256sum requirements.txt > .venv/.requirements.sha256  # run.sh: the runtime set is in
exec .venv/bin/python -m pytest "$@"
