from __future__ import annotations

import hashlib

from selfcheck.tokens import hash_token, new_token


def test_link_tokens_carry_at_least_128_random_bits() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(token) >= 32 for token in tokens)  # 24 bytes in URL-safe base64


def test_link_tokens_are_stored_as_their_sha256() -> None:
    token = new_token()
    assert hash_token(token) == hashlib.sha256(token.encode()).hexdigest()
    assert len(hash_token(token)) == 64
