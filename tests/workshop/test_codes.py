from __future__ import annotations

from selfcheck.workshop.codes import (
    JOIN_CODE_ALPHABET,
    format_join_code,
    is_well_formed_join_code,
    new_join_code,
    normalize_join_code,
)


def test_join_codes_have_six_characters_from_the_alphabet() -> None:
    for _ in range(200):
        code = new_join_code()
        assert len(code) == 6
        assert set(code) <= set(JOIN_CODE_ALPHABET)
        assert is_well_formed_join_code(code)


def test_the_alphabet_leaves_out_easily_confused_characters() -> None:
    assert not set("0OQD1IL2Z5S8B6") & set(JOIN_CODE_ALPHABET)
    assert len(set(JOIN_CODE_ALPHABET)) == len(JOIN_CODE_ALPHABET) >= 20


def test_join_codes_are_drawn_at_random() -> None:
    codes = {new_join_code() for _ in range(500)}
    assert len(codes) >= 495  # 113 million possible codes: repeats are vanishingly rare
    assert len({code[0] for code in codes}) == len(JOIN_CODE_ALPHABET)


def test_typed_codes_are_upper_cased_without_spaces_and_dashes() -> None:
    assert normalize_join_code(" ack-\u2013 7 9x\n") == "ACK79X"
    assert normalize_join_code("ACK\u00a0479") == "ACK479"


def test_normalisation_maps_no_look_alike_characters() -> None:
    assert normalize_join_code("o0il1") == "O0IL1"
    assert not is_well_formed_join_code("ACK4O9")  # a typed letter O stays a typo


def test_malformed_codes_are_recognised_without_asking_the_database() -> None:
    assert not is_well_formed_join_code("ACK47")
    assert not is_well_formed_join_code("ACK4799")
    assert not is_well_formed_join_code("ack479")


def test_codes_are_shown_in_two_groups_of_three() -> None:
    assert format_join_code("ACK479") == "ACK-479"
    assert normalize_join_code(format_join_code("ACK479")) == "ACK479"
