"""The currency codes a document may use: ISO 4217 list one, plus codes withdrawn since 2023."""

from __future__ import annotations

import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from contractcore.errors import SerializationError
from contractcore.money import _MINOR_UNITS, Money, minor_unit
from contractcore.serialization import from_data, to_data
from contractcore.serialization._currencies import (
    _LIST_ONE,
    _WITHDRAWN_SINCE_2023,
    ISO_4217,
)


def _round_trip(code: str) -> Money:
    return from_data(Money, to_data(Money("1.5", code)))


def test_list_one_published_2026_01_01_has_178_codes_and_six_withdrawn_codes_are_kept() -> None:
    assert len(_LIST_ONE) == 178
    assert {"HRK", "SLL", "ZWL", "CUC", "ANG", "BGN"} == _WITHDRAWN_SINCE_2023
    assert not _LIST_ONE & _WITHDRAWN_SINCE_2023
    assert len(ISO_4217) == 184


@pytest.mark.parametrize(
    "code",
    [
        "SLE",  # new leone, 2022
        "VES",  # bolivar soberano, 2018
        "VED",  # digital bolivar, 2021
        "MRU",  # ouguiya, 2018
        "STN",  # dobra, 2018
        "ZWG",  # Zimbabwe gold, 2024
        "XCG",  # Caribbean guilder, 2025
        "XAD",  # Arab accounting dinar, 2025
        "UYW",  # unidad previsional, a fund code
        "XAU",  # gold, a metal
        "XDR",  # special drawing right
    ],
)
def test_recent_currencies_funds_and_metals_are_written_and_read_back(code: str) -> None:
    assert _round_trip(code) == Money("1.5", code)


@pytest.mark.parametrize("code", sorted(_WITHDRAWN_SINCE_2023))
def test_a_code_withdrawn_since_2023_is_still_written_and_read_back(code: str) -> None:
    assert _round_trip(code) == Money("1.5", code)


@pytest.mark.parametrize(
    "code",
    ["VEF", "MRO", "STD", "BYR", "LTL", "USS", "DEM", "ZMK"],
)
def test_a_code_withdrawn_before_2023_is_refused_both_ways(code: str) -> None:
    with pytest.raises(SerializationError, match="not an ISO 4217 code"):
        to_data(Money("1", code))
    with pytest.raises(SerializationError, match="must be an ISO 4217 currency code"):
        from_data(Money, {"amount": "1", "currency": code})


@given(code=st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=3))
@example(code="XAD")
@example(code="USS")
def test_a_well_formed_code_is_read_exactly_when_the_list_holds_it(code: str) -> None:
    data = {"amount": "1", "currency": code}
    if code in ISO_4217:
        assert from_data(Money, data) == Money("1", code)
    else:
        with pytest.raises(SerializationError, match="must be an ISO 4217 currency code"):
            from_data(Money, data)


def test_every_currency_with_a_minor_unit_other_than_two_is_in_list_one() -> None:
    assert set(_MINOR_UNITS) <= _LIST_ONE
    assert (minor_unit("JPY"), minor_unit("BHD"), minor_unit("CLF"), minor_unit("UYW")) == (
        0,
        3,
        4,
        4,
    )
