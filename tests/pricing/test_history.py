"""A service's history: validation, the values on any day, the unchecked constructors."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractcore.errors import InvalidArgumentError
from contractcore.money import Money
from contractcore.pricing import (
    AmendmentCause,
    Change,
    PriceChange,
    QuantityChange,
    ScheduleCause,
    Service,
)
from contractcore.pricing._history import applied_price_change, applied_quantity_change

START = date(2026, 1, 1)
CAUSE = ScheduleCause(schedule=0, event=0)


@st.composite
def histories(draw: st.DrawFn) -> tuple[Money, Decimal, Service]:
    """A service's starting values and the service after a random chain of changes."""
    price = first_price = Money(draw(st.integers(0, 500)), "USD")
    quantity = first_quantity = Decimal(draw(st.integers(0, 20)))
    offsets = sorted(draw(st.lists(st.integers(0, 400), max_size=8)))
    history: list[Change] = []
    for offset in offsets:
        on = START + timedelta(days=offset)
        if draw(st.booleans()):
            new_price = Money(draw(st.integers(0, 500)), "USD")
            history.append(PriceChange(on=on, before=price, after=new_price, cause=CAUSE))
            price = new_price
        else:
            new_quantity = Decimal(draw(st.integers(0, 20)))
            history.append(QuantityChange(on=on, before=quantity, after=new_quantity, cause=CAUSE))
            quantity = new_quantity
    service = Service(
        id="s-1",
        product_id="p",
        unit_price=price,
        quantity=quantity,
        start_date=START,
        applied_up_to=START + timedelta(days=400),
        history=history,
    )
    return first_price, first_quantity, service


def reference_on(
    first_price: Money, first_quantity: Decimal, service: Service, day: date
) -> tuple[Money, Decimal]:
    """Replay the history forward from the starting values, up to ``day``."""
    price, quantity = first_price, first_quantity
    for change in service.history:
        if change.on > day:
            break
        if isinstance(change, PriceChange):
            price = change.after
        else:
            quantity = change.after
    return price, quantity


@given(histories(), st.integers(-5, 410))
def test_the_values_on_a_day_are_those_the_history_replays_to(
    case: tuple[Money, Decimal, Service], offset: int
) -> None:
    first_price, first_quantity, service = case
    day = START + timedelta(days=offset)
    expected = reference_on(first_price, first_quantity, service, day)
    assert (service.price_on(day), service.quantity_on(day)) == expected


def test_a_history_must_be_in_date_order_and_applied() -> None:
    later = PriceChange(
        on=date(2026, 3, 1), before=Money(1, "USD"), after=Money(2, "USD"), cause=CAUSE
    )
    earlier = attrs.evolve(later, on=date(2026, 2, 1))
    base = Service(
        id="s-1",
        product_id="p",
        unit_price=Money(2, "USD"),
        start_date=START,
        applied_up_to=date(2026, 3, 31),
    )
    with pytest.raises(InvalidArgumentError, match="date order"):
        attrs.evolve(base, history=(later, earlier))
    with pytest.raises(InvalidArgumentError, match="after its applied_up_to"):
        attrs.evolve(base, applied_up_to=date(2026, 2, 15), history=(later,))
    with pytest.raises(InvalidArgumentError, match="another currency"):
        attrs.evolve(base, history=(attrs.evolve(later, after=Money(2, "EUR")),))
    with pytest.raises(InvalidArgumentError, match="PriceChange or QuantityChange"):
        attrs.evolve(base, history=("2026-03-01",))


def test_the_unchecked_constructors_build_what_the_checked_ones_do() -> None:
    cause = AmendmentCause(reason="r")
    assert applied_price_change(START, Money(1, "USD"), Money(2, "USD"), cause) == PriceChange(
        on=START, before=Money(1, "USD"), after=Money(2, "USD"), cause=cause
    )
    assert applied_quantity_change(START, Decimal(1), Decimal(2), cause) == QuantityChange(
        on=START, before=Decimal(1), after=Decimal(2), cause=cause
    )
