"""Complaints under the Complaint Handling Code: the figures (mirroring queries/complaints)
and the panels the Complaints page and the annual report both draw."""
