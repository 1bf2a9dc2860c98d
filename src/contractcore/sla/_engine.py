"""The arithmetic behind :class:`~contractcore.sla.calendar.BusinessCalendar`.

Instants are integer microseconds since the epoch (UTC); dates are ordinals.
The open instants of a *date* are the instants whose local wall-clock reading
falls in one of that date's intervals (an overnight interval belongs to the
date it starts on). Most dates are **regular**: no holiday on them or the day
after, no special hours, and no change of UTC offset anywhere near them. A
regular date's business time is exactly its weekday's wall-clock length, so a
run of regular dates is summed, or skipped, whole weeks at a time in closed
form. The few **irregular** dates (holidays and the day before, special days
and the day before, the two days around each offset change) are listed per
year, computed exactly once and cached; they are the only dates whose cost
grows with a span.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date
from typing import TYPE_CHECKING

import holidays as holidays_lib

from contractcore.errors import NoOpenTimeError
from contractcore.sla._hours import interval_micros
from contractcore.sla._tz import DAY_US, EPOCH_ORDINAL, offset_at, transitions_in_year

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from contractcore.sla._hours import DayHours

__all__ = ["Engine"]

Span = tuple[int, int]
#: base, span starts, span ends, business time before / through each span,
#: and the instant up to which inverting the table is exact.
Block = tuple[int, list[int], list[int], list[int], list[int], int]
_BLOCK_US = 8 * DAY_US
_FAR = 1 << 62
_CACHE_LIMIT = 200_000
_UNKNOWN: object = object()


def _year(ordinal: int) -> int:
    return date.fromordinal(ordinal).year


def _utc_year(instant: int) -> int:
    return date.fromordinal(instant // DAY_US + EPOCH_ORDINAL).year


class _Irregular:
    """The irregular dates of one year, with the prefix sums of their corrections."""

    __slots__ = ("members", "ordinals", "prefix")

    def __init__(self, ordinals: list[int], corrections: list[int]) -> None:
        self.ordinals = ordinals
        self.members = frozenset(ordinals)
        self.prefix = [0]
        for correction in corrections:
            self.prefix.append(self.prefix[-1] + correction)


class Engine:
    """Business-time arithmetic for one calendar (see the module docstring)."""

    __slots__ = (
        "always_open",
        "blocks",
        "covered",
        "covered_span",
        "covered_total",
        "day_length",
        "holiday_years",
        "holidays",
        "irregular_after",
        "irregular_positions",
        "irregular_prefix",
        "irregular_set",
        "irregular_sorted",
        "irregular_years",
        "last_special",
        "offset_cache",
        "prefix",
        "span_cache",
        "special",
        "template",
        "week",
        "zone",
    )

    def __init__(
        self,
        zone: ZoneInfo,
        weekly: tuple[DayHours, ...],
        holidays: frozenset[date] | holidays_lib.HolidayBase,
        special: dict[date, DayHours],
    ) -> None:
        self.zone = zone
        self.template = [tuple(interval_micros(i) for i in day) for day in weekly]
        self.day_length = [sum(end - start for start, end in day) for day in self.template]
        self.week = sum(self.day_length)
        # prefix[i] = business time of weekdays 0..i-1, over two weeks so a
        # partial week starting on any weekday is one subtraction.
        self.prefix = [0]
        for i in range(14):
            self.prefix.append(self.prefix[-1] + self.day_length[i % 7])
        self.special = {
            day.toordinal(): tuple(interval_micros(i) for i in hours)
            for day, hours in special.items()
        }
        self.last_special = max(self.special, default=None)
        self.holidays = holidays
        self.holiday_years: dict[int, frozenset[int]] = {}
        self.irregular_years: dict[int, _Irregular] = {}
        self.span_cache: dict[int, tuple[Span, ...]] = {}
        self.offset_cache: dict[int, int | None] = {}
        # Position tables per UTC block; positions are relative to the cover,
        # so a wider cover clears them.
        self.blocks: dict[int, Block] = {}
        # Irregular dates of a contiguous range of years, merged for bisection.
        self.covered = (1, 0)  # first and last year covered; empty
        self.covered_span = (1, 0)  # the same as date ordinals
        self.irregular_sorted: list[int] = []
        self.irregular_prefix: list[int] = [0]
        self.irregular_set: frozenset[int] = frozenset()
        self.irregular_positions: list[int] = []  # position of each irregular date
        self.irregular_after: list[int] = []  # position of the day after each one
        self.covered_total = 0  # position at the end of the cover
        # 24x7 with nothing closed: business time is real time.
        self.always_open = (
            all(day == ((0, DAY_US),) for day in self.template)
            and not self.special
            and not isinstance(holidays, holidays_lib.HolidayBase)
            and not holidays
        )

    # -- dates ------------------------------------------------------------------

    def _holidays_of(self, year: int) -> frozenset[int]:
        found = self.holiday_years.get(year)
        if found is None:
            if isinstance(self.holidays, holidays_lib.HolidayBase):
                _ = date(year, 1, 1) in self.holidays  # fills in the year, lazily
            found = frozenset(day.toordinal() for day in self.holidays if day.year == year)
            self.holiday_years[year] = found
        return found

    def _closed(self, ordinal: int) -> bool:
        """A holiday without special hours: the whole local date is closed."""
        return ordinal in self._holidays_of(_year(ordinal)) and ordinal not in self.special

    def offset(self, instant: int) -> int:
        """UTC offset at ``instant``; cached per UTC day that has no offset change."""
        day = instant // DAY_US
        cached = self.offset_cache.get(day, _UNKNOWN)
        if cached is None:  # this day holds a change: ask the zone
            return offset_at(self.zone, instant)
        if cached is _UNKNOWN:
            start = day * DAY_US
            at_start = offset_at(self.zone, start)
            steady = at_start == offset_at(self.zone, start + DAY_US - 1) and not any(
                start < moment < start + DAY_US
                for moment, _before, _after in transitions_in_year(self.zone, _utc_year(start))
            )
            if len(self.offset_cache) > _CACHE_LIMIT:
                self.offset_cache.clear()
            self.offset_cache[day] = at_start if steady else None
            return at_start if steady else offset_at(self.zone, instant)
        return cached  # type: ignore[return-value]  # an int here

    def local_date(self, instant: int) -> int:
        """The ordinal of the local date at ``instant``."""
        return (instant + self.offset(instant)) // DAY_US + EPOCH_ORDINAL

    def spans(self, ordinal: int) -> tuple[Span, ...]:
        """Open instants of a date as disjoint ``(start, end)`` spans in time order."""
        cached = self.span_cache.get(ordinal)
        if cached is not None:
            return cached
        own = self.special.get(ordinal)
        if own is None:
            own = () if self._closed(ordinal) else self.template[(ordinal - 1) % 7]
        result: tuple[Span, ...] = ()
        if own:
            base = (ordinal - EPOCH_ORDINAL) * DAY_US
            limit = base + DAY_US if self._closed(ordinal + 1) else _FAR
            pieces = self._pieces(base - DAY_US, base + 3 * DAY_US)
            found: list[Span] = []
            for start, end in own:
                wall_start, wall_end = base + start, min(base + end, limit)
                for index, (piece_start, offset) in enumerate(pieces):
                    piece_end = pieces[index + 1][0] if index + 1 < len(pieces) else _FAR
                    first = max(wall_start - offset, piece_start)
                    last = min(wall_end - offset, piece_end)
                    if last > first:
                        found.append((first, last))
            result = tuple(_merge(found))
        if len(self.span_cache) > _CACHE_LIMIT:
            self.span_cache.clear()
        self.span_cache[ordinal] = result
        return result

    def _pieces(self, low: int, high: int) -> list[tuple[int, int]]:
        """``(from instant, offset)`` pieces of constant UTC offset covering ``[low, high]``."""
        pieces = [(-_FAR, offset_at(self.zone, low))]
        for year in range(_utc_year(low) - 1, _utc_year(high) + 1):
            for instant, _before, after in transitions_in_year(self.zone, year):
                if low < instant <= high:
                    pieces.append((instant, after))
        return pieces

    def _measure(self, ordinal: int) -> int:
        return sum(end - start for start, end in self.spans(ordinal))

    def _irregular(self, year: int) -> _Irregular:
        found = self.irregular_years.get(year)
        if found is not None:
            return found
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        marks: set[int] = set()
        for day in self._holidays_of(year) | self._holidays_of(year + 1):
            marks.update((day - 1, day))
        for day in self.special:
            marks.update((day - 1, day))
        for utc_year in (year - 1, year, year + 1):
            for instant, before, after in transitions_in_year(self.zone, utc_year):
                for wall in (instant + before, instant + after):
                    day = wall // DAY_US + EPOCH_ORDINAL
                    marks.update((day - 1, day))
        ordinals = sorted(day for day in marks if first <= day <= last)
        corrections = [self._measure(day) - self.day_length[(day - 1) % 7] for day in ordinals]
        found = _Irregular(ordinals, corrections)
        self.irregular_years[year] = found
        return found

    def _cover(self, first: int, last: int) -> None:
        """Know the irregular dates of every year from ``first``'s to ``last``'s.

        Positions (:func:`_position_in`) are relative to the first covered year;
        a wider cover clears the position blocks built under the old one.
        """
        if self.covered_span[0] <= first and last <= self.covered_span[1]:
            return
        low, high = _year(first), _year(last)
        covered_low, covered_high = self.covered
        if covered_low <= covered_high:  # the cover only grows, so positions stay comparable
            low, high = min(low, covered_low), max(high, covered_high)
        ordinals: list[int] = []
        prefix = [0]
        for year in range(low, high + 1):
            irregular = self._irregular(year)
            ordinals.extend(irregular.ordinals)
            base = prefix[-1]
            prefix.extend(base + value for value in irregular.prefix[1:])
        self.irregular_sorted, self.irregular_prefix = ordinals, prefix
        self.blocks.clear()
        self.irregular_set = frozenset(ordinals)
        self.irregular_positions = [
            self._regular_prefix(day) + prefix[index] for index, day in enumerate(ordinals)
        ]
        self.irregular_after = [
            self._regular_prefix(day + 1) + prefix[index + 1] for index, day in enumerate(ordinals)
        ]
        self.covered = (low, high)
        self.covered_span = (date(low, 1, 1).toordinal(), date(high, 12, 31).toordinal())
        self.covered_total = self._regular_prefix(self.covered_span[1] + 1) + prefix[-1]

    def is_irregular(self, ordinal: int) -> bool:
        """Whether the date's business time differs from (or is not placed like) its weekday's."""
        first, last = self.covered_span
        if not first <= ordinal <= last:
            self._cover(ordinal, ordinal)
        return ordinal in self.irregular_set

    def _regular_prefix(self, ordinal: int) -> int:
        """Business time of dates before ``ordinal`` as if all were regular (closed form)."""
        weeks, weekday = divmod(ordinal - 1, 7)
        return weeks * self.week + self.prefix[weekday]

    def _prefix(self, ordinal: int) -> int:
        """Business time of the covered dates before ``ordinal``: closed form plus corrections."""
        index = bisect_left(self.irregular_sorted, ordinal)
        return self._regular_prefix(ordinal) + self.irregular_prefix[index]

    def _block(self, key: int) -> Block:
        """The position table of the UTC block ``key`` (instants ``key * BLOCK``...).

        It lists, sorted, the spans of every local date from two before the
        block's first instant to three after its last, with the business time
        before each. Dates outside that range end before, or start after, any
        instant of the block (and any instant up to a day after it), so the
        table places such instants exactly, with no local date to work out.
        """
        block = self.blocks.get(key)
        if block is not None:
            return block
        start = key * _BLOCK_US
        first = self.local_date(start) - 2
        last = self.local_date(start + _BLOCK_US) + 3
        self._cover(first, last)
        spans = self._sorted_spans(first, last)
        before = [0] * len(spans)
        after = [0] * len(spans)
        total = 0
        for index, (a, b) in enumerate(spans):
            before[index] = total
            total += b - a
            after[index] = total
        block = (
            self._prefix(first),
            [a for a, _ in spans],
            [b for _, b in spans],
            before,
            after,
            start + _BLOCK_US + DAY_US,
        )
        if len(self.blocks) > _CACHE_LIMIT:
            self.blocks.clear()
        self.blocks[key] = block
        return block

    def _sorted_spans(self, first: int, last: int) -> list[Span]:
        found: list[Span] = []
        for ordinal in range(first, last + 1):
            found.extend(self.spans(ordinal))
        found.sort()
        return found

    def irregular_between(self, first: int, last: int) -> list[int]:
        """The irregular dates from ``first`` to ``last`` (ordinals, both included), sorted."""
        found: list[int] = []
        for year in range(_year(first), _year(last) + 1):
            found.extend(day for day in self._irregular(year).ordinals if first <= day <= last)
        return found

    def idle_floor(self, instant: int) -> int:
        """Far enough back that a calendar closed from there to ``instant`` is closed before.

        Weekly hours open every week but for holidays; a holiday list is
        finite, and a ``holidays`` calendar never closes a whole year.
        """
        floors = [instant - 2 * 366 * DAY_US]
        if not isinstance(self.holidays, holidays_lib.HolidayBase) and self.holidays:
            floors.append((min(self.holidays).toordinal() - EPOCH_ORDINAL - 8) * DAY_US)
        if self.special:
            floors.append((min(self.special) - EPOCH_ORDINAL - 8) * DAY_US)
        return min(floors)

    def idle_ceiling(self, instant: int) -> int:
        """The mirror of :meth:`idle_floor`: far enough on that closed from here is closed on."""
        ceilings = [instant + 2 * 366 * DAY_US]
        if not isinstance(self.holidays, holidays_lib.HolidayBase) and self.holidays:
            ceilings.append((max(self.holidays).toordinal() - EPOCH_ORDINAL + 8) * DAY_US)
        if self.special:
            ceilings.append((max(self.special) - EPOCH_ORDINAL + 8) * DAY_US)
        return max(ceilings)

    # -- queries ----------------------------------------------------------------

    def is_open(self, instant: int) -> bool:
        """Whether ``instant`` is open."""
        if self.always_open:
            return True
        day = self.local_date(instant)
        return any(
            start <= instant < end
            for ordinal in (day - 1, day, day + 1)
            for start, end in self.spans(ordinal)
        )

    def elapsed(self, start: int, end: int) -> int:
        """Business time in ``[start, end)``; requires ``start <= end``."""
        if self.always_open or start == end:
            return end - start
        first_key, last_key = start // _BLOCK_US, end // _BLOCK_US
        blocks = self.blocks
        first_block = blocks.get(first_key) or self._block(first_key)
        last_block = blocks.get(last_key) or self._block(last_key)
        if blocks.get(first_key) is not first_block:  # a wider cover cleared it
            first_block = self._block(first_key)
        return _position_in(last_block, end) - _position_in(first_block, start)

    def add(self, start: int, duration: int) -> int:
        """The earliest instant ``t >= start`` with ``elapsed(start, t) == duration``."""
        if duration == 0:
            return start
        if self.always_open:
            return start + duration
        key = start // _BLOCK_US
        block = self.blocks.get(key)
        if block is None:
            block = self._block(key)
        goal = _position_in(block, start) + duration
        # Most deadlines fall inside the block's table: invert it directly.
        base, starts, _ends, before, after, trusted = block
        target = goal - base
        index = bisect_left(after, target)
        if index < len(after):
            found = starts[index] + target - before[index]
            if found < trusted:
                return found
        return self._instant_at(goal)

    def _instant_at(self, goal: int) -> int:
        """The earliest instant whose position is ``goal`` (``goal`` > some open time)."""
        while goal > self.covered_total:
            end = self.covered_span[1] + 1
            beyond = goal - self.covered_total
            if self.week == 0 and (self.last_special is None or end > self.last_special + 1):
                msg = "the calendar has no open time left to add the duration to"
                raise NoOpenTimeError(msg)
            reach = 7 * (beyond // self.week + 2) if self.week else self.last_special + 2 - end  # type: ignore[operator]
            self._cover(end, end + reach)
            goal = self._prefix(end) + beyond
        index = bisect_left(self.irregular_positions, goal)
        if index == 0:  # before every irregular date: a regular run from the cover's start
            first = self.covered_span[0]
            return self._locate_in_regular_run(first, goal - self._prefix(first))
        irregular = self.irregular_sorted[index - 1]
        after = self.irregular_after[index - 1]
        if goal > after:
            return self._locate_in_regular_run(irregular + 1, goal - after)
        # In an irregular date: walk its whole run of irregular dates in time
        # order (across an offset change their spans may interleave).
        first = irregular
        while first - 1 in self.irregular_set:
            first -= 1
        remaining = goal - self._prefix(first)
        last = irregular
        while self.is_irregular(last + 1):
            last += 1
        for a, b in self._sorted_spans(first, last):
            if remaining <= b - a:
                return a + remaining
            remaining -= b - a
        msg = "internal error: business time position past its irregular run"  # pragma: no cover
        raise AssertionError(msg)  # pragma: no cover

    def _locate_in_regular_run(self, ordinal: int, remaining: int) -> int:
        """Where ``remaining`` (> 0) business time runs out, from a regular date on."""
        # One offset holds across the run; probe it a day into the first date.
        probe = (ordinal - EPOCH_ORDINAL) * DAY_US + DAY_US
        offset = self.offset_cache.get(probe // DAY_US)
        if offset is None:
            offset = self.offset(probe)
        week = self.week
        if remaining > week:
            weeks = (remaining - 1) // week
            ordinal += 7 * weeks
            remaining -= weeks * week
        # The day it runs out on: the first k with prefix[w + k + 1] - prefix[w] >= remaining.
        prefix = self.prefix
        weekday = (ordinal - 1) % 7
        end = bisect_left(prefix, prefix[weekday] + remaining, weekday + 1) - 1
        remaining -= prefix[end] - prefix[weekday]
        ordinal += end - weekday
        weekday = end % 7
        base = (ordinal - EPOCH_ORDINAL) * DAY_US - offset
        for a, b in self.template[weekday]:
            if remaining <= b - a:
                return base + a + remaining
            remaining -= b - a
        msg = "internal error: business time past its regular day"  # pragma: no cover
        raise AssertionError(msg)  # pragma: no cover

    def open_spans(self, start: int, end: int) -> list[Span]:
        """Open spans inside ``[start, end)``, clipped and merged."""
        if start == end:
            return []
        if self.always_open:
            return [(start, end)]
        found = [
            (max(a, start), min(b, end))
            for a, b in self._sorted_spans(self.local_date(start) - 1, self.local_date(end) + 1)
            if b > start and a < end
        ]
        return _merge(found)


def _position_in(block: Block, instant: int) -> int:
    """Business time before ``instant`` (inside ``block``), from the cover's start."""
    base, starts, ends, before, _after, _trusted = block
    index = bisect_right(starts, instant) - 1
    if index < 0:
        return base
    end = ends[index]
    return base + before[index] + (end if end < instant else instant) - starts[index]


def _merge(spans: list[Span]) -> list[Span]:
    """Sort spans and join the ones that touch or overlap."""
    spans.sort()
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
