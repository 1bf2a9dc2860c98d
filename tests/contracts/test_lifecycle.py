from __future__ import annotations

import itertools
from datetime import date, timedelta

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

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
from contractcore.money import Money
from contractcore.penalties import FixedPenalty, RemainingPercentPenalty
from contractcore.pricing import Period, Service
from contractcore.schedules import (
    PRICE,
    AtRenewal,
    On,
    Percent,
    Schedule,
    UpdateEvent,
    invoice_run,
)

from .builders import a_contract, a_service
from .strategies import auto_renewing_contracts

ONE_DAY = timedelta(days=1)


def an_auto_renewing_contract(**changes: object) -> Contract:
    fields: dict[str, object] = {
        "kind": "auto_renew",
        "renewal": RenewalOptions(term_months=12),
    }
    fields.update(changes)
    return a_contract(**fields)


def test_activating_a_pending_contract_makes_it_active() -> None:
    assert activate(a_contract(status="pending")).status is ContractStatus.ACTIVE


def test_activating_an_active_contract_is_refused_naming_its_status() -> None:
    with pytest.raises(
        ContractStateError, match="cannot activate contract CT-42-0001: status is active"
    ):
        activate(a_contract())


def test_lifecycle_functions_leave_the_given_contract_untouched() -> None:
    pending = a_contract(status="pending")
    activate(pending)
    assert pending.status is ContractStatus.PENDING


def test_a_renewal_starts_the_day_after_the_end_and_takes_the_renewal_term() -> None:
    renewed = renew(an_auto_renewing_contract(renewal=RenewalOptions(term_months=6)))
    assert renewed.start_date == date(2027, 1, 1)
    assert renewed.end_date == date(2027, 6, 30)
    assert renewed.term_months == 6


def test_a_renewal_keeps_identity_customer_and_services() -> None:
    contract = an_auto_renewing_contract(services=(a_service(),))
    renewed = renew(contract)
    assert (renewed.id, renewed.number, renewed.customer_id) == (contract.id, contract.number, "42")
    assert renewed.services == contract.services


def test_a_renewal_takes_the_penalty_and_schedules_of_the_renewal_options() -> None:
    uplift = Schedule(events=[UpdateEvent(On(date(2027, 7, 1)), PRICE, Percent(3))], name="renewal")
    contract = an_auto_renewing_contract(
        penalty=FixedPenalty(Money("500", "USD")),
        schedules=(Schedule(events=[UpdateEvent(On(date(2026, 7, 1)), PRICE, Percent(5))]),),
        renewal=RenewalOptions(
            term_months=12,
            penalty=RemainingPercentPenalty(10, Money("100", "USD")),
            schedules=(uplift,),
        ),
    )
    renewed = renew(contract)
    assert renewed.penalty == RemainingPercentPenalty(10, Money("100", "USD"))
    assert renewed.schedules == (uplift,)


def test_an_at_renewal_event_of_the_ending_term_is_kept_on_the_renewal_day() -> None:
    at_renewal = Schedule(
        events=[
            UpdateEvent(On(date(2026, 7, 1)), PRICE, Percent(5)),
            UpdateEvent(AtRenewal(), PRICE, Percent(10)),
        ],
        targets={"s-1"},
        name="yearly uplift",
    )
    renewal_schedule = Schedule(events=[UpdateEvent(AtRenewal(), PRICE, Percent(2))])
    contract = an_auto_renewing_contract(
        schedules=(at_renewal,),
        renewal=RenewalOptions(term_months=12, schedules=(renewal_schedule,)),
        # Invoiced through December: the July rise is applied, the renewal uplift is not.
        services=(attrs.evolve(SEATS, applied_up_to=date(2026, 12, 31)),),
    )
    renewed = renew(contract)
    assert renewed.schedules == (
        Schedule(
            events=[UpdateEvent(On(date(2027, 1, 1)), PRICE, Percent(10))],
            targets={"s-1"},
            name="yearly uplift",
            origin="renewal",
        ),
        renewal_schedule,
    )


SEATS = Service(
    id="s-1", product_id="seat", unit_price=Money("100", "USD"), start_date=date(2026, 1, 1)
)


def _month(year: int, month: int) -> Period:
    return Period.months(date(year, month, 1), 1)


def _billed(contract: Contract, period: Period) -> tuple[Contract, list[str]]:
    """Invoice ``period``; the contract with its services as stored after, and the line prices."""
    run = invoice_run(contract, period)
    return attrs.evolve(contract, services=run.services), [
        str(line.unit_price) for line in run.lines
    ]


def test_renewing_twice_before_invoicing_keeps_both_renewal_uplifts() -> None:
    """Found in review: the second renewal dropped the first one's pinned uplift."""
    uplift = Schedule(events=[UpdateEvent(AtRenewal(), PRICE, Percent(10))])
    monthly = an_auto_renewing_contract(
        term_months=1,
        renewal=RenewalOptions(term_months=1, schedules=(uplift,)),
        schedules=(uplift,),
        services=(SEATS,),
    )
    contract, january = _billed(monthly, _month(2026, 1))
    # The nightly job missed the night of March 1st: it renews twice on the 2nd.
    contract = run_nightly([contract], date(2026, 3, 2)).contracts[0]
    contract, february = _billed(contract, _month(2026, 2))
    contract, march = _billed(contract, _month(2026, 3))

    assert contract.renewal_count == 2
    assert (january, february, march) == (["USD 100.00"], ["USD 110.00"], ["USD 121.00"])


def test_an_ending_terms_event_not_yet_invoiced_still_applies_after_the_renewal() -> None:
    """The nightly job renews on January 1st, before December is invoiced."""
    december_rise = Schedule(events=[UpdateEvent(On(date(2026, 12, 15)), PRICE, Percent(5))])
    yearly = an_auto_renewing_contract(schedules=(december_rise,), services=(SEATS,))
    contract, _ = _billed(yearly, _month(2026, 11))
    contract = run_nightly([contract], date(2027, 1, 1)).contracts[0]
    contract, december = _billed(contract, _month(2026, 12))
    contract, january = _billed(contract, _month(2027, 1))
    renewed_again = renew(renew(contract))  # invoiced past it: it is left behind

    assert (december, january) == (["USD 105.00"], ["USD 105.00"])
    assert renewed_again.schedules == ()


def test_a_schedule_the_renewal_brings_back_is_not_carried_twice() -> None:
    mid_year = Schedule(events=[UpdateEvent(On(date(2026, 6, 1)), PRICE, Percent(10))])
    contract = an_auto_renewing_contract(
        schedules=(mid_year,),
        renewal=RenewalOptions(term_months=12, schedules=(mid_year,)),
        services=(SEATS,),
    )
    renewed = renew(contract)

    assert renewed.schedules == (mid_year,)
    assert _billed(renewed, _month(2026, 6))[1] == ["USD 110.00"]


def test_a_renewal_of_a_renewal_follows_on_again() -> None:
    contract = an_auto_renewing_contract(
        start_date=date(2026, 1, 31), term_months=1, renewal=RenewalOptions(term_months=1)
    )
    first = renew(contract)
    second = renew(first)
    assert (first.start_date, first.end_date) == (date(2026, 2, 28), date(2026, 3, 27))
    assert (second.start_date, second.end_date) == (date(2026, 3, 28), date(2026, 4, 27))
    assert second.renewal_count == 2


def test_renewing_a_contract_with_an_explicit_end_date_switches_to_the_renewal_term() -> None:
    contract = an_auto_renewing_contract(term_months=None, end_date=date(2026, 3, 15))
    renewed = renew(contract)
    assert (renewed.start_date, renewed.end_date) == (date(2026, 3, 16), date(2027, 3, 15))


def test_a_term_ending_february_28_of_a_leap_year_renews_on_february_29() -> None:
    contract = an_auto_renewing_contract(
        start_date=date(2027, 3, 1), term_months=12, renewal=RenewalOptions(term_months=12)
    )
    renewed = renew(contract)
    assert contract.end_date == date(2028, 2, 29)
    assert renewed.start_date == date(2028, 3, 1)


def test_renewing_a_contract_without_renewal_options_is_refused() -> None:
    with pytest.raises(ContractStateError, match="has no renewal options"):
        renew(a_contract())


def test_renewing_a_pending_contract_is_refused() -> None:
    with pytest.raises(
        ContractStateError, match="cannot renew contract CT-42-0001: status is pending"
    ):
        renew(an_auto_renewing_contract(status="pending"))


def test_renewing_an_open_ended_fixed_contract_is_refused() -> None:
    contract = a_contract(term_months=None, renewal=RenewalOptions(term_months=12))
    with pytest.raises(ContractStateError, match="has no end date"):
        renew(contract)


def test_completing_an_active_contract_marks_it_completed() -> None:
    assert complete(a_contract()).status is ContractStatus.COMPLETED


def test_completing_a_canceled_contract_is_refused() -> None:
    canceled = cancel(a_contract(), on=date(2026, 6, 30)).contract
    with pytest.raises(ContractStateError, match="status is canceled, must be active"):
        complete(canceled)


def test_canceling_records_the_last_covered_day_and_the_canceled_status() -> None:
    result = cancel(a_contract(), on=date(2026, 6, 30))
    assert result.contract.status is ContractStatus.CANCELED
    assert result.contract.cancellation_date == date(2026, 6, 30)
    assert result.contract.last_covered_day == date(2026, 6, 30)


def test_canceling_lists_the_services_that_end_after_the_cancellation_date() -> None:
    # "If certain services within the contract already have an end date, Ubersmith
    # will display a list of these services."
    ends_before = a_service("s-1", end_date=date(2026, 5, 31))
    ends_after = a_service("s-2", end_date=date(2026, 12, 31))
    open_ended = a_service("s-3")
    contract = a_contract(services=(ends_before, ends_after, open_ended))
    result = cancel(contract, on=date(2026, 6, 30))
    assert result.outliving_services == (ends_after, open_ended)
    assert result.contract.services == contract.services


def test_a_service_ending_on_the_cancellation_date_does_not_outlive_the_contract() -> None:
    contract = a_contract(services=(a_service(end_date=date(2026, 6, 30)),))
    assert cancel(contract, on=date(2026, 6, 30)).outliving_services == ()


def test_canceling_with_aligned_services_ends_them_on_the_cancellation_date() -> None:
    # "Cancel the contract at a specific date, the Service 1 end date will be
    # override by the cancellation date."
    contract = a_contract(
        services=(a_service("s-1", end_date=date(2026, 12, 31)), a_service("s-2"))
    )
    result = cancel(contract, on=date(2026, 6, 30), align_services=True)
    assert [s.end_date for s in result.contract.services] == [date(2026, 6, 30)] * 2
    assert result.outliving_services == result.contract.services


def test_aligning_leaves_a_service_that_starts_after_the_cancellation_date_unchanged() -> None:
    later = a_service("s-9", start_date=date(2026, 9, 1))
    result = cancel(a_contract(services=(later,)), on=date(2026, 6, 30), align_services=True)
    assert result.contract.services == (later,)
    assert result.outliving_services == (later,)


def test_canceling_on_the_last_day_of_the_term_is_allowed() -> None:
    assert cancel(a_contract(), on=date(2026, 12, 31)).contract.cancellation_date == date(
        2026, 12, 31
    )


def test_canceling_after_the_end_date_is_refused() -> None:
    with pytest.raises(
        InvalidArgumentError, match="on 2027-01-01 is after the end date 2026-12-31"
    ):
        cancel(a_contract(), on=date(2027, 1, 1))


def test_canceling_a_pending_contract_the_day_before_it_starts_covers_nothing() -> None:
    contract = a_contract(status="pending")
    canceled = cancel(contract, on=date(2025, 12, 31)).contract
    assert not any(is_in_force(canceled, date(2026, 1, 1) + ONE_DAY * d) for d in range(365))


def test_canceling_two_days_before_the_start_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="more than a day before the start date"):
        cancel(a_contract(), on=date(2025, 12, 30))


def test_canceling_a_completed_contract_is_refused() -> None:
    with pytest.raises(ContractStateError, match="cannot cancel"):
        cancel(complete(a_contract()), on=date(2026, 6, 30))


def test_a_canceled_contract_stays_in_force_up_to_its_cancellation_date() -> None:
    canceled = cancel(a_contract(), on=date(2026, 6, 30)).contract
    assert is_in_force(canceled, date(2026, 6, 30))
    assert not is_in_force(canceled, date(2026, 7, 1))


def test_revoking_a_cancellation_makes_the_contract_active_again() -> None:
    restored = revoke_cancellation(cancel(a_contract(), on=date(2026, 6, 30)).contract)
    assert restored.status is ContractStatus.ACTIVE
    assert restored.cancellation_date is None
    assert is_in_force(restored, date(2026, 12, 31))


def test_a_pending_contract_is_never_in_force_and_a_completed_one_only_in_its_term() -> None:
    completed = a_contract(status="completed")

    assert not is_in_force(a_contract(status="pending"), date(2026, 6, 1))
    assert completed.end_date == date(2026, 12, 31)
    assert is_in_force(completed, date(2026, 6, 1))
    assert is_in_force(completed, date(2026, 12, 31))
    assert not is_in_force(completed, date(2027, 1, 1))
    open_ended = attrs.evolve(completed, term_months=None)
    assert not is_in_force(open_ended, date(2026, 6, 1))  # no known last day


@given(contract=auto_renewing_contracts(), renewals=st.integers(min_value=1, max_value=6))
@example(
    contract=an_auto_renewing_contract(
        start_date=date(2024, 1, 31), term_months=1, renewal=RenewalOptions(term_months=1)
    ),
    renewals=3,
)
def test_each_renewed_term_follows_the_previous_one_with_no_gap_or_overlap(
    contract: Contract, renewals: int
) -> None:
    terms = [contract]
    for _ in range(renewals):
        terms.append(renew(terms[-1]))
    for previous, following in itertools.pairwise(terms):
        assert previous.end_date is not None
        assert following.start_date == previous.end_date + ONE_DAY
    # brute force: every day from the first start to the last end is covered by exactly one term
    last_end = terms[-1].end_date
    assert last_end is not None
    day_count = (last_end - contract.start_date).days + 1
    covered = sum((t.end_date - t.start_date).days + 1 for t in terms if t.end_date is not None)
    assert covered == day_count


@given(contract=auto_renewing_contracts())
def test_a_renewed_term_lasts_exactly_the_renewal_term_in_months(contract: Contract) -> None:
    renewed = renew(contract)
    assert contract.renewal is not None
    assert renewed.term_months == contract.renewal.term_months
    assert renewed.end_date is not None
    months_apart = (
        (renewed.end_date + ONE_DAY).year * 12
        + (renewed.end_date + ONE_DAY).month
        - (renewed.start_date.year * 12 + renewed.start_date.month)
    )
    assert months_apart == contract.renewal.term_months


def test_canceling_quotes_the_penalty_of_the_design_example() -> None:
    # DESIGN 5.1: 12 months from 2026-01-01, one service at 1,000.00 a month,
    # cancelled on 2026-06-30: RemainingPercentPenalty(10, minimum=100) is 600.00.
    contract = a_contract(
        services=(a_service(),), penalty=RemainingPercentPenalty(10, Money("100", "USD"))
    )
    assert cancel(contract, on=date(2026, 6, 30)).penalty.amount == Money("600.00", "USD")


def test_aligning_services_does_not_shrink_the_penalty() -> None:
    contract = a_contract(
        services=(a_service(),), penalty=RemainingPercentPenalty(10, Money("100", "USD"))
    )
    result = cancel(contract, on=date(2026, 6, 30), align_services=True)
    assert result.penalty.amount == Money("600.00", "USD")


def test_canceling_on_the_last_day_of_the_term_costs_nothing() -> None:
    contract = a_contract(services=(a_service(),), penalty=FixedPenalty(Money("250", "USD")))
    assert cancel(contract, on=date(2026, 12, 31)).penalty.amount == Money("0", "USD")
    assert cancel(contract, on=date(2026, 12, 30)).penalty.amount == Money("250.00", "USD")
