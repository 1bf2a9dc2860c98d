"""Contract numbers: prefix, client id, optional date, zero-padded sequence."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import attrs

from contractcore.contracts import _validators as v
from contractcore.errors import InvalidArgumentError, NumberingError

__all__ = ["ContractNumbering", "NumberFormat", "allocate", "set_next_sequence"]


class NumberFormat(enum.StrEnum):
    """The variable part of a contract number.

    ``client-sequence`` gives ``CT-42-0007``; ``client-date-sequence`` gives
    ``CT-42-20261123-0007`` (the date as YYYYMMDD).
    """

    CLIENT_SEQUENCE = "client-sequence"
    CLIENT_DATE_SEQUENCE = "client-date-sequence"


def _format(value: NumberFormat | str) -> NumberFormat:
    try:
        return NumberFormat(value)
    except ValueError:
        allowed = ", ".join(f.value for f in NumberFormat)
        raise InvalidArgumentError(f"format must be one of {allowed}, got {value!r}") from None


def _positive_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None and attribute.default is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"{attribute.name} must be an int >= 1, got {value!r}")


def _separator(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # A digit (or nothing) between the parts would let "A1" + "0002" and
    # "A" + "10002" print the same number; a non-digit separator keeps the
    # sequence readable from the right, so distinct sequences never collide.
    if not isinstance(value, str) or not value or any(ch.isdigit() for ch in value):
        raise InvalidArgumentError(
            f"separator must be a non-empty string without digits, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class ContractNumbering:
    """Settings and state of the contract number sequence.

    The sequence is one counter shared by every customer, so a number is
    never issued twice even when the prefix or format changes later.

    Attributes:
        prefix: Text in front of every number (may be empty).
        format: :class:`NumberFormat` (plain strings accepted).
        min_length: The sequence is padded with leading zeros to this many digits.
        next_sequence: The sequence the next number will get.
        last_issued: The highest sequence already issued, or None.
        separator: Put between the parts (no digits allowed).

    Raises:
        NumberingError: ``next_sequence`` is not above ``last_issued``.

    >>> ContractNumbering(prefix="CT", min_length=4).next_sequence
    1
    """

    prefix: str = attrs.field(default="", validator=v.instance(str))
    format: NumberFormat = attrs.field(default=NumberFormat.CLIENT_SEQUENCE, converter=_format)
    min_length: int = attrs.field(default=4, validator=_positive_int)
    next_sequence: int = attrs.field(default=1, validator=_positive_int)
    last_issued: int | None = attrs.field(default=None, validator=_positive_int)
    separator: str = attrs.field(default="-", validator=_separator)

    def __attrs_post_init__(self) -> None:
        if self.last_issued is not None and self.next_sequence <= self.last_issued:
            raise NumberingError(
                f"next_sequence must be above the last issued sequence {self.last_issued}, "
                f"got {self.next_sequence}"
            )


def set_next_sequence(numbering: ContractNumbering, value: int) -> ContractNumbering:
    """Return ``numbering`` whose next number gets sequence ``value``.

    The sequence may be raised at any time, and lowered only while it stays
    above every sequence already issued. Saved through a repository
    (:meth:`~contractcore.repository.NumberingRepository.save`), only raising
    takes effect: the store never lowers its counter.

    Raises:
        NumberingError: ``value`` is not above the last issued sequence.

    >>> n = ContractNumbering(prefix="CT")
    >>> _, n = allocate(n, "42", date(2026, 11, 23))
    >>> set_next_sequence(n, 500).next_sequence
    500
    >>> try:
    ...     set_next_sequence(n, 1)
    ... except NumberingError as error:
    ...     print(error)
    next_sequence must be above the last issued sequence 1, got 1
    """
    return attrs.evolve(numbering, next_sequence=value)


def allocate(
    numbering: ContractNumbering, client_id: str, on: date
) -> tuple[str, ContractNumbering]:
    """Issue the next contract number for ``client_id`` on day ``on``.

    Pure: returns the number and the numbering to store in place of the old
    one (atomic allocation under concurrency belongs to the repository).

    Raises:
        InvalidArgumentError: ``client_id`` is empty or ``on`` is not a date.

    >>> n = ContractNumbering(prefix="CT", format="client-date-sequence", min_length=4)
    >>> number, n = allocate(n, "42", date(2026, 11, 23))
    >>> number, n.next_sequence
    ('CT-42-20261123-0001', 2)
    """
    if not isinstance(client_id, str) or not client_id.strip():
        raise InvalidArgumentError(f"client_id must be a non-empty string, got {client_id!r}")
    if isinstance(on, datetime) or not isinstance(on, date):
        raise InvalidArgumentError(f"on must be a datetime.date, got {on!r}")
    sequence = numbering.next_sequence
    parts = [numbering.prefix] if numbering.prefix else []
    parts.append(client_id)
    if numbering.format is NumberFormat.CLIENT_DATE_SEQUENCE:
        parts.append(f"{on.year:04d}{on.month:02d}{on.day:02d}")
    parts.append(str(sequence).zfill(numbering.min_length))
    issued = attrs.evolve(numbering, next_sequence=sequence + 1, last_issued=sequence)
    return numbering.separator.join(parts), issued
