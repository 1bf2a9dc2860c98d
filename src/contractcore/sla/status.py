"""What :func:`~contractcore.sla.evaluate` returns: target states and actions.

These are plain results (frozen, no validation of their own): the engine
builds them, hosts read them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal, TypeAlias

import attrs

if TYPE_CHECKING:
    from contractcore.sla.policy import SlaPolicy

__all__ = [
    "Action",
    "AssignTechnician",
    "Color",
    "Notify",
    "SetPriority",
    "SlaStatus",
    "TargetName",
    "TargetState",
    "TargetStatus",
]

#: The state of one target, in order of precedence.
TargetState: TypeAlias = Literal["met", "breached", "paused", "at_risk", "running"]
#: Which clock a target or an action is about.
TargetName: TypeAlias = Literal["response", "resolution"]
#: A ticket's colour on the board.
Color: TypeAlias = Literal["red", "orange"]


@attrs.frozen(kw_only=True)
class TargetStatus:
    """One clock (response or resolution) of one ticket at the evaluation instant.

    Attributes:
        target: the business time allowed (after priority overrides).
        state: ``met``, ``breached``, ``paused``, ``at_risk`` or ``running``.
        elapsed: business time counted so far (or up to completion).
        remaining: ``target - elapsed``; negative once breached.
        due_at: when the accumulated time reaches the target if the clock keeps
            running (only while open and running; None while paused or complete).
            Once breached, this is the instant it breached.
        warning_at: when the remaining time reached or will reach ``warn_before``;
            a future instant only while running.
        completed_at: when the target completed (response given, ticket resolved).
        breached_at: when the accumulated time reached the target, if it is breached.
    """

    target: timedelta
    state: TargetState
    elapsed: timedelta
    remaining: timedelta
    due_at: datetime | None = None
    warning_at: datetime | None = None
    completed_at: datetime | None = None
    breached_at: datetime | None = None

    @property
    def is_complete(self) -> bool:
        """Whether the target has completed (met or breached for good)."""
        return self.completed_at is not None


@attrs.frozen(kw_only=True)
class AssignTechnician:
    """Assign the ticket to ``technician`` at ``at``.

    ``reason`` is ``"policy"`` for the policy's ``assign_to`` at creation and
    ``"breach"`` for ``reassign_on_breach_to`` when ``target`` breaches.
    """

    at: datetime
    technician: str | int
    reason: Literal["policy", "breach"] = "policy"
    target: TargetName | None = None


@attrs.frozen(kw_only=True)
class SetPriority:
    """Set the ticket's priority to the policy's ``priority`` at ``at`` (creation)."""

    at: datetime
    priority: str | int


@attrs.frozen(kw_only=True)
class Notify:
    """Send the ``kind`` notice (``"warning"`` or ``"breach"``) about ``target`` at ``at``."""

    at: datetime
    kind: Literal["warning", "breach"]
    target: TargetName


#: Anything the engine asks the host to do.
Action: TypeAlias = AssignTechnician | SetPriority | Notify


@attrs.frozen(kw_only=True)
class SlaStatus:
    """The SLA picture of one ticket at one instant (``evaluated_at``).

    Attributes:
        policy: the policy it was evaluated under.
        created_at: when the ticket was created.
        evaluated_at: the ``now`` it was evaluated at.
        priority: the ticket's priority at ``evaluated_at`` (after the policy's).
        resolved: whether the ticket is in a resolved status at ``evaluated_at``.
        response: the response target (None when the policy has none).
        resolution: the resolution target (None when the policy has none).
        color: ``"red"`` if a target is breached, ``"orange"`` if one is at
            risk, else None.
        next_change_at: the earliest instant after ``evaluated_at`` at which a
            state changes if no new event arrives (None: nothing will change).
            Evaluating again at that instant shows the change.
    """

    policy: SlaPolicy = attrs.field(repr=False)
    created_at: datetime
    evaluated_at: datetime
    priority: str | int | None
    resolved: bool
    response: TargetStatus | None
    resolution: TargetStatus | None
    color: Color | None
    next_change_at: datetime | None

    @property
    def is_open(self) -> bool:
        """Whether the ticket is not resolved at ``evaluated_at``."""
        return not self.resolved

    @property
    def targets(self) -> tuple[tuple[TargetName, TargetStatus], ...]:
        """The targets the policy has, named: ``(("response", ...), ("resolution", ...))``."""
        named: list[tuple[TargetName, TargetStatus]] = []
        if self.response is not None:
            named.append(("response", self.response))
        if self.resolution is not None:
            named.append(("resolution", self.resolution))
        return tuple(named)

    @property
    def actions(self) -> tuple[Action, ...]:
        """What the host should do and when, in time order.

        Assign to the policy's ``assign_to`` and set its ``priority`` at
        creation; a warning notice at each ``warning_at``; a breach notice and
        a re-assignment to ``reassign_on_breach_to`` at each ``breached_at``
        (or, for a running target, at its ``due_at``). Actions dated after
        ``evaluated_at`` are scheduled: they hold while no new event arrives
        (see :attr:`due_actions` and :attr:`scheduled_actions`).
        """
        policy = self.policy
        actions: list[Action] = []
        if policy.assign_to is not None:
            actions.append(AssignTechnician(at=self.created_at, technician=policy.assign_to))
        if policy.priority is not None:
            actions.append(SetPriority(at=self.created_at, priority=policy.priority))
        for name, status in self.targets:
            if status.warning_at is not None:
                actions.append(Notify(at=status.warning_at, kind="warning", target=name))
            breach = status.breached_at or status.due_at
            if breach is not None:
                actions.append(Notify(at=breach, kind="breach", target=name))
                if policy.reassign_on_breach_to is not None:
                    actions.append(
                        AssignTechnician(
                            at=breach,
                            technician=policy.reassign_on_breach_to,
                            reason="breach",
                            target=name,
                        )
                    )
        actions.sort(key=_action_time)
        return tuple(actions)

    @property
    def due_actions(self) -> tuple[Action, ...]:
        """The actions dated at or before ``evaluated_at``."""
        return tuple(action for action in self.actions if action.at <= self.evaluated_at)

    @property
    def scheduled_actions(self) -> tuple[Action, ...]:
        """The actions dated after ``evaluated_at`` (valid while no new event arrives)."""
        return tuple(action for action in self.actions if action.at > self.evaluated_at)


def _action_time(action: Action) -> datetime:
    return action.at
