"""Amendments: dated changes to a contract's services made by a person, never edits of the past."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs

from contractcore.contracts import _validators as v
from contractcore.contracts._model import Contract
from contractcore.errors import ContractStateError, InvalidArgumentError
from contractcore.money import Money, to_decimal
from contractcore.pricing import Service
from contractcore.pricing._checks import check_day
from contractcore.schedules import PRICE, QUANTITY, On, Schedule, SetTo, UpdateEvent

__all__ = ["Amendment", "add_service", "amend", "end_service"]

_ONE_DAY = timedelta(days=1)


def _optional_quantity(value: Decimal | int | str | None) -> Decimal | None:
    return None if value is None else to_decimal(value, "quantity")


@attrs.frozen(kw_only=True)
class Amendment:
    """A dated change to one service's price or quantity, made by a person.

    It takes effect on ``on`` (the first day of the new values) and is kept
    in the service's history with its reason once an invoice run reaches
    that day. Days already invoiced are never changed: an amendment is dated
    after the service's watermark.

    Attributes:
        service_id: The service changed.
        on: The first day of the new values.
        reason: Why, for people (kept in the history as an ``AmendmentCause``).
        unit_price: The new unit price, or ``None`` to keep it.
        quantity: The new quantity, or ``None`` to keep it.

    >>> Amendment(service_id="s-1", on=date(2026, 3, 16), reason="5 seats added",
    ...           quantity=25).quantity
    Decimal('25')
    """

    service_id: str = attrs.field(validator=v.text)
    on: date = attrs.field(validator=v.calendar_date)
    reason: str = attrs.field(validator=v.text)
    unit_price: Money | None = attrs.field(default=None, validator=v.instance(Money, optional=True))
    quantity: Decimal | None = attrs.field(default=None, converter=_optional_quantity)

    def __attrs_post_init__(self) -> None:
        if self.unit_price is None and self.quantity is None:
            raise InvalidArgumentError(
                f"amendment of service {self.service_id!r} changes nothing: give unit_price "
                "or quantity"
            )
        if self.unit_price is not None and self.unit_price.amount < 0:
            raise InvalidArgumentError(f"unit_price must be >= 0, got {self.unit_price!r}")
        if self.quantity is not None and self.quantity < 0:
            raise InvalidArgumentError(f"quantity must be >= 0, got {self.quantity}")


def _service(contract: Contract, service_id: str) -> Service:
    for service in contract.services:
        if service.id == service_id:
            return service
    raise InvalidArgumentError(
        f"service_id {service_id!r} is not a service of contract {contract.number}"
    )


def _first_open_day(service: Service) -> date:
    """The first day of ``service`` not yet invoiced."""
    mark = service.applied_up_to
    if mark is None or mark < service.start_date:
        return service.start_date
    return mark + _ONE_DAY


def amend(contract: Contract, amendment: Amendment) -> Contract:
    """Return ``contract`` with ``amendment`` recorded, to take effect on its date.

    The amendment becomes a pinned schedule (``origin="amendment"``, named by
    its reason, targeting the one service, with ``SetTo`` events on its date)
    after the contract's schedules: invoice runs apply it with the scheduled
    events, in date order, and on the same day after them (the person's
    value wins), and the service's history keeps it with its reason, so
    invoices, timelines and penalties agree on it. Templates never carry it.

    Raises:
        InvalidArgumentError: The service is not on the contract, or the
            amendment's price is not in the contract's currency.
        ContractStateError: The amendment is dated on or before a day already
            invoiced, or before the service starts.

    >>> from contractcore.pricing import Period, Service
    >>> from contractcore.schedules import invoice_run
    >>> seats = Service(id="s-1", product_id="seat", unit_price=Money("49.50", "USD"),
    ...                 quantity=20, start_date=date(2026, 1, 1),
    ...                 applied_up_to=date(2026, 2, 28))
    >>> c = Contract(id="c-1", number="CT-1", customer_id="42", name="Office",
    ...              status="active", start_date=date(2026, 1, 1), term_months=12,
    ...              services=(seats,))
    >>> c = amend(c, Amendment(service_id="s-1", on=date(2026, 4, 1), reason="5 seats added",
    ...                        quantity=25))
    >>> run = invoice_run(c, Period(date(2026, 4, 1), date(2026, 4, 30)))
    >>> str(run.lines[0].amount), run.services[0].history[0].describe()
    ('USD 1,237.50', '2026-04-01 quantity 20 -> 25 (amendment: 5 seats added)')
    """
    if not isinstance(amendment, Amendment):
        raise InvalidArgumentError(f"amendment must be an Amendment, got {amendment!r}")
    service = _service(contract, amendment.service_id)
    open_from = _first_open_day(service)
    if amendment.on < open_from:
        if amendment.on < service.start_date:
            raise ContractStateError(
                f"cannot amend service {service.id!r} from {amendment.on}: it starts on "
                f"{service.start_date}"
            )
        raise ContractStateError(
            f"cannot amend service {service.id!r} from {amendment.on}: it is invoiced "
            f"through {service.applied_up_to}; an amendment changes days not yet invoiced "
            f"(from {open_from})"
        )
    events = []
    if amendment.unit_price is not None:
        events.append(UpdateEvent(On(amendment.on), PRICE, SetTo(amendment.unit_price)))
    if amendment.quantity is not None:
        events.append(UpdateEvent(On(amendment.on), QUANTITY, SetTo(amendment.quantity)))
    pinned = Schedule(
        events=events, targets={service.id}, name=amendment.reason, origin="amendment"
    )
    return attrs.evolve(contract, schedules=(*contract.schedules, pinned))


def add_service(contract: Contract, service: Service) -> Contract:
    """Return ``contract`` with a new service; it is billed from its own start date.

    Raises:
        InvalidArgumentError: A service with this id is already on the contract,
            or it is not priced in the contract's currency.

    >>> from contractcore.pricing import Service
    >>> c = Contract(id="c-1", number="CT-1", customer_id="42", name="Office",
    ...              start_date=date(2026, 1, 1), term_months=12)
    >>> backup = Service(id="s-9", product_id="backup", unit_price=Money("20", "USD"),
    ...                  start_date=date(2026, 5, 1))
    >>> [s.id for s in add_service(c, backup).services]
    ['s-9']
    """
    if not isinstance(service, Service):
        raise InvalidArgumentError(f"service must be a Service, got {service!r}")
    if any(existing.id == service.id for existing in contract.services):
        raise InvalidArgumentError(
            f"service id {service.id!r} is already on contract {contract.number}"
        )
    return attrs.evolve(contract, services=(*contract.services, service))


def end_service(contract: Contract, service_id: str, last_day: date) -> Contract:
    """Return ``contract`` with the service ending on ``last_day`` (the last day it is billed).

    The service stays on the contract with its history; invoice runs bill it
    up to ``last_day``, prorated by day.

    Raises:
        InvalidArgumentError: The service is not on the contract.
        ContractStateError: ``last_day`` is before the service's start, or before
            the last day already invoiced (that would need a credit, not an end).

    >>> from contractcore.pricing import Service
    >>> backup = Service(id="s-9", product_id="backup", unit_price=Money("20", "USD"),
    ...                  start_date=date(2026, 1, 1), applied_up_to=date(2026, 3, 31))
    >>> c = Contract(id="c-1", number="CT-1", customer_id="42", name="Office",
    ...              start_date=date(2026, 1, 1), term_months=12, services=(backup,))
    >>> end_service(c, "s-9", date(2026, 4, 15)).services[0].end_date
    datetime.date(2026, 4, 15)
    """
    check_day(last_day, "last_day")
    service = _service(contract, service_id)
    if last_day < service.start_date:
        raise ContractStateError(
            f"cannot end service {service.id!r} on {last_day}: it starts on {service.start_date}"
        )
    mark = service.applied_up_to
    if mark is not None and last_day < mark:
        raise ContractStateError(
            f"cannot end service {service.id!r} on {last_day}: it is invoiced through {mark}"
        )
    ended = attrs.evolve(service, end_date=last_day)
    return attrs.evolve(
        contract, services=tuple(ended if s.id == service_id else s for s in contract.services)
    )
