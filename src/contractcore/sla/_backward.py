"""Going back in business time: ``subtract`` and ``previous_close`` (private).

Both are answered with the two forward questions every calendar already
answers exactly and in closed form, ``elapsed`` and ``add``, so they inherit
their cost rule. Positions (business time since a far origin) never
decrease and stay flat over closed time, so the instants at which the
position is ``p`` form one closed stretch ``[earliest, latest]``: ``add``
from an earlier anchor finds ``earliest`` (where the open time that brings
the position to ``p`` ends), and ``latest`` is the first open instant at or
after it.

Instants and durations are integer microseconds, as in ``_engine``.
"""

from __future__ import annotations

from typing import Protocol

from contractcore.errors import NoOpenTimeError
from contractcore.sla._tz import DAY_US

__all__ = ["Timeline", "previous_close", "subtract"]

_WEEK_US = 7 * DAY_US


class Timeline(Protocol):
    """The integer questions of a calendar engine (``Engine``, ``ComposedEngine``)."""

    def is_open(self, instant: int) -> bool:
        """Whether ``instant`` is open."""

    def elapsed(self, start: int, end: int) -> int:
        """Business time in ``[start, end)``."""

    def add(self, start: int, duration: int) -> int:
        """The earliest instant ``t >= start`` with ``elapsed(start, t) == duration``."""

    def idle_floor(self, instant: int) -> int:
        """An instant before which no open time can be found if none is found after it."""


def _anchor(timeline: Timeline, end: int, duration: int) -> tuple[int, int]:
    """An instant ``a <= end`` with ``elapsed(a, end) >= duration`` (> 0), and that time.

    Steps back a week, then as far as the business time found so far says
    is needed, at least doubling, so a long duration takes few steps.
    """
    step = _WEEK_US
    floor = timeline.idle_floor(end)
    while True:
        anchor = end - step
        found = timeline.elapsed(anchor, end)
        if found >= duration:
            return anchor, found
        if found == 0 and anchor < floor:
            msg = "the calendar has no open time before that instant to go back through"
            raise NoOpenTimeError(msg)
        step = max(2 * step, step * duration // found + _WEEK_US) if found else 2 * step


def subtract(timeline: Timeline, end: int, duration: int) -> int:
    """The latest ``t <= end`` with ``elapsed(t, end) == duration`` (``duration`` > 0)."""
    anchor, found = _anchor(timeline, end, duration)
    earliest = timeline.add(anchor, found - duration)
    # The position stays flat up to the next open instant: the latest instant with it.
    latest = timeline.add(earliest, 1) - 1
    return min(latest, end)


def previous_close(timeline: Timeline, at: int) -> int:
    """``at`` when open, else the latest instant ``<= at`` at which open time ended."""
    if timeline.is_open(at):
        return at
    anchor, found = _anchor(timeline, at, 1)
    return timeline.add(anchor, found)
