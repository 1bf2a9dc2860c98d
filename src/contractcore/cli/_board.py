"""``contractcore sla board``: the stored tickets at ``--now``, worst first."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from contractcore.cli._common import Column, format_duration, jsonable, table_row
from contractcore.cli._database import NewUow

__all__ = ["BOARD_COLUMNS", "board"]

#: The SLA board's columns: fixed widths, so no value moves the next column.
BOARD_COLUMNS = (
    Column("ticket", 15),
    Column("policy", 9),
    Column("colour", 7),
    Column("response", 9),
    Column("resolution", 10),
    Column("next target", 11),
    Column("due", 16),
    Column("remaining", 12, ">"),
)


def board(new_uow: NewUow, tenant: str, now: datetime) -> tuple[str, dict[str, Any]]:
    """The SLA board of the tenant's stored tickets at ``now``, worst first: text and JSON."""
    from contractcore.errors import NotFoundError  # noqa: PLC0415
    from contractcore.sla import _demo as sla_demo  # noqa: PLC0415
    from contractcore.sla.reports import evaluate_many, triage  # noqa: PLC0415

    with new_uow() as uow:
        policies = {s.key: s.value for s in uow.sla_policies.list(tenant)}
        tickets = [s.value for s in uow.tickets.list(tenant)]
    for ticket in tickets:
        if ticket.sla_policy_id not in policies:
            msg = (
                f"ticket {ticket.id!r} refers to SLA policy {ticket.sla_policy_id!r}, "
                f"which tenant {tenant!r} does not have"
            )
            raise NotFoundError(msg)
    # A board of a past moment leaves out the tickets not created yet.
    existing = [t for t in tickets if t.events and t.events[0].at <= now]
    statuses = list(
        evaluate_many(
            ((t.title or t.id, policies[t.sla_policy_id], t.events) for t in existing), now
        )
    )
    rows: list[dict[str, Any]] = []
    texts: list[str] = []
    for label, status in triage(statuses):
        focus = sla_demo._focus(status)
        name, target = focus if focus is not None else (None, None)
        due = None if target is None else (target.breached_at or target.due_at)
        # Whole seconds, toward zero: the board's precision.
        remaining = (
            None if target is None else timedelta(seconds=int(target.remaining.total_seconds()))
        )
        row = {
            "ticket": label,
            "policy": status.policy.name,
            "colour": status.color,
            "response": status.response.state if status.response else None,
            "resolution": status.resolution.state if status.resolution else None,
            "next_target": name,
            "due": jsonable(due),
            "remaining": jsonable(remaining),
        }
        rows.append(row)
        texts.append(
            table_row(
                BOARD_COLUMNS,
                [
                    label,
                    status.policy.name,
                    status.color or "-",
                    row["response"] or "-",
                    row["resolution"] or "-",
                    name or "-",
                    f"{due:%a %m-%d %H:%M}" if due else "(paused)",
                    format_duration(remaining) if remaining is not None else "",
                ],
            )
        )
    resolved = len(statuses) - len(rows)
    later = len(tickets) - len(existing)
    lines = [
        f"SLA board, {now:%a %Y-%m-%d %H:%M %Z} ({len(tickets)} stored tickets)",
        table_row(BOARD_COLUMNS, [c.title for c in BOARD_COLUMNS]),
        *texts,
        f"{resolved} resolved ticket(s) not shown.",
    ]
    if later:
        lines.append(f"{later} ticket(s) created after then not shown.")
    document = {
        "command": "sla board",
        "now": now.isoformat(),
        "tenant": tenant,
        "stored_tickets": len(tickets),
        "tickets": rows,
        "resolved_not_shown": resolved,
        "created_later_not_shown": later,
    }
    return "\n".join(lines), document
