"""Creating users and checking their passwords."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from selfcheck.db.models import User
from selfcheck.errors import InvalidInput

ROLES = ("admin", "moderator")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def create_user(session: AsyncSession, email: str, password: str, role: str) -> User:
    email = normalize_email(email)
    if not _EMAIL.match(email) or len(email) > 254:
        raise InvalidInput("Bitte geben Sie eine gültige E-Mail-Adresse an.")
    if role not in ROLES:
        raise InvalidInput("Die Rolle muss „admin“ oder „moderator“ sein.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.")
    if await user_by_email(session, email) is not None:
        raise InvalidInput(f"Es gibt bereits ein Konto für {email}.")
    user = User(email=email, password_hash=hash_password(password), role=role)
    session.add(user)
    await session.flush()
    return user


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(User.email == normalize_email(email)))
    return result.scalar_one_or_none()


async def authenticate(session: AsyncSession, email: str, password: str) -> User | None:
    user = await user_by_email(session, email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    return user
