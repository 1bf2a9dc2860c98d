"""Time-zone arithmetic on integer microseconds, for the business calendar.

Instants are integers: microseconds since 1970-01-01 UTC. A *wall* reading is
the same kind of integer for the local clock ("as if it were UTC"), so that
``wall = instant + offset``. Dates are proleptic ordinals (``date.toordinal``).
Integers keep every step exact and fast; conversion happens once at the edge.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from contractcore.errors import InvalidCalendarError, NaiveDatetimeError

__all__ = [
    "DAY_US",
    "EPOCH_ORDINAL",
    "HOUR_US",
    "Transition",
    "duration_micros",
    "from_instant",
    "load_zone",
    "offset_at",
    "to_instant",
    "transitions_in_year",
]

SECOND_US = 1_000_000
HOUR_US = 3600 * SECOND_US
DAY_US = 24 * HOUR_US
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

#: ``(instant, offset before, offset after)`` of a change of UTC offset.
Transition = tuple[int, int, int]


def duration_micros(duration: timedelta) -> int:
    """A timedelta in whole microseconds, from its fields.

    Not ``duration // timedelta(microseconds=1)``: a pendulum ``Duration``
    (a timedelta subclass) refuses that division.
    """
    return (duration.days * 86_400 + duration.seconds) * SECOND_US + duration.microseconds


@functools.lru_cache(maxsize=256)
def load_zone(name: str) -> ZoneInfo:
    """Return the IANA zone ``name``, or raise naming the bad value."""
    if not isinstance(name, str) or not name:
        msg = f"timezone must be an IANA time zone name such as 'Europe/London', got {name!r}"
        raise InvalidCalendarError(msg)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        msg = f"timezone {name!r} is not a known IANA time zone"
        raise InvalidCalendarError(msg) from exc


def to_instant(moment: datetime, argument: str) -> int:
    """Microseconds since the epoch of an aware datetime; naive ones raise."""
    try:
        delta = moment - EPOCH  # raises TypeError for naive datetimes and non-datetimes
    except TypeError:
        delta = None
    if delta is None or not isinstance(moment, datetime):
        if isinstance(moment, datetime):
            msg = f"{argument} must be timezone-aware, got naive datetime {moment.isoformat()}"
        else:
            msg = f"{argument} must be a timezone-aware datetime, got {moment!r}"
        raise NaiveDatetimeError(msg)
    return (delta.days * 86400 + delta.seconds) * SECOND_US + delta.microseconds


def from_instant(instant: int, like: datetime) -> datetime:
    """The aware datetime of ``instant``, in the time zone of ``like``."""
    seconds, micros = divmod(instant, SECOND_US)
    if micros == 0:  # the common case, and fromtimestamp is the fastest way
        return datetime.fromtimestamp(seconds, like.tzinfo)
    return (EPOCH + timedelta(microseconds=instant)).astimezone(like.tzinfo)


def offset_at(zone: ZoneInfo, instant: int) -> int:
    """UTC offset of ``zone`` at ``instant``, in microseconds."""
    utc = EPOCH + timedelta(microseconds=instant)
    offset = zone.utcoffset(utc.astimezone(zone))
    assert offset is not None  # a ZoneInfo always has an offset
    return (offset.days * 86400 + offset.seconds) * SECOND_US + offset.microseconds


_SAMPLE_US = 6 * HOUR_US


@functools.lru_cache(maxsize=4096)
def transitions_in_year(zone: ZoneInfo, year: int) -> tuple[Transition, ...]:
    """Every change of UTC offset in the UTC calendar ``year``.

    A change is listed in the year that holds the instant just before it, so
    one on 1 January 00:00 UTC belongs to the year before.

    zoneinfo does not list its transitions, so the year is sampled every six
    hours and each change is pinned to the microsecond by bisection. Two
    changes less than six hours apart would be missed; no zone has had such a
    pair since 1970. Cached per zone and year, so the cost is paid once.
    """
    start = (date(year, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY_US
    stop = (date(year + 1, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY_US
    found: list[Transition] = []
    previous_at, previous = start, offset_at(zone, start)
    at = start
    while at < stop:
        at = min(at + _SAMPLE_US, stop)
        current = offset_at(zone, at)
        if current != previous:
            low, high = previous_at, at  # offset(low) == previous, offset(high) != previous
            while high - low > 1:
                middle = (low + high) // 2
                if offset_at(zone, middle) == previous:
                    low = middle
                else:
                    high = middle
            found.append((high, previous, offset_at(zone, high)))
        previous_at, previous = at, current
    return tuple(found)
