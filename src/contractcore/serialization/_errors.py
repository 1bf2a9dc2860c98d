"""Turn whatever went wrong while reading a document into one SerializationError (private).

cattrs (with detailed validation) reports failures as exception groups whose
notes say which attribute or index each failure came from; this module walks
them to the first failure and writes the field path (``services[2].unit_price.amount``)
and the bad value into the message.
"""

from __future__ import annotations

import reprlib
from collections.abc import Sequence

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from contractcore.errors import (
    ContractCoreError,
    NaiveDatetimeError,
    NaiveDatetimeInDocumentError,
    SerializationError,
)

__all__ = [
    "DocumentValueError",
    "NaiveValueError",
    "Path",
    "clip",
    "format_path",
    "show",
    "to_serialization_error",
]

Path = tuple[str | int, ...]

_MAX_SHOWN = 60


_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = _MAX_SHOWN
_REPR.maxother = _MAX_SHOWN
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = 4


def show(value: object) -> str:
    """``repr(value)``, cut short so a hostile value cannot flood a log line.

    Containers are shown three levels deep at most (``reprlib``), so even a
    value nested thousands of levels deep is shown without recursing.
    """
    if isinstance(value, str) and len(value) > _MAX_SHOWN:
        return repr(value[:_MAX_SHOWN]) + f"... ({len(value)} characters)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        # str() of a huge int is slow and refused past 4300 digits: estimate instead.
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    text = _REPR.repr(value) if isinstance(value, dict | list | tuple) else repr(value)
    if len(text) > _MAX_SHOWN:
        return text[:_MAX_SHOWN] + "..."
    return text


class DocumentValueError(ValueError):
    """A value in a document is wrong; ``at`` extends the path below the current field."""

    def __init__(self, message: str, at: Path = ()) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


class NaiveValueError(DocumentValueError):
    """A datetime in a document has no UTC offset."""


def format_path(path: Sequence[str | int]) -> str:
    """``("services", 2, "unit_price", "amount")`` -> ``"services[2].unit_price.amount"``."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            key = clip(step)  # a key may be as long as a hostile document makes it
            text += f".{key}" if text else key
    return text


def _key(name: str) -> str:
    # cattrs notes carry attribute names; documents use the init names.
    return "from" if name == "from_" else name.lstrip("_")


def _first_failure(
    exc: BaseException, path: Path, owner: type | None = None
) -> tuple[Path, BaseException, int, type | None]:
    """Follow the first branch of cattrs' exception groups down to a leaf failure.

    Returns the path, the leaf, how many leaves there are in all, and the
    class whose constructor raised the leaf (None when a field's own reading did).
    """
    if not isinstance(exc, BaseExceptionGroup):
        return path, exc, 1, owner
    total = 0
    first: tuple[Path, BaseException, type | None] | None = None
    for sub in exc.exceptions:
        step: Path = ()
        for note in getattr(sub, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                step = (_key(note.name),)
            elif isinstance(note, IterableValidationNote):
                step = (note.index,) if isinstance(note.index, int) else (str(note.index),)
        # No note: the class itself refused its fields (a validator or a cross-field rule).
        sub_owner = None if step else getattr(exc, "cl", None)
        sub_path, leaf, count, leaf_owner = _first_failure(sub, path + step, sub_owner)
        total += count
        if first is None:
            first = (sub_path, leaf, leaf_owner)
    if first is None:  # an empty group: nothing more precise to say
        return path, exc, 1, None
    return first[0], first[1], total, first[2]


def _field_named(message: str, owner: type | None) -> str | None:
    """The field a model's error message starts with (``"unit_price must be >= 0..."``)."""
    if owner is None or not attrs.has(owner):
        return None
    word = message.split(" ", 1)[0].removeprefix(f"{owner.__name__}.")
    names = {_key(field.alias or field.name) for field in attrs.fields(owner) if field.init}
    return word if word in names else None


def clip(text: str) -> str:
    """``text`` cut to a readable length."""
    return text if len(text) <= _MAX_SHOWN * 2 else text[: _MAX_SHOWN * 2] + "..."


def to_serialization_error(exc: BaseException, root: str, prefix: Path = ()) -> SerializationError:
    """The SerializationError for a failure while reading ``root`` data found at ``prefix``."""
    path, leaf, count, owner = _first_failure(exc, prefix)
    kind: type[SerializationError] = SerializationError
    if isinstance(leaf, DocumentValueError):
        path += leaf.at
        detail = leaf.message
        if isinstance(leaf, NaiveValueError):
            kind = NaiveDatetimeInDocumentError
    elif isinstance(leaf, ForbiddenExtraKeysError):
        extra = sorted(map(str, leaf.extra_fields))
        path += (extra[0],)
        detail = "unknown field" + (f" (also unknown: {', '.join(extra[1:])})" if extra[1:] else "")
    elif isinstance(leaf, KeyError):
        # cattrs raises KeyError for a required field that is missing; its
        # note already put the field in the path.
        detail = "required field is missing"
    elif isinstance(leaf, ContractCoreError):
        # A model's own validation (attrs validators, cross-field rules).
        detail = clip(str(leaf))
        field = _field_named(detail, owner)
        if field is not None:
            path += (field,)
        if isinstance(leaf, NaiveDatetimeError):
            kind = NaiveDatetimeInDocumentError
    else:
        detail = f"{type(leaf).__name__}: {clip(str(leaf))}"
    where = format_path(path) or root
    more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
    error = kind(f"{where}: {detail}{more}")
    error.__cause__ = exc
    return error
