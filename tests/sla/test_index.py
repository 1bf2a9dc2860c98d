"""evaluate_many's business-time index gives exactly the calendar's answers."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from unittest.mock import patch

from hypothesis import given
from hypothesis import strategies as st

from contractcore.sla import SlaPolicy, TicketCreated, evaluate, evaluate_many
from contractcore.sla._index import BusinessTimeIndex
from contractcore.sla._meter import CalendarMeter
from contractcore.sla.calendar import BusinessCalendar
from tests.sla.reference import CalendarDefinition
from tests.sla.strategies import Scenario, build_calendar, calendar_definitions, scenarios

WINDOW_START = datetime(2026, 3, 1, tzinfo=UTC)
WINDOW_END = datetime(2026, 12, 31, tzinfo=UTC)
TICK = timedelta(microseconds=1)
#: Instants inside the window, to the microsecond.
INSTANTS = st.integers(0, (WINDOW_END - WINDOW_START) // TICK).map(
    lambda offset: WINDOW_START + offset * TICK
)
#: Business time, up to past the window's end.
AMOUNTS = st.integers(1, 2400 * 3600 * 1_000_000).map(lambda micros: micros * TICK)
#: evaluate_many indexes a calendar only once it has served a few tickets;
#: these tests want the index at work from the first one.
INDEX_FROM_THE_FIRST_TICKET = patch("contractcore.sla.reports._INDEX_AFTER", 0)


@given(calendar_definitions(), INSTANTS, INSTANTS)
def test_the_index_measures_business_time_as_the_calendar_does(
    definition: CalendarDefinition, first: datetime, second: datetime
) -> None:
    calendar = build_calendar(definition)
    index = BusinessTimeIndex(calendar, WINDOW_START, WINDOW_END)
    start, end = min(first, second), max(first, second)

    assert index.position(end) - index.position(start) == calendar.elapsed(start, end)
    assert index.position(start) == CalendarMeter(calendar, WINDOW_START).position(start)


@given(calendar_definitions(), INSTANTS, AMOUNTS)
def test_the_index_finds_the_same_deadlines_as_the_calendar(
    definition: CalendarDefinition, start: datetime, amount: timedelta
) -> None:
    calendar = build_calendar(definition)
    index = BusinessTimeIndex(calendar, WINDOW_START, WINDOW_END)

    deadline = index.instant(index.position(start) + amount)

    assert deadline == calendar.add(start, amount)
    assert deadline.tzinfo is UTC


@given(st.lists(scenarios(), min_size=1, max_size=4))
def test_evaluate_many_returns_what_evaluate_returns_for_each_ticket(
    batch: list[Scenario],
) -> None:
    now = max(scenario.now for scenario in batch)
    tickets = [(number, s.policy, s.events) for number, s in enumerate(batch)]

    with INDEX_FROM_THE_FIRST_TICKET:
        streamed = list(evaluate_many(tickets, now))

    assert streamed == [
        (number, evaluate(policy, events, now)) for number, policy, events in tickets
    ]


def test_deadlines_beyond_the_index_window_are_asked_of_the_calendar() -> None:
    calendar = BusinessCalendar.always_open()
    index = BusinessTimeIndex(calendar, WINDOW_START, WINDOW_END)
    hour = timedelta(hours=1)

    assert index.instant(index.position(WINDOW_END - hour) + 2 * hour) == WINDOW_END + hour


def test_tickets_created_before_the_index_window_are_evaluated_on_the_calendar() -> None:
    policy = SlaPolicy(name="Yearly", resolve_within=timedelta(days=900))
    created = datetime(2024, 1, 1, tzinfo=UTC)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    tickets = [(1, policy, [TicketCreated(created)])]

    with INDEX_FROM_THE_FIRST_TICKET:
        [(_ticket, status)] = evaluate_many(tickets, now)

    assert status == evaluate(policy, tickets[0][2], now)
    assert status.resolution is not None
    assert status.resolution.elapsed == now - created
    assert status.resolution.due_at == created + timedelta(days=900)


def test_a_deadline_beyond_the_index_window_gives_the_same_next_change_as_evaluate() -> None:
    """Found in review: the index's position stopped at the window's end.

    ``next_change_at`` asks the position of the deadline; one more than 400
    days of business time away came out months early once the calendar was
    indexed (after 32 tickets).
    """
    weekly = BusinessCalendar("UTC", weekly_hours={0: [(time(9), time(10))]})  # one hour a week
    policy = SlaPolicy(name="Slow", resolve_within=timedelta(hours=100), calendar=weekly)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    events = [TicketCreated(now - timedelta(days=1))]
    expected = evaluate(policy, events, now)

    streamed = [
        status for _ticket, status in evaluate_many([(n, policy, events) for n in range(40)], now)
    ]

    assert expected.next_change_at == datetime(2028, 5, 1, 9, 0, 0, 1, tzinfo=UTC)
    assert streamed == [expected] * 40


@given(calendar_definitions(), INSTANTS, st.integers(0, 800 * 24 * 3600 * 1_000_000))
def test_the_index_measures_past_its_window_as_the_calendar_does(
    definition: CalendarDefinition, start: datetime, beyond: int
) -> None:
    calendar = build_calendar(definition)
    index = BusinessTimeIndex(calendar, WINDOW_START, WINDOW_END)
    end = WINDOW_END + beyond * TICK

    assert index.position(end) - index.position(start) == calendar.elapsed(start, end)
