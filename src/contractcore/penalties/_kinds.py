"""The early-termination penalty kinds a contract can carry."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeAlias

import attrs

from contractcore.errors import InvalidArgumentError
from contractcore.money import Money, to_decimal

__all__ = [
    "FixedPenalty",
    "NoPenalty",
    "Penalty",
    "RemainingPercentPenalty",
    "TotalPercentPenalty",
]


@attrs.frozen
class NoPenalty:
    """Ending the contract early costs nothing.

    >>> NoPenalty()
    NoPenalty()
    """


def _non_negative_money(_instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    if not isinstance(value, Money):
        raise InvalidArgumentError(f"{attribute.name} must be Money, got {value!r}")
    if value.amount < 0:
        raise InvalidArgumentError(f"{attribute.name} must be >= 0, got {value!r}")


@attrs.frozen
class FixedPenalty:
    """A fixed fee charged when the contract ends before its term's last day.

    >>> FixedPenalty(Money("250", "USD")).amount
    Money('250', 'USD')
    """

    amount: Money = attrs.field(validator=_non_negative_money)


def _percent(value: Decimal | int | str) -> Decimal:
    return to_decimal(value, "percent")


def _check_percent(_instance: object, _attribute: object, value: Decimal) -> None:
    if not 0 <= value <= 100:
        raise InvalidArgumentError(f"percent must be between 0 and 100, got {value}")


@attrs.frozen
class RemainingPercentPenalty:
    """``percent`` of the recurring charges left in the current term, at least ``minimum``.

    The base is the services' charges for the days after the cancellation
    date up to the term's last day, with scheduled changes applied.

    >>> RemainingPercentPenalty(10, Money("100", "USD")).percent
    Decimal('10')
    """

    percent: Decimal = attrs.field(converter=_percent, validator=_check_percent)
    minimum: Money = attrs.field(validator=_non_negative_money)


@attrs.frozen
class TotalPercentPenalty:
    """``percent`` of the current term's total recurring charges, at least ``minimum``.

    >>> TotalPercentPenalty(1, Money("100", "USD")).minimum
    Money('100', 'USD')
    """

    percent: Decimal = attrs.field(converter=_percent, validator=_check_percent)
    minimum: Money = attrs.field(validator=_non_negative_money)


Penalty: TypeAlias = NoPenalty | FixedPenalty | RemainingPercentPenalty | TotalPercentPenalty
"""Any early-termination penalty."""
