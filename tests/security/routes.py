"""The app's own route table as test input, so new routes are covered without editing tests.

Every route is classified by its path parameters:
- ids of things that belong to a municipality (`municipality_id`, `workshop_id`, ...):
  only moderators of that municipality (and admins) may reach them;
- a secret link (`{token}`) of some kind: staff invitation or scribe link;
- public values (`field_id`, a join `code`, ...).
A route with a parameter this module does not know fails the tests with a request to
classify it here, instead of silently going untested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute
from sqlalchemy import select

from selfcheck.db.engine import Database
from selfcheck.db.models import Base
from selfcheck.web.limits import expected_media_type

PARAMETER = re.compile(r"\{(\w+):(\w+)\}")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Parameters naming something that belongs to one municipality.
OWNED_IDS = frozenset(
    {
        "municipality_id",
        "assessment_id",
        "invitation_id",
        "workshop_id",
        "round_id",
        "note_id",
        "measure_id",
    }
)
# Which secret a `{token}` route expects, by path prefix.
TOKEN_KINDS = {"/s/": "staff", "/api/staff/": "staff", "/protokoll/": "scribe"}
# Parameters that are not secrets and belong to nobody: any valid value will do.
PUBLIC_VALUES = {
    "field_id": "MS",
    "question_id": "MS-01",
    "questionnaire_id": "weltoffene-kommune",
    "version": "1",
}
# Framework routes: static files and the OpenAPI schema.
FRAMEWORK_PREFIXES = ("/static/", "/api/schema")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    returns: str  # the handler's return annotation, e.g. "Template" or "ServerSentEvent"
    # The media type of the body the handler reads (form or JSON); None: it reads none.
    reads: str | None = None

    @property
    def parameters(self) -> list[str]:
        return [name for name, _ in PARAMETER.findall(self.path)]

    @property
    def owned_ids(self) -> list[str]:
        return [name for name in self.parameters if name in OWNED_IDS]

    @property
    def token_kind(self) -> str | None:
        if "token" not in self.parameters:
            return None
        for prefix, kind in TOKEN_KINDS.items():
            if self.path.startswith(prefix):
                return kind
        raise AssertionError(
            f"{self.method} {self.path}: unbekannte Art von Link-Token. Bitte in"
            " tests/security/routes.py (TOKEN_KINDS) einordnen."
        )

    @property
    def is_moderated(self) -> bool:
        """Reached with a moderator's login (not a secret link) and names owned data."""
        return bool(self.owned_ids) and "token" not in self.parameters

    @property
    def is_html_page(self) -> bool:
        return self.method == "GET" and "Template" in self.returns

    @property
    def is_stream(self) -> bool:
        return "ServerSentEvent" in self.returns

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = PARAMETER.sub(
            lambda m: r"\d+" if m.group(2) == "int" else ".*" if m.group(2) == "path" else "[^/]+",
            self.path.rstrip("/") or "/",
        )
        return re.compile(f"^{regex}/?$")

    def url(self, values: dict[str, str]) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in values:
                return values[name]
            if name in PUBLIC_VALUES:
                return PUBLIC_VALUES[name]
            raise AssertionError(
                f"{self.method} {self.path}: für den Parameter „{name}“ kennt der Test keinen"
                " Wert. Bitte in tests/security/routes.py (OWNED_IDS, PUBLIC_VALUES) einordnen."
            )

        return PARAMETER.sub(value, self.path)


def app_routes(app: Litestar) -> list[Route]:
    """Every (method, route) of the application itself, without HEAD/OPTIONS."""
    routes = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(FRAMEWORK_PREFIXES):
            continue
        for handler in route.route_handlers:
            returns = str(handler.parsed_fn_signature.return_type.annotation)
            reads = expected_media_type(handler)
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                routes.append(Route(method, route.path, returns, reads))
    return routes


def unsafe_routes(app: Litestar) -> list[Route]:
    return [r for r in app_routes(app) if r.method in UNSAFE_METHODS]


async def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: compared before and after requests that must change nothing."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    async with database.reading() as session:
        for table in Base.metadata.sorted_tables:
            rows = await session.execute(select(table).order_by(*table.primary_key.columns))
            tables[table.name] = [tuple(row) for row in rows]
    return tables


# --- What a page may contain under the Content-Security-Policy ------------------------------

# Attributes whose value htmx evaluates as JavaScript: blocked by a CSP without 'unsafe-eval'.
_EVAL_PREFIXES = ("js:", "javascript:")
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "hx-get", "hx-post"})


class _PageInspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script: bool = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> (Event-Handler im HTML)")
            elif name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=…> (htmx führt das per eval aus)")
            elif name == "style":
                self.problems.append(
                    f'<{tag} style="{value}"> (Inline-Style, die CSP blockiert es)'
                )
            elif name in _URL_ATTRIBUTES and text.startswith("javascript:"):
                self.problems.append(f'<{tag} {name}="{value}">')
            elif name in {"hx-vals", "hx-vars"} and text.startswith(_EVAL_PREFIXES):
                self.problems.append(f"<{tag} {name}=…> (htmx führt das per eval aus)")
        if tag == "style":
            self.problems.append("<style>-Element (die CSP erlaubt nur Stylesheets aus /static)")
        if tag == "script":
            # A JSON data block is not executed; everything else must come from a file.
            is_data = (attributes.get("type") or "").lower() == "application/json"
            if not attributes.get("src") and not is_data:
                self.problems.append("<script> ohne src (Inline-Skript)")
            self._in_script = not is_data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"Skript-Inhalt im HTML: {data.strip()[:60]!r}")


def csp_problems(html: str) -> list[str]:
    """What the Content-Security-Policy would block (or what would need 'unsafe-inline')."""
    inspector = _PageInspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems
