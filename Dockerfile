# The customer service scorecard in a container: Streamlit on port 8501, run by a user
# without root, with the extracts, the cache and the app's own state (commentary, audit log,
# frozen snapshots) in volumes. docs/deployment.md says how to run it.
#
#   docker build -t scorecard .
#   docker run -p 8501:8501 -e SCORECARD_ACCESS=public -e SCORECARD_DATA=/app/data/sample scorecard
#
# Pinned to Debian 12 (bookworm): the plain 3.11-slim tag has moved to a newer Debian.
FROM python:3.11-slim-bookworm

# Chromium draws the committee papers' charts (Kaleido) and prints them to PDF; without it
# the papers carry the tables only. Debian's package, so no browser is downloaded at run time.
# Not pinned to a version: bookworm-security replaces Chromium's often, dropping old ones.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# Only what the dashboard reads at run time (its pages are in scorecard/ui/pages). Never
# .streamlit/secrets.toml: sign-in settings are mounted at run time (STREAMLIT_SECRETS_FILES).
COPY app.py ./
COPY scorecard/ scorecard/
COPY queries/ queries/
COPY config/ config/
COPY mappings/ mappings/
COPY data/ data/
COPY .streamlit/config.toml .streamlit/config.toml

# The user that runs the dashboard owns only the folders it writes. The code stays root's.
RUN groupadd --system --gid 10001 scorecard \
    && useradd --system --uid 10001 --gid scorecard --home-dir /home/scorecard \
        --create-home --shell /usr/sbin/nologin scorecard \
    && mkdir -p /srv/scorecard/data /srv/scorecard/cache /srv/scorecard/state/snapshots \
        /srv/scorecard/config \
    && chown -R scorecard:scorecard /srv/scorecard

# Where the settings (scorecard/settings.py) look. The data folder starts empty: mount the
# council's extracts there, or set SCORECARD_DATA=/app/data/sample to try the sample.
# access: internal (sign-in) by default, since "local" admits only visitors on the machine
# itself and nobody reaches a container that way; public for publishing (docs/access.md).
# STREAMLIT_SECRETS_FILES names where secrets.toml is mounted; it holds no secret itself.
# hadolint ignore=DL3064
ENV SCORECARD_DATA=/srv/scorecard/data \
    SCORECARD_CACHE=/srv/scorecard/cache \
    SCORECARD_STATE=/srv/scorecard/state \
    SCORECARD_SNAPSHOTS=/srv/scorecard/state/snapshots \
    SCORECARD_ACCESS=internal \
    SCORECARD_ACCESS_FILE=/srv/scorecard/config/access.toml \
    STREAMLIT_SECRETS_FILES=/srv/scorecard/config/secrets.toml \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

VOLUME ["/srv/scorecard/data", "/srv/scorecard/cache", "/srv/scorecard/state"]

USER 10001:10001
EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4); sys.exit(0 if r.read().strip() == b'ok' else 1)"]

CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", \
     "--server.headless=true", "--server.fileWatcherType=none"]
