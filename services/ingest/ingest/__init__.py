"""Ingest service: sniffs files dropped in the raw bucket, records or quarantines them."""
