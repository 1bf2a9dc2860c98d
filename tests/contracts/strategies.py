"""Hypothesis strategies for the contract models."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from contractcore.contracts import (
    Contract,
    ContractKind,
    ContractNumbering,
    ContractStatus,
    NumberFormat,
    RenewalOptions,
    term_end,
)
from contractcore.schedules import MidPeriodChanges

__all__ = [
    "auto_renewing_contracts",
    "contract_dates",
    "contracts",
    "numberings",
    "renewal_options",
    "term_lengths",
]

# Ends of months and leap days are where month arithmetic goes wrong, so
# they are drawn far more often than their share of the calendar.
_MONTH_ENDS = [date(y, m, d) for y in (2024, 2026, 2028) for m, d in ((1, 31), (2, 28), (3, 31))]


_MID_PERIOD_CHANGES: st.SearchStrategy[MidPeriodChanges] = st.sampled_from(
    ["whole_period", "prorate"]
)


def contract_dates(
    min_value: date = date(2020, 1, 1), max_value: date = date(2035, 12, 31)
) -> st.SearchStrategy[date]:
    """Calendar days, biased toward month ends and February 29."""
    return st.one_of(
        st.dates(min_value=min_value, max_value=max_value),
        st.sampled_from([*_MONTH_ENDS, date(2024, 2, 29), date(2028, 2, 29)]),
    )


def term_lengths(max_months: int = 36) -> st.SearchStrategy[int]:
    """Term lengths in months, from 1 to ``max_months``."""
    return st.integers(min_value=1, max_value=max_months)


def renewal_options() -> st.SearchStrategy[RenewalOptions]:
    """Renewal options with no penalty or schedules (the term is what matters here)."""
    return st.builds(RenewalOptions, term_months=term_lengths())


@st.composite
def contracts(
    draw: st.DrawFn, statuses: tuple[ContractStatus, ...] = tuple(ContractStatus)
) -> Contract:
    """Valid contracts of any kind: termed, with an explicit end, or open-ended (fixed only)."""
    start = draw(contract_dates())
    kind = draw(st.sampled_from(ContractKind))
    shape = draw(
        st.sampled_from(
            ["term", "end"] if kind is ContractKind.AUTO_RENEW else ["term", "end", "open"]
        )
    )
    term = draw(term_lengths()) if shape == "term" else None
    end = draw(st.dates(min_value=start, max_value=date(2040, 12, 31))) if shape == "end" else None
    renewal = (
        draw(renewal_options())
        if kind is ContractKind.AUTO_RENEW
        else draw(st.none() | renewal_options())
    )
    status = draw(st.sampled_from(statuses))
    cancellation = None
    prior = None
    if status is ContractStatus.CANCELED:
        # None: canceled by a version that did not keep it.
        prior = draw(st.sampled_from([None, ContractStatus.PENDING, ContractStatus.ACTIVE]))
        last = end if end is not None else date(2040, 12, 31)
        if term is not None:
            last = term_end(start, term)
        cancellation = draw(st.dates(min_value=start - timedelta(days=1), max_value=last))
    sequence = draw(st.integers(min_value=1, max_value=9999))
    customer = draw(st.sampled_from(["1", "2", "42"]))
    return Contract(
        id=f"c-{sequence}",
        number=f"CT-{customer}-{sequence:04d}",
        customer_id=customer,
        name="Sample contract",
        status=status,
        cancellation_date=cancellation,
        status_before_cancellation=prior,
        kind=kind,
        start_date=start,
        term_months=term,
        end_date=end,
        renewal=renewal,
        likelihood=draw(st.none() | st.integers(min_value=0, max_value=100)),
        apply_to_new_tickets=draw(st.booleans()),
        mid_period_changes=draw(_MID_PERIOD_CHANGES),
    )


@st.composite
def auto_renewing_contracts(draw: st.DrawFn) -> Contract:
    """Active auto-renewing contracts, with a term in months or an explicit end date."""
    start = draw(contract_dates())
    explicit_end = draw(st.booleans())
    return Contract(
        id="c-1",
        number="CT-1-0001",
        customer_id="1",
        name="Auto-renewing",
        status=ContractStatus.ACTIVE,
        kind=ContractKind.AUTO_RENEW,
        start_date=start,
        term_months=None if explicit_end else draw(term_lengths()),
        end_date=draw(st.dates(min_value=start, max_value=date(2040, 12, 31)))
        if explicit_end
        else None,
        renewal=draw(renewal_options()),
    )


def numberings() -> st.SearchStrategy[ContractNumbering]:
    """Fresh numbering settings with any prefix, format and minimum length."""
    return st.builds(
        ContractNumbering,
        prefix=st.sampled_from(["", "CT", "C-", "AGR"]),
        format=st.sampled_from(NumberFormat),
        min_length=st.integers(min_value=1, max_value=6),
        next_sequence=st.integers(min_value=1, max_value=10_000),
    )
