"""Helpers for driving the app like a browser: CSRF cookie, form posts, login."""

from __future__ import annotations

from typing import Any

from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

CSRF_COOKIE = "selfcheck_csrf"
Client = AsyncTestClient[Litestar]


async def csrf_token(client: Client) -> str:
    if CSRF_COOKIE not in client.cookies:
        await client.get("/")
    return str(client.cookies[CSRF_COOKIE])


async def post_form(
    client: Client, url: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> Response:
    form = {"_csrf_token": await csrf_token(client), **(data or {})}
    return await client.post(url, data=form, **kwargs)


async def post_json(client: Client, url: str, payload: Any) -> Response:
    return await client.post(url, json=payload, headers={"x-csrftoken": await csrf_token(client)})


async def log_in(client: Client, email: str, password: str) -> Response:
    return await post_form(client, "/anmelden", {"email": email, "password": password})
