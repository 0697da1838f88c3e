"""All questionnaires of an installation, loaded once from the questionnaire folder."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Protocol

from selfcheck.errors import InvalidInput
from selfcheck.questionnaire.loader import load_questionnaire
from selfcheck.questionnaire.schema import Questionnaire

DEFAULT_QUESTIONNAIRE_ID = "weltoffene-kommune"


def _load_unchanged(path: Path) -> Questionnaire:
    stat = path.stat()
    return _load_cached(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _load_cached(path: Path, _mtime_ns: int, _size: int) -> Questionnaire:
    # Questionnaire is a frozen struct, so sharing one instance between apps is safe.
    return load_questionnaire(path)


class PinnedToQuestionnaire(Protocol):
    """Whatever names the questionnaire version it was made with: an assessment, say."""

    @property
    def questionnaire_id(self) -> str: ...

    @property
    def questionnaire_version(self) -> str: ...


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Natural order, so that "2026.10" comes after "2026.9"."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-]", version))


class QuestionnaireRegistry:
    def __init__(self, questionnaires: list[Questionnaire]) -> None:
        self._by_key = {(q.id, q.version): q for q in questionnaires}

    @classmethod
    def load_dir(cls, folder: Path) -> QuestionnaireRegistry:
        """Load every *.yaml file; a broken file stops the start with its location.

        Parsed questionnaires are reused while their files are unchanged: parsing with
        line positions costs about 0.1 s per file, and tests build an app per test."""
        files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
        return cls([_load_unchanged(path) for path in files])

    def get(self, questionnaire_id: str, version: str) -> Questionnaire:
        """The exact version an assessment was pinned to. Raises KeyError if absent."""
        return self._by_key[(questionnaire_id, version)]

    def pinned(self, questionnaire_id: str, version: str) -> Questionnaire:
        """Like `get`, but a missing file is refused in German: it was removed from this
        installation, or an imported file comes from one with other questionnaires."""
        try:
            return self.get(questionnaire_id, version)
        except KeyError:
            raise InvalidInput(
                f"Der Fragebogen „{questionnaire_id}“ in Version „{version}“ ist auf diesem "
                "System nicht installiert. Legen Sie die passende Fragebogen-Datei in den "
                "Fragebogen-Ordner und starten Sie Selbstcheck neu."
            ) from None

    def for_assessment(self, assessment: PinnedToQuestionnaire) -> Questionnaire:
        """The questionnaire version an assessment (and so its workshops) is pinned to."""
        return self.pinned(assessment.questionnaire_id, assessment.questionnaire_version)

    def latest(self, questionnaire_id: str = DEFAULT_QUESTIONNAIRE_ID) -> Questionnaire:
        versions = [q for (qid, _), q in self._by_key.items() if qid == questionnaire_id]
        if not versions:
            raise KeyError(questionnaire_id)
        return max(versions, key=lambda q: _version_key(q.version))

    def all(self) -> list[Questionnaire]:
        return sorted(self._by_key.values(), key=lambda q: (q.id, _version_key(q.version)))
