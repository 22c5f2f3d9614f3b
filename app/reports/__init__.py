"""Incident reports: intake, classification, investigation, actions, statistics."""
