"""explain(): the segments behind a result, with their reasons."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from contractcore.sla import (
    CommentAdded,
    Segment,
    SlaPaused,
    SlaPolicy,
    SlaResumed,
    StatusChanged,
    TicketCreated,
    evaluate,
    explain,
)
from contractcore.sla.calendar import BusinessCalendar

NEW_YORK = ZoneInfo("America/New_York")
WAITING = "Waiting on Customer"
OFFICE = BusinessCalendar(
    "America/New_York",
    weekly_hours={day: [(time(9), time(17))] for day in range(5)},
    holidays=holidays.country_holidays("US", subdiv="NY"),
)
POLICY = SlaPolicy(
    name="Office",
    response_within=timedelta(hours=2),
    resolve_within=timedelta(hours=8),
    calendar=OFFICE,
    pause_statuses={WAITING},
)


def ny(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=NEW_YORK)


EVENTS = [
    TicketCreated(ny(25, 15)),
    StatusChanged(ny(25, 16), WAITING),
    StatusChanged(ny(25, 16, 30), "Open"),
    SlaPaused(ny(27, 10)),
    SlaResumed(ny(27, 11)),
    CommentAdded(ny(27, 11, 15), public=True, author="agent"),
    StatusChanged(ny(27, 15), "Resolved"),
]


def _row(segment: Segment) -> tuple[datetime, datetime, str, str, timedelta]:
    return (segment.start, segment.end, segment.kind, segment.reason, segment.counted)


def test_explain_shows_counted_hours_pauses_closed_hours_and_holidays_by_name() -> None:
    explanation = explain(POLICY, EVENTS, now=ny(27, 12))

    assert [_row(segment) for segment in explanation.resolution] == [
        (ny(25, 15), ny(25, 16), "counted", "business hours", timedelta(hours=1)),
        (ny(25, 16), ny(25, 16, 30), "paused", f"status {WAITING!r}", timedelta(0)),
        (ny(25, 16, 30), ny(25, 17), "counted", "business hours", timedelta(minutes=30)),
        (ny(25, 17), ny(26, 0), "closed", "outside business hours", timedelta(0)),
        (ny(26, 0), ny(27, 0), "holiday", "holiday: Thanksgiving Day", timedelta(0)),
        (ny(27, 0), ny(27, 9), "closed", "outside business hours", timedelta(0)),
        (ny(27, 9), ny(27, 10), "counted", "business hours", timedelta(hours=1)),
        (ny(27, 10), ny(27, 11), "paused", "manual pause", timedelta(0)),
        (ny(27, 11), ny(27, 12), "counted", "business hours", timedelta(hours=1)),
    ]


def test_the_response_clock_is_explained_up_to_the_response() -> None:
    explanation = explain(POLICY, EVENTS, now=ny(27, 12))

    assert explanation.response[-1].end == ny(27, 11, 15)
    assert explanation.status.response is not None
    assert sum((s.counted for s in explanation.response), timedelta(0)) == timedelta(
        hours=2, minutes=45
    )


def test_time_spent_resolved_shows_as_resolved() -> None:
    explanation = explain(POLICY, EVENTS, now=ny(27, 16))

    last = explanation.resolution[-1]
    assert (last.start, last.end, last.kind, last.reason) == (
        ny(27, 15),
        ny(27, 16),
        "resolved",
        "status 'Resolved'",
    )


def test_a_resolved_ticket_that_is_closed_stays_explained_by_the_status_that_resolved_it() -> None:
    closed = [*EVENTS, StatusChanged(ny(27, 15, 30), "Closed")]

    explanation = explain(POLICY, closed, now=ny(27, 16))

    last = explanation.resolution[-1]
    assert (last.start, last.end, last.kind, last.reason) == (
        ny(27, 15),
        ny(27, 16),
        "resolved",
        "status 'Resolved'",
    )


def test_a_response_inside_business_hours_splits_the_counted_hours_between_the_clocks() -> None:
    explanation = explain(POLICY, EVENTS, now=ny(27, 12))

    assert _row(explanation.response[-1]) == (
        ny(27, 11),
        ny(27, 11, 15),
        "counted",
        "business hours",
        timedelta(minutes=15),
    )
    assert _row(explanation.resolution[-1]) == (
        ny(27, 11),
        ny(27, 12),
        "counted",
        "business hours",
        timedelta(hours=1),
    )


def test_explain_carries_the_same_status_as_evaluate() -> None:
    assert explain(POLICY, EVENTS, ny(27, 12)).status == evaluate(POLICY, EVENTS, ny(27, 12))


def test_the_text_form_lists_one_line_per_segment_under_each_clock() -> None:
    text = explain(POLICY, EVENTS, now=ny(27, 12)).to_text()

    assert text.splitlines()[0] == "response: breached, elapsed 2:45 of 2:00"
    assert "holiday: Thanksgiving Day" in text
    assert "resolution: running, elapsed 3:30 of 8:00" in text


LONDON = ZoneInfo("Europe/London")
ROUND_THE_CLOCK = SlaPolicy(name="24x7", resolve_within=timedelta(days=5))


def test_counted_time_across_a_clock_change_is_real_time_in_any_zone() -> None:
    """Found in review: segments in a local zone subtracted by the wall clock (an hour short)."""
    events = [TicketCreated(datetime(2026, 10, 24, 12, tzinfo=UTC))]
    now = datetime(2026, 10, 26, 12, tzinfo=LONDON)  # the clocks went back on the 25th

    explanation = explain(ROUND_THE_CLOCK, events, now)

    assert explanation.status.resolution is not None
    assert explanation.status.resolution.elapsed == timedelta(days=2)
    assert sum((s.counted for s in explanation.resolution), timedelta(0)) == timedelta(days=2)
    assert explanation.resolution[0].start.tzinfo is LONDON


def test_a_pause_inside_the_repeated_hour_keeps_its_segment() -> None:
    """Found in review: 01:50 BST to 01:10 GMT read as ending before it started, and was dropped."""
    events = [
        TicketCreated(datetime(2026, 10, 24, 23, tzinfo=UTC)),
        SlaPaused(datetime(2026, 10, 25, 0, 50, tzinfo=UTC)),  # 01:50 BST
        SlaResumed(datetime(2026, 10, 25, 1, 10, tzinfo=UTC)),  # 01:10 GMT
    ]

    explanation = explain(ROUND_THE_CLOCK, events, datetime(2026, 10, 25, 3, tzinfo=LONDON))

    assert [
        (s.start.astimezone(UTC), s.end.astimezone(UTC), s.kind) for s in explanation.resolution
    ] == [
        (
            datetime(2026, 10, 24, 23, tzinfo=UTC),
            datetime(2026, 10, 25, 0, 50, tzinfo=UTC),
            "counted",
        ),
        (
            datetime(2026, 10, 25, 0, 50, tzinfo=UTC),
            datetime(2026, 10, 25, 1, 10, tzinfo=UTC),
            "paused",
        ),
        (
            datetime(2026, 10, 25, 1, 10, tzinfo=UTC),
            datetime(2026, 10, 25, 3, tzinfo=UTC),
            "counted",
        ),
    ]
