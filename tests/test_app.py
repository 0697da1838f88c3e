"""Assembling the app."""

from __future__ import annotations

import warnings
from dataclasses import replace

import pytest

from selfcheck.app import create_app
from selfcheck.settings import Settings


@pytest.mark.parametrize("metrics", [False, True], ids=["plain", "with-metrics"])
def test_building_the_app_emits_no_deprecation_warning(settings: Settings, metrics: bool) -> None:
    """Litestar 3 drops what it warns about today (inferred dependencies, path and query
    parameters, bodies without a marker): every handler must be declared explicitly, also
    the ones only some installations switch on."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        create_app(replace(settings, metrics=metrics, demo=True))
    deprecations = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert not deprecations, "\n".join(deprecations)
