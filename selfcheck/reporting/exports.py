"""Data exports for spreadsheets (CSV, XLSX) and the JSON file of a whole assessment.

Spreadsheet safety: a cell that starts with =, +, -, @ (or a tab or carriage return, or
their full-width forms) would be run as a formula by Excel or LibreOffice, so such text gets
a leading apostrophe. CSV files are UTF-8 with a byte order mark and `;` as separator: that
is what a German Excel opens by double-click with umlauts intact.

Anonymity: the vote tables name a participant's stakeholder group only where that group
has at least the workshop's minimum number of votes on the item; smaller groups appear
merged as „Weitere (zusammengefasst)“ or not at all, as on the projector.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

# openpyxl ships no type hints.
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from selfcheck.assessments.development import Development
from selfcheck.formatting import local_time
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.comparison import ReportData
from selfcheck.reporting.export_format import AssessmentExport, RoundData, WorkshopData
from selfcheck.vocabulary import RoundKind
from selfcheck.workshop.groups import NO_GROUP, OTHERS, group_label
from selfcheck.workshop.totals import merge_small_groups

Cell = str | int | float | datetime | None

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NOT_SHOWN: Final = "nicht ausgewiesen (zu wenige Stimmen)"
XLSX_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Table:
    name: str  # file name stem and sheet name
    header: list[str]
    rows: list[list[Cell]]


def neutralise(value: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula, made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- The tables ------------------------------------------------------------------------


def build_tables(
    questionnaire: Questionnaire, export: AssessmentExport, report: ReportData
) -> list[Table]:
    return [
        comparison_table(report),
        answers_table(questionnaire, export),
        history_table(questionnaire, export),
        votes_table(questionnaire, export),
        notes_table(questionnaire, export),
        plan_table(report),
        *([development_table(report.development)] if report.development else []),
    ]


def development_table(development: Development) -> Table:
    """One row per field and assessment, oldest first, with the trend against now."""
    header = [
        "Handlungsfeld", "Selbstcheck", "Datum", "Fragebogen-Version", "Kategorie",
        "Bezeichnung", "Punkteanteil", "Entwicklung bis heute", "Nicht vergleichbar",
        "Umgesetzte Maßnahmen seit dem letzten Selbstcheck",
    ]  # fmt: skip
    versions = {a.title: a.questionnaire_version for a in development.assessments}
    rows: list[list[Cell]] = []
    for field in development.fields:
        measures = "; ".join(development.implemented_measures.get(field.field_id, []))
        for point in field.points:
            rows.append(
                [
                    field.title,
                    point.assessment,
                    local_time(point.date),
                    versions.get(point.assessment, ""),
                    point.category,
                    point.category_label,
                    round(point.share, 4) if point.share is not None else None,
                    point.trend_label or "heute",
                    "; ".join(point.not_comparable),
                    measures if point is field.points[-1] else "",
                ]
            )
    return Table("Entwicklung", header, rows)


def comparison_table(report: ReportData) -> Table:
    header = [
        "Handlungsfeld", "Kategorie Verwaltung", "Punkteanteil Verwaltung",
        "Stimmen Workshop (n)", "Median Workshop", "Häufigste Kategorie",
        "Anteil wie Verwaltung", "Abstand (Median − Verwaltung)",
        "Abstand (häufigste − Verwaltung)", "Bewertung", "Hinweis",
        *(f"Stimmen Kategorie {c.number}" for c in report.categories),
    ]  # fmt: skip
    rows: list[list[Cell]] = []
    for field in report.fields:
        overall = field.workshop.overall
        shown = overall is not None and overall.shown
        counts = {c.value: c.count for c in overall.counts} if overall and shown else {}
        rows.append(
            [
                field.title,
                field.admin.category,
                round(field.admin.share, 4) if field.admin.share is not None else None,
                overall.n if overall else None,
                overall.median if overall else None,
                ", ".join(str(m) for m in overall.majority) if overall else None,
                round(overall.agreement, 4) if overall and overall.agreement is not None else None,
                overall.gap if overall else None,
                overall.majority_gap if overall else None,
                field.divergence_label,
                field.workshop.message,
                *(counts.get(str(c.number)) for c in report.categories),
            ]
        )
    return Table("Vergleich", header, rows)


def answers_table(questionnaire: Questionnaire, export: AssessmentExport) -> Table:
    answers = {a.question_id: a for a in export.answers}
    rows: list[list[Cell]] = []
    for field in questionnaire.fields:
        for question in field.questions:
            answer = answers.get(question.id)
            value = answer.value if answer else None
            rows.append(
                [
                    field.title,
                    question.id,
                    question.topic,
                    question.text,
                    questionnaire.answer_label(value),
                    value,
                    answer.comment if answer else "",
                    answer.version if answer else None,
                    answer.updated_by if answer else None,
                    local_time(answer.updated_at) if answer else None,
                ]
            )
    header = [
        "Handlungsfeld", "Frage-ID", "Thema", "Frage", "Antwort", "Antwortwert", "Kommentar",
        "Version", "Zuletzt geändert von", "Zuletzt geändert am",
    ]  # fmt: skip
    return Table("Antworten", header, rows)


def history_table(questionnaire: Questionnaire, export: AssessmentExport) -> Table:
    rows: list[list[Cell]] = [
        [
            answer.question_id,
            change.version,
            questionnaire.answer_label(change.value),
            change.value,
            change.comment,
            change.changed_by,
            local_time(change.changed_at),
        ]
        for answer in export.answers
        for change in answer.history
    ]
    header = [
        "Frage-ID", "Version", "Antwort", "Antwortwert", "Kommentar", "Geändert von",
        "Geändert am",
    ]  # fmt: skip
    return Table("Verlauf", header, rows)


def votes_table(questionnaire: Questionnaire, export: AssessmentExport) -> Table:
    titles = questionnaire.item_labels()
    answer_names = questionnaire.answer_labels()
    category_names = {str(c.number): f"Kategorie {c.number}" for c in questionnaire.categories}
    rows: list[list[Cell]] = []
    # Trial runs (Probelauf) never count, so their votes are not listed either.
    for workshop in export.workshops:
        if workshop.trial:
            continue
        for round_ in workshop.rounds:
            if round_.trial:
                continue
            names = answer_names if round_.kind == RoundKind.QUESTIONS else category_names
            shown_groups = _shown_group_labels(workshop, round_)
            groups = _participant_groups(workshop)
            for vote in round_.votes:
                rows.append(
                    [
                        workshop.title,
                        round_.title,
                        round_.kind.report_label,
                        round_.status.label,
                        vote.item,
                        titles.get(vote.item, vote.item),
                        vote.value,
                        names.get(vote.value, vote.value),
                        shown_groups.get((vote.item, groups.get(vote.participant, NO_GROUP)), ""),
                        local_time(vote.cast_at),
                    ]
                )
    header = [
        "Workshop", "Runde", "Art der Runde", "Status der Runde", "Abgestimmt über (ID)",
        "Abgestimmt über", "Stimme (Wert)", "Stimme", "Gruppe", "Zeitpunkt",
    ]  # fmt: skip
    return Table("Stimmen", header, rows)


def _participant_groups(workshop: WorkshopData) -> dict[str, str]:
    return {p.key: p.stakeholder_group or NO_GROUP for p in workshop.participants}


def _shown_group_labels(workshop: WorkshopData, round_: RoundData) -> dict[tuple[str, str], str]:
    """(item, group) -> the label that may be shown for a vote of that group on that item."""
    groups = _participant_groups(workshop)
    counts: dict[str, dict[str, Counter[str]]] = {}
    for vote in round_.votes:
        group = groups.get(vote.participant, NO_GROUP)
        counts.setdefault(vote.item, {}).setdefault(group, Counter())[vote.value] += 1
    labels: dict[tuple[str, str], str] = {}
    for item, by_group in counts.items():
        merged = {g.group for g in merge_small_groups(by_group, workshop.min_group_size)}
        for group in by_group:
            if group in merged:
                labels[(item, group)] = group_label(group)
            elif OTHERS in merged:
                labels[(item, group)] = group_label(OTHERS)
            else:
                labels[(item, group)] = NOT_SHOWN
    return labels


def notes_table(questionnaire: Questionnaire, export: AssessmentExport) -> Table:
    titles = questionnaire.item_labels()
    rows: list[list[Cell]] = [
        [
            workshop.title,
            titles.get(note.field_id, note.field_id),
            note.kind.label,
            note.text,
            note.responsible,
            note.timeframe,
            local_time(note.created_at),
        ]
        for workshop in export.workshops
        for note in workshop.notes
    ]
    header = [
        "Workshop", "Handlungsfeld", "Art", "Text", "Verantwortlich", "Zeitrahmen", "Erfasst am",
    ]  # fmt: skip
    return Table("Notizen und Maßnahmen", header, rows)


def plan_table(report: ReportData) -> Table:
    """The action plan (Maßnahmenplan): one row per measure."""
    rows: list[list[Cell]] = [
        [
            field.title, m.title, m.description, m.questions, m.responsible, m.deadline,
            m.priority, m.status, "ja" if m.overdue else "", m.last_note,
        ]
        for field in report.action_plan
        for m in field.measures
    ]  # fmt: skip
    header = [
        "Handlungsfeld", "Maßnahme", "Beschreibung", "Fragen", "Zuständig", "Frist",
        "Priorität", "Stand", "Überfällig", "Letzte Notiz",
    ]  # fmt: skip
    return Table("Maßnahmenplan", header, rows)


# --- Files -----------------------------------------------------------------------------


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows([_csv_cell(cell) for cell in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: Cell) -> str | int:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M:%S")
    if isinstance(value, float):
        return f"{value:.4f}".replace(".", ",")  # German decimal comma
    neutral = neutralise(value)
    assert isinstance(neutral, str | int)
    return neutral


def csv_file_name(table: Table) -> str:
    stem = table.name.lower().replace(" ", "-").replace("ä", "ae").replace("ß", "ss")
    return f"{stem}.csv"


def csv_zip(tables: Iterable[Table]) -> bytes:
    """All tables as CSV files in one ZIP archive (one download on the report page)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            archive.writestr(csv_file_name(table), csv_bytes(table))
    return buffer.getvalue()


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.name[:31])
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_xlsx_cell(cell) for cell in row])
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for index, title in enumerate(table.header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = _width(
                table, index - 1, title
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, str):
        # openpyxl refuses control characters that XML cannot carry.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _width(table: Table, column: int, title: str) -> float:
    longest = max([len(title), *(len(str(row[column])) for row in table.rows[:200] if row[column])])
    return float(min(max(longest + 2, 8), 60))
