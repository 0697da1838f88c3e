"""The comparison of the administration's self-assessment with the workshop's view.

Pure functions, no I/O: `compare` turns an assessment export (see `export_format.py`) and
its questionnaire into `ReportData`, which the HTML page, the JSON API, the charts, the
DOCX and the CLI all use.

Which votes are "the workshop's view" of a field: the round the moderator chose for the
field, else the most recent *closed* round that covers the field (a Stimmungsbild over all
fields or a round on that one field) and in which at least one vote on it was cast, over
all workshops of the assessment. Open and draft rounds never count: their numbers may
still change. Trial rounds (Probelauf), and every round of a trial workshop, never count
at all. An earlier round is thus replaced by a later one (e.g. a field discussed again
after the small groups), and a Stimmungsbild in which nobody rated a field does not hide
an earlier field round. The same holds per question for question rounds.

The median is the lower median, as on the projector (`workshop.totals.median_category`):
a category somebody actually chose. The gap is median minus the administration's
category, so a positive gap means the workshop sees the field less far along (category 1
is the best). The questionnaire's `divergence` rule turns the size of the gap into
"Abweichung" / "deutliche Abweichung". Below the workshop's minimum number of votes
nothing is shown, and groups below it are merged (`workshop.totals.merge_small_groups`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Final

import msgspec

from selfcheck.assessments.development import Development
from selfcheck.assessments.results import FieldOutcome, field_outcomes
from selfcheck.formatting import categories_de
from selfcheck.questionnaire.rules import scoring_rules
from selfcheck.questionnaire.schema import DivergenceRule, Field, Questionnaire
from selfcheck.reporting.export_format import AssessmentExport, RoundData, WorkshopData
from selfcheck.reporting.plan_view import PlanFieldView, plan_view
from selfcheck.vocabulary import NoteKind, RoundKind, RoundStatus
from selfcheck.workshop.groups import NO_GROUP
from selfcheck.workshop.totals import is_shown, median_category, merge_small_groups

STRONG: Final = "strong"
NOTABLE: Final = "notable"
SPLIT: Final = "split"
NONE: Final = "none"
NOT_COMPARABLE: Final = "not_comparable"
DIVERGENCE_LABELS: Final[dict[str, str]] = {
    STRONG: "deutliche Abweichung",
    NOTABLE: "Abweichung",
    SPLIT: "geteiltes Bild",
    NONE: "keine Abweichung",
    NOT_COMPARABLE: "kein Vergleich möglich",
}


# --- Results ---------------------------------------------------------------------------


class _Out(msgspec.Struct, frozen=True, kw_only=True):
    pass


class ValueCount(_Out, frozen=True):
    value: str  # a category number ("1".."4") or an answer value of the scale
    label: str
    count: int


class RoundSource(_Out, frozen=True):
    """The round whose votes stand for the workshop's view."""

    workshop: str
    round: str
    kind: str
    kind_label: str
    closed_at: datetime | None
    chosen: bool = False  # picked by the moderator rather than the latest closed round


class Distribution(_Out, frozen=True):
    """Category votes on one field, beside the administration's category."""

    n: int
    shown: bool  # False: fewer votes than the minimum; counts and figures are withheld
    counts: list[ValueCount]  # categories 1..4, zeros included; empty when not shown
    median: int | None
    majority: list[int]  # most frequent category; several on a tie
    agreement: float | None  # share of votes for the administration's category
    gap: int | None  # median minus the administration's category
    majority_gap: int | None  # unique most frequent category minus the administration's
    split: bool  # the room's two most chosen categories lie far apart ("geteiltes Bild")
    divergence: str
    divergence_label: str


class GroupDistribution(Distribution, frozen=True):
    group: str
    label: str


class WorkshopView(_Out, frozen=True):
    source: RoundSource | None  # None: no closed round with votes on this field
    min_n: int | None
    overall: Distribution | None
    groups: list[GroupDistribution]
    message: str  # why nothing (or not everything) is shown; "" when all is shown
    groups_message: str


class NextStepView(_Out, frozen=True):
    question_id: str
    core: bool
    text: str


class NotApplicableView(_Out, frozen=True):
    question_id: str
    text: str
    reason: str


class TopicView(_Out, frozen=True):
    topic: str
    share: float | None  # None: none of its questions answered


class AdminView(_Out, frozen=True):
    category: int | None  # None: "nicht bewertbar"
    category_label: str
    category_description: str
    share: float | None  # None: "nicht bewertbar", so no share (not 0 %)
    coverage: float
    answered: int
    questions: int  # applicable questions ("nicht zutreffend" left out)
    dont_know: int
    skipped: int
    not_applicable: list[NotApplicableView]
    provisional: bool
    lower_bound: int | None  # only for a provisional category
    capped_from: int | None  # the category before the core cap, when it applied
    explanation: list[str]  # the cap and "vorläufig" in words
    next_steps: list[NextStepView]
    topics: list[TopicView]  # only for a field with at least two sub-topics
    suggestions: list[str]


class QuestionComparison(_Out, frozen=True):
    question_id: str
    text: str
    admin_value: str | None
    admin_label: str
    admin_comment: str
    source: RoundSource
    min_n: int
    n: int
    shown: bool
    counts: list[ValueCount]  # scale options and "weiß nicht"; empty when not shown
    majority: list[str]
    agreement: float | None  # share of votes for the administration's answer
    differs: bool | None  # the most frequent answer is not the administration's
    message: str


class NoteView(_Out, frozen=True):
    kind: str
    kind_label: str
    text: str
    responsible: str
    timeframe: str
    workshop: str


class FieldComparison(_Out, frozen=True):
    field_id: str
    title: str
    description: str
    admin: AdminView
    workshop: WorkshopView
    divergence: str
    divergence_label: str
    questions: list[QuestionComparison]
    strengths: list[NoteView]
    needs: list[NoteView]
    measures: list[NoteView]


class AnnexQuestion(_Out, frozen=True):
    question_id: str
    topic: str
    text: str
    answer_value: str | None
    answer_label: str
    comment: str


class AnnexField(_Out, frozen=True):
    field_id: str
    title: str
    questions: list[AnnexQuestion]


class CategoryInfo(_Out, frozen=True):
    number: int
    label: str
    description: str


class WorkshopSummary(_Out, frozen=True):
    title: str
    participants: int
    rounds_closed: int
    rounds: int
    min_group_size: int
    trial: bool = False  # the whole workshop was a Probelauf
    trial_rounds: int = 0  # rounds marked as Probelauf (they never count)


class ReportData(_Out, frozen=True):
    municipality: str
    assessment_title: str
    assessment_status: str
    submitted_at: datetime | None
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_title: str
    generated_at: datetime
    categories: list[CategoryInfo]
    divergence_notable: int
    divergence_strong: int
    scoring_rules: list[str]  # how the administration's categories come about
    comparison_rules: list[str]  # how the workshop's view is compared with them
    workshops: list[WorkshopSummary]
    fields: list[FieldComparison]
    annex: list[AnnexField]
    action_plan: list[PlanFieldView] = []
    # Against the municipality's earlier Selbstchecks; None without one (and for a report
    # made from an export file alone, which carries no earlier assessments).
    development: Development | None = None


# --- Small pure rules ------------------------------------------------------------------


def divergence_level(gap: int | None, rule: DivergenceRule) -> str:
    """ "strong", "notable", "none" or "not_comparable" for a gap in categories."""
    if gap is None:
        return NOT_COMPARABLE
    if abs(gap) >= rule.strong:
        return STRONG
    if abs(gap) >= rule.notable:
        return NOTABLE
    return NONE


def divergence_size(gap: int | None, majority_gap: int | None) -> int | None:
    """The larger of the median's gap and the unique most frequent category's gap, so a
    room whose most frequent answer lies far off is not hidden by a lower median."""
    gaps = [g for g in (gap, majority_gap) if g is not None]
    return max(gaps, key=abs) if gaps else None


def divergence_rules(rule: DivergenceRule) -> list[str]:
    """The comparison rules in words, for the report page and the DOCX method section."""
    share = round(rule.split_share * 100)
    return [
        "Als Sicht des Workshops gilt je Handlungsfeld die zuletzt abgeschlossene "
        "Abstimmungsrunde, in der über das Feld abgestimmt wurde (Stimmungsbild oder Runde "
        "zum Handlungsfeld), sofern die Moderation keine andere Runde ausgewählt hat; "
        "Probeläufe zählen nie. Ergebnisse unter der Mindestzahl an Stimmen werden nicht "
        "ausgewiesen; kleine Gruppen werden zusammengefasst.",
        "Median: die mittlere abgegebene Kategorie; bei einer geraden Zahl von Stimmen die "
        "bessere der beiden mittleren. Häufigste Kategorie: die Kategorie mit den meisten "
        "Stimmen. Anteil wie die Verwaltung: der Anteil der Stimmen für die Kategorie der "
        "Verwaltung.",
        "Größe der Abweichung: der größere von zwei Abständen zur Kategorie der Verwaltung, "
        "dem des Medians und dem der häufigsten Kategorie. Haben mehrere Kategorien gleich "
        "viele Stimmen (Gleichstand), zählt nur der Abstand des Medians.",
        f"Ab {categories_de(rule.notable)} Abstand gilt das als „Abweichung“, ab "
        f"{categories_de(rule.strong)} als „deutliche Abweichung“.",
        f"„Geteiltes Bild“: Liegen die beiden am häufigsten gewählten Kategorien mindestens "
        f"{rule.split_gap} Kategorien auseinander und hat jede mindestens {share} % der "
        "Stimmen, ist der Raum gespalten; das wird unabhängig vom Median so ausgewiesen. "
        "Teilen sich mehrere Kategorien den ersten oder zweiten Platz, zählt jede davon "
        "als eine der beiden häufigsten.",
    ]


def is_split(counts: Mapping[str, int], rule: DivergenceRule) -> bool:
    """The room is split when its two most chosen categories lie at least `split_gap`
    apart and each holds at least `split_share` of the votes. Tie rule: when several
    categories share the second place (or the first), each of them counts as one of
    the two most chosen."""
    votes = {int(value): count for value, count in counts.items() if count > 0}
    n = sum(votes.values())
    if len(votes) < 2:
        return False
    second = sorted(votes.values(), reverse=True)[1]
    share = Fraction(repr(rule.split_share))
    strong = [c for c, count in votes.items() if count >= second and Fraction(count, n) >= share]
    return bool(strong) and max(strong) - min(strong) >= rule.split_gap


def majority(counts: Mapping[str, int]) -> list[str]:
    """The most frequent values (several on a tie); none without votes."""
    top = max(counts.values(), default=0)
    return [value for value, count in counts.items() if count == top and count > 0]


def category_distribution(
    questionnaire: Questionnaire,
    counts: Mapping[str, int],
    admin_category: int | None,
    min_n: int,
) -> Distribution:
    """The workshop's votes on a field ("1".."4" -> votes) beside the administration's
    category. Below `min_n` votes only n is given."""
    n = sum(counts.values())
    if not is_shown(n, min_n):
        return Distribution(
            n=n, shown=False, counts=[], median=None, majority=[], agreement=None, gap=None,
            majority_gap=None, split=False, divergence=NOT_COMPARABLE,
            divergence_label=DIVERGENCE_LABELS[NOT_COMPARABLE],
        )  # fmt: skip
    rule = questionnaire.divergence
    median = median_category(counts)
    top = [int(value) for value in majority(counts)]
    gap = majority_gap = None
    if admin_category is not None:
        gap = median - admin_category if median is not None else None
        majority_gap = top[0] - admin_category if len(top) == 1 else None
    split = is_split(counts, rule)
    level = divergence_level(divergence_size(gap, majority_gap), rule)
    if split and level != NOT_COMPARABLE:
        level = SPLIT
    return Distribution(
        n=n,
        shown=True,
        counts=[
            ValueCount(value=str(c.number), label=c.label, count=counts.get(str(c.number), 0))
            for c in questionnaire.categories
        ],
        median=median,
        majority=top,
        agreement=counts.get(str(admin_category), 0) / n if admin_category is not None else None,
        gap=gap,
        majority_gap=majority_gap,
        split=split,
        divergence=level,
        divergence_label=DIVERGENCE_LABELS[level],
    )


# --- Which votes count -----------------------------------------------------------------


@dataclass(frozen=True)
class TalliedRound:
    """One round's votes counted per item, stakeholder group and value."""

    workshop: WorkshopData
    round: RoundData
    order: int  # position in the export, to break ties between equal closing times
    counts: Mapping[str, Mapping[str, Mapping[str, int]]]  # item -> group -> value -> votes

    def item_counts(self, item: str) -> dict[str, int]:
        total: Counter[str] = Counter()
        for by_value in self.counts.get(item, {}).values():
            total.update(by_value)
        return dict(total)

    def source(self, item: str) -> RoundSource:
        return RoundSource(
            workshop=self.workshop.title,
            round=self.round.title,
            kind=self.round.kind,
            kind_label=self.round.kind.report_label,
            closed_at=self.round.closed_at,
            chosen=item in self.round.chosen_for,
        )


def tally(export: AssessmentExport) -> list[TalliedRound]:
    """The rounds that may count: trial rounds and trial workshops are left out here, so
    no part of any report sees their votes."""
    tallied: list[TalliedRound] = []
    for workshop in export.workshops:
        if workshop.trial:
            continue
        groups = {p.key: p.stakeholder_group or NO_GROUP for p in workshop.participants}
        for round_ in workshop.rounds:
            if round_.trial:
                continue
            counts: dict[str, dict[str, Counter[str]]] = {}
            for vote in round_.votes:
                group = groups.get(vote.participant, NO_GROUP)
                counts.setdefault(vote.item, {}).setdefault(group, Counter())[vote.value] += 1
            tallied.append(TalliedRound(workshop, round_, len(tallied), counts))
    return tallied


def latest_closed_round(
    rounds: Iterable[TalliedRound], item: str, kinds: Iterable[RoundKind]
) -> TalliedRound | None:
    """The round chosen for `item`, else the most recently closed round of one of `kinds`,
    in both cases with at least one vote on `item`."""
    wanted = set(kinds)
    candidates = [
        r
        for r in rounds
        if r.round.kind in wanted
        and r.round.status == RoundStatus.CLOSED
        and any(sum(by_value.values()) for by_value in r.counts.get(item, {}).values())
    ]
    if not candidates:
        return None
    chosen = [r for r in candidates if item in r.round.chosen_for]
    if chosen:
        return chosen[0]
    return max(candidates, key=lambda r: (_timestamp(r.round.closed_at), r.order))


def _timestamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else float("-inf")


# --- Per field -------------------------------------------------------------------------


def workshop_view(
    questionnaire: Questionnaire,
    rounds: Sequence[TalliedRound],
    field: Field,
    admin_category: int | None,
) -> WorkshopView:
    chosen = latest_closed_round(rounds, field.id, (RoundKind.FIELD, RoundKind.MOOD))
    if chosen is None:
        return WorkshopView(
            source=None, min_n=None, overall=None, groups=[], groups_message="",
            message="Im Workshop wurde dieses Handlungsfeld nicht in einer abgeschlossenen "
            "Runde bewertet.",
        )  # fmt: skip
    min_n = chosen.workshop.min_group_size
    overall = category_distribution(
        questionnaire, chosen.item_counts(field.id), admin_category, min_n
    )
    if not overall.shown:
        return WorkshopView(
            source=chosen.source(field.id), min_n=min_n, overall=overall, groups=[],
            groups_message="",
            message=_too_few(overall.n, min_n),
        )  # fmt: skip
    groups, groups_message = _group_distributions(
        questionnaire, chosen.counts.get(field.id, {}), admin_category, min_n
    )
    message = ""
    if admin_category is None:
        message = (
            "Die Verwaltung konnte dieses Handlungsfeld nicht einstufen; "
            "ein Vergleich ist daher nicht möglich."
        )
    return WorkshopView(
        source=chosen.source(field.id),
        min_n=min_n,
        overall=overall,
        groups=groups,
        message=message,
        groups_message=groups_message,
    )


def _group_distributions(
    questionnaire: Questionnaire,
    counts_by_group: Mapping[str, Mapping[str, int]],
    admin_category: int | None,
    min_n: int,
) -> tuple[list[GroupDistribution], str]:
    merged = merge_small_groups(counts_by_group, min_n)
    if len(merged) < 2:
        # One group alone would just repeat the overall distribution.
        return [], (
            "Keine Aufschlüsselung nach Gruppen: Dafür müssten mindestens zwei Gruppen "
            f"je mindestens {min_n} Stimmen haben."
        )
    result = []
    for group in merged:
        distribution = category_distribution(questionnaire, group.counts, admin_category, min_n)
        result.append(
            GroupDistribution(
                **msgspec.structs.asdict(distribution), group=group.group, label=group.label
            )
        )
    raw_groups = {g for g, c in counts_by_group.items() if sum(c.values())}
    shown_groups = {g.group for g in merged}
    message = ""
    if not raw_groups <= shown_groups:
        message = (
            f"Gruppen mit weniger als {min_n} Stimmen sind unter „Weitere“ zusammengefasst "
            "oder nicht einzeln ausgewiesen, damit niemand erkennbar wird."
        )
    return result, message


def admin_view(questionnaire: Questionnaire, outcome: FieldOutcome) -> AdminView:
    result = outcome.result
    category = outcome.category
    return AdminView(
        category=category.number if category else None,
        category_label=category.label if category else "nicht bewertbar",
        category_description=category.description
        if category
        else (
            f"Weniger als {round(questionnaire.min_coverage * 100)} % der Fragen sind mit "
            "einer echten Antwort beantwortet; das Feld lässt sich nicht einstufen."
        ),
        share=outcome.share,
        coverage=result.coverage,
        answered=result.answered,
        questions=result.questions - result.not_applicable,
        dont_know=result.dont_know,
        skipped=result.skipped,
        not_applicable=[
            NotApplicableView(
                question_id=item.question.id, text=item.question.text, reason=item.reason
            )
            for item in outcome.not_applicable
        ],
        provisional=result.provisional,
        lower_bound=result.lower_bound,
        capped_from=result.capped_from,
        explanation=[text for text in (outcome.cap, outcome.provisional) if text],
        next_steps=[
            NextStepView(question_id=q.id, core=q.core, text=q.suggestion)
            for q in outcome.next_steps
        ],
        topics=[TopicView(topic=topic, share=share) for topic, share in outcome.topics],
        suggestions=list(outcome.suggestions),
    )


def question_comparisons(
    questionnaire: Questionnaire,
    rounds: Sequence[TalliedRound],
    field: Field,
    answers: Mapping[str, tuple[str | None, str]],
) -> list[QuestionComparison]:
    """Questions of `field` voted on in a closed question round, in questionnaire order."""
    result = []
    for question in field.questions:
        chosen = latest_closed_round(rounds, question.id, (RoundKind.QUESTIONS,))
        if chosen is not None:
            admin_value, comment = answers.get(question.id, (None, ""))
            result.append(
                question_comparison(
                    questionnaire, chosen, question.id, question.text, admin_value, comment
                )
            )
    return result


def question_comparison(
    questionnaire: Questionnaire,
    chosen: TalliedRound,
    question_id: str,
    text: str,
    admin_value: str | None,
    admin_comment: str,
) -> QuestionComparison:
    labels = questionnaire.answer_labels()
    counts = chosen.item_counts(question_id)
    min_n = chosen.workshop.min_group_size
    n = sum(counts.values())
    shown = is_shown(n, min_n)
    top = majority(counts) if shown else []
    comparable = shown and admin_value is not None
    return QuestionComparison(
        question_id=question_id,
        text=text,
        admin_value=admin_value,
        admin_label=questionnaire.answer_label(admin_value),
        admin_comment=admin_comment,
        source=chosen.source(question_id),
        min_n=min_n,
        n=n,
        shown=shown,
        counts=[
            ValueCount(value=value, label=label, count=counts.get(value, 0))
            for value, label in labels.items()
        ]
        if shown
        else [],
        majority=top,
        agreement=counts.get(admin_value or "", 0) / n if comparable else None,
        differs=admin_value not in top if comparable else None,
        message="" if shown else _too_few(n, min_n),
    )


def _too_few(n: int, min_n: int) -> str:
    return f"Zu wenige Stimmen für eine Auswertung: {n} abgegeben, mindestens {min_n} nötig."


def _notes(export: AssessmentExport, field_id: str, kind: NoteKind) -> list[NoteView]:
    return [
        NoteView(
            kind=note.kind,
            kind_label=note.kind.label,
            text=note.text,
            responsible=note.responsible,
            timeframe=note.timeframe,
            workshop=workshop.title,
        )
        for workshop in export.workshops
        for note in workshop.notes
        if note.field_id == field_id and note.kind == kind
    ]


# --- The whole report ------------------------------------------------------------------


def compare(
    questionnaire: Questionnaire, export: AssessmentExport, generated_at: datetime
) -> ReportData:
    """Everything the report shows. `questionnaire` must be the one `export` names."""
    answers = {a.question_id: (a.value, a.comment) for a in export.answers}
    values = {qid: value for qid, (value, _) in answers.items() if value is not None}
    comments = {qid: comment for qid, (_, comment) in answers.items()}
    outcomes = field_outcomes(questionnaire, values, comments)
    rounds = tally(export)
    fields = [
        _field_comparison(questionnaire, export, rounds, outcome, answers) for outcome in outcomes
    ]
    return ReportData(
        municipality=export.municipality.name,
        assessment_title=export.assessment.title,
        assessment_status=export.assessment.status,
        submitted_at=export.assessment.submitted_at,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        questionnaire_title=questionnaire.title,
        generated_at=generated_at,
        categories=[
            CategoryInfo(number=c.number, label=c.label, description=c.description)
            for c in questionnaire.categories
        ],
        divergence_notable=questionnaire.divergence.notable,
        divergence_strong=questionnaire.divergence.strong,
        scoring_rules=scoring_rules(questionnaire),
        comparison_rules=divergence_rules(questionnaire.divergence),
        workshops=[_workshop_summary(w) for w in export.workshops],
        fields=fields,
        annex=_annex(questionnaire, answers),
        action_plan=plan_view(questionnaire, export, generated_at),
    )


def _field_comparison(
    questionnaire: Questionnaire,
    export: AssessmentExport,
    rounds: Sequence[TalliedRound],
    outcome: FieldOutcome,
    answers: Mapping[str, tuple[str | None, str]],
) -> FieldComparison:
    admin = admin_view(questionnaire, outcome)
    workshop = workshop_view(questionnaire, rounds, outcome.field, admin.category)
    level = workshop.overall.divergence if workshop.overall else NOT_COMPARABLE
    return FieldComparison(
        field_id=outcome.field.id,
        title=outcome.field.title,
        description=outcome.field.description,
        admin=admin,
        workshop=workshop,
        divergence=level,
        divergence_label=DIVERGENCE_LABELS[level],
        questions=question_comparisons(questionnaire, rounds, outcome.field, answers),
        strengths=_notes(export, outcome.field.id, NoteKind.STRENGTH),
        needs=_notes(export, outcome.field.id, NoteKind.NEED),
        measures=_notes(export, outcome.field.id, NoteKind.MEASURE),
    )


def _workshop_summary(workshop: WorkshopData) -> WorkshopSummary:
    return WorkshopSummary(
        title=workshop.title,
        participants=len(workshop.participants),
        rounds_closed=sum(1 for r in workshop.rounds if r.status == RoundStatus.CLOSED),
        rounds=len(workshop.rounds),
        min_group_size=workshop.min_group_size,
        trial=workshop.trial,
        trial_rounds=sum(1 for r in workshop.rounds if r.trial),
    )


def _annex(
    questionnaire: Questionnaire, answers: Mapping[str, tuple[str | None, str]]
) -> list[AnnexField]:
    annex = []
    for field in questionnaire.fields:
        questions = []
        for question in field.questions:
            value, comment = answers.get(question.id, (None, ""))
            questions.append(
                AnnexQuestion(
                    question_id=question.id,
                    topic=question.topic,
                    text=question.text,
                    answer_value=value,
                    answer_label=questionnaire.answer_label(value),
                    comment=comment,
                )
            )
        annex.append(AnnexField(field_id=field.id, title=field.title, questions=questions))
    return annex
