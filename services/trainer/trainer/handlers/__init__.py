"""Lambda entry points (SQS batches whose bodies are EventBridge envelopes)."""
