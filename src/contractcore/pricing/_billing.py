"""Billing terms: when a contract's services are billed, and how their periods fall."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from typing import Any, Literal, TypeAlias

import attrs

from contractcore.errors import InvalidArgumentError
from contractcore.pricing._period import Period, add_months
from contractcore.pricing._service import Service

__all__ = [
    "Alignment",
    "BillingDay",
    "BillingMode",
    "BillingTerms",
    "check_service_periods",
    "full_periods",
]

BillingMode: TypeAlias = Literal["advance", "arrears"]
"""When a period is due: ``"advance"`` on its first day, ``"arrears"`` the day after its last."""

_ONE_DAY = timedelta(days=1)
_MODES = ("advance", "arrears")
_NAMED_ALIGNMENTS = ("anniversary", "calendar")
_MONTHS = (1, 3, 12)
_WEEK = 7


def _check_day(_instance: object, _attribute: object, value: Any) -> None:
    if value.__class__ is bool or not isinstance(value, int) or not 1 <= value <= 31:
        raise InvalidArgumentError(f"day must be an int from 1 to 31, got {value!r}")


@attrs.frozen
class BillingDay:
    """Periods start on day ``day`` of the month, clamped to the month's last day.

    ``BillingDay(31)`` starts every period on the month's last day (04-30,
    05-31, 06-30, ...); ``BillingDay(1)`` on the first, like a calendar month.

    Attributes:
        day: The day of the month, 1 to 31.

    >>> BillingDay(15)
    BillingDay(day=15)
    """

    day: int = attrs.field(validator=_check_day)


Alignment: TypeAlias = Literal["anniversary", "calendar"] | BillingDay
"""How periods fall: anchored on the service's start, on the calendar, or on a billing day."""


def _check_mode(_instance: object, _attribute: object, value: Any) -> None:
    if value not in _MODES:
        raise InvalidArgumentError(f"mode must be one of 'advance', 'arrears', got {value!r}")


def _check_alignment(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, BillingDay) and (
        value.__class__ is not str or value not in _NAMED_ALIGNMENTS
    ):
        raise InvalidArgumentError(
            f"alignment must be 'anniversary', 'calendar' or a BillingDay, got {value!r}"
        )


def _check_months(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and (value.__class__ is bool or value not in _MONTHS):
        raise InvalidArgumentError(
            "billing_period_months must be 1, 3 or 12 (monthly, quarterly, yearly) or None "
            f"(each service's own), got {value!r}"
        )


def _check_days(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and (value.__class__ is bool or value != _WEEK):
        raise InvalidArgumentError(f"billing_period_days must be 7 (weekly) or None, got {value!r}")


@attrs.frozen(kw_only=True)
class BillingTerms:
    """A contract's billing terms: when each period is due and how periods fall.

    The default, ``BillingTerms()``, is anniversary periods billed in arrears:
    what contractcore did before billing terms existed, and what a contract
    document without ``billing`` reads as.

    Attributes:
        mode: ``"arrears"`` (the default: a period is due the day after its
            last day) or ``"advance"`` (due on its first day).
        alignment: ``"anniversary"`` (the default: periods anchored on each
            service's start), ``"calendar"`` (calendar months, quarters or
            years, or ISO weeks Monday to Sunday; the first and last periods
            are stubs) or :class:`BillingDay` (periods start on day ``n`` of
            the month; a first stub runs from the start to the day before the
            first billing day).
        billing_period_months: 1, 3 or 12 for monthly, quarterly or yearly
            periods, or ``None`` (the default): each service's own
            :attr:`~contractcore.pricing.Service.billing_period_months`. When
            given, every service of the contract must have it.
        billing_period_days: ``7`` for weekly periods (each service's
            ``unit_price`` is then the price of a week), or ``None``.

    Raises:
        InvalidArgumentError: A field is invalid (the message names it and the
            value), both period lengths are given, or a :class:`BillingDay`
            is given with weekly periods.

    >>> BillingTerms(mode="advance", alignment=BillingDay(31)).alignment
    BillingDay(day=31)
    >>> BillingTerms(mode="monthly")
    Traceback (most recent call last):
    ...
    contractcore.errors.InvalidArgumentError: mode must be one of 'advance', 'arrears', ...
    """

    mode: BillingMode = attrs.field(default="arrears", validator=_check_mode)
    alignment: Alignment = attrs.field(default="anniversary", validator=_check_alignment)
    billing_period_months: int | None = attrs.field(default=None, validator=_check_months)
    billing_period_days: int | None = attrs.field(default=None, validator=_check_days)

    def __attrs_post_init__(self) -> None:
        if self.billing_period_months is not None and self.billing_period_days is not None:
            raise InvalidArgumentError(
                "give billing_period_months or billing_period_days, not both: got "
                f"billing_period_months={self.billing_period_months} and "
                f"billing_period_days={self.billing_period_days}"
            )
        if isinstance(self.alignment, BillingDay) and self.billing_period_days is not None:
            raise InvalidArgumentError(
                f"alignment {self.alignment!r} is a day of the month and needs monthly, "
                f"quarterly or yearly periods, got billing_period_days={self.billing_period_days}"
            )

    def months_for(self, service: Service) -> int:
        """The months per period of ``service`` under these terms (its own unless given)."""
        months = self.billing_period_months
        return service.billing_period_months if months is None else months


def check_service_periods(terms: BillingTerms, services: Iterable[Service]) -> None:
    """Raise unless every service's ``billing_period_months`` fits ``terms``.

    The field path of the first service that does not fit is in the message
    (``services[1].billing_period_months``).
    """
    if terms.billing_period_days is not None:
        return
    months = terms.billing_period_months
    calendar = terms.alignment == "calendar"
    for index, service in enumerate(services):
        own = service.billing_period_months
        if months is not None and own != months:
            raise InvalidArgumentError(
                f"services[{index}].billing_period_months must be {months} "
                f"(billing.billing_period_months), got {own}"
            )
        if calendar and own not in _MONTHS:
            raise InvalidArgumentError(
                f"services[{index}].billing_period_months must be 1, 3 or 12 with calendar "
                f"alignment (calendar months, quarters or years), got {own}"
            )


# Period math ----------------------------------------------------------------


def _month_start(index: int) -> date:
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, 1)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _on_day(index: int, day: int) -> date:
    """Day ``day`` of month ``index``, clamped to the month's last day."""
    if day <= 28:
        year, month0 = divmod(index, 12)
        return date(year, month0 + 1, day)
    last = _month_start(index + 1) - _ONE_DAY
    return last if last.day <= day else last.replace(day=day)


def _period_starts(alignment: Alignment, start: date, months: int) -> Callable[[int], date]:
    """The first day of period ``k`` of a service starting on ``start``, for any ``k``.

    Computed from the anchor every time, so periods never drift. Period 0 is
    the one holding ``start`` (for a billing day after the start, the one the
    first stub is part of).
    """
    if alignment == "anniversary":
        return lambda k: add_months(start, k * months)
    if alignment == "calendar":
        base = _month_index(start) // months * months
        return lambda k: _month_start(base + k * months)
    assert isinstance(alignment, BillingDay)  # checked by BillingTerms
    day = alignment.day
    bill = _month_index(start)  # the month of the first billing day on or after the start
    if _on_day(bill, day) < start:
        bill += 1
    if _on_day(bill, day) != start:
        bill -= months  # period 0 is the stub's: it began on the billing day before the start
    return lambda k: _on_day(bill + k * months, day)


def full_periods(terms: BillingTerms, service: Service, from_day: date) -> Iterator[Period]:
    """Yield the full billing periods of ``service`` in order, from the one holding ``from_day``.

    ``from_day`` is on or after the service's start. The periods are whole:
    cutting the first and last at the service's life (the stubs) is the
    caller's business.

    >>> from contractcore.money import Money
    >>> svc = Service(id="s", product_id="p", unit_price=Money("10", "USD"),
    ...               start_date=date(2026, 4, 30))
    >>> periods = full_periods(BillingTerms(alignment=BillingDay(31)), svc, date(2026, 4, 30))
    >>> [(p.first.isoformat(), p.last.isoformat()) for p in (next(periods), next(periods))]
    [('2026-04-30', '2026-05-30'), ('2026-05-31', '2026-06-29')]
    """
    start = service.start_date
    if terms.billing_period_days is not None:
        monday = start - timedelta(days=start.weekday())
        anchor = start if terms.alignment == "anniversary" else monday
        first = anchor + timedelta(days=(from_day - anchor).days // _WEEK * _WEEK)
        while True:
            following = first + timedelta(days=_WEEK)
            yield Period(first, following - _ONE_DAY)
            first = following
    months = terms.months_for(service)
    first_of = _period_starts(terms.alignment, start, months)
    # Jump close to the period holding from_day, then step to it.
    k = (_month_index(from_day) - _month_index(start)) // months
    while first_of(k) > from_day:
        k -= 1
    while first_of(k + 1) <= from_day:
        k += 1
    first = first_of(k)
    while True:
        k += 1
        following = first_of(k)
        yield Period(first, following - _ONE_DAY)
        first = following
