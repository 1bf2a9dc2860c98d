from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractcore.contracts import (
    Contract,
    ContractQuery,
    ContractStatus,
    TicketRecord,
    TimeEntry,
    contracts_per_customer,
    search_contracts,
    support_time_per_contract,
    tickets_per_contract,
)
from contractcore.errors import InvalidArgumentError

from .builders import a_contract
from .strategies import contract_dates, contracts

CONTRACTS = [
    a_contract(id="c-1", number="CT-1-0001", customer_id="1", term_months=12),
    a_contract(
        id="c-2",
        number="CT-2-0002",
        customer_id="2",
        term_months=12,
        status="canceled",
        cancellation_date=date(2026, 6, 30),
    ),
    a_contract(id="c-3", number="CT-3-0003", customer_id="3", term_months=24),
    a_contract(
        id="c-4",
        number="CT-1-0004",
        customer_id="1",
        term_months=None,
        start_date=date(2025, 5, 1),
        status="completed",
        end_date=date(2025, 12, 31),
    ),
    a_contract(id="c-5", number="CT-2-0005", customer_id="2", term_months=None, status="pending"),
]


def ids(found: tuple[Contract, ...]) -> list[str]:
    return [c.id for c in found]


def test_searching_contracts_with_a_12_month_term_for_clients_1_or_2() -> None:
    # "Search contracts with term set to 12 months and client ids 1 or 2"
    query = ContractQuery(term_months={12}, customer_ids={"1", "2"})
    assert ids(search_contracts(CONTRACTS, query)) == ["c-1", "c-2"]


def test_searching_by_status_accepts_plain_strings() -> None:
    assert ids(search_contracts(CONTRACTS, ContractQuery(statuses={"canceled"}))) == ["c-2"]


def test_searching_by_id_and_number() -> None:
    assert ids(search_contracts(CONTRACTS, ContractQuery(ids={"c-3"}))) == ["c-3"]
    assert ids(search_contracts(CONTRACTS, ContractQuery(numbers="CT-1-0004"))) == ["c-4"]


def test_date_ranges_are_inclusive_and_open_ended_contracts_never_match_an_end_bound() -> None:
    query = ContractQuery(end_from=date(2025, 12, 31), end_to=date(2026, 12, 31))
    assert ids(search_contracts(CONTRACTS, query)) == ["c-1", "c-2", "c-4"]
    query = ContractQuery(start_from=date(2025, 5, 1), start_to=date(2025, 5, 1))
    assert ids(search_contracts(CONTRACTS, query)) == ["c-4"]


def test_an_empty_query_matches_everything() -> None:
    assert ids(search_contracts(CONTRACTS, ContractQuery())) == ["c-1", "c-2", "c-3", "c-4", "c-5"]


def test_an_unknown_status_in_a_query_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="statuses has an unknown status"):
        ContractQuery(statuses={"expired"})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("term_months", 12, "term_months must be a collection, got 12"),
        ("customer_ids", 42, "customer_ids must be a collection, got 42"),
        ("statuses", 5, "statuses must be a collection, got 5"),
        ("term_months", {"12"}, "term_months must hold ints"),
        ("ids", [1], "ids must hold strings"),
    ],
)
def test_a_query_criterion_of_the_wrong_type_is_refused_naming_it(
    field: str, value: object, message: str
) -> None:
    # Was a bare TypeError ("'int' object is not iterable"), or a criterion
    # that silently never matched ({"12"}).
    with pytest.raises(InvalidArgumentError, match=message):
        ContractQuery(**{field: value})  # type: ignore[arg-type]


@given(
    contract=contracts(),
    statuses=st.none() | st.frozensets(st.sampled_from(ContractStatus)),
    terms=st.none() | st.frozensets(st.integers(1, 36), max_size=3),
    end_from=st.none() | contract_dates(),
    span=st.integers(0, 2000),
)
def test_a_query_matches_exactly_when_every_given_criterion_holds(
    contract: Contract,
    statuses: frozenset[ContractStatus] | None,
    terms: frozenset[int] | None,
    end_from: date | None,
    span: int,
) -> None:
    end_to = None if end_from is None else end_from + timedelta(days=span)
    query = ContractQuery(statuses=statuses, term_months=terms, end_from=end_from, end_to=end_to)
    expected = (
        (statuses is None or contract.status in statuses)
        and (terms is None or contract.term_months in terms)
        and (
            end_from is None
            or (
                contract.end_date is not None
                and end_to is not None
                and end_from <= contract.end_date <= end_to
            )
        )
    )
    assert query.matches(contract) is expected


def test_contracts_per_client_counts_each_status() -> None:
    rows = contracts_per_customer(CONTRACTS)
    assert [(r.customer_id, dict(r.by_status), r.total) for r in rows] == [
        ("1", {ContractStatus.ACTIVE: 1, ContractStatus.COMPLETED: 1}, 2),
        ("2", {ContractStatus.PENDING: 1, ContractStatus.CANCELED: 1}, 2),
        ("3", {ContractStatus.ACTIVE: 1}, 1),
    ]


def test_contracts_per_client_filtered_by_status_and_start_date() -> None:
    # "Contract status: return clients for contracts with one or more status."
    query = ContractQuery(statuses={"active", "canceled"}, start_from=date(2026, 1, 1))
    rows = contracts_per_customer(CONTRACTS, query)
    assert [(r.customer_id, r.total) for r in rows] == [("1", 1), ("2", 1), ("3", 1)]


def test_tickets_per_contract_counts_each_ticket_status() -> None:
    tickets = [
        TicketRecord(id="t-1", contract_id="c-1", status="Open"),
        TicketRecord(id="t-2", contract_id="c-1", status="Resolved"),
        TicketRecord(id="t-3", contract_id="c-1", status="Open"),
        TicketRecord(id="t-4", contract_id="c-3", status="Closed"),
        TicketRecord(id="t-5", contract_id=None, status="Open"),
    ]
    rows = tickets_per_contract(tickets)
    assert [(r.contract_id, dict(r.by_status), r.total) for r in rows] == [
        ("c-1", {"Open": 2, "Resolved": 1}, 3),
        ("c-3", {"Closed": 1}, 1),
    ]
    assert [r.contract_id for r in tickets_per_contract(tickets, contract_ids=["c-3"])] == ["c-3"]


def test_support_time_per_contract_lists_the_top_contracts_first() -> None:
    entries = [
        TimeEntry(ticket_id="t-1", contract_id="c-1", duration=timedelta(minutes=45)),
        TimeEntry(ticket_id="t-1", contract_id="c-1", duration=timedelta(minutes=15)),
        TimeEntry(ticket_id="t-2", contract_id="c-2", duration=timedelta(hours=3)),
        TimeEntry(ticket_id="t-3", contract_id="c-3", duration=timedelta(hours=1)),
        TimeEntry(ticket_id="t-4", contract_id=None, duration=timedelta(hours=9)),
    ]
    rows = support_time_per_contract(entries, top=2)
    assert [(r.contract_id, r.total, r.tickets) for r in rows] == [
        ("c-2", timedelta(hours=3), 1),
        ("c-1", timedelta(hours=1), 1),
    ]


def test_a_negative_time_entry_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="duration must be >= 0"):
        support_time_per_contract(
            [TimeEntry(ticket_id="t", contract_id="c", duration=timedelta(-1))]
        )


def test_a_creation_date_range_keeps_contracts_recorded_in_it() -> None:
    recorded = a_contract(id="c-7", created_on=date(2026, 2, 1))
    unknown = a_contract(id="c-8")
    query = ContractQuery(created_from=date(2026, 1, 1), created_to=date(2026, 2, 1))
    assert ids(search_contracts([recorded, unknown], query)) == ["c-7"]
    assert ids(search_contracts([recorded], ContractQuery(created_to=date(2026, 1, 31)))) == []
