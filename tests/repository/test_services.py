"""The application services (DESIGN 6.1): one call each, validated when stored."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from contractcore.errors import (
    EventOrderError,
    InvalidTimelineError,
    NotFoundError,
    UnknownReferenceError,
    UnknownStatusError,
)
from contractcore.repository import (
    UnitOfWork,
    evaluate_ticket,
    open_ticket,
    record_ticket_event,
    renewals_due,
    sla_board,
)
from contractcore.repository.sql import SqlUnitOfWork, create_schema, open_engine
from contractcore.sla import CommentAdded, StatusChanged, TicketCreated, evaluate
from contractcore.testing import InMemoryStore, InMemoryUnitOfWork
from contractcore.testing.samples import a_contract, a_policy, a_ticket

NewUow = Callable[[], UnitOfWork]
OPENED = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@pytest.fixture(params=["memory", "sqlite"])
def new_uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NewUow]:
    if request.param == "memory":
        store = InMemoryStore()
        yield lambda: InMemoryUnitOfWork(store)
        return
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    yield lambda: SqlUnitOfWork(engine)
    engine.dispose()


@pytest.fixture
def stored(new_uow: NewUow) -> NewUow:
    with new_uow() as uow:
        uow.contracts.add("acme", a_contract("c-1"))
        uow.sla_policies.add("acme", "gold", a_policy())
    open_ticket(new_uow(), "acme", a_ticket(), open_statuses={"Open"})
    return new_uow


def test_recording_an_event_appends_it_and_bumps_the_version(stored: NewUow) -> None:
    reply = CommentAdded(OPENED + timedelta(hours=2), public=True, author="agent")
    saved = record_ticket_event(stored(), "acme", "1041", reply)
    assert saved.version == 2
    assert saved.value.events[-1] == reply
    with stored() as uow:
        assert uow.tickets.get("acme", "1041") == saved


def test_an_event_at_the_same_instant_as_the_last_is_accepted(stored: NewUow) -> None:
    same = StatusChanged(OPENED + timedelta(hours=1), "Open")
    assert record_ticket_event(stored(), "acme", "1041", same).value.events[-1] == same


def test_an_event_before_the_last_one_is_refused_naming_both_instants(stored: NewUow) -> None:
    early = CommentAdded(OPENED + timedelta(minutes=30), public=True, author="agent")
    with pytest.raises(EventOrderError, match=r"events\[2\].*before the ticket's last event"):
        record_ticket_event(stored(), "acme", "1041", early)
    with stored() as uow:
        assert uow.tickets.get("acme", "1041").version == 1  # nothing written


def test_a_second_creation_is_refused(stored: NewUow) -> None:
    with pytest.raises(EventOrderError, match="created already"):
        record_ticket_event(stored(), "acme", "1041", TicketCreated(OPENED + timedelta(hours=3)))


def test_a_status_the_policy_does_not_know_is_refused_naming_it(stored: NewUow) -> None:
    typo = StatusChanged(OPENED + timedelta(hours=2), "Reslved")
    with pytest.raises(UnknownStatusError, match=r"'Reslved'.*Closed, Open, Resolved, Waiting"):
        record_ticket_event(stored(), "acme", "1041", typo)
    ok = StatusChanged(OPENED + timedelta(hours=2), "In Progress")
    saved = record_ticket_event(stored(), "acme", "1041", ok, open_statuses={"Open", "In Progress"})
    assert saved.value.events[-1] == ok


def test_an_unknown_policy_or_contract_is_refused_when_opening(stored: NewUow) -> None:
    with pytest.raises(UnknownReferenceError, match="sla_policy_id 'silver'"):
        open_ticket(stored(), "acme", a_ticket("1042", sla_policy_id="silver"))
    with pytest.raises(UnknownReferenceError, match="contract_id 'c-9'"):
        open_ticket(stored(), "acme", a_ticket("1042", contract_id="c-9"))
    with pytest.raises(EventOrderError, match="must be a TicketCreated"):
        open_ticket(stored(), "acme", a_ticket("1042", events=[StatusChanged(OPENED, "Open")]))
    assert issubclass(UnknownReferenceError, NotFoundError)
    assert issubclass(UnknownStatusError, InvalidTimelineError)


def test_an_event_for_a_missing_ticket_raises_not_found(stored: NewUow) -> None:
    with pytest.raises(NotFoundError, match="1099"):
        record_ticket_event(stored(), "acme", "1099", StatusChanged(OPENED, "Open"))


def test_a_retried_event_with_its_key_is_recorded_once(stored: NewUow) -> None:
    reply = CommentAdded(OPENED + timedelta(hours=2), public=True, author="agent")
    first = record_ticket_event(stored(), "acme", "1041", reply, idempotency_key="mail-7")
    later = StatusChanged(OPENED + timedelta(hours=3), "Resolved")
    record_ticket_event(stored(), "acme", "1041", later)
    again = record_ticket_event(stored(), "acme", "1041", reply, idempotency_key="mail-7")
    assert again == first
    with stored() as uow:
        assert len(uow.tickets.get("acme", "1041").value.events) == 4


def test_evaluating_a_stored_ticket_equals_evaluating_its_timeline(stored: NewUow) -> None:
    now = OPENED + timedelta(days=1)
    assert evaluate_ticket(stored(), "acme", "1041", now) == evaluate(
        a_policy(), a_ticket().events, now
    )


def test_the_board_lists_open_tickets_worst_first_and_counts_the_rest(stored: NewUow) -> None:
    open_ticket(stored(), "acme", a_ticket("1042", events=[TicketCreated(OPENED)]))
    open_ticket(
        stored(),
        "acme",
        a_ticket(
            "1043",
            events=[TicketCreated(OPENED), StatusChanged(OPENED + timedelta(minutes=5), "Closed")],
        ),
    )
    open_ticket(
        stored(), "acme", a_ticket("1044", events=[TicketCreated(OPENED + timedelta(days=9))])
    )
    board = sla_board(stored(), "acme", OPENED + timedelta(hours=3))
    assert [row.ticket.id for row in board.rows] == ["1042", "1041"]
    assert (board.stored, board.resolved, board.not_created_yet) == (4, 1, 1)
    assert board.rows[0].status.color == "red"


def test_renewals_due_lists_the_stored_contracts_ending_soon(stored: NewUow) -> None:
    with stored() as uow:
        uow.contracts.add("acme", a_contract("c-2", start_date=date(2026, 3, 1)))
    due = renewals_due(stored(), "acme", date(2026, 12, 15), timedelta(days=30))
    assert [(u.contract.id, u.last_day) for u in due] == [("c-1", date(2026, 12, 31))]
