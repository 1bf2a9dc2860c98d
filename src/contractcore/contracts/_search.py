"""Search criteria and reports as pure functions over iterables of contracts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType

import attrs

from contractcore.contracts import _validators as v
from contractcore.contracts._model import Contract, ContractStatus
from contractcore.errors import InvalidArgumentError

__all__ = [
    "ContractQuery",
    "ContractSupportTime",
    "ContractTickets",
    "CustomerContracts",
    "TicketRecord",
    "TimeEntry",
    "contracts_per_customer",
    "search_contracts",
    "support_time_per_contract",
    "tickets_per_contract",
]


def _members(value: object, name: str) -> frozenset[object]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidArgumentError(f"{name} must be a collection, got {value!r}")
    try:
        return frozenset(value)
    except TypeError:
        raise InvalidArgumentError(f"{name} must hold hashable values, got {value!r}") from None


def _strings(value: Iterable[str] | str | None, name: str) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset((value,))
    members = _members(value, name)
    strings = frozenset(m for m in members if isinstance(m, str))
    if len(strings) != len(members):
        raise InvalidArgumentError(f"{name} must hold strings, got {value!r}")
    return strings


# One named converter per criterion, so the message names it: mypy's attrs
# plugin takes only named functions as converters (no functools.partial).
def _ids(value: Iterable[str] | str | None) -> frozenset[str] | None:
    return _strings(value, "ids")


def _numbers(value: Iterable[str] | str | None) -> frozenset[str] | None:
    return _strings(value, "numbers")


def _customer_ids(value: Iterable[str] | str | None) -> frozenset[str] | None:
    return _strings(value, "customer_ids")


def _statuses(value: Iterable[ContractStatus | str] | None) -> frozenset[ContractStatus] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = (value,)
    names = _strings(value, "statuses") or frozenset()
    try:
        return frozenset(ContractStatus(name) for name in names)
    except ValueError as exc:
        raise InvalidArgumentError(f"statuses has an unknown status: {exc}") from None


def _ints(value: Iterable[int] | None) -> frozenset[int] | None:
    if value is None:
        return None
    members = _members(value, "term_months")
    ints = frozenset(m for m in members if isinstance(m, int) and not isinstance(m, bool))
    if len(ints) != len(members):
        raise InvalidArgumentError(f"term_months must hold ints, got {value!r}")
    return ints


@attrs.frozen(kw_only=True)
class ContractQuery:
    """Search criteria: a contract matches when it meets every criterion given.

    A criterion left at None is not applied. Sets match any member; date
    ranges are inclusive; an open-ended contract never matches an
    ``end_*`` bound. ``created_*`` bounds filter on ``created_on`` (the
    tickets-per-contract report's "from/to" filter). The repository pushes
    the same criteria down to SQL.

    Attributes:
        ids: Contract ids.
        numbers: Contract numbers.
        statuses: Statuses (strings accepted).
        term_months: Term lengths in months.
        start_from: Earliest start date.
        start_to: Latest start date.
        end_from: Earliest end date.
        end_to: Latest end date.
        customer_ids: Customer ids.
        created_from: Earliest ``created_on`` (contracts without one never match).
        created_to: Latest ``created_on``.

    >>> from contractcore.contracts import Contract
    >>> c = Contract(id="c", number="N-1", customer_id="1", name="AV",
    ...              start_date=date(2026, 1, 1), term_months=12)
    >>> ContractQuery(term_months={12}, customer_ids={"1", "2"}).matches(c)
    True
    """

    ids: frozenset[str] | None = attrs.field(default=None, converter=_ids)
    numbers: frozenset[str] | None = attrs.field(default=None, converter=_numbers)
    statuses: frozenset[ContractStatus] | None = attrs.field(default=None, converter=_statuses)
    term_months: frozenset[int] | None = attrs.field(default=None, converter=_ints)
    start_from: date | None = attrs.field(default=None, validator=v.optional_calendar_date)
    start_to: date | None = attrs.field(default=None, validator=v.optional_calendar_date)
    end_from: date | None = attrs.field(default=None, validator=v.optional_calendar_date)
    end_to: date | None = attrs.field(default=None, validator=v.optional_calendar_date)
    customer_ids: frozenset[str] | None = attrs.field(default=None, converter=_customer_ids)
    created_from: date | None = attrs.field(default=None, validator=v.optional_calendar_date)
    created_to: date | None = attrs.field(default=None, validator=v.optional_calendar_date)

    def matches(self, contract: Contract) -> bool:
        """Tell whether ``contract`` meets every criterion."""
        end = contract.end_date
        checks = (
            self.ids is None or contract.id in self.ids,
            self.numbers is None or contract.number in self.numbers,
            self.statuses is None or contract.status in self.statuses,
            self.term_months is None or contract.term_months in self.term_months,
            self.customer_ids is None or contract.customer_id in self.customer_ids,
            _within(contract.start_date, self.start_from, self.start_to),
            (self.end_from is None and self.end_to is None)
            or (end is not None and _within(end, self.end_from, self.end_to)),
            (self.created_from is None and self.created_to is None)
            or (
                contract.created_on is not None
                and _within(contract.created_on, self.created_from, self.created_to)
            ),
        )
        return all(checks)


def _within(day: date, first: date | None, last: date | None) -> bool:
    return (first is None or first <= day) and (last is None or day <= last)


def search_contracts(contracts: Iterable[Contract], query: ContractQuery) -> tuple[Contract, ...]:
    """Return the contracts matching ``query``, in input order."""
    return tuple(c for c in contracts if query.matches(c))


@attrs.frozen(kw_only=True)
class CustomerContracts:
    """One row of :func:`contracts_per_customer`."""

    customer_id: str
    by_status: Mapping[ContractStatus, int]
    total: int


def contracts_per_customer(
    contracts: Iterable[Contract], query: ContractQuery | None = None
) -> tuple[CustomerContracts, ...]:
    """Count each customer's contracts by status (the "contracts per client" report).

    ``query`` filters the contracts first (for instance by status or start
    date range). Rows are sorted by customer id; statuses with no contract
    are left out of ``by_status``.

    >>> from contractcore.contracts import Contract
    >>> statuses = ["active", "active", "pending"]
    >>> cs = [Contract(id=str(i), number=f"N-{i}", customer_id="1", name="AV", status=s,
    ...                start_date=date(2026, 1, 1)) for i, s in enumerate(statuses)]
    >>> row, = contracts_per_customer(cs)
    >>> row.total, dict(row.by_status)
    (3, {<ContractStatus.PENDING: 'pending'>: 1, <ContractStatus.ACTIVE: 'active'>: 2})
    """
    counts: defaultdict[str, Counter[ContractStatus]] = defaultdict(Counter)
    for contract in contracts:
        if query is None or query.matches(contract):
            counts[contract.customer_id][contract.status] += 1
    return tuple(
        CustomerContracts(
            customer_id=customer,
            by_status=MappingProxyType(
                {s: counts[customer][s] for s in ContractStatus if counts[customer][s]}
            ),
            total=sum(counts[customer].values()),
        )
        for customer in sorted(counts)
    )


@attrs.frozen(kw_only=True)
class TicketRecord:
    """A ticket as the reports need it: its id, contract and current status."""

    id: str = attrs.field(validator=v.text)
    contract_id: str | None = attrs.field(validator=v.optional_text)
    status: str = attrs.field(validator=v.text)


@attrs.frozen(kw_only=True)
class ContractTickets:
    """One row of :func:`tickets_per_contract`."""

    contract_id: str
    by_status: Mapping[str, int]
    total: int


def tickets_per_contract(
    tickets: Iterable[TicketRecord], contract_ids: Iterable[str] | None = None
) -> tuple[ContractTickets, ...]:
    """Count each contract's tickets by ticket status.

    Tickets without a contract are left out; ``contract_ids`` keeps only
    those contracts (for instance the result of a :class:`ContractQuery`).
    Rows are sorted by contract id, statuses by name.
    """
    wanted = None if contract_ids is None else frozenset(contract_ids)
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for ticket in tickets:
        if ticket.contract_id is None or (wanted is not None and ticket.contract_id not in wanted):
            continue
        counts[ticket.contract_id][ticket.status] += 1
    return tuple(
        ContractTickets(
            contract_id=cid,
            by_status=MappingProxyType(dict(sorted(counts[cid].items()))),
            total=sum(counts[cid].values()),
        )
        for cid in sorted(counts)
    )


@attrs.frozen(kw_only=True)
class TimeEntry:
    """Time spent on a ticket, as the support time report needs it."""

    ticket_id: str = attrs.field(validator=v.text)
    contract_id: str | None = attrs.field(validator=v.optional_text)
    duration: timedelta = attrs.field(validator=v.instance(timedelta))


@attrs.frozen(kw_only=True)
class ContractSupportTime:
    """One row of :func:`support_time_per_contract`."""

    contract_id: str
    total: timedelta
    tickets: int


def support_time_per_contract(
    entries: Iterable[TimeEntry], top: int | None = None
) -> tuple[ContractSupportTime, ...]:
    """Total support time per contract, most time first (ties: contract id).

    ``top`` keeps only that many rows (the host's list length setting).
    Entries without a contract are left out.

    Raises:
        InvalidArgumentError: An entry has a negative duration, or ``top`` < 0.

    >>> rows = support_time_per_contract([
    ...     TimeEntry(ticket_id="t1", contract_id="c1", duration=timedelta(minutes=30)),
    ...     TimeEntry(ticket_id="t2", contract_id="c1", duration=timedelta(hours=1)),
    ...     TimeEntry(ticket_id="t3", contract_id="c2", duration=timedelta(hours=2)),
    ... ])
    >>> [(r.contract_id, str(r.total), r.tickets) for r in rows]
    [('c2', '2:00:00', 1), ('c1', '1:30:00', 2)]
    """
    if top is not None and top < 0:
        raise InvalidArgumentError(f"top must be >= 0, got {top}")
    totals: defaultdict[str, timedelta] = defaultdict(timedelta)
    tickets: defaultdict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.duration < timedelta(0):
            raise InvalidArgumentError(
                f"duration must be >= 0, got {entry.duration} on ticket {entry.ticket_id}"
            )
        if entry.contract_id is None:
            continue
        totals[entry.contract_id] += entry.duration
        tickets[entry.contract_id].add(entry.ticket_id)
    rows = sorted(
        (
            ContractSupportTime(contract_id=c, total=t, tickets=len(tickets[c]))
            for c, t in totals.items()
        ),
        key=lambda r: (-r.total, r.contract_id),
    )
    return tuple(rows if top is None else rows[:top])
