"""Login, logout and the `current_user` dependency for moderator pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.ratelimit import RateLimiter
from selfcheck.accounts.services import authenticate, normalize_email
from selfcheck.db.models import User
from selfcheck.errors import SelfcheckError
from selfcheck.web.errors import wants_json


@dataclass(frozen=True)
class LoginLimits:
    """Per app instance and process; see ratelimit.py for why that is enough."""

    per_account: RateLimiter = field(default_factory=lambda: RateLimiter(10, per_seconds=300))
    per_client: RateLimiter = field(default_factory=lambda: RateLimiter(30, per_seconds=300))

    def allow(self, client: str, email: str) -> bool:
        return self.per_client.allow(client) and self.per_account.allow(email)


class LoginRequired(SelfcheckError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__("Bitte melden Sie sich an.")


async def provide_current_user(request: Request[Any, Any, Any], db_session: AsyncSession) -> User:
    user_id = request.session.get("user_id") if "session" in request.scope else None
    user = await db_session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise LoginRequired()
    return user


def handle_login_required(request: Request[Any, Any, Any], exc: LoginRequired) -> Response[Any]:
    if wants_json(request):
        return Response({"status_code": 401, "detail": exc.message}, status_code=401)
    return Redirect(path="/anmelden", query_params={"weiter": request.url.path})


def _safe_next(target: str | None) -> str:
    """Only local paths, so the login cannot be abused as an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/moderation"


@dataclass
class LoginForm:
    email: str = ""
    password: str = ""
    weiter: str = ""


@get("/anmelden", name="login")
async def login_page(weiter: str | None = None) -> Template:
    return Template("accounts/login.html", context={"weiter": _safe_next(weiter), "email": ""})


@post("/anmelden", name="login_submit", status_code=200)
async def login_submit(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    email = normalize_email(data.email)
    client = request.client.host if request.client else "unbekannt"
    limits: LoginLimits = request.app.state.login_limits
    if not limits.allow(client, email):
        return _login_failed(
            data, "Zu viele Anmeldeversuche. Bitte warten Sie fünf Minuten.", status_code=429
        )
    user = await authenticate(db_session, email, data.password)
    if user is None:
        return _login_failed(data, "E-Mail-Adresse oder Passwort sind nicht korrekt.", 400)
    request.clear_session()
    request.set_session({"user_id": user.id})
    return Redirect(path=_safe_next(data.weiter))


def _login_failed(data: LoginForm, message: str, status_code: int) -> Template:
    return Template(
        "accounts/login.html",
        context={"weiter": _safe_next(data.weiter), "email": data.email, "error": message},
        status_code=status_code,
    )


@post("/abmelden", name="logout")
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    request.clear_session()
    return Redirect(path="/")


route_handlers = [login_page, login_submit, logout]
