from __future__ import annotations

from tests.assessments.conftest import staff

__all__ = ["staff"]  # staff invitation links, for posting to real form endpoints
