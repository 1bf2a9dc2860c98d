"""SlaPolicy: every field of DESIGN 3.1, validated with clear errors."""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from typing import Any

import pendulum
import pytest

from contractcore.errors import ContractCoreError, InvalidPolicyError
from contractcore.sla import PriorityTargets, SlaPolicy
from contractcore.sla.calendar import BusinessCalendar

HOUR = timedelta(hours=1)


def test_a_policy_defaults_to_resolved_and_closed_as_the_resolved_statuses() -> None:
    policy = SlaPolicy(name="Basic", resolve_within=HOUR)

    assert policy.resolved_statuses == frozenset({"Resolved", "Closed"})
    assert policy.pause_statuses == frozenset()
    assert policy.calendar is None


def test_status_sets_are_stored_as_frozensets() -> None:
    policy = SlaPolicy(
        name="Basic", pause_statuses=["On Hold", "On Hold"], resolved_statuses=["Done"]
    )

    assert policy.pause_statuses == frozenset({"On Hold"})
    assert policy.resolved_statuses == frozenset({"Done"})


@pytest.mark.parametrize("field", ["response_within", "resolve_within", "warn_before"])
@pytest.mark.parametrize("value", [timedelta(0), timedelta(minutes=-5)])
def test_zero_or_negative_durations_are_refused_naming_the_field(
    field: str, value: timedelta
) -> None:
    with pytest.raises(
        InvalidPolicyError, match=rf"SlaPolicy\.{field} must be a positive duration"
    ):
        SlaPolicy.from_dict({"name": "Bad", field: value})
    with pytest.raises(InvalidPolicyError, match=rf"SlaPolicy\.{field} must be a positive"):
        SlaPolicy(name="Bad", **{field: value})  # type: ignore[arg-type]


def test_a_target_that_is_not_a_timedelta_is_refused() -> None:
    with pytest.raises(InvalidPolicyError, match="must be a timedelta, got 60"):
        SlaPolicy(name="Bad", response_within=60)  # type: ignore[arg-type]


def test_a_warning_longer_than_a_target_is_refused() -> None:
    with pytest.raises(InvalidPolicyError, match=r"warn_before \(2:00:00\) is longer than"):
        SlaPolicy(name="Bad", response_within=HOUR, warn_before=2 * HOUR)


def test_a_warning_as_long_as_the_target_is_allowed() -> None:
    assert SlaPolicy(name="Edge", response_within=HOUR, warn_before=HOUR).warn_before == HOUR


def test_a_warning_longer_than_a_priority_target_is_refused() -> None:
    with pytest.raises(InvalidPolicyError, match="priority 'P1'"):
        SlaPolicy(
            name="Bad",
            response_within=4 * HOUR,
            warn_before=HOUR,
            targets_by_priority=[PriorityTargets(priority="P1", response_within=HOUR / 2)],
        )


def test_a_status_cannot_both_pause_and_resolve() -> None:
    with pytest.raises(InvalidPolicyError, match="Closed is in pause_statuses and resolved"):
        SlaPolicy(name="Bad", pause_statuses={"Closed"})


def test_a_policy_needs_at_least_one_resolved_status() -> None:
    with pytest.raises(InvalidPolicyError, match="resolved_statuses"):
        SlaPolicy(name="Bad", resolved_statuses=set())


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_policy_needs_a_name(name: Any) -> None:
    with pytest.raises(InvalidPolicyError, match=r"SlaPolicy\.name"):
        SlaPolicy(name=name)


def test_a_calendar_must_be_a_business_calendar() -> None:
    with pytest.raises(InvalidPolicyError, match=r"SlaPolicy\.calendar"):
        SlaPolicy(name="Bad", calendar="America/New_York")  # type: ignore[arg-type]
    assert SlaPolicy(name="Good", calendar=BusinessCalendar.always_open()).calendar is not None


def test_a_priority_listed_twice_is_refused() -> None:
    with pytest.raises(InvalidPolicyError, match=r"targets_by_priority\[1\] repeats priority 'P1'"):
        SlaPolicy(
            name="Bad",
            targets_by_priority=[
                PriorityTargets(priority="P1", response_within=HOUR),
                PriorityTargets(priority="P1", resolve_within=HOUR),
            ],
        )


def test_priority_targets_must_be_priority_targets() -> None:
    with pytest.raises(InvalidPolicyError, match="PriorityTargets"):
        SlaPolicy(name="Bad", targets_by_priority={"P1": HOUR})


def test_a_priority_without_its_own_target_falls_back_to_the_plain_field() -> None:
    policy = SlaPolicy(
        name="Tiered",
        response_within=HOUR,
        resolve_within=8 * HOUR,
        targets_by_priority=[PriorityTargets(priority=1, resolve_within=2 * HOUR)],
    )

    assert policy.targets_for(1) == (HOUR, 2 * HOUR)
    assert policy.targets_for(2) == (HOUR, 8 * HOUR)
    assert policy.targets_for(None) == (HOUR, 8 * HOUR)


def test_from_dict_builds_a_policy_and_names_unknown_fields() -> None:
    policy = SlaPolicy.from_dict({"name": "Gold", "response_within": HOUR})

    assert policy == SlaPolicy(name="Gold", response_within=HOUR)
    with pytest.raises(InvalidPolicyError, match=r"unknown field\(s\): resolution_within"):
        SlaPolicy.from_dict({"name": "Gold", "resolution_within": HOUR})
    with pytest.raises(InvalidPolicyError, match="needs a 'name'"):
        SlaPolicy.from_dict({"response_within": HOUR})
    with pytest.raises(InvalidPolicyError, match="must be a mapping"):
        SlaPolicy.from_dict(["Gold"])  # type: ignore[arg-type]


def test_a_policy_round_trips_through_plain_data() -> None:
    office = BusinessCalendar(
        "America/New_York",
        weekly_hours={day: [(time(9), time(17))] for day in range(5)},
        holidays=[date(2026, 11, 26)],
    )
    policy = SlaPolicy(
        name="Gold",
        description="Managed IT",
        response_within=timedelta(minutes=30),
        resolve_within=timedelta(hours=72, seconds=5, microseconds=250),
        calendar=office,
        pause_statuses={"Waiting on Customer", "On Hold"},
        warn_before=timedelta(minutes=10),
        assign_to="ann",
        reassign_on_breach_to=7,
        priority="P2",
        targets_by_priority=[PriorityTargets(priority="P1", response_within=timedelta(minutes=15))],
    )

    data = policy.to_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["resolve_within"] == "72:00:05.000250"
    assert data["pause_statuses"] == ["On Hold", "Waiting on Customer"]
    assert SlaPolicy.from_dict(data) == policy


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "X", "response_within": "90"}, r"response_within must be a duration"),
        ({"name": "X", "warn_before": "0:75"}, r"warn_before must be a duration"),
        ({"name": "X", "resolve_within": "0:00"}, r"resolve_within must be a positive"),
        (
            {"name": "X", "targets_by_priority": [{"priority": "P1", "response": "1:00"}]},
            r"targets_by_priority\[0\] has unknown field\(s\): response",
        ),
        (
            {"name": "X", "targets_by_priority": [{"priority": "P1", "resolve_within": 5}]},
            r"targets_by_priority\[0\]\.resolve_within must be a duration",
        ),
        ({"name": "X", "calendar": {"timezone": "Mars/Olympus"}}, r"Mars/Olympus"),
    ],
)
def test_bad_plain_data_is_refused_naming_the_field(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ContractCoreError, match=message):
        SlaPolicy.from_dict(data)


def test_a_policy_with_pendulum_durations_goes_to_plain_data_and_back() -> None:
    """Found in review: ``Duration // timedelta`` is refused by pendulum."""
    policy = SlaPolicy(
        name="Pendulum",
        response_within=pendulum.duration(hours=1, minutes=30),
        resolve_within=pendulum.duration(days=2, microseconds=5),
    )

    data = policy.to_dict()

    assert (data["response_within"], data["resolve_within"]) == ("1:30", "48:00:00.000005")
    assert SlaPolicy.from_dict(data) == policy
