"""Pydantic models: the S3 event, the sniff result, the manifest record, settings."""
