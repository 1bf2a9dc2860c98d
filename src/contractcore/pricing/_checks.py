"""Field validators that raise contractcore's own errors, naming the field and the value."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime
from typing import Any

import attrs

from contractcore.errors import InvalidArgumentError

__all__ = [
    "at_least",
    "calendar_date",
    "check_day",
    "instance_of",
    "one_of",
    "optional_calendar_date",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def instance_of(*kinds: type) -> Validator:
    """Accept instances of ``kinds`` only."""
    names = " or ".join(kind.__name__ for kind in kinds)

    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kinds):
            raise InvalidArgumentError(f"{attribute.alias} must be {names}, got {value!r}")

    return check


def calendar_date(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a ``datetime.date`` that is not a ``datetime`` (a day, not an instant)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidArgumentError(f"{attribute.alias} must be a datetime.date, got {value!r}")


def optional_calendar_date(
    instance: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    """Accept ``None`` or a calendar date."""
    if value is not None:
        calendar_date(instance, attribute, value)


def at_least(bound: int) -> Validator:
    """Accept an ``int`` (not a bool) that is ``>= bound``."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < bound:
            raise InvalidArgumentError(
                f"{attribute.alias} must be an int >= {bound}, got {value!r}"
            )

    return check


def one_of(options: Collection[str]) -> Validator:
    """Accept one of ``options``."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in options:
            allowed = ", ".join(repr(option) for option in options)
            raise InvalidArgumentError(f"{attribute.alias} must be one of {allowed}, got {value!r}")

    return check


def check_day(value: object, name: str) -> None:
    """Raise unless ``value`` is a calendar date (a ``datetime`` is an instant, not a day)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidArgumentError(f"{name} must be a datetime.date, got {value!r}")
