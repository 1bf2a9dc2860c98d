"""How each scalar is written in a document and read back, strictly (private).

* Decimal: a string (``"12.50"``); a JSON integer is accepted when reading.
  At most :data:`MAX_DECIMAL_TEXT` characters, below 10**30 in magnitude,
  at most 30 decimal places.
* date: ``"YYYY-MM-DD"``. datetime: ISO 8601 with a UTC offset (``Z`` accepted).
* timedelta: ISO 8601 duration in hours, minutes and seconds (``"PT1H30M"``,
  ``"PT36H"``, ``"-PT15M"``); days (``"P1DT2H"``) are accepted when reading
  and mean 24 hours.
* Money: ``{"amount": "12.50", "currency": "USD"}`` with an ISO 4217 code.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from contractcore.errors import SerializationError
from contractcore.money import Money
from contractcore.serialization._currencies import ISO_4217
from contractcore.serialization._errors import DocumentValueError, NaiveValueError, show
from contractcore.sla._policy_data import read_clock_duration

__all__ = [
    "MAX_DECIMAL_TEXT",
    "read_bool",
    "read_currency",
    "read_date",
    "read_datetime",
    "read_decimal",
    "read_duration",
    "read_int",
    "read_money",
    "read_str",
    "write_currency",
    "write_date",
    "write_datetime",
    "write_decimal",
    "write_duration",
    "write_money",
]

#: Longest decimal string a document may hold.
MAX_DECIMAL_TEXT = 64
_MAX_PLACES = 30
_MAX_ADJUSTED = 29  # below 10**30
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DURATION = re.compile(
    r"(?P<sign>-)?P(?:(?P<days>\d{1,9})D)?"
    r"(?:T(?:(?P<hours>\d{1,12})H)?(?:(?P<minutes>\d{1,12})M)?"
    r"(?:(?P<seconds>\d{1,12})(?:\.(?P<fraction>\d{1,6}))?S)?)?"
)


def _type_name(value: object) -> str:
    return {dict: "an object", list: "an array", type(None): "null", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _wrong(expected: str, value: object) -> DocumentValueError:
    return DocumentValueError(f"must be {expected}, got {_type_name(value)} {show(value)}")


def read_str(value: Any, _type: object = str) -> str:
    """A JSON string, nothing else (no number is turned into text)."""
    if type(value) is not str:
        raise _wrong("a string", value)
    return value


def read_int(value: Any, _type: object = int) -> int:
    """A JSON integer; booleans and numbers written as text are refused."""
    if type(value) is not int:
        raise _wrong("an integer", value)
    return value


def read_bool(value: Any, _type: object = bool) -> bool:
    """``true`` or ``false``; 0 and 1 are refused."""
    if type(value) is not bool:
        raise _wrong("true or false", value)
    return value


def _check_decimal(number: Decimal, text: object) -> Decimal:
    if not number.is_finite():
        raise DocumentValueError(f"must be a finite number, got {show(text)}")
    if number and (
        number.adjusted() > _MAX_ADJUSTED or int(number.as_tuple().exponent) < -_MAX_PLACES
    ):
        raise DocumentValueError(
            f"out of bounds (below 10**30, at most {_MAX_PLACES} decimal places), got {show(text)}"
        )
    return number


def read_decimal(value: Any, _type: object = Decimal) -> Decimal:
    """A decimal string such as ``"12.50"`` (or a JSON integer), bounded in size."""
    if type(value) is int:
        return Decimal(value)
    if type(value) is not str:
        raise _wrong('a decimal number written as a string (such as "12.50")', value)
    if len(value) > MAX_DECIMAL_TEXT:
        raise DocumentValueError(
            f"decimal longer than {MAX_DECIMAL_TEXT} characters, got {show(value)}"
        )
    if not _DECIMAL.fullmatch(value):
        raise DocumentValueError(f'must be a decimal number such as "12.50", got {show(value)}')
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise DocumentValueError(f"must be a decimal number, got {show(value)}") from None
    return _check_decimal(number, value)


def write_decimal(number: Decimal) -> str:
    """The exact decimal as a string; refuses a value reading would refuse."""
    try:
        _check_decimal(number, str(number))
    except DocumentValueError as exc:
        msg = f"cannot write decimal: {exc.message}"
        raise SerializationError(msg) from None
    return str(number)


def read_date(value: Any, _type: object = date) -> date:
    """``"YYYY-MM-DD"``."""
    if type(value) is not str:
        raise _wrong("a date string YYYY-MM-DD", value)
    if not _DATE.fullmatch(value):
        raise DocumentValueError(f"must be a date YYYY-MM-DD, got {show(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DocumentValueError(f"not a real date, got {show(value)}") from None


def write_date(day: date) -> str:
    """``YYYY-MM-DD``."""
    return day.isoformat()


def read_datetime(value: Any, _type: object = datetime) -> datetime:
    """ISO 8601 date and time with a UTC offset; a naive one is refused."""
    if type(value) is not str:
        raise _wrong("an ISO 8601 date and time string", value)
    # 42: "9999-12-31T23:59:59.999999+23:59:59.999999", the longest a datetime writes.
    if len(value) > 42 or "T" not in value.upper():
        raise DocumentValueError(
            "must be an ISO 8601 date and time such as 2026-05-04T10:00:00+00:00, "
            f"got {show(value)}"
        )
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise DocumentValueError(f"not an ISO 8601 date and time, got {show(value)}") from None
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise NaiveValueError(
            f"datetime needs a UTC offset (such as +00:00 or Z), got naive {show(value)}"
        )
    return instant


def write_datetime(instant: datetime) -> str:
    """ISO 8601 with the instant's UTC offset."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        msg = f"cannot write a naive datetime {instant.isoformat()}: give it a time zone"
        raise SerializationError(msg)
    return instant.isoformat()


def read_duration(value: Any, _type: object = timedelta) -> timedelta:
    """ISO 8601 duration: ``PT1H30M``, ``PT0S``, ``-PT15M``, ``P1DT2H`` (a day is 24 hours).

    ``"H:MM[:SS[.ffffff]]"`` is read too: it is how ``SlaPolicy.to_dict``
    writes durations, so a policy from configuration fits in a document.
    """
    if type(value) is not str:
        raise _wrong('an ISO 8601 duration string such as "PT1H30M"', value)
    match = _DURATION.fullmatch(value) if len(value) <= 64 else None
    if (
        match is None
        or value.endswith(("P", "T"))
        or not any(match.group(g) for g in ("days", "hours", "minutes", "seconds"))
    ):
        clock = read_clock_duration(value) if len(value) <= 64 else None
        if clock is not None:
            return clock
        raise DocumentValueError(
            f'must be an ISO 8601 duration such as "PT1H30M" (or "1:30"), got {show(value)}'
        )
    fraction = match.group("fraction") or ""
    try:
        duration = timedelta(
            days=int(match.group("days") or 0),
            hours=int(match.group("hours") or 0),
            minutes=int(match.group("minutes") or 0),
            seconds=int(match.group("seconds") or 0),
            microseconds=int(fraction.ljust(6, "0")) if fraction else 0,
        )
    except OverflowError:
        raise DocumentValueError(f"duration out of bounds, got {show(value)}") from None
    return -duration if match.group("sign") else duration


def write_duration(duration: timedelta) -> str:
    """ISO 8601 duration in hours, minutes and seconds: ``PT36H``, ``PT1H30M``, ``-PT15M``."""
    sign = "-" if duration < timedelta(0) else ""
    total = abs(duration)
    micros = total.microseconds
    seconds = total.days * 86_400 + total.seconds
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = ""
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if seconds or micros or not text:
        text += f"{seconds}.{micros:06d}".rstrip("0").rstrip(".") + "S" if micros else f"{seconds}S"
    return f"{sign}PT{text}"


def read_currency(value: Any, _type: object = str) -> str:
    """An ISO 4217 code this library knows."""
    code = read_str(value)
    if code not in ISO_4217:
        raise DocumentValueError(
            f'must be an ISO 4217 currency code such as "USD", got {show(code)}'
        )
    return code


def write_currency(code: str) -> str:
    """The code itself; refuses one reading would refuse."""
    if code not in ISO_4217:
        msg = f"cannot write currency {show(code)}: not an ISO 4217 code"
        raise SerializationError(msg)
    return code


def read_money(value: Any, _type: object = Money) -> Money:
    """``{"amount": "12.50", "currency": "USD"}``."""
    if type(value) is not dict:
        raise _wrong('an object {"amount": ..., "currency": ...}', value)
    for key in ("amount", "currency"):
        if key not in value:
            raise DocumentValueError("required field is missing", at=(key,))
    extra = sorted(set(value) - {"amount", "currency"})
    if extra:
        raise DocumentValueError("unknown field", at=(extra[0],))
    try:
        amount = read_decimal(value["amount"])
    except DocumentValueError as exc:
        raise DocumentValueError(exc.message, at=("amount",)) from None
    try:
        currency = read_currency(value["currency"])
    except DocumentValueError as exc:
        raise DocumentValueError(exc.message, at=("currency",)) from None
    return Money(amount, currency)


def write_money(money: Money) -> dict[str, str]:
    """``{"amount": "12.50", "currency": "USD"}``: the exact amount as a string, never a float."""
    write_currency(money.currency)
    return {"amount": write_decimal(money.amount), "currency": money.currency}
