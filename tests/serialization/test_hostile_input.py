"""Malformed and hostile documents raise SerializationError, and nothing else, ever."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from contractcore.contracts import Contract
from contractcore.errors import SerializationError
from contractcore.serialization import (
    MAX_DEPTH,
    evaluate_document,
    from_data,
    from_document,
    loads,
    parse_json,
    to_document,
)
from contractcore.serialization._errors import format_path
from contractcore.sla import SlaPolicy, TicketEvent
from tests.serialization.samples import sample_contract
from tests.serialization.strategies import (
    HOSTILE_VALUES,
    MODEL_STRATEGIES,
    contracts,
    hostile_documents,
    ticket_events,
)

_UNIONS = {"TicketEvent": TicketEvent}


def _read_or_refuse(target: Any, document: Any) -> None:
    """Reading either works (and the result writes again) or raises SerializationError."""
    try:
        obj = from_document(target, document)
    except SerializationError as error:
        message = str(error)
    else:
        to_document(obj)
        return
    assert 0 < len(message) < 1000  # a message, always; hostile values are cut short


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_contract_document_is_read_or_refused_with_a_serialization_error(
    data: st.DataObject,
) -> None:
    document = to_document(data.draw(contracts()))

    _read_or_refuse(Contract, data.draw(hostile_documents(document)))


@pytest.mark.parametrize("name", ["SlaPolicy", "Service", "Quote", "LineItem", "TicketEvent"])
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_other_mutated_documents_are_read_or_refused_with_a_serialization_error(
    name: str, data: st.DataObject
) -> None:
    if name == "Quote":
        from tests.serialization.strategies import quotes  # noqa: PLC0415 - costly, only here

        obj = data.draw(quotes())
    else:
        obj = data.draw(MODEL_STRATEGIES[name])
    document = to_document(obj)

    _read_or_refuse(_UNIONS.get(name, type(obj)), data.draw(hostile_documents(document)))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_sla_evaluate_document_is_evaluated_or_refused(data: st.DataObject) -> None:
    policy = to_document(data.draw(MODEL_STRATEGIES["SlaPolicy"]))["data"]
    events = [to_document(event)["data"] for event in data.draw(ticket_events())]
    document = {
        "schema": "contractcore/1",
        "policy": policy,
        "events": events,
        "now": "2026-12-01T00:00:00+00:00",
    }
    with contextlib.suppress(SerializationError):
        evaluate_document(data.draw(hostile_documents(document)))


@given(value=st.sampled_from(HOSTILE_VALUES))
def test_a_hostile_value_in_place_of_a_whole_document_is_refused(value: Any) -> None:
    with pytest.raises(SerializationError):
        from_document(Contract, value)
    with pytest.raises(SerializationError):
        evaluate_document(value)


@example(text="[" * 100_000)
@example(text='{"a": ' + "1" * 5000 + "}")
@example(text='{"a": NaN}')
@example(text='{"a": -Infinity}')
@example(text='{"a": 1e400}')
@example(text='{"a": 1, "a": 2}')
@example(text="\udcff")
@given(text=st.text(max_size=40) | st.binary(max_size=40))
def test_any_text_is_parsed_or_refused_with_a_serialization_error(text: str | bytes) -> None:
    with contextlib.suppress(SerializationError):
        loads(Contract, text)


def test_nesting_deeper_than_the_bound_is_refused_without_recursion() -> None:
    deep: Any = "x"
    for _ in range(100_000):
        deep = [deep]

    with pytest.raises(SerializationError, match=f"deeper than {MAX_DEPTH}"):
        from_data(SlaPolicy, {"name": deep})
    with pytest.raises(SerializationError, match="too deep"):
        parse_json("[" * 100_000 + "]" * 100_000)


def test_a_document_from_json_text_survives_every_hostile_value_in_every_field() -> None:
    # Exhaustive over the contract's top-level fields: each hostile value in each.
    document = to_document(sample_contract())
    for field in document["data"]:
        for value in HOSTILE_VALUES:
            mutated = {**document, "data": {**document["data"], field: value}}
            _read_or_refuse(Contract, mutated)
            try:
                text = json.dumps(mutated)
            except (TypeError, ValueError):
                continue  # not expressible as JSON text (Decimal, date objects)
            with contextlib.suppress(SerializationError):
                loads(Contract, text)


@pytest.mark.parametrize(
    "field",
    ["schema", "policy", "events", "now", "extra" * 100_000],
    ids=["schema", "policy", "events", "now", "a-huge-unknown-key"],
)
def test_a_deep_or_huge_value_anywhere_in_an_evaluate_document_is_refused(field: str) -> None:
    deep: Any = "x"
    for _ in range(5000):
        deep = {"nested": [deep]}
    document = {"schema": "contractcore/1", "policy": {"name": "Gold"}, "events": [], "now": ""}

    with pytest.raises(SerializationError) as caught:
        evaluate_document({**document, field: deep})

    assert len(str(caught.value)) < 1000


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [leaf for key, item in data.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(data, list):
        return [leaf for index, item in enumerate(data) for leaf in _leaves(item, (*path, index))]
    return [path]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_value_of_the_wrong_kind_is_refused_naming_exactly_its_path(data: st.DataObject) -> None:
    contract_data = to_document(data.draw(contracts()))["data"]
    path = data.draw(st.sampled_from(_leaves(contract_data)))
    mutated = copy.deepcopy(contract_data)
    node = mutated
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = {"not": "expected"}  # no leaf of any model is an object

    with pytest.raises(SerializationError) as caught:
        from_data(Contract, mutated)

    assert str(caught.value).startswith(format_path(path))


def test_a_huge_unknown_key_is_named_cut_short() -> None:
    data = {"name": "Gold", "x" * 1_000_000: 1}

    with pytest.raises(SerializationError) as caught:
        from_data(SlaPolicy, data)

    assert str(caught.value).startswith("xxxx")
    assert len(str(caught.value)) < 1000
