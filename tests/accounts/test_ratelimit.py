from __future__ import annotations

from selfcheck.accounts.ratelimit import RateLimiter


def test_attempts_are_allowed_again_after_the_window() -> None:
    now = [0.0]
    limiter = RateLimiter(attempts=2, per_seconds=60, clock=lambda: now[0])
    assert [limiter.allow("a"), limiter.allow("a"), limiter.allow("a")] == [True, True, False]
    assert limiter.allow("b")  # keys are independent
    now[0] = 61.0
    assert limiter.allow("a")
