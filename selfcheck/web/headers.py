"""Security headers on every response."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

# No inline script anywhere: scripts come from /static only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# A picture opened on its own (a chart) is shown by the browser's image viewer, which styles
# its page inline; the page's policy would report that as a violation on every chart.
RASTER_IMAGE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
RASTER_IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/x-icon")

SECURITY_HEADERS = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    # Staff links carry their key in the path; never send it to another site.
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
)


async def security_headers(message: Message, scope: Scope) -> None:
    """A `before_send` hook, so that it covers every response – also the router's own 404
    and 405 for unknown paths, which `after_request` hooks and middleware never see."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    if headers.get("content-type", "").startswith(RASTER_IMAGES):
        headers.setdefault("content-security-policy", RASTER_IMAGE_POLICY)
    for name, value in SECURITY_HEADERS:
        if name not in headers:
            headers[name] = value
    if scope.get("scheme") == "https":
        message["headers"] = [_secure_cookie(name, value) for name, value in message["headers"]]


def _secure_cookie(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    """A cookie sent over HTTPS is marked Secure, whatever SELFCHECK_SECURE_COOKIES says:
    behind a TLS-terminating proxy the scheme is known per request (uvicorn's proxy headers,
    SELFCHECK_TRUSTED_PROXIES), while Litestar's cookie settings are fixed at start."""
    if name.lower() == b"set-cookie" and b"; secure" not in value.lower():
        return name, value + b"; Secure"
    return name, value
