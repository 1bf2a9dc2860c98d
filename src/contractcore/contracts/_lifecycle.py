"""Lifecycle steps as pure functions: activate, renew, complete, cancel."""

from __future__ import annotations

from datetime import date, datetime

import attrs

from contractcore.contracts._dates import ONE_DAY
from contractcore.contracts._model import Contract, ContractStatus
from contractcore.errors import ContractStateError, InvalidArgumentError
from contractcore.penalties import PenaltyQuote, early_termination_penalty
from contractcore.pricing import Service
from contractcore.schedules import AtRenewal, On, Schedule, When, event_date

__all__ = [
    "Cancellation",
    "activate",
    "cancel",
    "complete",
    "is_in_force",
    "renew",
    "revoke_cancellation",
]


def _day(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidArgumentError(f"{name} must be a datetime.date, got {value!r}")
    return value


def _require_status(contract: Contract, step: str, *allowed: ContractStatus) -> None:
    if contract.status not in allowed:
        wanted = " or ".join(s.value for s in allowed)
        raise ContractStateError(
            f"cannot {step} contract {contract.number}: status is {contract.status.value}, "
            f"must be {wanted}"
        )


def activate(contract: Contract) -> Contract:
    """Return the pending ``contract`` as active.

    Raises:
        ContractStateError: The contract is not pending.

    >>> from contractcore.contracts import Contract
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="AV",
    ...              start_date=date(2026, 1, 1), term_months=12)
    >>> activate(c).status
    <ContractStatus.ACTIVE: 'active'>
    """
    _require_status(contract, "activate", ContractStatus.PENDING)
    return attrs.evolve(contract, status=ContractStatus.ACTIVE)


def renew(contract: Contract) -> Contract:
    """Return ``contract`` moved into its next term, taken from its renewal options.

    The new term starts the day after the current end date (no gap, no
    overlap) and lasts ``renewal.term_months``; the renewal's penalty and
    schedules replace the contract's. What the ending term still owes its
    services is carried over: every event of its schedules (``On``,
    ``After`` from the service or the contract start, ``AtRenewal``) dated
    on or before the renewal day that a service is not yet invoiced past
    (its ``applied_up_to``, or the day before its start) is pinned to that
    date with :class:`~contractcore.schedules.On`, in a schedule of origin
    ``"renewal"`` for that one service, ahead of the renewal's schedules and
    in the ending term's order. So the nightly job, which renews on the 1st
    before the last month is invoiced (or twice when it missed a night),
    loses no uplift: invoicing the rest of the ending term after the renewal
    gives what invoicing it before would have. An event that a schedule of
    the renewal options brings back on the same date (an ``On`` event or one
    counted from the service start, in a schedule kept from term to term) is
    not pinned, since that schedule applies it. Schedules pinned earlier (by
    a renewal or an amendment) stay while an event of theirs is not yet
    applied to a service they target, and go once it is.

    The renewal options stay, so the renewed contract can renew again.
    Identity, customer, services and the rest carry over; ``renewal_count``
    goes up by one, and ``first_start_date`` keeps the first term's start,
    so the days of the ending term stay covered (an invoice run for its last
    month after the renewal still bills it).

    Raises:
        ContractStateError: The contract is not active, has no renewal
            options, has no end date, or was canceled.

    >>> from contractcore.contracts import Contract, RenewalOptions
    >>> from contractcore.money import Money
    >>> from contractcore.pricing import Service
    >>> from contractcore.schedules import PRICE, After, Percent, UpdateEvent
    >>> seats = Service(id="s-1", product_id="seat", unit_price=Money("100.00", "USD"),
    ...                 start_date=date(2026, 1, 1), applied_up_to=date(2026, 11, 30))
    >>> december = Schedule(events=[UpdateEvent(After(months=11), PRICE, Percent(10))])
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="AV", status="active",
    ...              kind="auto_renew", start_date=date(2026, 1, 1), term_months=12,
    ...              renewal=RenewalOptions(term_months=6), services=(seats,),
    ...              schedules=(december,))
    >>> r = renew(c)
    >>> r.start_date, r.end_date, r.renewal_count
    (datetime.date(2027, 1, 1), datetime.date(2027, 6, 30), 1)
    >>> [(s.origin, sorted(s.targets or ()), [e.when for e in s.events]) for s in r.schedules]
    [('renewal', ['s-1'], [On(date=datetime.date(2026, 12, 1))])]
    """
    _require_status(contract, "renew", ContractStatus.ACTIVE)
    if contract.renewal is None:
        raise ContractStateError(
            f"cannot renew contract {contract.number}: it has no renewal options"
        )
    end = contract.end_date
    if end is None:
        raise ContractStateError(f"cannot renew contract {contract.number}: it has no end date")
    renewed = attrs.evolve(
        contract,
        start_date=end + ONE_DAY,
        first_start_date=contract.covered_from,
        term_months=contract.renewal.term_months,
        end_date=None,
        penalty=contract.renewal.penalty,
        schedules=contract.renewal.schedules,
        renewal_count=contract.renewal_count + 1,
    )
    carried = _carried_events(contract, renewed)
    if not carried:
        return renewed
    return attrs.evolve(renewed, schedules=carried + renewed.schedules)


def _watermark(service: Service) -> date:
    """The last day ``service`` has its events applied through (the day before its start)."""
    mark = service.applied_up_to
    return service.start_date - ONE_DAY if mark is None else mark


def _day_of(when: When, service: Service, contract: Contract, renewal_day: date) -> date | None:
    # The contract is renewing, so its renewal day comes even when it is not
    # an auto-renewing one (a person renews it): ``event_date`` would say never.
    if isinstance(when, AtRenewal):
        return renewal_day
    return event_date(when, service, contract)


def _still_owed(schedule: Schedule, contract: Contract, renewal_day: date) -> bool:
    """Whether an event of ``schedule`` is not yet applied to a service it targets."""
    for service in contract.services:
        if schedule.applies_to(service.id):
            mark = _watermark(service)
            for event in schedule.events:
                day = _day_of(event.when, service, contract, renewal_day)
                if day is not None and day > mark:
                    return True
    return False


def _carried_events(ending: Contract, renewed: Contract) -> tuple[Schedule, ...]:
    """The ending term's events still owed to its services, pinned by date, per service.

    Without this they would vanish with the ending term's schedules: the
    nightly job renews on the 1st, before the ending term's last month is
    invoiced. Each pinned schedule holds one original schedule's events for
    one service, in their order, so same-day ties keep schedule order, then
    event order. An event that a schedule of the renewal options brings back
    on the same date for that service is left to that schedule (pinning it
    too would apply it twice); one that moves with the term (counted from
    the contract start, or ``AtRenewal``) is pinned at its old date.
    """
    renewal_day = renewed.start_date
    # Each schedule of the renewal options brings back one of the ending term's
    # (a schedule listed twice there applies twice, and is brought back twice only
    # if the renewal lists it twice too).
    brought_back = list(renewed.schedules)
    carried: list[Schedule] = []
    for schedule in ending.schedules:
        if schedule.pinned:
            # Already dated bookkeeping (an earlier renewal's, an amendment):
            # kept as it is until applied, so they do not pile up over renewals.
            if _still_owed(schedule, ending, renewal_day):
                carried.append(schedule)
            continue
        returns = schedule in brought_back
        if returns:
            brought_back.remove(schedule)
        for service in ending.services:
            if not schedule.applies_to(service.id):
                continue
            mark = _watermark(service)
            events = []
            for event in schedule.events:
                day = _day_of(event.when, service, ending, renewal_day)
                if day is None or not mark < day <= renewal_day:
                    continue
                if returns and event_date(event.when, service, renewed) == day:
                    continue
                events.append(attrs.evolve(event, when=On(day)))
            if events:
                carried.append(
                    Schedule(
                        events=events,
                        targets={service.id},
                        name=schedule.name,
                        origin="renewal",
                    )
                )
    return tuple(carried)


def complete(contract: Contract) -> Contract:
    """Return the active ``contract`` as completed (its term ran out).

    A completed contract still covers the days of its terms (its last
    month can be invoiced after it completes); to end a contract before its
    end date, :func:`cancel` it.

    Raises:
        ContractStateError: The contract is not active.
    """
    _require_status(contract, "complete", ContractStatus.ACTIVE)
    return attrs.evolve(contract, status=ContractStatus.COMPLETED)


@attrs.frozen(kw_only=True)
class Cancellation:
    """What :func:`cancel` returns.

    Attributes:
        contract: The canceled contract.
        outliving_services: The services that run past the cancellation date
            (an end date later than it, or no end date), as they are in
            ``contract.services`` (so aligned to end on the cancellation date
            when ``align_services`` was asked).
        penalty: The early-termination penalty for ending on the
            cancellation date, quoted on the contract as it was before the
            cancellation (so aligning services does not shrink it).
    """

    contract: Contract
    outliving_services: tuple[Service, ...]
    penalty: PenaltyQuote


def _outlives(service: Service, on: date) -> bool:
    return service.end_date is None or service.end_date > on


def cancel(contract: Contract, *, on: date, align_services: bool = False) -> Cancellation:
    """Cancel ``contract``; ``on`` is the last day it covers.

    Cancel "now" by passing today's date, or at a later date. The contract
    takes status ``canceled`` at once (keeping the status it had in
    ``status_before_cancellation``, for :func:`revoke_cancellation`) and
    keeps covering up to ``on`` inclusive (see :func:`is_in_force`).
    Services whose end date is later than ``on`` (or who have none) are
    listed: a service may outlive its contract. With ``align_services=True``
    they are changed to end on ``on`` (except a service starting after
    ``on``, which is listed unchanged).
    The early-termination penalty is quoted with
    :func:`contractcore.penalties.early_termination_penalty` on the contract
    as it was before the cancellation.

    Raises:
        ContractStateError: The contract is already canceled or completed.
        CurrencyMismatchError: The penalty or a service is not in the
            contract's currency.
        InvalidArgumentError: ``on`` is after the contract's end date, or
            more than one day before its start (the day before the start
            cancels it before it covers anything).

    >>> from contractcore.contracts import Contract
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="AV", status="active",
    ...              start_date=date(2026, 1, 1), term_months=12)
    >>> result = cancel(c, on=date(2026, 6, 30))
    >>> result.contract.status, result.contract.cancellation_date
    (<ContractStatus.CANCELED: 'canceled'>, datetime.date(2026, 6, 30))
    """
    on = _day(on, "on")
    _require_status(contract, "cancel", ContractStatus.PENDING, ContractStatus.ACTIVE)
    end = contract.end_date
    if end is not None and on > end:
        raise InvalidArgumentError(
            f"on {on} is after the end date {end} of contract {contract.number}"
        )
    if on < contract.start_date - ONE_DAY:
        raise InvalidArgumentError(
            f"on {on} is more than a day before the start date {contract.start_date} "
            f"of contract {contract.number}"
        )
    services = contract.services
    if align_services:
        # A service that starts after ``on`` cannot end on it (its end would
        # precede its start): it is listed unchanged for the host to remove.
        services = tuple(
            attrs.evolve(s, end_date=on) if _outlives(s, on) and s.start_date <= on else s
            for s in contract.services
        )
    outliving_ids = {s.id for s in contract.services if _outlives(s, on)}
    canceled = attrs.evolve(
        contract,
        status=ContractStatus.CANCELED,
        cancellation_date=on,
        status_before_cancellation=contract.status,
        services=services,
    )
    return Cancellation(
        contract=canceled,
        outliving_services=tuple(s for s in services if s.id in outliving_ids),
        penalty=early_termination_penalty(contract, on),
    )


def revoke_cancellation(contract: Contract) -> Contract:
    """Remove the cancellation of ``contract`` (the cancellation date was edited away).

    The contract gets back the status it had when it was canceled
    (``status_before_cancellation``): a contract canceled while pending is
    pending again. One canceled without that record (by an older version)
    becomes active. Services aligned at cancellation keep their new end date.

    Raises:
        ContractStateError: The contract is not canceled.

    >>> from contractcore.contracts import Contract
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="AV",
    ...              start_date=date(2026, 1, 1), term_months=12)
    >>> canceled = cancel(c, on=date(2026, 3, 31)).contract
    >>> canceled.status_before_cancellation
    <ContractStatus.PENDING: 'pending'>
    >>> revoke_cancellation(canceled).status
    <ContractStatus.PENDING: 'pending'>
    """
    _require_status(contract, "revoke the cancellation of", ContractStatus.CANCELED)
    prior = contract.status_before_cancellation
    return attrs.evolve(
        contract,
        status=ContractStatus.ACTIVE if prior is None else prior,
        cancellation_date=None,
        status_before_cancellation=None,
    )


def is_in_force(contract: Contract, on: date) -> bool:
    """Tell whether ``contract`` covers day ``on``.

    It does when ``on`` lies between :attr:`~Contract.covered_from` (the
    first term's start, so the days of earlier terms count after a
    renewal) and the last covered day (end date or cancellation date,
    inclusive), and the contract is active, canceled (up to its cancellation
    date) or completed (its term ran out: up to its end date; an open-ended
    completed contract has no known last day and covers nothing). A pending
    contract covers nothing.

    >>> from contractcore.contracts import Contract
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="AV", status="active",
    ...              start_date=date(2026, 1, 1), term_months=12)
    >>> is_in_force(c, date(2026, 12, 31)), is_in_force(c, date(2027, 1, 1))
    (True, False)
    """
    on = _day(on, "on")
    last = contract.last_covered_day
    if contract.status is ContractStatus.PENDING or (
        last is None and contract.status is ContractStatus.COMPLETED
    ):
        return False
    return contract.covered_from <= on and (last is None or on <= last)
