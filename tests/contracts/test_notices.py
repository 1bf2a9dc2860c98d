from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from contractcore.contracts import (
    Contract,
    ContractStatus,
    EndOutcome,
    Reminder,
    RenewalOptions,
    Step,
    billable_period,
    cancel,
    complete,
    due_actions,
    due_soon,
    is_in_force,
    reminders_due,
    renew,
    run_nightly,
)
from contractcore.errors import InvalidArgumentError
from contractcore.pricing import Period

from .builders import a_contract
from .strategies import contract_dates, contracts


def test_the_nightly_job_activates_a_pending_contract_on_its_start_date() -> None:
    run = run_nightly([a_contract(status="pending")], today=date(2026, 1, 1))
    assert [(a.step, a.effective_on) for a in run.actions] == [(Step.ACTIVATE, date(2026, 1, 1))]
    assert run.contracts[0].status is ContractStatus.ACTIVE


def test_the_nightly_job_leaves_a_pending_contract_alone_before_its_start() -> None:
    assert run_nightly([a_contract(status="pending")], today=date(2025, 12, 31)).actions == ()


def test_a_contract_is_not_completed_on_its_end_date_which_it_still_covers() -> None:
    assert due_actions([a_contract()], today=date(2026, 12, 31)) == ()


def test_a_fixed_contract_completes_the_day_after_its_end_date() -> None:
    run = run_nightly([a_contract()], today=date(2027, 1, 1))
    assert [(a.step, a.effective_on) for a in run.actions] == [(Step.COMPLETE, date(2027, 1, 1))]
    assert run.contracts[0].status is ContractStatus.COMPLETED


def test_an_auto_renewing_contract_renews_the_day_after_its_end_date() -> None:
    contract = a_contract(kind="auto_renew", renewal=RenewalOptions(term_months=12))
    run = run_nightly([contract], today=date(2027, 1, 1))
    assert [a.step for a in run.actions] == [Step.RENEW]
    assert run.contracts[0].start_date == date(2027, 1, 1)


def test_a_job_that_missed_nights_catches_up_every_renewal() -> None:
    contract = a_contract(kind="auto_renew", renewal=RenewalOptions(term_months=6))
    run = run_nightly([contract], today=date(2028, 1, 15))
    assert [(a.step, a.effective_on) for a in run.actions] == [
        (Step.RENEW, date(2027, 1, 1)),
        (Step.RENEW, date(2027, 7, 1)),
        (Step.RENEW, date(2028, 1, 1)),
    ]
    assert is_in_force(run.contracts[0], date(2028, 1, 15))


def test_a_pending_contract_whose_whole_term_has_passed_is_activated_then_completed() -> None:
    run = run_nightly([a_contract(status="pending")], today=date(2027, 3, 1))
    assert [a.step for a in run.actions] == [Step.ACTIVATE, Step.COMPLETE]


def test_the_nightly_job_leaves_canceled_contracts_and_open_ended_ones_alone() -> None:
    canceled = cancel(a_contract(), on=date(2026, 3, 31)).contract
    open_ended = a_contract(id="c-2", number="CT-42-0002", term_months=None)
    assert run_nightly([canceled, open_ended], today=date(2030, 1, 1)).actions == ()


def test_the_nightly_job_returns_only_the_contracts_it_changed() -> None:
    changed = a_contract(id="c-1", status="pending")
    unchanged = a_contract(id="c-2", number="CT-42-0002", start_date=date(2026, 6, 1))
    run = run_nightly([changed, unchanged], today=date(2026, 1, 1))
    assert [c.id for c in run.contracts] == ["c-1"]


@given(contract=contracts(), today=contract_dates())
def test_running_the_nightly_job_twice_on_the_same_day_changes_nothing_the_second_time(
    contract: Contract, today: date
) -> None:
    first = run_nightly([contract], today)
    after = first.contracts[0] if first.contracts else contract
    assert run_nightly([after], today).actions == ()


@given(
    contract=contracts(statuses=(ContractStatus.PENDING, ContractStatus.ACTIVE)),
    today=contract_dates(),
)
def test_after_the_nightly_job_a_started_contract_is_in_force_or_finished(
    contract: Contract, today: date
) -> None:
    run = run_nightly([contract], today)
    after = run.contracts[0] if run.contracts else contract
    if contract.start_date <= today:
        assert is_in_force(after, today) or after.status is ContractStatus.COMPLETED


def test_due_soon_lists_renewals_and_completions_within_the_window_by_date() -> None:
    renewing = a_contract(
        id="c-2",
        number="CT-42-0002",
        kind="auto_renew",
        start_date=date(2025, 12, 10),
        renewal=RenewalOptions(term_months=12),
    )
    completing = a_contract()
    far = a_contract(id="c-3", number="CT-42-0003", start_date=date(2026, 3, 1))
    found = due_soon(
        [completing, renewing, far], today=date(2026, 11, 23), within=timedelta(days=30)
    )
    assert [(u.contract.id, u.outcome, u.last_day, u.days_left) for u in found] == [
        ("c-2", EndOutcome.RENEW, date(2026, 12, 9), 16),
    ]
    found = due_soon(
        [completing, renewing, far], today=date(2026, 11, 23), within=timedelta(days=38)
    )
    assert [(u.contract.id, u.outcome) for u in found] == [
        ("c-2", EndOutcome.RENEW),
        ("c-1", EndOutcome.COMPLETE),
    ]


def test_due_soon_includes_the_last_day_itself_and_the_window_edge() -> None:
    assert len(due_soon([a_contract()], date(2026, 12, 31), timedelta(0))) == 1
    assert len(due_soon([a_contract()], date(2026, 12, 1), timedelta(days=30))) == 1
    assert due_soon([a_contract()], date(2026, 11, 30), timedelta(days=30)) == ()


def test_due_soon_reports_a_scheduled_cancellation_as_such() -> None:
    canceled = cancel(a_contract(), on=date(2026, 12, 5)).contract
    (found,) = due_soon([canceled], date(2026, 11, 23))
    assert (found.outcome, found.last_day) == (EndOutcome.CANCEL, date(2026, 12, 5))


def test_due_soon_skips_completed_and_open_ended_contracts() -> None:
    assert (
        due_soon([a_contract(status="completed"), a_contract(term_months=None)], date(2026, 12, 1))
        == ()
    )


def test_due_soon_refuses_a_negative_window() -> None:
    with pytest.raises(InvalidArgumentError, match="within must be a non-negative timedelta"):
        due_soon([], date(2026, 1, 1), timedelta(days=-1))


def test_reminders_due_lists_the_reminders_dated_in_the_window() -> None:
    contract = a_contract(
        reminders=(
            Reminder(on=date(2026, 11, 30), text="Call about renewal", assignee_id="sales-2"),
            Reminder(on=date(2026, 11, 24), text="Send usage report"),
            Reminder(on=date(2026, 12, 24), text="Too late"),
        )
    )
    due = reminders_due([contract], date(2026, 11, 23), within=timedelta(days=7))
    assert [d.reminder.text for d in due] == ["Send usage report", "Call about renewal"]


def test_recurring_billing_stops_at_the_end_date() -> None:
    contract = a_contract(term_months=None, end_date=date(2026, 3, 15))
    assert billable_period(contract, Period(date(2026, 3, 1), date(2026, 3, 31))) == Period(
        date(2026, 3, 1), date(2026, 3, 15)
    )
    assert billable_period(contract, Period(date(2026, 4, 1), date(2026, 4, 30))) is None


@given(contract=contracts(statuses=(ContractStatus.ACTIVE,)), renewals=st.integers(1, 3))
def test_after_renewals_every_day_of_the_earlier_terms_is_still_billable(
    contract: Contract, renewals: int
) -> None:
    """Found in review: a renewal moved the start date and the last month went unbilled."""
    assume(contract.renewal is not None and contract.end_date is not None)
    renewed = contract
    for _ in range(renewals):
        renewed = renew(renewed)
    assert renewed.end_date is not None
    whole = Period(contract.start_date, renewed.end_date)

    assert billable_period(renewed, whole) == whole
    assert billable_period(complete(renewed), whole) == whole
    assert billable_period(renewed, Period(whole.first - timedelta(days=1), whole.first)) == (
        Period(whole.first, whole.first)
    )


def test_recurring_billing_stops_at_the_cancellation_date() -> None:
    canceled = cancel(a_contract(), on=date(2026, 6, 10)).contract
    assert billable_period(canceled, Period(date(2026, 6, 1), date(2026, 6, 30))) == Period(
        date(2026, 6, 1), date(2026, 6, 10)
    )


def test_billing_does_not_start_before_the_start_date() -> None:
    contract = a_contract(start_date=date(2026, 1, 10), term_months=None)
    assert billable_period(contract, Period(date(2026, 1, 1), date(2026, 1, 31))) == Period(
        date(2026, 1, 10), date(2026, 1, 31)
    )


def test_a_pending_contract_bills_nothing() -> None:
    assert (
        billable_period(a_contract(status="pending"), Period(date(2026, 1, 1), date(2026, 1, 31)))
        is None
    )


def test_a_contract_canceled_before_it_started_bills_nothing() -> None:
    canceled = cancel(a_contract(status="pending"), on=date(2025, 12, 31)).contract
    assert billable_period(canceled, Period(date(2026, 1, 1), date(2026, 1, 31))) is None


@given(
    contract=contracts(
        statuses=(ContractStatus.ACTIVE, ContractStatus.CANCELED, ContractStatus.COMPLETED)
    ),
    first=contract_dates(),
    length=st.integers(min_value=0, max_value=120),
)
def test_the_billable_period_is_exactly_the_covered_days_of_the_period(
    contract: Contract, first: date, length: int
) -> None:
    period = Period(first, first + timedelta(days=length))
    clipped = billable_period(contract, period)
    days = [period.first + timedelta(days=d) for d in range(period.days)]
    covered = [d for d in days if is_in_force(contract, d)]
    if clipped is None:
        assert covered == []
    else:
        assert covered == [clipped.first + timedelta(days=d) for d in range(clipped.days)]


@given(
    contract=contracts(statuses=(ContractStatus.PENDING, ContractStatus.ACTIVE)),
    days=st.integers(min_value=0, max_value=120),
)
@example(
    contract=a_contract(
        status="pending",
        kind="auto_renew",
        start_date=date(2028, 1, 31),
        term_months=1,
        renewal=RenewalOptions(term_months=1),
    ),
    days=120,
)
def test_one_catch_up_run_ends_where_running_every_night_would(
    contract: Contract, days: int
) -> None:
    # brute force: run the job every single night from the start date on
    nightly = contract
    for offset in range(days + 1):
        run = run_nightly([nightly], contract.start_date + timedelta(days=offset))
        if run.contracts:
            nightly = run.contracts[0]
    catch_up = run_nightly([contract], contract.start_date + timedelta(days=days))
    assert (catch_up.contracts[0] if catch_up.contracts else contract) == nightly
