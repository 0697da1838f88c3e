"""Secret link tokens (staff invitations, the scribes' link): made here, stored only as a hash.

A token carries 192 random bits, so a fast hash is enough: it cannot be guessed back from
its hash, and a copy of the database opens no link.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Final

TOKEN_BYTES: Final = 24  # 192 bits


def new_token() -> str:
    """A fresh secret, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """What the database stores of a token: its SHA-256 in hex (64 characters)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
