"""SLA policies: the promise made to a customer, as data.

A :class:`SlaPolicy` says how long a ticket may wait for a first response and
for a resolution, on which business calendar those clocks run, which ticket
statuses stop them, when to warn, and whom to assign or re-assign.

>>> from datetime import timedelta
>>> policy = SlaPolicy(
...     name="Gold",
...     response_within=timedelta(hours=1),
...     resolve_within=timedelta(hours=8),
...     warn_before=timedelta(minutes=30),
...     pause_statuses={"Waiting on Customer"},
... )
>>> policy.targets_for(None)
(datetime.timedelta(seconds=3600), datetime.timedelta(seconds=28800))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import attrs

from contractcore.errors import InvalidPolicyError
from contractcore.sla._checks import check_duration, check_host_id, check_text
from contractcore.sla._policy_data import policy_from_data, policy_to_data

if TYPE_CHECKING:
    from contractcore.sla.calendar import BusinessCalendar
    from contractcore.sla.composed import ComposedCalendar

__all__ = ["DEFAULT_RESOLVED_STATUSES", "PriorityTargets", "SlaPolicy"]

#: The statuses that resolve a ticket unless a policy says otherwise.
DEFAULT_RESOLVED_STATUSES = frozenset({"Resolved", "Closed"})


def _policy_check(check: Any, name: str, value: Any, **kwargs: Any) -> None:
    """Run a shared check, re-raising its error as an :class:`InvalidPolicyError`."""
    try:
        check(name, value, **kwargs)
    except ValueError as exc:
        raise InvalidPolicyError(str(exc)) from exc


def _duration(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _policy_check(check_duration, f"{type(instance).__name__}.{attribute.name}", value)


def _host_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _policy_check(check_host_id, f"{type(instance).__name__}.{attribute.name}", value)


def _statuses(value: Any) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        msg = f"statuses must be a set of status names, got {value!r}"
        raise InvalidPolicyError(msg)
    statuses = frozenset(value)
    for status in statuses:
        _policy_check(check_text, "status name", status)
    return statuses


def _calendar(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    from contractcore.sla.calendar import BusinessCalendar  # noqa: PLC0415 - import cycle
    from contractcore.sla.composed import ComposedCalendar  # noqa: PLC0415 - import cycle

    if not isinstance(value, BusinessCalendar | ComposedCalendar):
        msg = (
            "SlaPolicy.calendar must be a BusinessCalendar, a ComposedCalendar or None, "
            f"got {value!r}"
        )
        raise InvalidPolicyError(msg)


def _targets(value: Any) -> tuple[PriorityTargets, ...]:
    if isinstance(value, Mapping):
        msg = (
            "targets_by_priority must be PriorityTargets(priority=..., ...) items, "
            f"got a mapping {value!r}"
        )
        raise InvalidPolicyError(msg)
    if not isinstance(value, Iterable):
        msg = f"targets_by_priority must be an iterable of PriorityTargets, got {value!r}"
        raise InvalidPolicyError(msg)
    targets = tuple(value)
    seen: set[object] = set()
    for index, item in enumerate(targets):
        if not isinstance(item, PriorityTargets):
            msg = f"targets_by_priority[{index}] must be a PriorityTargets, got {item!r}"
            raise InvalidPolicyError(msg)
        if item.priority in seen:
            msg = f"targets_by_priority[{index}] repeats priority {item.priority!r}"
            raise InvalidPolicyError(msg)
        seen.add(item.priority)
    return targets


@attrs.frozen(kw_only=True)
class PriorityTargets:
    """Response and resolution targets for tickets of one priority.

    A target left as None falls back to the policy's plain field.

    Args:
        priority: the host's priority id (``"P1"``, ``1``, ...).
        response_within: business time allowed before the first response.
        resolve_within: business time allowed before the resolution.

    >>> from datetime import timedelta
    >>> PriorityTargets(priority="P1", response_within=timedelta(minutes=15)).resolve_within is None
    True
    """

    priority: str | int = attrs.field(validator=_host_id)
    response_within: timedelta | None = attrs.field(default=None, validator=_duration)
    resolve_within: timedelta | None = attrs.field(default=None, validator=_duration)

    def __attrs_post_init__(self) -> None:
        if self.priority is None:
            msg = "PriorityTargets.priority must be a priority id, got None"
            raise InvalidPolicyError(msg)


@attrs.frozen(kw_only=True)
class SlaPolicy:
    """A service level agreement: targets, calendar, pauses, warnings and routing.

    Args:
        name: what the help desk calls the agreement ("Gold 24x7").
        description: free text for people.
        response_within: business time allowed before the first public agent
            reply (None: no response target).
        resolve_within: business time allowed before the ticket is resolved
            (None: no resolution target).
        calendar: the business calendar the clocks run on; None uses the
            caller's default calendar, else 24x7 UTC.
        pause_statuses: ticket statuses that stop both clocks while the ticket
            is in them ("Waiting on Customer").
        resolved_statuses: statuses that resolve the ticket.
        warn_before: business time before a deadline at which a target turns
            *at risk* (None: never).
        assign_to: technician id every ticket is assigned to at creation.
        reassign_on_breach_to: technician id a ticket goes to when a target breaches.
        priority: priority id the policy sets on its tickets at creation.
        targets_by_priority: targets that depend on the ticket's priority; the
            plain ``response_within`` / ``resolve_within`` are the default.
        next_reply_within: business time allowed for each next reply: after
            the first reply, a public customer comment made while no reply is
            owed starts a cycle, the next public agent comment completes it
            (None: no next-reply target).
        update_every: business time allowed between public agent comments
            while the ticket is not resolved, counted from creation and from
            each such comment (None: no periodic-update target).
        requester_wait_statuses: the statuses whose time adds up to the
            *requester wait* group of time in status.
        agent_work_statuses: the statuses whose time adds up to the *agent
            work* group of time in status.
        agent_work_within: business time allowed in the agent-work statuses
            (None: no agent-work target; needs ``agent_work_statuses``).
        measure_time_in_status: measure the time in each status even without
            groups (setting a group measures it too).

    Raises:
        InvalidPolicyError: zero or negative targets, a ``warn_before`` longer
            than a target, a status both pausing and resolving, a repeated
            priority (also a ``ValueError``).

    >>> SlaPolicy(name="Bronze", resolve_within=timedelta(0))
    Traceback (most recent call last):
    ...
    contractcore.errors.InvalidPolicyError: SlaPolicy.resolve_within must be a positive ...
    """

    name: str = attrs.field()
    description: str = attrs.field(default="")
    response_within: timedelta | None = attrs.field(default=None, validator=_duration)
    resolve_within: timedelta | None = attrs.field(default=None, validator=_duration)
    calendar: BusinessCalendar | ComposedCalendar | None = attrs.field(
        default=None, validator=_calendar
    )
    pause_statuses: frozenset[str] = attrs.field(default=frozenset(), converter=_statuses)
    resolved_statuses: frozenset[str] = attrs.field(
        default=DEFAULT_RESOLVED_STATUSES, converter=_statuses
    )
    warn_before: timedelta | None = attrs.field(default=None, validator=_duration)
    assign_to: str | int | None = attrs.field(default=None, validator=_host_id)
    reassign_on_breach_to: str | int | None = attrs.field(default=None, validator=_host_id)
    priority: str | int | None = attrs.field(default=None, validator=_host_id)
    targets_by_priority: tuple[PriorityTargets, ...] = attrs.field(default=(), converter=_targets)
    next_reply_within: timedelta | None = attrs.field(default=None, validator=_duration)
    update_every: timedelta | None = attrs.field(default=None, validator=_duration)
    requester_wait_statuses: frozenset[str] = attrs.field(default=frozenset(), converter=_statuses)
    agent_work_statuses: frozenset[str] = attrs.field(default=frozenset(), converter=_statuses)
    agent_work_within: timedelta | None = attrs.field(default=None, validator=_duration)
    measure_time_in_status: bool = attrs.field(default=False)

    @name.validator
    def _check_name(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        _policy_check(check_text, "SlaPolicy.name", value)

    @description.validator
    def _check_description(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str):
            msg = f"SlaPolicy.description must be a string, got {value!r}"
            raise InvalidPolicyError(msg)

    @measure_time_in_status.validator
    def _check_measure(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, bool):
            msg = f"SlaPolicy.measure_time_in_status must be a bool, got {value!r}"
            raise InvalidPolicyError(msg)

    @property
    def measures_time_in_status(self) -> bool:
        """Whether evaluating under this policy measures the time in each status."""
        return bool(
            self.measure_time_in_status or self.requester_wait_statuses or self.agent_work_statuses
        )

    def __attrs_post_init__(self) -> None:
        self._check_groups()
        if not self.resolved_statuses:
            msg = "SlaPolicy.resolved_statuses must name at least one status"
            raise InvalidPolicyError(msg)
        both = self.pause_statuses & self.resolved_statuses
        if both:
            msg = (
                "a status cannot both pause and resolve a ticket: "
                f"{', '.join(sorted(both))} is in pause_statuses and resolved_statuses"
            )
            raise InvalidPolicyError(msg)
        if self.warn_before is not None:
            self._check_warning_fits("", self.response_within, self.resolve_within)
            for name, target in (
                ("next_reply_within", self.next_reply_within),
                ("update_every", self.update_every),
                ("agent_work_within", self.agent_work_within),
            ):
                if target is not None and self.warn_before > target:
                    msg = (
                        f"warn_before ({self.warn_before}) is longer than {name} ({target}): "
                        "the target would be at risk before it starts"
                    )
                    raise InvalidPolicyError(msg)
            for item in self.targets_by_priority:
                self._check_warning_fits(
                    f" (priority {item.priority!r})", item.response_within, item.resolve_within
                )

    def _check_groups(self) -> None:
        """The time-in-status groups: disjoint, never resolving, and a target needs its group."""
        if self.agent_work_within is not None and not self.agent_work_statuses:
            msg = (
                f"SlaPolicy.agent_work_within ({self.agent_work_within}) needs "
                "agent_work_statuses: no status counts as agent work"
            )
            raise InvalidPolicyError(msg)
        both = self.requester_wait_statuses & self.agent_work_statuses
        if both:
            msg = (
                "a status cannot be both requester wait and agent work: "
                f"{', '.join(sorted(both))} is in requester_wait_statuses and agent_work_statuses"
            )
            raise InvalidPolicyError(msg)
        resolving = self.agent_work_statuses & self.resolved_statuses
        if resolving:
            msg = (
                "a status cannot both resolve a ticket and count as agent work: "
                f"{', '.join(sorted(resolving))} is in agent_work_statuses and resolved_statuses"
            )
            raise InvalidPolicyError(msg)

    def _check_warning_fits(
        self, where: str, response: timedelta | None, resolution: timedelta | None
    ) -> None:
        assert self.warn_before is not None
        for name, target in (("response_within", response), ("resolve_within", resolution)):
            if target is not None and self.warn_before > target:
                msg = (
                    f"warn_before ({self.warn_before}) is longer than {name} ({target}){where}: "
                    "the target would be at risk before it starts"
                )
                raise InvalidPolicyError(msg)

    def targets_for(self, priority: str | int | None) -> tuple[timedelta | None, timedelta | None]:
        """The ``(response_within, resolve_within)`` that apply to a ticket of ``priority``.

        >>> from datetime import timedelta
        >>> policy = SlaPolicy(
        ...     name="Gold",
        ...     response_within=timedelta(hours=1),
        ...     resolve_within=timedelta(hours=8),
        ...     targets_by_priority=[
        ...         PriorityTargets(priority="P1", response_within=timedelta(minutes=15)),
        ...     ],
        ... )
        >>> [str(target) for target in policy.targets_for("P1")]
        ['0:15:00', '8:00:00']
        """
        for item in self.targets_by_priority:
            if item.priority == priority:
                return (
                    self.response_within if item.response_within is None else item.response_within,
                    self.resolve_within if item.resolve_within is None else item.resolve_within,
                )
        return self.response_within, self.resolve_within

    def to_dict(self) -> dict[str, Any]:
        """The policy as plain JSON-ready data; :meth:`from_dict` reads it back.

        Durations are ``"H:MM"`` strings (``"72:00"`` for three days of
        business time), the calendar is ``BusinessCalendar.to_dict()``.

        >>> gold = SlaPolicy(name="Gold", response_within=timedelta(minutes=90))
        >>> gold.to_dict()["response_within"]
        '1:30'
        """
        return policy_to_data(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SlaPolicy:
        """Build a policy from plain data, as kept in a host's configuration.

        Durations may be ``"H:MM[:SS]"`` strings or ``timedelta`` values; the
        calendar a mapping (``BusinessCalendar.from_dict``) or a calendar.
        Misspelt fields are refused rather than silently ignored, and every
        error names the field.

        >>> SlaPolicy.from_dict({"name": "Gold", "response_within": "1:00"}).response_within
        datetime.timedelta(seconds=3600)
        >>> SlaPolicy.from_dict({"name": "Gold", "respond_within": "1:00"})
        Traceback (most recent call last):
        ...
        contractcore.errors.InvalidPolicyError: SLA policy data has unknown field(s): ...
        """
        return policy_from_data(data)
