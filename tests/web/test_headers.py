"""The Content-Security-Policy per kind of response."""

from __future__ import annotations

from typing import Any

from selfcheck.web.headers import (
    CONTENT_SECURITY_POLICY,
    RASTER_IMAGE_POLICY,
    security_headers,
)


async def _policy_for(content_type: str) -> str:
    message: Any = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-type", content_type.encode())],
    }
    await security_headers(message, {})  # type: ignore[arg-type]
    policy: bytes = dict(message["headers"])[b"content-security-policy"]
    return policy.decode()


async def test_a_chart_opened_on_its_own_may_be_styled_by_the_image_viewer() -> None:
    # Chromium's image viewer styles its page inline: the page policy reported a violation.
    assert await _policy_for("image/png") == RASTER_IMAGE_POLICY
    assert "script-src" not in RASTER_IMAGE_POLICY and "default-src 'none'" in RASTER_IMAGE_POLICY


async def test_pages_and_svg_keep_the_strict_policy() -> None:
    assert await _policy_for("text/html; charset=utf-8") == CONTENT_SECURITY_POLICY
    assert await _policy_for("image/svg+xml") == CONTENT_SECURITY_POLICY
