"""One settings object, read from environment variables (documented in the README)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


# The largest legitimate request is the no-JavaScript form post of the biggest field page:
# 31 questions, each with a comment of up to 2,000 characters. Percent-encoded, a character
# takes up to 12 bytes (4 bytes of UTF-8, e.g. an emoji), so the worst case is about 745 KB;
# Arabic or Cyrillic text (6 bytes a character) needs about 375 KB. 1 MiB fits either, and
# is also what nginx allows by default.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


def _env_positive_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) <= 0:
        raise ValueError(f"{name} muss eine positive ganze Zahl (Bytes) sein, nicht „{value}“.")
    return int(value)


def _env_public_url(name: str) -> str | None:
    """A full address such as "http://192.168.1.20:8000", without trailing slash."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(
            f"{name} muss eine vollständige Adresse wie „http://192.168.1.20:8000“ sein, "
            f"nicht „{value}“."
        )
    if parts.query or parts.fragment:
        raise ValueError(f"{name} darf weder „?“ noch „#“ enthalten: „{value}“.")
    return value.rstrip("/")


def _data_dir() -> Path:
    return Path(os.environ.get("SELFCHECK_DATA_DIR", ".")).resolve()


def _secret_key(data_dir: Path) -> str:
    """Use SELFCHECK_SECRET_KEY, else a key generated once and kept beside the database,
    so that sessions survive restarts without any manual setup step."""
    configured = os.environ.get("SELFCHECK_SECRET_KEY")
    if configured:
        return configured
    key_file = data_dir / ".selfcheck-secret"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


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
    # The address phones and invited colleagues use; None: the address of each request.
    public_url: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = _data_dir()
        default_db = f"sqlite+aiosqlite:///{data_dir / 'selfcheck.db'}"
        return cls(
            database_url=os.environ.get("SELFCHECK_DATABASE_URL", default_db),
            questionnaire_dir=Path(
                os.environ.get("SELFCHECK_QUESTIONNAIRE_DIR", PROJECT_ROOT / "questionnaires")
            ),
            secret_key=_secret_key(data_dir),
            secure_cookies=_env_bool("SELFCHECK_SECURE_COOKIES", False),
            debug=_env_bool("SELFCHECK_DEBUG", False),
            demo=_env_bool("SELFCHECK_DEMO", False),
            max_body_bytes=_env_positive_int("SELFCHECK_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
            public_url=_env_public_url("SELFCHECK_PUBLIC_URL"),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
