"""The only code in etl-trigger that talks to AWS (boto3)."""
