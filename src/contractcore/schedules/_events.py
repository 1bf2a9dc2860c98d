"""Service update schedules as data: when an event happens, what it changes, by how much."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Final, Literal, TypeAlias

import attrs

from contractcore.errors import InvalidArgumentError
from contractcore.money import Money, to_decimal
from contractcore.pricing._checks import calendar_date, instance_of, one_of

__all__ = [
    "CONTRACT_START",
    "PRICE",
    "QUANTITY",
    "SERVICE_START",
    "Action",
    "After",
    "Anchor",
    "AtRenewal",
    "Delta",
    "On",
    "Percent",
    "Schedule",
    "ScheduleOrigin",
    "ScheduleTemplate",
    "SetTo",
    "UpdateEvent",
    "Value",
    "When",
]

Anchor: TypeAlias = Literal["service_start", "contract_start"]
"""What a relative event counts from."""
SERVICE_START: Final = "service_start"
"""Count a relative event from the service's start date."""
CONTRACT_START: Final = "contract_start"
"""Count a relative event from the contract's start date."""

Action: TypeAlias = Literal["price", "quantity"]
"""What an update event changes."""
PRICE: Final = "price"
"""Change the service's unit price."""
QUANTITY: Final = "quantity"
"""Change the service's quantity."""


@attrs.frozen
class On:
    """An event on a fixed calendar date.

    >>> On(dt.date(2026, 7, 1)).date
    datetime.date(2026, 7, 1)
    """

    date: dt.date = attrs.field(validator=calendar_date)


def _optional_count(
    _instance: object, attribute: attrs.Attribute[int | None], value: object
) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(f"{attribute.name} must be an int >= 0, got {value!r}")


@attrs.frozen(kw_only=True, cache_hash=True)
class After:
    """An event a number of days or months after the service or contract start.

    The date is computed from the anchor every time, never by adding to the
    previous event's date: from January 31, ``After(months=1)``,
    ``After(months=2)``, ``After(months=3)`` fall on Feb 28, Mar 31 and Apr 30.
    If the anchor moves (a service starts late), the event moves with it.

    Attributes:
        days: Days after the anchor (give exactly one of ``days`` and ``months``).
        months: Calendar months after the anchor (clamped to the month's last day).
        from_: :data:`SERVICE_START` (default) or :data:`CONTRACT_START`.

    >>> After(months=6, from_=CONTRACT_START).months
    6
    """

    days: int | None = attrs.field(default=None, validator=_optional_count)
    months: int | None = attrs.field(default=None, validator=_optional_count)
    from_: Anchor = attrs.field(
        default=SERVICE_START, validator=one_of((SERVICE_START, CONTRACT_START))
    )

    def __attrs_post_init__(self) -> None:
        if (self.days is None) == (self.months is None):
            raise InvalidArgumentError(
                f"After needs exactly one of days or months, got days={self.days!r}, "
                f"months={self.months!r}"
            )


@attrs.frozen
class AtRenewal:
    """An event on the first day of the contract's renewal term (the day after its end).

    Only auto-renewing contracts with an end date renew; for others, and for a
    canceled or completed contract, the event never happens.
    """


When: TypeAlias = On | After | AtRenewal
"""When an update event happens."""


def _number(value: Money | Decimal | int | str) -> Money | Decimal:
    return value if isinstance(value, Money) else to_decimal(value, "value")


@attrs.frozen
class SetTo:
    """Set the price or quantity to ``value``.

    For a price, ``value`` is a :class:`~contractcore.money.Money` in the
    service's currency, or a bare number meaning the service's currency
    (handy in templates shared across currencies).
    """

    value: Money | Decimal = attrs.field(converter=_number)


@attrs.frozen
class Delta:
    """Add ``amount`` (negative to decrease) to the current price or quantity."""

    amount: Money | Decimal = attrs.field(converter=_number)


def _percent(value: Decimal | int | str) -> Decimal:
    percent = to_decimal(value, "percent")
    if percent < -100:
        raise InvalidArgumentError(
            f"percent must be >= -100 (a value cannot go below 0), got {percent}"
        )
    return percent


@attrs.frozen
class Percent:
    """Change the current price or quantity by ``percent`` (``10`` is +10 %, ``-5`` is -5 %).

    The percentage applies to the value current when the event is applied,
    so a correction made to the price before the event is respected.
    """

    percent: Decimal = attrs.field(converter=_percent)


Value: TypeAlias = SetTo | Delta | Percent
"""How an update event changes its target."""


def _check_value(instance: UpdateEvent, _attribute: object, value: Value) -> None:
    if not isinstance(value, SetTo | Delta | Percent):
        raise InvalidArgumentError(f"value must be SetTo, Delta or Percent, got {value!r}")
    if instance.action == QUANTITY and isinstance(value, SetTo | Delta):
        number = value.value if isinstance(value, SetTo) else value.amount
        if isinstance(number, Money):
            raise InvalidArgumentError(f"a quantity change needs a number, got {number!r}")


@attrs.frozen(cache_hash=True)
class UpdateEvent:
    """One scheduled change to a service: when, what (price or quantity), and how.

    Attributes:
        when: :class:`On`, :class:`After` or :class:`AtRenewal`.
        action: :data:`PRICE` or :data:`QUANTITY`.
        value: :class:`SetTo`, :class:`Delta` or :class:`Percent`.

    >>> UpdateEvent(After(months=6), PRICE, Percent(10)).value
    Percent(percent=Decimal('10'))
    """

    when: When = attrs.field(validator=instance_of(On, After, AtRenewal))
    action: Action = attrs.field(validator=one_of((PRICE, QUANTITY)))
    value: Value = attrs.field(validator=_check_value)


def _events(value: Iterable[UpdateEvent]) -> tuple[UpdateEvent, ...]:
    if not isinstance(value, Iterable):
        raise InvalidArgumentError(f"events must be a sequence of UpdateEvent, got {value!r}")
    events = tuple(value)
    for event in events:
        if not isinstance(event, UpdateEvent):
            raise InvalidArgumentError(f"events must be UpdateEvent objects, got {event!r}")
    return events


def _targets(value: Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    # A lone str is iterable too: "s-1" would silently target "s", "-" and "1".
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidArgumentError(
            f"targets must be a collection of service ids or None, got {value!r}"
        )
    targets = frozenset(value)
    for target in targets:
        if not isinstance(target, str):
            raise InvalidArgumentError(f"targets must hold service ids (str), got {target!r}")
    return targets


ScheduleOrigin: TypeAlias = Literal["schedule", "renewal", "amendment"]
"""Who made a schedule: the contract's terms, a renewal's carry-over, or an amendment."""
_ORIGINS = ("schedule", "renewal", "amendment")


@attrs.frozen(kw_only=True, cache_hash=True)
class Schedule:
    """A group of update events applied to all of a contract's services or listed ones.

    Attributes:
        events: The events, in the order they are applied when two fall on the same day.
        targets: Service ids the schedule applies to; ``None`` (default) means every
            service of the contract.
        name: A label for people.
        origin: Who made it: ``"schedule"`` (the contract's own terms, the
            default), ``"renewal"`` (an ending term's event pinned to its date
            by :func:`~contractcore.contracts.renew`) or ``"amendment"`` (a
            dated change made by a person). Pinned schedules (every origin but
            ``"schedule"``) are bookkeeping: templates never carry them.

    >>> s = Schedule(events=[UpdateEvent(On(dt.date(2027, 1, 1)), PRICE, Percent(3))])
    >>> s.targets is None, len(s.events)
    (True, 1)
    """

    events: tuple[UpdateEvent, ...] = attrs.field(converter=_events)
    targets: frozenset[str] | None = attrs.field(default=None, converter=_targets)
    name: str = attrs.field(default="", validator=instance_of(str))
    origin: ScheduleOrigin = attrs.field(default="schedule", validator=one_of(_ORIGINS))

    @property
    def pinned(self) -> bool:
        """Whether this schedule is bookkeeping (a renewal carry-over or an amendment)."""
        return self.origin != "schedule"

    def applies_to(self, service_id: str) -> bool:
        """Return whether the schedule targets the service with this id."""
        return self.targets is None or service_id in self.targets


def _schedules(value: Iterable[Schedule]) -> tuple[Schedule, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ScheduleTemplate:
    """Named, reusable schedules to import into contracts.

    >>> uplift = Schedule(events=[UpdateEvent(After(months=12), PRICE, Percent(3))])
    >>> template = ScheduleTemplate(name="Yearly 3 % uplift", schedules=[uplift])
    >>> template.schedules == (uplift,)
    True
    """

    name: str = attrs.field(validator=instance_of(str))
    schedules: tuple[Schedule, ...] = attrs.field(converter=_schedules)
