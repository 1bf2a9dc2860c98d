"""Contract templates: save a contract's terms, clone them for another customer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import get_args

import attrs
from dateutil.relativedelta import relativedelta

from contractcore.contracts import _validators as v
from contractcore.contracts._dates import ONE_DAY
from contractcore.contracts._model import (
    Contract,
    ContractKind,
    ContractStatus,
    RenewalOptions,
    _kind,
    terms_money,
)
from contractcore.penalties import NoPenalty, Penalty
from contractcore.pricing import BillingTerms, PriceOverride, Service
from contractcore.pricing._billing import check_service_periods
from contractcore.schedules import MidPeriodChanges, Schedule

__all__ = ["ContractTemplate", "contract_from_template", "save_as_template"]


@attrs.frozen(kw_only=True)
class ContractTemplate:
    """The reusable terms of a contract, without customer, identity or dates.

    Services keep their position relative to the contract start:
    ``reference_start`` is the start date of the contract they were saved
    from, and a clone moves every service date so it keeps its distance to
    the contract start in months and days (a service starting a month after
    the contract still does), but never before the clone's start: a service
    that began before ``reference_start`` (in an earlier term of a renewed
    contract) starts with the clone. For an end date, the last day of an
    inclusive period, the day after it is what moves, so a service covering
    the whole term covers the clone's whole term. Templates hold the
    contract's own schedules only, never pinned ones (a renewal's carry-over
    or an amendment: bookkeeping of the contract they came from).

    Attributes:
        name: The template's name.
        kind: ``fixed`` or ``auto_renew``.
        term_months: Term length, or None (give an end date when cloning).
        renewal: Renewal options.
        description: Copied into new contracts.
        sla_policy_id: SLA policy of new contracts.
        apply_to_new_tickets: Copied into new contracts.
        assigned_technician_id: Copied into new contracts.
        currency: ISO 4217 code.
        services: Services, dated relative to ``reference_start``.
        price_overrides: Contract prices.
        blocklist: Product ids that must not be sold.
        schedules: Service update schedules.
        penalty: Early-termination penalty.
        mid_period_changes: ``"whole_period"`` or ``"prorate"``, copied into new contracts.
        billing: Billing terms (:class:`~contractcore.pricing.BillingTerms`),
            copied into new contracts.
        reference_start: The start date service dates are relative to.
    """

    name: str = attrs.field(validator=v.text)
    kind: ContractKind = attrs.field(default=ContractKind.FIXED, converter=_kind)
    term_months: int | None = attrs.field(default=None, validator=v.optional_term_months)
    renewal: RenewalOptions | None = attrs.field(
        default=None,
        validator=v.instance(RenewalOptions, optional=True),
    )
    description: str = attrs.field(default="", validator=v.instance(str))
    sla_policy_id: str | None = attrs.field(default=None, validator=v.optional_text)
    apply_to_new_tickets: bool = attrs.field(default=False, validator=v.instance(bool))
    assigned_technician_id: str | None = attrs.field(default=None, validator=v.optional_text)
    currency: str = attrs.field(default="USD", validator=v.currency)
    services: tuple[Service, ...] = attrs.field(default=(), validator=v.tuple_of(Service))
    price_overrides: tuple[PriceOverride, ...] = attrs.field(
        default=(), validator=v.tuple_of(PriceOverride)
    )
    blocklist: frozenset[str] = attrs.field(default=frozenset(), converter=v.product_ids)
    schedules: tuple[Schedule, ...] = attrs.field(default=(), validator=v.tuple_of(Schedule))
    penalty: Penalty = attrs.field(factory=NoPenalty, validator=v.instance(*get_args(Penalty)))
    mid_period_changes: MidPeriodChanges = attrs.field(
        default="whole_period", validator=v.one_of(get_args(MidPeriodChanges))
    )
    reference_start: date | None = attrs.field(default=None, validator=v.optional_calendar_date)
    billing: BillingTerms = attrs.field(factory=BillingTerms, validator=v.instance(BillingTerms))

    def __attrs_post_init__(self) -> None:
        # One currency, as for a contract: a clone would be refused anyway.
        v.same_currency(
            f"template {self.name!r}",
            self.currency,
            terms_money(
                estimated_value=None,
                services=self.services,
                price_overrides=self.price_overrides,
                schedules=self.schedules,
                penalty=self.penalty,
                renewal=self.renewal,
            ),
        )
        check_service_periods(self.billing, self.services)


def save_as_template(contract: Contract, name: str) -> ContractTemplate:
    """Save ``contract``'s terms as a template named ``name``.

    Kept: kind, term, renewal options, services (with their schedule
    watermark cleared), price overrides, blocklist, schedules, penalty, SLA
    policy, ``apply_to_new_tickets``, technician, description, currency. Not
    kept: identity, customer, status, dates, sales fields, notes, reminders,
    attachments, and pinned schedules (:attr:`Schedule.pinned
    <contractcore.schedules.Schedule.pinned>`: what a renewal carried over
    or an amendment dated, bookkeeping of this contract). Services are dated
    relative to the current term's start; one that began before it (in an
    earlier term of a renewed contract) is saved as starting with the term,
    so clones never get services starting before them. A contract with an
    explicit end date gives a template without a term (pass one when
    cloning).
    ``mid_period_changes`` and the ``billing`` terms are kept too; services
    are saved with no ``billed_through``.

    >>> from contractcore.contracts import Contract, RenewalOptions
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="Managed IT",
    ...              kind="auto_renew", start_date=date(2026, 1, 1), term_months=12,
    ...              renewal=RenewalOptions(term_months=12))
    >>> save_as_template(c, "Managed IT 12+12").renewal
    RenewalOptions(term_months=12, penalty=NoPenalty(), schedules=())
    """
    return ContractTemplate(
        name=name,
        kind=contract.kind,
        term_months=contract.term_months,
        renewal=contract.renewal,
        description=contract.description,
        sla_policy_id=contract.sla_policy_id,
        apply_to_new_tickets=contract.apply_to_new_tickets,
        assigned_technician_id=contract.assigned_technician_id,
        currency=contract.currency,
        services=tuple(_saved_service(s, contract.start_date) for s in contract.services),
        price_overrides=contract.price_overrides,
        blocklist=contract.blocklist,
        schedules=_terms(contract.schedules),
        penalty=contract.penalty,
        mid_period_changes=contract.mid_period_changes,
        reference_start=contract.start_date,
        billing=contract.billing,
    )


def _terms(schedules: tuple[Schedule, ...]) -> tuple[Schedule, ...]:
    """The schedules that are terms of a contract: pinned ones are its own bookkeeping."""
    return tuple(s for s in schedules if not s.pinned)


def _saved_service(service: Service, term_start: date) -> Service:
    """``service`` for a template: no watermark, and not starting before the current term."""
    first = max(service.start_date, term_start)
    last = service.end_date
    if last is not None:
        # A service that ended in an earlier term keeps one day, as a short one does.
        last = max(first, last)
    return attrs.evolve(
        service, start_date=first, end_date=last, applied_up_to=None, billed_through=None
    )


def _moved(day: date, reference: date | None, start: date) -> date:
    """Put ``day`` as far from ``start`` as it was from ``reference``, in months and days."""
    if reference is None:
        return day
    return start + relativedelta(day, reference)


def _moved_end(end: date, reference: date | None, start: date) -> date:
    """Move the inclusive last day ``end`` of a period: the day after it moves, then back a day.

    An end date is the day before the period's exclusive end (a term of N
    months from S ends on S + N months - 1 day), so a service that ran for
    the whole term of the template's contract ends with the clone's term
    (moving 2026-12-31 itself, 11 months 30 days after 2026-01-01, to a clone
    starting 2026-03-01 would give 2027-03-03, past the clone's 2027-02-28).
    """
    return _moved(end + ONE_DAY, reference, start) - ONE_DAY


def _cloned_service(service: Service, new_id: str, reference: date | None, start: date) -> Service:
    # Never before the clone, whatever the template says (a template saved before
    # this rule, or one without a reference start, may date a service earlier).
    first = max(_moved(service.start_date, reference, start), start)
    last = None
    if service.end_date is not None:
        # Months differ in length, so a short service near a month's end can
        # come out with its last day before its first: it keeps one day then.
        last = max(first, _moved_end(service.end_date, reference, start))
    return attrs.evolve(
        service,
        id=new_id,
        start_date=first,
        end_date=last,
        applied_up_to=None,
        billed_through=None,
    )


def _retargeted(
    schedules: tuple[Schedule, ...], new_ids: Mapping[str, str]
) -> tuple[Schedule, ...]:
    """Point schedules that list services at the services' new ids."""
    return tuple(
        s
        if s.targets is None
        else attrs.evolve(s, targets=frozenset(new_ids.get(t, t) for t in s.targets))
        for s in schedules
    )


def contract_from_template(
    template: ContractTemplate,
    *,
    id: str,
    number: str,
    customer_id: str,
    start_date: date,
    name: str | None = None,
    term_months: int | None = None,
    end_date: date | None = None,
    service_ids: Mapping[str, str] | None = None,
) -> Contract:
    """Create a pending contract for ``customer_id`` from ``template`` (a clone).

    The renewal options, services, price overrides, blocklist and
    schedules are carried over. Services get new ids (``service_ids`` maps
    a template service id to the host's new id; by default
    ``"<contract id>-<service id>"``) that schedules listing services
    follow, no schedule watermark, and dates moved so they keep their
    distance to the contract start in months and days (end dates: the day
    after them, so a service ending with the term ends with the new term);
    no service starts before ``start_date``, one the template dates earlier
    starts on it. Pinned schedules are never carried (a template made by
    hand with some loses them). ``term_months`` or ``end_date`` replace the
    template's term.
    ``mid_period_changes`` and the ``billing`` terms are carried over too
    (services start with no ``billed_through``).

    Raises:
        InvalidArgumentError: The resulting contract is invalid (for
            instance an auto-renewing template with no term and no end date).

    >>> t = ContractTemplate(name="AV yearly", term_months=12, sla_policy_id="bronze")
    >>> c = contract_from_template(t, id="c-9", number="CT-8-0009", customer_id="8",
    ...                            start_date=date(2026, 3, 1))
    >>> c.name, c.end_date, c.sla_policy_id, c.status.value
    ('AV yearly', datetime.date(2027, 2, 28), 'bronze', 'pending')
    """
    term = template.term_months if term_months is None and end_date is None else term_months
    given = {} if service_ids is None else service_ids
    new_ids = {s.id: given.get(s.id, f"{id}-{s.id}") for s in template.services}
    renewal = template.renewal
    if renewal is not None:
        renewal = attrs.evolve(renewal, schedules=_retargeted(renewal.schedules, new_ids))
    return Contract(
        id=id,
        number=number,
        customer_id=customer_id,
        name=template.name if name is None else name,
        status=ContractStatus.PENDING,
        kind=template.kind,
        start_date=start_date,
        term_months=term,
        end_date=end_date,
        renewal=renewal,
        description=template.description,
        sla_policy_id=template.sla_policy_id,
        apply_to_new_tickets=template.apply_to_new_tickets,
        assigned_technician_id=template.assigned_technician_id,
        currency=template.currency,
        services=tuple(
            _cloned_service(s, new_ids[s.id], template.reference_start, start_date)
            for s in template.services
        ),
        price_overrides=template.price_overrides,
        blocklist=template.blocklist,
        schedules=_retargeted(_terms(template.schedules), new_ids),
        penalty=template.penalty,
        mid_period_changes=template.mid_period_changes,
        billing=template.billing,
    )
