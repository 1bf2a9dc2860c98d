"""A lookup table of a calendar's business time, for evaluating many tickets (private).

:func:`~contractcore.sla.evaluate_many` asks the same calendar thousands of
questions. This index reads the calendar's ``open_intervals`` once over a
window and answers ``elapsed`` and ``add`` inside that window with binary
searches on integer microseconds. Its answers are the calendar's own (it is
built from them, and the tests hold the two to equality); anything outside
the window is passed to the calendar itself.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime
from typing import Any

from contractcore.sla._meter import CalendarMeter, micros

__all__ = ["BusinessTimeIndex"]


class BusinessTimeIndex:
    """A meter answering for ``calendar`` on ``[window_start, window_end]`` from a table.

    ``cumulative(t)``, the business time from the window start to ``t``, is a
    non-decreasing piecewise-linear function; ``elapsed(s, e)`` is its
    difference and ``add(s, d)`` its first crossing of ``cumulative(s) + d``.
    """

    __slots__ = ("_before", "_ends", "_fallback", "_first", "_last", "_starts", "_through")

    def __init__(self, calendar: Any, window_start: datetime, window_end: datetime) -> None:
        self._fallback = CalendarMeter(calendar)
        self._first = micros(window_start)
        self._last = micros(window_end)
        starts: list[int] = []
        ends: list[int] = []
        before: list[int] = []  # business time before each open interval
        through: list[int] = []  # business time up to each open interval's end
        total = 0
        for start, end in calendar.open_intervals(window_start, window_end):
            first, last = micros(start), micros(end)
            starts.append(first)
            ends.append(last)
            before.append(total)
            total += last - first
            through.append(total)
        self._starts = starts
        self._ends = ends
        self._before = before
        self._through = through

    def _cumulative(self, at: int) -> int:
        index = bisect_right(self._starts, at) - 1
        if index < 0:
            return 0
        end = self._ends[index]
        return self._before[index] + (at if at < end else end) - self._starts[index]

    def elapsed_us(self, start: int, end: int) -> int:
        """Business time in ``[start, end)``."""
        if start < self._first or end > self._last or end < start:
            return self._fallback.elapsed_us(start, end)
        # _cumulative(end) - _cumulative(start), inlined: the hot path of evaluate_many.
        starts = self._starts
        last = bisect_right(starts, end) - 1
        if last < 0:
            return 0
        ends = self._ends
        stop = ends[last]
        first = bisect_right(starts, start, 0, last + 1) - 1
        if first == last:  # both in the same open interval or the gap after it
            return (end if end < stop else stop) - (start if start < stop else stop)
        before = self._before
        total = before[last] + (end if end < stop else stop) - starts[last]
        if first >= 0:
            stop = ends[first]
            total -= before[first] + (start if start < stop else stop) - starts[first]
        return total

    def add_us(self, start: int, amount: int) -> int:
        """The earliest instant ``t >= start`` with ``elapsed_us(start, t) == amount``."""
        if amount == 0:
            return start
        if amount < 0 or start < self._first or start > self._last:
            return self._fallback.add_us(start, amount)
        goal = self._cumulative(start) + amount
        index = bisect_left(self._through, goal)
        if index == len(self._through):  # beyond the window
            return self._fallback.add_us(start, amount)
        return self._starts[index] + goal - self._before[index]
