"""JSON documents for every model, with a schema version; strict and safe to read.

A document is ``{"schema": "contractcore/2", "type": "Contract", "data":
{...}}``. Amounts and other decimals are strings, dates ``YYYY-MM-DD``,
instants ISO 8601 with their UTC offset, durations ISO 8601 (``PT1H30M``).
Reading never trusts the input: anything wrong raises
:class:`~contractcore.errors.SerializationError` naming the field path and
the value. See ``docs/serialization.md``.

>>> from contractcore.money import Money
>>> text = dumps(Money("12.50", "USD"))
>>> loads(Money, text)
Money('12.50', 'USD')
"""

from __future__ import annotations

from contractcore._public import publish
from contractcore.serialization._documents import (
    READABLE_SCHEMAS,
    SCHEMA,
    dumps,
    from_data,
    from_document,
    loads,
    to_data,
    to_document,
)
from contractcore.serialization._evaluate import evaluate_document
from contractcore.serialization._json import MAX_DEPTH, MAX_INT, MAX_TEXT, parse_json
from contractcore.serialization._models import MODELS

__all__ = [
    "MAX_DEPTH",
    "MAX_INT",
    "MAX_TEXT",
    "MODELS",
    "READABLE_SCHEMAS",
    "SCHEMA",
    "dumps",
    "evaluate_document",
    "from_data",
    "from_document",
    "loads",
    "parse_json",
    "to_data",
    "to_document",
]

publish(__name__)  # the names above report contractcore.serialization, not its private modules
