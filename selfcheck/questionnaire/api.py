"""JSON API for questionnaires."""

from __future__ import annotations

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from selfcheck.errors import NotFound
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire


class QuestionnaireRef(msgspec.Struct, frozen=True):
    id: str
    version: str
    title: str
    fields: int
    questions: int


class QuestionnaireApi(Controller):
    path = "/api/questionnaires"
    tags = ["Fragebogen"]

    @get("/", summary="Alle installierten Fragebögen")
    async def list_questionnaires(
        self, registry: NamedDependency[QuestionnaireRegistry]
    ) -> list[QuestionnaireRef]:
        return [
            QuestionnaireRef(
                id=q.id,
                version=q.version,
                title=q.title,
                fields=len(q.fields),
                questions=sum(len(f.questions) for f in q.fields),
            )
            for q in registry.all()
        ]

    @get("/{questionnaire_id:str}/{version:str}", summary="Aufbau eines Fragebogens")
    async def get_questionnaire(
        self,
        registry: NamedDependency[QuestionnaireRegistry],
        questionnaire_id: FromPath[str],
        version: FromPath[str],
    ) -> Questionnaire:
        try:
            return registry.get(questionnaire_id, version)
        except KeyError:
            raise NotFound("Diesen Fragebogen gibt es in dieser Version nicht.") from None
