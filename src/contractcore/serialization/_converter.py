"""The cattrs converter behind documents: strict hooks for every model (private).

Models are written field by field under their init names (``end_date``,
``from``); members of a union carry a ``"type"`` tag (``{"type": "fixed",
"amount": {...}}``) so a reader can tell them apart. Reading is strict: no
text is turned into a number, no number into text, no unknown field passes.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from contractcore.contracts import Contract, ContractTemplate
from contractcore.money import Money
from contractcore.serialization import _scalars as s
from contractcore.serialization._errors import DocumentValueError, clip, show
from contractcore.serialization._models import BY_MEMBERS, PLAIN_MODELS, TAGS, UNIONS
from contractcore.sla import Action, BusinessCalendar, ComposedCalendar, SlaStatus, TicketEvent

__all__ = ["CONVERTER"]

Hook = Callable[[Any, Any], Any]

_RENAMES = {"from_": "from"}
_CURRENCY_FIELDS = {Contract, ContractTemplate}

CONVERTER = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True, use_alias=True)
"""The converter: strict scalars, tagged unions, models with their init names."""

_c = CONVERTER


def _origin(t: Any) -> Any:
    return get_origin(t)


def _is_union(t: Any) -> bool:
    return _origin(t) in (Union, types.UnionType)


def _is_enum(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, enum.Enum)


def _array(value: Any) -> list[Any] | tuple[Any, ...]:
    if not isinstance(value, list | tuple):
        raise DocumentValueError(f"must be an array, got {show(value)}")
    return value


def _structure_items(value: Any, item_type: Any, whole: Any, hook: Hook | None = None) -> list[Any]:
    if hook is None:
        hook = _c.get_structure_hook(item_type)
    array = _array(value)
    try:
        return [hook(item, item_type) for item in array]
    except Exception:  # read again below, item by item, to name the index
        pass
    errors: list[Exception] = []
    for index, item in enumerate(array):
        try:
            hook(item, item_type)
        except Exception as exc:  # collected, reported with the index
            exc.__notes__ = [
                *getattr(exc, "__notes__", ()),
                IterableValidationNote(f"Structuring {whole} @ index {index}", index, item_type),
            ]
            errors.append(exc)
    raise IterableValidationError(f"While structuring {whole!r}", errors, whole)


def _sorted(items: Iterable[Any]) -> list[Any]:
    values = list(items)
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=repr)


# Scalars -------------------------------------------------------------------

for _type, _read in (
    (str, s.read_str),
    (int, s.read_int),
    (bool, s.read_bool),
    (Decimal, s.read_decimal),
    (date, s.read_date),
    (datetime, s.read_datetime),
    (timedelta, s.read_duration),
    (Money, s.read_money),
):
    _c.register_structure_hook(_type, _read)
for _type, _write in (
    (Decimal, s.write_decimal),
    (date, s.write_date),
    (datetime, s.write_datetime),
    (timedelta, s.write_duration),
    (Money, s.write_money),
):
    _c.register_unstructure_hook(_type, _write)
_c.register_unstructure_hook(frozenset, lambda value: _sorted(map(_c.unstructure, value)))
_c.register_unstructure_hook(tuple, lambda value: [_c.unstructure(item) for item in value])


def _read_calendar(value: Any, kind: Any) -> BusinessCalendar | ComposedCalendar:
    if type(value) is not dict:
        raise DocumentValueError(f"must be an object (a business calendar), got {show(value)}")
    composed = "union" in value or "intersection" in value
    if kind is BusinessCalendar and composed:
        raise DocumentValueError(
            "must be a BusinessCalendar, got a composed calendar (union/intersection)"
        )
    try:
        if kind is ComposedCalendar or composed:
            return ComposedCalendar.from_dict(value)
        return BusinessCalendar.from_dict(value)
    except (ValueError, TypeError, LookupError) as exc:
        raise DocumentValueError(clip(str(exc))) from exc


#: A calendar field (SlaPolicy.calendar) holds either kind, told apart by its keys.
_CALENDAR_TYPES = (BusinessCalendar, ComposedCalendar, BusinessCalendar | ComposedCalendar)

# By predicate: registering the class itself would make cattrs resolve its
# type hints, which name types imported only for type checking.
_c.register_structure_hook_func(lambda t: t in _CALENDAR_TYPES, _read_calendar)
_c.register_unstructure_hook_func(
    lambda t: t in _CALENDAR_TYPES, lambda calendar: calendar.to_dict()
)


def _enum_reader(t: type[enum.Enum]) -> Hook:
    allowed = {member.value: member for member in t}
    names = ", ".join(map(str, allowed))

    def read(value: Any, _type: Any) -> enum.Enum:
        if type(value) is not str or value not in allowed:
            raise DocumentValueError(f"must be one of {names}, got {show(value)}")
        return allowed[value]

    return read


def _literal_reader(t: Any) -> Hook:
    allowed = get_args(t)
    names = ", ".join(map(str, allowed))

    def read(value: Any, _type: Any) -> Any:
        if type(value) is not str or value not in allowed:
            raise DocumentValueError(f"must be one of {names}, got {show(value)}")
        return value

    return read


def _enums_in(t: Any) -> set[type[enum.Enum]]:
    found = {t} if _is_enum(t) else set()
    for arg in get_args(t):
        found |= _enums_in(arg)
    return found


# Registered class by class: the enums are also ``str`` subclasses, and cattrs
# looks up classes by inheritance first, which would treat them as plain text.
for _enum in sorted(
    {e for cls in (*PLAIN_MODELS, *TAGS) for f in attrs.fields(cls) for e in _enums_in(f.type)},
    key=lambda e: e.__name__,
):
    _c.register_structure_hook(_enum, _enum_reader(_enum))
    _c.register_unstructure_hook(_enum, lambda member: member.value)
_c.register_structure_hook_factory(lambda t: _origin(t) is Literal, _literal_reader)


# Collections ---------------------------------------------------------------


def _is_homogeneous_tuple(t: Any) -> bool:
    args = get_args(t)
    return _origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_reader(t: Any) -> Hook:
    item_type = get_args(t)[0]
    hook = _c.get_structure_hook(item_type)
    return lambda value, _type: tuple(_structure_items(value, item_type, t, hook))


def _tuple_writer(t: Any) -> Callable[[Any], Any]:
    hook = _c.get_unstructure_hook(get_args(t)[0])
    return lambda value: [hook(item) for item in value]


def _frozenset_reader(t: Any) -> Hook:
    item_type = get_args(t)[0]
    hook = _c.get_structure_hook(item_type)
    return lambda value, _type: frozenset(_structure_items(value, item_type, t, hook))


def _frozenset_writer(t: Any) -> Callable[[Any], Any]:
    hook = _c.get_unstructure_hook(get_args(t)[0])
    return lambda value: _sorted(hook(item) for item in value)


_c.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_reader)
_c.register_unstructure_hook_factory(_is_homogeneous_tuple, _tuple_writer)
_c.register_structure_hook_factory(lambda t: _origin(t) is frozenset, _frozenset_reader)
_c.register_unstructure_hook_factory(lambda t: _origin(t) is frozenset, _frozenset_writer)


# Unions --------------------------------------------------------------------


def _read_host_id(value: Any, _type: Any) -> str | int:
    if type(value) not in (str, int):
        raise DocumentValueError(f"must be a string or an integer id, got {show(value)}")
    return value  # type: ignore[no-any-return]  # checked just above


def _read_money_or_number(value: Any, _type: Any) -> Money | Decimal:
    if type(value) is dict:
        return s.read_money(value)
    if type(value) in (str, int):
        return s.read_decimal(value)
    raise DocumentValueError(f"must be a money object or a decimal string, got {show(value)}")


def _tagged_reader(members: dict[str, type]) -> Hook:
    names = ", ".join(members)

    def read(value: Any, _type: Any) -> Any:
        if type(value) is not dict:
            raise DocumentValueError(
                f'must be an object with a "type" ({names}), got {show(value)}'
            )
        if "type" not in value:
            raise DocumentValueError(f"required field is missing (one of {names})", at=("type",))
        tag = value["type"]
        if type(tag) is not str or tag not in members:
            raise DocumentValueError(f"must be one of {names}, got {show(tag)}", at=("type",))
        cls = members[tag]
        return _c.get_structure_hook(cls)(value, cls)

    return read


def _text_or_tagged_reader(words: tuple[str, ...], members: dict[str, type]) -> Hook:
    """Read one of ``words`` as itself, anything else as a member of the tagged union."""
    tagged = _tagged_reader(members)
    names = ", ".join(words)
    tags = ", ".join(members)

    def read(value: Any, _type: Any) -> Any:
        if type(value) is str:
            if value not in words:
                raise DocumentValueError(
                    f'must be one of {names} or an object with a "type" ({tags}), got {show(value)}'
                )
            return value
        return tagged(value, _type)

    return read


def _union_reader(t: Any) -> Hook:
    args = get_args(t)
    optional = type(None) in args
    rest = frozenset(arg for arg in args if arg is not type(None))
    literals = frozenset(arg for arg in rest if _origin(arg) is Literal)
    classes = rest - literals
    read: Hook
    if rest in BY_MEMBERS:
        read = _tagged_reader(BY_MEMBERS[rest])
    elif literals and classes in BY_MEMBERS:
        words = tuple(word for literal in literals for word in get_args(literal))
        read = _text_or_tagged_reader(words, BY_MEMBERS[classes])
    elif rest == {str, int}:
        read = _read_host_id
    elif rest == {Money, Decimal}:
        read = _read_money_or_number
    elif rest == {BusinessCalendar, ComposedCalendar}:
        read = _read_calendar
    elif len(rest) == 1:
        (only,) = rest
        read = _c.get_structure_hook(only)
    else:  # pragma: no cover - a model grew a union this module does not know
        msg = f"no document format for {t!r}"
        raise TypeError(msg)
    if not optional:
        return read
    inner = read
    only_type = next(iter(rest)) if len(rest) == 1 else t
    return lambda value, _type: None if value is None else inner(value, only_type)


def _union_writer(t: Any) -> Callable[[Any], Any]:
    return lambda value: None if value is None else _c.unstructure(value)


_c.register_structure_hook_factory(_is_union, _union_reader)
_c.register_unstructure_hook_factory(_is_union, _union_writer)


# Models --------------------------------------------------------------------


def _overrides(cls: type) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.name in _RENAMES:
            found[field.name] = override(rename=_RENAMES[field.name])
        if field.name == "currency" and cls in _CURRENCY_FIELDS:
            found[field.name] = override(
                struct_hook=s.read_currency, unstruct_hook=s.write_currency
            )
    return found


def _model_reader(cls: type) -> Hook:
    generated: Hook = make_dict_structure_fn(cls, _c, **_overrides(cls))
    tag = TAGS.get(cls)
    name = cls.__name__

    def read(value: Any, _type: Any) -> Any:
        if type(value) is not dict:
            raise DocumentValueError(f"must be an object ({name}), got {show(value)}")
        if tag is not None and "type" in value:
            if value["type"] != tag:
                raise DocumentValueError(
                    f"must be {tag!r} here, got {show(value['type'])}", at=("type",)
                )
            value = {key: item for key, item in value.items() if key != "type"}
        if cls is SlaStatus:
            return _read_status(generated, value)
        return generated(value, cls)

    return read


def _read_status(generated: Hook, value: dict[str, Any]) -> SlaStatus:
    # ``actions`` is derived from the rest; it is written for hosts, and read
    # back only to check it agrees (a document edited by hand may not).
    fields = {key: item for key, item in value.items() if key != "actions"}
    status: SlaStatus = generated(fields, SlaStatus)
    if "actions" in value:
        try:
            actions = tuple(_structure_items(value["actions"], Action, tuple[Action, ...]))
        except Exception as exc:
            exc.__notes__ = [
                *getattr(exc, "__notes__", ()),
                AttributeValidationNote("Structuring SlaStatus @ actions", "actions", tuple),
            ]
            raise ClassValidationError("While structuring SlaStatus", [exc], SlaStatus) from None
        if actions != status.actions:
            msg = "do not match the status (they follow from the policy and the targets)"
            raise DocumentValueError(msg, at=("actions",))
    return status


def _model_writer(cls: type) -> Callable[[Any], Any]:
    generated: Callable[[Any], Any] = make_dict_unstructure_fn(cls, _c, **_overrides(cls))
    tag = TAGS.get(cls)
    if cls is SlaStatus:
        actions = _c.get_unstructure_hook(tuple[Action, ...])
        return lambda value: {**generated(value), "actions": actions(value.actions)}
    if tag is None:
        return generated
    return lambda value: {"type": tag, **generated(value)}


def _is_model(t: Any) -> bool:
    return t in TAGS or t in PLAIN_MODELS


_c.register_structure_hook_factory(_is_model, _model_reader)
_c.register_unstructure_hook_factory(_is_model, _model_writer)

# A TicketEvent field or list holds any of the concrete events. By predicate:
# a class registration would also catch the subclasses.
_c.register_structure_hook_func(lambda t: t is TicketEvent, _tagged_reader(UNIONS["TicketEvent"]))
_c.register_unstructure_hook_func(
    lambda t: t is TicketEvent, lambda event: _c.unstructure(event, type(event))
)
