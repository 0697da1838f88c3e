from __future__ import annotations

from tests.reporting.conftest import Diverging, diverging, questionnaire

__all__ = ["Diverging", "diverging", "questionnaire"]  # a workshop with votes and groups
