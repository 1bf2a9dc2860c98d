"""What is due on a given day: the nightly job, end-date notices, reminders, billing."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import attrs

from contractcore.contracts._dates import ONE_DAY
from contractcore.contracts._lifecycle import activate, complete, renew
from contractcore.contracts._model import Contract, ContractKind, ContractStatus, Reminder
from contractcore.errors import InvalidArgumentError
from contractcore.pricing import Period

__all__ = [
    "DueAction",
    "DueReminder",
    "EndOutcome",
    "NightlyRun",
    "Step",
    "UpcomingEnd",
    "billable_period",
    "due_actions",
    "due_soon",
    "reminders_due",
    "run_nightly",
]


def _day(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidArgumentError(f"{name} must be a datetime.date, got {value!r}")
    return value


def _whole_days(within: timedelta) -> int:
    if not isinstance(within, timedelta) or within < timedelta(0):
        raise InvalidArgumentError(f"within must be a non-negative timedelta, got {within!r}")
    return within.days


class Step(enum.StrEnum):
    """A lifecycle step the nightly job takes."""

    ACTIVATE = "activate"
    RENEW = "renew"
    COMPLETE = "complete"


@attrs.frozen(kw_only=True)
class DueAction:
    """One lifecycle step taken for one contract by :func:`run_nightly`.

    Attributes:
        step: What was done.
        effective_on: The day the step took effect: the start date for
            ``activate``, the first day of the new term for ``renew``, the day
            after the end date for ``complete``.
        before: The contract before the step.
        after: The contract after the step.
    """

    step: Step
    effective_on: date
    before: Contract
    after: Contract


@attrs.frozen(kw_only=True)
class NightlyRun:
    """What :func:`run_nightly` decided.

    Attributes:
        actions: Every step taken, per contract in input order, in the order taken.
        contracts: The changed contracts in their final state (save these).
    """

    actions: tuple[DueAction, ...]
    contracts: tuple[Contract, ...]


def _next_step(contract: Contract, today: date) -> tuple[Step, date] | None:
    if contract.status is ContractStatus.PENDING:
        if contract.start_date <= today:
            return Step.ACTIVATE, contract.start_date
        return None
    end = contract.end_date
    if contract.status is not ContractStatus.ACTIVE or end is None or end >= today:
        return None
    if contract.kind is ContractKind.AUTO_RENEW and contract.renewal is not None:
        return Step.RENEW, end + ONE_DAY
    return Step.COMPLETE, end + ONE_DAY


_APPLY = {Step.ACTIVATE: activate, Step.RENEW: renew, Step.COMPLETE: complete}


def run_nightly(contracts: Iterable[Contract], today: date) -> NightlyRun:
    """Decide and apply every lifecycle step due on ``today``: one call per night.

    * a pending contract whose start date has come is activated;
    * an active contract whose end date has passed (``end_date < today``:
      the end date itself is still covered) renews if it is auto-renewing,
      else completes. A renewed term that has itself passed renews again,
      so a job that missed nights catches up.

    Canceled and completed contracts are left alone. Running twice on the
    same day changes nothing the second time.

    >>> from contractcore.contracts import Contract, RenewalOptions
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="AV", status="active",
    ...              kind="auto_renew", start_date=date(2026, 1, 1), term_months=12,
    ...              renewal=RenewalOptions(term_months=12))
    >>> run = run_nightly([c], today=date(2027, 1, 1))
    >>> [(a.step.value, a.effective_on) for a in run.actions]
    [('renew', datetime.date(2027, 1, 1))]
    >>> run.contracts[0].end_date
    datetime.date(2027, 12, 31)
    """
    today = _day(today, "today")
    actions: list[DueAction] = []
    changed: list[Contract] = []
    for contract in contracts:
        current = contract
        while (due := _next_step(current, today)) is not None:
            step, effective_on = due
            after = _APPLY[step](current)
            actions.append(
                DueAction(step=step, effective_on=effective_on, before=current, after=after)
            )
            current = after
        if current is not contract:
            changed.append(current)
    return NightlyRun(actions=tuple(actions), contracts=tuple(changed))


def due_actions(contracts: Iterable[Contract], today: date) -> tuple[DueAction, ...]:
    """Return the steps :func:`run_nightly` would take on ``today`` (without saving anything)."""
    return run_nightly(contracts, today).actions


class EndOutcome(enum.StrEnum):
    """What happens after a contract's last covered day."""

    RENEW = "renew"
    COMPLETE = "complete"
    CANCEL = "cancel"


@attrs.frozen(kw_only=True)
class UpcomingEnd:
    """A contract whose last covered day is near (see :func:`due_soon`).

    Attributes:
        contract: The contract.
        last_day: Its last covered day (end date or cancellation date).
        outcome: ``renew``, ``complete`` or ``cancel`` (coverage stops on a
            cancellation date).
        days_left: Days from ``today`` to ``last_day`` (0 on the last day).
    """

    contract: Contract
    last_day: date
    outcome: EndOutcome
    days_left: int


def due_soon(
    contracts: Iterable[Contract], today: date, within: timedelta = timedelta(days=30)
) -> tuple[UpcomingEnd, ...]:
    """List contracts whose last covered day falls in ``[today, today + within]``.

    Pending and active contracts are considered with their end date;
    canceled ones with their cancellation date. Sorted by last day, then
    contract number. ``within`` counts whole days.

    >>> from contractcore.contracts import Contract
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="AV", status="active",
    ...              start_date=date(2026, 1, 1), term_months=12)
    >>> [(u.outcome.value, u.last_day, u.days_left) for u in due_soon([c], date(2026, 12, 1))]
    [('complete', datetime.date(2026, 12, 31), 30)]
    """
    today = _day(today, "today")
    horizon = today + timedelta(days=_whole_days(within))
    found: list[UpcomingEnd] = []
    for contract in contracts:
        if contract.status is ContractStatus.COMPLETED:
            continue
        last = contract.last_covered_day
        if last is None or not today <= last <= horizon:
            continue
        if contract.status is ContractStatus.CANCELED:
            outcome = EndOutcome.CANCEL
        elif contract.kind is ContractKind.AUTO_RENEW and contract.renewal is not None:
            outcome = EndOutcome.RENEW
        else:
            outcome = EndOutcome.COMPLETE
        found.append(
            UpcomingEnd(
                contract=contract, last_day=last, outcome=outcome, days_left=(last - today).days
            )
        )
    found.sort(key=lambda u: (u.last_day, u.contract.number))
    return tuple(found)


@attrs.frozen(kw_only=True)
class DueReminder:
    """A reminder of a contract that is due (see :func:`reminders_due`)."""

    contract: Contract
    reminder: Reminder


def reminders_due(
    contracts: Iterable[Contract], today: date, within: timedelta = timedelta(0)
) -> tuple[DueReminder, ...]:
    """List the reminders dated in ``[today, today + within]``, by date then contract number.

    >>> from contractcore.contracts import Contract, Reminder
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="AV",
    ...              start_date=date(2026, 1, 1), term_months=12,
    ...              reminders=(Reminder(on=date(2026, 11, 30), text="Call Ann"),))
    >>> [d.reminder.text for d in reminders_due([c], date(2026, 11, 23), timedelta(days=7))]
    ['Call Ann']
    """
    today = _day(today, "today")
    horizon = today + timedelta(days=_whole_days(within))
    found = [
        DueReminder(contract=contract, reminder=reminder)
        for contract in contracts
        for reminder in contract.reminders
        if today <= reminder.on <= horizon
    ]
    found.sort(key=lambda d: (d.reminder.on, d.contract.number))
    return tuple(found)


def billable_period(contract: Contract, period: Period) -> Period | None:
    """Clip a recurring invoice ``period`` to the days ``contract`` covers.

    Recurring billing stops at the end date (or the cancellation date) and
    does not start before :attr:`~Contract.covered_from` (the start date, or
    the first term's start after a renewal: the ending term's last month is
    still billed after the renewal). Completed contracts bill the days up to
    their end date (an open-ended one, with no known last day, nothing); a
    pending contract bills nothing. Returns None when no day of ``period``
    is covered.

    >>> from contractcore.contracts import Contract
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="AV", status="active",
    ...              start_date=date(2026, 1, 10), end_date=date(2026, 3, 15))
    >>> billable_period(c, Period(date(2026, 3, 1), date(2026, 3, 31)))
    Period(first=datetime.date(2026, 3, 1), last=datetime.date(2026, 3, 15))
    >>> billable_period(c, Period(date(2026, 4, 1), date(2026, 4, 30))) is None
    True
    """
    if not isinstance(period, Period):
        raise InvalidArgumentError(f"period must be a Period, got {period!r}")
    if contract.status is ContractStatus.PENDING:
        return None
    first, last = contract.covered_from, contract.last_covered_day
    if last is None and contract.status is ContractStatus.COMPLETED:
        return None
    if last is not None and last < first:
        return None
    if last is None:
        last = max(period.last, first)
    covered = Period(first, last)
    return covered.overlap(period)
