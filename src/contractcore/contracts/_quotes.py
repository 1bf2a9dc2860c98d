"""Quotes that propose a contract, and re-quotes that propose a change to one."""

from __future__ import annotations

import enum
from datetime import date
from typing import get_args

import attrs

from contractcore.contracts import _validators as v
from contractcore.contracts._amendments import (
    Amendment,
    _first_open_day,
    amend,
    end_service,
)
from contractcore.contracts._dates import ONE_DAY
from contractcore.contracts._model import Contract, ContractKind, RenewalOptions, _kind
from contractcore.contracts._templates import ContractTemplate, contract_from_template
from contractcore.errors import ContractStateError, InvalidArgumentError
from contractcore.penalties import Penalty
from contractcore.pricing import BillingTerms, Service
from contractcore.schedules import MidPeriodChanges, Schedule

__all__ = [
    "ContractChange",
    "Quote",
    "QuoteStatus",
    "apply_change",
    "approve_quote",
    "process_quote",
    "process_requote",
    "requote",
]


class QuoteStatus(enum.StrEnum):
    """Where a quote stands: ``draft``, ``approved`` (signed), ``processed`` (order done)."""

    DRAFT = "draft"
    APPROVED = "approved"
    PROCESSED = "processed"


@attrs.frozen(kw_only=True)
class ContractChange:
    """The proposed new terms of an existing contract (a re-quote's content).

    Every field holds the full proposed value; build one from the current
    contract with :meth:`from_contract` and change what the customer asked for.

    Attributes:
        start_date: Proposed start date (cannot change once a service was billed).
        term_months: Proposed term in months, or None with ``end_date``.
        end_date: Proposed explicit end date, or None.
        kind: ``fixed`` or ``auto_renew``.
        renewal: Proposed renewal options.
        services: Proposed services (new, edited or removed ones).
        schedules: Proposed service update schedules.
        penalty: Proposed early-termination penalty.
        effective: The first day a changed price or quantity of an already
            invoiced service applies (default: the first day not yet invoiced);
            such a change is recorded as an :class:`Amendment`, never as an
            edit of invoiced days.
        reason: The reason the amendments record (default ``"re-quote"``).
        mid_period_changes: Proposed pricing of mid-period changes
            (``"whole_period"`` unless given; :meth:`from_contract` keeps the
            contract's).
        billing: Proposed billing terms (anniversary in arrears unless
            given; :meth:`from_contract` keeps the contract's).
    """

    start_date: date = attrs.field(validator=v.calendar_date)
    term_months: int | None = attrs.field(default=None, validator=v.optional_term_months)
    end_date: date | None = attrs.field(default=None, validator=v.optional_calendar_date)
    kind: ContractKind = attrs.field(converter=_kind)
    renewal: RenewalOptions | None = attrs.field(
        validator=v.instance(RenewalOptions, optional=True)
    )
    services: tuple[Service, ...] = attrs.field(validator=v.tuple_of(Service))
    schedules: tuple[Schedule, ...] = attrs.field(validator=v.tuple_of(Schedule))
    penalty: Penalty = attrs.field(validator=v.instance(*get_args(Penalty)))
    effective: date | None = attrs.field(default=None, validator=v.optional_calendar_date)
    reason: str = attrs.field(default="re-quote", validator=v.text)
    mid_period_changes: MidPeriodChanges = attrs.field(
        default="whole_period", validator=v.one_of(get_args(MidPeriodChanges))
    )
    billing: BillingTerms = attrs.field(factory=BillingTerms, validator=v.instance(BillingTerms))

    @classmethod
    def from_contract(cls, contract: Contract) -> ContractChange:
        """Return a change that keeps every term of ``contract`` as it is."""
        return cls(
            start_date=contract.start_date,
            term_months=contract.term_months,
            end_date=None if contract.term_months is not None else contract.end_date,
            kind=contract.kind,
            renewal=contract.renewal,
            services=contract.services,
            schedules=contract.schedules,
            penalty=contract.penalty,
            mid_period_changes=contract.mid_period_changes,
            billing=contract.billing,
        )


def _quote_status(value: QuoteStatus | str) -> QuoteStatus:
    try:
        return QuoteStatus(value)
    except ValueError:
        allowed = ", ".join(s.value for s in QuoteStatus)
        raise InvalidArgumentError(f"status must be one of {allowed}, got {value!r}") from None


@attrs.frozen(kw_only=True)
class Quote:
    """A quote that proposes a new contract, or a change to an existing one.

    A quote for a new contract has ``proposal`` and ``start_date``; a
    re-quote has ``contract_id`` and ``change``. A quote with neither is a
    plain quote (no contract). Its own term, if any, is unrelated to the
    contract's.

    Attributes:
        id: The host's id of the quote.
        customer_id: The customer quoted.
        status: ``draft``, ``approved`` or ``processed``.
        proposal: Terms of the proposed contract.
        start_date: Start date of the proposed contract.
        contract_id: The contract a re-quote changes (after processing a new
            contract quote: the contract created).
        change: The proposed change of a re-quote.
    """

    id: str = attrs.field(validator=v.text)
    customer_id: str = attrs.field(validator=v.text)
    status: QuoteStatus = attrs.field(default=QuoteStatus.DRAFT, converter=_quote_status)
    proposal: ContractTemplate | None = attrs.field(
        default=None,
        validator=v.instance(ContractTemplate, optional=True),
    )
    start_date: date | None = attrs.field(default=None, validator=v.optional_calendar_date)
    contract_id: str | None = attrs.field(default=None, validator=v.optional_text)
    change: ContractChange | None = attrs.field(
        default=None,
        validator=v.instance(ContractChange, optional=True),
    )

    def __attrs_post_init__(self) -> None:
        if self.proposal is not None and self.change is not None:
            raise InvalidArgumentError(
                f"quote {self.id} gives both a proposal and a change: give one"
            )
        if self.proposal is not None and self.start_date is None:
            raise InvalidArgumentError(
                f"start_date must be given with a proposal, got None on quote {self.id}"
            )
        if self.change is not None and self.contract_id is None:
            raise InvalidArgumentError(
                f"contract_id must be given with a change, got None on quote {self.id}"
            )


def approve_quote(quote: Quote) -> Quote:
    """Return ``quote`` approved (signed by the customer).

    Raises:
        ContractStateError: The quote is not a draft.
    """
    if quote.status is not QuoteStatus.DRAFT:
        raise ContractStateError(
            f"cannot approve quote {quote.id}: status is {quote.status.value}, must be draft"
        )
    return attrs.evolve(quote, status=QuoteStatus.APPROVED)


def _require_approved(quote: Quote) -> None:
    if quote.status is not QuoteStatus.APPROVED:
        raise ContractStateError(
            f"cannot process quote {quote.id}: status is {quote.status.value}, must be approved"
        )


def process_quote(quote: Quote, *, contract_id: str, number: str) -> tuple[Quote, Contract]:
    """Process the order of an approved quote: create its proposed contract.

    Returns the processed quote (its ``contract_id`` set) and the new,
    pending contract.

    Raises:
        ContractStateError: The quote is not approved or proposes no contract.

    >>> q = Quote(id="q-1", customer_id="8", proposal=ContractTemplate(name="AV", term_months=12),
    ...           start_date=date(2026, 12, 1))
    >>> q, c = process_quote(approve_quote(q), contract_id="c-3", number="CT-8-0003")
    >>> q.status.value, c.customer_id, c.end_date
    ('processed', '8', datetime.date(2027, 11, 30))
    """
    _require_approved(quote)
    if quote.proposal is None or quote.start_date is None:
        raise ContractStateError(f"cannot process quote {quote.id}: it proposes no contract")
    contract = contract_from_template(
        quote.proposal,
        id=contract_id,
        number=number,
        customer_id=quote.customer_id,
        start_date=quote.start_date,
    )
    return attrs.evolve(quote, status=QuoteStatus.PROCESSED, contract_id=contract_id), contract


def requote(contract: Contract, *, quote_id: str, change: ContractChange) -> Quote:
    """Start a re-quote: a draft quote proposing ``change`` to ``contract``.

    >>> from contractcore.contracts import Contract
    >>> c = Contract(id="c-1", number="N-1", customer_id="7", name="AV", status="active",
    ...              start_date=date(2026, 1, 1), term_months=12)
    >>> change = attrs.evolve(ContractChange.from_contract(c), term_months=24)
    >>> q = requote(c, quote_id="q-2", change=change)
    >>> q, c = process_requote(approve_quote(q), c)
    >>> c.end_date
    datetime.date(2027, 12, 31)
    """
    return Quote(
        id=quote_id, customer_id=contract.customer_id, contract_id=contract.id, change=change
    )


def process_requote(quote: Quote, contract: Contract) -> tuple[Quote, Contract]:
    """Process the order of an approved re-quote: apply its change to ``contract``.

    Raises:
        ContractStateError: The quote is not approved, is not a re-quote of
            this contract, or moves the start date after a service was billed.
    """
    _require_approved(quote)
    if quote.change is None or quote.contract_id != contract.id:
        raise ContractStateError(
            f"cannot process quote {quote.id}: it is not a re-quote of contract {contract.id}"
        )
    return attrs.evolve(quote, status=QuoteStatus.PROCESSED), apply_change(contract, quote.change)


def _billed(service: Service) -> bool:
    mark = service.applied_up_to
    return mark is not None and mark >= service.start_date


def _changed_services(
    contract: Contract, change: ContractChange
) -> tuple[tuple[Service, ...], list[Amendment], list[tuple[str, date]]]:
    """The proposed services, with billed ones' changes turned into amendments and ends."""
    current = {service.id: service for service in contract.services}
    services: list[Service] = []
    amendments: list[Amendment] = []
    for proposed in change.services:
        old = current.get(proposed.id)
        if old is None or not _billed(old):
            services.append(proposed)
            continue
        # What was invoiced stays as it was: the stored state carries over, and a
        # new price or quantity is an amendment from the effective day.
        services.append(
            attrs.evolve(
                proposed,
                unit_price=old.unit_price,
                quantity=old.quantity,
                applied_up_to=old.applied_up_to,
                billed_through=old.billed_through,
                history=old.history,
            )
        )
        price = proposed.unit_price if proposed.unit_price != old.unit_price else None
        quantity = proposed.quantity if proposed.quantity != old.quantity else None
        if price is not None or quantity is not None:
            amendments.append(
                Amendment(
                    service_id=old.id,
                    on=change.effective or _first_open_day(old),
                    reason=change.reason,
                    unit_price=price,
                    quantity=quantity,
                )
            )
    kept = {service.id for service in change.services}
    ends: list[tuple[str, date]] = []
    for old in contract.services:
        if old.id in kept or not _billed(old):
            continue
        # A billed service left out of the proposal ends; its history stays.
        assert old.applied_up_to is not None  # _billed
        last = old.applied_up_to if change.effective is None else change.effective - ONE_DAY
        services.append(old)
        ends.append((old.id, last))
    return tuple(services), amendments, ends


def apply_change(contract: Contract, change: ContractChange) -> Contract:
    """Apply new terms to ``contract`` (directly, or through a processed re-quote).

    A service counts as billed once its schedule watermark
    (``applied_up_to``) is set, i.e. an invoice run went through it. The
    invoiced past is never edited: a billed service keeps its watermark and
    history, a new price or quantity for it becomes an :class:`Amendment`
    dated ``change.effective`` (or its first day not yet invoiced), and a
    billed service left out of the proposal ends (the day before
    ``change.effective``, or its last invoiced day) instead of vanishing.
    Unbilled services are taken as proposed.

    Raises:
        ContractStateError: The start date changes although a service of the
            contract was already billed.
        InvalidArgumentError: The new terms are invalid, for instance an
            amount not in the contract's currency (``ContractCurrencyError``)
            or a term ending before a canceled contract's cancellation date.
    """
    if change.start_date != contract.start_date:
        billed = [s.id for s in contract.services if s.applied_up_to is not None]
        if billed:
            raise ContractStateError(
                f"cannot move start_date of contract {contract.number} from "
                f"{contract.start_date} to {change.start_date}: service {billed[0]} was "
                "already billed"
            )
    services, amendments, ends = _changed_services(contract, change)
    changed = attrs.evolve(
        contract,
        start_date=change.start_date,
        term_months=change.term_months,
        end_date=change.end_date,
        kind=change.kind,
        renewal=change.renewal,
        services=services,
        schedules=change.schedules,
        penalty=change.penalty,
        mid_period_changes=change.mid_period_changes,
        billing=change.billing,
    )
    for amendment in amendments:
        changed = amend(changed, amendment)
    for service_id, last in ends:
        changed = end_service(changed, service_id, last)
    return changed
