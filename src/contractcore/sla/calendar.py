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
from contractcore.sla import _hours
from contractcore.sla._engine import Engine
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
        # Equality compares holiday *definitions*: a HolidayBase by its class
        # (aliases such as US/USA or NYSE/XNYS count as the class they name),
        # region and the options that change its dates (it fills in years
        # lazily, so its contents vary).
        key: object = (
            (
                _definition(type(self.holidays)),
                # A market's calendar (financial_holidays) has no country.
                getattr(self.holidays, "country", None),
                getattr(self.holidays, "market", None),
                getattr(self.holidays, "subdiv", None),
                _observed(self.holidays),
                _categories(self.holidays),
            )
            if isinstance(self.holidays, holidays_lib.HolidayBase)
            else self.holidays
        )
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
            if not isinstance(duration, timedelta):
                msg = f"duration must be a timedelta, got {duration!r}"
                raise InvalidArgumentError(msg) from None
            micros = duration_micros(duration)
        if micros < 0:
            msg = f"duration must not be negative, got {duration!r}"
            raise InvalidArgumentError(msg)
        if micros == 0:  # ``start`` itself, as given (even a reading in a skipped hour)
            return start
        seconds, rest = divmod(self._engine.add(instant, micros), 1_000_000)
        if rest:
            return from_instant(seconds * 1_000_000 + rest, start)
        return datetime.fromtimestamp(seconds, start.tzinfo)

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
        holiday_data: Any
        if isinstance(self.holidays, holidays_lib.HolidayBase):
            region = getattr(self.holidays, "country", None)
            holiday_data = (
                {"country": region, "subdiv": self.holidays.subdiv}
                if region
                else {"market": getattr(self.holidays, "market", None)}
            )
            if not _observed(self.holidays):
                holiday_data["observed"] = False
            categories = _categories(self.holidays)
            if categories != _default_categories(self.holidays):
                holiday_data["categories"] = sorted(categories)
        else:
            holiday_data = sorted(day.isoformat() for day in self.holidays)
        return {
            "timezone": self.timezone,
            "weekly_hours": {
                _hours.WEEKDAY_NAMES[day]: _hours.dump_day(hours)
                for day, hours in enumerate(self.weekly_hours)
                if hours
            },
            "holidays": holiday_data,
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
            holidays=_holidays_from_data(data.get("holidays", [])),
            special_hours=special,
        )


#: What a class that only gives another name to its base defines itself.
_ALIAS_ONLY = frozenset(
    {"__doc__", "__module__", "__qualname__", "__firstlineno__", "__static_attributes__"}
)


def _definition(cls: type) -> type:
    """The class that defines a holidays class's dates: itself, or the base an alias names."""
    for klass in cls.__mro__:
        if set(vars(klass)) - _ALIAS_ONLY:
            return klass
    return cls


def _observed(holidays: holidays_lib.HolidayBase) -> bool:
    return bool(getattr(holidays, "observed", True))


def _categories(holidays: holidays_lib.HolidayBase) -> frozenset[str]:
    return frozenset(getattr(holidays, "categories", ()) or ())


def _default_categories(holidays: holidays_lib.HolidayBase) -> frozenset[str]:
    default = getattr(type(holidays), "default_category", None)
    return frozenset({default}) if default else frozenset()


def _holidays_from_data(raw: Any) -> frozenset[date] | holidays_lib.HolidayBase:
    if isinstance(raw, Mapping):
        unknown = set(raw) - {"country", "subdiv", "market", "observed", "categories"}
        if unknown or not (raw.get("country") or raw.get("market")):
            msg = f"holidays must be dates or {{'country': ..., 'subdiv': ...}}, got {raw!r}"
            raise InvalidCalendarError(msg)
        for name in ("country", "subdiv", "market"):
            if raw.get(name) is not None and not isinstance(raw[name], str):
                msg = f"holidays.{name} must be a string such as 'US', got {raw[name]!r}"
                raise InvalidCalendarError(msg)
        options: dict[str, Any] = {}
        if "observed" in raw:
            if not isinstance(raw["observed"], bool):
                msg = f"holidays.observed must be true or false, got {raw['observed']!r}"
                raise InvalidCalendarError(msg)
            options["observed"] = raw["observed"]
        if "categories" in raw:
            categories = raw["categories"]
            if (
                isinstance(categories, str)
                or not isinstance(categories, Iterable)
                or not all(isinstance(name, str) for name in categories)
            ):
                msg = f"holidays.categories must be a list of names, got {categories!r}"
                raise InvalidCalendarError(msg)
            options["categories"] = tuple(categories)
        try:
            if raw.get("country"):
                return holidays_lib.country_holidays(
                    raw["country"], subdiv=raw.get("subdiv"), **options
                )
            return holidays_lib.financial_holidays(raw["market"], **options)
        except (NotImplementedError, ValueError) as exc:
            msg = f"holidays: {exc}"
            raise InvalidCalendarError(msg) from exc
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        msg = f"holidays must be a list of dates, got {raw!r}"
        raise InvalidCalendarError(msg)
    return frozenset(_hours.parse_date(day, "holidays[]") for day in raw)
