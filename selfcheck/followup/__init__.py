"""The follow-up cycle: the next Selbstcheck of a municipality starts from the last one,
with its unchanged answers and its open measures (uses assessments and actionplan)."""
