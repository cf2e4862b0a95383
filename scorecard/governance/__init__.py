"""Governance: who may see and change what (access), the app's own database (appdb: the
commentary written in the app and the audit log) and commentary's life cycle."""
