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
    "StatusTime",
    "TargetName",
    "TargetState",
    "TargetStatus",
]

#: The state of one target, in order of precedence.
TargetState: TypeAlias = Literal["met", "breached", "paused", "at_risk", "running"]
#: Which clock a target or an action is about.
TargetName: TypeAlias = Literal["response", "resolution", "next_reply", "update", "agent_work"]
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
class StatusTime:
    """The time a ticket spent in one status, up to the evaluation instant.

    Attributes:
        status: the status name.
        business: business time in it, on the policy's calendar (pauses do
            not stop it: it measures where the time went).
        real: wall-clock time in it.
    """

    status: str
    business: timedelta
    real: timedelta


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
        next_reply: the open next-reply cycle, else the last one (None before
            the first, or when the policy has no ``next_reply_within``).
        update: the open periodic-update cycle, else the last one (None when
            the policy has no ``update_every``).
        next_reply_cycles: every next-reply cycle, in time order.
        update_cycles: every periodic-update cycle, in time order.
        status_times: the time spent in each status, in the order the
            statuses were first entered (empty unless the policy measures
            time in status).
        requester_wait: business time in the requester-wait statuses (None
            unless the policy measures time in status).
        agent_work: business time in the agent-work statuses (likewise).
        agent_work_target: the agent-work target (None when the policy has no
            ``agent_work_within``).
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
    next_reply: TargetStatus | None = None
    update: TargetStatus | None = None
    next_reply_cycles: tuple[TargetStatus, ...] = ()
    update_cycles: tuple[TargetStatus, ...] = ()
    status_times: tuple[StatusTime, ...] = ()
    requester_wait: timedelta | None = None
    agent_work: timedelta | None = None
    agent_work_target: TargetStatus | None = None

    @property
    def cycles(self) -> dict[TargetName, tuple[TargetStatus, ...]]:
        """Each target the policy has, by name, with the tuple of its cycles in time order.

        Response and resolution have one cycle each; next reply and periodic
        update one per reply owed and per interval.
        """
        found: dict[TargetName, tuple[TargetStatus, ...]] = {}
        if self.response is not None:
            found["response"] = (self.response,)
        if self.resolution is not None:
            found["resolution"] = (self.resolution,)
        if self.policy.next_reply_within is not None:
            found["next_reply"] = self.next_reply_cycles
        if self.policy.update_every is not None:
            found["update"] = self.update_cycles
        if self.agent_work_target is not None:
            found["agent_work"] = (self.agent_work_target,)
        return found

    @property
    def time_in_status(self) -> dict[str, timedelta]:
        """Business time spent in each status up to ``evaluated_at`` (see :attr:`status_times`)."""
        return {item.status: item.business for item in self.status_times}

    @property
    def real_time_in_status(self) -> dict[str, timedelta]:
        """Wall-clock time spent in each status up to ``evaluated_at``."""
        return {item.status: item.real for item in self.status_times}

    @property
    def is_open(self) -> bool:
        """Whether the ticket is not resolved at ``evaluated_at``."""
        return not self.resolved

    @property
    def targets(self) -> tuple[tuple[TargetName, TargetStatus], ...]:
        """The targets the policy has, named: ``(("response", ...), ("resolution", ...))``.

        Next reply and periodic update show their open cycle, else the last
        one (as :attr:`next_reply` and :attr:`update`); the agent-work target
        comes last.
        """
        named: list[tuple[TargetName, TargetStatus]] = []
        if self.response is not None:
            named.append(("response", self.response))
        if self.resolution is not None:
            named.append(("resolution", self.resolution))
        if self.next_reply is not None:
            named.append(("next_reply", self.next_reply))
        if self.update is not None:
            named.append(("update", self.update))
        if self.agent_work_target is not None:
            named.append(("agent_work", self.agent_work_target))
        return tuple(named)

    @property
    def actions(self) -> tuple[Action, ...]:
        """What the host should do and when, in time order.

        Assign to the policy's ``assign_to`` and set its ``priority`` at
        creation; a warning notice at each ``warning_at`` (unless the target
        completed at that very instant); a breach notice and a re-assignment
        to ``reassign_on_breach_to`` at each ``breached_at``, or, for a
        running target, at its ``due_at``. A running target whose time has
        run out exactly (evaluated at ``due_at``, or its calendar closed
        since) is not breached yet: its breach actions are dated when the
        breach will show, ``next_change_at``. So an action is due only once
        the status shows it. Next reply and periodic update have these
        actions for each of their cycles. Actions dated after ``evaluated_at`` are
        scheduled: they hold while no new event arrives (see
        :attr:`due_actions` and :attr:`scheduled_actions`).
        """
        policy = self.policy
        actions: list[Action] = []
        if policy.assign_to is not None:
            actions.append(AssignTechnician(at=self.created_at, technician=policy.assign_to))
        if policy.priority is not None:
            actions.append(SetPriority(at=self.created_at, priority=policy.priority))
        for name, status in self._every_cycle():
            warning_at, completed_at = status.warning_at, status.completed_at
            if warning_at is not None and (completed_at is None or warning_at < completed_at):
                actions.append(Notify(at=warning_at, kind="warning", target=name))
            breach = status.breached_at
            if breach is None and status.due_at is not None:
                breach = status.due_at
                if breach <= self.evaluated_at:  # ran out, but over only after it
                    breach = self.next_change_at
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

    def _every_cycle(self) -> list[tuple[TargetName, TargetStatus]]:
        """Every cycle of every target, named (next reply and update: all their cycles)."""
        named = [
            (name, status) for name, status in self.targets if name not in {"next_reply", "update"}
        ]
        named.extend(("next_reply", cycle) for cycle in self.next_reply_cycles)
        named.extend(("update", cycle) for cycle in self.update_cycles)
        return named

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


# -- fast construction for the engine -----------------------------------------------
#
# evaluate_many builds three of these results per ticket, and attrs' generated
# __init__ for frozen classes costs about twice as much as setting the slots
# directly. These results have no validators or converters, so the engine sets
# the slots itself; tests/sla/test_status.py holds both ways to equality.

_new = object.__new__
(
    _set_target,
    _set_state,
    _set_elapsed,
    _set_remaining,
    _set_due_at,
    _set_warning_at,
    _set_completed_at,
    _set_breached_at,
) = (TargetStatus.__dict__[field.name].__set__ for field in attrs.fields(TargetStatus))
(
    _set_policy,
    _set_created_at,
    _set_evaluated_at,
    _set_priority,
    _set_resolved,
    _set_response,
    _set_resolution,
    _set_color,
    _set_next_change_at,
    *_set_metrics,
) = (SlaStatus.__dict__[field.name].__set__ for field in attrs.fields(SlaStatus))
#: The fields of the metrics added later, with their defaults, set on every status.
_METRIC_DEFAULTS = tuple(
    zip(_set_metrics, (field.default for field in attrs.fields(SlaStatus)[9:]), strict=True)
)


def make_target_status(  # noqa: PLR0917 - positional on purpose: the hot path
    target: timedelta,
    state: TargetState,
    elapsed: timedelta,
    remaining: timedelta,
    due_at: datetime | None,
    warning_at: datetime | None,
    completed_at: datetime | None,
    breached_at: datetime | None,
) -> TargetStatus:
    """``TargetStatus(...)`` with the fields in declaration order, built fast."""
    status: TargetStatus = _new(TargetStatus)
    _set_target(status, target)
    _set_state(status, state)
    _set_elapsed(status, elapsed)
    _set_remaining(status, remaining)
    _set_due_at(status, due_at)
    _set_warning_at(status, warning_at)
    _set_completed_at(status, completed_at)
    _set_breached_at(status, breached_at)
    return status


def make_sla_status(  # noqa: PLR0917 - positional on purpose: the hot path
    policy: SlaPolicy,
    created_at: datetime,
    evaluated_at: datetime,
    priority: str | int | None,
    resolved: bool,
    response: TargetStatus | None,
    resolution: TargetStatus | None,
    color: Color | None,
    next_change_at: datetime | None,
) -> SlaStatus:
    """``SlaStatus(...)`` with the fields in declaration order, built fast."""
    status: SlaStatus = _new(SlaStatus)
    _set_policy(status, policy)
    _set_created_at(status, created_at)
    _set_evaluated_at(status, evaluated_at)
    _set_priority(status, priority)
    _set_resolved(status, resolved)
    _set_response(status, response)
    _set_resolution(status, resolution)
    _set_color(status, color)
    _set_next_change_at(status, next_change_at)
    for setter, default in _METRIC_DEFAULTS:
        setter(status, default)
    return status


def set_metrics(status: SlaStatus, metrics: tuple[object, ...]) -> None:
    """Set the metric fields of a status the engine just built, in declaration order.

    ``metrics`` holds the cycles, the status times, the group totals and the
    agent-work target (``_metrics.Metrics``); the shown cycle of next reply
    and update is the last one.
    """
    replies, updates, times, requester, agent, target = metrics
    values = (
        replies[-1] if replies else None,  # type: ignore[index]
        updates[-1] if updates else None,  # type: ignore[index]
        replies,
        updates,
        times,
        requester,
        agent,
        target,
    )
    for setter, value in zip(_set_metrics, values, strict=True):
        setter(status, value)
