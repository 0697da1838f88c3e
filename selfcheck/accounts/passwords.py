"""Password hashing with argon2 (argon2-cffi: maintained, sensible defaults, rehash support)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10

# Verified against when the e-mail is unknown, so that the response time does not reveal
# whether an account exists.
_DUMMY_HASH = _hasher.hash("selfcheck-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
