from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from contractcore.contracts import (
    Attachment,
    Contract,
    ContractKind,
    ContractStatus,
    Reminder,
    RenewalOptions,
    term_end,
)
from contractcore.contracts._dates import add_months
from contractcore.errors import InvalidArgumentError
from contractcore.money import Money
from contractcore.penalties import FixedPenalty, NoPenalty
from contractcore.pricing import PriceOverride

from .builders import a_contract, a_service
from .strategies import contract_dates, contracts, term_lengths


def test_a_twelve_month_term_from_january_first_ends_on_december_thirty_first() -> None:
    assert a_contract().end_date == date(2026, 12, 31)


def test_a_one_month_term_starting_january_31_ends_the_day_before_february_28() -> None:
    assert a_contract(start_date=date(2026, 1, 31), term_months=1).end_date == date(2026, 2, 27)


def test_a_one_month_term_starting_january_31_of_a_leap_year_ends_february_28() -> None:
    assert a_contract(start_date=date(2028, 1, 31), term_months=1).end_date == date(2028, 2, 28)


def test_a_twelve_month_term_starting_on_a_leap_day_ends_february_27_next_year() -> None:
    assert a_contract(start_date=date(2024, 2, 29), term_months=12).end_date == date(2025, 2, 27)


def test_a_48_month_term_starting_on_a_leap_day_ends_the_day_before_the_next_leap_day() -> None:
    assert a_contract(start_date=date(2024, 2, 29), term_months=48).end_date == date(2028, 2, 28)


def test_an_explicit_end_date_is_kept_as_given() -> None:
    contract = a_contract(term_months=None, end_date=date(2026, 3, 15))
    assert contract.end_date == date(2026, 3, 15)


def test_a_contract_with_neither_term_nor_end_date_is_open_ended() -> None:
    contract = a_contract(term_months=None)
    assert contract.end_date is None
    assert contract.last_covered_day is None


def test_changing_the_term_with_evolve_moves_the_derived_end_date() -> None:
    contract = attrs.evolve(a_contract(), term_months=24)
    assert contract.end_date == date(2027, 12, 31)


def test_switching_from_a_term_to_an_explicit_end_date_takes_both_fields() -> None:
    contract = attrs.evolve(a_contract(), term_months=None, end_date=date(2026, 6, 30))
    assert contract.end_date == date(2026, 6, 30)


def test_status_and_kind_accept_plain_strings_and_compare_equal_to_them() -> None:
    contract = a_contract(status="pending", kind="fixed")
    assert contract.status is ContractStatus.PENDING
    assert str(contract.status) == "pending"
    assert contract.kind is ContractKind.FIXED


def test_an_end_date_before_the_start_date_is_refused_naming_both_dates() -> None:
    with pytest.raises(
        InvalidArgumentError, match="end_date 2025-12-31 is before start_date 2026-01-01"
    ):
        a_contract(term_months=None, end_date=date(2025, 12, 31))


def test_an_end_date_on_the_start_date_is_a_one_day_contract() -> None:
    assert a_contract(term_months=None, end_date=date(2026, 1, 1)).end_date == date(2026, 1, 1)


def test_a_likelihood_of_140_is_refused() -> None:
    with pytest.raises(
        InvalidArgumentError, match="likelihood must be an int from 0 to 100, got 140"
    ):
        a_contract(likelihood=140)


@pytest.mark.parametrize("likelihood", [0, 55, 100])
def test_likelihoods_from_0_to_100_are_accepted(likelihood: int) -> None:
    assert a_contract(likelihood=likelihood).likelihood == likelihood


def test_a_term_of_zero_months_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="term_months must be >= 1, got 0"):
        a_contract(term_months=0)


def test_a_renewal_term_of_zero_months_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="term_months must be >= 1, got 0"):
        RenewalOptions(term_months=0)


def test_an_auto_renew_contract_without_renewal_options_is_refused() -> None:
    with pytest.raises(
        InvalidArgumentError, match="renewal must be given for an auto_renew contract"
    ):
        a_contract(kind="auto_renew")


def test_an_open_ended_auto_renew_contract_is_refused() -> None:
    with pytest.raises(
        InvalidArgumentError, match="auto_renew contract needs term_months or end_date"
    ):
        a_contract(kind="auto_renew", term_months=None, renewal=RenewalOptions(term_months=12))


def test_giving_both_a_term_and_an_end_date_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="give term_months or end_date, not both"):
        a_contract(end_date=date(2026, 12, 31))


def test_an_unknown_status_is_refused_listing_the_allowed_ones() -> None:
    with pytest.raises(InvalidArgumentError, match="status must be one of pending, active"):
        a_contract(status="signed")


def test_a_datetime_is_refused_as_a_start_date() -> None:
    with pytest.raises(InvalidArgumentError, match=r"start_date must be a datetime\.date"):
        a_contract(start_date=datetime(2026, 1, 1, tzinfo=UTC))


def test_an_estimated_value_in_another_currency_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match=r"estimated_value is in EUR .*bills in USD"):
        a_contract(estimated_value=Money("5000", "EUR"))


def test_a_lower_case_currency_code_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="currency must be an ISO 4217 code"):
        a_contract(currency="usd")


def test_an_empty_customer_id_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="customer_id must be a non-empty string"):
        a_contract(customer_id="")


def test_a_reminder_without_text_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="text must be a non-empty string"):
        Reminder(on=date(2026, 5, 1), text="  ")


def test_an_attachment_needs_a_storage_key() -> None:
    with pytest.raises(InvalidArgumentError, match="storage_key must be a non-empty string"):
        Attachment(name="signed.pdf", media_type="application/pdf", storage_key="")


def test_a_contract_carries_every_field_of_the_source_contract_form() -> None:
    contract = a_contract(
        estimated_value=Money("12000.00", "USD"),
        likelihood=80,
        primary_contact_id="contact-3",
        description="Antivirus for 25 seats",
        notes="Signed at the October meeting",
        assigned_technician_id="tech-7",
        sla_policy_id="gold",
        apply_to_new_tickets=True,
        reminders=(Reminder(on=date(2026, 11, 1), text="Discuss renewal", assignee_id="sales-2"),),
        attachments=(
            Attachment(name="signed.pdf", media_type="application/pdf", storage_key="files/91"),
        ),
        services=(a_service(),),
        price_overrides=(PriceOverride("labor-hour", Money("95.00", "USD")),),
        blocklist={"legacy-backup"},
        penalty=FixedPenalty(Money("250", "USD")),
    )
    assert contract.blocklist == frozenset({"legacy-backup"})
    assert contract.reminders[0].assignee_id == "sales-2"
    assert contract.attachments[0].storage_key == "files/91"


def test_a_new_contract_defaults_to_pending_fixed_usd_with_no_penalty() -> None:
    contract = Contract(
        id="c", number="N-1", customer_id="7", name="AV", start_date=date(2026, 1, 1)
    )
    assert (contract.status, contract.kind, contract.currency) == ("pending", "fixed", "USD")
    assert contract.penalty == NoPenalty()


def test_a_blocklist_given_as_one_string_is_refused_rather_than_split_into_letters() -> None:
    with pytest.raises(InvalidArgumentError, match="blocklist must be a collection"):
        a_contract(blocklist="backup")


def test_the_last_covered_day_is_the_cancellation_date_when_earlier_than_the_end() -> None:
    contract = a_contract(status="canceled", cancellation_date=date(2026, 6, 30))
    assert contract.last_covered_day == date(2026, 6, 30)
    assert a_contract().last_covered_day == date(2026, 12, 31)


@given(start=contract_dates(), months=term_lengths(120))
def test_a_term_ends_on_the_last_day_before_start_plus_n_months(start: date, months: int) -> None:
    end = term_end(start, months)
    # brute force: the next term's first day is `months` calendar months later,
    # clamped to the month's length.
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    day = start.day
    while True:
        try:
            expected_next = date(year, month0 + 1, day)
            break
        except ValueError:
            day -= 1
    assert end.toordinal() + 1 == expected_next.toordinal()


@given(contracts())
def test_every_generated_contract_ends_on_or_after_its_start(contract: Contract) -> None:
    assert contract.end_date is None or contract.end_date >= contract.start_date


def test_a_canceled_contract_without_a_cancellation_date_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="given exactly when status is canceled"):
        a_contract(status="canceled")


def test_a_cancellation_date_on_an_active_contract_is_refused() -> None:
    with pytest.raises(
        InvalidArgumentError, match="status=active and cancellation_date=2026-06-30"
    ):
        a_contract(cancellation_date=date(2026, 6, 30))


def test_services_given_as_a_list_are_refused_with_a_contractcore_error() -> None:
    with pytest.raises(InvalidArgumentError, match="services must be a tuple of Service"):
        a_contract(services=[a_service()])


def test_renewal_options_of_the_wrong_type_are_refused() -> None:
    with pytest.raises(
        InvalidArgumentError, match="renewal must be RenewalOptions or None, got 12"
    ):
        a_contract(renewal=12)


def test_a_datetime_end_date_is_refused_under_its_public_name() -> None:
    with pytest.raises(InvalidArgumentError, match=r"^end_date must be a datetime\.date"):
        a_contract(term_months=None, end_date=datetime(2026, 5, 1, tzinfo=UTC))


def test_a_penalty_that_is_not_a_penalty_kind_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="penalty must be NoPenalty or FixedPenalty"):
        a_contract(penalty=Money("250", "USD"))


def test_a_blocklist_holding_a_number_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="blocklist must hold non-empty strings"):
        a_contract(blocklist={"backup", 7})


def test_a_negative_renewal_count_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="renewal_count must be an int >= 0, got -1"):
        a_contract(renewal_count=-1)


@given(day=contract_dates(), months=st.integers(min_value=-240, max_value=240))
def test_month_arithmetic_agrees_with_relativedelta(day: date, months: int) -> None:
    assert add_months(day, months) == day + relativedelta(months=months)


@given(start=contract_dates(), months=term_lengths(120))
def test_the_derived_end_date_is_start_plus_n_months_minus_one_day_by_relativedelta(
    start: date, months: int
) -> None:
    contract = a_contract(start_date=start, term_months=months)
    assert contract.end_date == start + relativedelta(months=months) - timedelta(days=1)
