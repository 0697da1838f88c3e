"""The three legal pages, public and linked from the footer of every page."""

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import State
from litestar.response import Template

from selfcheck.legal.texts import LegalPage, LegalTexts


def _page(state: State, page: LegalPage) -> Template:
    texts: LegalTexts = state.legal
    return Template("legal/page.html", context={"title": page.label, "body": texts.html[page]})


class LegalController(Controller):
    @get(f"/{LegalPage.ACCESSIBILITY}", name="legal_accessibility")
    async def accessibility(self, state: State) -> Template:
        return _page(state, LegalPage.ACCESSIBILITY)

    @get(f"/{LegalPage.PRIVACY}", name="legal_privacy")
    async def privacy(self, state: State) -> Template:
        return _page(state, LegalPage.PRIVACY)

    @get(f"/{LegalPage.IMPRINT}", name="legal_imprint")
    async def imprint(self, state: State) -> Template:
        return _page(state, LegalPage.IMPRINT)
