"""Verification: every check in order, presentations, status sources and bounded fetches, reports."""
