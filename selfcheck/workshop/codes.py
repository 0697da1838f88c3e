"""Join codes for participants (the scribes' link token lives in `selfcheck.tokens`).

A join code is read off a projector and typed into a phone, so its alphabet leaves out
characters that are easily confused there: 0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G (G stays), 8/B.
With the 22 remaining characters a 6-character code has about 113 million values; it only has to be
hard to guess for the few hours of a workshop, and guessing is limited at the web layer.
"""

from __future__ import annotations

import secrets

JOIN_CODE_ALPHABET = "ACEFGHJKMNPRTUVWXY3479"
JOIN_CODE_LENGTH = 6

# Phones and word processors turn "-" into other dashes; a code is often copied with them.
_SEPARATORS = frozenset(" \t\n\r\u00a0-\u2010\u2011\u2012\u2013\u2014\u2212")


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(raw: str) -> str:
    """Upper-case and drop spaces and dashes. Nothing else is mapped (no "O" -> "0"):
    the alphabet avoids look-alikes instead, and a mapping would hide real typos."""
    return "".join(char for char in raw.upper() if char not in _SEPARATORS)


def is_well_formed_join_code(code: str) -> bool:
    """Whether a normalised code can exist at all (saves a query for obvious typos)."""
    return len(code) == JOIN_CODE_LENGTH and all(char in JOIN_CODE_ALPHABET for char in code)


def format_join_code(code: str) -> str:
    """ "ABC-DEF" for the projector: two groups of three are easier to read out."""
    half = JOIN_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"
