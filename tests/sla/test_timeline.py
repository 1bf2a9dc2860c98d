"""Ticket timelines: events validate themselves, and bad timelines name the event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from contractcore.errors import (
    ContractCoreError,
    InvalidArgumentError,
    InvalidTimelineError,
    NaiveDatetimeError,
)
from contractcore.sla import (
    CommentAdded,
    SlaPaused,
    SlaPolicy,
    StatusChanged,
    TicketCreated,
    TicketEvent,
    evaluate,
)

POLICY = SlaPolicy(name="24x7", resolve_within=timedelta(hours=4))
OPENED = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def later(minutes: int) -> datetime:
    return OPENED + timedelta(minutes=minutes)


def test_an_empty_timeline_is_refused_as_a_value_error() -> None:
    with pytest.raises(InvalidTimelineError, match="empty timeline") as caught:
        evaluate(POLICY, [], OPENED)
    assert isinstance(caught.value, ContractCoreError)
    assert isinstance(caught.value, ValueError)


def test_a_timeline_must_start_with_the_tickets_creation() -> None:
    with pytest.raises(InvalidTimelineError, match=r"events\[0\] \(StatusChanged"):
        evaluate(POLICY, [StatusChanged(OPENED, "Open")], later(5))


def test_an_event_earlier_than_the_one_before_it_is_named_by_its_index() -> None:
    events: list[TicketEvent] = [
        TicketCreated(OPENED),
        StatusChanged(later(10), "In Progress"),
        SlaPaused(later(5)),
    ]

    with pytest.raises(InvalidTimelineError, match=r"events\[2\] \(SlaPaused at .*\) is before"):
        evaluate(POLICY, events, later(60))


def test_an_event_before_now_listed_after_a_later_one_is_out_of_order_at_any_now() -> None:
    # DESIGN 3.2/3.3: out-of-order events raise; only events *after* now are ignored.
    events: list[TicketEvent] = [
        TicketCreated(OPENED),
        CommentAdded(later(180), public=True, author="agent"),
        StatusChanged(later(30), "Resolved"),  # not after now, so it cannot be ignored
    ]

    for now in (later(120), later(240)):
        with pytest.raises(
            InvalidTimelineError, match=r"events\[2\] \(StatusChanged at .*\) is before events\[1\]"
        ):
            evaluate(POLICY, events, now)


def test_events_after_now_may_still_be_out_of_order_among_themselves() -> None:
    events: list[TicketEvent] = [
        TicketCreated(OPENED),
        StatusChanged(later(180), "Resolved"),
        CommentAdded(later(150), public=True, author="agent"),
    ]

    status = evaluate(POLICY, events, later(120))

    assert status.resolution is not None
    assert status.resolution.state == "running"


def test_local_times_across_the_autumn_clock_change_are_in_order() -> None:
    # 01:30 EDT, then 01:10 EST forty minutes later: the wall clock went back.
    new_york = ZoneInfo("America/New_York")
    created = datetime(2026, 11, 1, 1, 30, tzinfo=new_york)
    moved = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=new_york)
    now = datetime(2026, 11, 1, 1, 50, fold=1, tzinfo=new_york)
    events: list[TicketEvent] = [TicketCreated(created), StatusChanged(moved, "On Hold")]
    policy = SlaPolicy(name="24x7", resolve_within=timedelta(hours=4), pause_statuses={"On Hold"})

    status = evaluate(policy, events, now)

    assert status.resolution is not None
    assert status.resolution.state == "paused"
    assert status.resolution.elapsed == timedelta(minutes=40)
    assert status.created_at == created
    assert status.created_at.tzinfo is new_york


def test_now_in_the_repeated_hour_is_after_a_creation_in_the_first_one() -> None:
    new_york = ZoneInfo("America/New_York")
    created = datetime(2026, 11, 1, 1, 50, tzinfo=new_york)  # EDT
    now = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=new_york)  # EST, 20 minutes later

    status = evaluate(POLICY, [TicketCreated(created)], now)

    assert status.resolution is not None
    assert status.resolution.elapsed == timedelta(minutes=20)


def test_an_event_before_creation_is_refused() -> None:
    events: list[TicketEvent] = [TicketCreated(OPENED), StatusChanged(later(-1), "Open")]

    with pytest.raises(InvalidTimelineError, match=r"events\[1\]"):
        evaluate(POLICY, events, later(60))


def test_a_second_creation_is_refused() -> None:
    events: list[TicketEvent] = [TicketCreated(OPENED), TicketCreated(later(1))]

    with pytest.raises(InvalidTimelineError, match=r"events\[1\] .* second TicketCreated"):
        evaluate(POLICY, events, later(60))


def test_something_that_is_not_an_event_is_refused_with_its_index() -> None:
    events: list[Any] = [TicketCreated(OPENED), "closed it"]

    with pytest.raises(InvalidTimelineError, match=r"events\[1\] \(str\) is not a ticket event"):
        evaluate(POLICY, events, later(60))


def test_evaluating_before_the_ticket_existed_is_refused() -> None:
    with pytest.raises(InvalidTimelineError, match="did not exist yet"):
        evaluate(POLICY, [TicketCreated(OPENED)], later(-1))


def test_events_at_the_same_instant_are_applied_in_list_order() -> None:
    events: list[TicketEvent] = [
        TicketCreated(OPENED),
        StatusChanged(later(30), "Resolved"),
        StatusChanged(later(30), "Open"),
    ]

    status = evaluate(POLICY, events, later(60))

    assert status.resolution is not None
    assert status.resolution.completed_at is None
    assert status.resolution.elapsed == timedelta(hours=1)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError, match="now"):
        evaluate(POLICY, [TicketCreated(OPENED)], datetime(2026, 5, 4, 12))  # noqa: DTZ001


def test_an_event_with_a_naive_time_cannot_be_built() -> None:
    with pytest.raises(NaiveDatetimeError, match=r"TicketCreated\.at"):
        TicketCreated(datetime(2026, 5, 4, 10))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: CommentAdded(OPENED, public=True, author="bot"), "author must be one of"),  # type: ignore[arg-type]
        (lambda: CommentAdded(OPENED, public="yes", author="agent"), "public must be a bool"),  # type: ignore[arg-type]
        (lambda: StatusChanged(OPENED, ""), "status must be a non-empty string"),
        (lambda: TicketCreated(OPENED, priority=1.5), "priority"),  # type: ignore[arg-type]
    ],
)
def test_events_refuse_bad_fields_naming_them(build: Any, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        build()
