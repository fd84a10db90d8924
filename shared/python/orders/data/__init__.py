"""Data access: the only code that talks to DynamoDB, SQS and S3. No HTTP and no event shapes here."""
