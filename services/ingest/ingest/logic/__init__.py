"""Pure domain code: sniffing and the ingest decision; adapters are passed in."""
