"""Hypothesis strategies for contractcore's models.

Every model gets a strategy here (as in attrs' own ``tests/strategies.py``),
so property tests across the package build inputs the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

__all__ = ["aware_datetimes", "durations"]


def aware_datetimes(
    min_value: datetime = datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value: datetime = datetime(2028, 1, 1),  # noqa: DTZ001
) -> st.SearchStrategy[datetime]:
    """Timezone-aware instants (UTC) between the bounds, to the minute."""
    return st.datetimes(min_value=min_value, max_value=max_value, timezones=st.just(UTC)).map(
        lambda d: d.replace(second=0, microsecond=0)
    )


def durations(max_minutes: int = 60 * 24 * 30) -> st.SearchStrategy[timedelta]:
    """Non-negative whole-minute durations up to ``max_minutes``."""
    return st.integers(min_value=0, max_value=max_minutes).map(lambda m: timedelta(minutes=m))
