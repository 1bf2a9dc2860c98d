"""Documents, example by example: exact JSON, schema versions, and the messages of refusals."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from contractcore.contracts import Contract
from contractcore.errors import (
    NaiveDatetimeError,
    NaiveDatetimeInDocumentError,
    SerializationError,
)
from contractcore.money import Money
from contractcore.penalties import FixedPenalty, Penalty, TotalPercentPenalty
from contractcore.pricing import Service
from contractcore.schedules import CONTRACT_START, After, SetTo
from contractcore.serialization import (
    READABLE_SCHEMAS,
    SCHEMA,
    dumps,
    evaluate_document,
    from_data,
    from_document,
    loads,
    to_data,
    to_document,
)
from contractcore.sla import (
    CommentAdded,
    SlaPolicy,
    SlaStatus,
    StatusChanged,
    TargetStatus,
    TicketCreated,
    TicketEvent,
    evaluate,
)
from tests.serialization.samples import sample_contract, sample_events, sample_policy


def _contract_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(json.dumps(to_document(sample_contract())))
    return document


def _refusal(target: Any, document: Any) -> str:
    with pytest.raises(SerializationError) as caught:
        from_document(target, document)
    return str(caught.value)


# Exact JSON ---------------------------------------------------------------


def test_money_is_written_as_an_exact_string_amount_and_a_currency() -> None:
    assert dumps(Money("0.10", "USD")) == (
        '{"schema": "contractcore/2", "type": "Money", '
        '"data": {"amount": "0.10", "currency": "USD"}}'
    )


def test_a_version_1_document_reads_as_before() -> None:
    document = {
        "schema": "contractcore/1",
        "type": "Money",
        "data": {"amount": "0.10", "currency": "USD"},
    }
    assert from_document(Money, document) == Money("0.10", "USD")
    assert to_document(Money("0.10", "USD"))["schema"] == SCHEMA == "contractcore/2"
    assert READABLE_SCHEMAS == ("contractcore/1", "contractcore/2")


def test_a_service_is_written_field_by_field_under_its_init_names() -> None:
    service = Service(
        id="s-1",
        product_id="backup",
        unit_price=Money("20.00", "USD"),
        quantity=3,
        start_date=date(2026, 1, 31),
    )

    assert to_data(service) == {
        "id": "s-1",
        "product_id": "backup",
        "unit_price": {"amount": "20.00", "currency": "USD"},
        "quantity": "3",
        "billing_period_months": 1,
        "start_date": "2026-01-31",
        "end_date": None,
        "applied_up_to": None,
        "billed_through": None,
        "description": "",
        "history": [],
    }


def test_union_members_carry_a_type_tag() -> None:
    assert to_data(TotalPercentPenalty(Decimal("1.5"), Money(100, "EUR"))) == {
        "type": "total_percent",
        "percent": "1.5",
        "minimum": {"amount": "100", "currency": "EUR"},
    }
    assert to_data(After(months=6, from_=CONTRACT_START)) == {
        "type": "after",
        "days": None,
        "months": 6,
        "from": "contract_start",
    }
    assert to_data(SetTo(Decimal(5))) == {"type": "set_to", "value": "5"}


def test_a_ticket_event_keeps_its_utc_offset_and_reads_back_as_the_same_instant() -> None:
    at = datetime(2026, 5, 4, 12, 50, tzinfo=timezone(timedelta(hours=2)))
    event = CommentAdded(at, public=True, author="agent")

    data = to_data(event)

    assert data == {
        "type": "comment_added",
        "at": "2026-05-04T12:50:00+02:00",
        "public": True,
        "author": "agent",
    }
    assert from_data(TicketEvent, data) == event


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(hours=2, minutes=30), "PT2H30M"),
        (timedelta(days=1, hours=12), "PT36H"),
        (timedelta(seconds=1, microseconds=500_000), "PT1.5S"),
        (timedelta(minutes=-15), "-PT15M"),
    ],
)
def test_durations_are_iso_8601_in_hours_minutes_and_seconds(
    duration: timedelta, text: str
) -> None:
    status = TargetStatus(target=duration, state="running", elapsed=duration, remaining=duration)

    assert to_data(status)["target"] == text
    assert from_data(TargetStatus, to_data(status)) == status


@pytest.mark.parametrize(
    ("text", "duration"),
    [("P1DT2H", timedelta(hours=26)), ("PT90M", timedelta(minutes=90)), ("P2D", timedelta(2))],
)
def test_durations_with_days_or_unnormalised_parts_are_read(text: str, duration: timedelta) -> None:
    policy = from_data(SlaPolicy, {"name": "Gold", "resolve_within": text})

    assert policy.resolve_within == duration


def test_durations_as_policy_to_dict_writes_them_are_read_too() -> None:
    """A policy kept in configuration (``"H:MM"``) can be pasted into a document."""
    policy = SlaPolicy(
        name="Gold", response_within=timedelta(hours=1), resolve_within=timedelta(hours=26)
    )
    plain = policy.to_dict()

    assert (plain["response_within"], plain["resolve_within"]) == ("1:00", "26:00")
    assert from_data(SlaPolicy, plain) == policy
    assert SlaPolicy.from_dict(to_data(policy)) == policy  # and ISO 8601 the other way


@given(st.timedeltas())
@example(timedelta.max)
@example(timedelta.min)
@example(-timedelta(microseconds=1))
def test_any_duration_reads_back_exactly(duration: timedelta) -> None:
    status = TargetStatus(target=duration, state="met", elapsed=duration, remaining=duration)

    assert from_data(TargetStatus, to_data(status)) == status


# Schema versions ----------------------------------------------------------


def test_a_document_without_a_schema_version_is_refused() -> None:
    document = _contract_document()
    del document["schema"]

    assert _refusal(Contract, document) == (
        "schema: required field is missing "
        '(this version reads "contractcore/1" or "contractcore/2")'
    )


@pytest.mark.parametrize("schema", ["contractcore/3", "contractcore/0", "", 1, None])
def test_a_document_with_an_unknown_schema_version_is_refused(schema: object) -> None:
    document = {**_contract_document(), "schema": schema}

    message = _refusal(Contract, document)

    assert message.startswith("schema: unknown version")
    assert message.endswith('reads "contractcore/1" or "contractcore/2")')


def test_a_document_of_another_type_is_refused() -> None:
    document = to_document(Money("1", "USD"))

    assert _refusal(Contract, document) == "type: expected Contract, got 'Money'"


def test_a_penalty_document_is_read_as_the_penalty_union() -> None:
    document = to_document(FixedPenalty(Money("250", "USD")))

    assert document["type"] == "FixedPenalty"
    assert from_document(Penalty, document) == FixedPenalty(Money("250", "USD"))


def test_a_union_document_whose_data_is_another_member_is_refused() -> None:
    document = {**to_document(FixedPenalty(Money("250", "USD"))), "data": {"type": "none"}}

    assert _refusal(Penalty, document) == (
        "type: the document says FixedPenalty but its data is a NoPenalty"
    )


def test_an_unknown_field_in_the_envelope_is_refused() -> None:
    document = {**_contract_document(), "version": 2}

    assert _refusal(Contract, document).startswith("version: unknown field")


# Refusals name the field path and the value -------------------------------


def _with(path: list[Any], value: Any, *, drop: bool = False) -> dict[str, Any]:
    document = _contract_document()
    node = document["data"]
    for step in path[:-1]:
        node = node[step]
    if drop:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ["services", 1, "unit_price", "amount"],
            12.5,
            (
                "services[1].unit_price.amount: must not be a floating-point number, got 12.5 "
                "(write decimals as strings)"
            ),
        ),
        (
            ["services", 1, "unit_price", "amount"],
            "9" * 1000,
            (
                "services[1].unit_price.amount: decimal longer than 64 characters, got "
                f"'{'9' * 60}'... (1000 characters)"
            ),
        ),
        (
            ["services", 1, "unit_price", "amount"],
            "9" * 1_000_000,
            (
                "services[1].unit_price.amount: text longer than 100000 characters "
                f"('{'9' * 60}'... (1000000 characters))"
            ),
        ),
        (
            ["services", 1, "unit_price", "amount"],
            10**10000,
            (
                "services[1].unit_price.amount: number out of bounds (at most 9007199254740991), "
                "got an integer of about 10001 digits"
            ),
        ),
        (
            ["services", 1, "unit_price", "amount"],
            "1E+40",
            (
                "services[1].unit_price.amount: out of bounds (below 10**30, at most 30 decimal "
                "places), got '1E+40'"
            ),
        ),
        (
            ["services", 1, "unit_price", "currency"],
            "USS",
            (
                'services[1].unit_price.currency: must be an ISO 4217 currency code such as "USD", '
                "got 'USS'"
            ),
        ),
        (
            ["services", 0, "unit_price", "amount"],
            "-5",
            "services[0].unit_price: unit_price must be >= 0, got Money('-5', 'USD')",
        ),
        (["term_months"], True, "term_months: must be an integer, got a boolean True"),
        (["term_months"], "12", "term_months: must be an integer, got str '12'"),
        (["likelihood"], 140, "likelihood: likelihood must be an int from 0 to 100, got 140"),
        (
            ["status"],
            "signed",
            "status: must be one of pending, active, canceled, completed, got 'signed'",
        ),
        (["start_date"], "2026-02-30", "start_date: not a real date, got '2026-02-30'"),
        (["start_date"], "01/02/2026", "start_date: must be a date YYYY-MM-DD, got '01/02/2026'"),
        (
            ["penalty", "type"],
            "huge",
            (
                "penalty.type: must be one of none, fixed, "
                "remaining_percent, total_percent, got 'huge'"
            ),
        ),
        (["services", 1, "colour"], "red", "services[1].colour: unknown field"),
        (["blocklist", 0], None, "blocklist[0]: must be a string, got null None"),
        (["services"], {"s-1": {}}, "services: must be an array, got {'s-1': {}}"),
    ],
    ids=lambda value: "-".join(map(str, value)) if isinstance(value, list) else "",
)
def test_a_refusal_names_the_field_path_and_the_bad_value(
    path: list[Any], value: Any, message: str
) -> None:
    document = _with(path, value)

    assert _refusal(Contract, document) == message


def test_a_rule_across_fields_is_named_by_the_field_its_message_starts_with() -> None:
    document = _with(["status"], "canceled")

    assert _refusal(Contract, document) == (
        "cancellation_date: cancellation_date must be given exactly when status is canceled, got "
        "status=canceled and cancellation_date=None"
    )


def test_a_rule_of_the_whole_model_is_named_by_the_model() -> None:
    document = _with(["end_date"], "2026-06-30")

    assert _refusal(Contract, document) == (
        "Contract: give term_months or end_date, not both: got term_months=12 and "
        "end_date=2026-06-30"
    )


def test_a_missing_field_is_named_with_its_path() -> None:
    document = _with(["services", 1, "start_date"], None, drop=True)

    assert _refusal(Contract, document) == "services[1].start_date: required field is missing"


def test_several_problems_are_counted_after_the_first() -> None:
    document = _with(["services", 1, "quantity"], 1.5)
    document["data"]["services"][1]["description"] = 7
    document["data"]["name"] = ""

    assert _refusal(Contract, document).startswith("services[1].quantity: must not be a float")


def test_a_naive_datetime_is_refused_as_both_serialization_and_naive_datetime_errors() -> None:
    data = {"type": "ticket_created", "at": "2026-05-04T10:00:00", "status": "Open"}

    with pytest.raises(NaiveDatetimeInDocumentError) as caught:
        from_data(TicketEvent, data)

    assert isinstance(caught.value, SerializationError)
    assert isinstance(caught.value, NaiveDatetimeError)
    assert str(caught.value) == (
        "at: datetime needs a UTC offset (such as +00:00 or Z), got naive '2026-05-04T10:00:00'"
    )


def test_z_is_read_as_utc() -> None:
    event = from_data(TicketEvent, {"type": "sla_paused", "at": "2026-05-04T10:00:00Z"})

    assert event.at == datetime(2026, 5, 4, 10, tzinfo=UTC)


def test_a_bad_calendar_inside_a_policy_is_named_with_its_path() -> None:
    data = to_data(sample_policy())
    data["calendar"]["timezone"] = "Mars/Olympus"

    with pytest.raises(SerializationError, match=r"^calendar: .*Mars/Olympus"):
        from_data(SlaPolicy, data)


def test_reading_a_class_without_a_document_form_is_refused() -> None:
    with pytest.raises(SerializationError, match="has no document form"):
        from_data(dict, {})


# Writing refuses what reading would refuse --------------------------------


def test_writing_a_currency_outside_iso_4217_is_refused() -> None:
    with pytest.raises(SerializationError, match="not an ISO 4217 code"):
        to_document(Money("1", "ABC"))


def test_writing_an_amount_out_of_bounds_is_refused() -> None:
    with pytest.raises(SerializationError, match="cannot write decimal"):
        # Money itself refuses 10**40; arithmetic on amounts it accepts can still get there.
        to_document(Money("9e29", "USD") * 10**11)


def test_writing_a_naive_datetime_is_refused() -> None:
    naive = datetime(2026, 5, 4, 10)  # noqa: DTZ001 - the point of the test
    status = TargetStatus(
        target=timedelta(1),
        state="running",
        elapsed=timedelta(0),
        remaining=timedelta(1),
        due_at=naive,
    )

    with pytest.raises(SerializationError, match="naive datetime"):
        to_document(status)


def test_writing_something_that_is_not_a_model_is_refused() -> None:
    with pytest.raises(SerializationError, match="cannot write a dict"):
        to_document({"a": 1})


# loads ---------------------------------------------------------------------


def test_loads_reads_dumps_and_names_paths_relative_to_the_data() -> None:
    text = dumps(sample_contract()).replace('"1000.00"', "1000.5")

    with pytest.raises(SerializationError, match=r"^services\[0\]\.unit_price\.amount: must not"):
        loads(Contract, text)
    assert loads(Contract, dumps(sample_contract())) == sample_contract()


# sla evaluate ------------------------------------------------------------


def _evaluate_input(policy: SlaPolicy, events: list[TicketEvent], now: str) -> dict[str, Any]:
    return {
        "schema": "contractcore/1",
        "policy": to_data(policy),
        "events": [to_data(event) for event in events],
        "now": now,
    }


def test_evaluate_document_gives_the_status_of_worked_example_1() -> None:
    result = evaluate_document(
        _evaluate_input(sample_policy(), sample_events(), "2026-10-26T12:00:00+00:00")
    )

    data = result["data"]
    assert result["schema"] == SCHEMA
    assert result["type"] == "SlaStatus"
    assert data["color"] == "red"
    assert data["response"]["state"] == "breached"
    assert data["response"]["elapsed"] == "PT2H30M"
    assert data["response"]["breached_at"] == "2026-10-26T09:00:00+00:00"
    assert data["response"]["completed_at"] == "2026-10-26T09:30:00+00:00"
    assert data["resolution"]["state"] == "running"
    assert data["resolution"]["elapsed"] == "PT5H"
    assert data["resolution"]["remaining"] == "PT7H"
    assert data["resolution"]["due_at"] == "2026-10-27T09:00:00+00:00"
    assert {
        "type": "notify",
        "at": "2026-10-26T09:00:00+00:00",
        "kind": "breach",
        "target": "response",
    } in data["actions"]


def test_evaluate_document_gives_the_status_of_worked_example_2() -> None:
    policy = SlaPolicy(
        name="24x7",
        response_within=timedelta(hours=1),
        resolve_within=timedelta(hours=4),
        pause_statuses={"Waiting on Customer"},
    )
    day = datetime(2026, 5, 4, tzinfo=UTC)
    events: list[TicketEvent] = [
        TicketCreated(day + timedelta(hours=10)),
        CommentAdded(day + timedelta(hours=10, minutes=5), public=True, author="customer"),
        StatusChanged(day + timedelta(hours=10, minutes=20), "Waiting on Customer"),
        StatusChanged(day + timedelta(hours=12, minutes=20), "In Progress"),
        CommentAdded(day + timedelta(hours=12, minutes=50), public=True, author="agent"),
        StatusChanged(day + timedelta(hours=13), "Resolved"),
        StatusChanged(day + timedelta(hours=15), "Open"),
    ]

    result = evaluate_document(_evaluate_input(policy, events, "2026-05-04T16:00:00Z"))

    response, resolution = result["data"]["response"], result["data"]["resolution"]
    assert (response["state"], response["elapsed"]) == ("met", "PT50M")
    assert response["completed_at"] == "2026-05-04T12:50:00+00:00"
    assert (resolution["state"], resolution["elapsed"]) == ("running", "PT2H")
    assert resolution["due_at"] == "2026-05-04T18:00:00+00:00"


def test_the_evaluate_output_reads_back_as_the_status_evaluate_returns() -> None:
    now = datetime(2026, 10, 26, 12, tzinfo=UTC)
    document = _evaluate_input(sample_policy(), sample_events(), now.isoformat())

    expected = evaluate(sample_policy(), sample_events(), now)

    status = loads(SlaStatus, json.dumps(evaluate_document(document)))

    assert status == expected


def test_a_status_whose_actions_were_edited_is_refused() -> None:
    status = evaluate(sample_policy(), sample_events(), datetime(2026, 10, 26, 12, tzinfo=UTC))
    document = to_document(status)
    document["data"]["actions"] = document["data"]["actions"][1:]

    with pytest.raises(SerializationError, match=r"^actions: do not match the status"):
        from_document(type(status), document)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"now": "2026-10-26T12:00:00"}, "now: datetime needs a UTC offset"),
        ({"now": None}, "now: must be an ISO 8601 date and time string, got null None"),
        ({"events": []}, "events: "),
        ({"policy": {"name": "Gold", "respond_within": "PT1H"}}, "policy.respond_within: unknown"),
        ({"schema": "contractcore/3"}, "schema: unknown version"),
        ({"extra": 1}, "extra: unknown field"),
    ],
)
def test_a_bad_evaluate_document_is_refused_naming_the_field(
    change: dict[str, Any], message: str
) -> None:
    document = {**_evaluate_input(sample_policy(), sample_events(), "2026-10-26T12:00:00Z")}
    document.update(change)

    with pytest.raises(SerializationError) as caught:
        evaluate_document(document)

    assert str(caught.value).startswith(message)


def test_an_evaluate_document_with_events_out_of_order_is_refused() -> None:
    events = list(reversed(sample_events()))

    with pytest.raises(SerializationError, match=r"^events: "):
        evaluate_document(_evaluate_input(sample_policy(), events, "2026-10-26T12:00:00Z"))


def test_a_contract_document_from_before_first_start_date_reads_with_none() -> None:
    contract = Contract(
        id="c", number="N-1", customer_id="1", name="x", start_date=date(2026, 1, 1)
    )
    data = to_data(contract)
    del data["first_start_date"]

    assert from_data(Contract, data) == contract


@pytest.mark.parametrize(
    ("resolve_within", "at"),
    [("P99999999D", "2026-01-01T00:00:00Z"), ("PT4H", "0001-01-01T00:00:00+14:00")],
)
def test_an_evaluate_document_past_the_years_datetimes_hold_is_refused(
    resolve_within: str, at: str
) -> None:
    """Found in review: a deadline past 9999 (or an instant before year 1) was a bare error."""
    document = {
        "schema": SCHEMA,
        "policy": {"name": "x", "resolve_within": resolve_within},
        "events": [{"type": "ticket_created", "at": at}],
        "now": at,
    }

    with pytest.raises(SerializationError, match=r"^events: .*outside the years 1 to 9999"):
        evaluate_document(document)


def test_a_datetime_with_a_sub_second_utc_offset_reads_back() -> None:
    """Found in review: it was written (42 characters) but refused on reading (40 at most)."""
    odd = timezone(timedelta(hours=23, minutes=59, seconds=59, microseconds=999999))
    event = TicketCreated(datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=odd))

    assert from_document(TicketEvent, to_document(event)) == event
