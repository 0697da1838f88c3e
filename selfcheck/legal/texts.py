"""The operator's legal texts: Markdown files in one folder, rendered to safe HTML once.

Rendered with markdown-it-py: it follows CommonMark exactly, is actively maintained (the
Executable Books project), and with `html` switched off it escapes raw HTML instead of
passing it through and refuses `javascript:` and similar links. It is already installed
as a dependency of rich.

The shipped templates carry a marker line; while any file still has it, moderators see a
notice that the operator's own details are missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from markdown_it import MarkdownIt

from selfcheck.settings import SettingError, Settings
from selfcheck.vocabulary import LabelledEnum

# The whole line with this word is removed before rendering.
TEMPLATE_MARKER: Final = "SELFCHECK-VORLAGE"


class LegalPage(LabelledEnum):
    """A legal page: its value is the path and the Markdown file's name."""

    ACCESSIBILITY = "barrierefreiheit", "Barrierefreiheit"
    PRIVACY = "datenschutz", "Datenschutz"
    IMPRINT = "impressum", "Impressum"

    @property
    def filename(self) -> str:
        return f"{self.value}.md"


class LegalTextsMissing(SettingError):
    """The legal folder lacks a text: the server does not start without it."""


@dataclass(frozen=True)
class LegalTexts:
    html: dict[LegalPage, str]
    uses_templates: bool  # True while a shipped template (with its marker) is in use

    @classmethod
    def load(cls, folder: Path, values: Mapping[str, str]) -> LegalTexts:
        """Read and render the folder's texts; `{name}` becomes `values[name]` (only these
        names: so the privacy notice states the retention periods actually configured)."""
        sources = {page: _read(folder, page) for page in LegalPage}
        return cls(
            html={
                page: render_markdown(_filled_in(_without_marker(text), values))
                for page, text in sources.items()
            },
            uses_templates=any(TEMPLATE_MARKER in text for text in sources.values()),
        )

    @classmethod
    def for_settings(cls, settings: Settings) -> LegalTexts:
        return cls.load(
            settings.legal_dir,
            {
                "aufbewahrung_workshop_tage": str(settings.retain_workshop_days),
                "aufbewahrung_einladungen_tage": str(settings.retain_invitation_days),
            },
        )


def _read(folder: Path, page: LegalPage) -> str:
    path = folder / page.filename
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = "ist kein UTF-8-Text" if isinstance(error, UnicodeDecodeError) else "fehlt"
        raise LegalTextsMissing(
            "SELFCHECK_LEGAL_DIR",
            f"Die Datei {path} {reason}. Der Ordner braucht "
            f"{', '.join(p.filename for p in LegalPage)} (Vorlagen liegen im Ordner legal/ "
            "des Projekts).",
        ) from None


def _filled_in(text: str, values: Mapping[str, str]) -> str:
    for name, value in values.items():
        text = text.replace(f"{{{name}}}", value)
    return text


def _without_marker(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if TEMPLATE_MARKER not in line)


_MARKDOWN: Final = MarkdownIt("commonmark", {"html": False}).enable("table")


def render_markdown(text: str) -> str:
    """CommonMark to HTML; raw HTML is shown as text, unsafe links are not made links."""
    html: str = _MARKDOWN.render(text)
    return html
