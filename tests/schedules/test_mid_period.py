"""DESIGN 5 "Mid-period changes": whole period by default, or prorated; the days a line counts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import event, example, given
from hypothesis import strategies as st

from contractcore.contracts import Contract
from contractcore.money import Money
from contractcore.pricing import Period, Service
from contractcore.schedules import (
    PRICE,
    QUANTITY,
    Delta,
    InvoiceLine,
    LinePart,
    On,
    Percent,
    Schedule,
    SetTo,
    UpdateEvent,
    invoice_run,
)
from tests.pricing.strategies import amounts, contracts_with_service, make_contract, make_service
from tests.schedules.reference import (
    reference_charged_days,
    reference_prorated_amount,
    reference_values_on,
)

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
_LENGTHS = st.integers(0, 45)
_OFFSETS = st.integers(-20, 400)
_INSIDE = st.lists(st.integers(0, 45), max_size=4)
_VALUES = st.one_of(
    st.builds(lambda n: (QUANTITY, Delta(n)), st.integers(0, 5)),
    st.builds(lambda p: (PRICE, Percent(p)), st.integers(-50, 100)),
    st.builds(lambda m: (PRICE, SetTo(m)), amounts(1000)),
)


@st.composite
def invoiced_periods(draw: st.DrawFn) -> tuple[Contract, Service, Period]:
    """A contract and its service, a period near the service's days, and 0-4 changes
    dated inside the period (an amendment schedule) on top of the contract's schedules."""
    contract, service = draw(contracts_with_service())
    first = service.start_date + timedelta(days=draw(_OFFSETS))
    period = Period(first, first + timedelta(days=draw(_LENGTHS)))
    events = [
        UpdateEvent(On(first + timedelta(days=min(offset, period.days - 1))), *draw(_VALUES))
        for offset in draw(_INSIDE)
    ]
    if events:
        inside = Schedule(events=events, name="changes inside", origin="amendment")
        at = draw(st.integers(0, len(contract.schedules)))
        schedules = (*contract.schedules[:at], inside, *contract.schedules[at:])
        contract = attrs.evolve(contract, schedules=schedules)
    return contract, service, period


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def seats_added_on_the_16th(mode: str) -> Contract:
    """The issue's case: 20 seats at USD 49.50 a month, 5 more from 2026-03-16."""
    seats = make_service(id="seats", price="49.50", quantity=20, applied_up_to=date(2026, 2, 28))
    added = Schedule(
        name="5 seats added",
        origin="amendment",
        events=[UpdateEvent(On(date(2026, 3, 16)), QUANTITY, Delta(5))],
    )
    return make_contract(services=[seats], schedules=[added], mid_period_changes=mode)


def test_by_default_seats_added_on_the_16th_are_billed_for_the_whole_month_saying_so() -> None:
    (line,) = invoice_run(seats_added_on_the_16th("whole_period"), MARCH).lines
    assert (line.quantity, line.amount) == (Decimal(25), usd("1237.50"))
    assert (line.days, line.period_days) == (31, 31)
    assert line.parts == (
        LinePart(
            date(2026, 3, 1), date(2026, 3, 31), usd("49.50"), Decimal(25), 31, usd("1237.50")
        ),
    )
    assert line.describe() == "2026-03-01..2026-03-31 31/31 days 25 x USD 49.50 = USD 1,237.50"


def test_prorated_seats_added_on_the_16th_are_split_in_two_dated_parts_rounded_once() -> None:
    contract = seats_added_on_the_16th("prorate")
    run = invoice_run(contract, MARCH)
    (line,) = run.lines
    # (20 x 15 + 25 x 16) / 31 x 49.50 = 34,650 / 31 = 1,117.7419...
    assert line.amount == usd("1117.74")
    assert (line.days, line.period_days) == (31, 31)
    assert [(p.first, p.last, p.quantity, p.days) for p in line.parts] == [
        (date(2026, 3, 1), date(2026, 3, 15), Decimal(20), 15),
        (date(2026, 3, 16), date(2026, 3, 31), Decimal(25), 16),
    ]
    # The line's own values are those of its last day.
    assert (line.unit_price, line.quantity) == (usd("49.50"), Decimal(25))
    assert line.describe().splitlines() == [
        "2026-03-01..2026-03-31 31/31 days in 2 parts = USD 1,117.74",
        "  2026-03-01..2026-03-15 15/31 days 20 x USD 49.50",
        "  2026-03-16..2026-03-31 16/31 days 25 x USD 49.50",
    ]
    # Previewing March again reads the split from the history: the same line.
    again = invoice_run(attrs.evolve(contract, services=run.services), MARCH)
    assert again.lines == (line._replace(changes=()),)


def test_a_service_starting_on_the_11th_says_21_of_31_days_in_either_mode() -> None:
    late = make_service(id="late", price="49.50", quantity=20, start_date=date(2026, 3, 11))
    for mode in ("whole_period", "prorate"):
        (line,) = invoice_run(make_contract(services=[late], mid_period_changes=mode), MARCH).lines
        assert (line.days, line.period_days, line.amount) == (21, 31, usd("670.65"))
        assert line.describe() == "2026-03-11..2026-03-31 21/31 days 20 x USD 49.50 = USD 670.65"


def test_a_change_on_the_first_charged_day_does_not_split_the_line() -> None:
    late = make_service(id="late", price="10.00", quantity=1, start_date=date(2026, 3, 11))
    more = Schedule(events=[UpdateEvent(On(date(2026, 3, 11)), QUANTITY, Delta(1))])
    contract = make_contract(services=[late], schedules=[more], mid_period_changes="prorate")
    (line,) = invoice_run(contract, MARCH).lines
    assert [(p.first, p.quantity) for p in line.parts] == [(date(2026, 3, 11), Decimal(2))]


def test_a_line_built_without_days_reads_as_the_whole_period() -> None:
    line = InvoiceLine("s", "p", "", MARCH, usd("10"), Decimal(2), usd("20.00"), ())
    assert (line.days, line.period_days, line.parts) == (0, 0, ())
    assert line.describe() == "2026-03-01..2026-03-31 31/31 days 2 x USD 10.00 = USD 20.00"


@given(invoiced_periods())
@example(
    (
        seats_added_on_the_16th("whole_period"),
        seats_added_on_the_16th("whole_period").services[0],
        MARCH,
    )
)
def test_a_prorated_line_charges_each_day_at_its_own_values_rounded_once(
    case: tuple[Contract, Service, Period],
) -> None:
    contract, service, period = case
    contract = attrs.evolve(contract, mid_period_changes="prorate")
    run = invoice_run(contract, period)
    charged = reference_charged_days(contract, service, period)
    if not charged:
        event("no days charged")
        assert run.lines == ()
        return
    (line,) = run.lines
    event("split line" if len(line.parts) > 1 else "one part")
    assert line.amount.amount == reference_prorated_amount(contract, service, period)
    assert (line.days, line.period_days) == (len(charged), period.days)
    # The parts cover the charged days in order, each at the values of every one of its days.
    values = dict(zip(charged, reference_values_on(contract, service, charged), strict=True))
    covered = []
    for part in line.parts:
        days = [part.first + timedelta(days=n) for n in range(part.days)]
        assert days[-1] == part.last
        assert {values[day] for day in days} == {(part.unit_price.amount, part.quantity)}
        covered.extend(days)
    assert covered == charged
    assert (line.unit_price.amount, line.quantity) == values[charged[-1]]
    # Previewing the period again (from the history) gives the same line.
    again = invoice_run(attrs.evolve(contract, services=run.services), period)
    assert again.lines == (line._replace(changes=()),)


@given(invoiced_periods())
def test_a_whole_period_line_charges_the_last_days_values_for_every_day_in_one_part(
    case: tuple[Contract, Service, Period],
) -> None:
    contract, service, period = case
    run = invoice_run(contract, period)
    charged = reference_charged_days(contract, service, period)
    if not charged:
        assert run.lines == ()
        return
    (line,) = run.lines
    (updated,) = run.services
    whole = updated.recurring_charge
    assert line.amount == (whole * len(charged) / period.days).rounded()
    assert (line.days, line.period_days) == (len(charged), period.days)
    (part,) = line.parts
    assert (part.first, part.last, part.days) == (charged[0], charged[-1], len(charged))
    assert (part.unit_price, part.quantity) == (line.unit_price, line.quantity)
    # With no change after the first day charged, prorating changes nothing. (A
    # change after the last day charged but inside the period prices a whole-period
    # line, which reads the period's last day; a prorated line reads its last day charged.)
    if not [c for c in updated.history if charged[0] < c.on <= period.last]:
        prorated = invoice_run(attrs.evolve(contract, mid_period_changes="prorate"), period)
        assert prorated.lines == run.lines


def test_a_prorated_yen_line_rounds_once_to_whole_yen() -> None:
    vps = make_service(id="vps", price="9800", quantity=3, currency="JPY")
    more = Schedule(events=[UpdateEvent(On(date(2026, 3, 16)), QUANTITY, Delta(1))])
    contract = make_contract(
        currency="JPY", services=[vps], schedules=[more], mid_period_changes="prorate"
    )
    (line,) = invoice_run(contract, MARCH).lines
    # (3 x 15 + 4 x 16) x 9,800 / 31 = 34,458.06...
    assert line.amount == Money(34458, "JPY")
