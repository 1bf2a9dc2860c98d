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

__all__ = ["Service"]


def _quantity(value: Decimal | int | str) -> Decimal:
    return to_decimal(value, "quantity")


def _non_negative_quantity(_instance: object, _attribute: object, value: Decimal) -> None:
    if value < 0:
        raise InvalidArgumentError(f"quantity must be >= 0, got {value}")


def _non_negative_price(_instance: object, _attribute: object, value: Money) -> None:
    if value.amount < 0:
        raise InvalidArgumentError(f"unit_price must be >= 0, got {value!r}")


def _end_after_start(instance: Service, _attribute: object, value: date | None) -> None:
    if value is not None and value < instance.start_date:
        raise InvalidArgumentError(
            f"end_date must be on or after start_date {instance.start_date}, got {value}"
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
        description: Free text for invoice lines.

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
    description: str = attrs.field(default="", validator=instance_of(str))

    @property
    def currency(self) -> str:
        """The currency of the unit price."""
        return self.unit_price.currency

    @property
    def recurring_charge(self) -> Money:
        """The exact (unrounded) charge for one full billing period."""
        return self.unit_price * self.quantity


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
        "description",
    )
)


def _with_schedule_state(
    service: Service, unit_price: Money, quantity: Decimal, applied_up_to: date
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
        set_text,
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
    set_text(new, service.description)
    return new
