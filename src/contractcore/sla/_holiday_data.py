"""Holidays in plain data, and what makes two holiday definitions equal (private).

A ``holidays.HolidayBase`` fills in its years lazily, so its contents vary;
calendars compare it by *definition*: its class (aliases such as US/USA or
NYSE/XNYS count as the class they name), region and the options that change
its dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import holidays as holidays_lib

from contractcore.errors import InvalidCalendarError
from contractcore.sla import _hours

if TYPE_CHECKING:
    from datetime import date

__all__ = ["holidays_from_data", "holidays_key", "holidays_to_data"]


def holidays_key(holidays: frozenset[date] | holidays_lib.HolidayBase) -> object:
    """What calendars compare holidays by: the dates, or a ``HolidayBase``'s definition."""
    if not isinstance(holidays, holidays_lib.HolidayBase):
        return holidays
    return (
        _definition(type(holidays)),
        # A market's calendar (financial_holidays) has no country.
        getattr(holidays, "country", None),
        getattr(holidays, "market", None),
        getattr(holidays, "subdiv", None),
        _observed(holidays),
        _categories(holidays),
    )


def holidays_to_data(holidays: frozenset[date] | holidays_lib.HolidayBase) -> Any:
    """Sorted ISO dates, or a ``HolidayBase``'s country (or market) and options."""
    if not isinstance(holidays, holidays_lib.HolidayBase):
        return sorted(day.isoformat() for day in holidays)
    region = getattr(holidays, "country", None)
    data: dict[str, Any] = (
        {"country": region, "subdiv": holidays.subdiv}
        if region
        else {"market": getattr(holidays, "market", None)}
    )
    if not _observed(holidays):
        data["observed"] = False
    categories = _categories(holidays)
    if categories != _default_categories(holidays):
        data["categories"] = sorted(categories)
    return data


#: What a class that only gives another name to its base defines itself.
_ALIAS_ONLY = frozenset(
    {"__doc__", "__module__", "__qualname__", "__firstlineno__", "__static_attributes__"}
)


def _definition(cls: type) -> type:
    """The class that defines a holidays class's dates: itself, or the base an alias names."""
    for klass in cls.__mro__:
        if set(vars(klass)) - _ALIAS_ONLY:
            return klass
    return cls


def _observed(holidays: holidays_lib.HolidayBase) -> bool:
    return bool(getattr(holidays, "observed", True))


def _categories(holidays: holidays_lib.HolidayBase) -> frozenset[str]:
    return frozenset(getattr(holidays, "categories", ()) or ())


def _default_categories(holidays: holidays_lib.HolidayBase) -> frozenset[str]:
    default = getattr(type(holidays), "default_category", None)
    return frozenset({default}) if default else frozenset()


def holidays_from_data(raw: Any) -> frozenset[date] | holidays_lib.HolidayBase:
    if isinstance(raw, Mapping):
        unknown = set(raw) - {"country", "subdiv", "market", "observed", "categories"}
        if unknown or not (raw.get("country") or raw.get("market")):
            msg = f"holidays must be dates or {{'country': ..., 'subdiv': ...}}, got {raw!r}"
            raise InvalidCalendarError(msg)
        for name in ("country", "subdiv", "market"):
            if raw.get(name) is not None and not isinstance(raw[name], str):
                msg = f"holidays.{name} must be a string such as 'US', got {raw[name]!r}"
                raise InvalidCalendarError(msg)
        options: dict[str, Any] = {}
        if "observed" in raw:
            if not isinstance(raw["observed"], bool):
                msg = f"holidays.observed must be true or false, got {raw['observed']!r}"
                raise InvalidCalendarError(msg)
            options["observed"] = raw["observed"]
        if "categories" in raw:
            categories = raw["categories"]
            if (
                isinstance(categories, str)
                or not isinstance(categories, Iterable)
                or not all(isinstance(name, str) for name in categories)
            ):
                msg = f"holidays.categories must be a list of names, got {categories!r}"
                raise InvalidCalendarError(msg)
            options["categories"] = tuple(categories)
        try:
            if raw.get("country"):
                return holidays_lib.country_holidays(
                    raw["country"], subdiv=raw.get("subdiv"), **options
                )
            return holidays_lib.financial_holidays(raw["market"], **options)
        except (NotImplementedError, ValueError) as exc:
            msg = f"holidays: {exc}"
            raise InvalidCalendarError(msg) from exc
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        msg = f"holidays must be a list of dates, got {raw!r}"
        raise InvalidCalendarError(msg)
    return frozenset(_hours.parse_date(day, "holidays[]") for day in raw)
