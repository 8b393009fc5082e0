"""The only code touching AWS (boto3): S3 reads/copies, DynamoDB, EventBridge."""
