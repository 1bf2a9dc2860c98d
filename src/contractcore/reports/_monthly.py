"""The monthly SLA report: one self-contained HTML file, per contract or per customer."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from contractcore.errors import InvalidArgumentError
from contractcore.reports._charts import compliance_trend_svg, sla_timeline_svg
from contractcore.sla import (
    Calendar,
    Explanation,
    SlaPolicy,
    TargetCompliance,
    TicketEvent,
    compliance_report,
    explain,
)

try:
    import jinja2
    from markupsafe import Markup
except ImportError as exc:  # pragma: no cover - depends on the installation
    msg = "contractcore.reports needs jinja2: install the 'reports' extra (contractcore[reports])"
    raise ImportError(msg) from exc

__all__ = ["ReportTicket", "monthly_sla_report"]

_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")
_TARGETS = ("response", "resolution")
_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("contractcore.reports", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


def _events(events: Iterable[TicketEvent]) -> tuple[TicketEvent, ...]:
    return tuple(events)


@attrs.frozen(kw_only=True)
class ReportTicket:
    """One ticket as the report shows it.

    Attributes:
        id: the ticket's id or number, shown as text.
        title: its subject line, shown as text (escaped).
        policy: the SLA policy it runs under.
        events: its timeline.
        contract: the contract it belongs to (a customer report groups by it).
    """

    id: str
    title: str
    policy: SlaPolicy
    events: tuple[TicketEvent, ...] = attrs.field(converter=_events)
    contract: str = ""


def _month(text: str) -> tuple[int, int]:
    match = _MONTH.match(text)
    if match is None or not 1 <= int(match[2]) <= 12:
        msg = f"month must be YYYY-MM, got {text!r}"
        raise InvalidArgumentError(msg)
    return int(match[1]), int(match[2])


def _months_back(year: int, month: int, count: int) -> list[str]:
    labels = []
    for back in range(count - 1, -1, -1):
        index = year * 12 + month - 1 - back
        labels.append(f"{index // 12:04d}-{index % 12 + 1:02d}")
    return labels


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "-"
    minutes = int(value / timedelta(minutes=1))
    return f"{minutes // 60}:{minutes % 60:02d}"


def _seconds(value: timedelta | None) -> str:
    return "" if value is None else str(int(value.total_seconds()))


def _figures(compliance: TargetCompliance) -> dict[str, Any]:
    return {
        "met": compliance.met,
        "breached": compliance.breached,
        "in_progress": compliance.in_progress,
        "met_percent": "" if compliance.met_percent is None else str(compliance.met_percent),
        "median": _duration(compliance.median),
        "median_seconds": _seconds(compliance.median),
        "p90": _duration(compliance.p90),
        "p90_seconds": _seconds(compliance.p90),
    }


def _overdue(explanation: Explanation) -> tuple[timedelta, float]:
    """How bad a ticket went: time over target (worst of both), then elapsed / target."""
    over = timedelta(0)
    ratio = 0.0
    for target in (explanation.status.response, explanation.status.resolution):
        if target is None:
            continue
        over = max(over, target.elapsed - target.target)
        if target.target:
            ratio = max(ratio, target.elapsed / target.target)
    return over, ratio


def monthly_sla_report(
    tickets: Iterable[ReportTicket],
    *,
    month: str,
    now: datetime,
    customer: str,
    contract: str | None = None,
    agreed: Mapping[str, Decimal] | None = None,
    worst: int = 5,
    default_calendar: Calendar | None = None,
) -> str:
    """The monthly SLA report as one self-contained HTML document (inline CSS and SVG).

    The month's figures are :func:`~contractcore.sla.compliance_report`'s over
    the tickets created in ``month`` (UTC); the trend covers the twelve months
    up to it from the same tickets. A customer report (``contract`` None)
    also shows each contract's figures. Every text from data is escaped.
    No service-credit model exists yet, so the report proposes none.

    Args:
        tickets: every ticket of the contract (or customer) over the last year.
        month: the report's month, ``YYYY-MM``.
        now: when the clocks are read.
        customer: the customer's name, shown as text.
        contract: the contract's name; None for a report over all the customer's.
        agreed: the agreed met percentage per target (``"response"``, ``"resolution"``).
        worst: how many of the worst tickets to show with their timelines.
        default_calendar: the calendar of policies without one.

    >>> from datetime import UTC, datetime, timedelta
    >>> from contractcore.sla import SlaPolicy, StatusChanged, TicketCreated
    >>> policy = SlaPolicy(name="Basic", resolve_within=timedelta(hours=4))
    >>> opened = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    >>> ticket = ReportTicket(id="T-1", title="Printer", policy=policy, events=[
    ...     TicketCreated(opened), StatusChanged(opened + timedelta(hours=5), "Resolved")])
    >>> html = monthly_sla_report([ticket], month="2026-05", now=opened + timedelta(days=2),
    ...                           customer="Acme", contract="Support")
    >>> html.startswith("<!DOCTYPE html>"), 'data-breached="1"' in html
    (True, True)
    """
    year, number = _month(month)
    if now.tzinfo is None:
        msg = f"now must be an aware datetime, got {now!r}"
        raise InvalidArgumentError(msg)
    agreed = dict(agreed or {})
    for name, level in agreed.items():
        if name not in _TARGETS:
            msg = f"agreed: target must be 'response' or 'resolution', got {name!r}"
            raise InvalidArgumentError(msg)
        if not Decimal(0) <= level <= Decimal(100):
            msg = f"agreed[{name!r}] must be within 0..100, got {level!r}"
            raise InvalidArgumentError(msg)
    labels = _months_back(year, number, 12)
    explained: list[tuple[ReportTicket, Explanation, str]] = []
    for ticket in tickets:
        explanation = explain(ticket.policy, ticket.events, now, default_calendar=default_calendar)
        created = explanation.status.created_at.astimezone(UTC).strftime("%Y-%m")
        if created in labels:
            explained.append((ticket, explanation, created))
    current = [(t, e) for t, e, m in explained if m == month]
    report = compliance_report((t.contract, e.status) for t, e in current)
    trend_report = compliance_report((m, e.status) for _t, e, m in explained)
    keys = {group.key for group in trend_report.groups}
    trends = []
    for name in _TARGETS:
        points = [
            (
                label,
                getattr(trend_report.group(label), name).met_percent if label in keys else None,
            )
            for label in labels
        ]
        if any(value is not None for _label, value in points) or name in agreed:
            trends.append(
                {
                    "name": name,
                    "svg": Markup(compliance_trend_svg(points, agreed=agreed.get(name))),
                    "points": [(label, "" if v is None else str(v)) for label, v in points],
                }
            )
    targets = []
    for name in _TARGETS:
        compliance: TargetCompliance = getattr(report.total, name)
        wanted = agreed.get(name)
        achieved = compliance.met_percent
        targets.append(
            {
                "name": name,
                "agreed": "" if wanted is None else str(wanted),
                "verdict": (
                    ""
                    if wanted is None or achieved is None
                    else ("met" if achieved >= wanted else "missed")
                ),
                **_figures(compliance),
            }
        )
    ranked = sorted(current, key=lambda item: _overdue(item[1]), reverse=True)[:worst]
    worst_rows = [
        {
            "id": ticket.id,
            "title": ticket.title,
            "contract": ticket.contract,
            "state": " / ".join(
                f"{name} {target.state}"
                for name, target in (
                    ("response", explanation.status.response),
                    ("resolution", explanation.status.resolution),
                )
                if target is not None
            ),
            "over": _duration(_overdue(explanation)[0]),
            "svg": Markup(sla_timeline_svg(explanation, prefix=f"worst-{rank}-")),
        }
        for rank, (ticket, explanation) in enumerate(ranked)
    ]
    pauses = [
        {
            "ticket": ticket.id,
            "clock": clock,
            "start": segment.start.isoformat(timespec="minutes"),
            "end": segment.end.isoformat(timespec="minutes"),
            "reason": segment.reason,
            "duration": _duration(segment.end - segment.start),
        }
        for ticket, explanation in current
        for clock, segments in (
            ("response", explanation.response),
            ("resolution", explanation.resolution),
        )
        for segment in segments
        if segment.kind == "paused"
    ]
    groups = [
        {
            "key": group.key,
            "tickets": group.tickets,
            "targets": [{"name": name, **_figures(getattr(group, name))} for name in _TARGETS],
        }
        for group in report.groups
    ]
    return _ENV.get_template("monthly.html").render(
        customer=customer,
        contract=contract,
        month=month,
        now=now.isoformat(timespec="minutes"),
        tickets=report.total.tickets,
        targets=targets,
        trends=trends,
        worst=worst_rows,
        pauses=pauses,
        groups=groups if contract is None else [],
    )
