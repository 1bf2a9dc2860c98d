"""Applying update schedules at invoice time, exactly once, behind a watermark."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from contractcore.errors import CurrencyMismatchError, InvalidArgumentError
from contractcore.money import Money
from contractcore.pricing import Period, Service
from contractcore.pricing._period import add_months
from contractcore.schedules._events import (
    PRICE,
    SERVICE_START,
    After,
    On,
    Percent,
    Schedule,
    SetTo,
    UpdateEvent,
    When,
)

if TYPE_CHECKING:
    from contractcore.contracts import Contract

__all__ = ["AppliedEvent", "ScheduleRun", "apply_schedules", "event_date"]

_ONE_DAY = timedelta(days=1)
_HUNDRED = Decimal(100)


def event_date(when: When, service: Service, contract: Contract) -> date | None:
    """Return the day an event happens for ``service`` on ``contract``, or ``None`` if never.

    Relative dates are computed from their anchor (the service's or the
    contract's start date) every time. :class:`AtRenewal` falls on the day
    after the end of an auto-renewing contract's current term.
    """
    if isinstance(when, On):
        return when.date
    if isinstance(when, After):
        anchor = service.start_date if when.from_ == SERVICE_START else contract.start_date
        if when.months is not None:
            return add_months(anchor, when.months)
        return anchor + timedelta(days=when.days or 0)
    if contract.kind == "auto_renew" and contract.end_date is not None:
        return contract.end_date + _ONE_DAY
    return None


@attrs.frozen(kw_only=True)
class AppliedEvent:
    """One update event applied to a service, for an invoice line's breakdown.

    Attributes:
        on: The day the event is dated.
        schedule_index: Position of its schedule in ``contract.schedules``.
        event_index: Position of the event in its schedule.
        event: The event itself.
        before: The price (``Money``) or quantity (``Decimal``) before the event.
        after: The value after it.
    """

    on: date
    schedule_index: int
    event_index: int
    event: UpdateEvent
    before: Money | Decimal
    after: Money | Decimal

    @property
    def action(self) -> str:
        """``"price"`` or ``"quantity"``."""
        return self.event.action

    def describe(self) -> str:
        """A one-line human description such as ``"2026-02-28 price USD 100.00 -> USD 110.00"``."""
        return f"{self.on.isoformat()} {self.action} {_show(self.before)} -> {_show(self.after)}"


def _show(value: Money | Decimal) -> str:
    return str(value) if isinstance(value, Money) else f"{value.normalize():f}"


@attrs.frozen(kw_only=True)
class ScheduleRun:
    """The outcome of :func:`apply_schedules`.

    Attributes:
        service: The service after the events, with its watermark advanced.
        applied: The events applied, in the order they were applied.
    """

    service: Service
    applied: tuple[AppliedEvent, ...]


# (schedule_index, event_index, schedule, event), compiled once per schedules tuple.
_Compiled = tuple[tuple[int, int, Schedule, UpdateEvent], ...]


@functools.lru_cache(maxsize=256)
def _compile(schedules: tuple[Schedule, ...]) -> _Compiled:
    return tuple(
        (s_index, e_index, schedule, event)
        for s_index, schedule in enumerate(schedules)
        for e_index, event in enumerate(schedule.events)
    )


def _check_non_negative(
    before: Money | Decimal, after: Money | Decimal, event: UpdateEvent, service: Service, on: date
) -> None:
    amount = after.amount if isinstance(after, Money) else after
    if amount < 0:
        raise InvalidArgumentError(
            f"update event on {on} would make the {event.action} of service {service.id!r} "
            f"negative: {_show(before)} -> {_show(after)}"
        )


def _new_price(current: Money, event: UpdateEvent, service: Service, on: date) -> Money:
    value = event.value
    if isinstance(value, Percent):
        result = current * (1 + value.percent / _HUNDRED)
    else:
        number = value.value if isinstance(value, SetTo) else value.amount
        if not isinstance(number, Money):
            number = Money(number, current.currency)
        elif number.currency != current.currency:
            raise CurrencyMismatchError(
                f"update event on {on} for service {service.id!r} is in "
                f"{number.currency}, the service is priced in {current.currency}"
            )
        result = number if isinstance(value, SetTo) else current + number
    _check_non_negative(current, result, event, service, on)
    return result


def _new_quantity(current: Decimal, event: UpdateEvent, service: Service, on: date) -> Decimal:
    value = event.value
    if isinstance(value, Percent):
        result = current * (1 + value.percent / _HUNDRED)
    else:
        number = value.value if isinstance(value, SetTo) else value.amount
        if isinstance(number, Money):  # pragma: no cover - UpdateEvent refuses it
            raise InvalidArgumentError(f"a quantity change needs a number, got {number!r}")
        result = number if isinstance(value, SetTo) else current + number
    _check_non_negative(current, result, event, service, on)
    return result


def apply_schedules(contract: Contract, service: Service, period: Period) -> ScheduleRun:
    """Apply the contract's scheduled update events to ``service`` for an invoice period.

    Every event dated in ``(service.applied_up_to, period.last]`` (or in
    ``[period.first, period.last]`` when the service has no watermark yet)
    is applied, in date order, ties broken by schedule order and then event
    order. The returned service's ``applied_up_to`` is ``period.last`` (or
    stays where it was if that is later). Running a period again, or an older
    period, therefore changes nothing, and no event is ever applied twice.

    The function is pure: a preview and the real invoice run are the same
    call; the host decides whether to store the returned service.

    Args:
        contract: The contract whose ``schedules`` apply (the service's current contract).
        service: The service being invoiced.
        period: The invoice period, inclusive.

    Returns:
        The updated service and the applied events with their values before and after.

    Raises:
        CurrencyMismatchError: A price event is in another currency than the service.
        InvalidArgumentError: An event would make the price or quantity negative.

    >>> from contractcore.money import Money
    >>> from contractcore.schedules import After, Percent, PRICE, UpdateEvent
    >>> ...  # doctest: +SKIP
    """
    watermark = service.applied_up_to
    last = period.last
    if watermark is not None and watermark >= last:
        return ScheduleRun(service=service, applied=())
    low = watermark if watermark is not None else period.first - _ONE_DAY
    due: list[tuple[date, int, int, UpdateEvent]] = []
    service_id = service.id
    for s_index, e_index, schedule, event in _compile(contract.schedules):
        targets = schedule.targets
        if targets is not None and service_id not in targets:
            continue
        on = event_date(event.when, service, contract)
        if on is not None and low < on <= last:
            due.append((on, s_index, e_index, event))
    if not due:
        return ScheduleRun(service=attrs.evolve(service, applied_up_to=last), applied=())
    due.sort(key=lambda item: item[:3])
    price: Money = service.unit_price
    quantity: Decimal = service.quantity
    applied = []
    for on, s_index, e_index, event in due:
        if event.action == PRICE:
            before: Money | Decimal = price
            price = _new_price(price, event, service, on)
            after: Money | Decimal = price
        else:
            before = quantity
            quantity = _new_quantity(quantity, event, service, on)
            after = quantity
        applied.append(
            AppliedEvent(
                on=on,
                schedule_index=s_index,
                event_index=e_index,
                event=event,
                before=before,
                after=after,
            )
        )
    updated = attrs.evolve(service, unit_price=price, quantity=quantity, applied_up_to=last)
    return ScheduleRun(service=updated, applied=tuple(applied))
