"""The result models: fast construction agrees with attrs', and the derived views."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta

import attrs

from contractcore.sla import SlaPolicy, SlaStatus, TargetStatus, TicketCreated, evaluate
from contractcore.sla.status import make_sla_status, make_target_status

AT = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_a_fast_built_target_status_equals_one_built_by_attrs() -> None:
    values = (HOUR, "running", HOUR / 2, HOUR / 2, AT, None, None, None)
    expected = TargetStatus(
        target=HOUR,
        state="running",
        elapsed=HOUR / 2,
        remaining=HOUR / 2,
        due_at=AT,
        warning_at=None,
        completed_at=None,
        breached_at=None,
    )

    built = make_target_status(*values)  # type: ignore[arg-type]

    assert built == expected
    assert hash(built) == hash(expected)
    assert repr(built) == repr(expected)
    assert attrs.astuple(built, recurse=False) == values
    assert pickle.loads(pickle.dumps(built)) == expected


def test_a_fast_built_sla_status_equals_one_built_by_attrs() -> None:
    policy = SlaPolicy(name="Basic", resolve_within=HOUR)
    target = make_target_status(HOUR, "running", HOUR, timedelta(0), AT, None, None, None)
    expected = SlaStatus(
        policy=policy,
        created_at=AT,
        evaluated_at=AT,
        priority=None,
        resolved=False,
        response=None,
        resolution=target,
        color=None,
        next_change_at=AT,
    )

    built = make_sla_status(policy, AT, AT, None, False, None, target, None, AT)

    assert built == expected
    assert repr(built) == repr(expected)
    assert attrs.evolve(built, color="red").color == "red"


def test_a_status_lists_its_targets_by_name_and_splits_due_from_scheduled_actions() -> None:
    policy = SlaPolicy(name="Basic", response_within=HOUR, assign_to="ann")

    status = evaluate(policy, [TicketCreated(AT)], now=AT + HOUR / 2)

    assert [name for name, _target in status.targets] == ["response"]
    assert [type(action).__name__ for action in status.due_actions] == ["AssignTechnician"]
    assert [action.at for action in status.scheduled_actions] == [AT + HOUR]
    assert status.is_open
