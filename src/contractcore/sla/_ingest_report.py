"""What the timeline builder gives back: the timeline and its report; the ticket source."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, Protocol, runtime_checkable

import attrs

from contractcore.sla._ingest_models import HostId, HostRecord, HostTicket, NoteAction
from contractcore.sla.events import TicketEvent

__all__ = ["Mismatch", "RecordNote", "TicketSource", "Timeline", "TimelineReport"]


@attrs.frozen
class RecordNote:
    """What the builder did with a record it did not take as it came, and why.

    ``action`` is ``"opening"`` (the ticket's opening record: its comment is
    the request itself, its changes apply at the start), ``"clamped"``
    (before the start: moved to it), ``"dropped"`` (nothing of it is in the
    timeline) or ``"ignored"`` (a part of it is left out, the rest is in).
    """

    record: HostRecord
    action: NoteAction
    reason: str


@attrs.frozen
class Mismatch:
    """The timeline ends in another state than the host's ticket is in now."""

    #: ``"status"``, ``"hold"`` or ``"queue"``.
    field: Literal["status", "hold", "queue"]
    #: The value at the end of the timeline.
    timeline: object
    #: The value the host's ticket has.
    host: object


@attrs.frozen(kw_only=True)
class TimelineReport:
    """What the builder changed in a ticket's history, and whether the replay matches the host."""

    ticket_id: HostId
    notes: tuple[RecordNote, ...] = ()
    mismatches: tuple[Mismatch, ...] = ()
    #: Why the ticket is not measured (an ignored status), or None.
    skipped: str | None = None

    def records(self, action: NoteAction) -> tuple[HostRecord, ...]:
        """The records with a note of ``action``, in time order."""
        return tuple(note.record for note in self.notes if note.action == action)

    @property
    def clamped(self) -> tuple[HostRecord, ...]:
        """The records moved to the start of the timeline."""
        return self.records("clamped")

    @property
    def dropped(self) -> tuple[HostRecord, ...]:
        """The records left out of the timeline."""
        return self.records("dropped")

    @property
    def reconciled(self) -> bool:
        """Whether the timeline ends in the state the host's ticket is in."""
        return not self.mismatches


@attrs.frozen
class Timeline:
    """A ticket's events, ready for ``evaluate``, with where each came from and the report."""

    ticket_id: HostId
    #: The timeline: a ``TicketCreated``, then the events in replay order.
    events: tuple[TicketEvent, ...]
    #: The record each event came from (None for the ``TicketCreated``).
    origins: tuple[HostRecord | None, ...]
    report: TimelineReport


@runtime_checkable
class TicketSource(Protocol):
    """Where a host's tickets come from, one at a time (a database cursor, an API pager).

    ``tickets()`` must yield each :class:`HostTicket` as it is read, so that
    :meth:`TimelineBuilder.feed` and ``evaluate_many`` never hold them all.
    """

    def tickets(self) -> Iterator[HostTicket]:
        """Yield the tickets to evaluate."""
        ...
