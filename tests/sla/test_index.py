"""evaluate_many's business-time index gives exactly the calendar's answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from contractcore.sla import evaluate, evaluate_many
from contractcore.sla._index import BusinessTimeIndex
from contractcore.sla._meter import CalendarMeter, micros
from contractcore.sla.calendar import BusinessCalendar
from tests.sla.reference import CalendarDefinition
from tests.sla.strategies import Scenario, build_calendar, calendar_definitions, scenarios

WINDOW_START = datetime(2026, 3, 1, tzinfo=UTC)
WINDOW_END = datetime(2026, 12, 31, tzinfo=UTC)
#: Instants from before the window to after it, to the microsecond.
INSTANTS = st.integers(
    micros(WINDOW_START - timedelta(days=20)), micros(WINDOW_END + timedelta(days=20))
)
AMOUNTS = st.integers(0, 40 * 3600 * 1_000_000)


@given(calendar_definitions(), INSTANTS, INSTANTS)
def test_the_index_measures_business_time_as_the_calendar_does(
    definition: CalendarDefinition, first: int, second: int
) -> None:
    calendar = build_calendar(definition)
    index = BusinessTimeIndex(calendar, WINDOW_START, WINDOW_END)
    start, end = min(first, second), max(first, second)

    assert index.elapsed_us(start, end) == CalendarMeter(calendar).elapsed_us(start, end)


@given(calendar_definitions(), INSTANTS, AMOUNTS)
def test_the_index_finds_the_same_deadlines_as_the_calendar(
    definition: CalendarDefinition, start: int, amount: int
) -> None:
    calendar = build_calendar(definition)
    index = BusinessTimeIndex(calendar, WINDOW_START, WINDOW_END)

    assert index.add_us(start, amount) == CalendarMeter(calendar).add_us(start, amount)


@given(st.lists(scenarios(), min_size=1, max_size=4))
def test_evaluate_many_returns_what_evaluate_returns_for_each_ticket(
    batch: list[Scenario],
) -> None:
    now = max(scenario.now for scenario in batch)
    tickets = [(number, s.policy, s.events) for number, s in enumerate(batch)]

    streamed = list(evaluate_many(tickets, now))

    assert streamed == [
        (number, evaluate(policy, events, now)) for number, policy, events in tickets
    ]


def test_instants_outside_the_index_window_are_asked_of_the_calendar() -> None:
    calendar = BusinessCalendar.always_open()
    index = BusinessTimeIndex(calendar, WINDOW_START, WINDOW_END)
    before = micros(WINDOW_START - timedelta(days=3))
    hour = 3600 * 1_000_000

    assert index.elapsed_us(before, before + hour) == hour
    assert index.add_us(micros(WINDOW_END) - hour, 2 * hour) == micros(WINDOW_END) + hour
