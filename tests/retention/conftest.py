from __future__ import annotations

from tests.reporting.conftest import Diverging, diverging, questionnaire, world_questionnaire

# A workshop with votes and groups, on the questionnaire version the reporting tests pin.
__all__ = ["Diverging", "diverging", "questionnaire", "world_questionnaire"]
