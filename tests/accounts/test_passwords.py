from __future__ import annotations

from selfcheck.accounts.passwords import hash_password, verify_password


def test_passwords_are_stored_as_argon2_hashes() -> None:
    stored = hash_password("ein-langes-passwort")
    assert stored.startswith("$argon2")
    assert "ein-langes-passwort" not in stored


def test_only_the_right_password_verifies() -> None:
    stored = hash_password("ein-langes-passwort")
    assert verify_password(stored, "ein-langes-passwort")
    assert not verify_password(stored, "ein-anderes-passwort")
    assert not verify_password(None, "selfcheck-dummy-password")
