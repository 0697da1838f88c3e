"""One settings object, read from environment variables (documented in the README).

Every setting is read by a small function that either returns a usable value or raises
`SettingError` naming the variable and what is wrong with it; the command line prints that
as one German line (`Fehler: …`). A new setting is one more reader and one more field.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

SUPPORTED_DATABASES = {"sqlite+aiosqlite": "SQLite", "postgresql+asyncpg": "PostgreSQL"}
DATABASE_EXAMPLES = "sqlite+aiosqlite:///PFAD/selfcheck.db oder postgresql+asyncpg://BENUTZER:PASSWORT@HOST/DATENBANK"
MIN_SECRET_KEY_LENGTH = 32
SECRET_KEY_FILE = ".selfcheck-secret"
REPORT_TEMPLATE_NAME = "template.docx"
PRACTICE_FOLDER = "praxisbeispiele"
LOG_FORMATS = ("text", "json")

# The largest legitimate request is the no-JavaScript form post of the biggest field page:
# 31 questions, each with a comment of up to 2,000 characters. Percent-encoded, a character
# takes up to 12 bytes (4 bytes of UTF-8, e.g. an emoji), so the worst case is about 745 KB;
# Arabic or Cyrillic text (6 bytes a character) needs about 375 KB. 1 MiB fits either, and
# is also what nginx allows by default.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024

_TRUE = {"1", "true", "yes", "ja", "on"}
_FALSE = {"0", "false", "no", "nein", "off"}


class SettingError(ValueError):
    """A setting that cannot work: `setting` names it (an environment variable or an
    option), `problem` says why in German."""

    def __init__(self, setting: str, problem: str) -> None:
        super().__init__(f"{setting}: {problem}")
        self.setting = setting
        self.problem = problem


Environment = Mapping[str, str]


def _env_bool(env: Environment, name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(name, f"„{env[name]}“ ist kein Ja/Nein-Wert; erlaubt sind true oder false.")


def _env_positive_int(env: Environment, name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) <= 0:
        raise SettingError(name, f"muss eine positive ganze Zahl (Bytes) sein, nicht „{value}“.")
    return int(value)


def _env_choice(env: Environment, name: str, choices: tuple[str, ...]) -> str:
    value = env.get(name, "").strip().lower() or choices[0]
    if value not in choices:
        allowed = " oder ".join(choices)
        raise SettingError(name, f"„{env[name]}“ ist nicht möglich; erlaubt sind {allowed}.")
    return value


def _env_public_url(env: Environment, name: str) -> str | None:
    """A full address such as "http://192.168.1.20:8000", without trailing slash."""
    value = env.get(name, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise SettingError(
            name,
            f"muss eine vollständige Adresse wie „http://192.168.1.20:8000“ sein, nicht „{value}“.",
        )
    if parts.query or parts.fragment:
        raise SettingError(name, f"darf weder „?“ noch „#“ enthalten: „{value}“.")
    return value.rstrip("/")


def _env_days(env: Environment, name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise SettingError(name, f"muss eine Anzahl von Tagen sein (0 oder mehr), nicht „{value}“.")
    return int(value)


# How long personal data stays after an assessment is submitted (see `selfcheck purge`):
# workshop participants with their single votes (the counts stay), and staff invitations.
DEFAULT_RETAIN_WORKSHOP_DAYS = 90
DEFAULT_RETAIN_INVITATION_DAYS = 180
# An export file of a large assessment (105 answers with long histories, a few workshops
# with hundreds of participants) is a few MB; 25 MB leaves ample room.
DEFAULT_IMPORT_MAX_BYTES = 25 * 1000 * 1000


def writable_folder(setting: str, folder: Path) -> Path:
    """The folder must exist and take new files (SQLite also writes -wal/-shm beside its
    file). Not created on the fly: a typo would otherwise start an empty installation."""
    if not folder.is_dir():
        problem = "ist kein Ordner" if folder.exists() else "gibt es nicht"
        raise SettingError(
            setting,
            f"Der Ordner {folder} {problem}. Legen Sie ihn an oder korrigieren Sie den Pfad.",
        )
    try:  # a real attempt: permissions, read-only mounts and immutable folders all count
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise SettingError(
            setting,
            f"In den Ordner {folder} kann dieser Benutzer nicht schreiben"
            f" ({error.strerror or error}). Geben Sie ihm Schreibrechte (z. B. chown) oder"
            " wählen Sie einen anderen Ordner.",
        ) from None
    return folder


def _data_dir(env: Environment) -> Path:
    return Path(env.get("SELFCHECK_DATA_DIR", "").strip() or ".").resolve()


def _masked(value: str) -> str:
    """The value as it may appear in a message: without a password."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", value)


def _database_url(env: Environment, data_dir: Path) -> str:
    name = "SELFCHECK_DATABASE_URL"
    if name not in env:
        writable_folder("SELFCHECK_DATA_DIR", data_dir)
        return f"sqlite+aiosqlite:///{data_dir / 'selfcheck.db'}"
    value = env[name].strip()
    if not value:
        raise SettingError(
            name,
            "ist gesetzt, aber leer. Lassen Sie die Variable weg (dann SQLite im Datenordner)"
            f" oder geben Sie eine Adresse an: {DATABASE_EXAMPLES}.",
        )
    try:
        url = make_url(value)
    except ArgumentError:
        raise SettingError(
            name, f"„{_masked(value)}“ ist keine Datenbank-Adresse. Erwartet: {DATABASE_EXAMPLES}."
        ) from None
    if url.drivername not in SUPPORTED_DATABASES:
        raise SettingError(
            name,
            f"Der Datenbanktreiber „{url.drivername}“ wird nicht unterstützt. Möglich sind"
            f" {DATABASE_EXAMPLES}.",
        )
    if url.drivername.startswith("sqlite"):
        _check_sqlite_file(name, url)
    elif not url.host or not url.database:
        raise SettingError(
            name,
            "Für PostgreSQL fehlen Server oder Datenbankname, z. B. postgresql+asyncpg://…"
            "@HOST/DATENBANK.",
        )
    return value


def _check_sqlite_file(name: str, url: URL) -> None:
    if not url.database or url.database == ":memory:":
        raise SettingError(
            name, "Eine SQLite-Datenbank braucht eine Datei: sqlite+aiosqlite:///PFAD/selfcheck.db."
        )
    path = Path(url.database).resolve()
    writable_folder(name, path.parent)
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise SettingError(
            name, f"Die Datenbankdatei {path} ist für diesen Benutzer nicht beschreibbar."
        )


def _secret_key(env: Environment, data_dir: Path) -> str:
    """Use SELFCHECK_SECRET_KEY, else a key generated once and kept in the data folder,
    so that sessions survive restarts without any manual setup step."""
    configured = env.get("SELFCHECK_SECRET_KEY", "").strip()
    if configured:
        if len(configured) < MIN_SECRET_KEY_LENGTH:
            raise SettingError(
                "SELFCHECK_SECRET_KEY",
                f"ist zu kurz ({len(configured)} Zeichen); nötig sind mindestens"
                f" {MIN_SECRET_KEY_LENGTH}. Erzeugen Sie einen, z. B. mit"
                " „python3 -c 'import secrets; print(secrets.token_urlsafe(48))'“.",
            )
        return configured
    key_file = writable_folder("SELFCHECK_DATA_DIR", data_dir) / SECRET_KEY_FILE
    try:
        if key_file.exists():
            key = key_file.read_text(encoding="utf-8").strip()
            if len(key) < MIN_SECRET_KEY_LENGTH:
                raise SettingError(
                    "SELFCHECK_DATA_DIR",
                    f"Die Schlüsseldatei {key_file} ist leer oder zu kurz. Löschen Sie sie,"
                    " dann wird ein neuer Schlüssel erzeugt (bestehende Anmeldungen enden).",
                )
            return key
        key = secrets.token_urlsafe(48)
        key_file.write_text(key, encoding="utf-8")
        key_file.chmod(0o600)
    except OSError as error:
        raise SettingError(
            "SELFCHECK_DATA_DIR",
            f"Die Schlüsseldatei {key_file} lässt sich nicht lesen oder anlegen:"
            f" {error.strerror or error}.",
        ) from None
    return key


def _existing_folder(env: Environment, name: str, default: Path) -> Path:
    folder = Path(env.get(name, "").strip() or default)
    if not folder.is_dir():
        problem = "ist kein Ordner" if folder.exists() else "gibt es nicht"
        raise SettingError(name, f"Der Ordner {folder} {problem}.")
    return folder


def _practice_dir(env: Environment, questionnaire_dir: Path) -> Path:
    """A folder set on purpose must exist; the default beside the questionnaires may be
    missing (then there are no practice examples)."""
    if env.get("SELFCHECK_PRACTICE_DIR", "").strip():
        return _existing_folder(env, "SELFCHECK_PRACTICE_DIR", questionnaire_dir)
    return questionnaire_dir / PRACTICE_FOLDER


def _reports_dir(env: Environment) -> Path:
    name = "SELFCHECK_REPORTS_DIR"
    folder = _existing_folder(env, name, PROJECT_ROOT / "reports")
    template = folder / REPORT_TEMPLATE_NAME
    if not template.is_file():
        raise SettingError(
            name,
            f"Die Word-Vorlage {template} fehlt. Legen Sie dort eine .docx-Datei ab (z. B. mit"
            " „python reports/make_template.py“) oder lassen Sie die Variable weg.",
        )
    return folder


def _trusted_proxies(env: Environment) -> tuple[str, ...]:
    """Addresses or networks (CIDR) whose X-Forwarded-For/-Proto headers are believed."""
    name = "SELFCHECK_TRUSTED_PROXIES"
    entries = tuple(p.strip() for p in env.get(name, "").split(",") if p.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise SettingError(
                name,
                f"„{entry}“ ist keine IP-Adresse und kein Netz (z. B. 127.0.0.1 oder 10.0.0.0/8)."
                " Mehrere Einträge trennen Sie mit Kommas.",
            ) from None
    return entries


@dataclass(frozen=True)
class Settings:
    database_url: str
    questionnaire_dir: Path
    secret_key: str
    secure_cookies: bool
    debug: bool = False
    demo: bool = False
    reports_dir: Path = field(default=PROJECT_ROOT / "reports")
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    trusted_proxies: tuple[str, ...] = ()
    metrics: bool = False
    metrics_token: str = ""
    log_format: str = "text"
    legal_dir: Path = field(default=PROJECT_ROOT / "legal")
    retain_workshop_days: int = DEFAULT_RETAIN_WORKSHOP_DAYS
    retain_invitation_days: int = DEFAULT_RETAIN_INVITATION_DAYS
    # Edit history names the department instead of the person (e.g. at the staff council's
    # request, so that the history cannot serve to monitor individual staff).
    pseudonymous_history: bool = False
    import_max_bytes: int = DEFAULT_IMPORT_MAX_BYTES
    # The address phones and invited colleagues use; None: the address of each request.
    public_url: str | None = None
    practice_dir: Path = field(default=PROJECT_ROOT / "questionnaires" / PRACTICE_FOLDER)

    @classmethod
    def from_env(cls, env: Environment | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = _data_dir(env)
        questionnaire_dir = _existing_folder(
            env, "SELFCHECK_QUESTIONNAIRE_DIR", PROJECT_ROOT / "questionnaires"
        )
        return cls(
            database_url=_database_url(env, data_dir),
            questionnaire_dir=questionnaire_dir,
            practice_dir=_practice_dir(env, questionnaire_dir),
            secret_key=_secret_key(env, data_dir),
            secure_cookies=_env_bool(env, "SELFCHECK_SECURE_COOKIES", False),
            reports_dir=_reports_dir(env),
            trusted_proxies=_trusted_proxies(env),
            metrics=_env_bool(env, "SELFCHECK_METRICS", False),
            metrics_token=env.get("SELFCHECK_METRICS_TOKEN", "").strip(),
            log_format=_env_choice(env, "SELFCHECK_LOG_FORMAT", LOG_FORMATS),
            debug=_env_bool(env, "SELFCHECK_DEBUG", False),
            demo=_env_bool(env, "SELFCHECK_DEMO", False),
            max_body_bytes=_env_positive_int(
                env, "SELFCHECK_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES
            ),
            legal_dir=_existing_folder(env, "SELFCHECK_LEGAL_DIR", PROJECT_ROOT / "legal"),
            retain_workshop_days=_env_days(
                env, "SELFCHECK_RETAIN_WORKSHOP_DAYS", DEFAULT_RETAIN_WORKSHOP_DAYS
            ),
            retain_invitation_days=_env_days(
                env, "SELFCHECK_RETAIN_INVITATION_DAYS", DEFAULT_RETAIN_INVITATION_DAYS
            ),
            pseudonymous_history=_env_bool(env, "SELFCHECK_PSEUDONYMOUS_HISTORY", False),
            import_max_bytes=_env_positive_int(
                env, "SELFCHECK_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES
            ),
            public_url=_env_public_url(env, "SELFCHECK_PUBLIC_URL"),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_questionnaires(settings: Settings) -> None:
    """Load every questionnaire once, so that a broken file stops the start with its
    position instead of failing in a server worker."""
    from selfcheck.questionnaire.loader import QuestionnaireError
    from selfcheck.questionnaire.registry import DEFAULT_QUESTIONNAIRE_ID, QuestionnaireRegistry

    name = "SELFCHECK_QUESTIONNAIRE_DIR"
    try:
        registry = QuestionnaireRegistry.load_dir(settings.questionnaire_dir)
    except QuestionnaireError as error:
        first, *more = error.problems
        extra = f" (und {len(more)} weitere Probleme)" if more else ""
        raise SettingError(name, f"{first}{extra}") from None
    if not registry.all():
        raise SettingError(
            name, f"Im Ordner {settings.questionnaire_dir} liegt keine Fragebogen-Datei (*.yaml)."
        )
    try:
        registry.latest()
    except KeyError:
        raise SettingError(
            name,
            f"Im Ordner {settings.questionnaire_dir} fehlt der Fragebogen"
            f" „{DEFAULT_QUESTIONNAIRE_ID}“.",
        ) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
