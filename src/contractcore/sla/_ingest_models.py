"""The models of ticket ingestion: what a host gives and what it gets back (private).

A host describes each ticket as a :class:`HostTicket` holding its
:class:`HostRecord` items (one per follow-up, audit row or change of its own
help desk). A :class:`StatusMap` says what each host status means to an SLA,
:class:`PauseRules` which flags and queues pause the clocks. The timeline
builder (:mod:`contractcore.sla._ingest`) turns them into the events the
engine replays and a report (:mod:`contractcore.sla._ingest_report`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal, TypeAlias, cast

import attrs

from contractcore.errors import InvalidArgumentError, UnknownStatusError
from contractcore.sla._checks import check_aware, check_host_id, check_text
from contractcore.sla.policy import SlaPolicy

__all__ = [
    "AUTHOR_KINDS",
    "CATEGORIES",
    "AuthorKind",
    "Category",
    "HostId",
    "HostRecord",
    "HostTicket",
    "NoteAction",
    "PauseRules",
    "StatusMap",
]

#: What a host status means to an SLA.
Category: TypeAlias = Literal["open", "paused", "resolved", "ignored"]
#: The categories a :class:`StatusMap` maps statuses to.
CATEGORIES: frozenset[str] = frozenset({"open", "paused", "resolved", "ignored"})
#: Who wrote a comment, as an author classifier answers: ``"ignore"`` leaves the comment out.
AuthorKind: TypeAlias = Literal["agent", "customer", "automation", "ignore"]
#: The answers an author classifier may give.
AUTHOR_KINDS: frozenset[str] = frozenset({"agent", "customer", "automation", "ignore"})
#: A host's id for a ticket, a status, a queue or a priority.
HostId: TypeAlias = str | int
#: What the builder did with a record it did not take as it came.
NoteAction: TypeAlias = Literal["opening", "clamped", "dropped", "ignored"]


def _key(value: HostId, case_sensitive: bool) -> HostId:
    """The lookup key of a status or queue: names compare case-insensitively unless told."""
    if isinstance(value, str) and not case_sensitive:
        return value.casefold()
    return value


def _check_id(name: str, value: Any) -> None:
    if value is None or isinstance(value, bool):
        msg = f"{name} must be a non-empty string or an int, got {value!r}"
        raise InvalidArgumentError(msg)
    check_host_id(name, value)


def _categories(value: Any) -> tuple[tuple[HostId, str], ...]:
    if not isinstance(value, Mapping):
        msg = f"StatusMap.categories must be a mapping of status to category, got {value!r}"
        raise InvalidArgumentError(msg)
    return tuple(value.items())


def _names(value: Any) -> tuple[tuple[HostId, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        msg = f"StatusMap.names must be a mapping of status to name, got {value!r}"
        raise InvalidArgumentError(msg)
    return tuple(value.items())


def _bool(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        msg = f"{type(instance).__name__}.{attribute.name} must be a bool, got {value!r}"
        raise InvalidArgumentError(msg)


@attrs.frozen
class StatusMap:
    """What each host status means to an SLA: ``open``, ``paused``, ``resolved`` or ``ignored``.

    Keys are the host's status names or codes. Names match case-insensitively
    unless ``case_sensitive=True``; codes (ints) match exactly. The timeline
    carries each status under its *name*: a string key as written here, a
    code under ``names[code]`` (else its digits). ``ignored`` statuses are
    left out of timelines (a ticket that ends in one is not measured: a
    duplicate, spam).

    Args:
        categories: host status (name or code) to category.
        names: the display name of a status code (``{1: "Open"}``).
        case_sensitive: match status names exactly.

    Raises:
        InvalidArgumentError: an unknown category, a status listed twice (up
            to case), one name in two categories, no ``resolved`` status.

    >>> statuses = StatusMap(
    ...     {1: "open", 3: "resolved", 5: "ignored"}, names={1: "Open", 3: "Resolved"}
    ... )
    >>> statuses.category(3), statuses.name(3), statuses.name(5)
    ('resolved', 'Resolved', '5')
    >>> StatusMap({"Open": "open", "Solved": "resolved"}).category("SOLVED")
    'resolved'
    >>> StatusMap({"Open": "open", "Solved": "resolved"}).category("Pending")
    Traceback (most recent call last):
    ...
    contractcore.errors.UnknownStatusError: status 'Pending' is not in the status map ...
    """

    categories: tuple[tuple[HostId, str], ...] = attrs.field(converter=_categories)
    names: tuple[tuple[HostId, str], ...] = attrs.field(
        default=None, converter=_names, kw_only=True
    )
    case_sensitive: bool = attrs.field(default=False, validator=_bool, kw_only=True)
    _lookup: dict[HostId, tuple[str, Category]] = attrs.field(
        init=False, repr=False, eq=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        names: dict[HostId, str] = {}
        for status, name in self.names:
            _check_id("StatusMap.names key", status)
            check_text(f"StatusMap.names[{status!r}]", name)
            names[_key(status, self.case_sensitive)] = name
        by_name: dict[str, str] = {}
        for status, category in self.categories:
            _check_id("StatusMap.categories key", status)
            if category not in CATEGORIES:
                msg = (
                    f"StatusMap.categories[{status!r}] must be one of "
                    f"{', '.join(sorted(CATEGORIES))}, got {category!r}"
                )
                raise InvalidArgumentError(msg)
            key = _key(status, self.case_sensitive)
            if key in self._lookup:
                msg = f"StatusMap.categories lists status {status!r} twice"
                raise InvalidArgumentError(msg)
            name = names.pop(key, status if isinstance(status, str) else str(status))
            if by_name.setdefault(name, category) != category:
                msg = (
                    f"StatusMap: status name {name!r} is both {by_name[name]!r} and "
                    f"{category!r}: the timeline could not tell them apart"
                )
                raise InvalidArgumentError(msg)
            self._lookup[key] = (name, cast("Category", category))
        if names:
            msg = f"StatusMap.names names statuses not in categories: {sorted(map(str, names))}"
            raise InvalidArgumentError(msg)
        if "resolved" not in by_name.values():
            msg = "StatusMap.categories must map at least one status to 'resolved'"
            raise InvalidArgumentError(msg)

    def _entry(self, status: Any) -> tuple[str, Category]:
        try:
            return self._lookup[_key(status, self.case_sensitive)]
        except (KeyError, TypeError):
            known = ", ".join(repr(key) for key, _ in self.categories)
            msg = f"status {status!r} is not in the status map (it knows {known})"
            raise UnknownStatusError(msg) from None

    def category(self, status: HostId) -> Category:
        """The category of a host status; an unknown one raises :class:`UnknownStatusError`."""
        return self._entry(status)[1]

    def name(self, status: HostId) -> str:
        """The name the timeline gives a host status (its spelling in the map)."""
        return self._entry(status)[0]

    def names_in(self, category: Category) -> frozenset[str]:
        """The status names of one category.

        >>> statuses = StatusMap({"Open": "open", "Solved": "resolved", "Closed": "resolved"})
        >>> sorted(statuses.names_in("resolved"))
        ['Closed', 'Solved']
        """
        return frozenset(name for name, kind in self._lookup.values() if kind == category)

    def apply(self, policy: SlaPolicy) -> SlaPolicy:
        """``policy`` with its pause and resolved statuses taken from this map.

        The map is the one place that says what a status means, so the
        policy's own ``pause_statuses`` and ``resolved_statuses`` are replaced.

        >>> from datetime import timedelta
        >>> gold = SlaPolicy(name="Gold", resolve_within=timedelta(hours=8))
        >>> statuses = StatusMap({"Open": "open", "Waiting": "paused", "Done": "resolved"})
        >>> applied = statuses.apply(gold)
        >>> sorted(applied.pause_statuses), sorted(applied.resolved_statuses)
        (['Waiting'], ['Done'])
        """
        return attrs.evolve(
            policy,
            pause_statuses=self.names_in("paused"),
            resolved_statuses=self.names_in("resolved"),
        )


def _queues(value: Any) -> frozenset[HostId]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        msg = f"PauseRules.queues must be a set of queue ids, got {value!r}"
        raise InvalidArgumentError(msg)
    queues = frozenset(value)
    for queue in queues:
        _check_id("PauseRules.queues item", queue)
    return queues


@attrs.frozen(kw_only=True)
class PauseRules:
    """What pauses the clocks besides a status: the hold flag, and the pause queues.

    Args:
        on_hold: a ticket on hold is paused (set False if the flag means
            something else on your help desk).
        queues: ticket queues whose tickets are paused (``{"Vendor"}``).
        case_sensitive: match queue names exactly (ids always match exactly).

    >>> rules = PauseRules(queues={"Vendor"})
    >>> rules.pauses(hold=False, queue="vendor"), rules.pauses(hold=True, queue="Support")
    (True, True)
    """

    on_hold: bool = attrs.field(default=True, validator=_bool)
    queues: frozenset[HostId] = attrs.field(default=frozenset(), converter=_queues)
    case_sensitive: bool = attrs.field(default=False, validator=_bool)

    def pauses(self, *, hold: bool, queue: HostId | None) -> bool:
        """Whether a ticket with this hold flag in this queue is paused."""
        if hold and self.on_hold:
            return True
        if queue is None or not self.queues:
            return False
        key = _key(queue, self.case_sensitive)
        return any(_key(paused, self.case_sensitive) == key for paused in self.queues)


def _aware(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_aware(f"{type(instance).__name__}.{attribute.name}", value)


def _optional_aware(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _aware(instance, attribute, value)


def _optional_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _check_id(f"{type(instance).__name__}.{attribute.name}", value)


def _optional_bool(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _bool(instance, attribute, value)


def _comment(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in (None, "public", "private"):
        msg = f"HostRecord.comment must be 'public', 'private' or None, got {value!r}"
        raise InvalidArgumentError(msg)


def _sequence(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        msg = f"HostRecord.sequence must be an int, got {value!r}"
        raise InvalidArgumentError(msg)


@attrs.frozen(kw_only=True)
class HostRecord:
    """One entry of a host's ticket history: a follow-up, an audit row, a change.

    A record may carry several changes made at one instant (a reply that
    also resolves the ticket). Fields left None did not change.

    Args:
        at: when the host recorded it.
        sequence: the host's order of records at one instant (a row id);
            records at one instant are ordered by it, then as given.
        key: the host's id of the record, shown in reports.
        comment: ``"public"`` (the customer sees it), ``"private"`` (an
            internal note), or None (no comment).
        author: whatever the host's author classifier needs to decide who
            wrote the comment (a user, an e-mail header, the host's row).
        status: the status the ticket moved to (a name or code of the status map).
        hold: the hold flag set (True) or cleared (False).
        queue: the queue the ticket moved to.
        priority: the priority the ticket got.
        merged_from: the id of the ticket this record was moved from by a merge.

    >>> from datetime import UTC, datetime
    >>> HostRecord(at=datetime(2026, 5, 4, 10, 5, tzinfo=UTC), comment="public").status is None
    True
    """

    at: datetime = attrs.field(validator=_aware)
    sequence: int = attrs.field(default=0, validator=_sequence)
    key: HostId | None = attrs.field(default=None, validator=_optional_id)
    comment: Literal["public", "private"] | None = attrs.field(default=None, validator=_comment)
    author: Any = attrs.field(default=None)
    status: HostId | None = attrs.field(default=None, validator=_optional_id)
    hold: bool | None = attrs.field(default=None, validator=_optional_bool)
    queue: HostId | None = attrs.field(default=None, validator=_optional_id)
    priority: HostId | None = attrs.field(default=None, validator=_optional_id)
    merged_from: HostId | None = attrs.field(default=None, validator=_optional_id)

    def describe(self) -> str:
        """The record as a report names it: its key, else its instant."""
        if self.key is not None:
            return f"record {self.key!r} at {self.at.isoformat()}"
        return f"record at {self.at.isoformat()}"


def _records(value: Any) -> tuple[HostRecord, ...]:
    if not isinstance(value, Iterable):
        msg = f"HostTicket.records must be an iterable of HostRecord, got {value!r}"
        raise InvalidArgumentError(msg)
    records = tuple(value)
    for index, record in enumerate(records):
        if not isinstance(record, HostRecord):
            msg = f"HostTicket.records[{index}] must be a HostRecord, got {record!r}"
            raise InvalidArgumentError(msg)
    return records


@attrs.frozen(kw_only=True)
class HostTicket:
    """A host's ticket: how it was opened, its records, and its state now.

    Args:
        id: the host's ticket id.
        created_at: when the ticket was created.
        opened_status: its status at creation.
        opened_hold: whether it was created on hold.
        opened_queue: its queue at creation.
        opened_priority: its priority at creation.
        records: its history, in any order.
        measure_from: when the SLA began to apply, if after the creation
            (the contract started later, the help desk adopted SLAs later):
            the timeline starts there, in the state the ticket was then in.
        final_status: its status now, as the host stores it (None: not checked).
        final_hold: its hold flag now (None: not checked).
        final_queue: its queue now (None: not checked).
    """

    id: HostId = attrs.field(validator=_optional_id)
    created_at: datetime = attrs.field(validator=_aware)
    opened_status: HostId = attrs.field(validator=_optional_id)
    opened_hold: bool = attrs.field(default=False, validator=_bool)
    opened_queue: HostId | None = attrs.field(default=None, validator=_optional_id)
    opened_priority: HostId | None = attrs.field(default=None, validator=_optional_id)
    records: tuple[HostRecord, ...] = attrs.field(default=(), converter=_records)
    measure_from: datetime | None = attrs.field(default=None, validator=_optional_aware)
    final_status: HostId | None = attrs.field(default=None, validator=_optional_id)
    final_hold: bool | None = attrs.field(default=None, validator=_optional_bool)
    final_queue: HostId | None = attrs.field(default=None, validator=_optional_id)

    def __attrs_post_init__(self) -> None:
        if self.id is None:
            msg = "HostTicket.id must be a non-empty string or an int, got None"
            raise InvalidArgumentError(msg)
        if self.opened_status is None:
            msg = "HostTicket.opened_status must be a status, got None"
            raise InvalidArgumentError(msg)

    @property
    def starts_at(self) -> datetime:
        """Where the timeline starts: the creation, or ``measure_from`` if later."""
        if self.measure_from is not None and self.measure_from > self.created_at:
            return self.measure_from
        return self.created_at
