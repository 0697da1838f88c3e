"""Assessments: the administration's answers, their history, conflicts and results."""
