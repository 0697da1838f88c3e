"""Assembles the Litestar application: state, middleware, dependencies, routes, templates."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.static_files import create_static_files_router

from selfcheck.accounts import web as accounts_web
from selfcheck.accounts.dependencies import LoginRequired, provide_current_user, require_login
from selfcheck.actionplan.views import (
    ActionPlanController,
    InvitationMeasuresController,
    MeasureController,
    StaffMeasuresController,
)
from selfcheck.assessments import dependencies as assessment_dependencies
from selfcheck.assessments.api import AssessmentApi, StaffApi
from selfcheck.assessments.demo_views import demo_results
from selfcheck.assessments.moderation_views import ModerationController
from selfcheck.assessments.repeat_views import ConfirmController
from selfcheck.assessments.staff_views import StaffController
from selfcheck.db.engine import Database
from selfcheck.demo import find_demo
from selfcheck.errors import SelfcheckError
from selfcheck.followup.views import FollowUpController
from selfcheck.legal.texts import LegalTexts
from selfcheck.legal.views import LegalController
from selfcheck.observability import app_logging, process_exiting
from selfcheck.peers.dependencies import provide_report_peers
from selfcheck.peers.views import PeersApi, PeersController
from selfcheck.practice.dependencies import provide_practice
from selfcheck.practice.loader import library_for
from selfcheck.practice.views import install_template_helper
from selfcheck.questionnaire.api import QuestionnaireApi
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.reporting.views import ComparisonApi, ReportController, StaffReportController
from selfcheck.retention.schedule import purge_daily
from selfcheck.settings import Settings, get_settings
from selfcheck.web import pages
from selfcheck.web.dependencies import (
    TransactionCloser,
    provide_database,
    provide_db_session,
    provide_registry,
    provide_settings,
)
from selfcheck.web.errors import (
    DATABASE_ERRORS,
    handle_database_error,
    handle_http_exception,
    handle_selfcheck_error,
    handle_unexpected,
)
from selfcheck.web.head import answer_head_like_get
from selfcheck.web.headers import security_headers
from selfcheck.web.limits import body_size_limit, input_hygiene
from selfcheck.web.metrics import count_requests, metrics
from selfcheck.web.shutdown import exit_with_supervisor, stop_streams_on_signal
from selfcheck.web.templating import template_config
from selfcheck.workshop.live import LiveHub
from selfcheck.workshop.moderation_views import WorkshopModerationController
from selfcheck.workshop.notes_views import ScribeNotesController
from selfcheck.workshop.participant_views import ParticipantController, new_join_limiter
from selfcheck.workshop.trial_views import TrialController
from selfcheck.workshop.vote_targets import VoteTargets
from selfcheck.workshop.vote_writer import create_vote_writer

STATIC_DIR = Path(__file__).resolve().parent / "static"
SESSION_MAX_AGE = 12 * 60 * 60


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the app. Migrations are applied by the caller (`selfcheck serve`, tests)."""
    settings = settings or get_settings()
    registry = QuestionnaireRegistry.load_dir(settings.questionnaire_dir)
    legal = LegalTexts.for_settings(settings)
    practice = library_for(settings, registry.all())

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        exit_with_supervisor()
        database = Database.connect(settings.database_url)
        app.state.database = database
        live_hub = app.state.live_hub = LiveHub(database, registry)
        live_hub.start()
        app.state.vote_targets = VoteTargets(database, registry)
        app.state.vote_writer = create_vote_writer(database, live_hub)
        if settings.demo:
            app.state.demo = await find_demo(database)
        purging = asyncio.create_task(purge_daily(database, settings))
        try:
            with stop_streams_on_signal():
                yield
        finally:
            purging.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await purging
            await app.state.vote_writer.close()
            await live_hub.close()
            await database.dispose()
            process_exiting()

    app = Litestar(
        route_handlers=[
            *([metrics] if settings.metrics else []),
            pages.start_page,
            demo_results,
            pages.health,
            *accounts_web.route_handlers,
            moderation_router(),
            StaffController,
            ConfirmController,
            QuestionnaireApi,
            AssessmentApi,
            StaffApi,
            ParticipantController,
            ScribeNotesController,
            StaffMeasuresController,
            StaffReportController,
            ComparisonApi,
            PeersApi,
            LegalController,
            create_static_files_router(path="/static", directories=[STATIC_DIR]),
        ],
        dependencies={
            "db_session": Provide(provide_db_session),
            "database": Provide(provide_database, sync_to_thread=False),
            "registry": Provide(provide_registry, sync_to_thread=False),
            "settings": Provide(provide_settings, sync_to_thread=False),
            "current_user": Provide(provide_current_user),
            "live_hub": Provide(provide_live_hub, sync_to_thread=False),
            "practice": Provide(provide_practice, sync_to_thread=False),
        },
        state=State(
            {
                "settings": settings,
                "registry": registry,
                "legal": legal,
                "practice": practice,
                "demo": None,
                "login_limits": accounts_web.LoginLimits(),
                "join_limiter": new_join_limiter(),
            }
        ),
        lifespan=[lifespan],
        middleware=[
            TransactionCloser,
            body_size_limit(settings.max_body_bytes),
            input_hygiene(),
            _session_config(settings).middleware,
        ],
        request_max_body_size=settings.max_body_bytes,
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="selfcheck_csrf",
            cookie_secure=settings.secure_cookies,
            cookie_httponly=True,
            cookie_samesite="lax",
            header_name="x-csrftoken",
        ),
        template_config=template_config(),
        before_send=[security_headers],
        exception_handlers={
            LoginRequired: accounts_web.handle_login_required,
            SelfcheckError: handle_selfcheck_error,
            HTTPException: handle_http_exception,
            **dict.fromkeys(DATABASE_ERRORS, handle_database_error),
            Exception: handle_unexpected,
        },
        # Only the schema files: the HTML viewers load scripts from CDNs and run inline
        # script, which the Content-Security-Policy (rightly) blocks.
        openapi_config=OpenAPIConfig(
            title="Selbstcheck Weltoffene Kommune",
            version="1",
            path="/api/schema",
            render_plugins=[JsonRenderPlugin(), YamlRenderPlugin()],
        ),
        logging_config=app_logging(settings.log_format),
        debug=settings.debug,
    )
    install_template_helper(app, practice)
    # Around the whole app, before routing: see selfcheck/web/head.py.
    handler = count_requests(app.asgi_handler) if settings.metrics else app.asgi_handler
    app.asgi_handler = answer_head_like_get(handler)
    return app


def moderation_router() -> Router:
    """Every moderator page, behind one login check. The providers give each handler the
    municipality, assessment and questionnaire it acts on, checked for the user."""
    return Router(
        path="/moderation",
        guards=[require_login],
        dependencies={
            **assessment_dependencies.MODERATION,
            "peers": Provide(provide_report_peers),
        },
        route_handlers=[
            ModerationController,
            ReportController,
            WorkshopModerationController,
            TrialController,
            ActionPlanController,
            MeasureController,
            InvitationMeasuresController,
            PeersController,
            FollowUpController,
        ],
    )


def provide_live_hub(state: State) -> LiveHub:
    hub: LiveHub = state.live_hub
    return hub


def _session_config(settings: Settings) -> CookieBackendConfig:
    # A signed and encrypted cookie: no session table, and sessions survive restarts.
    return CookieBackendConfig(
        secret=hashlib.sha256(settings.secret_key.encode("utf-8")).digest(),
        key="selfcheck_session",
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
