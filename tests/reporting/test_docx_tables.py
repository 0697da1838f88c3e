"""Column widths of the report's tables: sized to their content, never splitting a word."""

from __future__ import annotations

from selfcheck.reporting.docx_tables import CELL_PADDING_CM, column_widths, text_width_cm

PAGE = 17.0  # cm of text width on A4 with 2 cm margins
SIZE = 9.0

ANNEX_HEADER = ["Nr.", "Frage", "Antwort", "Kommentar"]
ANNEX_ROWS = [
    ["MS-05", "Wurden Menschen mit Zuwanderungsgeschichte an der Erarbeitung oder "
     "Fortschreibung der kommunalen Integrationsstrategie beteiligt?",
     "Teilweise bzw. in Umsetzung", "Beschluss des Ausschusses vom März, die Umsetzung läuft"],
    ["MS-06", "Gibt es in der Verwaltung eine zentrale Stelle?", "Ja, umgesetzt", ""],
]  # fmt: skip


def test_the_widths_fill_the_text_width_of_the_page() -> None:
    assert round(sum(column_widths(ANNEX_HEADER, ANNEX_ROWS, PAGE, SIZE)), 1) == PAGE
    summary = column_widths(
        ["Handlungsfeld", "n"], [["Management und Steuerung", "13"]], PAGE, SIZE
    )
    assert round(sum(summary), 1) == PAGE


def test_a_number_column_stays_narrow_and_the_text_column_gets_the_room() -> None:
    number, question, answer, comment = column_widths(ANNEX_HEADER, ANNEX_ROWS, PAGE, SIZE)
    assert number < 2.0
    assert question > max(number, answer, comment)
    _, count = column_widths(
        ["Handlungsfeld", "n"], [["Management und Steuerung", "13"]], PAGE, SIZE
    )
    assert count < 1.5


def test_no_column_is_narrower_than_its_longest_word() -> None:
    header = ["Handlungsfeld", "Verwaltung", "Bewertung"]
    rows = [["Kommunikation und Konfliktmanagement", "Kategorie 2", "deutliche Abweichung"]] * 3
    for narrow_page in (17.0, 12.0, 9.0):
        widths = column_widths(header, rows, narrow_page, SIZE)
        longest = [
            max(text_width_cm(word, SIZE, bold=True) for word in header[i].split())
            for i in range(3)
        ]
        longest[0] = max(longest[0], text_width_cm("Konfliktmanagement", SIZE))
        assert all(
            w >= word + CELL_PADDING_CM - 0.01 for w, word in zip(widths, longest, strict=True)
        )


def test_a_short_answer_stays_on_one_line_beside_a_long_question() -> None:
    _, _, answer, _ = column_widths(ANNEX_HEADER, ANNEX_ROWS, PAGE, SIZE)
    assert answer >= text_width_cm("Teilweise bzw. in Umsetzung", SIZE) + CELL_PADDING_CM - 0.01


def test_bold_and_wide_letters_measure_wider() -> None:
    assert text_width_cm("Verwaltung", SIZE, bold=True) > text_width_cm("Verwaltung", SIZE)
    assert text_width_cm("MMMM", SIZE) > text_width_cm("iiii", SIZE) * 3
    # Arial's "Handlungsfeld" at 9 pt is about 2.1 cm wide.
    assert 1.9 < text_width_cm("Handlungsfeld", SIZE) < 2.3


def test_words_too_long_for_the_page_still_give_a_table_as_wide_as_the_page() -> None:
    header = ["Handlungsfeld", "Verwaltung", "Bewertung"]
    rows = [["Kommunikation und Konfliktmanagement", "Kategorie 2", "deutliche Abweichung"]]
    widths = column_widths(header, rows, 6.0, SIZE)
    assert round(sum(widths), 1) == 6.0
    assert widths[0] == max(widths)
