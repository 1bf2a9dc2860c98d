"""A lookup table of a calendar's business time, for evaluating many tickets (private).

:func:`~contractcore.sla.evaluate_many` asks the same calendar thousands of
questions. This index reads the calendar's ``open_intervals`` once over a
window and answers positions (see :mod:`contractcore.sla._meter`) with one
binary search each. Its answers are the calendar's own (it is built from
them, and the tests hold the two to equality); a deadline beyond the window
is asked of the calendar itself.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime, timedelta
from typing import Any

from contractcore.sla._meter import utc

__all__ = ["BusinessTimeIndex"]

_ZERO = timedelta(0)


class BusinessTimeIndex:
    """A meter for ``calendar`` whose origin is ``window_start``, good up to ``window_end``.

    The position of ``t`` is the business time in ``[window_start, t)``: a
    non-decreasing piecewise-linear function. Inside open interval ``i`` it
    is ``t - offsets[i]``, where ``offsets[i]`` is the interval's start
    moved back by the business time before it; past the interval's end it
    stays at ``through[i]``, the business time up to that end.

    ``position(at)`` takes a UTC instant not before the window's start;
    ``instant(p)`` is the earliest UTC instant whose position is ``p`` (> 0).
    Past the window's end both ask the calendar itself. Both are closures
    over the tables, the hot path of evaluate_many.
    """

    __slots__ = ("end", "instant", "position", "start")

    def __init__(self, calendar: Any, window_start: datetime, window_end: datetime) -> None:
        #: The window: positions are good for instants in ``[start, end]``.
        self.start = first = utc(window_start)
        self.end = last = utc(window_end)
        # An empty interval at the window's start, so every instant has one at or before it.
        starts: list[datetime] = [first]
        ends: list[datetime] = [first]
        offsets: list[datetime] = [first]
        through: list[timedelta] = [_ZERO]
        total = _ZERO
        for start, end in calendar.open_intervals(first, last):
            opens, closes = utc(start), utc(end)
            starts.append(opens)
            ends.append(closes)
            offsets.append(opens - total)
            total += closes - opens
            through.append(total)
        count = len(starts)

        def position(at: datetime) -> timedelta:
            index = bisect_right(starts, at) - 1
            if at < ends[index]:
                return at - offsets[index]
            if at > last:  # beyond the window (a far deadline): the calendar goes on from its end
                beyond: timedelta = calendar.elapsed(last, at)
                return total + beyond
            return through[index]

        def instant(position: timedelta) -> datetime:
            index = bisect_left(through, position)
            if index == count:  # beyond the window: the calendar goes on from its end
                return utc(calendar.add(last, position - total))
            return offsets[index] + position

        self.position = position
        self.instant = instant
