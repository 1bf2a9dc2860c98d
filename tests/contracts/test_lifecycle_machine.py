"""A state machine that drives one contract through random lifecycle steps and days."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from contractcore.contracts import (
    Contract,
    ContractStatus,
    RenewalOptions,
    activate,
    cancel,
    complete,
    is_in_force,
    renew,
    revoke_cancellation,
    run_nightly,
)
from contractcore.errors import ContractStateError, InvalidArgumentError

ONE_DAY = timedelta(days=1)

# The transitions the lifecycle functions may make, and nothing else.
ALLOWED = {
    ContractStatus.PENDING: {
        ContractStatus.PENDING,
        ContractStatus.ACTIVE,
        ContractStatus.CANCELED,
    },
    ContractStatus.ACTIVE: {
        ContractStatus.ACTIVE,
        ContractStatus.CANCELED,
        ContractStatus.COMPLETED,
    },
    # Revoking a cancellation gives back the status the contract was canceled from.
    ContractStatus.CANCELED: {
        ContractStatus.CANCELED,
        ContractStatus.ACTIVE,
        ContractStatus.PENDING,
    },
    ContractStatus.COMPLETED: {ContractStatus.COMPLETED},
}


#: The first term's start; every later term follows on without a gap.
FIRST_START = date(2028, 1, 31)


class ContractLifecycle(RuleBasedStateMachine):
    """Apply steps in any order; refused steps must leave no trace."""

    def __init__(self) -> None:
        super().__init__()
        self.contract = Contract(
            id="c-1",
            number="CT-1-0001",
            customer_id="1",
            name="Machine",
            kind="auto_renew",
            start_date=FIRST_START,
            term_months=1,
            renewal=RenewalOptions(term_months=2),
        )
        self.today = date(2028, 1, 20)
        self.renewals = 0
        self.canceled_from: ContractStatus | None = None

    def _step(self, new: Contract) -> None:
        assert new.status in ALLOWED[self.contract.status]
        if new.renewal_count > self.contract.renewal_count:
            assert self.contract.end_date is not None
            assert new.start_date == self.contract.end_date + ONE_DAY
            self.renewals += new.renewal_count - self.contract.renewal_count
        self.contract = new

    @rule(days=st.integers(min_value=0, max_value=70))
    def time_passes(self, days: int) -> None:
        self.today += timedelta(days=days)

    @rule()
    def nightly_job_runs(self) -> None:
        run = run_nightly([self.contract], self.today)
        for action in run.actions:
            self._step(action.after)
        assert run_nightly([self.contract], self.today).actions == ()

    @rule()
    def someone_activates(self) -> None:
        try:
            self._step(activate(self.contract))
        except ContractStateError:
            assert self.contract.status is not ContractStatus.PENDING

    @rule()
    def someone_renews(self) -> None:
        try:
            self._step(renew(self.contract))
        except ContractStateError:
            assert self.contract.status is not ContractStatus.ACTIVE

    @rule()
    def someone_completes(self) -> None:
        try:
            self._step(complete(self.contract))
        except ContractStateError:
            assert self.contract.status is not ContractStatus.ACTIVE

    @rule(offset=st.integers(min_value=-2, max_value=80))
    def someone_cancels(self, offset: int) -> None:
        on = self.contract.start_date + timedelta(days=offset)
        try:
            result = cancel(self.contract, on=on, align_services=True)
        except (ContractStateError, InvalidArgumentError):
            return
        assert result.contract.last_covered_day == on
        self.canceled_from = self.contract.status
        self._step(result.contract)

    @precondition(lambda self: self.contract.status is ContractStatus.CANCELED)
    @rule()
    def someone_revokes_the_cancellation(self) -> None:
        revoked = revoke_cancellation(self.contract)
        assert revoked.status is self.canceled_from
        assert revoked.status_before_cancellation is None
        self._step(revoked)

    @invariant()
    def the_status_before_cancellation_is_kept_exactly_while_canceled(self) -> None:
        prior = self.contract.status_before_cancellation
        if self.contract.status is ContractStatus.CANCELED:
            assert prior is self.canceled_from
        else:
            assert prior is None

    @invariant()
    def canceled_exactly_when_a_cancellation_date_is_set(self) -> None:
        assert (self.contract.status is ContractStatus.CANCELED) == (
            self.contract.cancellation_date is not None
        )

    @invariant()
    def renewal_count_counts_the_renewals(self) -> None:
        assert self.contract.renewal_count == self.renewals

    @invariant()
    def coverage_follows_status_and_dates(self) -> None:
        contract = self.contract
        last = contract.last_covered_day
        expected = (
            contract.status is not ContractStatus.PENDING
            and not (contract.status is ContractStatus.COMPLETED and last is None)
            and self.today >= FIRST_START  # renewals keep the earlier terms' days covered
            and (last is None or self.today <= last)
        )
        assert is_in_force(self.contract, self.today) is expected


# 20 steps reach renewals of renewals and cancellations of them; more only costs time.
ContractLifecycle.TestCase.settings = settings(stateful_step_count=20)
test_a_contract_survives_any_sequence_of_lifecycle_steps = ContractLifecycle.TestCase
