"""The `selfcheck` command line."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from selfcheck.legal.texts import LegalTexts
from selfcheck.practice.cli import check_practice_examples
from selfcheck.reporting import cli as reporting_cli
from selfcheck.retention import cli as retention_cli
from selfcheck.settings import SettingError, Settings, get_settings, load_questionnaires
from selfcheck.web.addresses import phone_hints

# Graceful shutdown: event streams end at once on SIGTERM (selfcheck/web/shutdown.py), so
# this only bounds requests that are still running.
GRACEFUL_SHUTDOWN_SECONDS = 1


class UserFacingError(click.ClickException):
    """A clear German message, no traceback, exit code 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Fehler: {self.format_message()}", err=True)


class _Commands(click.Group):
    """Every command reports a bad setting as one German line, whichever reads it first."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SettingError as error:
            raise UserFacingError(str(error)) from error


@click.group(cls=_Commands, help="Selbstcheck Weltoffene Kommune – Server und Werkzeuge.")
def main() -> None:
    pass


for _command in reporting_cli.COMMANDS:  # report, export, import
    main.add_command(_command)
main.add_command(retention_cli.purge_command)


@main.command(help="Startet den Server (wendet ausstehende Datenbank-Migrationen vorher an).")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="SELFCHECK_HOST",
    help="Adresse, an der der Server lauscht (auch SELFCHECK_HOST).",
)
@click.option(
    "--port",
    default="8000",
    show_default=True,
    envvar="SELFCHECK_PORT",
    help="Port des Servers (auch SELFCHECK_PORT).",
)
@click.option("--demo", is_flag=True, help="Legt eine Demo-Kommune mit ausgefülltem Fragebogen an.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Anzahl der Server-Prozesse (mehr als einer nur mit PostgreSQL).",
)
def serve(host: str, port: str, demo: bool, workers: int) -> None:
    if demo:
        os.environ["SELFCHECK_DEMO"] = "1"
        get_settings.cache_clear()
    settings = get_settings()
    if workers > 1 and settings.is_sqlite:
        raise UserFacingError(
            "Mit SQLite läuft genau ein Server-Prozess. Für mehrere Prozesse setzen Sie"
            " SELFCHECK_DATABASE_URL auf eine PostgreSQL-Datenbank."
        )
    port_number = _port(port)
    _check_address_free(host, port_number)
    load_questionnaires(settings)
    check_practice_examples(settings)
    LegalTexts.for_settings(settings)  # a missing legal text stops the start here, not in a worker
    _upgrade_database()
    if demo:
        _load_demo()
    if settings.log_format == "text":  # JSON logs: uvicorn's own line says the same
        click.echo(f"Selbstcheck läuft auf http://{host}:{port_number} – beenden mit Strg+C.")
        for line in phone_hints(host, port_number, settings.public_url):
            click.echo(line)
    with _metrics_shared_by_workers(settings, workers):
        _run_uvicorn(settings, host, port_number, workers)


def _run_uvicorn(settings: Settings, host: str, port: int, workers: int) -> None:
    import uvicorn

    from selfcheck.observability import uvicorn_log_config

    uvicorn.run(
        "selfcheck.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=uvicorn_log_config(settings.log_format),
        # One log line per request costs more than a vote itself; errors are still logged.
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        **_proxy_options(settings),
    )


@contextlib.contextmanager
def _metrics_shared_by_workers(settings: Settings, workers: int) -> Iterator[None]:
    """Several workers write their metrics into one folder (prometheus-client's
    multiprocess mode), so that a scrape of any worker shows the sum. The workers inherit
    the variable; the folder goes when the server ends."""
    from selfcheck.observability import MULTIPROCESS_DIR_VARIABLE

    if workers == 1 or not settings.metrics or MULTIPROCESS_DIR_VARIABLE in os.environ:
        yield
        return
    folder = tempfile.mkdtemp(prefix="selfcheck-metrics-")
    os.environ[MULTIPROCESS_DIR_VARIABLE] = folder
    try:
        yield
    finally:
        del os.environ[MULTIPROCESS_DIR_VARIABLE]
        shutil.rmtree(folder, ignore_errors=True)


def _proxy_options(settings: Settings) -> dict[str, Any]:
    """Uvicorn's own proxy-header handling, only for the configured proxies: it sets the
    client address and scheme before the app sees the request, so links, cookies and rate
    limits all follow. (Uvicorn would otherwise trust 127.0.0.1 by default.)"""
    if not settings.trusted_proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": list(settings.trusted_proxies)}


def _port(value: str) -> int:
    setting = "--port (SELFCHECK_PORT)"
    if not value.strip().isdigit():
        raise SettingError(setting, f"„{value}“ ist keine Zahl; erlaubt ist 1 bis 65535.")
    number = int(value)
    if not 1 <= number <= 65535:
        raise SettingError(setting, f"{number} liegt außerhalb von 1 bis 65535.")
    return number


def _check_address_free(host: str, port: int) -> None:
    """Bind once the way uvicorn will, so that a taken port is a clear message."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise SettingError(
            "--host (SELFCHECK_HOST)", f"Die Adresse „{host}“ ist unbekannt."
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            setting = "--port (SELFCHECK_PORT)"
            if error.errno == errno.EADDRINUSE:
                raise SettingError(
                    setting, f"Port {port} auf {host} ist schon belegt (läuft der Server schon?)."
                ) from None
            if error.errno == errno.EACCES:
                raise SettingError(
                    setting, f"Port {port} darf dieser Benutzer nicht öffnen (unter 1024?)."
                ) from None
            raise SettingError(
                "--host (SELFCHECK_HOST)",
                f"An {host}:{port} kann der Server nicht lauschen: {error.strerror or error}.",
            ) from None


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


@main.group(help="Praxisbeispiele prüfen.")
def practice() -> None:
    pass


@practice.command("check", help="Prüft Praxisbeispiel-Dateien (eine Datei oder einen Ordner).")
@click.argument("path", type=click.Path(path_type=Path))
def practice_check(path: Path) -> None:
    from selfcheck.practice.cli import check

    sys.exit(check(path, get_settings()))


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
    from sqlalchemy import exc

    from selfcheck.db.migrate import upgrade

    url = get_settings().database_url
    try:
        upgrade(url)
    except (OSError, exc.DBAPIError, exc.TimeoutError) as error:
        cause = getattr(error, "orig", None) or error
        reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        raise SettingError(
            "SELFCHECK_DATABASE_URL",
            f"Die Datenbank {_shown(url)} ist nicht erreichbar: {reason}",
        ) from error


def _shown(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


def _load_demo() -> None:
    from selfcheck.db.engine import Database
    from selfcheck.demo import previous_questionnaire, seed_demo
    from selfcheck.questionnaire.registry import QuestionnaireRegistry

    settings = get_settings()
    registry = QuestionnaireRegistry.load_dir(settings.questionnaire_dir)

    async def run() -> None:
        database = Database.connect(settings.database_url)
        try:
            await seed_demo(database, registry.latest(), previous_questionnaire(registry))
        finally:
            await database.dispose()

    asyncio.run(run())
    click.echo("Demo-Kommune „Musterstadt (Demo)“ ist angelegt.")
