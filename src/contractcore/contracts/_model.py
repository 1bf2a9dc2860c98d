"""The contract record and its parts: renewal options, reminders, attachments."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import date
from typing import Any, get_args

import attrs

from contractcore.contracts import _validators as v
from contractcore.contracts._dates import ONE_DAY, term_end
from contractcore.errors import InvalidArgumentError
from contractcore.money import Money
from contractcore.penalties import (
    FixedPenalty,
    NoPenalty,
    Penalty,
    RemainingPercentPenalty,
    TotalPercentPenalty,
)
from contractcore.pricing import BillingTerms, PriceOverride, Service
from contractcore.pricing._billing import check_service_periods
from contractcore.schedules import Delta, MidPeriodChanges, Schedule, SetTo

__all__ = [
    "Attachment",
    "Contract",
    "ContractKind",
    "ContractStatus",
    "Reminder",
    "RenewalOptions",
]


class ContractStatus(enum.StrEnum):
    """Where a contract stands; each member equals its lower-case string.

    >>> ContractStatus("active") is ContractStatus.ACTIVE, ContractStatus.ACTIVE == "active"
    (True, True)
    """

    PENDING = "pending"
    ACTIVE = "active"
    CANCELED = "canceled"
    COMPLETED = "completed"


class ContractKind(enum.StrEnum):
    """Whether a contract ends with its term (``fixed``) or renews (``auto_renew``)."""

    FIXED = "fixed"
    AUTO_RENEW = "auto_renew"


@attrs.frozen(kw_only=True)
class Reminder:
    """A dated note for someone on the team ("call the customer about renewal").

    Attributes:
        on: The day the reminder is due.
        text: What to do.
        assignee_id: The host's id of the person to remind, or None for the owner.

    >>> Reminder(on=date(2026, 11, 1), text="Call about renewal", assignee_id="tech-7").on
    datetime.date(2026, 11, 1)
    """

    on: date = attrs.field(validator=v.calendar_date)
    text: str = attrs.field(validator=v.text)
    assignee_id: str | None = attrs.field(default=None, validator=v.optional_text)


@attrs.frozen(kw_only=True)
class Attachment:
    """A reference to a file kept in the host's storage (a signed copy, say).

    contractcore never holds the bytes: ``storage_key`` is what the host needs
    to fetch them.

    >>> Attachment(name="signed.pdf", media_type="application/pdf", storage_key="s3://c/1").name
    'signed.pdf'
    """

    name: str = attrs.field(validator=v.text)
    media_type: str = attrs.field(validator=v.text)
    storage_key: str = attrs.field(validator=v.text)


@attrs.frozen(kw_only=True)
class RenewalOptions:
    """What an auto-renewing contract renews with (the "renewal contract").

    Attributes:
        term_months: Length of each renewal term, in months (>= 1).
        penalty: Early-termination penalty during the renewal terms.
        schedules: Service update schedules of the renewal terms; they replace
            the contract's schedules when it renews.

    >>> RenewalOptions(term_months=12).penalty
    NoPenalty()
    """

    term_months: int = attrs.field(validator=v.term_months)
    penalty: Penalty = attrs.field(factory=NoPenalty, validator=v.instance(*get_args(Penalty)))
    schedules: tuple[Schedule, ...] = attrs.field(default=(), validator=v.tuple_of(Schedule))


def _status(value: ContractStatus | str, name: str = "status") -> ContractStatus:
    try:
        return ContractStatus(value)
    except ValueError:
        allowed = ", ".join(s.value for s in ContractStatus)
        raise InvalidArgumentError(f"{name} must be one of {allowed}, got {value!r}") from None


def _prior_status(value: ContractStatus | str | None) -> ContractStatus | None:
    return None if value is None else _status(value, "status_before_cancellation")


# The statuses :func:`cancel` accepts, hence what ``status_before_cancellation`` may hold.
_CANCELABLE = (ContractStatus.PENDING, ContractStatus.ACTIVE)


def _kind(value: ContractKind | str) -> ContractKind:
    try:
        return ContractKind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in ContractKind)
        raise InvalidArgumentError(f"kind must be one of {allowed}, got {value!r}") from None


def _penalty_money(path: str, penalty: Penalty) -> Iterator[tuple[str, Money]]:
    if isinstance(penalty, FixedPenalty):
        yield f"{path}.amount", penalty.amount
    elif isinstance(penalty, RemainingPercentPenalty | TotalPercentPenalty):
        yield f"{path}.minimum", penalty.minimum


def _schedule_money(path: str, schedules: tuple[Schedule, ...]) -> Iterator[tuple[str, Money]]:
    for i, schedule in enumerate(schedules):
        for j, event in enumerate(schedule.events):
            value = event.value
            where = f"{path}[{i}].events[{j}].value"
            if isinstance(value, SetTo) and isinstance(value.value, Money):
                yield f"{where}.value", value.value
            elif isinstance(value, Delta) and isinstance(value.amount, Money):
                yield f"{where}.amount", value.amount


def terms_money(
    *,
    estimated_value: Money | None,
    services: tuple[Service, ...],
    price_overrides: tuple[PriceOverride, ...],
    schedules: tuple[Schedule, ...],
    penalty: Penalty,
    renewal: RenewalOptions | None,
) -> Iterator[tuple[str, Money]]:
    """Every amount a contract's (or a template's) terms hold, with its field path (DESIGN 5)."""
    if estimated_value is not None:
        yield "estimated_value", estimated_value
    for i, service in enumerate(services):
        yield f"services[{i}].unit_price", service.unit_price
    for i, price_override in enumerate(price_overrides):
        yield f"price_overrides[{i}].price", price_override.price
    yield from _schedule_money("schedules", schedules)
    yield from _penalty_money("penalty", penalty)
    if renewal is not None:
        yield from _penalty_money("renewal.penalty", renewal.penalty)
        yield from _schedule_money("renewal.schedules", renewal.schedules)


def _money(contract: Contract) -> Iterator[tuple[str, Money]]:
    """Every amount a contract holds, with its field path (DESIGN 5: one currency)."""
    return terms_money(
        estimated_value=contract.estimated_value,
        services=contract.services,
        price_overrides=contract.price_overrides,
        schedules=contract.schedules,
        penalty=contract.penalty,
        renewal=contract.renewal,
    )


def _likelihood(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise InvalidArgumentError(f"likelihood must be an int from 0 to 100, got {value!r}")


@attrs.frozen(kw_only=True)
class Contract:
    """A service contract with one customer: its dates, terms, people and prices.

    The term is given either as ``term_months`` (the end date is then derived:
    ``start_date + term_months - 1 day``) or as an explicit ``end_date``; with
    neither the contract is open-ended. Read the end date from
    :attr:`end_date` whichever way it was given.

    Attributes:
        id: The host's id of the contract.
        number: The contract number shown to people (see ``ContractNumbering``).
        customer_id: The host's id of the customer.
        name: A short title.
        status: ``pending``, ``active``, ``canceled`` or ``completed``
            (:class:`ContractStatus`; plain strings are accepted).
        kind: ``fixed`` (ends with its term) or ``auto_renew``.
        start_date: First day of the current term.
        term_months: Length of the current term in months, or None.
        renewal: Options an auto-renewing contract renews with. Required for
            ``auto_renew``.
        renewal_count: How many times the contract has renewed (0 for the first term).
        first_start_date: The first term's start date, kept by :func:`renew`
            (None: ``start_date``); see :attr:`covered_from`.
        estimated_value: Expected value of the deal, for sales people.
        likelihood: Likelihood to close, 0 to 100 (per cent).
        primary_contact_id: The host's id of the customer's contact person.
        description: What the contract is about.
        notes: Free text for the team.
        assigned_technician_id: The host's id of the technician in charge.
        sla_policy_id: SLA policy new tickets under this contract default to.
        apply_to_new_tickets: Put the customer's new tickets under this contract.
        reminders: Dated reminders for the team.
        attachments: References to files (signed copies) in the host's storage.
        cancellation_date: The last day a canceled contract covers; given
            exactly when ``status`` is ``canceled``, and not after the end date.
        status_before_cancellation: The status a canceled contract had when
            :func:`cancel` canceled it (``pending`` or ``active``), which
            :func:`revoke_cancellation` gives back; None when not canceled
            (or canceled by an older version: revoking then gives ``active``).
        created_on: The day the contract was recorded (for reports), if known.
        currency: ISO 4217 code of the contract's prices. Every amount the
            contract holds is in it: the services' unit prices, the price
            overrides, the penalty amounts (of the renewal options too), the
            schedules' ``SetTo``/``Delta`` amounts and the estimated value.
        services: The services sold under the contract.
        price_overrides: Contract prices that replace list prices.
        blocklist: Product ids that must not be sold to this customer.
        schedules: Service update schedules of the current term.
        penalty: Early-termination penalty of the current term.
        mid_period_changes: How an invoice line prices a change dated inside
            its period: ``"whole_period"`` (the default: the values in force on
            the period's last day price the whole period) or ``"prorate"``
            (the line is split at each change date and each part prorated by
            day); see :func:`~contractcore.schedules.invoice_run`.
        billing: When its services' periods are due and how they fall
            (:class:`~contractcore.pricing.BillingTerms`; the default is
            anniversary periods billed in arrears, what a document without
            ``billing`` reads as); see :func:`~contractcore.schedules.due_periods`.

    Raises:
        InvalidArgumentError: A field is invalid (the message names it), for
            instance an end date before the start, ``likelihood=140``,
            ``term_months=0``, a cancellation date after the end date, or
            an auto-renewing contract with no renewal options or no end.
        ContractCurrencyError: An amount is not in ``currency`` (the message
            names its field path, e.g. ``services[0].unit_price``); it is an
            ``InvalidArgumentError`` and a ``CurrencyMismatchError``.

    >>> c = Contract(id="c-1", number="CT-42-0001", customer_id="42", name="Managed IT",
    ...              start_date=date(2026, 1, 1), term_months=12)
    >>> c.end_date, c.status
    (datetime.date(2026, 12, 31), <ContractStatus.PENDING: 'pending'>)
    """

    id: str = attrs.field(validator=v.text)
    number: str = attrs.field(validator=v.text)
    customer_id: str = attrs.field(validator=v.text)
    name: str = attrs.field(validator=v.text)
    status: ContractStatus = attrs.field(default=ContractStatus.PENDING, converter=_status)
    kind: ContractKind = attrs.field(default=ContractKind.FIXED, converter=_kind)
    start_date: date = attrs.field(validator=v.calendar_date)
    term_months: int | None = attrs.field(default=None, validator=v.optional_term_months)
    _end_date: date | None = attrs.field(
        default=None, alias="end_date", validator=v.optional_calendar_date
    )
    renewal: RenewalOptions | None = attrs.field(
        default=None,
        validator=v.instance(RenewalOptions, optional=True),
    )
    renewal_count: int = attrs.field(default=0, validator=v.non_negative_int)
    first_start_date: date | None = attrs.field(default=None, validator=v.optional_calendar_date)
    estimated_value: Money | None = attrs.field(
        default=None, validator=v.instance(Money, optional=True)
    )
    likelihood: int | None = attrs.field(default=None, validator=_likelihood)
    primary_contact_id: str | None = attrs.field(default=None, validator=v.optional_text)
    description: str = attrs.field(default="", validator=v.instance(str))
    notes: str = attrs.field(default="", validator=v.instance(str))
    assigned_technician_id: str | None = attrs.field(default=None, validator=v.optional_text)
    sla_policy_id: str | None = attrs.field(default=None, validator=v.optional_text)
    apply_to_new_tickets: bool = attrs.field(default=False, validator=v.instance(bool))
    reminders: tuple[Reminder, ...] = attrs.field(default=(), validator=v.tuple_of(Reminder))
    attachments: tuple[Attachment, ...] = attrs.field(default=(), validator=v.tuple_of(Attachment))
    cancellation_date: date | None = attrs.field(default=None, validator=v.optional_calendar_date)
    status_before_cancellation: ContractStatus | None = attrs.field(
        default=None, converter=_prior_status
    )
    created_on: date | None = attrs.field(default=None, validator=v.optional_calendar_date)
    currency: str = attrs.field(default="USD", validator=v.currency)
    services: tuple[Service, ...] = attrs.field(default=(), validator=v.tuple_of(Service))
    price_overrides: tuple[PriceOverride, ...] = attrs.field(
        default=(), validator=v.tuple_of(PriceOverride)
    )
    blocklist: frozenset[str] = attrs.field(
        default=frozenset(),
        converter=v.product_ids,
    )
    schedules: tuple[Schedule, ...] = attrs.field(default=(), validator=v.tuple_of(Schedule))
    penalty: Penalty = attrs.field(factory=NoPenalty, validator=v.instance(*get_args(Penalty)))
    mid_period_changes: MidPeriodChanges = attrs.field(
        default="whole_period", validator=v.one_of(get_args(MidPeriodChanges))
    )
    billing: BillingTerms = attrs.field(factory=BillingTerms, validator=v.instance(BillingTerms))
    # The end of the current term, derived once: nightly jobs and searches read
    # it for every contract. Not an init argument, not compared, not serialized.
    _effective_end: date | None = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.term_months is not None and self._end_date is not None:
            raise InvalidArgumentError(
                f"give term_months or end_date, not both: got term_months={self.term_months} "
                f"and end_date={self._end_date}"
            )
        end = (
            self._end_date
            if self.term_months is None
            else term_end(self.start_date, self.term_months)
        )
        object.__setattr__(self, "_effective_end", end)
        if end is not None and end < self.start_date:
            raise InvalidArgumentError(f"end_date {end} is before start_date {self.start_date}")
        if self.first_start_date is not None and self.first_start_date > self.start_date:
            raise InvalidArgumentError(
                f"first_start_date {self.first_start_date} is after start_date {self.start_date}"
            )
        if self.kind is ContractKind.AUTO_RENEW:
            if self.renewal is None:
                raise InvalidArgumentError(
                    "renewal must be given for an auto_renew contract, got renewal=None"
                )
            if end is None:
                raise InvalidArgumentError(
                    "an auto_renew contract needs term_months or end_date, got an open end"
                )
        if (self.status is ContractStatus.CANCELED) != (self.cancellation_date is not None):
            raise InvalidArgumentError(
                "cancellation_date must be given exactly when status is canceled, got "
                f"status={self.status.value} and cancellation_date={self.cancellation_date}"
            )
        if (
            self.cancellation_date is not None
            and self.cancellation_date < self.start_date - ONE_DAY
        ):
            raise InvalidArgumentError(
                f"cancellation_date {self.cancellation_date} is more than a day before "
                f"start_date {self.start_date}"
            )
        if self.cancellation_date is not None and end is not None and self.cancellation_date > end:
            raise InvalidArgumentError(
                f"cancellation_date {self.cancellation_date} is after end_date {end}, "
                "the last day of the term"
            )
        prior = self.status_before_cancellation
        if prior is not None and self.status is not ContractStatus.CANCELED:
            raise InvalidArgumentError(
                "status_before_cancellation must be None unless status is canceled, got "
                f"status={self.status.value} and status_before_cancellation={prior.value}"
            )
        if prior is not None and prior not in _CANCELABLE:
            raise InvalidArgumentError(
                "status_before_cancellation must be pending or active (the statuses a "
                f"contract is canceled from), got {prior.value}"
            )
        v.same_currency(f"contract {self.id!r}", self.currency, _money(self))
        check_service_periods(self.billing, self.services)

    @property
    def end_date(self) -> date | None:
        """Last day of the current term, or None for an open-ended contract.

        >>> Contract(id="c", number="N-1", customer_id="7", name="AV",
        ...          start_date=date(2026, 1, 31), term_months=1).end_date
        datetime.date(2026, 2, 27)
        """
        return self._effective_end

    @property
    def covered_from(self) -> date:
        """The first day the contract covers, across its terms.

        A renewal moves ``start_date`` to the new term; the days of the
        earlier terms stay covered (they can still be invoiced after it).

        >>> c = Contract(id="c", number="N-1", customer_id="7", name="AV",
        ...              start_date=date(2027, 1, 1), first_start_date=date(2026, 1, 1))
        >>> c.covered_from
        datetime.date(2026, 1, 1)
        """
        first = self.first_start_date
        return self.start_date if first is None else first

    @property
    def last_covered_day(self) -> date | None:
        """The last day the contract covers: the cancellation date or the end date.

        None means no last day is known (open-ended and not canceled).
        """
        end = self.end_date
        if self.cancellation_date is None:
            return end
        if end is None:
            return self.cancellation_date
        return min(end, self.cancellation_date)
