"""A recurring service sold under a contract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from contractcore.errors import InvalidArgumentError
from contractcore.money import Money, to_decimal
from contractcore.pricing._checks import (
    at_least,
    calendar_date,
    instance_of,
    optional_calendar_date,
)
from contractcore.pricing._history import Change, PriceChange, QuantityChange

__all__ = ["Service"]


def _quantity(value: Decimal | int | str) -> Decimal:
    return to_decimal(value, "quantity")


def _non_negative_quantity(_instance: object, _attribute: object, value: Decimal) -> None:
    if value < 0:
        raise InvalidArgumentError(f"quantity must be >= 0, got {value}")


def _non_negative_price(_instance: object, _attribute: object, value: Money) -> None:
    if value.amount < 0:
        raise InvalidArgumentError(f"unit_price must be >= 0, got {value!r}")


def _history(value: object) -> tuple[Change, ...]:
    if isinstance(value, tuple):
        return value
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise InvalidArgumentError(f"history must be a sequence of changes, got {value!r}")
    return tuple(value)


def _check_history(instance: Service, _attribute: object, value: tuple[Change, ...]) -> None:
    if not value:
        return
    mark = instance.applied_up_to
    previous: date | None = None
    for change in value:
        if not isinstance(change, (PriceChange, QuantityChange)):
            raise InvalidArgumentError(
                f"history of service {instance.id!r} must hold PriceChange or QuantityChange "
                f"values, got {change!r}"
            )
        if previous is not None and change.on < previous:
            raise InvalidArgumentError(
                f"history of service {instance.id!r} must be in date order: {change.on} "
                f"comes after {previous}"
            )
        previous = change.on
        if isinstance(change, PriceChange) and (
            change.before.currency != instance.unit_price.currency
            or change.after.currency != instance.unit_price.currency
        ):
            raise InvalidArgumentError(
                f"history of service {instance.id!r} holds a price change in another "
                f"currency than its unit_price {instance.unit_price.currency}: {change!r}"
            )
    if mark is None or (previous is not None and previous > mark):
        raise InvalidArgumentError(
            f"history of service {instance.id!r} holds a change on {previous}, after its "
            f"applied_up_to {mark}: the history holds applied changes only"
        )


def _end_after_start(instance: Service, _attribute: object, value: date | None) -> None:
    if value is not None and value < instance.start_date:
        raise InvalidArgumentError(
            f"end_date must be on or after start_date {instance.start_date}, got {value}"
        )


def _billed_after_start(instance: Service, _attribute: object, value: date | None) -> None:
    if value is not None and (instance.start_date - value).days > 1:
        raise InvalidArgumentError(
            f"billed_through must be on or after the day before start_date "
            f"{instance.start_date}, got {value}"
        )


@attrs.frozen(kw_only=True)
class Service:
    """A recurring service: a product billed every ``billing_period_months`` months.

    The recurring charge for one billing period is ``unit_price * quantity``.
    Billing periods are anchored on ``start_date``: period ``k`` starts
    ``k * billing_period_months`` months after it (computed from the start
    each time, so a service starting on the 31st bills from the 28th/30th/31st).

    Attributes:
        id: The host's id for the service.
        product_id: The product sold (what blocklists and overrides name).
        unit_price: Price of one unit for one billing period (``>= 0``, exact).
        quantity: Number of units (``Decimal``, ``>= 0``).
        billing_period_months: Months per billing period: 1 monthly, 3 quarterly, 12 yearly.
        start_date: First day the service is provided.
        end_date: Last day it is provided, or ``None`` while open-ended.
        applied_up_to: Watermark: scheduled update events dated on or before
            this day were already applied (``None``: none yet). See
            :func:`contractcore.schedules.apply_schedules`.
        billed_through: The last day invoiced (``None``: none yet), kept beside
            the watermark: :func:`contractcore.schedules.due_periods` lists
            the periods after it. The day before ``start_date`` also means
            nothing invoiced yet. :func:`~contractcore.schedules.invoice_run`
            does not move it (the caller invoicing a due period does).
        description: Free text for invoice lines.
        history: Every change of its price or quantity applied so far, in date
            order (:class:`PriceChange`, :class:`QuantityChange`, each with its
            cause): invoice runs append to it, nothing edits it. The
            ``unit_price`` and ``quantity`` fields are the values after the last
            change; :meth:`price_on` and :meth:`quantity_on` read any earlier day.

    >>> from datetime import date
    >>> svc = Service(id="s1", product_id="backup", unit_price=Money("20.00", "USD"),
    ...               quantity=3, start_date=date(2026, 1, 1))
    >>> svc.recurring_charge
    Money('60.00', 'USD')
    """

    id: str = attrs.field(validator=instance_of(str))
    product_id: str = attrs.field(validator=instance_of(str))
    unit_price: Money = attrs.field(validator=[instance_of(Money), _non_negative_price])
    quantity: Decimal = attrs.field(
        default=Decimal(1), converter=_quantity, validator=_non_negative_quantity
    )
    billing_period_months: int = attrs.field(default=1, validator=at_least(1))
    start_date: date = attrs.field(validator=calendar_date)
    end_date: date | None = attrs.field(
        default=None, validator=[optional_calendar_date, _end_after_start]
    )
    applied_up_to: date | None = attrs.field(default=None, validator=optional_calendar_date)
    billed_through: date | None = attrs.field(
        default=None, validator=[optional_calendar_date, _billed_after_start]
    )
    description: str = attrs.field(default="", validator=instance_of(str))
    history: tuple[Change, ...] = attrs.field(
        default=(), converter=_history, validator=_check_history
    )

    @property
    def currency(self) -> str:
        """The currency of the unit price."""
        return self.unit_price.currency

    @property
    def recurring_charge(self) -> Money:
        """The exact (unrounded) charge for one full billing period."""
        return self.unit_price * self.quantity

    def price_on(self, day: date) -> Money:
        """The unit price in force on ``day`` by the history (today's after the last change).

        >>> from contractcore.pricing import AmendmentCause, PriceChange
        >>> svc = Service(id="s1", product_id="backup", unit_price=Money("110", "USD"),
        ...               start_date=date(2026, 1, 1), applied_up_to=date(2026, 7, 31),
        ...               history=[PriceChange(on=date(2026, 7, 1), before=Money("100", "USD"),
        ...                                    after=Money("110", "USD"),
        ...                                    cause=AmendmentCause(reason="uplift"))])
        >>> str(svc.price_on(date(2026, 6, 30))), str(svc.price_on(date(2026, 7, 1)))
        ('USD 100.00', 'USD 110.00')
        """
        return state_on(self, day)[0]

    def quantity_on(self, day: date) -> Decimal:
        """The quantity in force on ``day`` by the history (today's after the last change)."""
        return state_on(self, day)[1]


def state_on(service: Service, day: date) -> tuple[Money, Decimal]:
    """The price and quantity in force on ``day`` by the service's history."""
    price, quantity = service.unit_price, service.quantity
    for change in reversed(service.history):
        if change.on <= day:
            break
        if isinstance(change, PriceChange):
            price = change.before
        else:
            quantity = change.before
    return price, quantity


# The slots' own setters: the cheapest way to fill a frozen, slotted instance.
_SLOT_SETTERS = tuple(
    Service.__dict__[name].__set__
    for name in (
        "id",
        "product_id",
        "unit_price",
        "quantity",
        "billing_period_months",
        "start_date",
        "end_date",
        "applied_up_to",
        "billed_through",
        "description",
        "history",
    )
)


def _with_schedule_state(
    service: Service,
    unit_price: Money,
    quantity: Decimal,
    applied_up_to: date,
    history: tuple[Change, ...] | None = None,
) -> Service:
    """Return a copy of ``service`` with new schedule-driven values, skipping validation.

    Only :func:`contractcore.schedules.apply_schedules` calls this, with values
    it has already checked (non-negative, same currency, a date): an invoice
    run builds one service per line, and re-validating every field through
    ``attrs.evolve`` doubled its cost. Every field is listed on purpose (a
    test compares the result with ``attrs.evolve``).
    """
    (
        set_id,
        set_product,
        set_price,
        set_quantity,
        set_months,
        set_start,
        set_end,
        set_mark,
        set_billed,
        set_text,
        set_history,
    ) = _SLOT_SETTERS
    new = object.__new__(Service)
    set_id(new, service.id)
    set_product(new, service.product_id)
    set_price(new, unit_price)
    set_quantity(new, quantity)
    set_months(new, service.billing_period_months)
    set_start(new, service.start_date)
    set_end(new, service.end_date)
    set_mark(new, applied_up_to)
    set_billed(new, service.billed_through)
    set_text(new, service.description)
    set_history(new, service.history if history is None else history)
    return new
