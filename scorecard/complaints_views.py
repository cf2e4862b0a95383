"""Complaints pillar sections (Complaint Handling Code): being built."""

SECTIONS: dict = {"complaints_report": lambda ctx, filters: None}
