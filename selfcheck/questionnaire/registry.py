"""All questionnaires of an installation, loaded once from the questionnaire folder."""

from __future__ import annotations

import re
from pathlib import Path

from selfcheck.questionnaire.loader import load_questionnaire
from selfcheck.questionnaire.schema import Questionnaire

DEFAULT_QUESTIONNAIRE_ID = "weltoffene-kommune"


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Natural order, so that "2026.10" comes after "2026.9"."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-]", version))


class QuestionnaireRegistry:
    def __init__(self, questionnaires: list[Questionnaire]) -> None:
        self._by_key = {(q.id, q.version): q for q in questionnaires}

    @classmethod
    def load_dir(cls, folder: Path) -> QuestionnaireRegistry:
        """Load every *.yaml file; a broken file stops the start with its location."""
        files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
        return cls([load_questionnaire(path) for path in files])

    def get(self, questionnaire_id: str, version: str) -> Questionnaire:
        """The exact version an assessment was pinned to. Raises KeyError if absent."""
        return self._by_key[(questionnaire_id, version)]

    def latest(self, questionnaire_id: str = DEFAULT_QUESTIONNAIRE_ID) -> Questionnaire:
        versions = [q for (qid, _), q in self._by_key.items() if qid == questionnaire_id]
        if not versions:
            raise KeyError(questionnaire_id)
        return max(versions, key=lambda q: _version_key(q.version))

    def all(self) -> list[Questionnaire]:
        return sorted(self._by_key.values(), key=lambda q: (q.id, _version_key(q.version)))
