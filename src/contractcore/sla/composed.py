"""Follow-the-sun calendars: the union or intersection of business calendars.

``union(london, new_york)`` is open whenever either office is;
``intersection(support, on_call)`` only when both are. Members may be in any
time zones and may be composed themselves. A :class:`ComposedCalendar`
answers every question a :class:`~contractcore.sla.calendar.BusinessCalendar`
does, exactly, and is accepted wherever one is: as an ``SlaPolicy``'s
calendar, by ``evaluate``, ``evaluate_many``, ``explain`` and in documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, Literal

import attrs

from contractcore.errors import InvalidArgumentError, InvalidCalendarError
from contractcore.sla import _backward
from contractcore.sla._composed import ComposedEngine
from contractcore.sla._engine import Engine
from contractcore.sla._tz import from_instant, load_zone, to_instant
from contractcore.sla.calendar import BusinessCalendar, _date_of, _duration, _ordinal

__all__ = ["ComposedCalendar", "calendar_from_dict", "intersection", "union"]


def _members(value: Any) -> tuple[BusinessCalendar | ComposedCalendar, ...]:
    if isinstance(value, BusinessCalendar | ComposedCalendar | str | bytes | Mapping):
        value = [value]
    members = tuple(value)
    if not members:
        msg = "calendars must hold at least one calendar, got none"
        raise InvalidCalendarError(msg)
    for index, member in enumerate(members):
        if not isinstance(member, BusinessCalendar | ComposedCalendar):
            msg = (
                f"calendars[{index}] must be a BusinessCalendar or ComposedCalendar, got {member!r}"
            )
            raise InvalidCalendarError(msg)
    return members


def _engine_of(calendar: BusinessCalendar | ComposedCalendar) -> Engine | ComposedEngine:
    return calendar._engine  # the engines of one package compose


@attrs.frozen
class ComposedCalendar:
    """The union or intersection of calendars; made by :func:`union` and :func:`intersection`.

    Args:
        operation: ``"union"`` (open when any member is) or ``"intersection"``
            (open when every member is).
        calendars: the members, in any time zones; composed ones too.
        timezone: the IANA zone whose dates the business days are read in;
            the first member's by default. Instants need no zone.

    Raises:
        InvalidCalendarError: no members, a member that is not a calendar,
            an unknown operation or zone (also a ``ValueError``).
    """

    operation: Literal["union", "intersection"] = attrs.field(
        validator=attrs.validators.in_(("union", "intersection"))
    )
    calendars: tuple[BusinessCalendar | ComposedCalendar, ...] = attrs.field(converter=_members)
    timezone: str = attrs.field(
        default=attrs.Factory(lambda self: self.calendars[0].timezone, takes_self=True)
    )
    _engine: ComposedEngine = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        zone = load_zone(self.timezone)
        engines = tuple(_engine_of(member) for member in self.calendars)
        object.__setattr__(self, "_engine", ComposedEngine(self.operation, engines, zone))

    # -- business time ---------------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        """Whether ``at`` is open: in any member (union) or every member (intersection)."""
        return self._engine.is_open(to_instant(at, "at"))

    def next_open(self, at: datetime) -> datetime:
        """The first open instant at or after ``at`` (``at`` itself when open).

        Raises:
            NoOpenTimeError: no open time after ``at``.
        """
        instant = to_instant(at, "at")
        found = self._engine.add(instant, 1) - 1
        return at if found == instant else from_instant(found, at)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time in ``[start, end)``: the measure of the composed open instants.

        Raises:
            InvalidArgumentError: ``end`` is before ``start``.
        """
        first, last = _span(start, end)
        return timedelta(microseconds=self._engine.elapsed(first, last))

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant ``t >= start`` with ``elapsed(start, t) == duration``.

        Raises:
            InvalidArgumentError: ``duration`` is negative.
            NoOpenTimeError: no open time left to add ``duration`` to.
        """
        instant = to_instant(start, "start")
        micros = _duration(duration)
        if micros == 0:
            return start
        return from_instant(self._engine.add(instant, micros), start)

    def subtract(self, end: datetime, duration: timedelta) -> datetime:
        """The latest instant ``t <= end`` with ``elapsed(t, end) == duration``.

        Raises:
            InvalidArgumentError: ``duration`` is negative.
            NoOpenTimeError: no open time before ``end`` to go back through.
        """
        instant = to_instant(end, "end")
        micros = _duration(duration)
        if micros == 0:
            return end
        return from_instant(_backward.subtract(self._engine, instant, micros), end)

    def previous_close(self, at: datetime) -> datetime:
        """``at`` when open, else the latest instant before it at which open time ended.

        Raises:
            NoOpenTimeError: never open before ``at``.
        """
        instant = to_instant(at, "at")
        found = _backward.previous_close(self._engine, instant)
        return at if found == instant else from_instant(found, at)

    def open_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The open spans inside ``[start, end)``, clipped, merged where they touch."""
        first, last = _span(start, end)
        return [
            (from_instant(a, start), from_instant(b, start))
            for a, b in self._engine.open_spans(first, last)
        ]

    # -- business days ---------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        """Whether some open time starts on ``day``, a date of :attr:`timezone`.

        A piece of a union's open time starts where a member's does; a piece
        of an intersection's where the last of the overlapping members' does.
        """
        return self._engine.is_business_day(_ordinal(day, "day"))

    def add_business_days(self, day: date, days: int) -> date:
        """The ``days``-th business day after ``day`` (before it when ``days`` < 0).

        ``day`` itself is not counted; ``days == 0`` gives ``day``.

        Raises:
            NoOpenTimeError: no more business days that way.
        """
        ordinal = _ordinal(day, "day")
        if isinstance(days, bool) or not isinstance(days, int):
            msg = f"days must be a whole number of business days, got {days!r}"
            raise InvalidArgumentError(msg)
        if days == 0:
            return day
        return _date_of(self._engine.add_days(ordinal, days), days)

    def business_days_between(self, first: date, last: date) -> int:
        """How many business days from ``first`` to ``last``, both included.

        Raises:
            InvalidArgumentError: ``last`` is before ``first``.
        """
        start, stop = _ordinal(first, "first"), _ordinal(last, "last")
        if stop < start:
            msg = f"last must not be before first, got first={first} last={last}"
            raise InvalidArgumentError(msg)
        return self._engine.count(start, stop)

    # -- plain data ------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """``{"union": [member, ...], "timezone": ...}`` (or ``"intersection"``), JSON-ready.

        >>> from datetime import time
        >>> london = BusinessCalendar("Europe/London", weekly_hours={0: [(time(9), time(17))]})
        >>> union(london).to_dict()
        {'union': [{'timezone': 'Europe/London', 'weekly_hours': {'monday': [['09:00', '17:00']]}, 'holidays': [], 'special_hours': {}}], 'timezone': 'Europe/London'}
        """  # noqa: E501 - a doctest's output is one line
        return {
            self.operation: [member.to_dict() for member in self.calendars],
            "timezone": self.timezone,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ComposedCalendar:
        """Read :meth:`to_dict`'s form back; members may be either kind of calendar."""
        if not isinstance(data, Mapping):
            msg = f"calendar data must be a mapping, got {data!r}"
            raise InvalidCalendarError(msg)
        operations = [name for name in ("union", "intersection") if name in data]
        unknown = set(data) - {"union", "intersection", "timezone"}
        if len(operations) != 1 or unknown:
            msg = (
                "composed calendar data needs exactly one of 'union' or 'intersection' "
                f"(and maybe 'timezone'), got fields {', '.join(sorted(map(str, data)))}"
            )
            raise InvalidCalendarError(msg)
        operation = operations[0]
        raw = data[operation]
        if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, list | tuple):
            msg = f"{operation} must be a list of calendars, got {raw!r}"
            raise InvalidCalendarError(msg)
        members = []
        for index, item in enumerate(raw):
            try:
                members.append(calendar_from_dict(item))
            except InvalidCalendarError as exc:
                msg = f"{operation}[{index}]: {exc}"
                raise InvalidCalendarError(msg) from exc
        if "timezone" in data:
            return cls(operation, members, data["timezone"])  # type: ignore[arg-type]  # checked
        return cls(operation, members)  # type: ignore[arg-type]  # checked above


def _span(start: datetime, end: datetime) -> tuple[int, int]:
    first, last = to_instant(start, "start"), to_instant(end, "end")
    if last < first:
        msg = f"end must not be before start, got start={start.isoformat()} end={end.isoformat()}"
        raise InvalidArgumentError(msg)
    return first, last


def union(
    *calendars: BusinessCalendar | ComposedCalendar, timezone: str | None = None
) -> ComposedCalendar:
    """A calendar open whenever any of ``calendars`` is (follow-the-sun).

    ``timezone`` names the zone whose dates business days are read in (the
    first calendar's by default).

    >>> from datetime import time
    >>> from zoneinfo import ZoneInfo
    >>> weekdays = dict.fromkeys(range(5), [(time(9), time(17))])
    >>> london = BusinessCalendar("Europe/London", weekly_hours=weekdays)
    >>> new_york = BusinessCalendar("America/New_York", weekly_hours=weekdays)
    >>> either = union(london, new_york)
    >>> monday = datetime(2026, 11, 23, 9, tzinfo=ZoneInfo("Europe/London"))
    >>> either.elapsed(monday, monday + timedelta(days=1))  # 09:00-22:00 London time
    datetime.timedelta(seconds=46800)
    """
    if timezone is None:
        return ComposedCalendar("union", calendars)
    return ComposedCalendar("union", calendars, timezone)


def intersection(
    *calendars: BusinessCalendar | ComposedCalendar, timezone: str | None = None
) -> ComposedCalendar:
    """A calendar open only when all of ``calendars`` are (a team's hours inside a site's).

    >>> from datetime import time
    >>> from zoneinfo import ZoneInfo
    >>> weekdays = dict.fromkeys(range(5), [(time(9), time(17))])
    >>> london = BusinessCalendar("Europe/London", weekly_hours=weekdays)
    >>> new_york = BusinessCalendar("America/New_York", weekly_hours=weekdays)
    >>> both = intersection(london, new_york)
    >>> monday = datetime(2026, 11, 23, 9, tzinfo=ZoneInfo("Europe/London"))
    >>> both.next_open(monday), both.elapsed(monday, monday + timedelta(days=1))
    (datetime.datetime(2026, 11, 23, 14, 0, tzinfo=zoneinfo.ZoneInfo(key='Europe/London')), datetime.timedelta(seconds=10800))
    """  # noqa: E501 - a doctest's output is one line
    if timezone is None:
        return ComposedCalendar("intersection", calendars)
    return ComposedCalendar("intersection", calendars, timezone)


def calendar_from_dict(data: Mapping[str, Any]) -> BusinessCalendar | ComposedCalendar:
    """A calendar of either kind from plain data: composed when it has ``union``/``intersection``.

    >>> calendar_from_dict({"timezone": "UTC", "weekly_hours": {}}).timezone
    'UTC'
    """
    if isinstance(data, Mapping) and ("union" in data or "intersection" in data):
        return ComposedCalendar.from_dict(data)
    return BusinessCalendar.from_dict(data)
