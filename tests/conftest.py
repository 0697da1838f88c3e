"""Shared fixtures: every database test runs against a real SQLite file and, where
SELFCHECK_TEST_POSTGRES_URL is set, against PostgreSQL too."""

from __future__ import annotations

import asyncio
import copy
import os
import secrets
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.datastructures import State
from litestar.testing import AsyncTestClient
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from selfcheck.accounts.passwords import hash_password
from selfcheck.app import create_app
from selfcheck.assessments.setup import create_assessment, create_municipality
from selfcheck.db.engine import Database
from selfcheck.db.migrate import upgrade
from selfcheck.db.models import Assessment, Base, Municipality, User
from selfcheck.legal.texts import LegalTexts
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.settings import PROJECT_ROOT, Settings
from tests.helpers import Client
from tests.live_server import ServerProcess

QUESTIONNAIRE_DIR = PROJECT_ROOT / "questionnaires"
POSTGRES_URL = os.environ.get("SELFCHECK_TEST_POSTGRES_URL", "")


def _run_on_postgres(url: str, statement: str) -> None:
    async def run() -> None:
        engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            await connection.execute(text(statement))
        await engine.dispose()

    asyncio.run(run())


@contextmanager
def _scratch_postgres_database(url: str) -> Iterator[str]:
    """A database of its own for this test run, so parallel runs do not collide."""
    name = f"selfcheck_test_{os.getpid()}_{secrets.token_hex(3)}"
    _run_on_postgres(url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        _run_on_postgres(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database per backend and test session."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'selfcheck.db'}"
        upgrade(url)
        yield url
        return
    if not POSTGRES_URL:
        pytest.skip("SELFCHECK_TEST_POSTGRES_URL ist nicht gesetzt")
    with _scratch_postgres_database(POSTGRES_URL) as url:
        upgrade(url)
        yield url


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """The session's database, emptied before each test."""
    db = Database.connect(database_url)
    async with db.writing() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(table.delete())
    yield db
    await db.dispose()


SeparateProcesses = Callable[[int], list[Database]]


@pytest.fixture
async def separate_processes(database_url: str) -> AsyncIterator[SeparateProcesses]:
    """`separate_processes(n)`: n handles on the test database as n server processes would
    hold them, each with its own engine, connections and (SQLite) turn-taking lock. Writers
    spread over them race for real: only the database keeps them apart (BEGIN IMMEDIATE on
    SQLite, row locks on PostgreSQL), not the lock that serialises writes in one process."""
    opened: list[Database] = []

    def open_handles(count: int) -> list[Database]:
        handles = [Database.connect(database_url) for _ in range(count)]
        opened.extend(handles)
        return handles

    yield open_handles
    for handle in opened:
        await handle.dispose()


@pytest.fixture(scope="session")
def registry() -> QuestionnaireRegistry:
    return QuestionnaireRegistry.load_dir(QUESTIONNAIRE_DIR)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        questionnaire_dir=QUESTIONNAIRE_DIR,
        secret_key="test-secret-key-" + "x" * 32,
        secure_cookies=False,
    )


@dataclass(frozen=True)
class _BuiltApp:
    app: Litestar
    pristine_state: dict[str, Any]  # the state as create_app left it, before any request


_BUILT_APPS: dict[tuple[Settings, str], _BuiltApp] = {}
# Never changed by a request, and costly to copy: shared between a test's fresh states.
_SHARED_STATE_TYPES = (Settings, QuestionnaireRegistry, LegalTexts)


def _copy_state(state: dict[str, Any]) -> dict[str, Any]:
    shared = {id(v): v for v in state.values() if isinstance(v, _SHARED_STATE_TYPES)}
    return copy.deepcopy(state, memo=shared)


def app_for_test(settings: Settings, browser: str) -> Litestar:
    """The app for one test, built once per settings and browser: building one costs about
    0.4 s, most of it Litestar registering some 250 handlers. Each test gets the state as
    create_app left it (fresh rate limits and the like); the lifespan runs per test client
    and so opens the database, the live hub and the vote writer anew."""
    key = (settings, browser)
    built = _BUILT_APPS.get(key)
    if built is None:
        app = create_app(settings)
        built = _BUILT_APPS[key] = _BuiltApp(app, _copy_state(app.state.dict()))
    else:
        built.app.state = State(_copy_state(built.pristine_state))
    return built.app


@pytest.fixture
async def client(settings: Settings, database: Database) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app_for_test(settings, "first")) as test_client:
        yield test_client


@pytest.fixture
async def second_client(settings: Settings, database: Database) -> AsyncIterator[Client]:
    """Another browser, for two people working at the same time (an app of its own, as a
    second server process would be)."""
    async with AsyncTestClient(app=app_for_test(settings, "second")) as other:
        yield other


@pytest.fixture
def project_root() -> Iterator[Path]:
    yield PROJECT_ROOT


# Named people make access tests read naturally: Alice moderates Aheim, Bob moderates Bstadt.
PASSWORD = "richtig-geheim-123"


@dataclass(frozen=True)
class World:
    alice: User
    bob: User
    admin: User
    aheim: Municipality
    bstadt: Municipality
    aheim_assessment: Assessment
    bstadt_assessment: Assessment

    async def aheim_assessment_in(self, session: AsyncSession) -> Assessment:
        """Aheim's assessment as `session` loads it, to change or read it there."""
        assessment = await session.get(Assessment, self.aheim_assessment.id)
        assert assessment is not None
        return assessment


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def world_questionnaire(registry: QuestionnaireRegistry) -> Questionnaire:
    """The questionnaire version the world's assessments are pinned to: the newest, as for
    any new assessment. A test package written against one version's questions overrides it."""
    return registry.latest()


@pytest.fixture
async def world(
    database: Database, world_questionnaire: Questionnaire, password_hash: str
) -> World:
    questionnaire = world_questionnaire
    async with database.writing() as session:
        # Stored like create_user does, with one argon2 hash for the whole run: hashing
        # three passwords per test cost about 0.4 s each time. (create_user has its tests.)
        alice = User(email="alice@aheim.example", password_hash=password_hash, role="moderator")
        bob = User(email="bob@bstadt.example", password_hash=password_hash, role="moderator")
        admin = User(email="admin@example.org", password_hash=password_hash, role="admin")
        session.add_all([alice, bob, admin])
        await session.flush()
        aheim = await create_municipality(session, alice, "Aheim", "05111000", 12000)
        bstadt = await create_municipality(session, bob, "Bstadt")
        aheim_assessment = await create_assessment(
            session, aheim, questionnaire, "Selbstcheck 2026"
        )
        bstadt_assessment = await create_assessment(
            session, bstadt, questionnaire, "Selbstcheck 2026"
        )
    return World(alice, bob, admin, aheim, bstadt, aheim_assessment, bstadt_assessment)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failing test that ran a real server shows the end of the server's log."""
    report = yield
    if report.failed:
        for name, value in getattr(item, "funcargs", {}).items():
            if isinstance(value, ServerProcess):
                report.sections.append((f"Server-Log „{name}“ (Ende)", value.log_tail()))
    return report
