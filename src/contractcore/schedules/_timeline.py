"""Projecting a service's price and quantity over future dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs

from contractcore.money import Money
from contractcore.pricing import Change, Period, PriceChange, Service
from contractcore.pricing._checks import check_day
from contractcore.pricing._service import state_on
from contractcore.schedules._apply import apply_schedules
from contractcore.schedules._terms import ScheduleTerms

__all__ = ["PricePoint", "price_timeline"]

_ONE_DAY = timedelta(days=1)


@attrs.frozen(kw_only=True)
class PricePoint:
    """The service's unit price and quantity from ``on`` until the next point.

    Attributes:
        on: The first day these values hold.
        unit_price: The unit price from that day (exact).
        quantity: The quantity from that day.
        changes: The changes that took effect that day, with their causes
            (empty for the first point unless a change falls on the start date).
        projected: ``False`` for a day the service was already invoiced
            through (read from its history), ``True`` for one still to come.
    """

    on: date
    unit_price: Money
    quantity: Decimal
    changes: tuple[Change, ...] = ()
    projected: bool = False

    @property
    def recurring_charge(self) -> Money:
        """``unit_price * quantity``, exact."""
        return self.unit_price * self.quantity


def price_timeline(
    contract: ScheduleTerms, service: Service, until: date
) -> tuple[PricePoint, ...]:
    """Return the service's price and quantity at each change, from its start up to ``until``.

    The past comes from the service's history (what was invoiced, with each
    change's cause), the future from the contract's schedules, applied with
    the invoice run's own rules, so the projection is what future invoice
    runs will apply (as long as the schedules do not change). The first point
    is the service's start date, with the values it started with. Nothing is
    stored.

    Args:
        contract: The service's contract (its schedules apply).
        service: The service, with its current watermark and history.
        until: The last day to show (inclusive).

    >>> from datetime import date
    >>> from contractcore.contracts import Contract
    >>> from contractcore.money import Money
    >>> from contractcore.pricing import Service
    >>> from contractcore.schedules import PRICE, After, Percent, Schedule, UpdateEvent
    >>> service = Service(id="s-1", product_id="backup", unit_price=Money("100.00", "USD"),
    ...                   start_date=date(2026, 1, 1))
    >>> uplift = Schedule(events=[UpdateEvent(After(months=6), PRICE, Percent(10))])
    >>> contract = Contract(id="c-1", number="CT-1", customer_id="42", name="Backup",
    ...                     start_date=date(2026, 1, 1), term_months=24,
    ...                     services=(service,), schedules=(uplift,))
    >>> [(p.on.isoformat(), str(p.unit_price)) for p in price_timeline(contract, service,
    ...                                                                 date(2027, 12, 31))]
    [('2026-01-01', 'USD 100.00'), ('2026-07-01', 'USD 110.00')]
    """
    check_day(until, "until")
    mark = service.applied_up_to
    projected = service
    if until >= service.start_date and (mark is None or mark < until):
        projected = apply_schedules(contract, service, Period(service.start_date, until)).service
    history = projected.history
    # The values it started with: every change undone.
    price, quantity = state_on(projected, date.min)
    points = [PricePoint(on=service.start_date, unit_price=price, quantity=quantity)]
    index = 0
    while index < len(history) and history[index].on <= until:
        day = history[index].on
        changes: list[Change] = []
        while index < len(history) and history[index].on == day:
            change = history[index]
            if isinstance(change, PriceChange):
                price = change.after
            else:
                quantity = change.after
            changes.append(change)
            index += 1
        point = PricePoint(
            on=day,
            unit_price=price,
            quantity=quantity,
            changes=tuple(changes),
            projected=mark is None or day > mark,
        )
        if day <= points[-1].on:  # a change on the start date: the start's own values
            point = attrs.evolve(
                point, on=points[-1].on, changes=points[-1].changes + point.changes
            )
            points[-1] = point
        else:
            points.append(point)
    if mark is None or mark < service.start_date:
        points[0] = attrs.evolve(points[0], projected=True)
    return tuple(points)
