"""The only trainer code that talks to AWS (boto3 clients are created lazily)."""
