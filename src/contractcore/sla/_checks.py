"""Small argument checks shared by the SLA models (private)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from contractcore.errors import InvalidArgumentError, NaiveDatetimeError

__all__ = ["check_aware", "check_duration", "check_host_id", "check_text"]


def check_aware(name: str, value: Any) -> None:
    """Raise unless ``value`` is a timezone-aware datetime."""
    if not isinstance(value, datetime):
        msg = f"{name} must be a timezone-aware datetime, got {value!r}"
        raise NaiveDatetimeError(msg)
    if value.tzinfo is None or value.utcoffset() is None:
        msg = f"{name} must be timezone-aware, got naive datetime {value.isoformat()}"
        raise NaiveDatetimeError(msg)


def check_text(name: str, value: Any) -> None:
    """Raise unless ``value`` is a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        msg = f"{name} must be a non-empty string, got {value!r}"
        raise InvalidArgumentError(msg)


def check_host_id(name: str, value: Any) -> None:
    """Raise unless ``value`` is None, a non-empty string or an int (a host's opaque id)."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return
    check_text(name, value)


def check_duration(name: str, value: Any, *, allow_none: bool = True) -> None:
    """Raise unless ``value`` is a positive timedelta (or None when allowed)."""
    if value is None and allow_none:
        return
    if not isinstance(value, timedelta):
        msg = f"{name} must be a timedelta, got {value!r}"
        raise InvalidArgumentError(msg)
    if value <= timedelta(0):
        msg = f"{name} must be a positive duration, got {value!r}"
        raise InvalidArgumentError(msg)
