"""Applying update schedules at invoice time, exactly once, behind a watermark."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from contractcore.errors import CurrencyMismatchError, InvalidArgumentError
from contractcore.money import _ADD, _MULTIPLY, _SCALEB, Money, _new
from contractcore.pricing import (
    AmendmentCause,
    Cause,
    Change,
    Period,
    RenewalCause,
    ScheduleCause,
    Service,
)
from contractcore.pricing._history import applied_price_change, applied_quantity_change
from contractcore.pricing._period import add_months
from contractcore.pricing._service import _with_schedule_state
from contractcore.schedules._events import (
    PRICE,
    SERVICE_START,
    Action,
    After,
    AtRenewal,
    On,
    Percent,
    SetTo,
    UpdateEvent,
    When,
)
from contractcore.schedules._terms import ScheduleTerms

__all__ = ["AppliedEvent", "ScheduleRun", "apply_schedules", "event_date"]

_ONE_DAY = timedelta(days=1)
_ONE = Decimal(1)


def _after(anchor: date, when: After) -> date:
    if when.months is not None:
        return add_months(anchor, when.months)
    return anchor + timedelta(days=when.days or 0)


# A canceled or completed contract never renews (``renew`` refuses it), so its
# ``AtRenewal`` events never happen, even for a service that outlives it.
_NOT_RENEWING = frozenset(("canceled", "completed"))


def _renewal_day(contract: ScheduleTerms) -> date | None:
    if (
        contract.kind == "auto_renew"
        and contract.end_date is not None
        and contract.status not in _NOT_RENEWING
    ):
        return contract.end_date + _ONE_DAY
    return None


def event_date(when: When, service: Service, contract: ScheduleTerms) -> date | None:
    """Return the day an event happens for ``service`` on ``contract``, or ``None`` if never.

    Relative dates are computed from their anchor (the service's or the
    contract's start date) every time. :class:`AtRenewal` falls on the day
    after the end of an auto-renewing contract's current term (never for a
    canceled or completed contract: it does not renew).

    Raises:
        InvalidArgumentError: ``when`` is not an :class:`On`, :class:`After` or
            :class:`AtRenewal`.

    >>> from datetime import date
    >>> from contractcore.contracts import Contract
    >>> from contractcore.money import Money
    >>> from contractcore.pricing import Service
    >>> service = Service(id="s-1", product_id="backup", unit_price=Money("1", "USD"),
    ...                   start_date=date(2026, 1, 31))
    >>> contract = Contract(id="c-1", number="CT-1", customer_id="42", name="Backup",
    ...                     start_date=date(2026, 1, 1), term_months=12)
    >>> [event_date(After(months=n), service, contract).isoformat() for n in (1, 2, 3)]
    ['2026-02-28', '2026-03-31', '2026-04-30']
    """
    if isinstance(when, On):
        return when.date
    if isinstance(when, After):
        anchor = service.start_date if when.from_ == SERVICE_START else contract.start_date
        return _after(anchor, when)
    if isinstance(when, AtRenewal):
        return _renewal_day(contract)
    raise InvalidArgumentError(f"when must be On, After or AtRenewal, got {when!r}")


class AppliedEvent(NamedTuple):
    """One update event applied to a service, for an invoice line's breakdown.

    A result record (a ``NamedTuple``: immutable and cheap to build, since an
    invoice run makes one per applied event).

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
    def action(self) -> Action:
        """``"price"`` or ``"quantity"``."""
        return self.event.action

    def describe(self) -> str:
        """A one-line human description such as ``"2026-02-28 price USD 100.00 -> USD 110.00"``."""
        return f"{self.on.isoformat()} {self.action} {_show(self.before)} -> {_show(self.after)}"


def _show(value: Money | Decimal) -> str:
    return value.format(exact=True) if isinstance(value, Money) else f"{value.normalize():f}"


class ScheduleRun(NamedTuple):
    """The outcome of :func:`apply_schedules`: ``service, applied = apply_schedules(...)``.

    Attributes:
        service: The service after the events, with its watermark advanced.
        applied: The events applied, in the order they were applied.
    """

    service: Service
    applied: tuple[AppliedEvent, ...]


def _fields_documented_by_class(record: type) -> None:
    """Drop a NamedTuple's generated "Alias for field number N" field docstrings.

    The class docstring's Attributes section documents the fields; without
    this, Sphinx autodoc would describe every field twice.
    """
    for name in record._fields:  # type: ignore[attr-defined]
        vars(record)[name].__doc__ = None


_fields_documented_by_class(AppliedEvent)
_fields_documented_by_class(ScheduleRun)


def _refuse_negative(
    before: Money | Decimal, after: Money | Decimal, event: UpdateEvent, service: Service, on: date
) -> None:
    raise InvalidArgumentError(
        f"update event on {on} would make the {event.action} of service {service.id!r} "
        f"negative: {_show(before)} -> {_show(after)}"
    )


def _factor(percent: Decimal) -> Decimal:
    """``1 + percent / 100``, exactly: never in the caller's decimal context."""
    return _ADD(_ONE, _SCALEB(percent, -2))


def _new_price(current: Money, event: UpdateEvent, service: Service, on: date) -> Money:
    value = event.value
    if value.__class__ is Percent:
        result = _new(_MULTIPLY(current.amount, _factor(value.percent)), current.currency)
    else:
        assert not isinstance(value, Percent)
        number = value.value if isinstance(value, SetTo) else value.amount
        if not isinstance(number, Money):
            number = Money(number, current.currency)
        elif number.currency != current.currency:
            raise CurrencyMismatchError(
                f"update event on {on} for service {service.id!r} is in "
                f"{number.currency}, the service is priced in {current.currency}"
            )
        result = number if isinstance(value, SetTo) else current + number
    if result.amount < 0:
        _refuse_negative(current, result, event, service, on)
    return result


def _new_quantity(current: Decimal, event: UpdateEvent, service: Service, on: date) -> Decimal:
    value = event.value
    if isinstance(value, Percent):
        result = _MULTIPLY(current, _factor(value.percent))
    else:
        number = value.value if isinstance(value, SetTo) else value.amount
        if isinstance(number, Money):  # pragma: no cover - UpdateEvent refuses it
            raise InvalidArgumentError(f"a quantity change needs a number, got {number!r}")
        result = number if isinstance(value, SetTo) else _ADD(current, number)
    if result < 0:
        _refuse_negative(current, result, event, service, on)
    return result


# One event of a contract's schedules, resolved as far as the contract allows:
# (schedule index, event index, event, targets, months, days, day, cause). When
# ``day`` is set the event's date does not depend on the service; otherwise the
# date is the service's start plus ``months`` months, or plus ``days`` days.
_Step = tuple[
    int, int, UpdateEvent, frozenset[str] | None, int | None, int, date | None, "_CauseOf"
]


class _CauseOf(NamedTuple):
    """What a step's cause is made of: built only when the step applies (see :func:`_cause`)."""

    origin: str
    schedule: int
    event: int
    name: str


@functools.lru_cache(maxsize=4096)
def _cause(of: _CauseOf) -> Cause:
    """The history cause of an applied step (causes are immutable: one per step, shared)."""
    if of.origin == "amendment":
        return AmendmentCause(reason=of.name)
    if of.origin == "renewal":
        return RenewalCause(schedule=of.schedule, event=of.event, name=of.name)
    return ScheduleCause(schedule=of.schedule, event=of.event, name=of.name)


def _plan(contract: ScheduleTerms) -> list[_Step]:
    """Resolve the contract's events once, so each service only computes its own dates."""
    steps: list[_Step] = []
    for s_index, schedule in enumerate(contract.schedules):
        targets = schedule.targets
        for e_index, event in enumerate(schedule.events):
            when = event.when
            cause = _CauseOf(schedule.origin, s_index, e_index, schedule.name)
            if isinstance(when, After) and when.from_ == SERVICE_START:
                steps.append(
                    (s_index, e_index, event, targets, when.months, when.days or 0, None, cause)
                )
                continue
            if isinstance(when, On):
                day: date | None = when.date
            elif isinstance(when, After):
                day = _after(contract.start_date, when)
            else:
                day = _renewal_day(contract)
            if day is not None:
                steps.append((s_index, e_index, event, targets, None, 0, day, cause))
    return steps


_Due = tuple[date, int, int, UpdateEvent, _CauseOf]


def _due_events(plan: list[_Step], service: Service, low: date, last: date) -> list[_Due]:
    """The planned events for ``service`` dated in ``(low, last]``, with their positions."""
    due: list[_Due] = []
    service_id = service.id
    start = service.start_date
    for s_index, e_index, event, targets, months, days, day, cause in plan:
        if targets is not None and service_id not in targets:
            continue
        if day is not None:
            on = day
        elif months is not None:
            on = add_months(start, months)
        else:
            on = start + timedelta(days=days)
        if low < on <= last:
            due.append((on, s_index, e_index, event, cause))
    return due


def apply_schedules(contract: ScheduleTerms, service: Service, period: Period) -> ScheduleRun:
    """Apply the contract's scheduled update events to ``service`` for an invoice period.

    Every event dated in ``(service.applied_up_to, period.last]`` is
    applied, in date order, ties broken by schedule order and then event
    order. The returned service's ``applied_up_to`` is ``period.last`` (or
    stays where it was if that is later, or unset for a period that ends
    before the service starts). Running a period again, or an older
    period, therefore changes nothing, and no event is ever applied twice.

    A service with no watermark yet counts as watermarked on the day before
    its start date (its recorded price and quantity are those it started
    with), so its first invoice applies every event since its start, however
    late that invoice comes. A service brought in from another system, already
    carrying today's price, must be brought in with ``applied_up_to`` set.

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

    >>> from datetime import date
    >>> from contractcore.contracts import Contract
    >>> from contractcore.money import Money
    >>> from contractcore.pricing import Period, Service
    >>> from contractcore.schedules import PRICE, After, Percent, Schedule, UpdateEvent
    >>> service = Service(id="s-1", product_id="backup", unit_price=Money("100.00", "USD"),
    ...                   start_date=date(2026, 1, 31))
    >>> uplift = Schedule(events=[UpdateEvent(After(months=1), PRICE, Percent(10))])
    >>> contract = Contract(id="c-1", number="CT-1", customer_id="42", name="Backup",
    ...                     start_date=date(2026, 1, 1), term_months=12,
    ...                     services=(service,), schedules=(uplift,))
    >>> feb = Period(date(2026, 2, 1), date(2026, 2, 28))
    >>> service, applied = apply_schedules(contract, service, feb)
    >>> [event.describe() for event in applied], service.applied_up_to
    (['2026-02-28 price USD 100.00 -> USD 110.00'], datetime.date(2026, 2, 28))
    >>> apply_schedules(contract, service, feb).applied
    ()
    """
    if not isinstance(period, Period):
        raise InvalidArgumentError(f"period must be a Period, got {period!r}")
    return _apply_plan(_plan(contract), service, period)


def _apply_plan(plan: list[_Step], service: Service, period: Period) -> ScheduleRun:
    """:func:`apply_schedules` with the contract's events already resolved by :func:`_plan`."""
    watermark = service.applied_up_to
    last = period.last
    # No watermark yet: the service counts as watermarked the day before its
    # start, so a period wholly before the start changes nothing (not even the mark).
    low = watermark if watermark is not None else service.start_date - _ONE_DAY
    if low >= last:
        return ScheduleRun(service=service, applied=())
    due = _due_events(plan, service, low, last)
    if not due:
        return ScheduleRun(
            service=_with_schedule_state(service, service.unit_price, service.quantity, last),
            applied=(),
        )
    if len(due) > 1:
        # Date, then schedule, then event order; (schedule, event) is unique, so the
        # events themselves are never compared.
        due.sort()
    price: Money = service.unit_price
    quantity: Decimal = service.quantity
    applied = []
    changes: list[Change] = []
    for on, s_index, e_index, event, cause in due:
        if event.action == PRICE:
            old_price = price
            price = _new_price(price, event, service, on)
            applied.append(AppliedEvent(on, s_index, e_index, event, old_price, price))
            changes.append(applied_price_change(on, old_price, price, _cause(cause)))
        else:
            old_quantity = quantity
            quantity = _new_quantity(quantity, event, service, on)
            applied.append(AppliedEvent(on, s_index, e_index, event, old_quantity, quantity))
            changes.append(applied_quantity_change(on, old_quantity, quantity, _cause(cause)))
    updated = _with_schedule_state(service, price, quantity, last, service.history + tuple(changes))
    return ScheduleRun(service=updated, applied=tuple(applied))
