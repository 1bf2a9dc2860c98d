"""The arithmetic of union and intersection calendars (private).

A composed calendar's open instants are the union, or the intersection, of
its members' (which may be composed themselves, in any zones). Its *pieces*
of open time are the members' pieces (union) or the non-empty overlaps of
one piece of each member (intersection), so a piece starts where a member's
piece starts: the business days of a composed calendar are the dates of its
own zone on which a piece starts.

**Quiet stretches.** Every member is weekly periodic away from its irregular
dates (holidays, special days, clock changes; see ``_engine``), so outside
the *windows* around those dates (and around the clock changes of the
composed zone) the composed calendar repeats itself every week: its open
time, and the dates its pieces start on. Whole weeks of a quiet stretch are
counted from one of them, in closed form, so the cost grows with the
number of holidays and clock changes in a span, not with its length.

Instants are integer microseconds, dates ordinals, as in ``_engine``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from contractcore.errors import NoOpenTimeError
from contractcore.sla._engine import Engine, Span
from contractcore.sla._tz import DAY_US, EPOCH_ORDINAL

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

__all__ = ["ComposedEngine", "Operation"]

Operation = Literal["union", "intersection"]
WEEK_US = 7 * DAY_US
#: How long a composed calendar may find no open time before it is taken to
#: have none left: clock changes recur yearly, so a pattern that opens at all
#: opens within any few years.
_IDLE_US = 8 * 366 * DAY_US
_CHUNK_US = 56 * DAY_US


def _base_pieces(engine: Engine, low: int, high: int) -> list[Span]:
    first, last = engine.local_date(low) - 1, engine.local_date(high) + 1
    return [
        span
        for ordinal in range(first, last + 1)
        for span in engine.spans(ordinal)
        if span[1] > low and span[0] < high
    ]


def _base_windows(engine: Engine, low: int, high: int) -> list[Span]:
    first, last = engine.local_date(low) - 3, engine.local_date(high) + 3
    return [
        ((day - EPOCH_ORDINAL - 2) * DAY_US, (day - EPOCH_ORDINAL + 3) * DAY_US)
        for day in engine.irregular_between(first, last)
    ]


def _merge(spans: list[Span]) -> list[Span]:
    spans = sorted(spans)
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _overlaps(left: list[Span], right: list[Span]) -> list[Span]:
    """The non-empty overlaps of a piece of ``left`` with a piece of ``right`` (both sorted)."""
    starts = [start for start, _end in right]
    reach: list[int] = []  # reach[i]: the latest end among right[:i + 1]
    for _start, end in right:
        reach.append(max(end, reach[-1]) if reach else end)
    found: list[Span] = []
    for start, end in left:
        for other_start, other_end in right[bisect_right(reach, start) : bisect_left(starts, end)]:
            low, high = max(start, other_start), min(end, other_end)
            if high > low:
                found.append((low, high))
    found.sort()
    return found


class ComposedEngine:
    """Business-time arithmetic over the union or intersection of member engines."""

    __slots__ = ("dates", "members", "operation")

    def __init__(
        self, operation: Operation, members: tuple[Engine | ComposedEngine, ...], zone: ZoneInfo
    ) -> None:
        self.operation = operation
        self.members = members
        # An engine of no hours in the composed zone: its local dates, and its
        # irregular dates are the days around the zone's clock changes.
        self.dates = Engine(zone, ((),) * 7, frozenset(), {})

    # -- pieces and windows -----------------------------------------------------

    def pieces(self, low: int, high: int) -> list[Span]:
        """The pieces of open time that overlap ``[low, high)``, unclipped, sorted by start."""
        parts = [
            _base_pieces(member, low, high)
            if isinstance(member, Engine)
            else member.pieces(low, high)
            for member in self.members
        ]
        if self.operation == "union":
            return sorted(piece for part in parts for piece in part)
        found = parts[0]
        for part in parts[1:]:
            found = _overlaps(found, part)
        return found

    def windows(self, low: int, high: int) -> list[Span]:
        """Merged spans, covering ``[low, high)``'s irregular parts, outside which weeks repeat."""
        found = _base_windows(self.dates, low, high)
        for member in self.members:
            found.extend(
                _base_windows(member, low, high)
                if isinstance(member, Engine)
                else member.windows(low, high)
            )
        return _merge(found)

    def stretches(self, low: int, high: int) -> Iterator[tuple[int, int, bool]]:
        """``[low, high)`` cut into ``(start, end, quiet)`` stretches, in time order."""
        cursor = low
        for start, end in self.windows(low, high):
            if end <= cursor:
                continue
            if start > cursor:
                yield cursor, min(start, high), True
            if start >= high:
                return
            yield max(start, cursor), min(end, high), False
            cursor = min(end, high)
        if cursor < high:
            yield cursor, high, True

    def _walk(self, low: int, high: int) -> int:
        return sum(
            min(end, high) - max(start, low)
            for start, end in _merge(self.pieces(low, high))
            if end > low and start < high
        )

    # -- business time ----------------------------------------------------------

    def is_open(self, instant: int) -> bool:
        """Whether ``instant`` is open."""
        answers = (member.is_open(instant) for member in self.members)
        return any(answers) if self.operation == "union" else all(answers)

    def elapsed(self, start: int, end: int) -> int:
        """Business time in ``[start, end)``; requires ``start <= end``."""
        total = 0
        for low, high, quiet in self.stretches(start, end):
            rest = low
            if quiet and high - low >= 2 * WEEK_US:
                weeks = (high - low) // WEEK_US
                total += weeks * self._walk(low, low + WEEK_US)
                rest = low + weeks * WEEK_US
            total += self._walk(rest, high)
        return total

    def add(self, start: int, duration: int) -> int:
        """The earliest instant ``t >= start`` with ``elapsed(start, t) == duration``."""
        if duration == 0:
            return start
        remaining = duration
        cursor = start
        ceiling = self.idle_ceiling(start)
        rate = 0  # business time of the last quiet week seen
        while True:
            if cursor > ceiling:
                msg = "the calendar has no open time left to add the duration to"
                raise NoOpenTimeError(msg)
            # Far enough for the rest at the last rate seen: a long duration takes few chunks.
            chunk_end = cursor + max(_CHUNK_US, (remaining // rate + 2) * WEEK_US if rate else 0)
            for first_low, high, quiet in self.stretches(cursor, chunk_end):
                low = first_low
                week = self._walk(low, low + WEEK_US) if quiet and high - low >= WEEK_US else 0
                rate = week or rate
                if week and remaining > week:
                    weeks = min((remaining - 1) // week, (high - low) // WEEK_US)
                    remaining -= weeks * week
                    low += weeks * WEEK_US
                    ceiling = self.idle_ceiling(low)
                for step in range(low, high, WEEK_US):
                    step_end = min(step + WEEK_US, high)
                    for piece_start, piece_end in _merge(self.pieces(step, step_end)):
                        first, last = max(piece_start, step), min(piece_end, step_end)
                        if last <= first:
                            continue
                        if last - first >= remaining:
                            return first + remaining
                        remaining -= last - first
                        ceiling = self.idle_ceiling(last)
            cursor = chunk_end

    def open_spans(self, start: int, end: int) -> list[Span]:
        """Open spans inside ``[start, end)``, clipped and merged."""
        if start == end:
            return []
        return [
            (max(a, start), min(b, end))
            for a, b in _merge(self.pieces(start, end))
            if b > start and a < end
        ]

    def idle_floor(self, instant: int) -> int:
        """Far enough back that no open time found from there to ``instant`` means none before."""
        return min(member.idle_floor(instant) for member in self.members) - _IDLE_US

    def idle_ceiling(self, instant: int) -> int:
        """The mirror of :meth:`idle_floor`."""
        return max(member.idle_ceiling(instant) for member in self.members) + _IDLE_US

    # -- business days -------------------------------------------------------------

    def _midnight(self, ordinal: int) -> int:
        """An instant no later than the first instant of the local date ``ordinal``."""
        return (ordinal - EPOCH_ORDINAL - 1) * DAY_US

    def is_business_day(self, ordinal: int) -> bool:
        """Whether a piece of open time starts on the local date ``ordinal``."""
        low, high = self._midnight(ordinal), self._midnight(ordinal + 3)
        local_date = self.dates.local_date
        return any(
            low <= start and local_date(start) == ordinal for start, _end in self.pieces(low, high)
        )

    def _quiet_run(self, ordinal: int, direction: int, reach: int) -> int:
        """How many dates from ``ordinal`` on, one way (at most ``reach``), are in a quiet stretch.

        A date's instants lie within a day and a half of its midnight read as
        UTC, and so do the pieces that start on it; ``_midnight`` is earlier.
        """
        day_low, day_high = self._midnight(ordinal), self._midnight(ordinal + 3)
        if direction > 0:
            low, high = day_low, self._midnight(ordinal + reach + 3)
        else:
            low, high = self._midnight(ordinal - reach), day_high
        for start, end, quiet in self.stretches(low, high):
            if start <= day_low and end >= day_high:
                if not quiet:
                    return 0
                run = (
                    (end - day_low) // DAY_US - 2
                    if direction > 0
                    else (day_low - start) // DAY_US + 1
                )
                return min(run, reach)
        return 0

    def count(self, first: int, last: int) -> int:
        """Business days from ``first`` to ``last``, both included."""
        total = 0
        ordinal = first
        while ordinal <= last:
            quiet = self._quiet_run(ordinal, 1, last - ordinal + 1)
            if quiet >= 14:
                weeks = quiet // 7
                week = sum(self.is_business_day(ordinal + i) for i in range(7))
                total += weeks * week
                ordinal += 7 * weeks
                continue
            total += self.is_business_day(ordinal)
            ordinal += 1
        return total

    def add_days(self, ordinal: int, days: int) -> int:
        """The ``days``-th business day after (``days`` > 0) or before (< 0) the date."""
        direction = 1 if days > 0 else -1
        remaining = abs(days)
        limit = _IDLE_US // DAY_US
        idle = 0
        ordinal += direction
        while True:
            if idle > limit or ordinal < 1:
                msg = "the calendar has no business days left to count that far"
                raise NoOpenTimeError(msg)
            quiet = self._quiet_run(ordinal, direction, max(limit, 7 * remaining))
            if quiet >= 14:
                week = sum(self.is_business_day(ordinal + direction * i) for i in range(7))
                if week and remaining > week:
                    weeks = min((remaining - 1) // week, quiet // 7)
                    remaining -= weeks * week
                    ordinal += direction * 7 * weeks
                    idle = 0
            if self.is_business_day(ordinal):
                remaining -= 1
                idle = 0
                if remaining == 0:
                    return ordinal
            else:
                idle += 1
            ordinal += direction
