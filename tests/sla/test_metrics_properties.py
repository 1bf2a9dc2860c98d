"""Hypothesis properties of next reply, periodic update and time in status.

Each metric is held to the minute-by-minute reference in
``tests/sla/metrics_reference.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st

from contractcore.sla import SlaStatus, TargetStatus, evaluate, explain
from tests.sla.metrics_reference import CycleReference, metrics_minutes
from tests.sla.strategies import PAUSE, Scenario, scenarios

_TICK = timedelta(microseconds=1)
_TARGETS = st.integers(1, 60 * 20).map(lambda minutes: timedelta(minutes=minutes))


@st.composite
def metric_scenarios(draw: st.DrawFn) -> Scenario:
    """The SLA scenarios, their policy given every new metric (no warning, to keep it short)."""
    scenario = draw(scenarios())
    scenario.policy = attrs.evolve(
        scenario.policy,
        warn_before=None,
        next_reply_within=draw(_TARGETS),
        update_every=draw(_TARGETS),
        requester_wait_statuses=draw(st.sampled_from([frozenset(), frozenset({PAUSE})])),
        agent_work_statuses=draw(
            st.sampled_from([frozenset({"Open"}), frozenset({"Open", "In Progress"})])
        ),
        agent_work_within=draw(st.none() | _TARGETS),
    )
    return scenario


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def _check_cycle(
    status: TargetStatus, cycle: CycleReference, target: timedelta, running: bool
) -> None:
    assert status.target == target
    assert status.elapsed == cycle.elapsed
    assert status.remaining == target - cycle.elapsed
    assert _utc(status.completed_at) == _utc(cycle.completed_at)
    breached = cycle.elapsed > target
    if cycle.completed_at is not None:
        assert status.state == ("breached" if breached else "met")
    elif breached:
        assert status.state == "breached"
    else:
        assert status.state == ("running" if running else "paused")
    if breached:
        assert _utc(status.breached_at) == cycle.reached_target_at
    else:
        assert status.breached_at is None
    if cycle.completed_at is not None or not running:
        assert status.due_at is None


def _evaluate(scenario: Scenario) -> SlaStatus:
    return evaluate(scenario.policy, scenario.events, scenario.now)


@given(metric_scenarios())
def test_next_reply_cycles_agree_with_the_minute_by_minute_reference(scenario: Scenario) -> None:
    status = _evaluate(scenario)
    reference = metrics_minutes(scenario.policy, scenario.events, scenario.now, scenario.definition)
    target = scenario.policy.next_reply_within
    assert target is not None
    assert len(status.next_reply_cycles) == len(reference.replies)
    for found, cycle in zip(status.next_reply_cycles, reference.replies, strict=True):
        _check_cycle(found, cycle, target, reference.running_at_now)
    assert status.next_reply == (status.next_reply_cycles[-1] if reference.replies else None)
    assert status.cycles["next_reply"] == status.next_reply_cycles


@given(metric_scenarios())
def test_update_cycles_agree_with_the_minute_by_minute_reference(scenario: Scenario) -> None:
    status = _evaluate(scenario)
    reference = metrics_minutes(scenario.policy, scenario.events, scenario.now, scenario.definition)
    target = scenario.policy.update_every
    assert target is not None
    assert len(status.update_cycles) == len(reference.updates)
    for found, cycle in zip(status.update_cycles, reference.updates, strict=True):
        _check_cycle(found, cycle, target, reference.running_at_now)
    assert status.update == (status.update_cycles[-1] if reference.updates else None)


@given(metric_scenarios())
def test_time_in_status_agrees_with_the_minute_by_minute_reference(scenario: Scenario) -> None:
    policy = scenario.policy
    status = _evaluate(scenario)
    reference = metrics_minutes(policy, scenario.events, scenario.now, scenario.definition)
    assert status.time_in_status == reference.business
    assert status.real_time_in_status == reference.real
    assert list(status.time_in_status) == list(reference.business)  # first-entered order
    assert status.requester_wait == sum(
        (t for name, t in reference.business.items() if name in policy.requester_wait_statuses),
        timedelta(0),
    )
    assert status.agent_work == sum(
        (t for name, t in reference.business.items() if name in policy.agent_work_statuses),
        timedelta(0),
    )
    created = scenario.events[0].at.astimezone(UTC)
    assert sum(status.real_time_in_status.values(), timedelta(0)) == scenario.now - created
    if policy.agent_work_within is None:
        assert status.agent_work_target is None
    else:
        target = status.agent_work_target
        assert target is not None
        assert target.elapsed == reference.agent_work_elapsed
        assert target.elapsed <= status.agent_work  # manual pauses stop the target only
        assert target.is_complete == (not status.is_open)
        if not target.is_complete and target.state != "breached":
            expected = "running" if reference.agent_work_running_at_now else "paused"
            assert target.state == expected


@given(metric_scenarios())
def test_next_change_at_counts_every_open_cycle(scenario: Scenario) -> None:
    # Only the events known at ``now``: a later one is a new event.
    past = [event for event in scenario.events if event.at <= scenario.now]
    status = evaluate(scenario.policy, past, scenario.now)
    if status.next_change_at is None:
        return
    assert status.next_change_at > scenario.now
    later = evaluate(scenario.policy, past, status.next_change_at)
    just_before = evaluate(scenario.policy, past, status.next_change_at - _TICK)
    before = [target.state for _name, target in status.targets]
    assert [target.state for _name, target in later.targets] != before
    assert [target.state for _name, target in just_before.targets] == before


@given(metric_scenarios())
def test_explained_cycle_segments_add_up_to_each_cycles_elapsed(scenario: Scenario) -> None:
    explanation = explain(scenario.policy, scenario.events, scenario.now)
    status = explanation.status
    for cycles, segments in (
        (status.next_reply_cycles, explanation.next_reply),
        (status.update_cycles, explanation.update),
    ):
        assert len(cycles) == len(segments)
        for cycle, pieces in zip(cycles, segments, strict=True):
            assert sum((piece.counted for piece in pieces), timedelta(0)) == cycle.elapsed
