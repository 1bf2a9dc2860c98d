"""A service's history: every change of its price or quantity, effective-dated, with its cause."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypeAlias

import attrs

from contractcore.money import Money
from contractcore.pricing._checks import at_least, calendar_date, instance_of

__all__ = [
    "AmendmentCause",
    "Cause",
    "Change",
    "PriceChange",
    "QuantityChange",
    "RenewalCause",
    "ScheduleCause",
]


@attrs.frozen(kw_only=True, cache_hash=True)
class ScheduleCause:
    """A change made by one event of the contract's own update schedules.

    Attributes:
        schedule: The schedule's position in the contract's ``schedules`` when it applied.
        event: The event's position in that schedule.
        name: The schedule's name (its label for people) when it applied.

    >>> ScheduleCause(schedule=0, event=1, name="Yearly uplift").describe()
    "schedule 'Yearly uplift' event 1"
    """

    schedule: int = attrs.field(validator=at_least(0))
    event: int = attrs.field(validator=at_least(0))
    name: str = attrs.field(default="", validator=instance_of(str))

    def describe(self) -> str:
        """A short label for people."""
        label = repr(self.name) if self.name else f"#{self.schedule}"
        return f"schedule {label} event {self.event}"


@attrs.frozen(kw_only=True, cache_hash=True)
class AmendmentCause:
    """A dated change made by a person (a corrected price, a new quantity).

    Attributes:
        reason: Why, as the person gave it.

    >>> AmendmentCause(reason="price corrected").describe()
    'amendment: price corrected'
    """

    reason: str = attrs.field(validator=instance_of(str))

    def describe(self) -> str:
        """A short label for people."""
        return f"amendment: {self.reason}"


@attrs.frozen(kw_only=True, cache_hash=True)
class RenewalCause:
    """A change made by an ending term's event that a renewal carried over to its date.

    Attributes:
        schedule: The carried schedule's position in the contract's ``schedules``.
        event: The event's position in it.
        name: The name of the schedule the event came from.

    >>> RenewalCause(schedule=0, event=0, name="Uplift").describe()
    "renewal carry-over of 'Uplift' event 0"
    """

    schedule: int = attrs.field(validator=at_least(0))
    event: int = attrs.field(validator=at_least(0))
    name: str = attrs.field(default="", validator=instance_of(str))

    def describe(self) -> str:
        """A short label for people."""
        label = repr(self.name) if self.name else f"#{self.schedule}"
        return f"renewal carry-over of {label} event {self.event}"


Cause: TypeAlias = ScheduleCause | AmendmentCause | RenewalCause
"""Why a service's price or quantity changed."""


def _show_decimal(value: Decimal) -> str:
    return f"{value.normalize():f}"


@attrs.frozen(kw_only=True)
class PriceChange:
    """The service's unit price changed on ``on`` (the first day of the new price).

    Attributes:
        on: The day the change takes effect.
        before: The unit price until the day before.
        after: The unit price from ``on``.
        cause: Why it changed.

    >>> change = PriceChange(on=date(2026, 7, 1), before=Money("100", "USD"),
    ...                      after=Money("110", "USD"), cause=AmendmentCause(reason="uplift"))
    >>> change.describe()
    '2026-07-01 price USD 100.00 -> USD 110.00 (amendment: uplift)'
    """

    on: date = attrs.field(validator=calendar_date)
    before: Money = attrs.field(validator=instance_of(Money))
    after: Money = attrs.field(validator=instance_of(Money))
    cause: Cause = attrs.field(validator=instance_of(ScheduleCause, AmendmentCause, RenewalCause))

    @property
    def action(self) -> str:
        """``"price"``."""
        return "price"

    def describe(self) -> str:
        """A one-line description for people."""
        return (
            f"{self.on.isoformat()} price {self.before.format(exact=True)} -> "
            f"{self.after.format(exact=True)} ({self.cause.describe()})"
        )


@attrs.frozen(kw_only=True)
class QuantityChange:
    """The service's quantity changed on ``on`` (the first day of the new quantity).

    Attributes:
        on: The day the change takes effect.
        before: The quantity until the day before.
        after: The quantity from ``on``.
        cause: Why it changed.

    >>> change = QuantityChange(on=date(2026, 3, 16), before=Decimal(20), after=Decimal(25),
    ...                         cause=AmendmentCause(reason="5 seats added"))
    >>> change.describe()
    '2026-03-16 quantity 20 -> 25 (amendment: 5 seats added)'
    """

    on: date = attrs.field(validator=calendar_date)
    before: Decimal = attrs.field(validator=instance_of(Decimal))
    after: Decimal = attrs.field(validator=instance_of(Decimal))
    cause: Cause = attrs.field(validator=instance_of(ScheduleCause, AmendmentCause, RenewalCause))

    @property
    def action(self) -> str:
        """``"quantity"``."""
        return "quantity"

    def describe(self) -> str:
        """A one-line description for people."""
        return (
            f"{self.on.isoformat()} quantity {_show_decimal(self.before)} -> "
            f"{_show_decimal(self.after)} ({self.cause.describe()})"
        )


Change: TypeAlias = PriceChange | QuantityChange
"""One entry of a service's history."""


def _setters(cls: type) -> tuple[object, ...]:
    return tuple(cls.__dict__[name].__set__ for name in ("on", "before", "after", "cause"))


_PRICE_SETTERS = _setters(PriceChange)
_QUANTITY_SETTERS = _setters(QuantityChange)


def _unchecked(cls: type, setters: tuple[object, ...], values: tuple[object, ...]) -> object:
    new: object = object.__new__(cls)
    for setter, value in zip(setters, values, strict=True):
        setter(new, value)  # type: ignore[operator]
    return new


def applied_price_change(on: date, before: Money, after: Money, cause: Cause) -> PriceChange:
    """A :class:`PriceChange` from values already checked, skipping validation.

    Only the schedule application calls it (one per applied event of an
    invoice run); a test compares the result with the validating constructor.
    """
    return _unchecked(PriceChange, _PRICE_SETTERS, (on, before, after, cause))  # type: ignore[return-value]


def applied_quantity_change(
    on: date, before: Decimal, after: Decimal, cause: Cause
) -> QuantityChange:
    """A :class:`QuantityChange` from values already checked, skipping validation."""
    return _unchecked(QuantityChange, _QUANTITY_SETTERS, (on, before, after, cause))  # type: ignore[return-value]
