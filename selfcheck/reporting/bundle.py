"""The report's files, made from one export and its `ReportData`: the DOCX, the charts as
PNG and SVG, the spreadsheets and the JSON export. Used by the web downloads and by
`selfcheck report`. Everything here is synchronous and CPU-bound: call it in a worker
thread from async code."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Final

from selfcheck.errors import SelfcheckError
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.reporting.charts import render, report_charts
from selfcheck.reporting.comparison import ReportData
from selfcheck.reporting.docx_report import DOCX_MEDIA_TYPE, RenderedChart, build_docx
from selfcheck.reporting.export_format import AssessmentExport, encode_export
from selfcheck.reporting.exports import (
    XLSX_MEDIA_TYPE,
    build_tables,
    csv_bytes,
    csv_file_name,
    csv_zip,
    xlsx_bytes,
)
from selfcheck.reporting.peer_section import PeerSection
from selfcheck.settings import Settings

__all__ = ["DOCX_MEDIA_TYPE", "XLSX_MEDIA_TYPE"]

TEMPLATE_NAME: Final = "template.docx"
DOCX_NAME: Final = "vergleichsbericht.docx"
XLSX_NAME: Final = "daten.xlsx"
JSON_NAME: Final = "export.json"
CHART_FOLDER: Final = "diagramme"
CSV_FOLDER: Final = "csv"


def template_path(settings: Settings) -> Path:
    return settings.reports_dir / TEMPLATE_NAME


def png_charts(report: ReportData) -> list[RenderedChart]:
    return [RenderedChart(chart, render(chart, "png")) for chart in report_charts(report)]


def require_template(template: Path) -> Path:
    if not template.is_file():
        raise SelfcheckError(
            f"Die Word-Vorlage fehlt: {template}. Legen Sie dort eine .docx-Datei ab "
            "(zum Beispiel mit „python reports/make_template.py“)."
        )
    return template


def docx_bytes(report: ReportData, template: Path, peers: PeerSection | None = None) -> bytes:
    return build_docx(report, png_charts(report), require_template(template), peers)


def chart_files(pngs: list[RenderedChart]) -> dict[str, bytes]:
    """Every chart as PNG (200 dpi) and SVG, with its text alternative beside it."""
    files: dict[str, bytes] = {}
    for rendered in pngs:
        chart = rendered.chart
        files[f"{chart.name}.png"] = rendered.png
        files[f"{chart.name}.svg"] = render(chart, "svg")
        files[f"{chart.name}.txt"] = f"{chart.title}\n\n{chart.alt}\n".encode()
    return files


def charts_zip(report: ReportData) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in chart_files(png_charts(report)).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_file(
    registry: QuestionnaireRegistry, export: AssessmentExport, report: ReportData
) -> bytes:
    questionnaire = registry.for_assessment(export)
    return xlsx_bytes(build_tables(questionnaire, export, report))


def csv_file(
    registry: QuestionnaireRegistry, export: AssessmentExport, report: ReportData
) -> bytes:
    questionnaire = registry.for_assessment(export)
    return csv_zip(build_tables(questionnaire, export, report))


def json_file(export: AssessmentExport) -> bytes:
    return encode_export(export)


def write_report_folder(
    folder: Path,
    registry: QuestionnaireRegistry,
    export: AssessmentExport,
    report: ReportData,
    template: Path,
) -> list[Path]:
    """Write all report files into `folder` (created if needed); returns what was written."""
    questionnaire = registry.for_assessment(export)
    tables = build_tables(questionnaire, export, report)
    pngs = png_charts(report)
    files: dict[str, bytes] = {
        DOCX_NAME: build_docx(report, pngs, require_template(template)),
        XLSX_NAME: xlsx_bytes(tables),
        JSON_NAME: encode_export(export),
    }
    for name, data in chart_files(pngs).items():
        files[f"{CHART_FOLDER}/{name}"] = data
    for table in tables:
        files[f"{CSV_FOLDER}/{csv_file_name(table)}"] = csv_bytes(table)
    written = []
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
