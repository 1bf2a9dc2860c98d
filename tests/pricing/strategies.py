"""Hypothesis strategies and builders for money, services, schedules and penalties."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from contractcore.contracts import Contract, RenewalOptions
from contractcore.money import Money
from contractcore.penalties import (
    FixedPenalty,
    NoPenalty,
    Penalty,
    RemainingPercentPenalty,
    TotalPercentPenalty,
)
from contractcore.pricing import (
    Period,
    PriceOverride,
    Service,
)
from contractcore.schedules import (
    CONTRACT_START,
    PRICE,
    QUANTITY,
    SERVICE_START,
    After,
    AtRenewal,
    Delta,
    On,
    Percent,
    Schedule,
    SetTo,
    UpdateEvent,
    Value,
    When,
)
from contractcore.testing.strategies import alignments, billing_terms

__all__ = [
    "alignments",
    "amounts",
    "billing_terms",
    "contracts_with_service",
    "dates",
    "make_contract",
    "make_service",
    "moneys",
    "penalties",
    "periods",
    "schedules",
    "services",
    "split_points",
    "update_events",
]

START = date(2025, 1, 1)
END = date(2028, 12, 31)


def make_contract(
    *,
    start_date: date = date(2026, 1, 1),
    term_months: int | None = 12,
    services: Iterable[Service] = (),
    schedules: Iterable[Schedule] = (),
    penalty: Penalty | None = None,
    currency: str = "USD",
    price_overrides: Iterable[PriceOverride] = (),
    **extra: Any,
) -> Contract:
    """A contract with the commercial fields filled, everything else minimal (active)."""
    return Contract(
        status=extra.pop("status", "active"),
        id=extra.pop("id", "c-1"),
        number=extra.pop("number", "CT-1"),
        customer_id=extra.pop("customer_id", "cust-1"),
        name=extra.pop("name", "Managed services"),
        start_date=start_date,
        term_months=term_months,
        services=tuple(services),
        schedules=tuple(schedules),
        penalty=NoPenalty() if penalty is None else penalty,
        currency=currency,
        price_overrides=tuple(price_overrides),
        **extra,
    )


def make_service(
    *,
    id: str = "s-1",
    price: str = "100.00",
    quantity: int | str = 1,
    start_date: date = date(2026, 1, 1),
    currency: str = "USD",
    **extra: Any,
) -> Service:
    """A monthly service, one unit at 100.00 USD unless told otherwise."""
    return Service(
        id=id,
        product_id=extra.pop("product_id", "managed-backup"),
        unit_price=Money(price, currency),
        quantity=quantity,
        start_date=start_date,
        **extra,
    )


@functools.lru_cache(maxsize=64)
def dates(min_value: date = START, max_value: date = END) -> st.SearchStrategy[date]:
    """Calendar days in the range, with month ends over-represented.

    Cached: building strategies inside ``@composite`` draws is what makes
    hypothesis slow, so callers pass fixed bounds and add offsets instead.
    """
    month_ends = st.builds(
        lambda y, m: date(y, m, calendar.monthrange(y, m)[1]),
        st.integers(min_value.year, max_value.year),
        st.integers(1, 12),
    ).filter(lambda d: min_value <= d <= max_value)
    return st.one_of(st.dates(min_value, max_value), month_ends)


def amounts(max_value: int = 10_000, places: int = 2) -> st.SearchStrategy[Decimal]:
    """Non-negative decimals with ``places`` decimal places."""
    return st.integers(0, max_value * 10**places).map(lambda n: Decimal(n).scaleb(-places))


def moneys(currency: str = "USD", places: int = 2) -> st.SearchStrategy[Money]:
    """Non-negative USD amounts (or another currency)."""
    return amounts(places=places).map(lambda a: Money(a, currency))


def periods(min_value: date = START, max_value: date = END) -> st.SearchStrategy[Period]:
    """Inclusive periods of up to about a year."""
    return st.tuples(dates(min_value, max_value), st.integers(0, 370)).map(
        lambda t: Period(t[0], min(max_value, t[0] + timedelta(days=t[1])))
    )


_CUTS = st.lists(st.integers(0, 1000), max_size=6)


def split_points(draw: st.DrawFn, first: date, last: date) -> list[date]:
    """Draw sorted distinct days in ``[first, last)`` where a range can be cut into periods."""
    span = (last - first).days
    return sorted({first + timedelta(days=d) for d in draw(_CUTS) if d < span})


_whens: st.SearchStrategy[When] = st.one_of(
    st.builds(On, dates()),
    st.builds(
        lambda d, anchor: After(days=d, from_=anchor),
        st.integers(0, 800),
        st.sampled_from([SERVICE_START, CONTRACT_START]),
    ),
    st.builds(
        lambda m, anchor: After(months=m, from_=anchor),
        st.integers(0, 30),
        st.sampled_from([SERVICE_START, CONTRACT_START]),
    ),
    st.just(AtRenewal()),
)

_price_values: st.SearchStrategy[Value] = st.one_of(
    st.builds(SetTo, amounts(1000)),
    st.builds(lambda m: SetTo(Money(m, "USD")), amounts(1000)),
    st.builds(Delta, amounts(100)),
    st.builds(Percent, st.integers(-50, 100)),
)
_quantity_values: st.SearchStrategy[Value] = st.one_of(
    st.builds(SetTo, st.integers(0, 50)),
    st.builds(Delta, st.integers(0, 5)),
    st.builds(Percent, st.integers(-50, 100)),
)


def update_events() -> st.SearchStrategy[UpdateEvent]:
    """Price or quantity events whose values never make a service negative."""
    return st.one_of(
        st.builds(UpdateEvent, _whens, st.just(PRICE), _price_values),
        st.builds(UpdateEvent, _whens, st.just(QUANTITY), _quantity_values),
    )


def schedules(service_ids: tuple[str, ...] = ("s-1",)) -> st.SearchStrategy[Schedule]:
    """Schedules of 1-4 events targeting all services or a subset of ``service_ids``."""
    targets = st.one_of(st.none(), st.frozensets(st.sampled_from(service_ids)))
    return st.builds(
        lambda events, t, origin: Schedule(events=events, targets=t, origin=origin),
        st.lists(update_events(), min_size=1, max_size=4),
        targets,
        st.sampled_from(["schedule", "schedule", "renewal", "amendment"]),
    )


_SERVICE_STARTS = dates(date(2025, 1, 1), date(2027, 12, 31))
_LENGTHS = st.one_of(st.none(), st.integers(0, 500))
_PRICES = amounts(1000)
_QUANTITIES = st.integers(0, 20)
_MONTHS = st.sampled_from([1, 1, 3, 12])
_WATERMARKS = st.one_of(st.none(), st.integers(-60, 1200))


@functools.lru_cache(maxsize=16)
def services(id: str = "s-1") -> st.SearchStrategy[Service]:
    """Services starting in 2025-2027, maybe with an end, billed every 1, 3 or 12 months,
    maybe already invoiced (a watermark from 60 days before the start on)."""

    @st.composite
    def build(draw: st.DrawFn) -> Service:
        start = draw(_SERVICE_STARTS)
        length = draw(_LENGTHS)
        mark = draw(_WATERMARKS)
        return Service(
            id=id,
            product_id="p",
            unit_price=Money(draw(_PRICES), "USD"),
            quantity=draw(_QUANTITIES),
            billing_period_months=draw(_MONTHS),
            start_date=start,
            end_date=None if length is None else start + timedelta(days=length),
            applied_up_to=None if mark is None else start + timedelta(days=mark),
        )

    return build()


_TERMS = st.integers(1, 36)
_NEAR = st.integers(-200, 200)
_CONTRACT_SCHEDULES = st.lists(schedules(("s-1", "s-2")), max_size=3)


@functools.lru_cache(maxsize=4)
def contracts_with_service(
    auto_renew: bool | None = None,
) -> st.SearchStrategy[tuple[Contract, Service]]:
    """A contract (fixed or auto-renewing, 1-36 months, starting within 200 days of the
    service) with 0-3 schedules, and its service ``s-1``."""
    renews = st.booleans() if auto_renew is None else st.just(auto_renew)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[Contract, Service]:
        service = draw(services())
        renew = draw(renews)
        contract = make_contract(
            start_date=service.start_date + timedelta(days=draw(_NEAR)),
            term_months=draw(_TERMS),
            services=(service,),
            schedules=draw(_CONTRACT_SCHEDULES),
            kind="auto_renew" if renew else "fixed",
            renewal=RenewalOptions(term_months=12) if renew else None,
        )
        return contract, service

    return build()


def penalties(currency: str = "USD") -> st.SearchStrategy[Penalty]:
    """Any penalty kind, in ``currency``."""
    percent = st.integers(0, 10_000).map(lambda n: Decimal(n).scaleb(-2))
    return st.one_of(
        st.just(NoPenalty()),
        st.builds(FixedPenalty, moneys(currency)),
        st.builds(RemainingPercentPenalty, percent, moneys(currency)),
        st.builds(TotalPercentPenalty, percent, moneys(currency)),
    )


# Billing terms are shipped with the conformance suite, which draws them too.
