"""evaluate_many, triage and compliance_report."""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import attrs
import pytest

from contractcore.errors import InvalidArgumentError, InvalidTimelineError
from contractcore.sla import (
    CommentAdded,
    SlaPolicy,
    SlaStatus,
    StatusChanged,
    TicketCreated,
    TicketEvent,
    compliance_report,
    evaluate,
    evaluate_many,
    percentile,
    triage,
)
from contractcore.sla.calendar import BusinessCalendar

POLICY = SlaPolicy(
    name="24x7",
    response_within=timedelta(hours=1),
    resolve_within=timedelta(hours=4),
    pause_statuses={"On Hold"},
)
NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def ago(minutes: int) -> datetime:
    return NOW - timedelta(minutes=minutes)


def test_evaluate_many_yields_the_same_statuses_as_evaluate_one_by_one() -> None:
    tickets: list[tuple[str, SlaPolicy, list[TicketEvent]]] = [
        ("T1", POLICY, [TicketCreated(ago(30))]),
        ("T2", POLICY, [TicketCreated(ago(300)), StatusChanged(ago(10), "Resolved")]),
    ]

    results = list(evaluate_many(tickets, NOW))

    assert results == [
        (ticket, evaluate(policy, events, NOW)) for ticket, policy, events in tickets
    ]


def test_evaluate_many_is_lazy_and_keeps_nothing_between_tickets() -> None:
    def endless() -> Iterator[tuple[int, SlaPolicy, list[TicketEvent]]]:
        number = 0
        while True:
            number += 1
            yield number, POLICY, [TicketCreated(ago(number % 500))]

    stream = evaluate_many(endless(), NOW)
    for _ in range(200):  # warm up caches
        next(stream)
    tracemalloc.start()
    try:
        for _ in range(2_000):
            next(stream)
        after_few = tracemalloc.get_traced_memory()[0]
        for _ in range(10_000):
            next(stream)
        after_many = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert after_many - after_few < 20_000  # bytes: flat, not per ticket


def test_a_stream_with_a_new_calendar_object_for_every_ticket_keeps_only_a_few_at_hand() -> None:
    office = BusinessCalendar(
        "America/New_York", weekly_hours={day: [(time(9), time(17))] for day in range(5)}
    )
    alive: list[weakref.ref[BusinessCalendar]] = []

    def loaded_row_by_row() -> Iterator[tuple[int, SlaPolicy, list[TicketEvent]]]:
        for number in range(300):
            calendar = attrs.evolve(office)  # as a host rebuilding each row's policy would
            alive.append(weakref.ref(calendar))
            yield number, attrs.evolve(POLICY, calendar=calendar), [TicketCreated(ago(number))]

    shared = attrs.evolve(POLICY, calendar=office)
    kept = []
    for number, status in evaluate_many(loaded_row_by_row(), NOW):  # nothing kept here
        assert status == evaluate(shared, [TicketCreated(ago(number))], NOW)
        if number % 100 == 99:  # the stream still runs: count what it holds
            gc.collect()
            kept.append(sum(ref() is not None for ref in alive))

    assert len(kept) == 3
    assert max(kept) <= 20  # not one per ticket


def test_a_bad_timeline_in_a_stream_names_the_ticket_and_the_event() -> None:
    tickets = [("T9", POLICY, [StatusChanged(ago(5), "Open")])]

    with pytest.raises(InvalidTimelineError, match=r"ticket 'T9': events\[0\]"):
        list(evaluate_many(tickets, NOW))


def _statuses() -> list[tuple[str, SlaStatus]]:
    tickets: list[tuple[str, SlaPolicy, list[TicketEvent]]] = [
        ("fresh", POLICY, [TicketCreated(ago(10))]),
        ("late", POLICY, [TicketCreated(ago(400))]),
        ("later", POLICY, [TicketCreated(ago(500))]),
        ("older", POLICY, [TicketCreated(ago(50))]),
        ("on hold", POLICY, [TicketCreated(ago(20)), StatusChanged(ago(15), "On Hold")]),
        ("done", POLICY, [TicketCreated(ago(600)), StatusChanged(ago(590), "Resolved")]),
        (
            "answered",
            POLICY,
            [TicketCreated(ago(40)), CommentAdded(ago(35), public=True, author="agent")],
        ),
    ]
    return list(evaluate_many(tickets, NOW))


def test_triage_puts_breached_tickets_first_then_the_earliest_due_and_paused_last() -> None:
    order = [ticket for ticket, _status in triage(_statuses())]

    assert order == ["later", "late", "older", "fresh", "answered", "on hold"]


def test_triage_leaves_resolved_tickets_out() -> None:
    assert "done" not in [ticket for ticket, _status in triage(_statuses())]


def test_compliance_report_counts_met_breached_and_in_progress_by_group() -> None:
    customer = {
        "fresh": "acme",
        "late": "acme",
        "later": "globex",
        "older": "globex",
        "on hold": "acme",
        "done": "acme",
        "answered": "globex",
    }

    report = compliance_report((customer[ticket], status) for ticket, status in _statuses())

    assert [group.key for group in report.groups] == ["acme", "globex"]
    acme = report.group("acme")
    assert acme.tickets == 4
    assert (acme.response.met, acme.response.breached, acme.response.in_progress) == (1, 1, 2)
    assert acme.response.met_percent == Decimal("50.00")
    assert acme.response.median == timedelta(minutes=10)
    assert (acme.resolution.met, acme.resolution.breached) == (1, 1)
    assert report.total.tickets == 7
    assert report.total.response.met == 2
    assert report.total.response.breached == 2
    assert report.total.response.in_progress == 3
    assert report.total.response.met_percent == Decimal("50.00")
    assert report.total.response.breached_percent == Decimal("50.00")
    assert report.total.response.p90 == timedelta(minutes=10)
    with pytest.raises(KeyError):
        report.group("initech")


def test_percentages_are_none_when_nothing_is_decided_yet() -> None:
    report = compliance_report([("acme", evaluate(POLICY, [TicketCreated(ago(1))], NOW))])

    assert report.total.response.met_percent is None
    assert report.total.response.median is None


def test_percentiles_use_the_nearest_rank_method() -> None:
    minutes = [timedelta(minutes=m) for m in range(1, 11)]

    assert percentile(minutes, 50) == timedelta(minutes=5)
    assert percentile(minutes, 90) == timedelta(minutes=9)
    assert percentile(minutes, 91) == timedelta(minutes=10)
    assert percentile(minutes, 100) == timedelta(minutes=10)
    assert percentile(minutes[:1], 90) == timedelta(minutes=1)
    assert percentile([], 50) is None
    with pytest.raises(InvalidArgumentError, match="percent"):
        percentile(minutes, 0)


def test_the_report_has_a_text_form_with_a_total_line() -> None:
    text = compliance_report([("acme", status) for _ticket, status in _statuses()]).to_text()

    assert text.splitlines()[-1].startswith("total")
