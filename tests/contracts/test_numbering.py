from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractcore.contracts import ContractNumbering, NumberFormat, allocate, set_next_sequence
from contractcore.errors import InvalidArgumentError, NumberingError

from .strategies import contract_dates, numberings

TODAY = date(2026, 11, 23)


def test_a_client_sequence_number_is_prefix_client_and_padded_sequence() -> None:
    number, _ = allocate(ContractNumbering(prefix="CT", min_length=5), "42", TODAY)
    assert number == "CT-42-00001"


def test_a_client_date_sequence_number_puts_the_date_as_yyyymmdd() -> None:
    numbering = ContractNumbering(prefix="CT", format="client-date-sequence", min_length=3)
    number, _ = allocate(numbering, "42", date(2026, 3, 7))
    assert number == "CT-42-20260307-001"


def test_an_empty_prefix_is_left_out() -> None:
    assert allocate(ContractNumbering(), "7", TODAY)[0] == "7-0001"


def test_a_sequence_longer_than_the_minimum_length_is_not_cut() -> None:
    number, _ = allocate(ContractNumbering(min_length=2, next_sequence=12345), "7", TODAY)
    assert number == "7-12345"


def test_allocating_advances_the_sequence_and_records_the_issued_one() -> None:
    _, numbering = allocate(ContractNumbering(next_sequence=41), "7", TODAY)
    assert (numbering.next_sequence, numbering.last_issued) == (42, 41)


def test_allocating_does_not_change_the_numbering_it_was_given() -> None:
    numbering = ContractNumbering()
    allocate(numbering, "7", TODAY)
    assert numbering.next_sequence == 1


def test_the_next_sequence_can_be_raised_to_start_at_a_higher_value() -> None:
    # "You can also modify the next sequence number if you want the number to
    # start at a higher value."
    numbering = set_next_sequence(ContractNumbering(prefix="CT"), 1000)
    assert allocate(numbering, "42", TODAY)[0] == "CT-42-1000"


def test_the_next_sequence_can_be_lowered_before_any_number_was_issued() -> None:
    assert set_next_sequence(ContractNumbering(next_sequence=500), 3).next_sequence == 3


def test_the_next_sequence_can_be_lowered_while_it_stays_above_the_last_issued() -> None:
    _, numbering = allocate(ContractNumbering(next_sequence=5), "7", TODAY)
    numbering = set_next_sequence(numbering, 100)
    assert set_next_sequence(numbering, 6).next_sequence == 6


def test_setting_the_next_sequence_to_an_issued_number_is_refused() -> None:
    _, numbering = allocate(ContractNumbering(next_sequence=5), "7", TODAY)
    with pytest.raises(NumberingError, match="above the last issued sequence 5, got 5"):
        set_next_sequence(numbering, 5)


def test_setting_the_next_sequence_below_an_issued_number_is_refused() -> None:
    _, numbering = allocate(ContractNumbering(next_sequence=5), "7", TODAY)
    with pytest.raises(NumberingError, match="got 2"):
        set_next_sequence(numbering, 2)


def test_a_numbering_error_is_also_a_value_error() -> None:
    assert issubclass(NumberingError, ValueError)


def test_a_separator_with_digits_is_refused() -> None:
    with pytest.raises(
        InvalidArgumentError, match="separator must be a non-empty string without digits"
    ):
        ContractNumbering(separator="0")


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="format must be one of client-sequence"):
        ContractNumbering(format="sequence-only")


def test_a_minimum_length_of_zero_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="min_length must be an int >= 1, got 0"):
        ContractNumbering(min_length=0)


def test_an_empty_client_id_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="client_id must be a non-empty string"):
        allocate(ContractNumbering(), "", TODAY)


_steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("allocate"), st.sampled_from(["1", "42", "A1", "A", "1-2"]), contract_dates()
        ),
        st.tuples(st.just("set_next"), st.integers(min_value=1, max_value=200)),
        st.tuples(st.just("reformat"), st.sampled_from(NumberFormat), st.integers(1, 6)),
    ),
    max_size=40,
)


@given(numbering=numberings(), steps=_steps)
def test_numbering_never_issues_the_same_number_twice(
    numbering: ContractNumbering, steps: list[tuple[object, ...]]
) -> None:
    issued: list[str] = []
    sequences: list[int] = []
    for step in steps:
        if step[0] == "allocate":
            client, on = step[1], step[2]
            assert isinstance(client, str)
            assert isinstance(on, date)
            sequences.append(numbering.next_sequence)
            number, numbering = allocate(numbering, client, on)
            issued.append(number)
        elif step[0] == "set_next":
            value = step[1]
            assert isinstance(value, int)
            if sequences and value <= max(sequences):
                with pytest.raises(NumberingError):
                    set_next_sequence(numbering, value)
            else:
                numbering = set_next_sequence(numbering, value)
        else:
            new_format, min_length = step[1], step[2]
            assert isinstance(new_format, NumberFormat)
            assert isinstance(min_length, int)
            numbering = attrs.evolve(numbering, format=new_format, min_length=min_length)
    assert len(set(issued)) == len(issued)
    assert sequences == sorted(set(sequences))
