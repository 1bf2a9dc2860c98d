"""Every model survives a round trip through a document and through JSON text, exactly."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractcore.contracts import Contract, ContractChange, Quote, save_as_template
from contractcore.penalties import Penalty
from contractcore.serialization import (
    MODELS,
    SCHEMA,
    dumps,
    from_data,
    from_document,
    loads,
    to_data,
    to_document,
)
from contractcore.sla import Action, SlaPaused, SlaStatus, TicketEvent
from tests.serialization.strategies import MODEL_STRATEGIES, contracts

#: Unions are read as the union: the document's "type" picks the member.
_UNIONS: dict[str, Any] = {"Penalty": Penalty, "TicketEvent": TicketEvent, "Action": Action}


def _in_utc(value: Any) -> Any:
    """``value`` with every instant in UTC, as nested tuples of the fields that ``==`` compares."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return (type(value), *(_in_utc(getattr(value, f.name)) for f in fields if f.eq))
    if isinstance(value, tuple | list):
        return tuple(_in_utc(item) for item in value)
    return value


def same(read: object, written: object) -> bool:
    """Equal, or equal once every instant is in UTC.

    Python never finds an instant in a repeated hour (``fold``) of one zone
    equal to the same instant in another zone (PEP 495), and documents keep
    offsets, not zone names: such instants are compared in UTC.
    """
    return read == written or bool(_in_utc(read) == _in_utc(written))


def assert_round_trips(obj: object, target: Any = None) -> None:
    """``obj`` reads back equal through every door, and its document is stable plain JSON."""
    target = type(obj) if target is None else target
    document = to_document(obj)

    assert document["schema"] == SCHEMA
    assert document["type"] == type(obj).__name__
    assert same(from_document(target, document), obj)
    assert same(loads(target, dumps(obj)), obj)
    assert same(from_data(target, to_data(obj)), obj)
    assert json.loads(json.dumps(document)) == document
    assert to_document(from_document(target, document)) == document


@pytest.mark.parametrize("name", sorted(MODEL_STRATEGIES))
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_model_reads_back_equal_to_what_was_written(name: str, data: st.DataObject) -> None:
    obj = data.draw(MODEL_STRATEGIES[name], label=name)

    assert_round_trips(obj, _UNIONS.get(name))
    if isinstance(obj, SlaStatus):  # its parts too: drawing a status costs an evaluation
        for _, target in obj.targets:
            assert_round_trips(target)
        for action in obj.actions:
            assert_round_trips(action, Action)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(contract=contracts())
def test_a_contract_and_everything_made_from_it_read_back_equal(contract: Contract) -> None:
    template = save_as_template(contract, "Saved")
    change = ContractChange.from_contract(contract)

    assert_round_trips(contract)
    assert_round_trips(template)
    assert_round_trips(change)
    assert_round_trips(
        Quote(id="q-1", customer_id="42", proposal=template, start_date=contract.start_date)
    )
    assert_round_trips(
        Quote(id="q-2", customer_id="42", status="approved", contract_id="c", change=change)
    )
    if contract.renewal is not None:
        assert_round_trips(contract.renewal)


def test_every_model_class_is_generated_by_some_property() -> None:
    covered = set(MODEL_STRATEGIES) | {
        # Members of the unions drawn as "Penalty", "TicketEvent", "Action", "UpdateEvent":
        *("NoPenalty", "FixedPenalty", "RemainingPercentPenalty", "TotalPercentPenalty"),
        *("TicketCreated", "StatusChanged", "CommentAdded", "SlaPaused", "SlaResumed"),
        *("PriorityChanged", "AssignTechnician", "SetPriority", "Notify"),
        *("On", "After", "AtRenewal", "SetTo", "Delta", "Percent"),
        # Drawn with the services' histories:
        *("PriceChange", "QuantityChange", "ScheduleCause", "AmendmentCause", "RenewalCause"),
        # Drawn with the contract family and the statuses above:
        *("Contract", "ContractTemplate", "ContractChange", "Quote", "RenewalOptions"),
        "TargetStatus",
        "StatusTime",
    }

    assert set(MODELS) <= covered


def test_an_instant_in_a_repeated_hour_reads_back_as_the_same_instant() -> None:
    # 02:00 on 2026-04-05 happens twice in Sydney (clocks go back at 03:00).
    sydney = ZoneInfo("Australia/Sydney")
    for fold in (0, 1):
        event = SlaPaused(datetime(2026, 4, 5, 2, 0, fold=fold, tzinfo=sydney))

        read = from_document(TicketEvent, to_document(event))

        assert read.at.timestamp() == event.at.timestamp()
        assert to_document(read) == to_document(event)
        assert same(read, event)


_DST_ZONES = st.sampled_from(
    [
        ZoneInfo(name)
        for name in ("America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata")
    ]
)


@given(
    st.datetimes(
        min_value=datetime(1850, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=_DST_ZONES,
    ),
    st.sampled_from([0, 1]),
)
def test_any_local_reading_reads_back_as_the_same_instant_and_offset(
    local: datetime, fold: int
) -> None:
    # Repeated and skipped hours (either fold) and pre-1900 offsets in seconds.
    event = SlaPaused(local.replace(fold=fold))

    read = loads(TicketEvent, dumps(event))

    assert read.at.astimezone(UTC) == event.at.astimezone(UTC)
    assert read.at.utcoffset() == event.at.utcoffset()
