"""Loading practice examples: one YAML file per example, every problem with its position."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from selfcheck.practice.rules import check_example, matching_examples
from selfcheck.practice.schema import PracticeExample
from selfcheck.questionnaire.loader import (
    Problem,
    QuestionnaireError,
    parse_yaml_struct,
    read_yaml_text,
)
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.settings import SettingError, Settings


class PracticeError(QuestionnaireError):
    """Practice example files cannot be used; `problems` says where and why."""


def load_example(path: Path, questionnaires: Sequence[Questionnaire]) -> PracticeExample:
    try:
        text = read_yaml_text(path)
        return parse_yaml_struct(
            text, str(path), PracticeExample, lambda e: check_example(e, questionnaires)
        )
    except QuestionnaireError as error:
        raise PracticeError(error.problems) from None


def example_files(path: Path) -> list[Path]:
    """The example files of a folder (a single file stands for itself)."""
    if path.is_file():
        return [path]
    return sorted([*path.glob("*.yaml"), *path.glob("*.yml")])


def load_examples(
    files: Iterable[Path], questionnaires: Sequence[Questionnaire]
) -> list[PracticeExample]:
    """Every example, or a `PracticeError` with the problems of all files."""
    examples: list[PracticeExample] = []
    problems: list[Problem] = []
    first_file: dict[str, Path] = {}
    for path in files:
        try:
            example = load_example(path, questionnaires)
        except PracticeError as error:
            problems.extend(error.problems)
            continue
        if example.id in first_file:
            message = f"Die Kennung „{example.id}“ hat schon {first_file[example.id]}."
            problems.append(Problem(str(path), 1, 1, message))
            continue
        first_file[example.id] = path
        examples.append(example)
    if problems:
        raise PracticeError(problems)
    return examples


class PracticeLibrary:
    """The installation's practice examples, loaded once at start."""

    def __init__(self, examples: Sequence[PracticeExample]) -> None:
        self.examples = sorted(examples, key=lambda e: e.title)

    @classmethod
    def load_dir(cls, folder: Path, questionnaires: Sequence[Questionnaire]) -> PracticeLibrary:
        """A folder that does not exist holds no examples."""
        files = example_files(folder) if folder.exists() else []
        return cls(load_examples(files, questionnaires))

    def matching_examples(
        self, field_id: str, question_ids: Iterable[str] = ()
    ) -> list[PracticeExample]:
        return matching_examples(self.examples, field_id, question_ids)


def library_for(settings: Settings, questionnaires: Sequence[Questionnaire]) -> PracticeLibrary:
    """The library of the configured folder; a broken file stops the start with one line."""
    try:
        return PracticeLibrary.load_dir(settings.practice_dir, questionnaires)
    except PracticeError as error:
        first, *more = error.problems
        extra = f" (und {len(more)} weitere Probleme)" if more else ""
        raise SettingError("SELFCHECK_PRACTICE_DIR", f"{first}{extra}") from None
