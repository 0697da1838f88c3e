"""Deleting personal data on time: retention periods (`selfcheck purge`)."""
