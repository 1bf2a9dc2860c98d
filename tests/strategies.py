"""Hypothesis strategies for contractcore's models, in one place.

Every model has a strategy (as in attrs' own ``tests/strategies.py``). Each
area keeps its strategies beside its tests; this module re-exports them so a
property test anywhere can build any model the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from tests.contracts.strategies import (
    auto_renewing_contracts,
    contracts,
    numberings,
    renewal_options,
)
from tests.pricing.strategies import (
    alignments,
    billing_terms,
    moneys,
    penalties,
    periods,
    schedules,
    services,
    update_events,
)
from tests.sla.strategies import (
    calendar_definitions,
    host_records,
    host_tickets,
    policies,
    scenarios,
    timelines,
)

__all__ = [
    "alignments",
    "auto_renewing_contracts",
    "aware_datetimes",
    "billing_terms",
    "calendar_definitions",
    "contracts",
    "durations",
    "host_records",
    "host_tickets",
    "moneys",
    "numberings",
    "penalties",
    "periods",
    "policies",
    "renewal_options",
    "scenarios",
    "schedules",
    "services",
    "timelines",
    "update_events",
]


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
