"""JSON API: results for moderators and staff, and saving answers for staff."""

from __future__ import annotations

from datetime import datetime

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from selfcheck.assessments.answers import AnswerState, Conflict
from selfcheck.assessments.dependencies import QUESTIONNAIRE, STAFF, StaffEditor, provide_assessment
from selfcheck.assessments.rendering import AssessmentResults
from selfcheck.assessments.results import FieldOutcome


class NextStepOut(msgspec.Struct):
    question_id: str
    core: bool
    text: str


class NotApplicableOut(msgspec.Struct):
    question_id: str
    reason: str


class TopicOut(msgspec.Struct):
    topic: str
    share: float | None


class FieldResultOut(msgspec.Struct):
    field_id: str
    title: str
    category: int | None
    category_label: str | None
    share: float | None  # None for a field that is "nicht bewertbar"
    coverage: float
    reached_points: int
    reachable_points: int
    answered: int
    dont_know: int
    not_applicable: int
    skipped: int
    provisional: bool
    lower_bound: int | None  # only for a provisional category
    capped_from: int | None  # the category before the core cap, when it applied
    unmet_core: list[str]
    explanation: list[str]  # the cap and "vorläufig" in words
    suggestions: list[str]
    next_steps: list[NextStepOut]
    topics: list[TopicOut]
    not_applicable_questions: list[NotApplicableOut]
    open_questions: list[str]  # without any answer
    dont_know_questions: list[str]


class ResultsOut(msgspec.Struct):
    assessment_id: int
    questionnaire_id: str
    questionnaire_version: str
    status: str
    fields: list[FieldResultOut]


class AnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    value: str | None
    base_version: int
    comment: str = ""


class AnswerOut(msgspec.Struct):
    question_id: str
    value: str | None
    comment: str
    version: int
    updated_by: str | None
    updated_at: datetime | None


class ConflictOut(msgspec.Struct):
    detail: str
    theirs: AnswerOut


def _answer_out(state: AnswerState) -> AnswerOut:
    return AnswerOut(
        state.question_id,
        state.value,
        state.comment,
        state.version,
        state.updated_by,
        state.updated_at,
    )


def _field_out(outcome: FieldOutcome) -> FieldResultOut:
    result = outcome.result
    return FieldResultOut(
        field_id=outcome.field.id,
        title=outcome.field.title,
        category=result.category,
        category_label=outcome.category.label if outcome.category else None,
        share=outcome.share,
        coverage=result.coverage,
        reached_points=result.reached_points,
        reachable_points=result.reachable_points,
        answered=result.answered,
        dont_know=result.dont_know,
        not_applicable=result.not_applicable,
        skipped=result.skipped,
        provisional=result.provisional,
        lower_bound=result.lower_bound,
        capped_from=result.capped_from,
        unmet_core=result.unmet_core,
        explanation=[text for text in (outcome.cap, outcome.provisional) if text],
        suggestions=outcome.suggestions,
        next_steps=[NextStepOut(q.id, q.core, q.suggestion) for q in outcome.next_steps],
        topics=[TopicOut(t.topic, t.share) for t in result.topics],
        not_applicable_questions=[
            NotApplicableOut(item.question.id, item.reason) for item in outcome.not_applicable
        ],
        open_questions=[q.id for q in outcome.open_questions],
        dont_know_questions=[q.id for q in outcome.dont_know_questions],
    )


def _results(shown: AssessmentResults) -> ResultsOut:
    return ResultsOut(
        assessment_id=shown.assessment.id,
        questionnaire_id=shown.questionnaire.id,
        questionnaire_version=shown.questionnaire.version,
        status=shown.assessment.status,
        fields=[_field_out(o) for o in shown.results.outcomes],
    )


class AssessmentApi(Controller):
    path = "/api/assessments"
    tags = ["Selbstchecks"]
    dependencies = {"assessment": Provide(provide_assessment), **QUESTIONNAIRE}

    @get("/{assessment_id:int}/results", summary="Ergebnis je Handlungsfeld (Moderation)")
    async def results(self, results: NamedDependency[AssessmentResults]) -> ResultsOut:
        return _results(results)


class StaffApi(Controller):
    path = "/api/staff/{token:str}"
    tags = ["Verwaltung"]
    dependencies = STAFF

    @get("/results", summary="Ergebnis je Handlungsfeld (Einladungslink)")
    async def results(self, results: NamedDependency[AssessmentResults]) -> ResultsOut:
        return _results(results)

    @post("/answers/{question_id:str}", summary="Eine Antwort speichern", status_code=200)
    async def save(
        self,
        staff_editor: NamedDependency[StaffEditor],
        question_id: FromPath[str],
        data: JSONBody[AnswerIn],
    ) -> Response[AnswerOut | ConflictOut]:
        result = await staff_editor.save(
            question_id, data.value or None, data.comment.strip(), data.base_version
        )
        if isinstance(result, Conflict):
            detail = "Die Antwort wurde inzwischen von jemand anderem geändert; nichts gespeichert."
            return Response(ConflictOut(detail, _answer_out(result.theirs)), status_code=409)
        return Response(_answer_out(result.answer))
