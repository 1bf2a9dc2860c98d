"""JSON text and JSON data at the border: parsing and the shape check (private).

Everything a document may contain is bounded here, before any model is
built: nesting depth, string length, integer size; floats (NaN and
Infinity included) are refused because no contractcore field is a float.
"""

from __future__ import annotations

import json
from typing import Any

from contractcore.errors import SerializationError
from contractcore.serialization._errors import Path, clip, format_path, show

__all__ = [
    "MAX_DEPTH",
    "MAX_INT",
    "MAX_TEXT",
    "check_json",
    "parse_json",
    "parse_json_unchecked",
]

#: Deepest nesting of arrays and objects a document may have (the models need about 10).
MAX_DEPTH = 32
#: Largest magnitude of a JSON integer: 2**53 - 1, the integers every JSON reader keeps exact.
MAX_INT = 2**53 - 1
#: Longest string a document may hold, in characters.
MAX_TEXT = 100_000

_ARRAY = (list, tuple)


class _LongNumber(str):
    """A JSON integer too long to convert (kept as text so the shape check can name it)."""

    __slots__ = ()


def _parse_int(text: str) -> int | _LongNumber:
    # int() refuses more than 4300 digits with a bare ValueError, and is slow
    # before that: anything past 30 digits is out of bounds anyway.
    return _LongNumber(text) if len(text) > 30 else int(text)


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                msg = f"{key}: the same key appears twice in one JSON object"
                raise SerializationError(msg)
            seen.add(key)
    return result


def parse_json(text: str | bytes) -> Any:
    """Parse JSON text into plain data, then check its shape (:func:`check_json`).

    Raises:
        SerializationError: The text is not JSON, repeats a key, nests deeper than
            :data:`MAX_DEPTH`, or holds a float, NaN, Infinity or a number out of bounds.

    >>> parse_json('{"amount": "12.50"}')
    {'amount': '12.50'}
    >>> parse_json('{"amount": NaN}')
    Traceback (most recent call last):
    ...
    contractcore.errors.SerializationError: amount: must not be a floating-point number, got nan ...
    """
    data = parse_json_unchecked(text)
    check_json(data)
    return data


def parse_json_unchecked(text: str | bytes) -> Any:
    """Parse JSON text strictly; the shape check is left to the caller."""
    if not isinstance(text, str | bytes | bytearray):
        msg = f"JSON text must be str or bytes, got {type(text).__name__}"
        raise SerializationError(msg)
    try:
        data = json.loads(text, parse_int=_parse_int, object_pairs_hook=_pairs)
    except SerializationError:
        raise
    except RecursionError:
        msg = f"JSON nests too deep (more than {MAX_DEPTH} levels are refused)"
        raise SerializationError(msg) from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        msg = f"not valid JSON: {clip(str(exc))}"
        raise SerializationError(msg) from None
    return data


def check_json(data: Any, prefix: Path = ()) -> None:
    """Check that ``data`` is bounded JSON data, naming the path of the first offence.

    Allowed: ``dict`` with string keys, ``list`` (and ``tuple``), ``str``,
    ``int`` (not beyond :data:`MAX_INT`), ``bool`` and ``None``.

    Raises:
        SerializationError: The first value that is not allowed, with its path.
    """
    if not _is_bounded_json(data):
        _find_offence(data, prefix)


def _is_bounded_json(data: Any) -> bool:
    """The fast check, level by level: no paths kept (they are for the rare refusal)."""
    # Iterative on purpose: a recursive walk is what deep nesting attacks.
    level: list[Any] = [data]
    for _ in range(MAX_DEPTH + 1):
        below: list[Any] = []
        for value in level:
            kind = type(value)
            if kind is dict:
                for key in value:
                    if type(key) is not str:
                        return False
                below.extend(value.values())
            elif kind is list or kind is tuple:
                below.extend(value)
            elif not _is_bounded_scalar(value, kind):
                return False
        if not below:
            return True
        level = below
    return False  # something lies deeper than MAX_DEPTH


def _is_bounded_scalar(value: Any, kind: type) -> bool:
    if value is None or kind is bool:
        return True
    if kind is str:
        return len(value) <= MAX_TEXT
    if kind is int:
        return bool(-MAX_INT <= value <= MAX_INT)
    return False


def _find_offence(data: Any, prefix: Path) -> None:
    """The slow walk, keeping paths, that names the first offence in document order."""
    stack: list[tuple[Any, Path]] = [(data, prefix)]
    while stack:
        value, path = stack.pop()
        if len(path) - len(prefix) > MAX_DEPTH:
            _refuse(path[: len(prefix) + MAX_DEPTH], f"nests deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                if not isinstance(key, str):
                    _refuse(path, f"object keys must be strings, got {type(key).__name__}")
                stack.append((item, (*path, key)))
        elif isinstance(value, _ARRAY):
            stack.extend((item, (*path, index)) for index, item in reversed(list(enumerate(value))))
        else:
            _check_scalar(value, path)
    msg = "document: not bounded JSON data"  # pragma: no cover - the walks agree
    raise SerializationError(msg)  # pragma: no cover


def _check_scalar(value: Any, path: Path) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, _LongNumber):
        _refuse(path, f"number out of bounds (at most {MAX_INT}), got {len(value)} digits")
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            _refuse(path, f"text longer than {MAX_TEXT} characters ({show(value)})")
    elif isinstance(value, int):
        if not -MAX_INT <= value <= MAX_INT:
            _refuse(path, f"number out of bounds (at most {MAX_INT}), got {show(value)}")
    elif isinstance(value, float):
        _refuse(
            path,
            f"must not be a floating-point number, got {value!r} (write decimals as strings)",
        )
    else:
        _refuse(
            path,
            "must be JSON data (object, array, string, integer, boolean or null), "
            f"got {type(value).__name__}",
        )


def _refuse(path: Path, detail: str) -> None:
    raise SerializationError(f"{format_path(path) or 'document'}: {detail}")
