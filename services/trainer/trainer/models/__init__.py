"""Pydantic models of the trainer: settings, incoming events, registry records, outcomes."""
