"""Assembling the app."""

from __future__ import annotations

import warnings

from selfcheck.app import create_app
from selfcheck.settings import Settings


def test_building_the_app_emits_no_deprecation_warning(settings: Settings) -> None:
    """Litestar 3 drops what it warns about today (inferred dependencies, path and query
    parameters, bodies without a marker): every handler must be declared explicitly."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        create_app(settings)
    deprecations = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert not deprecations, "\n".join(deprecations)
