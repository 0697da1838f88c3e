"""Providers for handlers that show practice examples."""

from __future__ import annotations

from litestar.datastructures import State

from selfcheck.practice.loader import PracticeLibrary


def provide_practice(state: State) -> PracticeLibrary:
    library: PracticeLibrary = state.practice
    return library
