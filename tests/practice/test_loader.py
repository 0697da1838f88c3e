"""Practice example files: loaded like questionnaires, refused with file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcheck.practice.loader import PracticeError, PracticeLibrary, load_examples
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.settings import PROJECT_ROOT
from tests.cli_runner import run_cli

SHIPPED = PROJECT_ROOT / "questionnaires" / "praxisbeispiele"

GOOD = """\
id: beispiel
title: Ein Beispiel
municipality:
  name: eine Kleinstadt
  type: Kleinstadt
fields: [MS]
questions: [MS-06]
what_was_done: Eine zentrale Stelle wurde eingerichtet.
effort:
  duration: ein Jahr
  staff: eine halbe Stelle
source:
  title: Bericht
  url: https://example.org/bericht
contact_role: Integrationsbeauftragte der Stadt
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(folder: Path, registry: QuestionnaireRegistry) -> list[str]:
    with pytest.raises(PracticeError) as caught:
        PracticeLibrary.load_dir(folder, registry.all())
    return [str(problem) for problem in caught.value.problems]


def test_every_shipped_example_loads_and_references_existing_questions(
    registry: QuestionnaireRegistry,
) -> None:
    library = PracticeLibrary.load_dir(SHIPPED, registry.all())
    assert 8 <= len(library.examples) <= 12
    newest = registry.latest()
    question_ids = {q.id for field in newest.fields for q in field.questions}
    field_ids = {field.id for field in newest.fields}
    for example in library.examples:
        assert set(example.questions) <= question_ids, example.id
        assert set(example.fields) <= field_ids, example.id
        assert "@" not in example.contact_role


def test_the_questionnaire_registry_does_not_read_the_practice_examples(
    registry: QuestionnaireRegistry,
) -> None:
    assert SHIPPED.parent == PROJECT_ROOT / "questionnaires"
    assert {q.version for q in QuestionnaireRegistry.load_dir(SHIPPED.parent).all()} == {
        "2026.1",
        "2027.1",
    }


def test_a_good_file_loads(tmp_path: Path, registry: QuestionnaireRegistry) -> None:
    _write(tmp_path, "beispiel.yaml", GOOD)
    (example,) = PracticeLibrary.load_dir(tmp_path, registry.all()).examples
    assert example.contact_role == "Integrationsbeauftragte der Stadt"


def test_an_unknown_question_is_reported_with_file_line_and_column(
    tmp_path: Path, registry: QuestionnaireRegistry
) -> None:
    path = _write(tmp_path, "b.yaml", GOOD.replace("questions: [MS-06]", "questions: [MS-99]"))
    assert _problems(tmp_path, registry) == [
        f"{path}:7:13: Die Frage „MS-99“ gibt es in keinem installierten Fragebogen."
    ]


def test_an_unknown_field_is_reported_at_its_line(
    tmp_path: Path, registry: QuestionnaireRegistry
) -> None:
    path = _write(tmp_path, "b.yaml", GOOD.replace("fields: [MS]", "fields: [MS, XX]"))
    (problem,) = _problems(tmp_path, registry)
    assert problem.startswith(f"{path}:6:14: Das Handlungsfeld „XX“ gibt es in keinem")


def test_a_question_outside_the_named_fields_is_refused(
    tmp_path: Path, registry: QuestionnaireRegistry
) -> None:
    _write(tmp_path, "b.yaml", GOOD.replace("questions: [MS-06]", "questions: [KK-01]"))
    (problem,) = _problems(tmp_path, registry)
    assert "gehört zum Handlungsfeld „KK“" in problem


@pytest.mark.parametrize(
    "role",
    ["Frau Muster, 0211 123456", "Integrationsbüro +49 (211) 89-12345", "a.muster@stadt.example"],
)
def test_a_contact_with_a_phone_number_or_e_mail_address_is_refused(
    tmp_path: Path, registry: QuestionnaireRegistry, role: str
) -> None:
    path = _write(
        tmp_path, "b.yaml", GOOD.replace("Integrationsbeauftragte der Stadt", f'"{role}"')
    )
    (problem,) = _problems(tmp_path, registry)
    assert problem.startswith(f"{path}:15:15: Die Ansprechstelle enthält")
    assert "keine Kontaktdaten von Personen" in problem


def test_an_unknown_key_and_a_missing_key_are_named(
    tmp_path: Path, registry: QuestionnaireRegistry
) -> None:
    path = _write(tmp_path, "b.yaml", GOOD.replace("contact_role:", "contact:"))
    (problem,) = _problems(tmp_path, registry)
    assert problem.startswith(f"{path}:15:1: Unbekannter Schlüssel `contact`.")


def test_broken_yaml_is_reported_at_its_line(
    tmp_path: Path, registry: QuestionnaireRegistry
) -> None:
    path = _write(tmp_path, "b.yaml", GOOD.replace("title: Ein Beispiel", "title: [kaputt"))
    (problem,) = _problems(tmp_path, registry)
    assert problem.startswith(f"{path}:3:")
    assert "YAML-Syntaxfehler" in problem


def test_two_files_with_the_same_id_are_refused(
    tmp_path: Path, registry: QuestionnaireRegistry
) -> None:
    first = _write(tmp_path, "a.yaml", GOOD)
    second = _write(tmp_path, "b.yaml", GOOD)
    with pytest.raises(PracticeError) as caught:
        load_examples([first, second], registry.all())
    assert str(caught.value) == f"{second}:1:1: Die Kennung „beispiel“ hat schon {first}."


def test_a_missing_default_folder_means_no_examples(registry: QuestionnaireRegistry) -> None:
    assert PracticeLibrary.load_dir(Path("/nicht/vorhanden"), registry.all()).examples == []


async def test_the_check_command_prints_a_summary() -> None:
    result = await run_cli("practice", "check", str(SHIPPED))
    assert result.exit_code == 0, result.output
    assert "Praxisbeispiel(e) in Ordnung" in result.output
    assert "willkommensberatung-kreis" in result.output


async def test_the_check_command_prints_path_line_column_and_exits_1(tmp_path: Path) -> None:
    path = _write(tmp_path, "b.yaml", GOOD.replace("fields: [MS]", "fields: [XX]"))
    result = await run_cli("practice", "check", str(path))
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:6:10: Das Handlungsfeld „XX“")


async def test_a_broken_example_stops_the_server_start_with_one_line(tmp_path: Path) -> None:
    _write(tmp_path, "b.yaml", GOOD.replace("fields: [MS]", "fields: [XX]"))
    result = await run_cli("serve", "--port", "8999", env={"SELFCHECK_PRACTICE_DIR": str(tmp_path)})
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith("Fehler: SELFCHECK_PRACTICE_DIR")
    assert f"{tmp_path / 'b.yaml'}:6:10:" in line
