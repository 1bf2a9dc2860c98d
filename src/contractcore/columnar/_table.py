"""A business calendar compiled into arrays: its open intervals in UTC and their running total.

For a horizon ``[low, high]`` the table holds every open interval of the
calendar (from the scalar ``open_intervals``, so both engines share one
definition of open time) as microseconds since the epoch, and the business
time from ``low`` to each interval's start and end. Business time from
``low`` to any instant in the horizon is then one binary search and a
subtraction; an instant that is open is one binary search.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import attrs
import numpy as np

from contractcore.columnar._columns import FIRST_INSTANT, LAST_INSTANT, Int64s, Mask, to_datetime

if TYPE_CHECKING:
    from contractcore.sla.calendar import BusinessCalendar

__all__ = ["BLOCK", "MAX_SPAN", "Table", "table_for"]

_DAY = 86_400_000_000
#: Horizons are whole blocks of four weeks from the epoch, so that the
#: batches of a stream (a warehouse sends a few thousand rows at a time)
#: find the table their neighbours compiled.
BLOCK = 28 * _DAY
#: The longest horizon compiled (50 years); rows beyond it go to the scalar
#: engine, so a "9999-12-31" placeholder does not compile 8,000 years.
MAX_SPAN = 18_263 * _DAY
#: Compile no closer to the ends of ``datetime`` than this, so every open
#: interval's local date exists.
_MARGIN = 2 * _DAY
_MICROSECOND = timedelta(microseconds=1)
_CACHE_SIZE = 64
#: The largest bucket index built (8 MiB for its two arrays).
_MAX_BUCKETS = 1 << 19
_NEVER = np.iinfo(np.int64).max


@attrs.frozen(eq=False)
class Table:
    """The open intervals of a calendar in ``[low, high]``, with business time so far.

    Index 0 is an empty interval just before ``low``, so every instant of the
    horizon has an interval at or before it. ``shift[i]`` is ``opens[i]`` less
    the business time from ``low`` to ``opens[i]``; ``through[i]`` is the
    business time from ``low`` to ``closes[i]``.
    """

    low: int
    high: int
    opens: Int64s
    closes: Int64s
    shift: Int64s
    through: Int64s
    #: A direct index over buckets of ``2 ** bits`` microseconds from
    #: ``low``, narrower than the shortest gap between two openings, so a
    #: bucket holds at most one: ``first[b]`` is the last interval opening
    #: at or before the bucket's start and ``following[b]`` the opening
    #: after it. ``None`` when openings are too close for a small index.
    bits: int = 0
    first: Int64s | None = None
    following: Int64s | None = None

    @property
    def total(self) -> int:
        """Business time in the whole horizon."""
        return int(self.through[-1])

    def covers(self, low: int, high: int) -> bool:
        """Whether instants from ``low`` to ``high`` are all inside the horizon."""
        return self.low <= low and high < self.high

    def inside(self, instants: Int64s) -> Mask:
        """Which instants the table answers: those in ``[low, high)``."""
        return (instants >= self.low) & (instants < self.high)

    def interval(self, instants: Int64s) -> Int64s:
        """The index of the last interval opening at or before each instant.

        A binary search, or, with the bucket index, two look-ups and a
        comparison (five times faster; instants outside the horizon get an
        index that is valid but meaningless).
        """
        if self.first is None or self.following is None:
            found: Int64s = np.searchsorted(self.opens, instants, side="right") - 1
            return found
        bucket = instants - self.low
        np.right_shift(bucket, self.bits, out=bucket)
        index = np.take(self.first, bucket, mode="clip")
        index += instants >= np.take(self.following, bucket, mode="clip")
        return index

    def business_time(self, instants: Int64s) -> Int64s:
        """Business time from ``low`` to each instant (which must be in the horizon)."""
        index = self.interval(instants)
        business: Int64s = np.minimum(instants - self.shift[index], self.through[index])
        return business

    def is_open(self, instants: Int64s) -> Mask:
        """Whether each instant (in the horizon) is open."""
        return instants < self.closes[self.interval(instants)]

    def instant_after(self, business: Int64s) -> Int64s:
        """The earliest instant with ``business`` time from ``low`` (at most the total)."""
        index = np.searchsorted(self.through, business, side="left")
        np.minimum(index, len(self.through) - 1, out=index)
        return business + self.shift[index]


def _compile(calendar: BusinessCalendar, low: int, high: int) -> Table:
    spans = calendar.open_intervals(to_datetime(low), to_datetime(high))
    count = len(spans) + 1
    opens = np.empty(count, dtype=np.int64)
    closes = np.empty(count, dtype=np.int64)
    opens[0] = closes[0] = low - 1
    epoch = to_datetime(0)
    for at, (start, end) in enumerate(spans, start=1):
        opens[at] = (start - epoch) // _MICROSECOND
        closes[at] = (end - epoch) // _MICROSECOND
    through = np.cumsum(closes - opens)
    shift = opens - (through - (closes - opens))
    bits = 0
    first = following = None
    if count > 2:
        gap = int(np.diff(opens[1:]).min())
        bits = gap.bit_length() - 1
        buckets = ((high - low) >> bits) + 1
        if buckets <= _MAX_BUCKETS:
            starts = low + (np.arange(buckets, dtype=np.int64) << bits)
            first = np.searchsorted(opens, starts, side="right") - 1
            following = np.append(opens, _NEVER)[first + 1]
    return Table(low, high, opens, closes, shift, through, bits, first, following)


#: id(calendar) -> (a weak reference to it, its table). By identity, not by
#: value: calendars with a HolidayBase compare by its country, not its
#: dates, and a holiday added to one by hand must not be lost.
_tables: dict[int, tuple[weakref.ref[BusinessCalendar], Table]] = {}


def horizon(low: int, high: int) -> tuple[int, int]:
    """``[low, high]`` widened to whole blocks and clipped to the instants of ``datetime``."""
    start = max((low // BLOCK) * BLOCK, FIRST_INSTANT + _MARGIN)
    stop = min((high // BLOCK + 1) * BLOCK, LAST_INSTANT - _MARGIN)
    return start, max(start, stop)


def table_for(calendar: BusinessCalendar, low: int, high: int) -> Table:
    """A table of ``calendar`` whose horizon holds ``[low, high]`` where it can.

    The table compiled last for the calendar is reused when it covers the
    range, and grown to cover both when that stays within ``MAX_SPAN``.
    """
    key = id(calendar)
    cached = _tables.get(key)
    table = cached[1] if cached is not None and cached[0]() is calendar else None
    if table is not None and table.covers(low, high):
        return table
    start, stop = horizon(low, high)
    if table is not None and max(stop, table.high) - min(start, table.low) <= MAX_SPAN:
        start, stop = min(start, table.low), max(stop, table.high)
    table = _compile(calendar, start, stop)
    if len(_tables) >= _CACHE_SIZE:
        _tables.pop(next(iter(_tables)))
    _tables[key] = (weakref.ref(calendar, _forget(key)), table)
    return table


def _forget(key: int) -> Callable[[weakref.ref[BusinessCalendar]], None]:
    """A callback that drops the table of a calendar once the calendar is gone."""

    def forget(_reference: weakref.ref[BusinessCalendar]) -> None:
        _tables.pop(key, None)

    return forget
