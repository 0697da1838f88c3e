"""The JSON API, fuzzed against its own OpenAPI schema (schemathesis) on the real server:
no request – valid or not, anonymous or logged in – ends in a server error.

Bounded: a fixed number of examples per operation and mode, no shrinking, no example
database, so a run takes seconds. Runs on both database backends: PostgreSQL refuses
values SQLite accepts (integers beyond 32 bits, NUL characters in text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode

from selfcheck.questionnaire.registry import QuestionnaireRegistry
from tests.conftest import PASSWORD
from tests.helpers import Client, log_in, post_form, post_json
from tests.live_server import ServerProcess
from tests.security.conftest import Towns

EXAMPLES_PER_OPERATION = 25
GERMAN_HINTS = ("Bitte", "nicht", "Die ", "Diese", "Der ", "Das ", "Zu viele", "Dafür")


@dataclass
class Finding:
    request: str
    status: int
    body: str


def _operations(base_url: str) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{base_url}/api/schema/openapi.json")
    operations = []
    for result in schema.include(path_regex="^/api/").get_all_operations():
        assert isinstance(result, Ok), f"Schema-Fehler: {result}"
        operations.append(result.ok())
    assert len(operations) >= 5, [op.path for op in operations]
    return operations


def _browser(base_url: str, login: bool) -> requests.Session:
    session = requests.Session()
    session.get(f"{base_url}/")
    session.headers["x-csrftoken"] = str(session.cookies["selfcheck_csrf"])
    if login:
        answer = session.post(
            f"{base_url}/anmelden",
            data={"email": "alice@aheim.example", "password": PASSWORD},
            allow_redirects=False,
        )
        assert answer.status_code in {302, 303}, answer.text[:300]
    return session


def _fuzz(
    base_url: str, session: requests.Session, substitutes: dict[str, list[str]]
) -> list[Finding]:
    """Run every /api/ operation; with `substitutes`, path parameters sometimes take a
    valid value (a real staff link, assessment, question) so requests get past the checks."""
    findings: list[Finding] = []
    for operation in _operations(base_url):
        strategy = operation.as_strategy(
            generation_mode=GenerationMode.POSITIVE
        ) | operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy, data=st.data())
        def run(case: Any, data: st.DataObject) -> None:
            for name, values in substitutes.items():
                if name in (case.path_parameters or {}) and data.draw(st.booleans()):
                    case.path_parameters[name] = data.draw(st.sampled_from(values))
            response = case.call(base_url=base_url, session=session, timeout=10)
            problem = response.status_code >= 500
            if response.status_code >= 400 and not problem:
                # Errors of the API are JSON with a German message, never Litestar's English.
                detail = str(response.json().get("detail", "")) if _is_json(response) else ""
                problem = not any(hint in detail for hint in GERMAN_HINTS)
            if problem:
                findings.append(
                    Finding(case.as_curl_command(), response.status_code, response.text[:300])
                )

        run()
    return findings


def _is_json(response: Any) -> bool:
    return "json" in response.headers.get("content-type", "")


async def test_fuzzing_the_json_api_anonymously_never_causes_a_server_error(
    live_server: ServerProcess, towns: Towns
) -> None:
    url = live_server.base_url
    findings = _fuzz(url, _browser(url, login=False), {})
    assert [f for f in findings if f.status >= 500] == []


async def test_fuzzing_the_json_api_logged_in_and_with_valid_links_never_causes_a_server_error(
    live_server: ServerProcess, towns: Towns, registry: QuestionnaireRegistry
) -> None:
    """As Alice (moderator of Aheim), with real ids of both towns: allowed and forbidden."""
    questions = [q.id for f in registry.latest().fields for q in f.questions]
    substitutes = {
        "token": [towns.aheim.staff_token, towns.bstadt.colleague_token],
        "assessment_id": [str(towns.aheim.assessment_id), str(towns.bstadt.assessment_id)],
        "question_id": questions[:10],
        "questionnaire_id": [registry.latest().id],
        "version": [registry.latest().version],
    }
    url = live_server.base_url
    findings = _fuzz(url, _browser(url, login=True), substitutes)
    assert [f for f in findings if f.status >= 500] == []


# --- What fuzzing found, pinned down (fast, in-process, both backends) ------------------


async def test_an_id_beyond_the_databases_integer_range_is_refused_cleanly(
    client: Client, towns: Towns
) -> None:
    await log_in(client, "admin@example.org", PASSWORD)
    for huge in [2**31, 2**63, 4 * 10**21]:
        for url in [f"/api/assessments/{huge}/results", f"/moderation/selbstchecks/{huge}"]:
            response = await client.get(url)
            assert response.status_code in {400, 404}, f"{url} -> {response.status_code}"
            assert "Traceback" not in response.text


async def test_a_nul_character_in_a_comment_is_refused_or_stored_but_never_a_server_error(
    client: Client, towns: Towns
) -> None:
    staff = towns.aheim.staff_token
    response = await post_json(
        client,
        f"/api/staff/{staff}/answers/MS-03",
        {"value": "ja", "base_version": 0, "comment": "a\x00b"},
    )
    assert response.status_code in {200, 400, 422}, response.text
    assert "detail" in response.json() or response.json()["comment"]
    form = await post_form(
        client, f"/s/{staff}/antworten/MS-04", {"value_MS-04": "ja", "comment_MS-04": "a\x00b"}
    )
    assert form.status_code in {200, 400, 422}, form.text
