from __future__ import annotations

from sqlalchemy import select

from selfcheck.db.engine import Database
from selfcheck.db.models import User
from tests.cli_runner import run_cli


def _env(database_url: str) -> dict[str, str]:
    return {
        "SELFCHECK_DATABASE_URL": database_url,
        "SELFCHECK_SECRET_KEY": "test-secret-key-" + "x" * 32,
    }


async def test_user_add_stores_an_account_with_a_password_from_stdin(
    database_url: str, database: Database
) -> None:
    result = await run_cli(
        "user", "add", "Neu@Example.org", "--role", "admin",
        stdin="ein-gutes-passwort\n", env=_env(database_url),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "neu@example.org (admin) ist angelegt" in result.output
    async with database.reading() as session:
        user = (await session.execute(select(User))).scalar_one()
    assert (user.email, user.role) == ("neu@example.org", "admin")
    assert user.password_hash.startswith("$argon2")


async def test_user_add_refuses_a_short_password_in_german(
    database_url: str, database: Database
) -> None:
    result = await run_cli("user", "add", "x@example.org", stdin="kurz\n", env=_env(database_url))
    assert result.exit_code == 1
    assert "Fehler: Das Passwort muss mindestens 10 Zeichen lang sein." in result.output
    assert "Traceback" not in result.output
