"""attrs validators and converters that raise contractcore's errors, naming field and value."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

import attrs

from contractcore.errors import ContractCurrencyError, InvalidArgumentError
from contractcore.money import Money

__all__ = [
    "calendar_date",
    "currency",
    "instance",
    "non_negative_int",
    "one_of",
    "optional_calendar_date",
    "optional_term_months",
    "optional_text",
    "product_ids",
    "same_currency",
    "term_months",
    "text",
    "tuple_of",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _name(attribute: attrs.Attribute[Any]) -> str:
    # The init argument's name (``end_date`` for the private ``_end_date``).
    return attribute.alias or attribute.name


def calendar_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a plain ``datetime.date`` only (a datetime is an instant, not a day)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidArgumentError(f"{_name(attribute)} must be a datetime.date, got {value!r}")


def optional_calendar_date(
    instance: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    """Accept None or a plain ``datetime.date``."""
    if value is not None:
        calendar_date(instance, attribute, value)


def text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(f"{_name(attribute)} must be a non-empty string, got {value!r}")


def one_of(options: tuple[str, ...]) -> Validator:
    """Validator: the value is one of the strings ``options``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value.__class__ is not str or value not in options:
            allowed = ", ".join(map(repr, options))
            raise InvalidArgumentError(
                f"{_name(attribute)} must be one of {allowed}, got {value!r}"
            )

    return check


def optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept None or a non-empty string."""
    if value is not None:
        text(instance, attribute, value)


def term_months(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a whole number of months >= 1."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(f"{_name(attribute)} must be an int, got {value!r}")
    if value < 1:
        raise InvalidArgumentError(f"{_name(attribute)} must be >= 1, got {value}")


def optional_term_months(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept None or a whole number of months >= 1."""
    if value is not None:
        term_months(instance, attribute, value)


def non_negative_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept an int >= 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(f"{_name(attribute)} must be an int >= 0, got {value!r}")


def currency(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept an ISO 4217 code: three upper-case letters."""
    if not isinstance(value, str) or not _CURRENCY.match(value):
        raise InvalidArgumentError(
            f"{_name(attribute)} must be an ISO 4217 code like 'USD', got {value!r}"
        )


def same_currency(owner: str, currency: str, amounts: Iterable[tuple[str, Money]]) -> None:
    """Raise unless every ``(field path, amount)`` of ``amounts`` is in ``currency``.

    ``owner`` names the record in the message (``"contract 'c-1'"``).
    """
    for path, amount in amounts:
        if amount.currency != currency:
            raise ContractCurrencyError(
                f"{path} is in {amount.currency} ({amount!r}), {owner} bills in {currency}"
            )


def _kind_names(kinds: tuple[type, ...]) -> str:
    return " or ".join(k.__name__ for k in kinds)


def instance(*kinds: type, optional: bool = False) -> Validator:
    """Validator: the value is an instance of one of ``kinds`` (or None when ``optional``)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if optional and value is None:
            return
        if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
            wanted = _kind_names(kinds) + (" or None" if optional else "")
            raise InvalidArgumentError(f"{_name(attribute)} must be {wanted}, got {value!r}")

    return check


def tuple_of(kind: type) -> Validator:
    """Validator: a tuple whose items are all instances of ``kind``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple) or not all(isinstance(item, kind) for item in value):
            raise InvalidArgumentError(
                f"{_name(attribute)} must be a tuple of {kind.__name__}, got {value!r}"
            )

    return check


def product_ids(value: Iterable[str]) -> frozenset[str]:
    """Convert any collection of product ids (a set, a list) to a frozenset of strings."""
    if isinstance(value, str):
        raise InvalidArgumentError(f"blocklist must be a collection of product ids, got {value!r}")
    ids = frozenset(value)
    if not all(isinstance(i, str) and i for i in ids):
        raise InvalidArgumentError(
            f"blocklist must hold non-empty strings, got {sorted(ids, key=repr)!r}"
        )
    return ids
