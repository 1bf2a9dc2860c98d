"""Amendments: dated changes made by a person, kept in the history, never edits of the past."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from contractcore.contracts import (
    Amendment,
    Contract,
    ContractChange,
    add_service,
    amend,
    apply_change,
    end_service,
)
from contractcore.errors import ContractStateError, InvalidArgumentError
from contractcore.money import Money
from contractcore.penalties import TotalPercentPenalty, early_termination_penalty
from contractcore.pricing import AmendmentCause, Period, Service
from contractcore.schedules import (
    PRICE,
    On,
    Percent,
    Schedule,
    UpdateEvent,
    invoice_run,
    price_timeline,
)
from tests.pricing.strategies import make_contract, make_service

APRIL = Period(date(2026, 4, 1), date(2026, 4, 30))
MAY = Period(date(2026, 5, 1), date(2026, 5, 31))


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def invoiced_through_march() -> tuple[Contract, Service]:
    seats = make_service(price="49.50", quantity=20, applied_up_to=date(2026, 3, 31))
    return make_contract(services=[seats]), seats


def test_an_amendment_applies_from_its_day_and_is_kept_with_its_reason() -> None:
    contract, _ = invoiced_through_march()
    contract = amend(
        contract,
        Amendment(
            service_id="s-1", on=date(2026, 5, 1), reason="price corrected", unit_price=usd("45.00")
        ),
    )
    april = invoice_run(contract, APRIL)
    assert april.lines[0].unit_price == usd("49.50")
    contract = attrs.evolve(contract, services=april.services)
    may = invoice_run(contract, MAY)
    assert (may.lines[0].unit_price, may.lines[0].amount) == (usd("45.00"), usd("900.00"))
    (change,) = may.services[0].history
    assert (change.on, change.before, change.after) == (
        date(2026, 5, 1),
        usd("49.50"),
        usd("45.00"),
    )
    assert change.cause == AmendmentCause(reason="price corrected")
    # Previewing April again still gives what April was invoiced at.
    contract = attrs.evolve(contract, services=may.services)
    assert invoice_run(contract, APRIL).lines[0].amount == april.lines[0].amount


def test_the_timeline_and_the_penalty_read_the_amendment_too() -> None:
    contract, _ = invoiced_through_march()
    contract = attrs.evolve(contract, penalty=TotalPercentPenalty(Decimal(10), usd("0")))
    contract = amend(
        contract,
        Amendment(service_id="s-1", on=date(2026, 7, 1), reason="5 seats", quantity=25),
    )
    points = price_timeline(contract, contract.services[0], date(2026, 12, 31))
    assert [(p.on, p.quantity) for p in points] == [
        (date(2026, 1, 1), Decimal(20)),
        (date(2026, 7, 1), Decimal(25)),
    ]
    quote = early_termination_penalty(contract, date(2026, 3, 31))
    by_month = {line.billing_period.first.month: line.quantity for line in quote.lines}
    assert by_month[6] == 20
    assert by_month[7] == 25
    # 6 months of 20 seats and 6 of 25 at 49.50: 13,365.00; 10 % of it.
    assert quote.amount == usd("1336.50")


def test_an_amendment_of_invoiced_days_is_refused_naming_the_dates() -> None:
    contract, _ = invoiced_through_march()
    with pytest.raises(ContractStateError, match=r"invoiced through 2026-03-31.*from 2026-04-01"):
        amend(contract, Amendment(service_id="s-1", on=date(2026, 3, 15), reason="x", quantity=1))
    with pytest.raises(InvalidArgumentError, match="service_id 's-9'"):
        amend(contract, Amendment(service_id="s-9", on=date(2026, 5, 1), reason="x", quantity=1))


def test_an_amendment_must_change_something_and_say_why() -> None:
    with pytest.raises(InvalidArgumentError, match="changes nothing"):
        Amendment(service_id="s-1", on=date(2026, 5, 1), reason="x")
    with pytest.raises(InvalidArgumentError, match="reason"):
        Amendment(service_id="s-1", on=date(2026, 5, 1), reason=" ", quantity=1)
    with pytest.raises(InvalidArgumentError, match="quantity must be >= 0"):
        Amendment(service_id="s-1", on=date(2026, 5, 1), reason="x", quantity=-1)


def test_on_the_day_of_a_scheduled_uplift_the_amendment_wins() -> None:
    contract, _ = invoiced_through_march()
    uplift = Schedule(events=[UpdateEvent(On(date(2026, 5, 1)), PRICE, Percent(10))])
    contract = attrs.evolve(contract, schedules=(uplift,))
    contract = amend(
        contract,
        Amendment(service_id="s-1", on=date(2026, 5, 1), reason="agreed", unit_price=usd("50")),
    )
    run = invoice_run(contract, Period(date(2026, 4, 1), date(2026, 5, 31)))
    assert run.lines[0].unit_price == usd("50")
    assert [c.cause.describe() for c in run.services[0].history] == [
        "schedule #0 event 0",
        "amendment: agreed",
    ]


def test_a_requote_of_a_billed_service_amends_it_instead_of_rewriting_the_past() -> None:
    contract, seats = invoiced_through_march()
    backup = make_service(id="s-2", price="20.00", applied_up_to=date(2026, 3, 31))
    contract = attrs.evolve(contract, services=(seats, backup))
    proposal = attrs.evolve(
        ContractChange.from_contract(contract),
        services=(attrs.evolve(seats, quantity=25, applied_up_to=None),),
        effective=date(2026, 5, 1),
        reason="re-quote Q-7",
    )
    changed = apply_change(contract, proposal)
    kept, ended = changed.services
    assert (kept.quantity, kept.applied_up_to) == (Decimal(20), date(2026, 3, 31))
    assert ended.id == "s-2"
    assert ended.end_date == date(2026, 4, 30)
    may = invoice_run(changed, Period(date(2026, 4, 1), date(2026, 5, 31)))
    assert [line.service_id for line in may.lines] == ["s-1", "s-2"]
    assert may.lines[0].quantity == 25
    assert may.services[0].history[0].cause == AmendmentCause(reason="re-quote Q-7")


def test_services_are_added_and_ended_by_date() -> None:
    contract, _ = invoiced_through_march()
    backup = make_service(id="s-2", price="20.00", start_date=date(2026, 4, 16))
    contract = add_service(contract, backup)
    with pytest.raises(InvalidArgumentError, match="already on contract"):
        add_service(contract, backup)
    run = invoice_run(contract, APRIL)
    assert run.lines[1].amount == usd("10.00")  # 15 of 30 days
    with pytest.raises(ContractStateError, match="invoiced through 2026-03-31"):
        end_service(contract, "s-1", date(2026, 3, 30))
    ended = end_service(contract, "s-1", date(2026, 4, 15))
    assert invoice_run(ended, APRIL).lines[0].amount == usd("495.00")  # 15 of 30 days
