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
    non-decreasing piecewise-linear function, stored as the open intervals
    and the business time before and through each of them.

    ``position(at)`` takes a UTC instant inside the window; ``instant(p)``
    is the earliest UTC instant whose position is ``p`` (> 0). Both are
    closures over the tables, the hot path of evaluate_many.
    """

    __slots__ = ("end", "instant", "position", "start")

    def __init__(self, calendar: Any, window_start: datetime, window_end: datetime) -> None:
        #: The window: positions are good for instants in ``[start, end]``.
        self.start = first = utc(window_start)
        self.end = last = utc(window_end)
        starts: list[datetime] = []
        ends: list[datetime] = []
        before: list[timedelta] = []  # business time before each open interval
        through: list[timedelta] = []  # business time up to each open interval's end
        total = _ZERO
        for start, end in calendar.open_intervals(first, last):
            opens, closes = utc(start), utc(end)
            starts.append(opens)
            ends.append(closes)
            before.append(total)
            total += closes - opens
            through.append(total)
        count = len(starts)

        def position(at: datetime) -> timedelta:
            index = bisect_right(starts, at) - 1
            if index < 0:
                return _ZERO
            end = ends[index]
            return before[index] + ((at if at < end else end) - starts[index])

        def instant(position: timedelta) -> datetime:
            index = bisect_left(through, position)
            if index == count:  # beyond the window: the calendar goes on from its end
                return utc(calendar.add(last, position - total))
            return starts[index] + (position - before[index])

        self.position = position
        self.instant = instant
