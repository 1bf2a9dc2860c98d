"""SLA policies as plain, JSON-ready data (private; see ``SlaPolicy.to_dict``).

Durations are written ``"H:MM"`` (hours may pass 24: ``"72:00"``), with
``":SS"`` and ``".ffffff"`` only when needed; the calendar uses
``BusinessCalendar.to_dict``; status sets are sorted lists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from contractcore.errors import InvalidPolicyError
from contractcore.sla._tz import duration_micros

if TYPE_CHECKING:
    from contractcore.sla.policy import SlaPolicy

__all__ = ["FIELDS", "format_duration", "parse_duration", "policy_from_data", "policy_to_data"]

#: Every field of an SLA policy, as data.
FIELDS = (
    "name",
    "description",
    "response_within",
    "resolve_within",
    "calendar",
    "pause_statuses",
    "resolved_statuses",
    "warn_before",
    "assign_to",
    "reassign_on_breach_to",
    "priority",
    "targets_by_priority",
    "next_reply_within",
    "update_every",
    "requester_wait_statuses",
    "agent_work_statuses",
    "agent_work_within",
    "measure_time_in_status",
)
_DURATIONS = (
    "response_within",
    "resolve_within",
    "warn_before",
    "next_reply_within",
    "update_every",
    "agent_work_within",
)
_TARGET_FIELDS = ("priority", "response_within", "resolve_within")
_DURATION = re.compile(r"^(\d+):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,6}))?)?$")


def format_duration(duration: timedelta | None) -> str | None:
    """``"H:MM"``, ``"H:MM:SS"`` or ``"H:MM:SS.ffffff"``; None stays None."""
    if duration is None:
        return None
    micros = duration_micros(duration)
    seconds, fraction = divmod(micros, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    text = f"{hours}:{minute:02d}"
    if second or fraction:
        text += f":{second:02d}"
    if fraction:
        text += f".{fraction:06d}"
    return text


def read_clock_duration(text: str) -> timedelta | None:
    """``"H:MM[:SS[.ffffff]]"`` as a duration, or None if ``text`` is not one."""
    match = _DURATION.match(text)
    if match is None:
        return None
    hours, minutes, seconds, fraction = match.groups()
    return timedelta(
        hours=int(hours),
        minutes=int(minutes),
        seconds=int(seconds or 0),
        microseconds=int((fraction or "0").ljust(6, "0")),
    )


def parse_duration(value: Any, where: str) -> timedelta | None:
    """A duration from ``"H:MM[:SS[.ffffff]]"``, ISO 8601 ``"PT1H30M"`` or a ``timedelta``.

    None stays None. The ISO form is the one of contractcore's JSON documents,
    so a policy can be copied from one to the other.
    """
    if value is None or isinstance(value, timedelta):
        return value
    if isinstance(value, str):
        duration = read_clock_duration(value)
        if duration is not None:
            return duration
        if value.lstrip("-").startswith("P"):
            from contractcore.serialization._scalars import read_duration  # noqa: PLC0415 - cycle

            try:
                return read_duration(value)
            except ValueError:  # the message below names the field
                pass
    msg = f"{where} must be a duration such as '1:30' (hours:minutes) or 'PT1H30M', got {value!r}"
    raise InvalidPolicyError(msg)


def _check_keys(data: Any, known: tuple[str, ...], where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        msg = f"{where} must be a mapping, got {data!r}"
        raise InvalidPolicyError(msg)
    unknown = set(map(str, data)) - set(known)
    if unknown:
        msg = (
            f"{where} has unknown field(s): {', '.join(sorted(unknown))} "
            f"(known: {', '.join(known)})"
        )
        raise InvalidPolicyError(msg)
    return data


def policy_to_data(policy: SlaPolicy) -> dict[str, Any]:
    """The policy as plain data that :func:`policy_from_data` reads back.

    The metrics added later (next reply, periodic update, time in status) are
    written only when set, so a policy without them writes what it always did.
    """
    data: dict[str, Any] = {
        "name": policy.name,
        "description": policy.description,
        "response_within": format_duration(policy.response_within),
        "resolve_within": format_duration(policy.resolve_within),
        "calendar": None if policy.calendar is None else policy.calendar.to_dict(),
        "pause_statuses": sorted(policy.pause_statuses),
        "resolved_statuses": sorted(policy.resolved_statuses),
        "warn_before": format_duration(policy.warn_before),
        "assign_to": policy.assign_to,
        "reassign_on_breach_to": policy.reassign_on_breach_to,
        "priority": policy.priority,
        "targets_by_priority": [
            {
                "priority": item.priority,
                "response_within": format_duration(item.response_within),
                "resolve_within": format_duration(item.resolve_within),
            }
            for item in policy.targets_by_priority
        ],
    }
    for name in ("next_reply_within", "update_every", "agent_work_within"):
        duration = getattr(policy, name)
        if duration is not None:
            data[name] = format_duration(duration)
    for name in ("requester_wait_statuses", "agent_work_statuses"):
        statuses = getattr(policy, name)
        if statuses:
            data[name] = sorted(statuses)
    if policy.measure_time_in_status:
        data["measure_time_in_status"] = True
    return data


def policy_from_data(data: Any) -> SlaPolicy:
    """Build a policy from plain data, naming the field of any bad value."""
    from contractcore.sla.composed import calendar_from_dict  # noqa: PLC0415 - import cycle
    from contractcore.sla.policy import PriorityTargets, SlaPolicy  # noqa: PLC0415

    fields = dict(_check_keys(data, FIELDS, "SLA policy data"))
    if "name" not in fields:
        msg = "SLA policy data needs a 'name'"
        raise InvalidPolicyError(msg)
    for name in _DURATIONS:
        if name in fields:
            fields[name] = parse_duration(fields[name], name)
    calendar = fields.get("calendar")
    if isinstance(calendar, Mapping):
        fields["calendar"] = calendar_from_dict(calendar)
    targets = fields.get("targets_by_priority")
    if isinstance(targets, list | tuple):
        built = []
        for index, item in enumerate(targets):
            where = f"targets_by_priority[{index}]"
            if isinstance(item, PriorityTargets):
                built.append(item)
                continue
            values = _check_keys(item, _TARGET_FIELDS, where)
            priority: Any = values.get("priority")  # PriorityTargets validates it
            built.append(
                PriorityTargets(
                    priority=priority,
                    response_within=parse_duration(
                        values.get("response_within"), f"{where}.response_within"
                    ),
                    resolve_within=parse_duration(
                        values.get("resolve_within"), f"{where}.resolve_within"
                    ),
                )
            )
        fields["targets_by_priority"] = built
    return SlaPolicy(**fields)
