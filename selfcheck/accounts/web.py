"""Login and logout of moderators and administrators."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.dependencies import LoginRequired
from selfcheck.accounts.ratelimit import RateLimiter
from selfcheck.accounts.services import authenticate, normalize_email
from selfcheck.web.errors import wants_json


@dataclass(frozen=True)
class LoginLimits:
    """Per app instance and process; see ratelimit.py for why that is enough."""

    per_account: RateLimiter = field(default_factory=lambda: RateLimiter(10, per_seconds=300))
    per_client: RateLimiter = field(default_factory=lambda: RateLimiter(30, per_seconds=300))

    def allow(self, client: str, email: str) -> bool:
        """The per-client limit counts only failed attempts (`failed`): colleagues behind
        one office address log in many times a day, and a success guesses nothing."""
        return not self.per_client.is_blocked(client) and self.per_account.allow(email)

    def failed(self, client: str) -> None:
        self.per_client.record(client)


def handle_login_required(request: Request[Any, Any, Any], exc: LoginRequired) -> Response[Any]:
    if wants_json(request):
        return Response({"status_code": 401, "detail": exc.message}, status_code=401)
    return Redirect(
        path=request.app.route_reverse("login"), query_params={"weiter": request.url.path}
    )


def _safe_next(request: Request[Any, Any, Any], target: str | None) -> str:
    """Only local paths, so the login cannot be abused as an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return request.app.route_reverse("moderation_dashboard")


@dataclass
class LoginForm:
    email: str = ""
    password: str = ""
    weiter: str = ""


@get("/anmelden", name="login")
async def login_page(
    request: Request[Any, Any, Any], weiter: FromQuery[str | None] = None
) -> Template:
    return Template(
        "accounts/login.html", context={"weiter": _safe_next(request, weiter), "email": ""}
    )


@post("/anmelden", name="login_submit", status_code=200)
async def login_submit(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    data: URLEncodedBody[LoginForm],
) -> Template | Redirect:
    email = normalize_email(data.email)
    client = request.client.host if request.client else "unbekannt"
    limits: LoginLimits = request.app.state.login_limits
    if not limits.allow(client, email):
        return _login_failed(
            request, data, "Zu viele Anmeldeversuche. Bitte warten Sie fünf Minuten.", 429
        )
    user = await authenticate(db_session, email, data.password)
    if user is None:
        limits.failed(client)
        return _login_failed(request, data, "E-Mail-Adresse oder Passwort sind nicht korrekt.", 400)
    request.clear_session()
    request.set_session({"user_id": user.id})
    return Redirect(path=_safe_next(request, data.weiter))


def _login_failed(
    request: Request[Any, Any, Any], data: LoginForm, message: str, status_code: int
) -> Template:
    return Template(
        "accounts/login.html",
        context={"weiter": _safe_next(request, data.weiter), "email": data.email, "error": message},
        status_code=status_code,
    )


@post("/abmelden", name="logout")
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    request.clear_session()
    return Redirect(path=request.app.route_reverse("start"))


route_handlers = [login_page, login_submit, logout]
