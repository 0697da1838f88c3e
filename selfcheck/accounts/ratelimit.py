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
        if self.is_blocked(key):
            return False
        self.record(key)
        return True

    def is_blocked(self, key: str) -> bool:
        """Whether `key` has used up its attempts, without counting this as one."""
        recent = self._recent(key)
        return len(recent) >= self._attempts

    def record(self, key: str) -> None:
        """Count an attempt (e.g. only failed ones, where successes must stay unlimited)."""
        self._recent(key).append(self._clock())
        self._forget_idle(self._clock())

    def _recent(self, key: str) -> deque[float]:
        now = self._clock()
        recent = self._seen.setdefault(key, deque())
        while recent and recent[0] <= now - self._window:
            recent.popleft()
        return recent

    def _forget_idle(self, now: float) -> None:
        if len(self._seen) > 10_000:  # bound memory under a flood of distinct keys
            idle = [k for k, v in self._seen.items() if not v or v[-1] <= now - self._window]
            for key in idle:
                del self._seen[key]
