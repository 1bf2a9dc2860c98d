"""The nightly job and invoice runs together, across renewals (with contractcore.schedules)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import assume, example, given
from hypothesis import strategies as st

from contractcore.contracts import Contract, RenewalOptions, renew, run_nightly
from contractcore.money import Money
from contractcore.pricing import Period, Service, add_months
from contractcore.repository import run_invoicing, run_nightly_job
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
    apply_schedules,
    event_date,
    invoice_run,
)
from contractcore.testing import InMemoryStore, InMemoryUnitOfWork

from .builders import a_contract, a_service


def invoice_every_month(
    contract: Contract, first: date, months: int
) -> tuple[Contract, list[Money]]:
    """Each month: run the nightly job on the 1st, then invoice the month."""
    prices: list[Money] = []
    for k in range(months):
        period = Period.months(add_months(first, k))
        run = run_nightly([contract], period.first)
        if run.contracts:
            contract = run.contracts[0]
        (service,) = contract.services
        service = apply_schedules(contract, service, period).service
        contract = attrs.evolve(contract, services=(service,))
        prices.append(service.unit_price)
    return contract, prices


def test_an_at_renewal_uplift_applies_once_on_each_renewal_day() -> None:
    contract = a_contract(
        kind="auto_renew",
        services=(a_service(unit_price=Money("100.00", "USD")),),
        schedules=(Schedule(events=[UpdateEvent(AtRenewal(), PRICE, Percent(10))]),),
        renewal=RenewalOptions(
            term_months=12,
            schedules=(Schedule(events=[UpdateEvent(AtRenewal(), PRICE, Percent(5))]),),
        ),
    )
    final, prices = invoice_every_month(contract, date(2026, 1, 1), 36)
    assert {str(p) for p in prices[:12]} == {"USD 100.00"}
    assert {str(p) for p in prices[12:24]} == {"USD 110.00"}
    assert {str(p) for p in prices[24:]} == {"USD 115.50"}
    assert final.renewal_count == 2


# Issue 12 point 6: the nightly job renews on the 1st, before the ending term's
# last month is invoiced; what that month still owes must survive the renewal.

DECEMBER_UPLIFT = Schedule(
    events=[UpdateEvent(After(months=11), PRICE, Percent(10))], name="December uplift"
)


def a_yearly_contract(**changes: object) -> Contract:
    """The issue's contract: 12 months from 2026-01-01, one service at 100.00, auto-renewing."""
    fields: dict[str, object] = {
        "kind": "auto_renew",
        "renewal": RenewalOptions(term_months=12),
        "services": (a_service(unit_price=Money("100.00", "USD")),),
        "schedules": (DECEMBER_UPLIFT,),
    }
    fields.update(changes)
    return a_contract(**fields)


def invoiced_through(contract: Contract, last_month: date) -> Contract:
    """``contract`` with every month from its first start through ``last_month`` invoiced."""
    month = contract.covered_from
    while month <= last_month:
        contract = attrs.evolve(
            contract, services=invoice_run(contract, Period.months(month)).services
        )
        month = add_months(month, 1)
    return contract


def line_prices(contract: Contract, month: date) -> tuple[Contract, list[str]]:
    """Invoice ``month``: the contract as stored after, and the line prices."""
    run = invoice_run(contract, Period.months(month))
    return attrs.evolve(contract, services=run.services), [
        str(line.unit_price) for line in run.lines
    ]


def test_the_last_months_after_uplift_survives_the_nightly_renewal() -> None:
    store = InMemoryStore()
    with InMemoryUnitOfWork(store) as uow:
        uow.contracts.add("acme", a_yearly_contract())
    for month in range(1, 12):
        first = date(2026, month, 1)
        run_nightly_job(InMemoryUnitOfWork(store), "acme", first)
        run_invoicing(InMemoryUnitOfWork(store), "acme", Period.months(first))

    nightly = run_nightly_job(InMemoryUnitOfWork(store), "acme", date(2027, 1, 1))
    december = run_invoicing(InMemoryUnitOfWork(store), "acme", Period.months(date(2026, 12, 1)))
    january = run_invoicing(InMemoryUnitOfWork(store), "acme", Period.months(date(2027, 1, 1)))

    assert [a.step.value for a in nightly.actions] == ["renew"]
    assert [str(i.line.unit_price) for i in december.lines] == ["USD 110.00"]
    assert [str(i.line.unit_price) for i in january.lines] == ["USD 110.00"]


def test_the_uplift_is_pinned_to_its_date_for_the_service_it_is_owed_to() -> None:
    renewed = renew(invoiced_through(a_yearly_contract(), date(2026, 11, 1)))
    assert renewed.schedules == (
        Schedule(
            events=[UpdateEvent(On(date(2026, 12, 1)), PRICE, Percent(10))],
            targets={"s-1"},
            name="December uplift",
            origin="renewal",
        ),
    )


def test_an_uplift_falling_on_the_renewal_day_itself_survives_the_renewal() -> None:
    # The term ends on 2026-12-30, so the nightly job of 2026-12-31 renews; the
    # uplift falls on that day, inside December, which is invoiced after.
    on_the_last_day = Schedule(
        events=[UpdateEvent(After(days=364, from_=CONTRACT_START), PRICE, Percent(10))]
    )
    contract = a_yearly_contract(
        term_months=None, end_date=date(2026, 12, 30), schedules=(on_the_last_day,)
    )
    contract = invoiced_through(contract, date(2026, 11, 1))
    contract = run_nightly([contract], date(2026, 12, 31)).contracts[0]
    contract, december = line_prices(contract, date(2026, 12, 1))
    contract, january = line_prices(contract, date(2027, 1, 1))

    assert contract.start_date == date(2026, 12, 31)
    assert (december, january) == (["USD 110.00"], ["USD 110.00"])


def test_renewing_twice_before_invoicing_keeps_the_last_months_uplift() -> None:
    # One-month renewal terms, and a nightly job that missed January and February 1st.
    contract = invoiced_through(
        a_yearly_contract(renewal=RenewalOptions(term_months=1)), date(2026, 11, 1)
    )
    run = run_nightly([contract], date(2027, 2, 2))
    contract = run.contracts[0]
    prices = []
    for month in (date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)):
        contract, line = line_prices(contract, month)
        prices += line

    assert [a.step.value for a in run.actions] == ["renew", "renew"]
    assert prices == ["USD 110.00", "USD 110.00", "USD 110.00"]


def test_a_pinned_event_is_dropped_at_the_next_renewal_once_applied() -> None:
    contract = renew(invoiced_through(a_yearly_contract(), date(2026, 11, 1)))
    contract = invoiced_through(contract, date(2026, 12, 1))
    assert renew(contract).schedules == ()


def test_a_schedule_kept_from_term_to_term_applies_the_last_months_uplift_once() -> None:
    # From the service start: the renewal's copy falls on 2026-12-01 too and applies it.
    contract = a_yearly_contract(
        renewal=RenewalOptions(term_months=12, schedules=(DECEMBER_UPLIFT,))
    )
    renewed = renew(invoiced_through(contract, date(2026, 11, 1)))
    renewed, december = line_prices(renewed, date(2026, 12, 1))

    assert renewed.schedules == (DECEMBER_UPLIFT,)
    assert december == ["USD 110.00"]


def test_an_uplift_counted_from_the_contract_start_applies_in_both_terms() -> None:
    # From the contract start: the renewal's copy falls on 2027-12-01, so the
    # ending term's 2026-12-01 is pinned.
    yearly = Schedule(
        events=[UpdateEvent(After(months=11, from_=CONTRACT_START), PRICE, Percent(10))]
    )
    contract = a_yearly_contract(
        schedules=(yearly,), renewal=RenewalOptions(term_months=12, schedules=(yearly,))
    )
    contract = renew(invoiced_through(contract, date(2026, 11, 1)))
    prices = {}
    for k in range(13):
        month = add_months(date(2026, 12, 1), k)
        contract, prices[month] = line_prices(contract, month)

    assert prices[date(2026, 12, 1)] == ["USD 110.00"]
    assert prices[date(2027, 11, 1)] == ["USD 110.00"]
    assert prices[date(2027, 12, 1)] == ["USD 121.00"]


# The property behind the carry-over: when the renewal happens does not change
# what is invoiced.

_PRICE_VALUES: st.SearchStrategy[Value] = st.one_of(
    st.builds(Percent, st.integers(-20, 50)),
    st.builds(Delta, st.integers(0, 50)),
    st.builds(SetTo, st.integers(50, 500)),
)
_QUANTITY_VALUES: st.SearchStrategy[Value] = st.one_of(
    st.builds(Percent, st.integers(0, 50)),
    st.builds(Delta, st.integers(0, 3)),
    st.builds(SetTo, st.integers(1, 10)),
)
_ANCHORS = st.sampled_from([SERVICE_START, CONTRACT_START])


def _events(whens: st.SearchStrategy[When]) -> st.SearchStrategy[UpdateEvent]:
    return st.one_of(
        st.builds(UpdateEvent, whens, st.just(PRICE), _PRICE_VALUES),
        st.builds(UpdateEvent, whens, st.just(QUANTITY), _QUANTITY_VALUES),
    )


def _schedules(whens: st.SearchStrategy[When], max_size: int) -> st.SearchStrategy[list[Schedule]]:
    targets = st.one_of(st.none(), st.frozensets(st.sampled_from(["s-1", "s-2"]), min_size=1))
    schedule = st.builds(
        lambda events, t: Schedule(events=events, targets=t),
        st.lists(_events(whens), min_size=1, max_size=3),
        targets,
    )
    return st.lists(schedule, max_size=max_size)


@st.composite
def renewals(draw: st.DrawFn) -> tuple[Contract, int, int]:
    """An auto-renewing contract with monthly services and schedules whose events fall
    around its first renewals, the months invoiced before it renews, and how many times
    it renews then (2: the nightly job missed a renewal day)."""
    start = date(2026, draw(st.integers(1, 12)), 1)
    term = draw(st.integers(1, 12))
    renewal_term = draw(st.integers(1, 4))
    renewal_day = add_months(start, term)
    near = st.dates(start - timedelta(days=31), add_months(renewal_day, 2 * renewal_term))
    whens: st.SearchStrategy[When] = st.one_of(
        st.builds(On, near),
        st.builds(lambda d, a: After(days=d, from_=a), st.integers(0, 400), _ANCHORS),
        st.builds(lambda m, a: After(months=m, from_=a), st.integers(0, 15), _ANCHORS),
        st.just(AtRenewal()),
    )
    # The renewal's own schedules: events of the new terms only, and maybe some of
    # the contract's schedules, kept from term to term.
    new_term_whens: st.SearchStrategy[When] = st.one_of(
        st.builds(On, st.dates(renewal_day, add_months(renewal_day, 2 * renewal_term))),
        st.builds(lambda d: After(days=d, from_=CONTRACT_START), st.integers(0, 90)),
        st.builds(lambda m: After(months=m, from_=CONTRACT_START), st.integers(0, 3)),
        st.just(AtRenewal()),
    )
    schedules = tuple(draw(_schedules(whens, 3)))
    kept = [s for s in schedules if draw(st.booleans())]
    services = tuple(
        a_service(
            service_id,
            unit_price=Money(draw(st.integers(100, 1000)), "USD"),
            quantity=draw(st.integers(1, 10)),
            start_date=add_months(start, draw(st.integers(0, min(2, term - 1)))),
        )
        for service_id in draw(st.sampled_from([("s-1",), ("s-1", "s-2")]))
    )
    contract = a_contract(
        kind="auto_renew",
        start_date=start,
        term_months=term,
        services=services,
        schedules=schedules,
        renewal=RenewalOptions(
            term_months=renewal_term,
            schedules=(*kept, *draw(_schedules(new_term_whens, 2))),
        ),
    )
    return contract, draw(st.integers(0, term)), draw(st.integers(1, 2))


_Line = tuple[Period, str, Money, Decimal, Money]


def _invoice(contract: Contract, month: date) -> tuple[Contract, list[_Line]]:
    run = invoice_run(contract, Period.months(month))
    lines = [(i.period, i.service_id, i.unit_price, i.quantity, i.amount) for i in run.lines]
    return attrs.evolve(contract, services=run.services), lines


def _same_day_events_of_different_schedules(contract: Contract, terms: int) -> bool:
    """Whether two events of different schedules fall on one day for a service, in the
    first ``terms`` terms (the renewed contract puts the events it pins ahead of the
    renewal's schedules, so such a tie may apply in another order)."""
    seen: dict[tuple[str, date], set[tuple[Schedule, int]]] = {}
    for _ in range(terms):
        assert contract.end_date is not None
        assert contract.renewal is not None
        renewal_day = contract.end_date + timedelta(days=1)
        for schedule in contract.schedules:
            for service in contract.services:
                if not schedule.applies_to(service.id):
                    continue
                for index, event in enumerate(schedule.events):
                    day = event_date(event.when, service, contract)
                    if day is not None:
                        seen.setdefault((service.id, day), set()).add((schedule, index))
        contract = attrs.evolve(
            contract,
            start_date=renewal_day,
            term_months=contract.renewal.term_months,
            end_date=None,
            schedules=contract.renewal.schedules,
        )
    return any(len(events) > 1 for events in seen.values())


NEXT_DAY_RISE = Schedule(events=[UpdateEvent(After(days=1), PRICE, Percent(1))])


@given(renewals())
@example(
    # The issue: After(months=11) falls on 2026-12-01, renewed before December is invoiced.
    (a_yearly_contract(), 11, 1)
)
@example(
    # Found by hypothesis: a schedule listed twice applies twice; the renewal lists
    # it once, so it brings back one of the two and the other is pinned.
    (
        a_yearly_contract(
            schedules=(NEXT_DAY_RISE, NEXT_DAY_RISE),
            renewal=RenewalOptions(term_months=4, schedules=(NEXT_DAY_RISE,)),
            term_months=4,
        ),
        0,
        1,
    )
)
def test_renewing_before_the_last_months_are_invoiced_bills_what_renewing_after_would(
    case: tuple[Contract, int, int],
) -> None:
    contract, invoiced_before, renewals_before = case
    assume(not _same_day_events_of_different_schedules(contract, renewals_before))
    assert contract.renewal is not None
    assert contract.term_months is not None
    terms = [contract.term_months] + [contract.renewal.term_months] * renewals_before
    months = [add_months(contract.start_date, k) for k in range(sum(terms))]
    renewal_months = {months[sum(terms[: j + 1])] for j in range(renewals_before)}

    # Invoice every month of a term, then renew: the ending term is fully invoiced.
    expected: list[_Line] = []
    in_order = contract
    for month in months:
        if month in renewal_months:
            in_order = renew(in_order)
        in_order, lines = _invoice(in_order, month)
        expected += lines

    # Invoice some months, renew (the nightly job of the renewal day), invoice the rest.
    actual: list[_Line] = []
    late = contract
    for month in months[:invoiced_before]:
        late, lines = _invoice(late, month)
        actual += lines
    for _ in range(renewals_before):
        late = renew(late)
    for month in months[invoiced_before:]:
        late, lines = _invoice(late, month)
        actual += lines

    assert actual == expected
    # The same services, the same history of values; only the causes differ (an
    # event the renewal carried over is recorded as a renewal carry-over).
    assert [_without_causes(s) for s in late.services] == [
        _without_causes(s) for s in in_order.services
    ]


def _without_causes(
    service: Service,
) -> tuple[Service, list[tuple[date, Money | Decimal, Money | Decimal]]]:
    history = [(change.on, change.before, change.after) for change in service.history]
    return attrs.evolve(service, history=()), history
