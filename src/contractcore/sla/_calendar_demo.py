"""The business-calendar section of ``contractcore demo``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from contractcore.sla.calendar import BusinessCalendar

__all__ = ["render"]

_NEW_YORK = ZoneInfo("America/New_York")


def render(today: date) -> str:
    """Deadlines across a weekend, a public holiday and the daylight-saving changes."""
    del today  # the examples are pinned to 2026 dates so the output never drifts
    office = BusinessCalendar(
        "America/New_York",
        weekly_hours=dict.fromkeys(range(5), ((time(9), time(17)),)),
        holidays=holidays.country_holidays("US", subdiv="NY"),
    )
    night_desk = BusinessCalendar("America/New_York", weekly_hours={5: [(time(22), time(6))]})
    cases = [
        ("weekend", office, datetime(2026, 11, 20, 15, tzinfo=_NEW_YORK), 4),
        ("Thanksgiving", office, datetime(2026, 11, 25, 15, tzinfo=_NEW_YORK), 4),
        ("240 h over the holidays", office, datetime(2026, 11, 25, 15, tzinfo=_NEW_YORK), 240),
        ("clocks spring forward", night_desk, datetime(2026, 3, 7, 22, tzinfo=_NEW_YORK), 7),
        ("clocks fall back", night_desk, datetime(2026, 10, 31, 22, tzinfo=_NEW_YORK), 9),
    ]
    lines = [
        "Business-hours deadlines (office: Mon-Fri 09:00-17:00 New York, US-NY holidays;",
        "night desk: Sat 22:00 - Sun 06:00 New York)",
        f"  {'across':<25}{'start':<22}{'add':>6}  deadline",
    ]
    for label, calendar, start, hours in cases:
        deadline = calendar.add(start, timedelta(hours=hours))
        lines.append(
            f"  {label:<25}{start:%a %Y-%m-%d %H:%M}  {hours:>4}h  {deadline:%a %Y-%m-%d %H:%M %Z}"
        )
    lines.append(
        "  The spring-forward night holds 7 real hours and the fall-back night 9:"
        " business time is real time."
    )
    return "\n".join(lines)
