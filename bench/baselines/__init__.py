"""Minimal boto3 handlers: what each of our functions is compared with in the cold-start benchmark."""
