"""Questionnaire files: format, loading with located error messages, and scoring."""

from __future__ import annotations

from selfcheck.questionnaire.loader import QuestionnaireError, load_questionnaire
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.questionnaire.scoring import FieldResult, score

__all__ = ["FieldResult", "Questionnaire", "QuestionnaireError", "load_questionnaire", "score"]
