from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from contractcore.contracts import (
    LinkedRecord,
    TicketLinks,
    WarningCode,
    association_warnings,
    cancel,
    contract_for_new_ticket,
    sla_policy_for_new_ticket,
)
from contractcore.errors import NaiveDatetimeError

from .builders import a_contract, a_service

GOLD = a_contract(sla_policy_id="gold", apply_to_new_tickets=True)


def test_a_new_ticket_falls_under_the_customers_contract_marked_for_new_tickets() -> None:
    assert contract_for_new_ticket([GOLD], "42", date(2026, 5, 4)) == GOLD


def test_a_contract_not_marked_for_new_tickets_is_not_picked() -> None:
    # "Leave it unchecked to prevent tickets from being under contract automatically."
    unmarked = a_contract(apply_to_new_tickets=False)
    assert contract_for_new_ticket([unmarked], "42", date(2026, 5, 4)) is None


def test_another_customers_contract_is_not_picked() -> None:
    assert contract_for_new_ticket([GOLD], "43", date(2026, 5, 4)) is None


def test_a_contract_outside_its_dates_is_not_picked() -> None:
    assert contract_for_new_ticket([GOLD], "42", date(2027, 1, 1)) is None
    assert contract_for_new_ticket([GOLD], "42", date(2025, 12, 31)) is None


def test_a_pending_contract_is_not_picked() -> None:
    pending = a_contract(status="pending", apply_to_new_tickets=True)
    assert contract_for_new_ticket([pending], "42", date(2026, 5, 4)) is None


def test_a_canceled_contract_is_picked_until_its_cancellation_date() -> None:
    canceled = cancel(GOLD, on=date(2026, 6, 30)).contract
    assert contract_for_new_ticket([canceled], "42", date(2026, 6, 30)) == canceled
    assert contract_for_new_ticket([canceled], "42", date(2026, 7, 1)) is None


def test_when_two_contracts_apply_the_one_started_last_wins_whatever_the_order() -> None:
    older = a_contract(id="c-1", number="CT-42-0001", apply_to_new_tickets=True)
    newer = a_contract(
        id="c-2", number="CT-42-0002", start_date=date(2026, 4, 1), apply_to_new_tickets=True
    )
    assert contract_for_new_ticket([older, newer], "42", date(2026, 5, 4)) == newer
    assert contract_for_new_ticket([newer, older], "42", date(2026, 5, 4)) == newer


def test_when_two_contracts_started_the_same_day_the_smaller_number_wins() -> None:
    first = a_contract(id="c-2", number="CT-42-0002", apply_to_new_tickets=True)
    second = a_contract(id="c-1", number="CT-42-0003", apply_to_new_tickets=True)
    assert contract_for_new_ticket([second, first], "42", date(2026, 5, 4)) == first


def test_an_aware_datetime_is_read_in_its_own_time_zone() -> None:
    late_new_year_eve = datetime(2026, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert contract_for_new_ticket([GOLD], "42", late_new_year_eve) == GOLD


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError, match="at must be timezone-aware"):
        contract_for_new_ticket([GOLD], "42", datetime(2026, 5, 4, 10))  # noqa: DTZ001 - on purpose


def test_a_new_ticket_defaults_to_its_contracts_sla() -> None:
    # "If assigned to a contract, all tickets created under that contract will be
    # defaulted to having that agreement."
    assert sla_policy_for_new_ticket([GOLD], "42", datetime(2026, 5, 4, 10, tzinfo=UTC)) == "gold"


def test_the_agent_can_override_the_default_sla() -> None:
    # "(You can edit the agreement to use if needed.)"
    assert (
        sla_policy_for_new_ticket([GOLD], "42", date(2026, 5, 4), override="platinum") == "platinum"
    )


def test_a_ticket_without_a_contract_gets_no_sla() -> None:
    # "SLAs do not automatically attach to tickets except through contracts."
    assert sla_policy_for_new_ticket([], "42", date(2026, 5, 4)) is None


def test_matching_associations_give_no_warning() -> None:
    contract = a_contract(services=(a_service("s-1"),))
    links = TicketLinks(
        customer_id="42",
        contract=contract,
        service=LinkedRecord(id="s-1", customer_id="42"),
        order=LinkedRecord(id="o-1", customer_id="42", contract_id="c-1"),
        quote=LinkedRecord(id="q-1", customer_id="42", contract_id="c-1"),
    )
    assert association_warnings(links) == ()


def test_a_contract_service_order_and_quote_that_do_not_match_give_three_warnings() -> None:
    # "Example where all three do not match"
    links = TicketLinks(
        customer_id="42",
        contract=a_contract(),
        service=LinkedRecord(id="s-7", contract_id="c-2"),
        order=LinkedRecord(id="o-7", contract_id="c-2"),
        quote=LinkedRecord(id="q-7"),
    )
    assert [w.code for w in association_warnings(links)] == [
        WarningCode.SERVICE_NOT_ON_CONTRACT,
        WarningCode.ORDER_NOT_FOR_CONTRACT,
        WarningCode.QUOTE_NOT_FOR_CONTRACT,
    ]


def test_a_warning_message_names_the_records_involved() -> None:
    links = TicketLinks(contract=a_contract(), service=LinkedRecord(id="s-7", contract_id="c-2"))
    (warning,) = association_warnings(links)
    assert warning.message == "service s-7 is not part of contract CT-42-0001"


def test_a_contract_of_another_customer_gives_a_warning() -> None:
    links = TicketLinks(customer_id="43", contract=a_contract())
    assert [w.code for w in association_warnings(links)] == [WarningCode.CONTRACT_CUSTOMER_MISMATCH]


def test_records_of_another_customer_give_warnings_even_without_a_contract() -> None:
    links = TicketLinks(
        customer_id="42",
        service=LinkedRecord(id="s-1", customer_id="43"),
        order=LinkedRecord(id="o-1", customer_id="42"),
    )
    assert [w.code for w in association_warnings(links)] == [WarningCode.SERVICE_CUSTOMER_MISMATCH]


def test_a_ticket_with_no_associations_gives_no_warning() -> None:
    assert association_warnings(TicketLinks()) == ()
