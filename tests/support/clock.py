"""Time for tests: a clock moved by hand, and Web API retries without random waits."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

# Retries without slack_sdk's random jitter of up to a second: the tests stay fast.
QUICK = FixedValueRetryIntervalCalculator(0.01)


class Clock:
    """A clock the test moves by hand (``clock.now = ...``)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
