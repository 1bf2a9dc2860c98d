"""Business days of a :class:`~contractcore.sla.calendar.BusinessCalendar` (private).

A date is a business day when some open time starts on it: when the open
instants of the shifts listed for it (after holidays, special hours and the
clock changes) are not empty. A **regular** date of the engine is one whose
open time is its weekday's hours placed as usual, so it is a business day
exactly when its weekday has hours; only the engine's few irregular dates
(holidays, special days, the days around clock changes and the day before
each) are looked at one by one. Counting is closed form over whole weeks,
and walking is year by year, so the cost grows with the number of holidays
and clock changes in the span, not with its length, as for ``add``.

Dates are ordinals (``date.toordinal``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from contractcore.errors import NoOpenTimeError

if TYPE_CHECKING:
    from contractcore.sla._engine import Engine

__all__ = ["BusinessDays"]


def _year_bounds(ordinal: int) -> tuple[int, int]:
    year = date.fromordinal(ordinal).year
    return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()


class BusinessDays:
    """Business-day arithmetic over one calendar engine."""

    __slots__ = ("engine", "per_week", "prefix", "regular")

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.regular = [bool(day) for day in engine.template]
        self.per_week = sum(self.regular)
        # prefix[i] = business days among weekdays 0..i-1, over two weeks.
        self.prefix = [0]
        for i in range(14):
            self.prefix.append(self.prefix[-1] + self.regular[i % 7])

    def is_business_day(self, ordinal: int) -> bool:
        """Whether some open time starts on the date."""
        if self.engine.is_irregular(ordinal):
            return bool(self.engine.spans(ordinal))
        return self.regular[(ordinal - 1) % 7]

    def _regular_before(self, ordinal: int) -> int:
        weeks, weekday = divmod(ordinal - 1, 7)
        return weeks * self.per_week + self.prefix[weekday]

    def _regular_count(self, first: int, last: int) -> int:
        """Business days in ``[first, last]`` as if every date were regular."""
        return self._regular_before(last + 1) - self._regular_before(first)

    def _correction(self, ordinal: int) -> int:
        return self.is_business_day(ordinal) - self.regular[(ordinal - 1) % 7]

    def count(self, first: int, last: int) -> int:
        """Business days from ``first`` to ``last``, both included (``first <= last + 1``)."""
        irregular = self.engine.irregular_between(first, last) if first <= last else []
        return self._regular_count(first, last) + sum(map(self._correction, irregular))

    def _special_beyond(self, ordinal: int, *, forward: bool) -> bool:
        special = self.engine.special
        return any(day >= ordinal if forward else day <= ordinal for day in special)

    def _no_more(self, ordinal: int, *, forward: bool) -> None:
        if ordinal < 1 or (
            self.per_week == 0 and not self._special_beyond(ordinal, forward=forward)
        ):
            msg = "the calendar has no business days left to count that far"
            raise NoOpenTimeError(msg)

    def add(self, ordinal: int, days: int) -> int:
        """The ``days``-th business day after (``days`` > 0) or before (< 0) the date."""
        if days > 0:
            return self._forward(ordinal + 1, days)
        return self._backward(ordinal - 1, -days)

    def _forward(self, ordinal: int, remaining: int) -> int:
        while True:
            _first, year_end = _year_bounds(ordinal)
            irregular = self.engine.irregular_between(ordinal, year_end)
            total = self._regular_count(ordinal, year_end) + sum(map(self._correction, irregular))
            if total >= remaining:
                break
            remaining -= total
            ordinal = year_end + 1
            self._no_more(ordinal, forward=True)
        for day in irregular:
            regular = self._regular_count(ordinal, day - 1)
            if regular >= remaining:
                return self._locate(ordinal, remaining, 1)
            remaining -= regular
            if self.is_business_day(day):
                remaining -= 1
                if remaining == 0:
                    return day
            ordinal = day + 1
        return self._locate(ordinal, remaining, 1)

    def _backward(self, ordinal: int, remaining: int) -> int:
        while True:
            self._no_more(ordinal, forward=False)
            year_start, _last = _year_bounds(ordinal)
            irregular = self.engine.irregular_between(year_start, ordinal)
            total = self._regular_count(year_start, ordinal) + sum(map(self._correction, irregular))
            if total >= remaining:
                break
            remaining -= total
            ordinal = year_start - 1
        for day in reversed(irregular):
            regular = self._regular_count(day + 1, ordinal)
            if regular >= remaining:
                return self._locate(ordinal, remaining, -1)
            remaining -= regular
            if self.is_business_day(day):
                remaining -= 1
                if remaining == 0:
                    return day
            ordinal = day - 1
        return self._locate(ordinal, remaining, -1)

    def _locate(self, ordinal: int, remaining: int, direction: int) -> int:
        """The ``remaining``-th regular business day from ``ordinal`` on (included), one way."""
        weeks = (remaining - 1) // self.per_week
        ordinal += direction * 7 * weeks
        remaining -= weeks * self.per_week
        while True:
            if self.regular[(ordinal - 1) % 7]:
                remaining -= 1
                if remaining == 0:
                    return ordinal
            ordinal += direction
