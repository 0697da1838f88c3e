"""The `selfcheck` command line."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import IO, Any

import click

from selfcheck.reporting import cli as reporting_cli
from selfcheck.settings import get_settings
from selfcheck.web.addresses import phone_hints


class UserFacingError(click.ClickException):
    """A clear German message, no traceback, exit code 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Fehler: {self.format_message()}", err=True)


@click.group(help="Selbstcheck Weltoffene Kommune – Server und Werkzeuge.")
def main() -> None:
    pass


for _command in reporting_cli.COMMANDS:  # report, export, import
    main.add_command(_command)


@main.command(help="Startet den Server (wendet ausstehende Datenbank-Migrationen vorher an).")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Adresse, an der der Server lauscht."
)
@click.option("--port", default=8000, show_default=True, type=int, help="Port des Servers.")
@click.option("--demo", is_flag=True, help="Legt eine Demo-Kommune mit ausgefülltem Fragebogen an.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Anzahl der Server-Prozesse (mehr als einer nur mit PostgreSQL).",
)
def serve(host: str, port: int, demo: bool, workers: int) -> None:
    import uvicorn

    if workers > 1 and get_settings().is_sqlite:
        raise UserFacingError(
            "Mit SQLite läuft genau ein Server-Prozess. Für mehrere Prozesse setzen Sie"
            " SELFCHECK_DATABASE_URL auf eine PostgreSQL-Datenbank."
        )
    if demo:
        os.environ["SELFCHECK_DEMO"] = "1"
        get_settings.cache_clear()
    _upgrade_database()
    if demo:
        _load_demo()
    click.echo(f"Selbstcheck läuft auf http://{host}:{port} – beenden mit Strg+C.")
    for line in phone_hints(host, port, get_settings().public_url):
        click.echo(line)
    uvicorn.run(
        "selfcheck.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        # One log line per request costs more than a vote itself; errors are still logged.
        access_log=False,
        # Server-sent event streams stay open; do not wait for them on shutdown for long.
        timeout_graceful_shutdown=3,
    )


@main.command("demo", help="Lädt die Demo-Kommune in die Datenbank (falls noch nicht vorhanden).")
def demo_command() -> None:
    _upgrade_database()
    _load_demo()


@main.group(help="Fragebögen prüfen.")
def questionnaire() -> None:
    pass


@questionnaire.command("check", help="Prüft eine Fragebogen-Datei und zeigt eine Übersicht.")
@click.argument("path", type=click.Path(path_type=Path))
def questionnaire_check(path: Path) -> None:
    from selfcheck.questionnaire.loader import QuestionnaireError, load_questionnaire
    from selfcheck.questionnaire.summary import summarize

    try:
        loaded = load_questionnaire(path)
    except QuestionnaireError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(summarize(loaded))


@main.group(help="Datenbank verwalten.")
def db() -> None:
    pass


@db.command("upgrade", help="Bringt die Datenbank auf den neuesten Stand.")
def db_upgrade() -> None:
    _upgrade_database()
    click.echo("Datenbank ist auf dem neuesten Stand.")


@main.group(help="Konten für Moderation und Administration verwalten.")
def user() -> None:
    pass


@user.command(
    "add",
    help="Legt ein Konto an. Das Passwort wird abgefragt oder von der Standardeingabe gelesen.",
)
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["admin", "moderator"]),
    default="moderator",
    show_default=True,
    help="admin sieht alles, moderator nur zugeordnete Kommunen.",
)
def user_add(email: str, role: str) -> None:
    from selfcheck.accounts.services import create_user
    from selfcheck.db.engine import Database
    from selfcheck.errors import SelfcheckError

    password = _read_password()
    _upgrade_database()

    async def run() -> None:
        database = Database.connect(get_settings().database_url)
        try:
            async with database.writing() as session:
                await create_user(session, email, password, role)
        finally:
            await database.dispose()

    try:
        asyncio.run(run())
    except SelfcheckError as error:
        raise UserFacingError(error.message) from error
    click.echo(f"Konto {email.strip().lower()} ({role}) ist angelegt.")


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return str(
        click.prompt("Passwort", hide_input=True, confirmation_prompt="Passwort wiederholen")
    )


@main.command(
    help="Schreibt eine Sicherungskopie der SQLite-Datenbank nach PATH – auch während der"
    " Server läuft. PostgreSQL sichern Sie mit pg_dump."
)
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--overwrite", is_flag=True, help="Eine vorhandene Datei an PATH ersetzen.")
def backup(path: Path, overwrite: bool) -> None:
    from selfcheck.db.backup import BackupError, backup_database

    try:
        result = backup_database(get_settings().database_url, path, overwrite=overwrite)
    except BackupError as error:
        raise UserFacingError(error.message) from error
    size = f"{result.size_bytes / 1_000_000:.1f}".replace(".", ",")
    click.echo(f"Sicherung geschrieben: {result.path} ({size} MB, Integritätsprüfung: ok).")


def _upgrade_database() -> None:
    from selfcheck.db.migrate import upgrade

    try:
        upgrade(get_settings().database_url)
    except OSError as error:
        raise UserFacingError(f"Die Datenbank ist nicht erreichbar: {error}") from error


def _load_demo() -> None:
    from selfcheck.db.engine import Database
    from selfcheck.demo import seed_demo
    from selfcheck.questionnaire.registry import QuestionnaireRegistry

    settings = get_settings()
    registry = QuestionnaireRegistry.load_dir(settings.questionnaire_dir)

    async def run() -> None:
        database = Database.connect(settings.database_url)
        try:
            await seed_demo(database, registry.latest())
        finally:
            await database.dispose()

    asyncio.run(run())
    click.echo("Demo-Kommune „Musterstadt (Demo)“ ist angelegt.")
