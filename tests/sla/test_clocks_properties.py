"""Hypothesis properties of evaluate(), checked against the minute-by-minute reference."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from hypothesis import example, given
from hypothesis import strategies as st

from contractcore.sla import (
    Notify,
    SlaPaused,
    SlaPolicy,
    SlaResumed,
    SlaStatus,
    StatusChanged,
    TargetStatus,
    TicketCreated,
    TicketEvent,
    evaluate,
    explain,
)
from tests.sla.reference import CalendarDefinition, ClockReference, replay_minutes
from tests.sla.strategies import Scenario, build_calendar, scenarios

TICK = timedelta(microseconds=1)


def _expected_state(target: timedelta, clock: ClockReference, warn_before: timedelta | None) -> str:
    remaining = target - clock.elapsed
    if clock.completed_at is not None:
        return "breached" if clock.elapsed > target else "met"
    if clock.elapsed > target:
        return "breached"
    if not clock.running_at_now:
        return "paused"
    if warn_before is not None and remaining <= warn_before:
        return "at_risk"
    return "running"


def _instant(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC: a time in a repeated hour is never ``==`` one of another zone."""
    return None if moment is None else moment.astimezone(UTC)


def _check_target(
    status: TargetStatus,
    target: timedelta,
    clock: ClockReference,
    warn_before: timedelta | None,
) -> None:
    assert status.target == target
    assert status.elapsed == clock.elapsed
    assert status.remaining == target - clock.elapsed
    assert _instant(status.completed_at) == _instant(clock.completed_at)
    assert status.state == _expected_state(target, clock, warn_before)
    if clock.elapsed > target:
        assert _instant(status.breached_at) == _instant(clock.reached[target])
    else:
        assert status.breached_at is None
    running = clock.completed_at is None and clock.running_at_now
    if not running:
        assert status.due_at is None
    elif target in clock.reached:  # else beyond the reference's horizon
        assert _instant(status.due_at) == _instant(clock.reached[target])
    if warn_before is None:
        assert status.warning_at is None
    else:
        point = target - warn_before
        if point <= clock.elapsed or (running and point in clock.reached):
            assert _instant(status.warning_at) == _instant(clock.reached[point])
        elif not running:
            assert status.warning_at is None


def _holiday_night_shift() -> Scenario:
    """A Tuesday night shift on a Tuesday holiday: it does not spill into Wednesday."""
    definition = CalendarDefinition(
        timezone="UTC",
        weekly_hours={1: [(time(18), time(1))]},
        holidays=frozenset({date(2026, 5, 12)}),
    )
    policy = SlaPolicy(
        name="Night", resolve_within=timedelta(minutes=1), calendar=build_calendar(definition)
    )
    created = datetime(2026, 5, 6, 1, 0, tzinfo=UTC)
    return Scenario(definition, policy, [TicketCreated(created)], created)


def _resolved_in_sydneys_repeated_hour(fold: int) -> Scenario:
    """Created and resolved at 02:00 in Sydney the night the clocks go back.

    Found by hypothesis: a time in a repeated hour is never ``==`` a time of
    another zone, so the checks compare instants in UTC.
    """
    definition = CalendarDefinition(timezone="UTC")
    policy = SlaPolicy(
        name="Round the clock",
        resolve_within=timedelta(minutes=1),
        warn_before=timedelta(minutes=1),
        calendar=build_calendar(definition),
    )
    at = datetime(2026, 4, 5, 2, 0, fold=fold, tzinfo=ZoneInfo("Australia/Sydney"))
    events: list[TicketEvent] = [TicketCreated(at), StatusChanged(at, "Resolved")]
    return Scenario(definition, policy, events, at.astimezone(UTC))


@given(scenarios())
@example(_holiday_night_shift())
@example(_resolved_in_sydneys_repeated_hour(fold=0))
@example(_resolved_in_sydneys_repeated_hour(fold=1))
def test_evaluate_agrees_with_the_minute_by_minute_reference(scenario: Scenario) -> None:
    policy = scenario.policy
    status = evaluate(policy, scenario.events, scenario.now)
    every = [policy.targets_for(tier.priority) for tier in policy.targets_by_priority]
    every.append((policy.response_within, policy.resolve_within))
    amounts = [target for pair in every for target in pair if target is not None]
    if policy.warn_before is not None:
        amounts += [t - policy.warn_before for t in list(amounts)]
    reference = replay_minutes(policy, scenario.events, scenario.now, scenario.definition, amounts)
    # Each target by the priority in effect when it completed (list order), or now.
    response_within = policy.targets_for(reference.response.priority)[0]
    resolve_within = policy.targets_for(reference.resolution.priority)[1]
    if response_within is None:
        assert status.response is None
    else:
        assert status.response is not None
        _check_target(status.response, response_within, reference.response, policy.warn_before)
    if resolve_within is None:
        assert status.resolution is None
    else:
        assert status.resolution is not None
        _check_target(status.resolution, resolve_within, reference.resolution, policy.warn_before)


@given(scenarios())
def test_elapsed_never_exceeds_the_wall_clock_time_since_creation(scenario: Scenario) -> None:
    status = evaluate(scenario.policy, scenario.events, scenario.now)
    for _name, target in status.targets:
        assert timedelta(0) <= target.elapsed <= scenario.now - status.created_at


@given(scenarios(), st.data())
def test_adding_a_pause_never_brings_a_deadline_earlier(
    scenario: Scenario, data: st.DataObject
) -> None:
    events = [event for event in scenario.events if event.at <= scenario.now]
    created = events[0].at.astimezone(UTC)
    span = (scenario.now - created) // timedelta(minutes=1)
    pause_at = created + timedelta(minutes=data.draw(st.integers(0, span)))
    resume_at = pause_at + timedelta(minutes=data.draw(st.integers(0, span)))
    paused = [event for event in events if event.at <= pause_at]
    paused.append(SlaPaused(pause_at))
    later = [event for event in events if event.at > pause_at]
    # The added pause must not hide a manual pause/resume of the ticket's own.
    later = [event for event in later if not isinstance(event, SlaPaused | SlaResumed)]
    merged = paused + [event for event in later if event.at <= resume_at]
    merged.append(SlaResumed(resume_at))
    merged += [event for event in later if event.at > resume_at]
    own = [event for event in events if not isinstance(event, SlaPaused | SlaResumed)]
    before = evaluate(scenario.policy, own, scenario.now)
    after = evaluate(scenario.policy, merged, scenario.now)
    for (_name, old), (_same, new) in zip(before.targets, after.targets, strict=True):
        assert new.elapsed <= old.elapsed
        if old.due_at is not None and new.due_at is not None:
            assert new.due_at >= old.due_at
        if old.breached_at is not None and new.breached_at is not None:
            assert new.breached_at >= old.breached_at


@given(scenarios())
def test_evaluating_at_due_at_gives_zero_remaining(scenario: Scenario) -> None:
    status = evaluate(scenario.policy, scenario.events, scenario.now)
    for name, target in status.targets:
        if target.due_at is None or target.due_at <= scenario.now:
            continue
        if any(scenario.now < event.at <= target.due_at for event in scenario.events):
            continue  # the ticket changed before the deadline
        later = evaluate(scenario.policy, scenario.events, target.due_at)
        again = later.response if name == "response" else later.resolution
        assert again is not None
        assert again.remaining == timedelta(0)
        assert again.state in {"running", "at_risk"}


@given(scenarios(), st.randoms(use_true_random=False))
def test_shuffling_only_events_after_now_changes_nothing(
    scenario: Scenario, random: Random
) -> None:
    past = [event for event in scenario.events if event.at <= scenario.now]
    future = [event for event in scenario.events if event.at > scenario.now]
    random.shuffle(future)
    assert evaluate(scenario.policy, past + future, scenario.now) == evaluate(
        scenario.policy, scenario.events, scenario.now
    )
    assert evaluate(scenario.policy, past, scenario.now) == evaluate(
        scenario.policy, scenario.events, scenario.now
    )


def _states(status: SlaStatus) -> list[str]:
    return [target.state for _name, target in status.targets]


@given(scenarios())
def test_next_change_at_is_the_first_instant_a_state_changes(scenario: Scenario) -> None:
    past = [event for event in scenario.events if event.at <= scenario.now]
    status = evaluate(scenario.policy, past, scenario.now)
    if status.next_change_at is None:
        return
    assert status.next_change_at > scenario.now
    changed = evaluate(scenario.policy, past, status.next_change_at)
    assert _states(changed) != _states(status)
    just_before = evaluate(scenario.policy, past, status.next_change_at - TICK)
    assert _states(just_before) == _states(status)


@given(scenarios())
def test_explained_segments_tile_the_clock_and_add_up_to_elapsed(scenario: Scenario) -> None:
    explanation = explain(scenario.policy, scenario.events, scenario.now)
    status = explanation.status
    for target, segments in (
        (status.response, explanation.response),
        (status.resolution, explanation.resolution),
    ):
        if target is None:
            assert segments == ()
            continue
        assert sum((segment.counted for segment in segments), timedelta(0)) == target.elapsed
        end = target.completed_at if target is status.response and target.completed_at else None
        if segments:
            assert segments[0].start == status.created_at
            assert segments[-1].end == (end or scenario.now)
        for first, second in pairwise(segments):
            assert first.end == second.start
            assert first.start < first.end


#: The hour the clocks go back in New York (2026-11-01 05:00-07:00 UTC), where
#: two instants can share a wall-clock reading.
_FALL_BACK = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
_NEW_YORK = ZoneInfo("America/New_York")


def _in_utc(value: object) -> object:
    """Every datetime inside ``value`` in UTC.

    Python never finds a time in a repeated hour equal to a time of another
    zone (PEP 495), even at the same instant, so compare in one zone.
    """
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, SlaStatus | TargetStatus):
        changes: dict[str, Any] = {
            field.name: _in_utc(getattr(value, field.name)) for field in attrs.fields(type(value))
        }
        return attrs.evolve(value, **changes)
    return value


@given(
    scenarios(),
    st.sampled_from(["UTC", "Europe/London", "America/New_York", "Australia/Sydney"]),
    st.integers(-60, 150),
    st.lists(st.integers(0, 40), min_size=9, max_size=9),
)
def test_a_timeline_evaluates_the_same_in_any_time_zone(
    scenario: Scenario, now_zone: str, start: int, gaps: list[int]
) -> None:
    # Re-time the scenario's events a few minutes apart around New York's
    # repeated hour, write every event time in New York time and `now` in
    # another zone: the instants are the same, so is the result.
    at = _FALL_BACK + timedelta(minutes=start)
    events = []
    for event, gap in zip(scenario.events, gaps, strict=False):
        at += timedelta(minutes=gap)  # in UTC: no wall-clock sums
        events.append(attrs.evolve(event, at=at))
    now = at + timedelta(minutes=gaps[-1])
    in_new_york = [attrs.evolve(event, at=event.at.astimezone(_NEW_YORK)) for event in events]

    local = evaluate(scenario.policy, in_new_york, now.astimezone(ZoneInfo(now_zone)))

    assert _in_utc(local) == _in_utc(evaluate(scenario.policy, events, now))


def _breach_notices(status: SlaStatus) -> list[Notify]:
    return [a for a in status.actions if isinstance(a, Notify) and a.kind == "breach"]


@given(scenarios())
def test_a_breach_notice_is_due_exactly_when_the_target_shows_breached(scenario: Scenario) -> None:
    policy, events = scenario.policy, scenario.events
    status = evaluate(policy, events, scenario.now)
    for name, target in status.targets:
        due = [a for a in _breach_notices(status) if a.target == name and a.at <= scenario.now]
        assert (target.state == "breached") == bool(due)
        if due:
            assert [_instant(a.at) for a in due] == [_instant(target.breached_at)]
    for action in _breach_notices(status):
        if action.at <= scenario.now:
            continue
        if any(scenario.now < event.at <= action.at for event in events):
            continue  # the ticket changed before the notice
        # With nothing new, the target is breached at the notice's instant or,
        # if its time only runs out then, at the next change, as rescheduled.
        later = evaluate(policy, events, action.at)
        if dict(later.targets)[action.target].state != "breached":
            assert later.next_change_at is not None
            assert [a.at for a in _breach_notices(later) if a.target == action.target] == [
                later.next_change_at
            ]
            again = evaluate(policy, events, later.next_change_at)
            assert dict(again.targets)[action.target].state == "breached"
