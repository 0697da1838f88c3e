"""Addresses of workshop pages, built from the routes' names: the moderator's control view
and the participants' join link (absolute, for phones and the QR code)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from selfcheck.db.models import Workshop
from selfcheck.web.addresses import public_link


def join_url(request: Request[Any, Any, Any], workshop: Workshop) -> str:
    path = request.app.route_reverse("workshop_participant", code=workshop.join_code)
    return public_link(request, path)


def control_path(request: Request[Any, Any, Any], workshop: Workshop, anchor: str = "") -> str:
    """The workshop's control view, optionally at an anchor ("notizen-MS")."""
    path = request.app.route_reverse("workshop_control", workshop_id=workshop.id)
    return f"{path}#{anchor}" if anchor else path
