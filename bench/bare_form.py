"""The reference for `live_vote.py --throughput`: a bare Litestar endpoint that parses the
same vote form and answers the same JSON, with nothing behind it.

    uvicorn --factory bench.bare_form:create_app
"""

from __future__ import annotations

from litestar import Litestar, post

from selfcheck.web.forms import FormData, text


@post("/w/{code:str}/stimme", status_code=200)
async def vote(code: str, data: FormData) -> dict[str, object]:
    ok = bool(code and text(data, "round_id") and text(data, "item_key") and text(data, "value"))
    return {"ok": ok, "detail": "Ihre Stimme ist gespeichert."}


def create_app() -> Litestar:
    return Litestar(route_handlers=[vote])
