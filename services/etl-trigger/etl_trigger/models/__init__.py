"""Pydantic models of the etl-trigger service: incoming events, run state, settings."""
