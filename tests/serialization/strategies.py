"""Hypothesis strategies for every model a document holds, and for hostile documents.

Built on the area strategies (``tests/contracts``, ``tests/pricing``,
``tests/sla``) and filled in with the fields those leave at their defaults,
so a round trip exercises every field of every model.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import holidays
from hypothesis import strategies as st

from contractcore.contracts import (
    Amendment,
    Attachment,
    Contract,
    ContractChange,
    ContractQuery,
    ContractStatus,
    ContractTemplate,
    LinkedRecord,
    Quote,
    QuoteStatus,
    Reminder,
    RenewalOptions,
    TicketRecord,
    TimeEntry,
    save_as_template,
)
from contractcore.money import Money
from contractcore.pricing import (
    AmendmentCause,
    BillingDay,
    Cause,
    Change,
    LineItem,
    PriceChange,
    PriceOverride,
    QuantityChange,
    RenewalCause,
    ScheduleCause,
    Service,
)
from contractcore.schedules import ScheduleTemplate
from contractcore.sla import (
    AssignTechnician,
    BusinessCalendar,
    ComposedCalendar,
    Notify,
    PriorityChanged,
    PriorityTargets,
    SetPriority,
    SlaPolicy,
    TicketEvent,
    evaluate,
)
from tests.contracts.strategies import contracts as plain_contracts
from tests.contracts.strategies import numberings
from tests.pricing.strategies import (
    alignments,
    amounts,
    billing_terms,
    dates,
    penalties,
    periods,
    schedules,
    services,
)
from tests.sla.strategies import build_calendar, calendar_definitions, policies, timelines

__all__ = [
    "HOSTILE_VALUES",
    "MODEL_STRATEGIES",
    "actions",
    "business_calendars",
    "composed_calendars",
    "contract_changes",
    "contract_queries",
    "contract_templates",
    "contracts",
    "hostile_documents",
    "line_items",
    "models",
    "quotes",
    "sla_policies",
    "sla_statuses",
    "ticket_events",
]

_TEXT = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12).filter(str.strip)
_IDS = st.sampled_from(["tech-7", "42", "Ünïcode ✓", "a" * 40])
_HOST_IDS = st.one_of(st.sampled_from(["P1", "tech-7"]), st.integers(-(2**53) + 1, 2**53 - 1))
_CURRENCIES = st.sampled_from(["USD", "EUR", "JPY", "KWD", "CHF"])
_INSTANTS = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2035, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
    ),
)
#: Decimals of every shape a document must carry exactly: scales, exponents, signs.
_DECIMALS = st.one_of(
    amounts(10_000, 2),
    st.decimals(
        min_value=Decimal("-1e20"),
        max_value=Decimal("1e20"),
        allow_nan=False,
        allow_infinity=False,
        places=None,
    ).filter(lambda d: d == 0 or (d.adjusted() < 29 and int(d.as_tuple().exponent) >= -28)),
    st.sampled_from([Decimal("1E+2"), Decimal("0E-7"), Decimal("-0"), Decimal("12.500")]),
)


def _moneys(currency: str = "USD") -> st.SearchStrategy[Money]:
    return st.builds(Money, amounts(100_000, 3), st.just(currency))


def business_calendars() -> st.SearchStrategy[BusinessCalendar]:
    """The SLA tests' calendars, plus special hours and a country's holidays."""
    country = st.sampled_from(
        [holidays.country_holidays("US", subdiv="NY"), holidays.country_holidays("GB")]
    )
    special = st.dictionaries(
        st.dates(date(2026, 1, 1), date(2026, 12, 31)),
        st.sampled_from([[(time(9), time(13))], [], [(time(10), time(11)), (time(14), time(15))]]),
        max_size=2,
    )
    return st.builds(
        lambda definition, special_hours, region: BusinessCalendar(
            definition.timezone,
            weekly_hours=definition.weekly_hours,
            holidays=definition.holidays if region is None else region,
            special_hours=special_hours,
        ),
        calendar_definitions(),
        special,
        st.none() | country,
    )


def composed_calendars() -> st.SearchStrategy[ComposedCalendar]:
    """Unions and intersections of one to three calendars, one level nested at most."""
    members = st.lists(business_calendars(), min_size=1, max_size=3)
    flat = st.builds(
        ComposedCalendar,
        st.sampled_from(["union", "intersection"]),
        members,
        st.sampled_from(["UTC", "Asia/Kathmandu", "America/New_York"]),
    )
    return flat | st.builds(
        lambda operation, inner, other: ComposedCalendar(operation, [inner, other]),
        st.sampled_from(["union", "intersection"]),
        flat,
        business_calendars(),
    )


_DURATIONS = st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=400))


_PRIORITY_TARGET_LISTS = st.lists(
    st.builds(
        PriorityTargets,
        priority=_HOST_IDS,
        response_within=st.none() | _DURATIONS,
        resolve_within=st.none() | _DURATIONS,
    ),
    max_size=3,
    unique_by=lambda t: t.priority,
)
_MAYBE_CALENDARS = st.none() | business_calendars() | composed_calendars()
_MAYBE_HOST_IDS = st.none() | _HOST_IDS
_DESCRIPTIONS = st.text(max_size=20)


@st.composite
def sla_policies(draw: st.DrawFn) -> SlaPolicy:
    """The SLA tests' policies with every field filled, sub-second targets included."""
    policy = draw(policies(draw(_MAYBE_CALENDARS)))
    return attrs.evolve(
        policy,
        description=draw(_DESCRIPTIONS),
        assign_to=draw(_MAYBE_HOST_IDS),
        reassign_on_breach_to=draw(_MAYBE_HOST_IDS),
        priority=draw(_MAYBE_HOST_IDS),
        warn_before=None,
        targets_by_priority=draw(_PRIORITY_TARGET_LISTS),
    )


def ticket_events() -> st.SearchStrategy[list[TicketEvent]]:
    """The SLA tests' timelines (zone-aware instants), with a priority change now and then."""
    return st.builds(
        lambda events, priority: (
            [*events, PriorityChanged(events[-1].at, priority)] if priority else events
        ),
        timelines(max_events=4),
        st.none() | _HOST_IDS,
    )


@st.composite
def sla_statuses(draw: st.DrawFn) -> Any:
    """Statuses the engine computes: a policy with routing, a timeline, a ``now``."""
    definition = draw(calendar_definitions())
    policy = draw(policies(build_calendar(definition)))
    policy = attrs.evolve(
        policy, assign_to="tech-7", reassign_on_breach_to=9, priority=draw(st.none() | _HOST_IDS)
    )
    if draw(st.booleans()):  # the metrics of DESIGN 3.7: cycles and status times
        policy = attrs.evolve(
            policy,
            warn_before=None,
            next_reply_within=timedelta(minutes=30),
            update_every=timedelta(hours=2),
            requester_wait_statuses={"Waiting on Customer"},
            agent_work_statuses={"Open"},
            agent_work_within=timedelta(hours=3),
        )
    events = draw(timelines(max_events=4))
    offset = draw(st.integers(0, 60 * 24 * 3))
    return evaluate(policy, events, events[-1].at + timedelta(minutes=offset))


def actions() -> st.SearchStrategy[Any]:
    """Any action the engine may ask of a host."""
    return st.one_of(
        st.builds(
            AssignTechnician,
            at=_INSTANTS,
            technician=_HOST_IDS,
            reason=st.sampled_from(["policy", "breach"]),
            target=st.sampled_from([None, "response", "resolution"]),
        ),
        st.builds(SetPriority, at=_INSTANTS, priority=_HOST_IDS),
        st.builds(
            Notify,
            at=_INSTANTS,
            kind=st.sampled_from(["warning", "breach"]),
            target=st.sampled_from(["response", "resolution"]),
        ),
    )


# Built once: building strategies inside a draw is what makes hypothesis slow.
_PLAIN_CONTRACTS = plain_contracts()
_SERVICE_COUNTS = st.integers(0, 3)
_SHORT_TEXT = st.text(max_size=20)
_SCHEDULE_LISTS = st.lists(schedules(("s-0", "s-1")), max_size=2)
_USD_PENALTIES = penalties("USD")
_MAYBE_USD = st.none() | st.builds(Money, amounts(100_000, 3), st.just("USD"))
_MAYBE_IDS = st.none() | _IDS
_MAYBE_DATES = st.none() | dates()
_REMINDER_LISTS = st.lists(
    st.builds(Reminder, on=dates(), text=_TEXT, assignee_id=_MAYBE_IDS), max_size=2
)
_ATTACHMENT_LISTS = st.lists(
    st.builds(Attachment, name=_TEXT, media_type=_TEXT, storage_key=_TEXT), max_size=2
)
_OVERRIDE_LISTS = st.lists(
    st.builds(
        PriceOverride,
        st.sampled_from(["p", "labor"]),
        st.builds(Money, amounts(100_000, 3), st.just("USD")),
    ),
    max_size=2,
)
_BLOCKLISTS = st.frozensets(st.sampled_from(["x", "y", "z"]))
_COUNTS = st.integers(0, 5)
#: How far before its start date a renewed contract first started.
_DAYS_BEFORE = st.integers(0, 800).map(lambda days: timedelta(days=days))


@st.composite
def contracts(draw: st.DrawFn) -> Contract:
    """The contract tests' contracts with services, schedules, penalty and every extra filled."""
    contract = draw(_PLAIN_CONTRACTS)
    service_list = [
        attrs.evolve(draw(services(f"s-{index}")), description=draw(_SHORT_TEXT))
        for index in range(draw(_SERVICE_COUNTS))
    ]
    months = {service.billing_period_months for service in service_list}
    billing = draw(billing_terms(months.pop() if len(months) == 1 else None))
    renewal = contract.renewal
    if renewal is not None and draw(st.booleans()):
        renewal = RenewalOptions(
            term_months=renewal.term_months,
            penalty=draw(_USD_PENALTIES),
            schedules=tuple(draw(_SCHEDULE_LISTS)),
        )
    return attrs.evolve(
        contract,
        renewal=renewal,
        renewal_count=draw(_COUNTS),
        first_start_date=draw(st.none() | _DAYS_BEFORE.map(lambda d: contract.start_date - d)),
        estimated_value=draw(_MAYBE_USD),
        primary_contact_id=draw(_MAYBE_IDS),
        description=draw(_SHORT_TEXT),
        notes=draw(_SHORT_TEXT),
        assigned_technician_id=draw(_MAYBE_IDS),
        sla_policy_id=draw(_MAYBE_IDS),
        reminders=tuple(draw(_REMINDER_LISTS)),
        attachments=tuple(draw(_ATTACHMENT_LISTS)),
        created_on=draw(_MAYBE_DATES),
        services=tuple(service_list),
        price_overrides=tuple(draw(_OVERRIDE_LISTS)),
        blocklist=draw(_BLOCKLISTS),
        schedules=tuple(draw(_SCHEDULE_LISTS)),
        penalty=draw(_USD_PENALTIES),
        billing=billing,
    )


@functools.cache
def contract_templates() -> st.SearchStrategy[ContractTemplate]:
    """Templates saved from generated contracts."""
    return st.builds(save_as_template, contracts(), _TEXT)


def contract_changes() -> st.SearchStrategy[ContractChange]:
    """Changes that keep a generated contract's terms."""
    return contracts().map(ContractChange.from_contract)


@st.composite
def quotes(draw: st.DrawFn) -> Quote:
    """Plain quotes, quotes for a new contract, and re-quotes."""
    shape = draw(st.sampled_from(["plain", "new", "change"]))
    status = draw(st.sampled_from(QuoteStatus))
    if shape == "new":
        return Quote(
            id="q-1",
            customer_id="42",
            status=status,
            proposal=draw(contract_templates()),
            start_date=draw(dates()),
        )
    if shape == "change":
        return Quote(
            id="q-2",
            customer_id="42",
            status=status,
            contract_id="c-1",
            change=draw(contract_changes()),
        )
    return Quote(id="q-3", customer_id="42", status=status)


def contract_queries() -> st.SearchStrategy[ContractQuery]:
    """Search criteria with any combination of criteria."""
    maybe_dates = st.none() | dates()
    return st.builds(
        ContractQuery,
        ids=st.none() | st.frozensets(_IDS),
        numbers=st.none() | st.frozensets(_IDS),
        statuses=st.none() | st.frozensets(st.sampled_from(ContractStatus)),
        term_months=st.none() | st.frozensets(st.integers(1, 60)),
        start_from=maybe_dates,
        start_to=maybe_dates,
        end_from=maybe_dates,
        end_to=maybe_dates,
        customer_ids=st.none() | st.frozensets(_IDS),
        created_from=maybe_dates,
        created_to=maybe_dates,
    )


def line_items() -> st.SearchStrategy[LineItem]:
    """Line items with exact unit prices and rounded totals, in any currency."""
    return _CURRENCIES.flatmap(
        lambda currency: st.builds(
            lambda quantity, price, source, text: LineItem(
                product_id="p",
                quantity=quantity,
                unit_price=price,
                price_source=source,
                total=(price * quantity).rounded(),
                description=text,
            ),
            _DECIMALS.map(abs),
            _moneys(currency),
            st.sampled_from(["contract", "manual", "list"]),
            st.text(max_size=10),
        )
    )


#: A strategy for every class a document can hold, by class name.
_CAUSES: st.SearchStrategy[Cause] = st.one_of(
    st.builds(ScheduleCause, schedule=st.integers(0, 5), event=st.integers(0, 5), name=_TEXT),
    st.builds(AmendmentCause, reason=_TEXT),
    st.builds(RenewalCause, schedule=st.integers(0, 5), event=st.integers(0, 5), name=_TEXT),
)


_BILLED = st.none() | st.integers(-1, 900)


@st.composite
def services_with_history(draw: st.DrawFn) -> Service:
    """A service, and when it was invoiced, a history of changes up to its watermark."""
    service = draw(services())
    billed = draw(_BILLED)
    if billed is not None:
        service = attrs.evolve(service, billed_through=service.start_date + timedelta(days=billed))
    mark = service.applied_up_to
    if mark is None or mark < service.start_date:
        return service
    days = sorted(draw(st.lists(st.integers(0, (mark - service.start_date).days), max_size=4)))
    price, quantity = service.unit_price, service.quantity
    history: list[Change] = []
    for offset in days:
        on = service.start_date + timedelta(days=offset)
        cause = draw(_CAUSES)
        if draw(st.booleans()):
            new_price = Money(draw(amounts(1_000, 4)), price.currency)
            history.append(PriceChange(on=on, before=price, after=new_price, cause=cause))
            price = new_price
        else:
            new_quantity = draw(_DECIMALS.filter(lambda d: d >= 0))
            history.append(QuantityChange(on=on, before=quantity, after=new_quantity, cause=cause))
            quantity = new_quantity
    return attrs.evolve(service, unit_price=price, quantity=quantity, history=history)


MODEL_STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    # The contract family (templates, changes, quotes, renewal options) is
    # drawn once per contract in its own test: contracts are costly to draw.
    "ContractQuery": contract_queries(),
    "ContractNumbering": numberings(),
    "Reminder": st.builds(Reminder, on=dates(), text=_TEXT, assignee_id=st.none() | _IDS),
    "Attachment": st.builds(Attachment, name=_TEXT, media_type=_TEXT, storage_key=_TEXT),
    "Service": services_with_history(),
    "BillingTerms": billing_terms(),
    "BillingDay": alignments().filter(lambda a: isinstance(a, BillingDay)),
    "Amendment": st.builds(
        Amendment,
        service_id=_IDS,
        on=dates(),
        reason=_TEXT,
        unit_price=_moneys("EUR"),
        quantity=st.none() | amounts(100, 0),
    ),
    "PriceOverride": st.builds(PriceOverride, _TEXT, _moneys("EUR")),
    "LineItem": line_items(),
    "Period": periods(),
    "Schedule": schedules(("s-1", "s-2")),
    "UpdateEvent": schedules().map(lambda s: s.events[0]),
    "ScheduleTemplate": st.builds(
        ScheduleTemplate, name=_TEXT, schedules=st.lists(schedules(), max_size=2)
    ),
    "Penalty": penalties("KWD"),
    "Money": st.builds(Money, _DECIMALS, _CURRENCIES),
    "SlaPolicy": sla_policies(),
    "PriorityTargets": st.builds(
        PriorityTargets,
        priority=_HOST_IDS,
        response_within=st.none() | _DURATIONS,
        resolve_within=st.none() | _DURATIONS,
    ),
    "BusinessCalendar": business_calendars(),
    "ComposedCalendar": composed_calendars(),
    "TicketEvent": ticket_events().flatmap(st.sampled_from),
    "SlaStatus": sla_statuses(),
    "Action": actions(),
    "LinkedRecord": st.builds(
        LinkedRecord, id=_IDS, customer_id=st.none() | _IDS, contract_id=st.none() | _IDS
    ),
    "TicketRecord": st.builds(TicketRecord, id=_IDS, contract_id=st.none() | _IDS, status=_TEXT),
    "TimeEntry": st.builds(
        TimeEntry, ticket_id=_IDS, contract_id=st.none() | _IDS, duration=_DURATIONS
    ),
}


@functools.cache
def models() -> st.SearchStrategy[Any]:
    """One instance of any model a document can hold."""
    return st.one_of(*MODEL_STRATEGIES.values())


#: Values that must never pass as something else, nor crash a reader.
HOSTILE_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    2**53,
    10**10000,
    1.5,
    float("nan"),
    float("inf"),
    "",
    "x",
    "9" * 10**6,
    "1e999999",
    "NaN",
    "-Infinity",
    "2026-13-45",
    "2026-05-04T10:00:00",
    "2026-05-04",
    "PT",
    "P1Y",
    "USX",
    "usd",
    [],
    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
    {},
    {"type": "bogus"},
    {"amount": "1", "currency": "USD"},
    Decimal("1"),
    date(2026, 1, 1),
)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if len(path) > 40:
        return found
    if isinstance(data, dict):
        for key, item in data.items():
            found += _paths(item, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found += _paths(item, (*path, index))
    return found


def _replace(data: Any, path: tuple[Any, ...], change: Any) -> Any:
    if not path:
        return change(data)
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replace(data[path[0]], path[1:], change)
    return copy


def _stringify(value: Any) -> Any:
    """A scalar as text (``3`` -> ``"3"``, ``None`` -> ``"None"``); containers stay."""
    if isinstance(value, dict | list) or (type(value) is int and value.bit_length() > 64):
        return value
    return str(value)


def _deep(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = {"nested": [value]}
    return value


@st.composite
def hostile_documents(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with one to three hostile mutations anywhere in it."""
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(document)))
        mutation = draw(
            st.sampled_from(["value", "drop", "add", "wrap", "deep", "stringify", "negate"])
        )
        if mutation == "value":
            value = draw(st.sampled_from(HOSTILE_VALUES))
            document = _replace(document, path, lambda _old, value=value: value)
        elif mutation == "drop":
            document = _replace(
                document,
                path,
                lambda old: (
                    {k: v for i, (k, v) in enumerate(old.items()) if i != len(old) // 2}
                    if isinstance(old, dict)
                    else old[1:]
                    if isinstance(old, list)
                    else old
                ),
            )
        elif mutation == "add":
            key = draw(st.sampled_from(["zz", "type", "schema", "amount", "__class__"]))
            extra = draw(st.sampled_from(HOSTILE_VALUES))
            document = _replace(
                document,
                path,
                lambda old, key=key, extra=extra: (
                    {**old, key: extra}
                    if isinstance(old, dict)
                    else [*old, extra]
                    if isinstance(old, list)
                    else old
                ),
            )
        elif mutation == "wrap":
            document = _replace(document, path, lambda old: [old])
        elif mutation == "deep":
            levels = draw(st.sampled_from([5, 40, 5000]))
            document = _replace(document, path, lambda _old, levels=levels: _deep(levels))
        elif mutation == "stringify":
            document = _replace(document, path, _stringify)
        else:
            document = _replace(
                document,
                path,
                lambda old: (
                    -old if type(old) is int else f"-{old}" if isinstance(old, str) else old
                ),
            )
    return document
