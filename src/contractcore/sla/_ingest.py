"""Build SLA timelines from a host's ticket history (private; see docs/hosts.md).

:class:`TimelineBuilder` is the one place where a host's records become
the engine's events. Its rules, in the order it applies them:

1. **Order.** Records are sorted by instant, then by ``sequence``, then as
   given. Within one record the changes come in a fixed order: the comment,
   then the status, then the hold flag and the queue, then the priority.
2. **Start.** The timeline starts at the creation, or at ``measure_from``
   when the SLA began to apply later.
3. **Opening record.** The first record with a comment within
   ``opening_tolerance`` of the creation (help desks write it a few
   milliseconds after the ticket) is the request itself, not a reply: its
   comment is left out; its other changes count as any record's.
4. **Before the start.** A record before the start is clamped to it (its
   changes set the state the timeline starts in, its comment comes at the
   start) or, with ``early="drop"``, left out.
5. **Merged tickets.** A record moved here from a merged ticket keeps its
   comment only if it is not before the start; its status, hold, queue
   and priority were the other ticket's and are left out.
6. **Statuses and pauses.** Statuses go through the :class:`StatusMap`
   (an ``ignored`` one is left out); the hold flag and pause queues become
   ``SlaPaused`` / ``SlaResumed`` as :class:`PauseRules` say.
7. **Reconciliation.** The state the timeline ends in is compared with the
   host ticket's ``final_*`` fields; each difference is a :class:`Mismatch`.

Every record is either in the timeline (``Timeline.origins``) or in the
report with a ``"dropped"`` note, never lost without a word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from typing import Any, Literal

import attrs

from contractcore.errors import InvalidArgumentError, UnknownStatusError
from contractcore.sla._ingest_models import (
    AUTHOR_KINDS,
    HostId,
    HostRecord,
    HostTicket,
    NoteAction,
    PauseRules,
    StatusMap,
)
from contractcore.sla._ingest_report import (
    Mismatch,
    RecordNote,
    TicketSource,
    Timeline,
    TimelineReport,
)
from contractcore.sla.events import (
    CommentAdded,
    PriorityChanged,
    SlaPaused,
    SlaResumed,
    StatusChanged,
    TicketCreated,
    TicketEvent,
)
from contractcore.sla.policy import SlaPolicy

__all__ = ["TimelineBuilder"]

#: How many policies :meth:`TimelineBuilder.feed` keeps with the status map applied.
_POLICIES_KEPT = 16


def _tolerance(instance: object, attribute: attrs.Attribute[timedelta], value: object) -> None:
    if not isinstance(value, timedelta) or value < timedelta(0):
        msg = f"TimelineBuilder.opening_tolerance must be a timedelta >= 0, got {value!r}"
        raise InvalidArgumentError(msg)


def _early(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value not in ("clamp", "drop"):
        msg = f"TimelineBuilder.early must be 'clamp' or 'drop', got {value!r}"
        raise InvalidArgumentError(msg)


def _callable(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not callable(value):
        msg = f"TimelineBuilder.classify_author must be a callable, got {value!r}"
        raise InvalidArgumentError(msg)


class _State:
    """The ticket's state as the builder follows it: what the timeline says so far."""

    __slots__ = ("hold", "paused", "priority", "queue", "status")

    def __init__(self, status: str, hold: bool, queue: HostId | None, priority: HostId | None):
        self.status = status
        self.hold = hold
        self.queue = queue
        self.priority = priority
        self.paused = False


@attrs.frozen(kw_only=True)
class TimelineBuilder:
    """Turns a host's ticket history into an SLA timeline, and says what it changed.

    Args:
        statuses: what each host status means.
        classify_author: who wrote a record's comment: ``"agent"``,
            ``"customer"``, ``"automation"``, or ``"ignore"`` to leave the
            comment out (the rest of the record still counts). Called only
            for records with a comment.
        pauses: the hold flag and pause queues.
        opening_tolerance: how long after (or before) the creation the
            opening record may be written.
        early: what to do with a ticket's own record before the start of its
            timeline: ``"clamp"`` it to the start, or ``"drop"`` it.

    The rules are in order in ``docs/hosts.md``; in short: records sorted by
    instant, ``sequence``, then as given; in a record, comment, status,
    hold and queue, priority.

    >>> from datetime import UTC, datetime
    >>> builder = TimelineBuilder(
    ...     statuses=StatusMap({"Open": "open", "Solved": "resolved"}),
    ...     classify_author=lambda record: record.author,
    ... )
    >>> opened = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    >>> ticket = HostTicket(
    ...     id=7,
    ...     created_at=opened,
    ...     opened_status="open",
    ...     records=[
    ...         HostRecord(at=opened.replace(minute=30), comment="public", author="agent",
    ...                    status="SOLVED"),
    ...         HostRecord(at=opened.replace(microsecond=3000), comment="public",
    ...                    author="customer"),
    ...     ],
    ... )
    >>> timeline = builder.build(ticket)
    >>> [type(event).__name__ for event in timeline.events]
    ['TicketCreated', 'CommentAdded', 'StatusChanged']
    >>> [note.action for note in timeline.report.notes]
    ['opening']
    """

    statuses: StatusMap = attrs.field(validator=attrs.validators.instance_of(StatusMap))
    classify_author: Callable[[HostRecord], str] = attrs.field(validator=_callable)
    pauses: PauseRules = attrs.field(
        factory=PauseRules, validator=attrs.validators.instance_of(PauseRules)
    )
    opening_tolerance: timedelta = attrs.field(default=timedelta(seconds=1), validator=_tolerance)
    early: Literal["clamp", "drop"] = attrs.field(default="clamp", validator=_early)

    def build(self, ticket: HostTicket) -> Timeline:
        """The timeline of one host ticket, with the report of what was changed.

        Raises:
            UnknownStatusError: a status not in the status map (the message
                names the ticket, the record and the status).
            InvalidArgumentError: the author classifier gave something else
                than the four answers.
        """
        if not isinstance(ticket, HostTicket):
            msg = f"ticket must be a HostTicket, got {ticket!r}"
            raise InvalidArgumentError(msg)
        run = _Run(self, ticket)
        return run.timeline()

    def feed(
        self,
        source: TicketSource | Iterable[HostTicket],
        policy: SlaPolicy | Callable[[HostTicket], SlaPolicy],
        *,
        on_report: Callable[[TimelineReport], object] | None = None,
    ) -> Iterator[tuple[HostId, SlaPolicy, tuple[TicketEvent, ...]]]:
        """Stream ``(ticket_id, policy, events)`` for ``evaluate_many``, one ticket at a time.

        ``policy`` is one policy for every ticket or a function choosing one
        per ticket; it is evaluated with this builder's status map applied
        (:meth:`StatusMap.apply`). Tickets that end in an ignored status are
        not yielded. ``on_report`` gets every ticket's report, as it is built.

        >>> from datetime import UTC, datetime, timedelta
        >>> from contractcore.sla import evaluate_many
        >>> builder = TimelineBuilder(
        ...     statuses=StatusMap({"Open": "open", "Done": "resolved", "Spam": "ignored"}),
        ...     classify_author=lambda record: "agent",
        ... )
        >>> opened = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
        >>> tickets = (
        ...     HostTicket(id=number, created_at=opened, opened_status="Open", final_status=final)
        ...     for number, final in ((1, "Open"), (2, "Spam"))
        ... )
        >>> policy = SlaPolicy(name="Basic", resolve_within=timedelta(hours=4))
        >>> reports = []
        >>> statuses = evaluate_many(builder.feed(tickets, policy, on_report=reports.append),
        ...                          now=opened + timedelta(hours=1))
        >>> [(ticket, status.resolution.state) for ticket, status in statuses]
        [(1, 'running')]
        >>> [report.skipped for report in reports]
        [None, "ends in status 'Spam', which the status map ignores"]
        """
        tickets = source.tickets() if isinstance(source, TicketSource) else iter(source)
        applied: dict[int, tuple[SlaPolicy, SlaPolicy]] = {}
        for ticket in tickets:
            timeline = self.build(ticket)
            if on_report is not None:
                on_report(timeline.report)
            if timeline.report.skipped is not None:
                continue
            chosen = policy(ticket) if callable(policy) else policy
            kept = applied.get(id(chosen))
            if kept is None or kept[0] is not chosen:
                if len(applied) >= _POLICIES_KEPT:
                    applied.clear()
                kept = applied[id(chosen)] = (chosen, self.statuses.apply(chosen))
            yield ticket.id, kept[1], timeline.events


class _Run:
    """One ticket being built: the state, the events and the notes so far."""

    def __init__(self, builder: TimelineBuilder, ticket: HostTicket) -> None:
        self.builder = builder
        self.ticket = ticket
        self.start = ticket.starts_at
        self.events: list[TicketEvent] = []
        self.origins: list[HostRecord | None] = []
        self.notes: list[RecordNote] = []
        self.opening: HostRecord | None = None

    def note(self, record: HostRecord, action: NoteAction, reason: str) -> None:
        self.notes.append(RecordNote(record, action, reason))

    def status_name(self, record: HostRecord | None, status: HostId) -> tuple[str, str]:
        """The timeline name and the category of ``status``, or raise naming where it was."""
        try:
            return self.builder.statuses.name(status), self.builder.statuses.category(status)
        except UnknownStatusError as exc:
            where = "its opening status" if record is None else record.describe()
            msg = f"ticket {self.ticket.id!r}, {where}: {exc}"
            raise UnknownStatusError(msg) from None

    def author(self, record: HostRecord) -> str:
        kind = self.builder.classify_author(record)
        if kind not in AUTHOR_KINDS:
            msg = (
                f"classify_author returned {kind!r} for ticket {self.ticket.id!r}, "
                f"{record.describe()}: it must be one of {', '.join(sorted(AUTHOR_KINDS))}"
            )
            raise InvalidArgumentError(msg)
        return kind

    def timeline(self) -> Timeline:
        ticket = self.ticket
        records = sorted(
            enumerate(ticket.records),
            key=lambda item: (item[1].at, item[1].sequence, item[0]),
        )
        ordered = [record for _, record in records]
        self.opening = opening = self._opening(ordered)
        name, category = self.status_name(None, ticket.opened_status)
        state = _State(name, ticket.opened_hold, ticket.opened_queue, ticket.opened_priority)
        skipped = None
        if category == "ignored":
            skipped = f"opened in status {name!r}, which the status map ignores"
        clamped_comments, later = self._split(ordered, opening, state)
        self.events.append(TicketCreated(self.start, status=state.status, priority=state.priority))
        self.origins.append(None)
        state.paused = self.builder.pauses.pauses(hold=state.hold, queue=state.queue)
        if state.paused:
            self.events.append(SlaPaused(self.start))
            self.origins.append(None)
        for record in clamped_comments:
            self._comment(record, clamp=True)
        for record in later:
            self._record(record, state)
        if skipped is None:
            skipped = self._final_skip()
        report = TimelineReport(
            ticket_id=ticket.id,
            notes=tuple(self.notes),
            mismatches=self._mismatches(state),
            skipped=skipped,
        )
        return Timeline(ticket.id, tuple(self.events), tuple(self.origins), report)

    def _split(
        self, ordered: list[HostRecord], opening: HostRecord | None, state: _State
    ) -> tuple[list[HostRecord], list[HostRecord]]:
        """Fold the records before the start into ``state``; the comments to clamp, the rest."""
        clamped_comments: list[HostRecord] = []
        later: list[HostRecord] = []
        for record in ordered:
            if record is opening:
                self.note(
                    record, "opening", "the ticket's opening record: its comment is the request"
                )
            if record.merged_from is not None:
                if record.at < self.start:
                    self.note(record, "dropped", self._merged_reason(record, before=True))
                else:
                    later.append(record)
            elif record.at < self.start:
                before = (
                    "before the ticket's creation"
                    if record.at < self.ticket.created_at
                    else "before the SLA applied (measure_from)"
                )
                if self.builder.early == "drop":
                    self.note(record, "dropped", f"{before}: dropped (early='drop')")
                    continue
                self.note(record, "clamped", f"{before}: moved to the start")
                self._change(record, state, at_start=True)
                if record.comment is not None and record is not opening:
                    clamped_comments.append(record)
            else:
                later.append(record)
        return clamped_comments, later

    def _opening(self, ordered: list[HostRecord]) -> HostRecord | None:
        tolerance = self.builder.opening_tolerance
        created = self.ticket.created_at
        for record in ordered:
            if record.at - created > tolerance:
                return None
            if (
                record.comment is not None
                and record.merged_from is None
                and created - record.at <= tolerance
            ):
                return record
        return None

    def _merged_reason(self, record: HostRecord, *, before: bool) -> str:
        if before:
            return (
                f"moved from merged ticket {record.merged_from!r} and before this ticket's "
                "start: it belongs to the other ticket's life"
            )
        return (
            f"moved from merged ticket {record.merged_from!r}: its status, hold, queue and "
            "priority were the other ticket's"
        )

    def _change(self, record: HostRecord, state: _State, *, at_start: bool) -> None:
        """Apply a record's changes to ``state`` (at the start: no events, they set its state)."""
        if record.status is not None:
            name, category = self.status_name(record, record.status)
            if category == "ignored":
                self.note(record, "ignored", f"status {name!r} is ignored by the status map")
            else:
                state.status = name
                if not at_start:
                    self._emit(StatusChanged(record.at, name), record)
        if record.hold is not None:
            state.hold = record.hold
        if record.queue is not None:
            state.queue = record.queue
        if not at_start:
            paused = self.builder.pauses.pauses(hold=state.hold, queue=state.queue)
            if paused != state.paused:
                state.paused = paused
                self._emit((SlaPaused if paused else SlaResumed)(record.at), record)
        if record.priority is not None:
            state.priority = record.priority
            if not at_start:
                self._emit(PriorityChanged(record.at, record.priority), record)

    def _record(self, record: HostRecord, state: _State) -> None:
        used = len(self.events)
        ignored = len(self.notes)
        if record.comment is not None and record is not self.opening:
            self._comment(record, clamp=False)
        if record.merged_from is None:
            self._change(record, state, at_start=False)
        elif record.status is not None or record.hold is not None or record.queue is not None:
            self.note(record, "ignored", self._merged_reason(record, before=False))
        if len(self.events) == used and record is not self.opening:
            reason = (
                "every change it carried was left out"
                if len(self.notes) > ignored
                else "no change an SLA measures"
            )
            self.note(record, "dropped", reason)

    def _comment(self, record: HostRecord, *, clamp: bool) -> None:
        kind = self.author(record)
        if kind == "ignore":
            self.note(record, "ignored", "its comment: the author classifier said 'ignore'")
            return
        self._emit(
            CommentAdded(
                self.start if clamp else record.at,
                public=record.comment == "public",
                author=kind,  # type: ignore[arg-type]  # checked against AUTHOR_KINDS
            ),
            record,
        )

    def _emit(self, event: TicketEvent, record: HostRecord) -> None:
        self.events.append(event)
        self.origins.append(record)

    def _final_skip(self) -> str | None:
        final = self.ticket.final_status
        if final is None:
            return None
        name, category = self.status_name(None, final)
        if category == "ignored":
            return f"ends in status {name!r}, which the status map ignores"
        return None

    def _mismatches(self, state: _State) -> tuple[Mismatch, ...]:
        ticket = self.ticket
        found: list[Mismatch] = []
        if ticket.final_status is not None:
            name = self.builder.statuses.name(ticket.final_status)
            ignored = self.builder.statuses.category(ticket.final_status) == "ignored"
            if name != state.status and not ignored:
                found.append(Mismatch("status", state.status, name))
        if ticket.final_hold is not None and ticket.final_hold != state.hold:
            found.append(Mismatch("hold", state.hold, ticket.final_hold))
        if ticket.final_queue is not None and ticket.final_queue != state.queue:
            found.append(Mismatch("queue", state.queue, ticket.final_queue))
        return tuple(found)
