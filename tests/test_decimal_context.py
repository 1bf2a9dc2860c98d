"""Results never depend on the caller's decimal context (found in the docs audit)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

from contractcore.contracts import Contract
from contractcore.money import Money
from contractcore.penalties import RemainingPercentPenalty, early_termination_penalty
from contractcore.pricing import Period, Service
from contractcore.schedules import (
    PRICE,
    QUANTITY,
    On,
    Percent,
    Schedule,
    UpdateEvent,
    apply_schedules,
    invoice_run,
)

SEATS = Service(
    id="s",
    product_id="seat",
    unit_price=Money("123456.99", "USD"),
    quantity=Decimal("3"),
    start_date=date(2026, 1, 1),
)
UPLIFTS = Schedule(
    events=[
        UpdateEvent(On(date(2026, 2, 1)), PRICE, Percent(Decimal("3.3"))),
        UpdateEvent(On(date(2026, 2, 1)), QUANTITY, Percent(Decimal("33.3"))),
    ]
)
CONTRACT = Contract(
    id="c",
    number="N-1",
    customer_id="1",
    name="Seats",
    status="active",
    start_date=date(2026, 1, 1),
    term_months=12,
    services=(SEATS,),
    schedules=(UPLIFTS,),
    penalty=RemainingPercentPenalty(Decimal("7.77"), Money(1, "USD")),
)
FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))


def _results() -> tuple[object, ...]:
    applied = apply_schedules(CONTRACT, SEATS, FEBRUARY).service
    quote = early_termination_penalty(CONTRACT, date(2026, 3, 17))
    run = invoice_run(CONTRACT, FEBRUARY)
    return applied.unit_price, applied.quantity, quote.base, quote.amount, run.total


def test_schedules_penalties_and_invoices_ignore_a_narrow_decimal_context() -> None:
    expected = _results()
    assert expected[:2] == (Money("127531.070670", "USD"), Decimal("3.9990"))
    for precision in (2, 4, 9):
        with localcontext() as context:
            context.prec = precision
            assert _results() == expected
