"""Lifecycle steps as pure functions: activate, renew, complete, cancel."""

from __future__ import annotations

from datetime import date, datetime

import attrs

from contractcore.contracts._dates import ONE_DAY
from contractcore.contracts._model import Contract, ContractStatus
from contractcore.errors import ContractStateError, InvalidArgumentError
from contractcore.penalties import PenaltyQuote, early_termination_penalty
from contractcore.pricing import Service
from contractcore.schedules import AtRenewal, On, Schedule

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
    schedules replace the contract's, except that the ending term's
    :class:`~contractcore.schedules.AtRenewal` events are kept, pinned with
    :class:`~contractcore.schedules.On` to the new term's first day (the
    day they fall on), and so are its ``On`` events up to that day that a
    service is not yet invoiced past, ahead of the renewal's schedules. The
    renewal options stay, so the renewed contract can renew again. Identity,
    customer, services and the rest carry over; ``renewal_count`` goes up by
    one, and ``first_start_date`` keeps the first term's start, so the days
    of the ending term stay covered (an invoice run for its last month after
    the renewal still bills it).

    Raises:
        ContractStateError: The contract is not active, has no renewal
            options, has no end date, or was canceled.

    >>> from contractcore.contracts import Contract, RenewalOptions
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="AV", status="active",
    ...              kind="auto_renew", start_date=date(2026, 1, 1), term_months=12,
    ...              renewal=RenewalOptions(term_months=6))
    >>> r = renew(c)
    >>> r.start_date, r.end_date, r.renewal_count
    (datetime.date(2027, 1, 1), datetime.date(2027, 6, 30), 1)
    """
    _require_status(contract, "renew", ContractStatus.ACTIVE)
    if contract.renewal is None:
        raise ContractStateError(
            f"cannot renew contract {contract.number}: it has no renewal options"
        )
    end = contract.end_date
    if end is None:
        raise ContractStateError(f"cannot renew contract {contract.number}: it has no end date")
    new_start = end + ONE_DAY
    return attrs.evolve(
        contract,
        start_date=new_start,
        first_start_date=contract.covered_from,
        term_months=contract.renewal.term_months,
        end_date=None,
        penalty=contract.renewal.penalty,
        schedules=_carried_events(contract, new_start) + contract.renewal.schedules,
        renewal_count=contract.renewal_count + 1,
    )


def _carried_events(contract: Contract, renewal_day: date) -> tuple[Schedule, ...]:
    """The ending term's events that must still apply after the renewal, pinned by date.

    Its *at contract renewal* events fall on the renewal day, which is
    invoiced after the renewal, and its ``On`` events up to that day may not
    be invoiced yet either (the nightly job renews before the last month is
    billed, or renews twice when it missed a night): without this they would
    vanish with the ending term's schedules. An ``On`` event every targeted
    service is already invoiced past is left behind, and so is a schedule of
    the renewal options, which comes back whole with the new term.
    """
    assert contract.renewal is not None  # checked by renew
    renewal_schedules = contract.renewal.schedules
    carried = []
    for schedule in contract.schedules:
        renewed = schedule in renewal_schedules
        targeted = [s for s in contract.services if schedule.applies_to(s.id)]
        events = []
        for event in schedule.events:
            when = event.when
            if isinstance(when, AtRenewal):
                events.append(attrs.evolve(event, when=On(renewal_day)))
            elif (
                isinstance(when, On)
                and not renewed
                and when.date <= renewal_day
                and any(s.applied_up_to is None or s.applied_up_to < when.date for s in targeted)
            ):
                events.append(event)
        if events:
            carried.append(attrs.evolve(schedule, events=tuple(events)))
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
