"""The ingestion toolkit: status maps, pause rules, the timeline builder and the ticket source."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Literal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from contractcore.errors import InvalidArgumentError, UnknownStatusError
from contractcore.sla import (
    CommentAdded,
    HostRecord,
    HostTicket,
    Mismatch,
    PauseRules,
    PriorityChanged,
    SlaPaused,
    SlaPolicy,
    SlaResumed,
    StatusChanged,
    StatusMap,
    TicketCreated,
    TicketSource,
    TimelineBuilder,
    TimelineReport,
    evaluate,
    evaluate_many,
)
from tests.sla.strategies import HOST_STATUSES, host_tickets

OPENED = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
STATUSES = StatusMap(HOST_STATUSES)


def at(hours: int, minutes: int = 0, *, milliseconds: int = 0) -> datetime:
    return OPENED.replace(hour=hours, minute=minutes) + timedelta(milliseconds=milliseconds)


def by_author(record: HostRecord) -> str:
    """The classifier of these tests: the record's ``author`` is the answer itself."""
    return str(record.author)


BUILDER = TimelineBuilder(statuses=STATUSES, classify_author=by_author)


def ticket(*records: HostRecord, **fields: object) -> HostTicket:
    values: dict[str, object] = {"id": 1, "created_at": OPENED, "opened_status": "Open"}
    values.update(fields)
    return HostTicket(records=records, **values)  # type: ignore[arg-type]


# -- the status map ------------------------------------------------------------------------


def test_status_names_match_whatever_their_case() -> None:
    assert STATUSES.category("SOLVED") == "resolved"
    assert STATUSES.name("pending") == "Pending"


def test_a_case_sensitive_map_tells_cases_apart() -> None:
    statuses = StatusMap(
        {"Open": "open", "open": "paused", "Done": "resolved"}, case_sensitive=True
    )
    assert (statuses.category("Open"), statuses.category("open")) == ("open", "paused")
    with pytest.raises(UnknownStatusError, match="'OPEN'"):
        statuses.category("OPEN")


def test_an_unknown_status_is_an_error_naming_it_and_the_known_ones() -> None:
    with pytest.raises(UnknownStatusError, match=r"status 'On hold' is not in the status map"):
        STATUSES.category("On hold")
    with pytest.raises(UnknownStatusError, match="'Pending'"):
        STATUSES.name(7)


def test_status_codes_take_their_names_and_match_exactly() -> None:
    statuses = StatusMap({1: "open", 3: "resolved"}, names={1: "Open"})
    assert (statuses.name(1), statuses.name(3)) == ("Open", "3")
    with pytest.raises(UnknownStatusError, match="'1'"):
        statuses.category("1")


@pytest.mark.parametrize(
    ("categories", "names", "message"),
    [
        ({"Open": "open", "OPEN": "open", "Done": "resolved"}, None, "lists status 'OPEN' twice"),
        ({"Open": "open", "Done": "finished"}, None, r"categories\['Done'\] must be one of"),
        ({"Open": "open"}, None, "at least one status to 'resolved'"),
        ({1: "open", 2: "resolved"}, {1: "Done", 2: "Done"}, "name 'Done' is both"),
        ({"Open": "open", "Done": "resolved"}, {"Closed": "Closed"}, "not in categories"),
        ({True: "open", "Done": "resolved"}, None, "key must be a non-empty string or an int"),
    ],
)
def test_a_status_map_that_cannot_be_meant_is_refused(
    categories: dict[str | int, str], names: dict[str | int, str] | None, message: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        StatusMap(categories, names=names)


def test_applying_the_map_gives_the_policy_its_statuses() -> None:
    policy = SlaPolicy(name="Gold", resolve_within=timedelta(hours=4), pause_statuses={"Old"})
    applied = STATUSES.apply(policy)
    assert applied.pause_statuses == {"Pending"}
    assert applied.resolved_statuses == {"Solved"}
    assert applied.resolve_within == policy.resolve_within


# -- pause rules ---------------------------------------------------------------------------


def test_a_ticket_is_paused_on_hold_or_in_a_pause_queue() -> None:
    rules = PauseRules(queues={"Vendor", 7})
    assert rules.pauses(hold=True, queue=None)
    assert rules.pauses(hold=False, queue="VENDOR")
    assert rules.pauses(hold=False, queue=7)
    assert not rules.pauses(hold=False, queue="Support")
    assert not PauseRules(on_hold=False).pauses(hold=True, queue=None)
    assert not PauseRules(queues={"Vendor"}, case_sensitive=True).pauses(hold=False, queue="vendor")


def test_pause_queues_must_be_a_set_not_one_name() -> None:
    with pytest.raises(InvalidArgumentError, match=r"PauseRules\.queues must be a set"):
        PauseRules(queues="Vendor")


# -- the builder: examples -----------------------------------------------------------------


def test_the_opening_record_written_after_the_ticket_is_not_a_reply() -> None:
    opening = HostRecord(at=at(10, milliseconds=3), comment="public", author="agent")
    timeline = BUILDER.build(ticket(opening))
    assert timeline.events == (TicketCreated(OPENED, status="Open"),)
    assert [(note.record, note.action) for note in timeline.report.notes] == [(opening, "opening")]


def test_outside_the_tolerance_the_first_record_is_a_reply() -> None:
    late = HostRecord(at=at(10, milliseconds=1500), comment="public", author="agent")
    timeline = BUILDER.build(ticket(late))
    assert timeline.events[1] == CommentAdded(late.at, public=True, author="agent")
    assert timeline.report.notes == ()


def test_the_opening_records_other_changes_count_at_its_instant() -> None:
    opening = HostRecord(at=at(10, milliseconds=3), comment="public", author="agent", hold=True)
    timeline = BUILDER.build(ticket(opening))
    assert timeline.events == (TicketCreated(OPENED, status="Open"), SlaPaused(opening.at))
    assert timeline.origins == (None, opening)


def test_records_at_one_instant_follow_their_sequence_then_their_order() -> None:
    noon = at(12)
    first = HostRecord(at=noon, sequence=1, key="a", status="Pending")
    second = HostRecord(at=noon, sequence=2, key="b", status="Solved")
    third = HostRecord(at=noon, sequence=2, key="c", status="Open")
    timeline = BUILDER.build(ticket(third, second, first, HostRecord(at=at(11), status="Open")))
    assert [event.status for event in timeline.events[2:]] == ["Pending", "Open", "Solved"]  # type: ignore[attr-defined]


def test_within_a_record_the_comment_comes_before_the_status_and_the_pause() -> None:
    record = HostRecord(
        at=at(11), comment="public", author="agent", status="Solved", hold=True, priority="P1"
    )
    timeline = BUILDER.build(ticket(record))
    assert [type(event) for event in timeline.events] == [
        TicketCreated,
        CommentAdded,
        StatusChanged,
        SlaPaused,
        PriorityChanged,
    ]
    assert timeline.origins == (None, record, record, record, record)


def test_records_before_the_creation_are_clamped_and_reported() -> None:
    early = HostRecord(at=at(9), key=5, comment="public", author="customer", status="Pending")
    timeline = BUILDER.build(ticket(early))
    assert timeline.events == (
        TicketCreated(OPENED, status="Pending"),
        CommentAdded(OPENED, public=True, author="customer"),
    )
    assert timeline.report.clamped == (early,)
    assert "before the ticket's creation" in timeline.report.notes[0].reason


def test_records_before_the_creation_can_be_dropped_instead() -> None:
    early = HostRecord(at=at(9), comment="public", author="customer", status="Pending")
    builder = TimelineBuilder(statuses=STATUSES, classify_author=by_author, early="drop")
    timeline = builder.build(ticket(early))
    assert timeline.events == (TicketCreated(OPENED, status="Open"),)
    assert timeline.report.dropped == (early,)


def test_history_older_than_the_sla_sets_the_state_it_starts_in() -> None:
    reply = HostRecord(at=at(10, 30), comment="public", author="agent", status="Pending")
    back = HostRecord(at=at(13), status="Open")
    timeline = BUILDER.build(ticket(reply, back, measure_from=at(12)))
    assert timeline.events == (
        TicketCreated(at(12), status="Pending"),
        CommentAdded(at(12), public=True, author="agent"),
        StatusChanged(at(13), "Open"),
    )
    assert timeline.report.clamped == (reply,)
    assert "before the SLA applied" in timeline.report.notes[0].reason


def test_a_merged_tickets_older_follow_ups_are_dropped_and_its_states_ignored() -> None:
    older = HostRecord(at=at(8), comment="public", author="agent", status="Solved", merged_from=9)
    newer = HostRecord(at=at(11), comment="public", author="agent", status="Solved", merged_from=9)
    hold = HostRecord(at=at(11, 30), hold=True, merged_from=9)
    timeline = BUILDER.build(ticket(older, newer, hold))
    assert timeline.events == (
        TicketCreated(OPENED, status="Open"),
        CommentAdded(at(11), public=True, author="agent"),
    )
    assert timeline.report.dropped == (older, hold)
    assert timeline.report.records("ignored") == (newer, hold)
    assert "merged ticket 9" in timeline.report.notes[0].reason


def test_the_hold_flag_and_a_pause_queue_pause_until_neither_holds() -> None:
    builder = TimelineBuilder(
        statuses=STATUSES, classify_author=by_author, pauses=PauseRules(queues={"Vendor"})
    )
    records = [
        HostRecord(at=at(11), hold=True),
        HostRecord(at=at(12), queue="Vendor"),
        HostRecord(at=at(13), hold=False),
        HostRecord(at=at(14), queue="Support"),
    ]
    timeline = builder.build(ticket(*records, opened_queue="Support"))
    assert timeline.events == (
        TicketCreated(OPENED, status="Open"),
        SlaPaused(at(11)),
        SlaResumed(at(14)),
    )
    assert timeline.report.dropped == (records[1], records[2])


def test_an_ignored_status_is_left_out_and_an_ignored_comment_too() -> None:
    spam = HostRecord(at=at(11), comment="public", author="ignore", status="Spam")
    timeline = BUILDER.build(ticket(spam))
    assert timeline.events == (TicketCreated(OPENED, status="Open"),)
    assert [note.action for note in timeline.report.notes] == ["ignored", "ignored", "dropped"]


def test_a_ticket_that_ends_in_an_ignored_status_is_skipped() -> None:
    report = BUILDER.build(ticket(final_status="spam")).report
    assert report.skipped == "ends in status 'Spam', which the status map ignores"
    assert report.reconciled


def test_the_replay_is_reconciled_with_the_hosts_final_state() -> None:
    resolved = HostRecord(at=at(11), status="Solved")
    agrees = BUILDER.build(ticket(resolved, final_status="solved", final_hold=False)).report
    assert agrees.reconciled
    differs = BUILDER.build(
        ticket(resolved, final_status="Open", final_hold=True, final_queue="Vendor")
    ).report
    assert differs.mismatches == (
        Mismatch("status", "Solved", "Open"),
        Mismatch("hold", False, True),
        Mismatch("queue", None, "Vendor"),
    )
    assert not differs.reconciled


def test_an_unknown_status_names_the_ticket_and_the_record() -> None:
    with pytest.raises(UnknownStatusError, match=r"ticket 1, record 17 at .*: status 'Hold'"):
        BUILDER.build(ticket(HostRecord(at=at(11), key=17, status="Hold")))
    with pytest.raises(UnknownStatusError, match="ticket 1, its opening status: status 'New'"):
        BUILDER.build(ticket(opened_status="New"))


def test_a_classifier_answering_something_else_is_an_error() -> None:
    record = HostRecord(at=at(11), key=3, comment="public", author="staff")
    with pytest.raises(InvalidArgumentError, match=r"classify_author returned 'staff'.*record 3"):
        BUILDER.build(ticket(record))


def test_a_builder_option_with_a_wrong_value_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="early must be 'clamp' or 'drop'"):
        TimelineBuilder(statuses=STATUSES, classify_author=by_author, early="keep")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="opening_tolerance must be a timedelta >= 0"):
        TimelineBuilder(
            statuses=STATUSES, classify_author=by_author, opening_tolerance=timedelta(-1)
        )
    with pytest.raises(InvalidArgumentError, match=r"HostRecord\.comment must be"):
        HostRecord(at=OPENED, comment="internal")  # type: ignore[arg-type]


# -- evaluated: the SLA outcomes -----------------------------------------------------------


def test_a_held_ticket_measures_as_design_example_2_with_a_flag_for_the_pause() -> None:
    # DESIGN 3.6 example 2, the pause made by the hold flag instead of a status.
    records = [
        HostRecord(at=at(10, milliseconds=3), comment="public", author="agent"),  # opening
        HostRecord(at=at(10, 5), comment="public", author="customer"),
        HostRecord(at=at(10, 20), hold=True),
        HostRecord(at=at(12, 20), hold=False),
        HostRecord(at=at(12, 50), comment="public", author="agent"),
        HostRecord(at=at(13), status="Solved"),
        HostRecord(at=at(15), status="Open"),
    ]
    policy = STATUSES.apply(
        SlaPolicy(
            name="Basic", response_within=timedelta(hours=1), resolve_within=timedelta(hours=4)
        )
    )
    status = evaluate(policy, BUILDER.build(ticket(*records)).events, now=at(16))
    assert status.response is not None
    assert status.resolution is not None
    assert (status.response.state, status.response.elapsed) == ("met", timedelta(minutes=50))
    assert status.resolution.elapsed == timedelta(hours=2)
    assert status.resolution.due_at == at(18)
    # Without the opening rule the staff-written opening record is a reply in 3 ms.
    naive = TimelineBuilder(
        statuses=STATUSES, classify_author=by_author, opening_tolerance=timedelta(0)
    )
    hasty = evaluate(policy, naive.build(ticket(*records)).events, now=at(16))
    assert hasty.response is not None
    assert hasty.response.elapsed == timedelta(milliseconds=3)


class CountingSource:
    """A ticket source that counts how many tickets were read from it."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.read = 0

    def tickets(self) -> Iterator[HostTicket]:
        for number in range(self.count):
            self.read += 1
            yield ticket(HostRecord(at=at(11), status="Solved"), id=number)


def test_the_source_feeds_evaluate_many_one_ticket_at_a_time() -> None:
    source = CountingSource(3)
    assert isinstance(source, TicketSource)
    policy = SlaPolicy(name="Basic", resolve_within=timedelta(hours=4))
    reports: list[TimelineReport] = []
    statuses = evaluate_many(BUILDER.feed(source, policy, on_report=reports.append), now=at(16))
    first_id, first = next(statuses)
    assert (first_id, source.read, len(reports)) == (0, 1, 1)
    assert first.resolution is not None
    assert first.resolution.state == "met"  # "Solved" resolves: the map was applied
    assert [ticket_id for ticket_id, _ in statuses] == [1, 2]


def test_the_feed_may_choose_a_policy_per_ticket() -> None:
    fast = SlaPolicy(name="Fast", resolve_within=timedelta(minutes=30))
    slow = SlaPolicy(name="Slow", resolve_within=timedelta(hours=4))
    tickets = [ticket(id=1), ticket(id=2)]
    fed = list(BUILDER.feed(tickets, lambda host: fast if host.id == 1 else slow))
    assert [(ticket_id, policy.name) for ticket_id, policy, _ in fed] == [(1, "Fast"), (2, "Slow")]
    assert fed[0][1].resolved_statuses == {"Solved"}


# -- properties ----------------------------------------------------------------------------


def _reference_order(host: HostTicket) -> list[HostRecord]:
    """The order the rule promises: by instant, then sequence, then as given."""
    indexed = list(enumerate(host.records))
    indexed.sort(key=lambda pair: (pair[1].at, pair[1].sequence, pair[0]))
    return [record for _, record in indexed]


@given(host_tickets())
@example(
    HostTicket(
        id=1,
        created_at=OPENED,
        opened_status="Open",
        records=[HostRecord(at=OPENED - timedelta(hours=2), status="Spam", merged_from=99)],
    )
)
def test_the_timeline_is_ordered_and_starts_with_the_creation(host: HostTicket) -> None:
    events = BUILDER.build(host).events
    assert isinstance(events[0], TicketCreated)
    assert events[0].at == host.starts_at
    assert not any(isinstance(event, TicketCreated) for event in events[1:])
    assert all(a.at <= b.at for a, b in pairwise(events))
    evaluate(
        STATUSES.apply(SlaPolicy(name="P", resolve_within=timedelta(hours=1))), events, now=at(23)
    )


@given(host_tickets(), st.sampled_from(["clamp", "drop"]))
def test_every_record_is_in_the_timeline_or_in_the_report(
    host: HostTicket, early: Literal["clamp", "drop"]
) -> None:
    builder = TimelineBuilder(statuses=STATUSES, classify_author=by_author, early=early)
    timeline = builder.build(host)
    used = {id(record) for record in timeline.origins if record is not None}
    noted = {id(note.record) for note in timeline.report.notes}
    dropped = {id(record) for record in timeline.report.dropped}
    assert all(id(record) in used | noted for record in host.records)
    assert not used & dropped
    assert len(timeline.origins) == len(timeline.events)


@given(host_tickets())
def test_records_after_the_start_come_in_the_documented_order(host: HostTicket) -> None:
    timeline = BUILDER.build(host)
    clamped = {id(record) for record in timeline.report.clamped}
    seen: list[HostRecord] = []
    for record in timeline.origins:
        if (
            record is not None
            and id(record) not in clamped
            and (not seen or seen[-1] is not record)
        ):
            seen.append(record)
    expected = [record for record in _reference_order(host) if any(r is record for r in seen)]
    assert [id(record) for record in seen] == [id(record) for record in expected]


@given(host_tickets())
def test_the_timeline_ends_where_the_records_leave_the_status(host: HostTicket) -> None:
    # Reference: the last status change of the ticket's own records that the map does not ignore.
    timeline = BUILDER.build(host)
    expected = STATUSES.name(host.opened_status)
    for record in _reference_order(host):
        if record.merged_from is not None or record.status is None:
            continue
        if record.at < host.starts_at and record in timeline.report.dropped:
            continue
        if STATUSES.category(record.status) != "ignored":
            expected = STATUSES.name(record.status)
    statuses = [
        event.status
        for event in timeline.events
        if isinstance(event, TicketCreated | StatusChanged)
    ]
    assert statuses[-1] == expected
