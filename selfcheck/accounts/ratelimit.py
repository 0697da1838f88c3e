"""A small in-process limiter against password and code guessing.

Kept in memory: it resets on restart and is per process, which is enough to make online
guessing impractical (a few attempts per minute instead of thousands)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self, attempts: int, per_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._attempts = attempts
        self._window = per_seconds
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        """Record an attempt for `key`; False when the key has used up its attempts."""
        now = self._clock()
        recent = self._seen.setdefault(key, deque())
        while recent and recent[0] <= now - self._window:
            recent.popleft()
        if len(recent) >= self._attempts:
            return False
        recent.append(now)
        self._forget_idle(now)
        return True

    def _forget_idle(self, now: float) -> None:
        if len(self._seen) > 10_000:  # bound memory under a flood of distinct keys
            idle = [k for k, v in self._seen.items() if not v or v[-1] <= now - self._window]
            for key in idle:
                del self._seen[key]
