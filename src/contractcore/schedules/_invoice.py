"""An invoice run: apply the schedules to each service and charge its period."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Literal, NamedTuple, TypeAlias

import attrs

from contractcore.errors import CurrencyMismatchError, InvalidArgumentError
from contractcore.money import _ADD, _MINUS, _MULTIPLY, _SCALEB, Money, _new, minor_unit
from contractcore.pricing import Period, Service
from contractcore.pricing._service import state_on
from contractcore.schedules._apply import (
    AppliedEvent,
    _apply_plan,
    _fields_documented_by_class,
    _plan,
)
from contractcore.schedules._terms import ScheduleTerms

__all__ = ["InvoiceLine", "InvoiceRun", "LinePart", "MidPeriodChanges", "invoice_run"]

MidPeriodChanges: TypeAlias = Literal["whole_period", "prorate"]
"""How an invoice line prices a change dated inside its period (a contract's term).

``"whole_period"`` (the default): the values in force on the period's last day
price the whole period. ``"prorate"``: the line is split at each change date
and each part prorated by day.
"""

_ONE_DAY = timedelta(days=1)


def _show_quantity(value: Decimal) -> str:
    return f"{value.normalize():f}"


class LinePart(NamedTuple):
    """A run of days of an invoice line charged at one unit price and quantity.

    A result record (a ``NamedTuple``: an invoice run makes one or more per line).

    Attributes:
        first: The part's first day.
        last: The part's last day.
        unit_price: The unit price in force on those days.
        quantity: The quantity in force on those days.
        days: The number of days, ``first`` and ``last`` included.
        amount: The part's share, not rounded: ``unit_price * quantity * days /
            period_days`` (exact when the part spans the whole period, else to
            ``Money``'s quotient precision). The line's amount is rounded once
            from the exact sum of the parts, so it need not equal the sum of
            the parts' amounts rounded one by one.

    >>> from datetime import date
    >>> part = LinePart.for_days(date(2026, 3, 16), date(2026, 3, 31), Money("49.50", "USD"),
    ...                          Decimal(25), period_days=31)
    >>> part.describe(31), part.days, part.amount.rounded()
    ('2026-03-16..2026-03-31 16/31 days 25 x USD 49.50', 16, Money('638.71', 'USD'))
    """

    first: date
    last: date
    unit_price: Money
    quantity: Decimal
    days: int
    amount: Money

    @classmethod
    def for_days(
        cls, first: date, last: date, unit_price: Money, quantity: Decimal, period_days: int
    ) -> LinePart:
        """The part charging ``[first, last]`` at these values, its share of ``period_days``."""
        days = (last - first).days + 1
        amount = _new(_MULTIPLY(unit_price.amount, quantity), unit_price.currency)
        if days != period_days:
            amount = amount * days / period_days
        return cls(first, last, unit_price, quantity, days, amount)

    def describe(self, period_days: int) -> str:
        """One line for people: the days, out of ``period_days``, then quantity and price."""
        return (
            f"{self.first.isoformat()}..{self.last.isoformat()} {self.days}/{period_days} days "
            f"{_show_quantity(self.quantity)} x {self.unit_price.format(exact=True)}"
        )


_fields_documented_by_class(LinePart)


class InvoiceLine(NamedTuple):
    """A recurring-charge line of an invoice run, with its schedule breakdown.

    A result record (a ``NamedTuple``, cheap to build: a run makes one per service).

    Attributes:
        service_id: The service charged.
        product_id: Its product.
        description: The service's description.
        period: The invoice period.
        unit_price: The unit price charged (scheduled changes applied): the
            one in force on the period's last day, or with
            ``mid_period_changes="prorate"`` on the last day charged.
        quantity: The quantity charged, read on the same day as ``unit_price``.
        amount: ``unit_price * quantity * days / period_days`` (each part's
            values for its own days when the line is split), rounded half-up once.
        changes: The scheduled events applied for this period, with values before and after.
        days: The days charged: those the service and the contract cover in
            the period. ``0`` in a line built without it (it reads as the
            whole period); :func:`invoice_run` always states it.
        period_days: The period's days, what ``days`` counts out of (``0``
            when not stated, as ``days``).
        parts: The dated parts of the charged days, each at the values in
            force on it: one part, or with ``mid_period_changes="prorate"`` one
            per change inside the days charged, plus one. Empty in a line
            built without them (and in lines stored before parts existed).
    """

    service_id: str
    product_id: str
    description: str
    period: Period
    unit_price: Money
    quantity: Decimal
    amount: Money
    changes: tuple[AppliedEvent, ...]
    days: int = 0
    period_days: int = 0
    parts: tuple[LinePart, ...] = ()

    def describe(self) -> str:
        """The line for people: its days out of the period's, and how the amount comes out.

        One line when the line has one part (or none); a line split at
        mid-period changes gives its days and amount, then one indented line
        per part.

        >>> from datetime import date
        >>> from contractcore.pricing import Period
        >>> price = Money("49.50", "USD")
        >>> march = Period(date(2026, 3, 1), date(2026, 3, 31))
        >>> line = InvoiceLine("s-1", "seat", "Seats", march, price, Decimal(20),
        ...                    Money("990.00", "USD"), (), days=31, period_days=31)
        >>> line.describe()
        '2026-03-01..2026-03-31 31/31 days 20 x USD 49.50 = USD 990.00'
        """
        period_days = self.period_days or self.period.days
        days = self.days or period_days
        parts = self.parts
        if parts:
            first, last = parts[0].first, parts[-1].last
        else:
            first, last = self.period.first, self.period.last
        head = f"{first.isoformat()}..{last.isoformat()} {days}/{period_days} days"
        if len(parts) <= 1:
            return (
                f"{head} {_show_quantity(self.quantity)} x "
                f"{self.unit_price.format(exact=True)} = {self.amount.format()}"
            )
        lines = [f"{head} in {len(parts)} parts = {self.amount.format()}"]
        lines.extend(f"  {part.describe(period_days)}" for part in parts)
        return "\n".join(lines)


_fields_documented_by_class(InvoiceLine)


def _share(numerator: Decimal, days: int, currency: str) -> Money:
    """``numerator / days`` computed exactly, rounded half-up (away from zero) once."""
    places = minor_unit(currency)
    exact = Fraction(numerator) * 10**places / days
    units = math.floor(abs(exact) + Fraction(1, 2))
    amount = _SCALEB(Decimal(units), -places)  # exact, whatever the caller's context
    return _new(_MINUS(amount) if exact < 0 else amount, currency)


def _prorated_parts(
    service: Service, first: date, last: date, days: int
) -> tuple[tuple[LinePart, ...], Money]:
    """Split ``[first, last]`` at each change of ``service``'s history inside it.

    Returns the parts and the line's amount: the exact sum of every part's
    ``price * quantity * days``, divided once by the period's ``days`` and
    rounded once.
    """
    cuts: list[date] = []
    for change in reversed(service.history):  # in date order: read back from the end
        on = change.on
        if on <= first:
            break
        if on <= last and (not cuts or cuts[-1] != on):
            cuts.append(on)
    cuts.reverse()
    starts = [first, *cuts]
    ends = [cut - _ONE_DAY for cut in cuts]
    ends.append(last)
    parts = []
    numerator = Decimal(0)
    for start, end in zip(starts, ends, strict=True):
        price, quantity = state_on(service, start)
        part = LinePart.for_days(start, end, price, quantity, days)
        numerator = _ADD(numerator, _MULTIPLY(_MULTIPLY(price.amount, quantity), part.days))
        parts.append(part)
    if len(parts) == 1 and parts[0].days == days:
        return tuple(parts), parts[0].amount.rounded()
    return tuple(parts), _share(numerator, days, service.unit_price.currency)


@attrs.frozen(kw_only=True)
class InvoiceRun:
    """The outcome of :func:`invoice_run`: the lines and the services to store.

    Store ``services`` together with the invoice (one transaction): their
    watermarks moved.

    Attributes:
        period: The invoice period.
        lines: One line per service active in the period.
        services: Every service given, updated where it was invoiced.
    """

    period: Period
    lines: tuple[InvoiceLine, ...]
    services: tuple[Service, ...]

    @property
    def total(self) -> Money | None:
        """The sum of the lines (already rounded each), or ``None`` without lines."""
        if not self.lines:
            return None
        return Money.total((line.amount for line in self.lines), self.lines[0].amount.currency)


def _chargeable(period: Period, within: Period | None) -> tuple[date, date]:
    """The days that may be charged: the period's, or the stub of it asked for."""
    if within is None:
        return period.first, period.last
    if not isinstance(within, Period) or period.overlap(within) != within:
        raise InvalidArgumentError(
            f"within must be a Period inside the period {period}, got {within!r}"
        )
    return within.first, within.last


def invoice_run(
    contract: ScheduleTerms,
    period: Period,
    services: Iterable[Service] | None = None,
    *,
    within: Period | None = None,
) -> InvoiceRun:
    """Invoice the contract's services for one billing ``period``.

    Each service active in the period gets its due scheduled events applied
    (:func:`apply_schedules`) and one line charging ``unit_price * quantity``
    for the period, prorated by day if the service starts or ends inside it,
    or the contract does (recurring billing stops at the contract's end or
    cancellation date, even for a service that outlives it, and does not
    start before :attr:`~contractcore.contracts.Contract.covered_from`),
    rounded once. It bills exactly the days
    :func:`~contractcore.contracts.billable_period` allows: nothing for a
    pending contract (nor is any watermark moved), nor for a completed
    open-ended one. Services not active in the period are returned unchanged
    and get no line. Run it again for the same period: the prices do not move.
    A period the service was already invoiced through (its ``applied_up_to``
    is on or after the period's last day) is priced from the service's
    history, so previewing any past period gives the figures it was first
    invoiced with.
    It charges one period per call whatever a service's
    ``billing_period_months``: pass ``services`` to invoice only those due.

    Every line states the days it charges out of the period's days
    (``days``, ``period_days``) and its dated ``parts``. A change of price
    or quantity dated inside the period (in the service's history: applied
    by this run or, for a past period, before) is priced by the contract's
    ``mid_period_changes``: ``"whole_period"`` (the default) charges the
    values in force on the period's last day for every day charged, in one
    part; ``"prorate"`` splits the days charged at each change date, prices
    each part with the values in force on its first day, and charges the
    exact sum of ``price * quantity * days`` divided once by the period's
    days, rounded once. The line's ``unit_price`` and ``quantity`` are then
    those of the last day charged.

    Args:
        contract: The contract (its schedules apply).
        period: The billing period being invoiced, inclusive.
        services: The services to invoice; defaults to ``contract.services``.
        within: Charge only these days of ``period`` (a stub of it, such as a
            :class:`DuePeriod`'s ``period`` inside its ``full`` period), still
            prorated out of the whole ``period``'s days; the line keeps
            ``period``.

    Raises:
        CurrencyMismatchError: A service is not priced in the contract's
            ``currency`` (checked for every service given, active or not).
        InvalidArgumentError: ``within`` is not inside ``period``.

    >>> from datetime import date
    >>> from contractcore.contracts import Contract
    >>> from contractcore.money import Money
    >>> from contractcore.pricing import Service
    >>> from contractcore.pricing import Period
    >>> seats = Service(id="s-1", product_id="seat", unit_price=Money("12.50", "USD"),
    ...                 quantity=10, start_date=date(2026, 1, 1))
    >>> contract = Contract(id="c-1", number="CT-1", customer_id="42", name="Office",
    ...                     status="active", start_date=date(2026, 1, 1), term_months=12,
    ...                     services=(seats,))
    >>> run = invoice_run(contract, Period(date(2026, 3, 1), date(2026, 3, 31)))
    >>> str(run.total), run.services[0].applied_up_to
    ('USD 125.00', datetime.date(2026, 3, 31))
    >>> run.lines[0].describe()
    '2026-03-01..2026-03-31 31/31 days 10 x USD 12.50 = USD 125.00'
    """
    if not isinstance(period, Period):
        raise InvalidArgumentError(f"period must be a Period, got {period!r}")
    given = tuple(contract.services if services is None else services)
    lines = []
    updated = []
    last_day, days = period.last, period.days
    from_day, to_day = _chargeable(period, within)
    # Recurring billing stops where the contract stops covering (its end or
    # cancellation date), even for a service that outlives it.
    covered_from, covered_to = contract.covered_from, contract.last_covered_day
    # As ``contracts.billable_period``: a pending contract bills nothing, nor does
    # a completed one with no known last day.
    status = contract.status
    bills = status != "pending" and not (status == "completed" and covered_to is None)
    currency = contract.currency
    plan = _plan(contract)  # once for all the services
    prorate = contract.mid_period_changes == "prorate"
    for service in given:
        if not isinstance(service, Service):
            raise InvalidArgumentError(f"services must hold Service values, got {service!r}")
        if service.unit_price.currency != currency:
            raise CurrencyMismatchError(
                f"service {service.id!r} is priced in {service.unit_price.currency}, "
                f"contract {contract.id!r} bills in {currency}"
            )
        start = service.start_date
        # The days charged: the service's, within the contract's and the period's.
        first = max(start, covered_from, from_day)
        end = service.end_date
        last = to_day if end is None else min(end, to_day)
        if covered_to is not None:
            last = min(last, covered_to)
        if first > last or not bills:
            updated.append(service)
            continue
        # A service never invoiced catches up every event since its start.
        new, changes = _apply_plan(plan, service, period)
        charged = (last - first).days + 1
        if prorate:
            parts, amount = _prorated_parts(new, first, last, days)
            price, quantity = parts[-1].unit_price, parts[-1].quantity
        else:
            if new is service:
                # Already invoiced through the period: its price then is in the history.
                price, quantity = state_on(service, last_day)
            else:
                price, quantity = new.unit_price, new.quantity
            # LinePart.for_days, inlined: this is the hot path of invoice runs.
            charge = _new(_MULTIPLY(price.amount, quantity), price.currency)
            if charged != days:
                charge = charge * charged / days
            parts = (LinePart(first, last, price, quantity, charged, charge),)
            amount = charge.rounded()
        # Positional, in field order: keywords cost a tenth of the run here.
        lines.append(
            InvoiceLine(
                new.id,
                new.product_id,
                new.description,
                period,
                price,
                quantity,
                amount,
                changes,
                charged,
                days,
                parts,
            )
        )
        updated.append(new)
    return InvoiceRun(period=period, lines=tuple(lines), services=tuple(updated))
