"""One truth per day (issue 12, point 4): invoices, timelines and penalties agree on every price.

A contract lives through a random sequence of steps: invoice runs for any
month in any order (late first invoices, skipped months, re-runs), renewals
made before the ending term's last months are invoiced (as the nightly job
does), amendments, a cancellation. Afterwards, for every service and every
month of two terms:

* the price and quantity the invoice charges for the month (the values in
  force on its last day: the whole-period rule; with
  ``mid_period_changes="prorate"`` each dated part's, on its first day), the
  values ``price_timeline`` shows on that day, and the values the penalty
  base (``recurring_charges``) uses for that billing period are the same, and
  for a whole month the base counts exactly what the line charges;
* for a month already invoiced, previewing it again gives the figures it was
  first invoiced with, and the service's history gives the same values.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

from contractcore.contracts import Amendment, Contract, RenewalOptions, amend, cancel, renew
from contractcore.errors import ContractStateError
from contractcore.money import Money
from contractcore.penalties import recurring_charges
from contractcore.pricing import Period, Service, add_months
from contractcore.schedules import PricePoint, invoice_run, price_timeline
from tests.pricing.strategies import make_contract, schedules

_ONE_DAY = timedelta(days=1)
MONTHS = 24  # two terms of twelve months

Figures = tuple[Money, Decimal, Money]


def month(contract_start: date, k: int) -> Period:
    first = add_months(contract_start, k)
    return Period(first, add_months(contract_start, k + 1) - _ONE_DAY)


_steps = st.one_of(
    st.tuples(st.just("invoice"), st.integers(0, MONTHS - 1)),
    st.tuples(st.just("invoice"), st.integers(0, MONTHS - 1)),
    st.tuples(st.just("renew"), st.just(0)),
    st.tuples(
        st.just("amend"),
        st.tuples(
            st.sampled_from(["s-1", "s-2"]),
            st.integers(0, MONTHS - 1),
            st.booleans(),
            st.integers(1, 500),
        ),
    ),
    st.tuples(st.just("cancel"), st.integers(0, MONTHS - 1)),
)


@st.composite
def lives(draw: st.DrawFn) -> tuple[Contract, list[tuple[str, object]]]:
    start = date(2026, draw(st.integers(1, 6)), 1)
    services = tuple(
        Service(
            id=service_id,
            product_id="p",
            unit_price=Money(draw(st.integers(1, 300)), "USD"),
            quantity=draw(st.integers(1, 20)),
            start_date=add_months(start, draw(st.integers(0, 6))),
        )
        for service_id in ("s-1", "s-2")[: draw(st.integers(1, 2))]
    )
    contract = make_contract(
        start_date=start,
        term_months=12,
        kind="auto_renew",
        renewal=RenewalOptions(
            term_months=12,
            schedules=tuple(draw(st.lists(schedules(("s-1", "s-2")), max_size=2))),
        ),
        services=services,
        schedules=tuple(draw(st.lists(schedules(("s-1", "s-2")), max_size=3))),
        mid_period_changes=draw(st.sampled_from(["whole_period", "prorate"])),
    )
    return contract, draw(st.lists(_steps, max_size=14))


def _service(contract: Contract, service_id: str) -> Service | None:
    return next((s for s in contract.services if s.id == service_id), None)


def _invoice(
    contract: Contract, period: Period, first: dict[tuple[str, Period], Figures]
) -> Contract:
    run = invoice_run(contract, period)
    for line in run.lines:
        figures = (line.unit_price, line.quantity, line.amount)
        # A period invoiced again (a re-run, or a preview) gives the same figures.
        assert first.setdefault((line.service_id, period), figures) == figures
    return attrs.evolve(contract, services=run.services)


def _live(
    contract: Contract, steps: list[tuple[str, object]]
) -> tuple[Contract, dict[tuple[str, Period], Figures]]:
    first: dict[tuple[str, Period], Figures] = {}
    start = contract.start_date
    invoiced_to = start - _ONE_DAY
    for kind, arg in steps:
        if kind == "invoice":
            assert isinstance(arg, int)
            period = month(start, arg)
            contract = _invoice(contract, period, first)
            invoiced_to = max(invoiced_to, period.last)
        elif kind == "renew":
            end = contract.end_date
            if (
                contract.status == "active"
                and end is not None
                and end < add_months(start, MONTHS) - _ONE_DAY
            ):
                contract = renew(contract)
        elif kind == "amend":
            assert isinstance(arg, tuple)
            service_id, k, price, value = arg
            if _service(contract, service_id) is None:
                continue
            on = month(start, k).first
            change = (
                {"unit_price": Money(value, "USD")} if price else {"quantity": Decimal(value % 30)}
            )
            # Dated on invoiced days or before the service: refused, as it must be.
            with contextlib.suppress(ContractStateError):
                contract = amend(
                    contract, Amendment(service_id=service_id, on=on, reason="r", **change)
                )
        elif kind == "cancel":
            assert isinstance(arg, int)
            on = max(month(start, arg).last, invoiced_to)
            end = contract.end_date
            if end is None or contract.status != "active":
                continue
            if contract.start_date - _ONE_DAY <= on <= end:
                contract = cancel(contract, on=on).contract
    return contract, first


def _at(points: tuple[PricePoint, ...], day: date) -> tuple[Money, Decimal]:
    point = [p for p in points if p.on <= day][-1]
    return point.unit_price, point.quantity


@given(lives())
def test_invoices_timelines_and_penalties_agree_on_the_price_of_every_day(
    life: tuple[Contract, list[tuple[str, object]]],
) -> None:
    contract, steps = life
    start = contract.start_date
    final, first = _live(contract, steps)
    horizon = month(start, MONTHS - 1).last
    for service in final.services:
        points = price_timeline(final, service, horizon)
        for k in range(MONTHS):
            period = month(start, k)
            if period.last < service.start_date:
                continue
            preview = invoice_run(final, period, [service])
            _, charges = recurring_charges(final, period)
            penalty = [c for c in charges if c.service_id == service.id]
            assert len(penalty) == 1
            in_force = _at(points, period.last)
            if final.mid_period_changes == "whole_period":
                assert (penalty[0].unit_price, penalty[0].quantity) == in_force
            mark = service.applied_up_to
            if mark is not None and period.last <= mark:
                assert (service.price_on(period.last), service.quantity_on(period.last)) == (
                    in_force
                )
            for line in preview.lines:
                if final.mid_period_changes == "prorate":
                    # Each dated part at the values in force on its first day.
                    for part in line.parts:
                        assert (part.unit_price, part.quantity) == _at(points, part.first)
                    in_force = _at(points, line.parts[-1].last)
                assert (line.unit_price, line.quantity) == in_force
                if line.days == line.period_days == period.days:
                    # A whole period: the penalty base counts what the line charges.
                    assert penalty[0].amount.rounded() == line.amount
                recorded = first.get((service.id, period))
                if recorded is not None:
                    assert (line.unit_price, line.quantity, line.amount) == recorded
