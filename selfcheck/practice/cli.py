"""`selfcheck practice check PATH`, and the check at server start."""

from __future__ import annotations

from pathlib import Path

import click

from selfcheck.practice.loader import PracticeError, example_files, library_for, load_examples
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.settings import Settings


def check(path: Path, settings: Settings) -> int:
    """Print a summary (exit code 0) or one `PATH:LINE:COL: message` line per problem (1)."""
    if not path.exists():
        click.echo(f"{path}:1:1: Die Datei oder den Ordner gibt es nicht.", err=True)
        return 1
    questionnaires = QuestionnaireRegistry.load_dir(settings.questionnaire_dir).all()
    files = example_files(path)
    if not files:
        click.echo(f"{path}:1:1: Hier liegt keine Praxisbeispiel-Datei (*.yaml).", err=True)
        return 1
    try:
        examples = load_examples(files, questionnaires)
    except PracticeError as error:
        click.echo(str(error), err=True)
        return 1
    click.echo(f"{len(examples)} Praxisbeispiel(e) in Ordnung:")
    for example in examples:
        references = ", ".join([*example.fields, *example.questions])
        click.echo(f"- {example.id}: {example.title} ({references})")
    return 0


def check_practice_examples(settings: Settings) -> None:
    """Load once before the server starts, so a broken file stops it with one line."""
    questionnaires = QuestionnaireRegistry.load_dir(settings.questionnaire_dir).all()
    library_for(settings, questionnaires)
