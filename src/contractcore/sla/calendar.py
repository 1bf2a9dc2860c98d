"""Business calendars: when the clock of a service level agreement runs.

A :class:`BusinessCalendar` says which instants are *open*: weekly opening
hours read on the local wall clock of an IANA time zone, closed holidays, and
special hours for single dates. Business time is **real elapsed time** inside
open instants, so a shift on the night clocks change lasts what it really
lasts. See ``docs/calendar.md`` for the exact rules in users' words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import attrs
import holidays as holidays_lib

from contractcore.errors import InvalidArgumentError, InvalidCalendarError
from contractcore.sla import _backward, _hours
from contractcore.sla._business_days import BusinessDays
from contractcore.sla._engine import Engine
from contractcore.sla._holiday_data import holidays_from_data, holidays_key, holidays_to_data
from contractcore.sla._tz import duration_micros, from_instant, load_zone, to_instant

if TYPE_CHECKING:
    from contractcore.sla._hours import DayHours

__all__ = ["BusinessCalendar"]

_WHOLE_DAY = ((time(0), time(0)),)
_MICROSECOND = timedelta(microseconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _check_order(start: datetime, end: datetime, first: int, last: int) -> None:
    if last < first:
        msg = f"end must not be before start, got start={start.isoformat()} end={end.isoformat()}"
        raise InvalidArgumentError(msg)


def _check_zone(name: str) -> None:
    load_zone(name)


def _convert_holidays(value: Any) -> frozenset[date] | holidays_lib.HolidayBase:
    if isinstance(value, holidays_lib.HolidayBase):
        return value
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        msg = f"holidays must be dates or a holidays.HolidayBase, got {value!r}"
        raise InvalidCalendarError(msg)
    return frozenset(_hours.parse_date(item, "holidays[]") for item in value)


def _convert_special(value: Any) -> tuple[tuple[date, DayHours], ...]:
    if isinstance(value, Mapping):
        value = value.items()
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        msg = f"special_hours must be a mapping of date to intervals, got {value!r}"
        raise InvalidCalendarError(msg)
    days: dict[date, DayHours] = {}
    for item in value:
        day, intervals = item
        when = _hours.parse_date(day, "special_hours key")
        days[when] = _hours.day_hours(intervals, f"special_hours[{when.isoformat()}]")
    return tuple(sorted(days.items()))


def _duration(duration: Any) -> int:
    """A non-negative timedelta in microseconds (the hot path of ``add`` first)."""
    try:
        micros: int = duration // _MICROSECOND
    except (TypeError, AttributeError):  # not a timedelta, or a pendulum Duration
        if not isinstance(duration, timedelta):
            msg = f"duration must be a timedelta, got {duration!r}"
            raise InvalidArgumentError(msg) from None
        micros = duration_micros(duration)
    if micros < 0:
        msg = f"duration must not be negative, got {duration!r}"
        raise InvalidArgumentError(msg)
    return micros


def _ordinal(day: Any, argument: str) -> int:
    if not isinstance(day, date) or isinstance(day, datetime):
        msg = f"{argument} must be a date (not a datetime), got {day!r}"
        raise InvalidArgumentError(msg)
    return day.toordinal()


def _date_of(ordinal: int, days: int) -> date:
    try:
        return date.fromordinal(ordinal)
    except (ValueError, OverflowError):
        msg = f"days={days} business days away is past the dates Python can represent"
        raise InvalidArgumentError(msg) from None


@attrs.frozen(eq=True)
class BusinessCalendar:
    """Opening hours in a time zone, with holidays and special days.

    Args:
        timezone: IANA time zone name whose wall clock the hours are read on.
        weekly_hours: ``{weekday: [(start, end), ...]}`` with Monday = 0.
            ``end <= start`` runs past midnight into the next day;
            ``(time(0), time(0))`` is the whole day. Intervals of a day may
            not overlap each other or the previous day's overnight interval.
        holidays: dates, or a ``holidays.HolidayBase`` (consulted lazily per
            year, so ``holidays.country_holidays("US", subdiv="NY")`` needs
            no year list). A holiday closes its whole local date.
        special_hours: ``{date: [(start, end), ...]}`` replacing the weekly
            hours of single dates (an early close on 24 December, an extra
            Saturday); an empty list closes the date. Special hours win over a
            holiday on the same date.

    Raises:
        InvalidCalendarError: unknown time zone, malformed or overlapping
            intervals (also a ``ValueError``).

    >>> from datetime import datetime, time, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> weekdays_nine_to_five = dict.fromkeys(range(5), [(time(9), time(17))])
    >>> cal = BusinessCalendar("America/New_York", weekly_hours=weekdays_nine_to_five)
    >>> friday = datetime(2026, 11, 20, 15, 0, tzinfo=ZoneInfo("America/New_York"))
    >>> cal.add(friday, timedelta(hours=4))
    datetime.datetime(2026, 11, 23, 11, 0, tzinfo=zoneinfo.ZoneInfo(key='America/New_York'))
    """

    timezone: str = attrs.field(validator=lambda _self, _attribute, name: _check_zone(name))
    weekly_hours: tuple[DayHours, ...] = attrs.field(converter=_hours.weekly_from_mapping)
    holidays: frozenset[date] | holidays_lib.HolidayBase = attrs.field(
        default=frozenset(), converter=_convert_holidays, eq=False, hash=False
    )
    special_hours: tuple[tuple[date, DayHours], ...] = attrs.field(
        default=(), converter=_convert_special
    )
    _engine: Engine = attrs.field(init=False, repr=False, eq=False, hash=False)
    _holidays_key: object = attrs.field(init=False, repr=False)
    _days: BusinessDays | None = attrs.field(init=False, default=None, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        special = dict(self.special_hours)
        for day, hours in self.special_hours:
            before = day - timedelta(days=1)
            after = day + timedelta(days=1)
            where = f"special_hours[{day.isoformat()}]"
            _hours.check_no_spill_overlap(
                special.get(before, self.weekly_hours[before.weekday()]), hours, where
            )
            _hours.check_no_spill_overlap(
                hours, special.get(after, self.weekly_hours[after.weekday()]), where
            )
        object.__setattr__(
            self,
            "_engine",
            Engine(load_zone(self.timezone), self.weekly_hours, self.holidays, special),
        )
        # Equality compares holiday *definitions* (see _holiday_data).
        key = holidays_key(self.holidays)
        object.__setattr__(self, "_holidays_key", key)

    @classmethod
    def always_open(cls, timezone: str = "UTC") -> BusinessCalendar:
        """A calendar open around the clock (24x7), so business time is real time.

        >>> from datetime import UTC, datetime, timedelta
        >>> late = datetime(2026, 3, 7, 22, tzinfo=UTC)
        >>> BusinessCalendar.always_open().add(late, timedelta(hours=5))
        datetime.datetime(2026, 3, 8, 3, 0, tzinfo=datetime.timezone.utc)
        """
        return cls(timezone, weekly_hours=dict.fromkeys(range(7), _WHOLE_DAY))

    # -- queries ---------------------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        """Whether the instant ``at`` is inside opening hours."""
        return self._engine.is_open(to_instant(at, "at"))

    def next_open(self, at: datetime) -> datetime:
        """The first open instant at or after ``at`` (``at`` itself when open).

        Raises:
            NoOpenTimeError: the calendar is never open after ``at``.
        """
        instant = to_instant(at, "at")
        found = self._engine.add(instant, 1) - 1
        # ``at`` itself when open: a reading in a skipped hour (which Python
        # compares by its wall fields) is kept as given, not normalized.
        return at if found == instant else from_instant(found, at)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time in ``[start, end)``.

        Raises:
            InvalidArgumentError: ``end`` is before ``start``.
        """
        # The conversions of _tz.to_instant, inlined: this is a hot path.
        try:
            first = (start - _EPOCH) // _MICROSECOND
            last = (end - _EPOCH) // _MICROSECOND
        except (TypeError, AttributeError):  # naive, not a datetime, or a pendulum Duration
            first, last = to_instant(start, "start"), to_instant(end, "end")
        _check_order(start, end, first, last)
        return _MICROSECOND * self._engine.elapsed(first, last)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant ``t >= start`` with ``elapsed(start, t) == duration``.

        The result is in the time zone of ``start``. ``add(t, timedelta(0))``
        is ``t`` even when closed; a deadline that lands on closing time is
        closing time, not the next opening.

        Raises:
            InvalidArgumentError: ``duration`` is negative.
            NoOpenTimeError: the calendar never opens again (and ``duration`` > 0).
        """
        # The conversions of _tz.to_instant and from_instant, inlined: this is a hot path.
        try:
            instant: int = (start - _EPOCH) // _MICROSECOND
        except (TypeError, AttributeError):  # naive, not a datetime, or a pendulum Duration
            instant = to_instant(start, "start")
        try:
            micros: int = duration // _MICROSECOND
        except (TypeError, AttributeError):  # not a timedelta, or a pendulum Duration
            micros = _duration(duration)
        if micros < 0:
            msg = f"duration must not be negative, got {duration!r}"
            raise InvalidArgumentError(msg)
        if micros == 0:  # ``start`` itself, as given (even a reading in a skipped hour)
            return start
        seconds, rest = divmod(self._engine.add(instant, micros), 1_000_000)
        if rest:
            return from_instant(seconds * 1_000_000 + rest, start)
        return datetime.fromtimestamp(seconds, start.tzinfo)

    def subtract(self, end: datetime, duration: timedelta) -> datetime:
        """The latest instant ``t <= end`` with ``elapsed(t, end) == duration``.

        "Four business hours before the renewal call": the mirror of
        :meth:`add`, in the time zone of ``end``. ``subtract(t, timedelta(0))``
        is ``t`` even when closed; a start that lands on an opening is that
        opening, not the closing before it.

        Raises:
            InvalidArgumentError: ``duration`` is negative.
            NoOpenTimeError: the calendar has no open time before ``end`` (and ``duration`` > 0).

        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar("America/New_York", weekly_hours={0: [(time(9), time(17))]})
        >>> cal.subtract(datetime(2026, 11, 23, 11, tzinfo=ZoneInfo("America/New_York")),
        ...              timedelta(hours=2))
        datetime.datetime(2026, 11, 23, 9, 0, tzinfo=zoneinfo.ZoneInfo(key='America/New_York'))
        """
        instant = to_instant(end, "end")
        micros = _duration(duration)
        if micros == 0:  # ``end`` itself, as given (even a reading in a skipped hour)
            return end
        return from_instant(_backward.subtract(self._engine, instant, micros), end)

    def previous_close(self, at: datetime) -> datetime:
        """``at`` when open, else the latest instant before it at which open time ended.

        At 17:00 on a 09:00-17:00 day that is 17:00 itself; the result is in
        the time zone of ``at``.

        Raises:
            NoOpenTimeError: the calendar was never open before ``at``.

        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar("America/New_York", weekly_hours={4: [(time(9), time(17))]})
        >>> cal.previous_close(datetime(2026, 11, 22, 12, tzinfo=ZoneInfo("America/New_York")))
        datetime.datetime(2026, 11, 20, 17, 0, tzinfo=zoneinfo.ZoneInfo(key='America/New_York'))
        """
        instant = to_instant(at, "at")
        found = _backward.previous_close(self._engine, instant)
        return at if found == instant else from_instant(found, at)

    # -- business days ---------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        """Whether some open time starts on the local date ``day``.

        A night shift is the business day it starts on; a holiday takes the
        shifts listed for it.

        >>> cal = BusinessCalendar("UTC", weekly_hours={4: [(time(22), time(6))]})
        >>> cal.is_business_day(date(2026, 11, 20)), cal.is_business_day(date(2026, 11, 21))
        (True, False)
        """
        return self._business_days().is_business_day(_ordinal(day, "day"))

    def add_business_days(self, day: date, days: int) -> date:
        """The ``days``-th business day after ``day`` (before it when ``days`` < 0).

        ``day`` itself is not counted, so from a Friday or a Saturday one
        business day on a Monday-Friday calendar is the Monday;
        ``add_business_days(day, 0)`` is ``day`` even when it is not a
        business day.

        Raises:
            NoOpenTimeError: the calendar has no more business days that way.

        >>> weekdays = dict.fromkeys(range(5), [(time(9), time(17))])
        >>> cal = BusinessCalendar("UTC", weekly_hours=weekdays)
        >>> friday, monday = date(2026, 11, 20), date(2026, 11, 23)
        >>> cal.add_business_days(friday, 1), cal.add_business_days(monday, -1)
        (datetime.date(2026, 11, 23), datetime.date(2026, 11, 20))
        """
        ordinal = _ordinal(day, "day")
        if isinstance(days, bool) or not isinstance(days, int):
            msg = f"days must be a whole number of business days, got {days!r}"
            raise InvalidArgumentError(msg)
        if days == 0:
            return day
        return _date_of(self._business_days().add(ordinal, days), days)

    def business_days_between(self, first: date, last: date) -> int:
        """How many business days from ``first`` to ``last``, both included (as periods are).

        Raises:
            InvalidArgumentError: ``last`` is before ``first``.

        >>> weekdays = dict.fromkeys(range(5), [(time(9), time(17))])
        >>> cal = BusinessCalendar("UTC", weekly_hours=weekdays)
        >>> cal.business_days_between(date(2026, 11, 1), date(2026, 11, 30))
        21
        """
        start, stop = _ordinal(first, "first"), _ordinal(last, "last")
        if stop < start:
            msg = f"last must not be before first, got first={first} last={last}"
            raise InvalidArgumentError(msg)
        return self._business_days().count(start, stop)

    def _business_days(self) -> BusinessDays:
        found = self._days
        if found is None:
            found = BusinessDays(self._engine)
            object.__setattr__(self, "_days", found)
        return found

    def open_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The open spans inside ``[start, end)``, clipped, merged where they touch.

        Spans come in time order, each with ``end > start``, in the time zone
        of ``start``; this is what an SLA explanation is built from.
        """
        first, last = to_instant(start, "start"), to_instant(end, "end")
        _check_order(start, end, first, last)
        return [
            (from_instant(a, start), from_instant(b, start))
            for a, b in self._engine.open_spans(first, last)
        ]

    # -- plain data ------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The calendar as plain JSON-ready data; :meth:`from_dict` reads it back.

        A ``HolidayBase`` is written as its country (or market) and
        subdivision, with ``"observed": false`` and its ``"categories"`` when
        they are not the ``holidays`` package's defaults; holidays added to
        one by hand are not carried over (list the dates instead).

        >>> cal = BusinessCalendar("Europe/London", weekly_hours={0: [(time(8), time(18))]})
        >>> cal.to_dict()["weekly_hours"]
        {'monday': [['08:00', '18:00']]}
        """
        return {
            "timezone": self.timezone,
            "weekly_hours": {
                _hours.WEEKDAY_NAMES[day]: _hours.dump_day(hours)
                for day, hours in enumerate(self.weekly_hours)
                if hours
            },
            "holidays": holidays_to_data(self.holidays),
            "special_hours": {
                day.isoformat(): _hours.dump_day(hours) for day, hours in self.special_hours
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BusinessCalendar:
        """Build a calendar from plain data, as kept in a host's configuration.

        ``holidays`` is a list of ISO dates or ``{"country": "US", "subdiv":
        "NY"}`` (any country the ``holidays`` package knows, or ``{"market":
        "NYSE"}``), optionally with ``"observed": false`` (leave out the
        days a holiday is observed on instead of its date) and
        ``"categories": ["public", "government"]``.

        >>> cal = BusinessCalendar.from_dict({
        ...     "timezone": "America/New_York",
        ...     "weekly_hours": {"mon": [["09:00", "17:00"]], "sat": [["22:00", "24:00"]]},
        ...     "holidays": {"country": "US", "subdiv": "NY"},
        ...     "special_hours": {"2026-12-24": [["09:00", "13:00"]]},
        ... })
        >>> BusinessCalendar.from_dict(cal.to_dict()) == cal
        True
        """
        if not isinstance(data, Mapping):
            msg = f"calendar data must be a mapping, got {data!r}"
            raise InvalidCalendarError(msg)
        unknown = set(data) - {"timezone", "weekly_hours", "holidays", "special_hours"}
        if unknown:
            msg = f"calendar data has unknown fields: {', '.join(sorted(map(str, unknown)))}"
            raise InvalidCalendarError(msg)
        raw_weekly = data.get("weekly_hours", {})
        if not isinstance(raw_weekly, Mapping):
            msg = f"weekly_hours must be a mapping of weekday to intervals, got {raw_weekly!r}"
            raise InvalidCalendarError(msg)
        weekly = {
            _hours.parse_weekday(day): _hours.parse_day(raw, f"weekly_hours[{day}]")
            for day, raw in raw_weekly.items()
        }
        raw_special = data.get("special_hours", {})
        if not isinstance(raw_special, Mapping):
            msg = f"special_hours must be a mapping of date to intervals, got {raw_special!r}"
            raise InvalidCalendarError(msg)
        special = {
            _hours.parse_date(day, "special_hours key"): _hours.parse_day(
                raw, f"special_hours[{day}]"
            )
            for day, raw in raw_special.items()
        }
        return cls(
            data.get("timezone", "UTC"),
            weekly_hours=weekly,
            holidays=holidays_from_data(data.get("holidays", [])),
            special_hours=special,
        )
