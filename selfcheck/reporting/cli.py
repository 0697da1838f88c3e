"""`selfcheck report`, `selfcheck export` and `selfcheck import`: the report and the JSON
export without a running server. Registered in `selfcheck/cli.py`.

Every failure ends with a German message on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from selfcheck.settings import get_settings

if TYPE_CHECKING:  # heavy imports happen inside the commands, so `--help` stays quick
    from selfcheck.db.engine import Database
    from selfcheck.questionnaire.registry import QuestionnaireRegistry
    from selfcheck.reporting.comparison import ReportData
    from selfcheck.reporting.export_format import AssessmentExport

T = TypeVar("T")


class ReportError(click.ClickException):
    """A clear German message, no traceback, exit code 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Fehler: {self.format_message()}", err=True)


def _out_option(
    name: str, help_text: str, *, folder: bool
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--out`: where a command writes, a folder or a file."""
    path = click.Path(path_type=Path, file_okay=not folder, dir_okay=folder)
    return click.option("--out", name, required=True, type=path, help=help_text)


@click.command(
    "report",
    help="Schreibt den Vergleichsbericht (DOCX, Diagramme, CSV, XLSX, JSON) in einen Ordner: "
    "für einen Selbstcheck aus der Datenbank (Nummer wie in der Adresse "
    "/moderation/selbstchecks/NUMMER) oder aus einer Exportdatei.",
)
@click.argument("assessment_id", required=False, type=int)
@click.option(
    "--from-export",
    "export_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Bericht aus dieser Exportdatei statt aus der Datenbank.",
)
@_out_option("out_dir", "Ordner für die Dateien (wird angelegt).", folder=True)
def report_command(assessment_id: int | None, export_file: Path | None, out_dir: Path) -> None:
    if (assessment_id is None) == (export_file is None):
        raise ReportError(
            "Bitte geben Sie entweder die Nummer eines Selbstchecks oder --from-export DATEI an."
        )
    from selfcheck.reporting.service import report_from_export

    registry = _registry()
    if export_file is not None:
        path = export_file
        export = _guarded(lambda: _decode_file(path))
        # An export file carries no earlier assessments, so no development.
        report = _guarded(lambda: report_from_export(registry, export))
    else:
        assert assessment_id is not None
        export, report = _run(
            lambda database: _report_from_database(database, registry, assessment_id)
        )
    # matplotlib takes a moment to import: only once the data is there.
    from selfcheck.reporting import bundle

    settings = get_settings()
    written = _guarded(
        lambda: bundle.write_report_folder(
            out_dir, registry, export, report, bundle.template_path(settings)
        )
    )
    click.echo(f"Bericht für „{report.municipality}: {report.assessment_title}“ geschrieben:")
    for path in written:
        click.echo(f"  {path}")


@click.command(
    "export", help="Exportiert einen Selbstcheck mit allen Workshops in eine JSON-Datei."
)
@click.argument("assessment_id", type=int)
@_out_option("out_file", "Zieldatei, z. B. selbstcheck.json.", folder=False)
def export_command(assessment_id: int, out_file: Path) -> None:
    from selfcheck.reporting.export_format import encode_export

    export = _run(lambda database: _export_from_database(database, assessment_id))
    data = encode_export(export)
    _guarded(lambda: _write(out_file, data))
    click.echo(
        f"Selbstcheck „{export.assessment.title}“ ({export.municipality.name}) exportiert nach "
        f"{out_file}: {len(export.answers)} Antworten, {len(export.workshops)} Workshop(s)."
    )


@click.command(
    "import",
    help="Importiert eine Exportdatei als neue Kommune mit Selbstcheck, oder mit "
    "--municipality als weiteren Selbstcheck einer bestehenden Kommune. Eine fehlerhafte "
    "Datei wird abgelehnt; dann ändert sich nichts.",
)
@click.argument("export_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--moderator",
    "moderator_email",
    help="E-Mail-Adresse eines Moderationskontos, das die neue Kommune betreuen soll.",
)
@click.option(
    "--municipality",
    "municipality_id",
    type=int,
    help="Nummer einer bestehenden Kommune (wie in /moderation/kommunen/NUMMER): der "
    "Selbstcheck kommt zu dieser Kommune hinzu, etwa ein früherer aus einer anderen "
    "Installation, und zählt in ihrer Entwicklung mit.",
)
def import_command(
    export_file: Path, moderator_email: str | None, municipality_id: int | None
) -> None:
    from selfcheck.accounts.services import user_by_email
    from selfcheck.db.models import Municipality
    from selfcheck.reporting.importing import check_export, import_export

    registry = _registry()
    export = _guarded(lambda: _decode_file(export_file))
    _guarded(lambda: check_export(registry, export))

    async def run(database: Database) -> tuple[int, str]:
        async with database.writing() as session:
            moderator = None
            if moderator_email:
                moderator = await user_by_email(session, moderator_email)
                if moderator is None:
                    raise ReportError(f"Ein Konto {moderator_email} gibt es nicht.")
            into = None
            if municipality_id is not None:
                into = await session.get(Municipality, municipality_id)
                if into is None:
                    raise ReportError(
                        f"Eine Kommune mit der Nummer {municipality_id} gibt es nicht. Die "
                        "Nummer steht in der Adresse der Kommune: /moderation/kommunen/NUMMER. "
                        "Es wurde nichts importiert."
                    )
            assessment = await import_export(
                session, registry, export, moderator=moderator, into=into
            )
            return assessment.id, into.name if into else export.municipality.name

    assessment_id, municipality = _run(run)
    click.echo(
        f"Importiert: „{export.assessment.title}“ der Kommune „{municipality}“ als Selbstcheck "
        f"Nummer {assessment_id} (/moderation/selbstchecks/{assessment_id})."
    )


COMMANDS = (report_command, export_command, import_command)


# --- Helpers ---------------------------------------------------------------------------


def _registry() -> QuestionnaireRegistry:
    from selfcheck.questionnaire.loader import QuestionnaireError
    from selfcheck.questionnaire.registry import QuestionnaireRegistry

    folder = get_settings().questionnaire_dir
    try:
        return QuestionnaireRegistry.load_dir(folder)
    except QuestionnaireError as error:
        raise ReportError(f"Ein Fragebogen im Ordner {folder} ist fehlerhaft:\n{error}") from None


def _decode_file(path: Path) -> AssessmentExport:
    """Read and decode an export file within the import limits."""
    from selfcheck.reporting.importing import decode_export, read_export_file

    try:
        data = read_export_file(path, get_settings().import_max_bytes)
    except FileNotFoundError:
        raise ReportError(f"Die Datei {path} gibt es nicht.") from None
    except OSError as error:
        raise ReportError(f"Die Datei {path} lässt sich nicht lesen: {error.strerror}.") from None
    return decode_export(data)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _guarded(action: Callable[[], T]) -> T:
    """Run `action`, turning domain errors and file problems into German messages."""
    from selfcheck.errors import SelfcheckError

    try:
        return action()
    except SelfcheckError as error:
        raise ReportError(error.message) from None
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        raise ReportError(
            f"Die Dateien lassen sich nicht schreiben{where}: {error.strerror}."
        ) from None


def _run(job: Callable[[Database], Awaitable[T]]) -> T:
    """Migrate the database, then run `job(database)` in an event loop."""
    from selfcheck.db.engine import Database
    from selfcheck.db.migrate import upgrade
    from selfcheck.errors import SelfcheckError

    url = get_settings().database_url
    try:
        upgrade(url)
    except Exception as error:
        raise ReportError(f"Die Datenbank ist nicht erreichbar: {error}") from None

    async def main() -> T:
        database = Database.connect(url)
        try:
            return await job(database)
        finally:
            await database.dispose()

    try:
        return asyncio.run(main())
    except SelfcheckError as error:
        raise ReportError(error.message) from None


async def _export_from_database(database: Database, assessment_id: int) -> AssessmentExport:
    from selfcheck.db.models import Assessment
    from selfcheck.reporting.collect import export_assessment

    async with database.reading() as session:
        assessment = await session.get(Assessment, assessment_id)
        if assessment is None:
            raise ReportError(f"Einen Selbstcheck mit der Nummer {assessment_id} gibt es nicht.")
        return await export_assessment(session, assessment)


async def _report_from_database(
    database: Database, registry: QuestionnaireRegistry, assessment_id: int
) -> tuple[AssessmentExport, ReportData]:
    """The export and the report, with the development against earlier Selbstchecks."""
    from selfcheck.db.models import Assessment
    from selfcheck.reporting.service import report_from_export, with_development

    export = await _export_from_database(database, assessment_id)
    async with database.reading() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        report = report_from_export(registry, export)
        return export, await with_development(session, registry, assessment, report)
