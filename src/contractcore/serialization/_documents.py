"""Documents: a schema version, a type name and the model's data (private)."""

from __future__ import annotations

import json
from typing import Any, TypeVar, overload

from contractcore.errors import SerializationError
from contractcore.serialization._converter import CONVERTER
from contractcore.serialization._errors import Path, clip, show, to_serialization_error
from contractcore.serialization._json import check_json, parse_json_unchecked
from contractcore.serialization._models import MODELS, UNIONS

__all__ = [
    "READABLE_SCHEMAS",
    "SCHEMA",
    "dumps",
    "from_data",
    "from_document",
    "loads",
    "to_data",
    "to_document",
]

T = TypeVar("T")

SCHEMA = "contractcore/2"
"""The document format this version of contractcore writes (it reads :data:`READABLE_SCHEMAS`)."""

READABLE_SCHEMAS = ("contractcore/1", "contractcore/2")
"""Every document format this version reads: ``contractcore/1`` documents (written
before services kept a history) read as before, their new fields taking their defaults."""

_READABLE_TEXT = " or ".join(f'"{name}"' for name in READABLE_SCHEMAS)

_ENVELOPE = ("schema", "type", "data")


def _name_of(target: Any) -> str:
    return getattr(target, "__name__", None) or str(target)


def _accepted_names(target: Any) -> frozenset[str]:
    """The ``"type"`` names a document read as ``target`` may carry."""
    for union, members in UNIONS.items():
        classes = frozenset(members.values())
        if _name_of(target) == union or frozenset(getattr(target, "__args__", ())) == classes:
            return frozenset(cls.__name__ for cls in classes)
    name = _name_of(target)
    if MODELS.get(name) is not target:
        msg = f"{name} has no document form (known: {', '.join(MODELS)})"
        raise SerializationError(msg)
    return frozenset((name,))


def to_data(obj: object) -> Any:
    """Return ``obj`` as JSON-ready data, without the document envelope.

    Use it where the schema version is kept elsewhere (a column next to the
    data); otherwise prefer :func:`to_document`.

    Raises:
        SerializationError: ``obj`` is not a model, or holds a value a reader
            would refuse (a naive datetime, a currency outside ISO 4217, an
            amount out of bounds).

    >>> from contractcore.money import Money
    >>> to_data(Money("12.50", "USD"))
    {'amount': '12.50', 'currency': 'USD'}
    """
    name = type(obj).__name__
    if MODELS.get(name) is not type(obj):
        msg = f"cannot write a {name}: it has no document form (known: {', '.join(MODELS)})"
        raise SerializationError(msg)
    try:
        data = CONVERTER.unstructure(obj)
    except SerializationError:
        raise
    except Exception as exc:
        msg = f"cannot write {name}: {type(exc).__name__}: {show(str(exc))}"
        raise SerializationError(msg) from exc
    check_json(data)
    return data


@overload
def from_data(cls: type[T], data: Any) -> T: ...
@overload
def from_data(cls: Any, data: Any) -> Any: ...
def from_data(cls: Any, data: Any) -> Any:
    """Build a ``cls`` from data written by :func:`to_data` (no envelope).

    ``cls`` is a model class, or one of the unions ``Penalty``,
    ``TicketEvent`` and ``contractcore.sla.Action`` (the data's ``"type"``
    tag picks the member).

    Raises:
        SerializationError: The data is not valid; the message names the
            field path and the value.

    >>> from contractcore.money import Money
    >>> from_data(Money, {"amount": "12.50", "currency": "USD"})
    Money('12.50', 'USD')
    >>> from_data(Money, {"amount": 12.5, "currency": "USD"})
    Traceback (most recent call last):
    ...
    contractcore.errors.SerializationError: amount: must not be a floating-point number, ...
    """
    _accepted_names(cls)
    return read_data(cls, data, _name_of(cls), ())


def read_data(target: Any, data: Any, root: str, prefix: Path) -> Any:
    """Check the shape of ``data``, then structure it as ``target`` (errors name ``prefix``)."""
    check_json(data, prefix)
    try:
        return CONVERTER.structure(data, target)
    except Exception as exc:  # every failure becomes one SerializationError with a path
        raise to_serialization_error(exc, root, prefix) from exc


def to_document(obj: object) -> dict[str, Any]:
    """Return ``obj`` as a document: ``{"schema": ..., "type": ..., "data": ...}``.

    Raises:
        SerializationError: See :func:`to_data`.

    >>> from contractcore.money import Money
    >>> to_document(Money("12.50", "USD"))
    {'schema': 'contractcore/2', 'type': 'Money', 'data': {'amount': '12.50', 'currency': 'USD'}}
    """
    return {"schema": SCHEMA, "type": type(obj).__name__, "data": to_data(obj)}


@overload
def from_document(cls: type[T], document: Any) -> T: ...
@overload
def from_document(cls: Any, document: Any) -> Any: ...
def from_document(cls: Any, document: Any) -> Any:
    """Read a document written by :func:`to_document` as a ``cls``.

    Raises:
        SerializationError: The schema version is missing or unknown, the
            type is not ``cls``, or the data is not valid (the message names
            the field path, relative to ``data``, and the value).

    >>> from contractcore.money import Money
    >>> from_document(Money, {"schema": "contractcore/1", "type": "Money",
    ...                       "data": {"amount": "12.50", "currency": "USD"}})
    Money('12.50', 'USD')
    >>> from_document(Money, {"schema": "contractcore/9", "type": "Money", "data": {}})
    Traceback (most recent call last):
    ...
    contractcore.errors.SerializationError: schema: unknown version 'contractcore/9' ...
    """
    names = _accepted_names(cls)
    check_envelope(document, _ENVELOPE)
    kind = document.get("type")
    if type(kind) is not str or kind not in names:
        wanted = " or ".join(sorted(names))
        shown = show(kind) if type(kind) is str else f"a {type(kind).__name__}"
        msg = (
            f"type: expected {wanted}, got {shown}"
            if "type" in document
            else (f"type: required field is missing (expected {wanted})")
        )
        raise SerializationError(msg)
    if "data" not in document:
        msg = "data: required field is missing"
        raise SerializationError(msg)
    obj = read_data(cls, document["data"], kind, ())
    if type(obj).__name__ != kind:  # a union's member is picked by the data's own tag
        msg = f"type: the document says {kind} but its data is a {type(obj).__name__}"
        raise SerializationError(msg)
    return obj


def check_envelope(document: Any, fields: tuple[str, ...]) -> None:
    """Check a document is an object with the current ``schema`` and no unknown field."""
    if type(document) is not dict:
        msg = f"a document must be a JSON object, got {type(document).__name__}"
        raise SerializationError(msg)
    extra = sorted(
        clip(key) if isinstance(key, str) else f"a {type(key).__name__} key"
        for key in document
        if key not in fields
    )
    if extra:
        msg = f"{extra[0]}: unknown field (a document has {', '.join(fields)})"
        raise SerializationError(msg)
    if "schema" not in document:
        msg = f"schema: required field is missing (this version reads {_READABLE_TEXT})"
        raise SerializationError(msg)
    schema = document["schema"]
    if type(schema) is not str or schema not in READABLE_SCHEMAS:
        shown = show(schema) if type(schema) is str else f"a {type(schema).__name__}"
        msg = (
            f"schema: unknown version {shown} (this version of contractcore reads {_READABLE_TEXT})"
        )
        raise SerializationError(msg)


def dumps(obj: object, *, indent: int | None = None) -> str:
    """Return ``obj`` as the JSON text of its document (:func:`to_document`).

    >>> from contractcore.money import Money
    >>> dumps(Money("12.50", "USD"))
    '{"schema": "contractcore/2", "type": "Money", "data": {"amount": "12.50", "currency": "USD"}}'
    """
    return json.dumps(to_document(obj), indent=indent, ensure_ascii=False, allow_nan=False)


@overload
def loads(cls: type[T], text: str | bytes) -> T: ...
@overload
def loads(cls: Any, text: str | bytes) -> Any: ...
def loads(cls: Any, text: str | bytes) -> Any:
    """Read the JSON text of a document as a ``cls`` (:func:`from_document`).

    The text is parsed strictly: NaN, Infinity, floats, repeated keys,
    integers beyond 2**53 and nesting deeper than 32 levels are refused.

    >>> from contractcore.money import Money
    >>> loads(Money, dumps(Money("12.50", "USD")))
    Money('12.50', 'USD')
    """
    # The shape is checked part by part, so paths are relative to ``data``.
    return from_document(cls, parse_json_unchecked(text))
